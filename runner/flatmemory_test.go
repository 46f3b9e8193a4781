package runner

import (
	"context"
	"runtime"
	"testing"

	"aiecon/sim"
)

// peakLiveHeap simulates the built-in scenario for horizon without a store
// and returns the largest live Go heap (HeapAlloc right after a collection)
// seen at the simulator's progress calls, sampled every few calls so that
// the collections do not dominate the run. Measuring the live heap, not the
// resident size, leaves out the garbage a lazy collector has yet to reclaim,
// which makes the figure repeatable from run to run.
func peakLiveHeap(t *testing.T, scenario, horizon string) (peak uint64, completed int64) {
	t.Helper()
	l, err := Load(scenario, []string{"horizon=" + horizon})
	if err != nil {
		t.Fatalf("loading %s for %s: %v", scenario, horizon, err)
	}
	var ms runtime.MemStats
	calls := 0
	sample := func() {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}
	out, err := Run(context.Background(), l, Options{Progress: func(p sim.Progress) {
		if calls++; calls%8 == 0 {
			sample()
		}
		completed = p.Completed
	}})
	if err != nil {
		t.Fatalf("running %s for %s: %v", scenario, horizon, err)
	}
	sample() // the end of the run, with the Result's series in hand
	runtime.KeepAlive(out)
	return peak, completed
}

// TestSimulatorMemoryIsFlatOverTheHorizon checks the claim of
// docs/scenarios.md that a run holds what its fleet has in flight, not what
// its horizon has seen: a fleet that keeps up peaks at about the same live
// heap over a short and a four times longer horizon (baseline and
// agents-heavy measured 1.4-1.5 MB at both, 2-3 KB more a simulated hour).
// The tolerance, 256 KB a simulated hour, leaves room for what may grow
// with the horizon by design (the tail sketches, logarithmic in the range
// of their values) and is far under what keeping each finished request
// would cost: a RequestRecord alone, 13,500 an hour in baseline, made the
// heap grow by 1.8 MB a simulated hour, and an agent session with its plan
// of steps holds about 800 bytes plus 100 a step.
func TestSimulatorMemoryIsFlatOverTheHorizon(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 10 hours of two scenarios; skipped with -short")
	}
	const perHourTolerance = 256 << 10
	for _, tc := range []struct {
		scenario string
		short    string
		long     string
		hours    float64 // long minus short
	}{
		{scenario: "baseline", short: "2h", long: "8h", hours: 6},
		{scenario: "agents-heavy", short: "1h", long: "4h", hours: 3},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			shortPeak, shortDone := peakLiveHeap(t, tc.scenario, tc.short)
			longPeak, longDone := peakLiveHeap(t, tc.scenario, tc.long)
			perHour := (float64(longPeak) - float64(shortPeak)) / tc.hours
			t.Logf("%s: live heap peak %.2f MB over %s (%d requests completed), %.2f MB over %s (%d): %+.0f KB a simulated hour",
				tc.scenario, float64(shortPeak)/1e6, tc.short, shortDone, float64(longPeak)/1e6, tc.long, longDone, perHour/1024)
			if longDone < 3*shortDone {
				t.Fatalf("the %s run completed %d requests, the %s run %d: the horizons did not take", tc.long, longDone, tc.short, shortDone)
			}
			if perHour > perHourTolerance {
				t.Errorf("%s: the live heap grew by %.0f KB a simulated hour from %s to %s (tolerance %d KB): the simulator keeps something per request or per session after it finished",
					tc.scenario, perHour/1024, tc.short, tc.long, perHourTolerance>>10)
			}
		})
	}
}
