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
// horizon is skipped (a closed loop stops there), and one that simulates
// longer than fuzzWall has hung.
const (
	fuzzHorizon  = model.Duration(60 * time.Second)
	fuzzRequests = 20_000
	fuzzWall     = 10 * time.Second
)

// FuzzLoadAndSimulate goes past loading: a base scenario (a built-in, or
// fuzzScenario with one of fuzzArrivals) and two --set overrides are loaded,
// as `aiecon run BASE --set PATH=VALUE` does, and what load accepts is built
// and simulated. A rejection must be an input error (exit 2); an accepted
// scenario must build, simulate without a panic, finish, and report every
// KPI finite or explicitly absent (NaN, stored as NULL), counts and times
// never negative. The overrides, not the YAML text, are fuzzed: mutated
// YAML seldom loads (model's FuzzLoadWithSet covers the parser), and a
// mutated path or value reaches the simulator with odd numbers and shapes.
func FuzzLoadAndSimulate(f *testing.F) {
	seeds := [][4]string{
		{"fleet.count", "1", "horizon", "1m"},
		{"workloads[0].arrivals.rate", "0.5/s", "drain", "true"},
		{"fleet.replica.scheduler", "vllm", "fleet.replica.max_num_seqs", "1"},
		{"workloads[0].prompt_tokens", "{dist: gamma, mean: 1000, cv: 100}", "seed", "7"},
		{"fleet.pricing", "spot", "fleet.spot.interruptions_per_hour", "60"},
		{"fleet.autoscale.max", "3", "fleet.autoscale.interval", "1s"},
		{"fleet.replica.speculative.draft", "eagle", "fleet.replica.speculative.acceptance", "0.99"},
		{"workloads[0].arrivals.process", "gamma", "workloads[0].arrivals.cv", "0.001"},
		{"fleet.replica.max_model_len", "128", "workloads[0].output_tokens", "100000"},
		{"training.every", "1h", "fleet.replica.kv_block_tokens", "1"},
		{"precision.weights", "awq", "fleet.instance", "p4de.24xlarge"},
		{"precision.activations", "fp32", "precision.kv_cache", "fp8"},
		{"workloads", "!!str 6", "variants", "!x 6"}, // tags where a list belongs crashed go-yaml (review F0)
		{"pools", "!!str 6", "fleet", "!x {count: 1}"},
	}
	for i, sd := range seeds {
		for b := range fuzzBases() {
			if (i+b)%3 == 0 { // a third of the pairs: enough to start from
				f.Add(uint8(b), sd[0], sd[1], sd[2], sd[3])
			}
		}
	}
	f.Setenv(hw.ProfileDirEnv, f.TempDir()) // the built-in profile, never this host's
	f.Fuzz(func(t *testing.T, base uint8, path1, value1, path2, value2 string) {
		bases := fuzzBases()
		src := bases[int(base)%len(bases)]
		l, err := LoadSource("fuzz.yaml", src, t.TempDir(), []string{path1 + "=" + value1, path2 + "=" + value2})
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
		if res == nil {
			return // stopped at fuzzRequests: a closed loop is not estimated
		}
		for _, k := range res.KPIs {
			checkKPI(t, k)
		}
	})
}

// fuzzBases are the scenarios the fuzz target starts from: every built-in,
// then fuzzScenario with each of fuzzArrivals.
func fuzzBases() [][]byte {
	var out [][]byte
	for _, n := range model.BuiltinNames() {
		src, err := model.Builtin(n)
		if err != nil {
			panic(err)
		}
		out = append(out, src)
	}
	for _, a := range fuzzArrivals {
		out = append(out, []byte(fuzzScenario+"    arrivals: "+a+"\n"))
	}
	return out
}

// fuzzArrivals vary fuzzScenario's one workload: closed loop, gamma gaps, a
// burst.
var fuzzArrivals = []string{"{process: closed, clients: 8, think_time: 0s}",
	"{process: gamma, rate: 20/s, cv: 4}", "{process: burst, count: 500, at: 1s}"}

// fuzzScenario is a small scenario whose one workload's arrivals
// fuzzArrivals vary.
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
// so that a panic fails the fuzz target with its stack; nil is a run
// stopped at fuzzRequests.
func fuzzSimulate(t *testing.T, l *Loaded) *sim.Result {
	t.Helper()
	cal, err := LoadCalibration(l.Scenario)
	if err != nil {
		t.Fatalf("calibration for a loaded scenario: %v", err)
	}
	cfg := sim.Config{Scenario: l.Scenario, Efficiency: cal.Eff, Serving: cal.Serving, TraceDir: l.TraceDir, MaxRequests: fuzzRequests}
	world, err := sim.New(cfg)
	if err != nil {
		t.Fatalf("a scenario load accepted does not build (a run-time failure, not an input error at load): %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), fuzzWall)
	defer cancel()
	res, err := world.Run(ctx)
	var capped *sim.RequestCapError
	if errors.As(err, &capped) {
		return nil
	}
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
