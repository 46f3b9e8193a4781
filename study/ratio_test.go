package study

import (
	"math"
	"slices"
	"testing"
)

// RatioCI pools the runs' totals: reference values computed by hand.
// Three runs with margins 80, 84 and -31.5 on revenues 100, 120 and 5: the
// pooled ratio is 132.5 / 225 = 0.588889; residuals num - R den are
// 21.1111, 13.3333, -34.4444, so se = sqrt(1809.877 / 2 / 3) / 75 =
// 0.2315728 and the half-width t(0.975, 2) x se = 4.302653 x 0.2315728.
func TestRatioCI(t *testing.T) {
	iv := RatioCI([]float64{80, 84, -31.5}, []float64{100, 120, 5}, []float64{0.8, 0.7, -6.3}, 0.95)
	if iv.N != 3 || math.Abs(iv.Mean-132.5/225) > 1e-12 {
		t.Errorf("pooled ratio %v over %d runs, want %v over 3", iv.Mean, iv.N, 132.5/225)
	}
	if want := 4.302653 * 0.2315728; math.Abs(iv.HalfWidth-want) > 1e-5 {
		t.Errorf("half-width %v, want %v", iv.HalfWidth, want)
	}
	// A run that earned nothing has no ratio, but its cost counts: margins
	// 80 and -40 on revenues 100 and 0 pool to 40 / 100, not 0.8.
	if iv := RatioCI([]float64{80, -40}, []float64{100, 0}, []float64{0.8, math.NaN()}, 0.95); iv.N != 2 || math.Abs(iv.Mean-0.4) > 1e-12 {
		t.Errorf("a run without revenue: %+v, want 0.4 over 2 runs", iv)
	}
	// Parts missing (a store without them) leave a run out; no denominator
	// at all leaves the ratio undefined.
	if iv := RatioCI([]float64{math.NaN(), 9}, []float64{10, 10}, []float64{0.5, 0.9}, 0.95); iv.N != 1 || iv.Mean != 0.9 || !math.IsNaN(iv.HalfWidth) {
		t.Errorf("one usable run: %+v", iv)
	}
	if iv := RatioCI([]float64{-5}, []float64{0}, []float64{math.NaN()}, 0.95); !math.IsNaN(iv.Mean) {
		t.Errorf("no denominator: %+v, want NaN", iv)
	}
}

// A point's ratio KPI is the ratio of its runs' totals and any other KPI
// their mean; a replication that did not complete counts in neither.
func TestPointInterval(t *testing.T) {
	nan := math.NaN()
	reps := [][]float64{{0.8, 10}, nil, {0.7, 20}, {-6.3, 30}}
	parts := [][][2]float64{{{80, 100}, {nan, nan}}, nil, {{84, 120}, {nan, nan}}, {{-31.5, 5}, {nan, nan}}}
	if got := pointInterval("gross_margin", reps, parts, 0); got.N != 3 || math.Abs(got.Mean-132.5/225) > 1e-12 {
		t.Errorf("gross margin %+v, want pooled %v", got, 132.5/225)
	}
	if got := pointInterval("ttft_p50_s", reps, parts, 1); got.N != 3 || got.Mean != 20 {
		t.Errorf("a plain KPI %+v, want the mean 20", got)
	}
	if got := pointInterval("gross_margin", reps, nil, 0); math.Abs(got.Mean-(0.8+0.7-6.3)/3) > 1e-12 {
		t.Errorf("no parts: %+v, want the mean", got)
	}
}

// The parts are read from the run's KPIs: SLO attainment's requests that
// ended in its own scope, gross margin's costs before training, cost per
// Mtok's tokens, and none for a run that served no token.
func TestRatiosOf(t *testing.T) {
	kpis := []KPIRef{{Name: "slo_attainment", Scope: "chat"}, {Name: "cost_per_mtok_usd"}, {Name: "gross_margin"}, {Name: "ttft_p99_s", Scope: "chat"}}
	values := [][][]float64{{{0.99, 8.0, 0.5, 0.7}, {math.NaN(), math.NaN(), math.NaN(), math.NaN()}}}
	run := map[KPIRef]float64{
		{Name: "requests_completed", Scope: "chat"}: 900, {Name: "requests_dropped", Scope: "chat"}: 50,
		{Name: "requests_timed_out", Scope: "chat"}: 50, {Name: "requests_completed"}: 5000, {Name: "cost_usd"}: 40,
		{Name: "revenue_usd"}: 100, {Name: "cost_instances_usd"}: 45, {Name: "cost_licensing_usd"}: 5}
	idle := map[KPIRef]float64{{Name: "cost_usd"}: 40, {Name: "revenue_usd"}: 0, {Name: "cost_instances_usd"}: 38, {Name: "cost_licensing_usd"}: 0}
	got := ratiosOf(kpis, values, map[[2]int]map[KPIRef]float64{{0, 0}: run, {0, 1}: idle})[0]
	if want := [][2]float64{{990, 1000}, {40, 5}, {50, 100}}; got[0][0] != want[0] || got[0][1] != want[1] || got[0][2] != want[2] || !math.IsNaN(got[0][3][1]) {
		t.Errorf("a run's parts %v, want %v and none for TTFT", got[0], want)
	}
	if got[1][1] != [2]float64{40, 0} || got[1][2] != [2]float64{-38, 0} {
		t.Errorf("a run that served nothing: cost per Mtok %v, gross margin %v; want [40 0] and [-38 0]", got[1][1], got[1][2])
	}
}

// PooledValue pools a ratio KPI over runs given by their KPIs, and says a
// plain KPI is not its to pool.
func TestPooledValue(t *testing.T) {
	run := func(kpis map[string]float64) func(string, string) float64 {
		return func(name, _ string) float64 {
			if v, ok := kpis[name]; ok {
				return v
			}
			return math.NaN()
		}
	}
	runs := []func(string, string) float64{
		run(map[string]float64{"gross_margin": 0.8, "revenue_usd": 100, "cost_instances_usd": 15, "cost_licensing_usd": 5}),
		run(map[string]float64{"gross_margin": math.NaN(), "revenue_usd": 0, "cost_instances_usd": 40, "cost_licensing_usd": 0}),
	}
	if v, ok := PooledValue("gross_margin", "", runs); !ok || math.Abs(v-0.4) > 1e-12 {
		t.Errorf("gross margin %v (%v), want (80 - 40) / 100 = 0.4", v, ok)
	}
	// Cost per Mtok computed pools its runs' costs over their tokens
	// computed: $40 over 5 Mtok and $10 over 20 Mtok are $2 per Mtok, not
	// the mean of $8 and $0.50.
	computed := []func(string, string) float64{
		run(map[string]float64{"cost_per_mtok_computed_usd": 8, "cost_usd": 40}),
		run(map[string]float64{"cost_per_mtok_computed_usd": 0.5, "cost_usd": 10}),
	}
	if v, ok := PooledValue("cost_per_mtok_computed_usd", "", computed); !ok || math.Abs(v-2) > 1e-12 {
		t.Errorf("cost per Mtok computed %v (%v), want 50 / 25 = 2", v, ok)
	}
	// A free fleet's run (fleet.price_usd_per_hour: 0) paid $0 at $0 per
	// Mtok: its tokens count, from its token KPIs, so that free runs pool
	// to $0, not 0/0, and a free run beside a priced one halves its figure.
	tokens := map[string]float64{"input_tokens_cached": 2e5, "input_tokens_prefilled": 3e5, "input_tokens_per_s": 100, "output_tokens_per_s": 100}
	priced := func(kpi, cost string, usd, perMtok float64) func(string, string) float64 {
		m := map[string]float64{kpi: perMtok, cost: usd}
		for k, v := range tokens {
			m[k] = v
		}
		return run(m)
	}
	for _, c := range []struct{ kpi, cost string }{
		{"cost_per_mtok_instances_usd", "cost_instances_usd"}, {"cost_per_mtok_usd", "cost_usd"}, {"cost_per_mtok_computed_usd", "cost_usd"},
	} {
		free := priced(c.kpi, c.cost, 0, 0)
		if v, ok := PooledValue(c.kpi, "", []func(string, string) float64{free, free}); !ok || v != 0 {
			t.Errorf("%s of free runs %v (%v), want 0", c.kpi, v, ok)
		}
	}
	// A free model of a mix (scope model:NAME) pools over its own tokens,
	// its rates times the run's simulated seconds (5e5 prompt tokens at
	// 100/s: 5,000 s): 0.5 Mtok free beside 0.5 Mtok at $10 is $5 per Mtok.
	modelRun := func(usd, perMtok float64) func(string, string) float64 {
		return func(name, scope string) float64 {
			if scope == "" {
				if v, ok := tokens[name]; ok {
					return v
				}
				return math.NaN()
			}
			return map[string]float64{"cost_per_mtok_instances_usd": perMtok, "cost_instances_usd": usd,
				"input_tokens_per_s": 60, "output_tokens_per_s": 40}[name]
		}
	}
	const model = "model:small"
	if v, ok := PooledValue("cost_per_mtok_instances_usd", model, []func(string, string) float64{modelRun(0, 0), modelRun(0, 0)}); !ok || v != 0 {
		t.Errorf("a free model's cost per Mtok %v (%v), want 0", v, ok)
	}
	if v, ok := PooledValue("cost_per_mtok_instances_usd", model, []func(string, string) float64{modelRun(0, 0), modelRun(5, 10)}); !ok || math.Abs(v-5) > 1e-12 {
		t.Errorf("a free model beside one at $10 per Mtok %v (%v), want 5 / 1 = 5", v, ok)
	}
	// 1 Mtok billed free beside 1 Mtok at $10: $5 per Mtok.
	mixedFree := []func(string, string) float64{priced("cost_per_mtok_usd", "cost_usd", 0, 0), priced("cost_per_mtok_usd", "cost_usd", 10, 10)}
	if v, ok := PooledValue("cost_per_mtok_usd", "", mixedFree); !ok || math.Abs(v-5) > 1e-12 {
		t.Errorf("cost per Mtok of a free run and one at $10 %v (%v), want 10 / 2 = 5", v, ok)
	}
	if _, ok := PooledValue("margin_usd", "", runs); ok {
		t.Error("margin_usd pooled: it is a total, averaged")
	}
	// SLO attainment pools over slo_requests, the requests of workloads
	// with an SLO, where the run gives it: a run of 1,000 requests, 200 of
	// them under an SLO and half of those met, and one of 100, all under an
	// SLO and met, pool to (100 + 100) / 300, not over all 1,100 requests.
	// A run from before slo_requests falls back on the requests that ended.
	mixed := []func(string, string) float64{
		run(map[string]float64{"slo_attainment": 0.5, "slo_requests": 200, "requests_completed": 1000, "requests_dropped": 0, "requests_timed_out": 0}),
		run(map[string]float64{"slo_attainment": 1, "slo_requests": 100, "requests_completed": 100, "requests_dropped": 0, "requests_timed_out": 0}),
	}
	if v, ok := PooledValue("slo_attainment", "", mixed); !ok || math.Abs(v-200.0/300) > 1e-12 {
		t.Errorf("SLO attainment %v (%v), want 200 / 300", v, ok)
	}
	old := []func(string, string) float64{
		run(map[string]float64{"slo_attainment": 0.5, "requests_completed": 1000, "requests_dropped": 0, "requests_timed_out": 0}),
		run(map[string]float64{"slo_attainment": 1, "requests_completed": 100, "requests_dropped": 0, "requests_timed_out": 0}),
	}
	if v, ok := PooledValue("slo_attainment", "", old); !ok || math.Abs(v-600.0/1100) > 1e-12 {
		t.Errorf("SLO attainment from an older store %v (%v), want 600 / 1100", v, ok)
	}
	// A model of a mix pools its instances' cost per Mtok over its own cost
	// and tokens: model small's $2 over 1 Mtok and $6 over 1 Mtok are $4,
	// whatever the whole run's instances cost ($100 and $10).
	scoped := func(whole, model map[string]float64) func(string, string) float64 {
		return func(name, scope string) float64 {
			if v, ok := map[bool]map[string]float64{true: whole, false: model}[scope == ""][name]; ok {
				return v
			}
			return math.NaN()
		}
	}
	mix := []func(string, string) float64{
		scoped(map[string]float64{"cost_instances_usd": 100}, map[string]float64{"cost_instances_usd": 2, "cost_per_mtok_instances_usd": 2}),
		scoped(map[string]float64{"cost_instances_usd": 10}, map[string]float64{"cost_instances_usd": 6, "cost_per_mtok_instances_usd": 6}),
	}
	if v, ok := PooledValue("cost_per_mtok_instances_usd", "model:small", mix); !ok || math.Abs(v-4) > 1e-12 {
		t.Errorf("model small's instances cost per Mtok %v (%v), want (2 + 6) / (1 + 1) = 4", v, ok)
	}
}

// The JSON summary names the KPIs it pools, so that a script knows which
// means are the runs' totals' ratio.
func TestJSONViewNamesPooled(t *testing.T) {
	s := &Summary{KPIs: []KPIRef{{Name: "gross_margin"}, {Name: "margin_usd"}, {Name: "slo_attainment", Scope: "chat"}}}
	got := s.JSONView().(map[string]any)["pooled"].([]string)
	if len(got) != 2 || got[0] != "gross_margin" || got[1] != "slo_attainment" {
		t.Errorf("pooled %v, want gross_margin and slo_attainment", got)
	}
	if got := (&Summary{KPIs: []KPIRef{{Name: "margin_usd"}}}).JSONView().(map[string]any)["pooled"].([]string); got == nil || len(got) != 0 {
		t.Errorf("no ratio KPI: pooled %#v, want []", got)
	}
}

// The ratios a run reports of its own totals are pooled too, each over its
// denominator read from the run's KPIs: two runs' mean end-to-end latencies
// of 2 s over 10 completions and 10 s over 1 pool to 30 / 11 s, not their
// mean 6 s (baseline, 30 s x 20: 6.092 s averaged, 6.053 s pooled).
func TestPooledRunRatios(t *testing.T) {
	run := func(kpis map[string]float64) func(string, string) float64 {
		return func(name, _ string) float64 {
			if v, ok := kpis[name]; ok {
				return v
			}
			return math.NaN()
		}
	}
	for _, c := range []struct {
		name string
		a, b map[string]float64
		want float64
	}{
		{"e2e_mean_s", map[string]float64{"e2e_mean_s": 2, "requests_completed": 10}, map[string]float64{"e2e_mean_s": 10, "requests_completed": 1}, 30.0 / 11},
		{"good_experience_rate", map[string]float64{"good_experience_rate": 0.9, "requests_completed": 8, "requests_dropped": 1, "requests_timed_out": 0, "requests_abandoned": 1},
			map[string]float64{"good_experience_rate": 0, "requests_completed": 0, "requests_dropped": 0, "requests_timed_out": 0, "requests_abandoned": 2}, 9.0 / 12},
		{"abandon_rate", map[string]float64{"abandon_rate": 0.1, "requests_completed": 9, "requests_dropped": 0, "requests_timed_out": 0, "requests_abandoned": 1},
			map[string]float64{"abandon_rate": 1, "requests_completed": 0, "requests_dropped": 0, "requests_timed_out": 0, "requests_abandoned": 2}, 3.0 / 12},
		{"prefix_cache_hit_rate", map[string]float64{"prefix_cache_hit_rate": 0.5, "input_tokens_cached": 500, "input_tokens_prefilled": 500},
			map[string]float64{"prefix_cache_hit_rate": 0, "input_tokens_cached": 0, "input_tokens_prefilled": 100}, 500.0 / 1100},
		{"revenue_per_session_usd", map[string]float64{"revenue_per_session_usd": 2, "sessions_completed": 9, "sessions_abandoned": 1},
			map[string]float64{"revenue_per_session_usd": 0, "sessions_completed": 0, "sessions_abandoned": 10}, 20.0 / 20},
		// Every cost over the requests completed: a run that completed
		// nothing (its figure undefined) still adds its cost.
		{"cost_per_request_usd", map[string]float64{"cost_per_request_usd": 0.5, "cost_usd": 50, "requests_completed": 100},
			map[string]float64{"cost_per_request_usd": math.NaN(), "cost_usd": 10, "requests_completed": 0}, 60.0 / 100},
		// The agents' cost over their sessions completed, rebuilt from the
		// figure: 2 x 9 + 4 x 1 over 10.
		{"cost_per_session_usd", map[string]float64{"cost_per_session_usd": 2, "sessions_completed": 9, "sessions_abandoned": 5},
			map[string]float64{"cost_per_session_usd": 4, "sessions_completed": 1, "sessions_abandoned": 0}, 22.0 / 10},
		// The fleet's part of the abandoned sessions, over the sessions
		// that ended, as session_abandon_rate pools.
		{"session_fail_rate", map[string]float64{"session_fail_rate": 0.1, "sessions_failed": 1, "sessions_completed": 8, "sessions_abandoned": 2},
			map[string]float64{"session_fail_rate": 0.6, "sessions_failed": 3, "sessions_completed": 0, "sessions_abandoned": 5}, 4.0 / 15},
		{"ad_ecpm_usd", map[string]float64{"ad_ecpm_usd": 4, "ad_impressions": 1000}, map[string]float64{"ad_ecpm_usd": 10, "ad_impressions": 10}, (4000 + 100.0) / 1010},
		// What advertisers paid per click, over the expected clicks: a run
		// with few clicks pulled a mean of ratios up (1.346 where the
		// runs' ads revenue over their clicks was 1.274).
		{"ad_paid_cpc_usd", map[string]float64{"ad_paid_cpc_usd": 1.2, "ad_clicks_expected": 0.03}, map[string]float64{"ad_paid_cpc_usd": 2, "ad_clicks_expected": 0.01},
			(1.2*0.03 + 2*0.01) / 0.04},
		// The instances' cost per prompt Mtok and per output Mtok, over
		// each run's prompt tokens (cached and prefilled) and output tokens
		// (the prompt tokens times the ratio of the token rates).
		{"cost_per_mtok_input_usd", map[string]float64{"cost_per_mtok_input_usd": 0.5, "input_tokens_cached": 1e5, "input_tokens_prefilled": 9e5},
			map[string]float64{"cost_per_mtok_input_usd": 2, "input_tokens_cached": 0, "input_tokens_prefilled": 1e5}, (0.5*1 + 2*0.1) / 1.1},
		{"cost_per_mtok_output_usd", map[string]float64{"cost_per_mtok_output_usd": 10, "input_tokens_cached": 0, "input_tokens_prefilled": 1e6,
			"input_tokens_per_s": 1e6 / 60.0, "output_tokens_per_s": 2e5 / 60.0},
			map[string]float64{"cost_per_mtok_output_usd": 30, "input_tokens_cached": 2e4, "input_tokens_prefilled": 8e4,
				"input_tokens_per_s": 1e5 / 60.0, "output_tokens_per_s": 1e4 / 60.0}, (10*0.2 + 30*0.01) / 0.21},
	} {
		v, ok := PooledValue(c.name, "", []func(string, string) float64{run(c.a), run(c.b)})
		if !ok || math.Abs(v-c.want) > 1e-12 {
			t.Errorf("%s %v (pooled %v), want %v", c.name, v, ok, c.want)
		}
	}
	// A run stored before sessions_failed is left out of the fleet's
	// part, not read as failing none of its sessions.
	before := map[string]float64{"sessions_completed": 0, "sessions_abandoned": 10}
	after := map[string]float64{"session_fail_rate": 0.2, "sessions_failed": 2, "sessions_completed": 8, "sessions_abandoned": 2}
	if v, ok := PooledValue("session_fail_rate", "", []func(string, string) float64{run(before), run(after)}); !ok || v != 0.2 {
		t.Errorf("session_fail_rate with a run stored before it: %v (pooled %v), want 0.2", v, ok)
	}
	// A run whose price per click is undefined (slots sold per impression,
	// or no click) adds nothing; with no run defining it, neither does
	// the pool.
	cpm := map[string]float64{"ad_clicks_expected": 0.02}
	paid := map[string]float64{"ad_paid_cpc_usd": 1.5, "ad_clicks_expected": 0.01}
	if v, ok := PooledValue("ad_paid_cpc_usd", "", []func(string, string) float64{run(cpm), run(paid)}); !ok || v != 1.5 {
		t.Errorf("ad_paid_cpc_usd with one run undefined: %v (pooled %v), want 1.5", v, ok)
	}
	if v, _ := PooledValue("ad_paid_cpc_usd", "", []func(string, string) float64{run(cpm), run(cpm)}); !math.IsNaN(v) {
		t.Errorf("ad_paid_cpc_usd undefined in every run: %v, want NaN", v)
	}
}

// A proportion's interval stays inside [0, 1] and keeps a width when every
// run met the target: M/D/1 runs of a minute whose true attainment is
// 0.99727 printed "1 ± 0" in 34 of 40 sweeps of five replications, and an
// interval past 1 (0.9994 ± 0.00076) when a run missed.
func TestProportionCI(t *testing.T) {
	ones := []float64{1, 1, 1, 1, 1}
	all := []float64{120, 120, 120, 120, 120}
	iv := pointIntervalOf("slo_attainment", all, all, ones)
	// Every run met it: the Wilson interval of 600 requests, [600/(600+z^2), 1].
	z := 1.959964
	if want := 600 / (600 + z*z); iv.Mean != 1 || math.Abs(iv.Low()-want) > 1e-6 || iv.High() != 1 {
		t.Errorf("every run at 1: %v [%v, %v], want 1 [%v, 1]", iv.Mean, iv.Low(), iv.High(), want)
	}
	if cellInterval(iv) != "1 [0.9936, 1]" {
		t.Errorf("cell %q", cellInterval(iv))
	}
	// Two runs missed a few: RatioCI's 0.995 ± 0.00925 passed 1; this one
	// ends at or below 1, holds the pooled ratio, and is at least as wide
	// below it as the delta method's (the runs vary more than binomially).
	nums := []float64{120, 119, 120, 118, 120}
	iv = pointIntervalOf("slo_attainment", nums, all, []float64{1, 119.0 / 120, 1, 118.0 / 120, 1})
	delta := RatioCI(nums, all, divide(nums, all), 0.95)
	if !(iv.High() <= 1 && iv.Low() < iv.Mean && iv.Mean < iv.High()) || math.Abs(iv.Mean-0.995) > 1e-12 {
		t.Errorf("a few misses: %v [%v, %v], want inside [0, 1] around 0.995", iv.Mean, iv.Low(), iv.High())
	}
	if delta.High() <= 1 || iv.Mean-iv.Low() < 0.9*delta.HalfWidth {
		t.Errorf("a few misses: delta %v ± %v, Wilson [%v, %v]", delta.Mean, delta.HalfWidth, iv.Low(), iv.High())
	}
	// Runs spread far more than binomially: the widened interval, on many
	// effective requests, is close to the delta method's.
	nums, dens := []float64{800, 900, 850, 950}, []float64{1000, 1000, 1000, 1000}
	iv, delta = pointIntervalOf("slo_attainment", nums, dens, nil), RatioCI(nums, dens, divide(nums, dens), 0.95)
	if math.Abs(iv.High()-iv.Low()-2*delta.HalfWidth) > 0.1*delta.HalfWidth {
		t.Errorf("spread runs: [%v, %v], delta ±%v", iv.Low(), iv.High(), delta.HalfWidth)
	}
	// A ratio that is no proportion keeps the delta method's interval.
	if iv := pointIntervalOf("gross_margin", nums, dens, nil); iv.Bounded || iv.HalfWidth != delta.HalfWidth {
		t.Errorf("gross margin %+v, want the delta method's", iv)
	}
}

// TestProportionCIContinuous: the interval moves continuously with the
// runs. It switched from the pooled count's normal interval to the
// effective count's t interval where the runs' variance crossed the
// binomial, so one run's attainment moving by 1e-5 around 0.99 widened
// the interval of two runs of 1,000 requests from [0.9846, 0.9935] to
// [0.9075, 0.9990], and of three from 0.0072 wide to 0.0168. Each case
// moves one run up and one down by d requests, across the old switch (d
// near 2.225 for two runs, 3.15 for three) in steps of 1e-4 requests.
func TestProportionCIContinuous(t *testing.T) {
	const z = 1.959964
	for _, c := range []struct {
		runs     int
		from, to float64
	}{{2, 0, 0.2}, {2, 2, 2.5}, {3, 3, 3.3}, {5, 0, 0.2}} {
		var prevLo, prevHi float64
		for i := 0; c.from+float64(i)*1e-4 <= c.to; i++ {
			d := c.from + float64(i)*1e-4
			nums, dens := make([]float64, c.runs), make([]float64, c.runs)
			for r := range nums {
				nums[r], dens[r] = 990, 1000
			}
			nums[0], nums[c.runs-1] = 990-d, 990+d
			iv := ProportionCI(nums, dens, divide(nums, dens), 0.95)
			pooled := 1000 * float64(c.runs)
			// With no spread, the Wilson interval of the pooled requests.
			if lo, hi := wilsonOf(0.99, pooled, z); d == 0 && (math.Abs(iv.Low()-lo) > 1e-6 || math.Abs(iv.High()-hi) > 1e-6) {
				t.Errorf("%d runs at 0.99: [%v, %v], want [%v, %v]", c.runs, iv.Low(), iv.High(), lo, hi)
			}
			// A step of 1e-4 requests in two runs moves an end by far less
			// than 1e-4 (the jump was 0.077 for two runs).
			if i > 0 && (math.Abs(iv.Low()-prevLo) > 1e-4 || math.Abs(iv.High()-prevHi) > 1e-4) {
				t.Fatalf("%d runs, d %.4f: [%.6f, %.6f] after [%.6f, %.6f]", c.runs, d, iv.Low(), iv.High(), prevLo, prevHi)
			}
			// Never narrower than the pooled requests' interval.
			if lo, hi := wilsonOf(iv.Mean, pooled, z); iv.Low() > lo+1e-9 || iv.High() < hi-1e-9 {
				t.Fatalf("%d runs, d %.4f: [%v, %v] inside the pooled count's [%v, %v]", c.runs, d, iv.Low(), iv.High(), lo, hi)
			}
			prevLo, prevHi = iv.Low(), iv.High()
		}
	}
}

// wilsonOf is the Wilson score interval of p over n trials at quantile z
// (Wilson 1927), written out again so as not to test the code with itself.
func wilsonOf(p, n, z float64) (lo, hi float64) {
	a := 1 + z*z/n
	c := p + z*z/(2*n)
	h := z * math.Sqrt(p*(1-p)/n+z*z/(4*n*n))
	return (c - h) / a, (c + h) / a
}

// pointIntervalOf is KPI name's interval over runs with these parts (and
// ratios xs, nums/dens when nil).
func pointIntervalOf(name string, nums, dens, xs []float64) Interval {
	var reps [][]float64
	var parts [][][2]float64
	for i := range nums {
		x := nums[i] / dens[i]
		if xs != nil {
			x = xs[i]
		}
		reps, parts = append(reps, []float64{x}), append(parts, [][2]float64{{nums[i], dens[i]}})
	}
	return pointInterval(name, reps, parts, 0)
}

func divide(nums, dens []float64) []float64 {
	out := make([]float64, len(nums))
	for i := range nums {
		out[i] = nums[i] / dens[i]
	}
	return out
}

// TestAveragedRatiosNotCalledPooled: a ratio KPI some run gives without its
// totals (prefix_cache_hit_rate in a model:NAME scope, which reports no
// token split) is averaged, and the report called it pooled (a Wilson
// proportion, the CSV's _pooled) while printing the runs' mean ± 0.
func TestAveragedRatiosNotCalledPooled(t *testing.T) {
	hit := KPIRef{Name: "prefix_cache_hit_rate", Scope: "model:small"}
	slo := KPIRef{Name: "slo_attainment", Scope: "chat"}
	kpis := []KPIRef{hit, slo}
	values := [][][]float64{{{0, 0.99}, {0, 0.98}}}
	run := map[KPIRef]float64{{Name: "requests_completed", Scope: "chat"}: 99, {Name: "requests_dropped", Scope: "chat"}: 1, {Name: "requests_timed_out", Scope: "chat"}: 0}
	parts := ratiosOf(kpis, values, map[[2]int]map[KPIRef]float64{{0, 0}: run, {0, 1}: run})
	s := &Summary{KPIs: kpis, ratioAveraged: averagedRatios(kpis, values, parts)}
	if s.pooled(0) || !s.pooled(1) {
		t.Errorf("pooled: %v for %s (no totals), %v for %s; want false, true", s.pooled(0), hit, s.pooled(1), slo)
	}
	if got := s.AveragedRatios(); len(got) != 1 || got[0] != hit.String() {
		t.Errorf("AveragedRatios %v, want [%s]", got, hit)
	}
}

// TestRatioInputsCoverRatioParts: every KPI a ratio's parts read is kept
// for each run (ratioInputs); one missing left the ratio averaged, and the
// sweep said "some runs do not give the totals" of runs that gave them
// (ad_fill_rate's ad_auctions, review230 F15).
func TestRatioInputsCoverRatioParts(t *testing.T) {
	for name, parts := range ratioParts {
		for _, have := range []float64{1, math.NaN()} {
			for _, v := range []float64{0.5, math.NaN()} {
				get := func(kpi, _ string) float64 {
					if !slices.Contains(ratioInputs, kpi) {
						t.Errorf("%s reads %s, which ratioInputs lacks", name, kpi)
					}
					return have
				}
				parts(get, "", v)
				parts(get, "chat", v)
			}
		}
	}
}

// TestPooledIntervalCountsRuns: PooledInterval's N counts the runs a
// pooled ratio rests on, as Summarize's does, which PartialMark reads: a
// run that stored none of the ratio's parts is left out; a run whose
// scope set no SLO adds nothing to attainment but is not left out (the
// CLI does not mark it).
func TestPooledIntervalCountsRuns(t *testing.T) {
	run := func(kpis map[string]float64) func(string, string) float64 {
		return func(name, _ string) float64 {
			if v, ok := kpis[name]; ok {
				return v
			}
			return math.NaN()
		}
	}
	full := run(map[string]float64{"gross_margin": 0.8, "revenue_usd": 100, "cost_instances_usd": 15, "cost_licensing_usd": 5,
		"slo_attainment": 0.9, "slo_requests": 10})
	for _, tc := range []struct {
		name, kpi string
		other     func(string, string) float64
		want      int
	}{
		{"parts not stored", "gross_margin", run(nil), 1},
		{"no SLO in the run", "slo_attainment", run(map[string]float64{"slo_attainment": math.NaN(), "slo_requests": 0}), 2},
		{"both defined", "gross_margin", full, 2},
	} {
		iv, ok := PooledInterval(tc.kpi, "", []func(string, string) float64{full, tc.other})
		if !ok || iv.N != tc.want {
			t.Errorf("%s: N %d (%v), want %d", tc.name, iv.N, ok, tc.want)
		}
	}
}
