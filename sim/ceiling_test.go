package sim

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/model"
)

// TestRevenueCeiling: revenue_ceiling_usd is what the arrivals could earn,
// so no fleet earns more, per workload and for the run, and it is the same
// whatever the fleet, which the optimizer's margin bound relies on (the
// arrivals, lengths and session plans come from the workloads' own
// streams). It also covers what the instantaneous world of the lost
// revenue values: the sessions that ended, and the API requests that
// completed, were dropped or timed out. Checked with ads and patience on each measure, a fleet so small
// that sessions abandon and an API queue drops, and freshness that decays
// between retrains.
func TestRevenueCeiling(t *testing.T) {
	agents := func(on string, training bool) func(n int) *model.Scenario {
		return func(n int) *model.Scenario {
			src := agentsAds
			if training {
				src += "training: {tokens: 1e9, where: dedicated, every: 1h, half_life: 1h}\n"
			}
			sc := scenario(t, src)
			sc.Horizon, sc.Fleet.Count = 3*model.Minute, n
			sc.Workloads[1].Arrivals.Rate = 40
			sc.Workloads[1].Agent.PatienceOn = on
			return sc
		}
	}
	tests := []struct {
		name   string
		sc     func(n int) *model.Scenario
		counts []int
		exact  bool // a model always fresh: what became of the ceiling adds up to it
	}{
		{"ads-latency", func(n int) *model.Scenario { return builtinScenario(t, "ads-latency", 5*model.Minute, n) }, []int{1, 2, 6}, false},
		{"patience on ttft", agents(model.PatienceTTFT, false), []int{1, 3}, true},
		{"patience on e2e", agents(model.PatienceE2E, false), []int{1, 3}, true},
		{"patience on turn, retrained", agents(model.PatienceTurn, true), []int{1, 3}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ceiling := map[string]float64{}
			for _, n := range tt.counts {
				sc := tt.sc(n)
				res, _ := run(t, sc)
				scopes := []string{""}
				for _, w := range sc.Workloads {
					scopes = append(scopes, w.Name)
				}
				for _, s := range scopes {
					c, rev := kpi(t, res, "revenue_ceiling_usd", s), kpi(t, res, "revenue_usd", s)
					if !(c >= rev-1e-9) {
						t.Errorf("%d instances, scope %q: revenue %v above the ceiling %v", n, s, rev, c)
					}
					if prev, ok := ceiling[s]; ok && math.Abs(c-prev) > 1e-9*math.Abs(prev) {
						t.Errorf("%d instances, scope %q: ceiling %v, %v on another fleet", n, s, c, prev)
					}
					ceiling[s] = c
				}
				if inst := kpi(t, res, "revenue_usd", "") + kpi(t, res, "revenue_lost_to_latency_usd", ""); !(ceiling[""] >= inst-1e-9) {
					t.Errorf("%d instances: ceiling %v below the instantaneous world's %v", n, ceiling[""], inst)
				}
				checkUnfinished(t, res, scopes, ceiling, tt.exact)
				if n == tt.counts[0] && !(kpi(t, res, "revenue_usd", "") < 0.99*ceiling[""]) {
					t.Errorf("%d instances earned %v of a ceiling of %v: the test wants a fleet that loses some", n, kpi(t, res, "revenue_usd", ""), ceiling[""])
				}
			}
		})
	}
}

// TestZeroTokenTraceRefused: a trace of 0-token rows was replayed as calls
// of one token each (the ceiling counted them so); the simulator now
// refuses it where it reads the trace, naming the line.
func TestZeroTokenTraceRefused(t *testing.T) {
	dir := t.TempDir()
	trace := "TIMESTAMP,ContextTokens,GeneratedTokens\n" +
		"2023-11-16 18:15:46.0000000,0,0\n" +
		"2023-11-16 18:15:46.5000000,0,0\n"
	if err := os.WriteFile(filepath.Join(dir, "t.csv"), []byte(trace), 0o644); err != nil {
		t.Fatal(err)
	}
	src := strings.NewReplacer("arrivals: {process: poisson, rate: 20/s}", "arrivals: {process: trace, trace: {path: t.csv, loop: true}}",
		"horizon: 10m", "horizon: 1m").Replace(small8b)
	w, err := New(Config{Scenario: scenario(t, src), Sink: &MemorySink{}, TraceDir: dir})
	if err == nil {
		_, err = w.Run(t.Context())
	}
	if err == nil || !strings.Contains(err.Error(), "t.csv:2: ContextTokens 0") {
		t.Fatalf("a trace of 0-token rows: %v, want a refusal at t.csv:2", err)
	}
}

// checkUnfinished: revenue_unfinished_usd values what was still running at
// the end, which neither revenue nor the revenue lost to latency counts,
// so the three never exceed the ceiling, and, exact, add up to it (the
// instantaneous world values a session as the ceiling does where the
// model does not age). An overloaded fleet's backlog was valued nowhere.
func checkUnfinished(t *testing.T, res *Result, scopes []string, ceiling map[string]float64, exact bool) {
	t.Helper()
	for _, s := range scopes {
		u := kpi(t, res, "revenue_unfinished_usd", s)
		sum := kpi(t, res, "revenue_usd", s) + kpi(t, res, "revenue_lost_to_latency_usd", s) + u
		switch c := ceiling[s]; {
		case u < 0:
			t.Errorf("scope %q: revenue_unfinished_usd %v is negative", s, u)
		case sum > c+1e-9*c:
			t.Errorf("scope %q: earned, lost and unfinished %v above the ceiling %v", s, sum, c)
		case exact && math.Abs(sum-c) > 1e-9*c:
			t.Errorf("scope %q: earned, lost and unfinished add up to %v, not the ceiling %v", s, sum, c)
		}
	}
}
