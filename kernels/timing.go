package kernels

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat"
)

// TimingOptions controls how Measure times a kernel. The zero value of a field
// means its documented default.
type TimingOptions struct {
	// Warmup is the number of untimed calls before measuring (default 2): the
	// first call pays page faults and cold instruction caches.
	Warmup int
	// MinReps and MaxReps bound the number of timed samples (defaults 5 and 40).
	MinReps, MaxReps int
	// TargetSpread is the relative spread, (p75-p25)/median, below which
	// sampling stops once MinReps samples exist (default 0.05).
	TargetSpread float64
	// Budget is the wall time allowed for the timed samples of one kernel
	// (default 2s); sampling stops when it runs out, converged or not.
	Budget time.Duration
	// MinSample is the least duration of one sample (default 2ms): a sample
	// repeats the kernel back to back until it lasts that long, so that timer
	// resolution and call overhead do not matter for microsecond kernels.
	MinSample time.Duration
	// MaxRunDelay is the share of a sample's wall time that this process's
	// threads may spend waiting for a CPU (Linux schedstat run delay, summed
	// over threads) before the sample counts as slowed by another process and
	// is dropped (default 0.02). Negative disables the check; so does an OS
	// without /proc/self/task/*/schedstat.
	MaxRunDelay float64
}

func (o TimingOptions) withDefaults() TimingOptions {
	if o.Warmup <= 0 {
		o.Warmup = 2
	}
	if o.MinReps <= 0 {
		o.MinReps = 5
	}
	if o.MaxReps <= 0 {
		o.MaxReps = max(40, o.MinReps)
	}
	o.MaxReps = max(o.MaxReps, o.MinReps)
	if o.TargetSpread <= 0 {
		o.TargetSpread = 0.05
	}
	if o.Budget <= 0 {
		o.Budget = 2 * time.Second
	}
	if o.MinSample <= 0 {
		o.MinSample = 2 * time.Millisecond
	}
	if o.MaxRunDelay == 0 {
		o.MaxRunDelay = 0.02
	}
	return o
}

// Timing is the result of Measure. Times are seconds per call of the kernel.
type Timing struct {
	MedianS float64 `json:"median_s"`
	// Spread is (p75-p25)/median over the samples.
	Spread float64 `json:"spread"`
	MinS   float64 `json:"min_s"`
	MaxS   float64 `json:"max_s"`
	// Samples is how many timed samples were taken, each of CallsPerSample calls.
	Samples        int `json:"samples"`
	CallsPerSample int `json:"calls_per_sample"`
	// Converged is true when the spread fell below the target before the
	// budget or MaxReps ran out.
	Converged bool `json:"converged"`
	// Dropped counts samples discarded because another process held a CPU
	// this one wanted (see TimingOptions.MaxRunDelay).
	Dropped int `json:"dropped,omitempty"`
	// Contended is true when no clean sample could be had within the limits,
	// so the statistics come from contended samples and overstate the time.
	Contended bool `json:"contended,omitempty"`
}

// Measure times run: Warmup untimed calls, then samples of CallsPerSample
// back-to-back calls until MinReps clean samples exist and their spread is
// below TargetSpread, or MaxReps clean samples or the Budget are reached.
// A sample during which this process waited for a CPU for more than
// MaxRunDelay of its duration is dropped, and sampling goes on (up to two
// budgets and 4 x MaxReps samples in all) to replace it: on a shared machine
// the time another process takes is not the kernel's. It returns the
// context's error, and no timing, if ctx is cancelled first.
func Measure(ctx context.Context, run func(), opt TimingOptions) (Timing, error) {
	opt = opt.withDefaults()
	calls, err := callsPerSample(ctx, run, opt)
	if err != nil {
		return Timing{}, err
	}
	clean, dropped, converged, err := sample(ctx, run, calls, opt)
	if err != nil {
		return Timing{}, err
	}
	return summarise(clean, dropped, calls, converged)
}

// callsPerSample runs the warm-up calls and sizes a sample with them: the
// slowest warm-up call is a conservative estimate of one call.
func callsPerSample(ctx context.Context, run func(), opt TimingOptions) (int, error) {
	var oneS float64
	for range opt.Warmup {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		t0 := time.Now()
		run()
		oneS = max(oneS, time.Since(t0).Seconds())
	}
	calls := 1
	if oneS > 0 {
		calls = int(math.Ceil(opt.MinSample.Seconds() / oneS))
	}
	return max(1, min(calls, 1<<20)), nil
}

// sample times samples of calls back-to-back calls until they converge or a
// limit is reached (see Measure), keeping the samples taken while another
// process held a CPU apart.
func sample(ctx context.Context, run func(), calls int, opt TimingOptions) (clean, dropped []float64, converged bool, err error) {
	checkDelay := opt.MaxRunDelay > 0
	var delay0 int64
	if checkDelay {
		delay0, checkDelay = runDelaySource()
	}
	clean = make([]float64, 0, opt.MaxReps)
	start := time.Now()
	for len(clean) < opt.MaxReps && len(clean)+len(dropped) < 4*opt.MaxReps {
		if err := ctx.Err(); err != nil {
			return nil, nil, false, err
		}
		t0 := time.Now()
		for range calls {
			run()
		}
		wall := time.Since(t0)
		perCall := wall.Seconds() / float64(calls)
		contended := false
		if checkDelay {
			delay1, ok := runDelaySource()
			contended = ok && float64(delay1-delay0) > opt.MaxRunDelay*float64(wall.Nanoseconds())
			delay0 = delay1
		}
		if contended {
			dropped = append(dropped, perCall)
		} else {
			clean = append(clean, perCall)
		}
		elapsed := time.Since(start)
		if len(clean) >= opt.MinReps {
			if spreadOf(clean) <= opt.TargetSpread {
				return clean, dropped, true, nil
			}
			if elapsed >= opt.Budget {
				break
			}
		}
		if elapsed >= 2*opt.Budget && len(clean)+len(dropped) >= opt.MinReps {
			break
		}
	}
	return clean, dropped, false, nil
}

// summarise turns the samples into a Timing: the clean ones, or, when none
// was clean, the contended ones marked as such.
func summarise(clean, dropped []float64, calls int, converged bool) (Timing, error) {
	samples, contended := clean, false
	if len(clean) == 0 {
		samples, contended = dropped, true
	}
	sorted := slices.Clone(samples)
	slices.Sort(sorted)
	t := Timing{
		MedianS:        stat.Quantile(0.5, stat.Empirical, sorted, nil),
		Spread:         spreadOf(samples),
		MinS:           sorted[0],
		MaxS:           sorted[len(sorted)-1],
		Samples:        len(samples),
		CallsPerSample: calls,
		Converged:      converged,
		Dropped:        len(dropped),
		Contended:      contended,
	}
	if contended {
		t.Dropped = 0
	}
	if !(t.MedianS > 0) {
		return t, fmt.Errorf("measure: median time %g s is not positive (%d samples of %d calls)", t.MedianS, t.Samples, calls)
	}
	return t, nil
}

// runDelaySource is where Measure reads the run delay; tests replace it.
var runDelaySource = runDelayNs

// runDelayNs sums the time this process's threads have spent runnable but
// waiting for a CPU (the second field of Linux's per-thread schedstat). ok
// is false where the OS does not expose it.
func runDelayNs() (ns int64, ok bool) {
	paths, err := filepath.Glob("/proc/self/task/*/schedstat")
	if err != nil || len(paths) == 0 {
		return 0, false
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // the thread exited between Glob and ReadFile
		}
		f := strings.Fields(string(b))
		if len(f) < 2 {
			return 0, false
		}
		v, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return 0, false
		}
		ns += v
	}
	return ns, true
}

// spreadOf is the interquartile range relative to the median. It is robust to
// the occasional preempted sample on a shared machine, unlike the standard
// deviation.
func spreadOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	med := stat.Quantile(0.5, stat.Empirical, s, nil)
	if med <= 0 {
		return math.Inf(1)
	}
	return (stat.Quantile(0.75, stat.Empirical, s, nil) - stat.Quantile(0.25, stat.Empirical, s, nil)) / med
}
