package sim

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"aiecon/model"
)

// lostCause names the KPIs of one cause of lost revenue.
var lostCausesForTest = []struct{ cause, revenue, margin string }{
	{"queueing", "revenue_lost_to_queueing", "margin_lost_to_queueing"},
	{"service time", "revenue_lost_to_service_time", "margin_lost_to_service_time"},
}

var lostLinesForTest = []string{"api", "ads", "commerce", "agent_fees"}

// builtinScenario loads a built-in scenario with its horizon shortened and
// the fleet resized, for tests.
func builtinScenario(t *testing.T, name string, horizon model.Duration, instances int) *model.Scenario {
	t.Helper()
	src, err := model.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	sc, _, err := model.Load(name+".yaml", src, Catalog())
	if err != nil {
		t.Fatal(err)
	}
	sc.Horizon, sc.Fleet.Count = horizon, instances
	return sc
}

// Loss to queueing (actual against the same hardware without contention)
// and to service time (that against an instantaneous model) are never
// negative, by revenue line and in total, as revenue and as margin, and
// they add up to the revenue lost to latency. Each session's no-contention
// value is at least what it earned, and their differences sum to the loss
// to queueing. A small fleet whose sessions abandon loses something to
// queueing.
func TestLostRevenueIsNonNegative(t *testing.T) {
	loaded := func(on string) func(t *testing.T) *model.Scenario {
		return func(t *testing.T) *model.Scenario {
			sc := scenario(t, agentsAds)
			sc.Workloads[1].Arrivals.Rate = 40 // load the fleet so latency costs something
			sc.Workloads[1].Agent.PatienceOn = on
			return sc
		}
	}
	tests := []struct {
		name string
		sc   func(t *testing.T) *model.Scenario
	}{
		{"ads-latency on 2 instances", func(t *testing.T) *model.Scenario {
			return builtinScenario(t, "ads-latency", 10*model.Minute, 2)
		}},
		{"ads-latency on 6 instances", func(t *testing.T) *model.Scenario {
			return builtinScenario(t, "ads-latency", 10*model.Minute, 6)
		}},
		{"loaded, patience on ttft", loaded(model.PatienceTTFT)},
		{"loaded, patience on e2e", loaded(model.PatienceE2E)},
		{"loaded, patience on turn", loaded(model.PatienceTurn)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := tt.sc(t)
			res, sink := run(t, sc)
			var lost float64
			for _, s := range sink.Sess {
				if s.Status == SessionUnfinished {
					continue
				}
				earned := s.FeeUSD + s.TokenUSD + s.CommerceUSD + s.AdUSD
				if s.CounterfactUSD < earned-1e-12 {
					t.Fatalf("session %d (%v): no-contention value %v below actual %v", s.ID, s.Status, s.CounterfactUSD, earned)
				}
				lost += s.CounterfactUSD - earned
			}
			if got := kpi(t, res, "revenue_lost_to_queueing_usd", ""); math.Abs(got-lost) > 1e-9*math.Max(1, lost) {
				t.Errorf("revenue lost to queueing %v, sessions sum to %v", got, lost)
			}
			scopes := []string{""}
			for _, w := range sc.AgentWorkloads() {
				scopes = append(scopes, sc.Workloads[w].Name)
			}
			for _, scope := range scopes {
				checkLostKPIs(t, res, scope)
			}
			if kpi(t, res, "sessions_abandoned", "") == 0 || lost <= 0 {
				t.Fatalf("sessions abandoned %v, lost to queueing $%v: a loaded fleet with impatient users should lose revenue to queueing",
					kpi(t, res, "sessions_abandoned", ""), lost)
			}
			t.Logf("abandon rate %.3f; lost to queueing $%.2f, to service time $%.2f", kpi(t, res, "session_abandon_rate", ""),
				lost, kpi(t, res, "revenue_lost_to_service_time_usd", ""))
		})
	}
}

// checkLostKPIs checks one scope's lost-revenue KPIs: non-negative lines,
// lines that add up, margin within revenue, causes that add up.
func checkLostKPIs(t *testing.T, res *Result, scope string) {
	t.Helper()
	var both float64
	for _, c := range lostCausesForTest {
		var rev, margin float64
		for _, line := range lostLinesForTest {
			r := kpi(t, res, c.revenue+"_"+line+"_usd", scope)
			m := kpi(t, res, c.margin+"_"+line+"_usd", scope)
			if r < -1e-9 || m < -1e-9 || m > r+1e-9 {
				t.Errorf("scope %q: lost to %s, %s: revenue %v, margin %v", scope, c.cause, line, r, m)
			}
			rev += r
			margin += m
		}
		total := kpi(t, res, c.revenue+"_usd", scope)
		if total < 0 || math.Abs(total-rev) > 1e-9*math.Max(1, rev) {
			t.Errorf("scope %q: revenue lost to %s %v, its lines sum to %v", scope, c.cause, total, rev)
		}
		if m := kpi(t, res, c.margin+"_usd", scope); m > margin+1e-9 {
			t.Errorf("scope %q: margin lost to %s %v above its lines' %v", scope, c.cause, m, margin)
		}
		both += total
	}
	if got := kpi(t, res, "revenue_lost_to_latency_usd", scope); math.Abs(got-both) > 1e-9*math.Max(1, both) {
		t.Errorf("scope %q: revenue lost to latency %v, queueing plus service time %v", scope, got, both)
	}
}

// Where latency cannot cost anything, nothing is lost to it, exactly:
// users who wait for ever and no latency penalty (so neither a faster nor
// an instantaneous model would earn more), or one session at a time (no
// contention: loss to queueing is zero, whatever the patience).
func TestLostRevenueZeroWhenLatencyCannotMatter(t *testing.T) {
	patient := strings.NewReplacer("patience: {dist: lognormal, median: 2s, p99: 15s}", "patience: 1000h",
		"ads: {", "ads: {latency_penalty: {threshold: 1000h}, ").Replace(agentsAds)
	alone := oneUser + `    prompt_tokens: {dist: lognormal, median: 60, p99: 300}
    output_tokens: {dist: lognormal, median: 300, p99: 1500}
    price: {input_per_mtok: 0.22, output_per_mtok: 0.22}
    agent:
      steps: {dist: poisson, mean: 3}
      patience: {dist: lognormal, median: 2s, p99: 15s}
      value: {fee: 0.002, conversion: 0.08, order_value: 45, take_rate: 0.15}
ads: {intent_probability: 0.5, ctr: 0.3, latency_penalty: {threshold: 100ms, loss_per_100ms: 0.1}}
`
	tests := []struct {
		name, src string
		zero      []string // causes that must be zero
		// tol is the share of the run's revenue a zero may miss by. Ads and
		// commerce are valued at their expectations, which move with every
		// nanosecond of latency, and an escalated call's no-contention
		// latency is two alone estimates (noContention) that can come out
		// a few microseconds faster than the actual legs.
		tol float64
	}{
		{"patient users, no latency penalty", patient, []string{"revenue_lost_to_queueing", "revenue_lost_to_service_time"}, 0},
		{"one session at a time", alone, []string{"revenue_lost_to_queueing"}, 0},
		// Every answer escalated from a small model to the main one: the
		// no-contention world priced only the small model's call, so the
		// large one's time read as queueing.
		{"one session at a time, every answer escalated", alone + `pools:
  - {name: small, model: llama-3.2-1b, fleet: {instance: p5.48xlarge, replica: {tp: 1, per_instance: 1, scheduler: vllm}}}
routing: {rule: small-first, small: small, large: llama-3.1-8b, escalation: 1}
`, []string{"revenue_lost_to_queueing"}, 1e-4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, sink := run(t, scenario(t, tt.src))
			if len(sink.Sess) < 50 {
				t.Fatalf("%d sessions: too few to show anything", len(sink.Sess))
			}
			for _, c := range tt.zero {
				for _, line := range append(lostLinesForTest, "") {
					name := c + "_" + line + "_usd"
					if line == "" {
						name = c + "_usd"
					}
					if v := kpi(t, res, name, ""); math.Abs(v) > tt.tol*kpi(t, res, "revenue_usd", "") {
						t.Errorf("%s = %v, want 0 (within %g of revenue)", name, v, tt.tol)
					}
				}
			}
			t.Logf("%d sessions, %v abandoned; lost to service time $%.4f", len(sink.Sess),
				kpi(t, res, "sessions_abandoned", ""), kpi(t, res, "revenue_lost_to_service_time_usd", ""))
		})
	}
}

// Valuing sessions in counterfactual worlds draws nothing: every record
// and KPI of the actual run is the same without it (common random numbers
// stay common).
func TestCounterfactualsKeepTheRunsStreams(t *testing.T) {
	sc := scenario(t, agentsAds)
	sc.Workloads[1].Arrivals.Rate = 20
	runWith := func(skip bool) (*Result, *MemorySink) {
		sink := &MemorySink{}
		w, err := New(Config{Scenario: sc, Sink: sink})
		if err != nil {
			t.Fatal(err)
		}
		w.skipCounterfactuals = skip
		res, err := w.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return res, sink
	}
	res, sink := runWith(false)
	bare, bareSink := runWith(true)
	for i := range sink.Sess {
		sink.Sess[i].CounterfactUSD = 0
	}
	for name, pair := range map[string][2]any{
		"requests": {sink.Reqs, bareSink.Reqs}, "sessions": {sink.Sess, bareSink.Sess},
		"auctions": {sink.Auct, bareSink.Auct}, "windows": {sink.Wins, bareSink.Wins},
	} {
		if a, b := fmt.Sprintf("%+v", pair[0]), fmt.Sprintf("%+v", pair[1]); a != b {
			t.Errorf("%s differ with the counterfactuals valued", name)
		}
	}
	lost := func(name string) bool { return strings.Contains(name, "_lost_to_") }
	for i, k := range res.KPIs {
		if b := bare.KPIs[i]; k.Name != b.Name || !lost(k.Name) && fmt.Sprint(k.Value) != fmt.Sprint(b.Value) {
			t.Errorf("KPI %s (%s) %v, without counterfactuals %s %v", k.Name, k.Scope, k.Value, b.Name, b.Value)
		}
	}
	if len(sink.Sess) == 0 || len(sink.Auct) == 0 {
		t.Fatal("no sessions or auctions: the test shows nothing")
	}
}
