package runner

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// The fuzz target's bounds on one input's work: the horizon is cut to
// fuzzHorizon after load, an input estimated past fuzzRequests on that
// horizon is skipped, and one that simulates longer than fuzzWall has hung.
const (
	fuzzHorizon  = model.Duration(60 * time.Second)
	fuzzRequests = 20_000
	fuzzWall     = 10 * time.Second
)

// FuzzLoadAndSimulate goes past loading: a scenario text and one --set that
// load goes on to be built and simulated, as `aiecon run FILE --set
// PATH=VALUE` does. A rejection must be an input error (exit 2); an accepted
// scenario must build, simulate without a panic, finish, and report every
// KPI finite or explicitly absent (NaN, stored as NULL), counts and times
// never negative. Seeds: every built-in scenario with a --set each.
func FuzzLoadAndSimulate(f *testing.F) {
	sets := []string{"fleet.count=1", "workloads[0].arrivals.rate=0.5/s", "seed=7", "horizon=1s",
		"fleet.replica.tp=1", "drain=true", "window=1s"}
	for i, n := range model.BuiltinNames() {
		src, err := model.Builtin(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, sets[i%len(sets)])
	}
	for _, arrivals := range []string{"{process: closed, clients: 8, think_time: 0s}",
		"{process: gamma, rate: 20/s, cv: 4}", "{process: burst, count: 500, at: 1s}"} {
		f.Add([]byte(fuzzScenario+"    arrivals: "+arrivals+"\n"), "fleet.replica.scheduler=vllm")
	}
	f.Setenv(hw.ProfileDirEnv, f.TempDir()) // the built-in profile, never this host's
	f.Fuzz(func(t *testing.T, src []byte, set string) {
		l, err := LoadSource("fuzz.yaml", src, t.TempDir(), []string{set})
		if err != nil {
			var in *InputError
			if !errors.As(err, &in) {
				t.Fatalf("load refused the scenario without an input error (exit 1, not 2): %v", err)
			}
			return
		}
		sc := l.Scenario
		sc.Horizon = min(sc.Horizon, fuzzHorizon)
		if est, err := EstimateRun(sc, nil); err != nil || est.Requests > fuzzRequests {
			return // too big for a fuzz iteration; the budget bounds it in a real run
		}
		res := fuzzSimulate(t, l)
		for _, k := range res.KPIs {
			checkKPI(t, k)
		}
	})
}

// fuzzScenario is a small scenario whose one workload's arrivals the seeds
// vary: closed loop, gamma gaps, a burst.
const fuzzScenario = `name: fuzz
horizon: 30s
window: 5s
model: llama-3.1-8b
fleet:
  instance: inf2.48xlarge
  count: 1
  replica: {tp: 8, scheduler: neuron, max_num_seqs: 8}
workloads:
  - name: chat
    class: api
    prompt_tokens: {dist: lognormal, median: 600, p99: 4000}
    output_tokens: {dist: gamma, mean: 200, cv: 1}
    price: {input_per_mtok: 0.22, output_per_mtok: 0.22}
`

// fuzzSimulate builds and runs the world without runner.simulate's recover,
// so that a panic fails the fuzz target with its stack.
func fuzzSimulate(t *testing.T, l *Loaded) *sim.Result {
	t.Helper()
	cal, err := LoadCalibration(l.Scenario)
	if err != nil {
		t.Fatalf("calibration for a loaded scenario: %v", err)
	}
	cfg := sim.Config{Scenario: l.Scenario, Efficiency: cal.Eff, Serving: cal.Serving, TraceDir: l.TraceDir}
	world, err := sim.New(cfg)
	if err != nil {
		t.Fatalf("a scenario load accepted does not build (a run-time failure, not an input error at load): %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), fuzzWall)
	defer cancel()
	res, err := world.Run(ctx)
	if err != nil {
		t.Fatalf("simulating %v of a loaded scenario: %v", l.Scenario.Horizon, err)
	}
	return res
}

// checkKPI fails on a KPI that is infinite, or negative where its unit
// cannot be (a count, a time, tokens, a rate).
func checkKPI(t *testing.T, k sim.KPI) {
	t.Helper()
	if math.IsNaN(k.Value) {
		return // absent: a ratio or percentile of nothing
	}
	if math.IsInf(k.Value, 0) {
		t.Fatalf("KPI %s (scope %q) is %v", k.Name, k.Scope, k.Value)
	}
	switch kpi.Get(k.Name).Unit {
	case format.UnitCount, format.UnitRequests, format.UnitSeconds, format.UnitHours, format.UnitTokens,
		format.UnitTokPerS, format.UnitPerSecond, format.UnitFLOP:
		if k.Value < 0 {
			t.Fatalf("KPI %s (scope %q) is negative: %v", k.Name, k.Scope, k.Value)
		}
	}
}
