package kernels

import (
	"context"
	"errors"
	"math"
	"runtime"
	"slices"
	"testing"
	"time"
)

// TestMeasureSleep times a kernel of known duration: a 2 ms sleep. The
// median must be at least the sleep and, within Measure's own clock
// reads, the median of the timed calls as the kernel timed them itself:
// a timing that did not divide a sample by its calls, or that counted
// the time between samples, is off by far more. The bound was five times
// the sleep, which a machine busy with other tests (CI's two cores) can
// exceed by waking the sleeper late, with nothing wrong in Measure; the
// kernel's own clock sees the same late wake-ups. The contention check
// is off: on a busy machine a sleeper's wake-up waits for a CPU, which
// would drop samples (TestMeasureDropsContendedSamples tests that).
func TestMeasureSleep(t *testing.T) {
	const d = 2 * time.Millisecond
	var calls []time.Duration
	tm, err := Measure(context.Background(), func() {
		start := time.Now()
		time.Sleep(d)
		calls = append(calls, time.Since(start))
	}, TimingOptions{Warmup: 1, MinReps: 3, MaxReps: 6, Budget: time.Second, MaxRunDelay: -1})
	if err != nil {
		t.Fatal(err)
	}
	// The timed calls are the last, one a sample (a call of 2 ms needs
	// no batching): the warm-up comes first. The median is the lower of
	// the middle two, as Measure's (stat.Empirical).
	if tm.CallsPerSample != 1 || tm.Samples+1 != len(calls) {
		t.Fatalf("%d samples of %d calls from %d calls of the kernel; want one call a sample after one warm-up", tm.Samples, tm.CallsPerSample, len(calls))
	}
	timed := slices.Sorted(slices.Values(calls[1:]))
	own := timed[(len(timed)-1)/2].Seconds()
	const clockReads = 100e-6 // s, far more than Measure's reads of the clock add to a sample
	if tm.MedianS < d.Seconds() || tm.MedianS < own || tm.MedianS > own+clockReads {
		t.Errorf("median %g s for a %v sleep whose timed calls took %g s (median) by their own clock", tm.MedianS, d, own)
	}
	if tm.Samples < 3 || tm.Samples > 6 {
		t.Errorf("%d samples, want 3..6", tm.Samples)
	}
	if !(tm.MinS <= tm.MedianS && tm.MedianS <= tm.MaxS) {
		t.Errorf("min %g, median %g, max %g out of order", tm.MinS, tm.MedianS, tm.MaxS)
	}
}

// TestMeasureBatchesShortKernels checks that a microsecond kernel is repeated
// within a sample until the sample lasts MinSample.
func TestMeasureBatchesShortKernels(t *testing.T) {
	calls := 0
	x := 1.0
	tm, err := Measure(context.Background(), func() {
		calls++
		for range 100 {
			x = x*1.0000001 + 1e-9
		}
	}, TimingOptions{Warmup: 2, MinReps: 3, MaxReps: 3, MinSample: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if tm.CallsPerSample < 10 {
		t.Errorf("%d calls per sample for a sub-microsecond kernel, want many", tm.CallsPerSample)
	}
	if want := 2 + (tm.Samples+tm.Dropped)*tm.CallsPerSample; calls != want {
		t.Errorf("kernel ran %d times, want warm-up 2 + (%d + %d dropped) x %d = %d", calls, tm.Samples, tm.Dropped, tm.CallsPerSample, want)
	}
	if tm.MedianS <= 0 || tm.MedianS > 1e-4 {
		t.Errorf("median %g s per call, want positive and well under 100 us", tm.MedianS)
	}
	_ = x
}

// TestMeasureStopsOnBudget uses a kernel whose every other call is 5x slower,
// so the spread never converges: sampling must stop at the budget, unconverged.
// The contention check is off: a sleeping kernel's wake-up latency on a
// loaded machine counts as run delay and would drop samples.
func TestMeasureStopsOnBudget(t *testing.T) {
	n := 0
	tm, err := Measure(context.Background(), func() {
		n++
		if n%2 == 0 {
			time.Sleep(5 * time.Millisecond)
		} else {
			time.Sleep(time.Millisecond)
		}
	}, TimingOptions{Warmup: 1, MinReps: 4, MaxReps: 1000, TargetSpread: 0.01, Budget: 60 * time.Millisecond, MinSample: time.Microsecond, MaxRunDelay: -1})
	if err != nil {
		t.Fatal(err)
	}
	if tm.Converged {
		t.Errorf("converged with spread %g despite alternating 1 ms / 5 ms calls", tm.Spread)
	}
	if tm.Samples >= 1000 || tm.Samples < 4 {
		t.Errorf("%d samples: want the 60 ms budget to stop it well before 1000", tm.Samples)
	}
}

func TestMeasureCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := Measure(ctx, func() {
		calls++
		if calls == 3 {
			cancel()
		}
	}, TimingOptions{Warmup: 1, MinReps: 1000, MaxReps: 1000, MinSample: time.Nanosecond})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if calls > 4 {
		t.Errorf("kernel ran %d times after cancel at call 3", calls)
	}
}

func TestSpreadOf(t *testing.T) {
	cases := []struct {
		xs   []float64
		want float64
	}{
		{[]float64{1, 1, 1, 1}, 0},
		// Empirical quantiles of 1,2,3,4: p25 = 1, p50 = 2, p75 = 3.
		{[]float64{4, 1, 3, 2}, 1},
	}
	for _, c := range cases {
		if got := spreadOf(c.xs); got != c.want {
			t.Errorf("spreadOf(%v) = %g, want %g", c.xs, got, c.want)
		}
	}
}

// TestRunDelay checks the contention signal where Linux provides it: the
// run delay is readable and never decreases while this process runs.
func TestRunDelay(t *testing.T) {
	a, ok := runDelayNs()
	if !ok {
		if runtime.GOOS == "linux" {
			t.Fatal("no schedstat run delay on Linux")
		}
		t.Skip("no schedstat on " + runtime.GOOS)
	}
	time.Sleep(time.Millisecond)
	b, ok := runDelayNs()
	if !ok || b < a || a < 0 {
		t.Errorf("run delay %d then %d (ok %v): want readable, non-negative and non-decreasing", a, b, ok)
	}
}

// TestMeasureDropsContendedSamples replaces the run-delay source with one
// that reports every other sample as contended (a wait of the whole sample),
// and makes exactly those samples slow: the timing must come from the fast,
// clean samples only, and count the dropped ones.
func TestMeasureDropsContendedSamples(t *testing.T) {
	defer func(f func() (int64, bool)) { runDelaySource = f }(runDelaySource)
	var delay int64
	reads := 0
	runDelaySource = func() (int64, bool) {
		reads++
		// Reads come in pairs around each sample after the first: before
		// sampling (read 1), then after each sample. Report a big wait after
		// every even-numbered sample.
		if reads > 1 && reads%2 == 1 {
			delay += int64(time.Second)
		}
		return delay, true
	}
	sample := 0
	calls := 0
	contendedMin := time.Duration(math.MaxInt64) // the fastest contended sample, timed from inside
	tm, err := Measure(context.Background(), func() {
		calls++
		if calls <= 1 { // the warm-up call
			time.Sleep(time.Millisecond)
			return
		}
		sample++
		if sample%2 == 0 {
			// The contended samples: far slower than a clean one, so a
			// clean 1 ms sleep woken late on a busy machine (50 ms and
			// more under CI's load) is not mistaken for one.
			start := time.Now()
			time.Sleep(200 * time.Millisecond)
			contendedMin = min(contendedMin, time.Since(start))
		} else {
			time.Sleep(time.Millisecond)
		}
	}, TimingOptions{Warmup: 1, MinReps: 4, MaxReps: 4, MinSample: time.Microsecond, TargetSpread: 10})
	if err != nil {
		t.Fatal(err)
	}
	// Samples 1, 3, 5, 7 are clean, 2, 4, 6 contended: the fourth clean one ends it.
	if tm.Samples != 4 || tm.Dropped != 3 || tm.Contended {
		t.Errorf("%d clean samples, %d dropped, contended %v; want 4, 3, false", tm.Samples, tm.Dropped, tm.Contended)
	}
	// Every kept sample is faster than every contended one: a clean 1 ms
	// sleep would have to wake 200 ms late to fail this.
	if tm.MaxS >= contendedMin.Seconds() {
		t.Errorf("max %g s, the fastest contended sample %v: a slow contended sample was kept", tm.MaxS, contendedMin)
	}

	// When every sample is contended, the timing uses them and says so.
	runDelaySource = func() (int64, bool) { delay += int64(time.Second); return delay, true }
	tm, err = Measure(context.Background(), func() {}, TimingOptions{Warmup: 1, MinReps: 2, MaxReps: 2, MinSample: time.Microsecond, Budget: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if !tm.Contended || tm.Samples < 2 {
		t.Errorf("all contended: contended %v with %d samples; want true and the contended samples", tm.Contended, tm.Samples)
	}
}
