package sim

import (
	"math"
	"slices"
	"strings"
	"testing"

	kpicat "aiecon/model/kpi"
	"aiecon/model/stats"
)

// mixFleet is a 70B on one p5 (one replica of TP 8) beside an 8B pool on
// another (eight replicas of TP 1), with two api workloads; the routing
// line is the test's.
const mixFleet = `
name: mix
horizon: 10m
model: llama-3.3-70b
fleet: {instance: p5.48xlarge, replica: {tp: 8, max_num_seqs: 64}}
pools:
  - name: small
    model: llama-3.1-8b
    fleet: {instance: p5.48xlarge, replica: {tp: 1, max_num_seqs: 64}}
ROUTING
workloads:
  - {name: chat, class: api, arrivals: {rate: 6/s}, prompt_tokens: {dist: lognormal, median: 500, p99: 4000, max: 8000},
     output_tokens: {dist: lognormal, median: 100, p99: 500, max: 1000}, price: {input_per_mtok: 0.72, output_per_mtok: 0.72}}
  - {name: code, class: api, arrivals: {rate: 2/s}, prompt_tokens: {dist: lognormal, median: 2000, p99: 8000, max: 12000},
     output_tokens: {dist: lognormal, median: 100, p99: 500, max: 1000}, price: {input_per_mtok: 0.72, output_per_mtok: 0.72}}
`

func mixScenario(routing string) string { return strings.Replace(mixFleet, "ROUTING", routing, 1) }

// smallReplica reports whether a request record was served by the 8B pool
// (its replicas are the TP-1 ones).
func smallReplica(sink *MemorySink, rec RequestRecord) bool {
	return rec.Replica >= 0 && sink.Meta.Replicas[rec.Replica].TP == 1
}

// The model router sends the configured share: by workload exactly, by
// prompt length request by request, and small-first with escalations in
// the binomial range of the configured probability.
func TestModelRouterSendsConfiguredShare(t *testing.T) {
	small, large := kpicat.ModelScope("small"), kpicat.ModelScope("llama-3.3-70b")
	tests := []struct {
		name, routing string
		check         func(t *testing.T, res *Result, sink *MemorySink)
	}{
		{"workload", "routing: {rule: workload, workloads: {code: small}}", func(t *testing.T, res *Result, sink *MemorySink) {
			// Every code request arrives at the 8B, every chat request at the 70B.
			if got, want := kpi(t, res, kpicat.RequestsArrived, small), kpi(t, res, kpicat.RequestsArrived, "code"); got != want || want == 0 {
				t.Errorf("8B calls %v, code arrivals %v", got, want)
			}
			if got, want := kpi(t, res, kpicat.RequestsArrived, large), kpi(t, res, kpicat.RequestsArrived, "chat"); got != want || want == 0 {
				t.Errorf("70B calls %v, chat arrivals %v", got, want)
			}
			for _, rec := range sink.Reqs {
				if rec.Replica >= 0 && smallReplica(sink, rec) != (rec.Workload == 1) {
					t.Fatalf("request %d of workload %d served by replica %d", rec.ID, rec.Workload, rec.Replica)
				}
			}
		}},
		{"prompt-length", "routing: {rule: prompt-length, threshold: 1000, small: small, large: llama-3.3-70b}", func(t *testing.T, res *Result, sink *MemorySink) {
			// Prompts (never clamped here: both pools hold 12000 + 1000)
			// of at most 1000 tokens go to the 8B, longer ones to the 70B.
			var short, long int
			for _, rec := range sink.Reqs {
				if rec.Replica < 0 {
					continue
				}
				if smallReplica(sink, rec) != (rec.PromptTokens <= 1000) {
					t.Fatalf("request %d with a %d-token prompt served by replica %d (tp %d)", rec.ID, rec.PromptTokens, rec.Replica, sink.Meta.Replicas[rec.Replica].TP)
				}
				if rec.PromptTokens <= 1000 {
					short++
				} else {
					long++
				}
			}
			if short == 0 || long == 0 {
				t.Fatalf("%d short and %d long prompts: the threshold splits nothing", short, long)
			}
		}},
		{"small-first", "routing: {rule: small-first, small: small, large: llama-3.3-70b, escalation: 0.3}", func(t *testing.T, res *Result, sink *MemorySink) {
			// Each answer of the 8B is escalated with probability 0.3: over
			// n answers the count is binomial(n, 0.3); accept 4 standard
			// deviations (a false failure about once in 16,000 seeds).
			n := kpi(t, res, kpicat.RequestsCompleted, small)
			esc := kpi(t, res, kpicat.Escalations, small)
			if sd := math.Sqrt(n * 0.3 * 0.7); n < 1000 || math.Abs(esc-0.3*n) > 4*sd {
				t.Errorf("%v of %v 8B answers escalated, want 0.3 x %v +- %.0f", esc, n, n, 4*sd)
			}
			// Every request reaches the 8B first; the 70B sees only escalations.
			if a, b := kpi(t, res, kpicat.RequestsArrived, small), kpi(t, res, kpicat.RequestsArrived, ""); a != b {
				t.Errorf("8B calls %v, requests %v", a, b)
			}
			if a := kpi(t, res, kpicat.RequestsArrived, large); a != esc {
				t.Errorf("70B calls %v, escalations %v", a, esc)
			}
			// The answered shares split the completed requests.
			done := kpi(t, res, kpicat.RequestsCompleted, "")
			for _, s := range []string{small, large} {
				answered := kpi(t, res, kpicat.RequestsCompleted, s) - kpi(t, res, kpicat.Escalations, s)
				if share := kpi(t, res, kpicat.AnsweredShare, s); math.Abs(share-answered/done) > 1e-12 {
					t.Errorf("%s answered share %v, want %v / %v", s, share, answered, done)
				}
			}
			// An escalated request's latency spans both calls: the run's
			// TTFT tail is longer than either model's own.
			if kpi(t, res, kpicat.TTFTP99S, "") <= kpi(t, res, kpicat.TTFTP99S, large) {
				t.Errorf("run TTFT p99 %v not above the 70B calls' %v", kpi(t, res, kpicat.TTFTP99S, ""), kpi(t, res, kpicat.TTFTP99S, large))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, sink := run(t, scenario(t, mixScenario(tt.routing)))
			tt.check(t, res, sink)
		})
	}
}

// Each model's instance cost is its instances x its price x the horizon,
// and the models' costs add up to the fleet's.
func TestModelCostsSumToFleetCost(t *testing.T) {
	sc := scenario(t, strings.Replace(mixScenario("routing: {rule: workload, workloads: {code: small}}"),
		"fleet: {instance: p5.48xlarge, replica: {tp: 1", "fleet: {instance: p5.48xlarge, count: 2, pricing: spot, spot: {discount: 0.6, interruptions_per_hour: 0}, replica: {tp: 1", 1))
	res, _ := run(t, sc)
	hours := sc.Horizon.Seconds() / 3600
	var sum float64
	for _, p := range sc.ServingPools() {
		s := kpicat.ModelScope(p.Name)
		price := kpi(t, res, kpicat.PricePerInstanceHourUSD, s)
		cost := kpi(t, res, kpicat.CostInstancesUSD, s)
		if want := float64(p.Fleet.Count) * price * hours; math.Abs(cost-want) > 1e-9*want {
			t.Errorf("%s: cost %v, want %d x %v/h x %v h = %v", p.Name, cost, p.Fleet.Count, price, hours, want)
		}
		sum += cost
	}
	if fleet := kpi(t, res, kpicat.CostInstancesUSD, ""); math.Abs(sum-fleet) > 1e-9*fleet {
		t.Errorf("models' costs add to %v, fleet cost %v", sum, fleet)
	}
	// The spot pool pays 40% of on-demand: the two prices differ, and the
	// run's price per instance-hour is their paid-hour mean.
	big, spot := kpi(t, res, kpicat.PricePerInstanceHourUSD, kpicat.ModelScope("llama-3.3-70b")), kpi(t, res, kpicat.PricePerInstanceHourUSD, kpicat.ModelScope("small"))
	if math.Abs(spot-0.4*big) > 1e-9*big {
		t.Errorf("spot price %v, want 0.4 x %v", spot, big)
	}
	if got, want := kpi(t, res, kpicat.PricePerInstanceHourUSD, ""), (big+2*spot)/3; math.Abs(got-want) > 1e-9*want {
		t.Errorf("run price per instance-hour %v, want %v", got, want)
	}
}

// Each pool scales on its own demand: the 8B pool, taking the chat load on
// one TP-8 replica of 2 slots, grows; the 70B pool, two instances for the
// light code workload, shrinks; neither reads the other's queue.
func TestPoolsAutoscaleOnTheirOwnDemand(t *testing.T) {
	src := strings.Replace(mixScenario("routing: {rule: workload, workloads: {chat: small}}"),
		"fleet: {instance: p5.48xlarge, replica: {tp: 1, max_num_seqs: 64}}",
		"fleet: {instance: p5.48xlarge, replica: {tp: 8, max_num_seqs: 2}, autoscale: {max: 3, interval: 30s, provision_delay: 1m, cooldown: 1m}}", 1)
	src = strings.Replace(src, "fleet: {instance: p5.48xlarge, replica: {tp: 8, max_num_seqs: 64}}",
		"fleet: {instance: p5.48xlarge, count: 2, replica: {tp: 8, max_num_seqs: 64}, autoscale: {interval: 30s, cooldown: 1m}}", 1)
	res, _ := run(t, scenario(t, src))
	small, large := kpicat.ModelScope("small"), kpicat.ModelScope("llama-3.3-70b")
	if up := kpi(t, res, kpicat.ScaleUps, small); up == 0 || kpi(t, res, kpicat.InstancesAvg, small) <= 1 {
		t.Errorf("8B pool: %v scale-ups, %v instances on average; want it to grow", up, kpi(t, res, kpicat.InstancesAvg, small))
	}
	if up, down := kpi(t, res, kpicat.ScaleUps, large), kpi(t, res, kpicat.ScaleDowns, large); up != 0 || down == 0 {
		t.Errorf("lightly loaded 70B pool: %v scale-ups, %v scale-downs; want it to shrink only", up, down)
	}
	if sum := kpi(t, res, kpicat.ScaleUps, small) + kpi(t, res, kpicat.ScaleUps, large); sum != kpi(t, res, kpicat.ScaleUps, "") {
		t.Errorf("run scale-ups %v, models' %v", kpi(t, res, kpicat.ScaleUps, ""), sum)
	}
}

// TestEscalationRefitsTheCallAsItCame: a request cut to the small model's
// window is sent to the large model as it came, fitted to the large
// model's window, and counted truncated once for its workload.
func TestEscalationRefitsTheCallAsItCame(t *testing.T) {
	src := `
name: refit
horizon: 10m
drain: true
model: llama-3.3-70b
fleet: {instance: p5.48xlarge, replica: {tp: 8, max_num_seqs: 8, max_model_len: 16384}}
pools:
  - name: small
    model: llama-3.1-8b
    fleet: {instance: p5.48xlarge, replica: {tp: 1, max_num_seqs: 8, max_model_len: 4096}}
routing: {rule: small-first, small: small, large: llama-3.3-70b, escalation: 0.999}
workloads:
  - {name: long, class: api, arrivals: {process: burst, count: 1}, prompt_tokens: 1000, output_tokens: 6000}
`
	res, sink := run(t, scenario(t, src))
	r := sink.Reqs[0]
	if r.Status != StatusCompleted || smallReplica(sink, r) || r.PromptTokens != 1000 || r.OutputTokens != 6000 {
		t.Fatalf("escalated request: %s on replica %d with %d + %d tokens, want completed on the 70B with 1000 + 6000",
			r.Status, r.Replica, r.PromptTokens, r.OutputTokens)
	}
	if got := kpi(t, res, "requests_truncated", ""); got != 1 {
		t.Errorf("requests_truncated %v, want 1 (the small model's cut)", got)
	}
}

// Each pool's lengths are the 99th percentiles of the prompts and of the
// prompts plus outputs of the calls it completed: those of its own
// workload under workload routing, as the request records give them.
func TestPoolLengths(t *testing.T) {
	sc := scenario(t, mixScenario("routing: {rule: workload, workloads: {code: small}}"))
	res, sink := run(t, sc)
	if len(res.Lengths) != 2 || res.Lengths[0].Pool != "llama-3.3-70b" || res.Lengths[1].Pool != "small" {
		t.Fatalf("lengths %+v, want the 70B pool then small", res.Lengths)
	}
	for i, l := range res.Lengths {
		// Every call routed to the pool counts, completed or not.
		var prompts, contexts []float64
		for _, rec := range sink.Reqs {
			if (sc.Workloads[rec.Workload].Name == "code") == (i == 1) { // workload routing: code to small
				prompts = append(prompts, float64(rec.PromptTokens))
				contexts = append(contexts, float64(rec.PromptTokens+rec.OutputTokens))
			}
		}
		// The histogram answers with the upper edge of the nearest rank's
		// bucket: at most 1/64 past it.
		near := func(v float64, xs []float64) bool {
			slices.Sort(xs)
			want := xs[int(math.Ceil(0.99*float64(len(xs))))-1]
			return v >= want && v <= want*(1+1.0/64)
		}
		if l.Calls != len(prompts) || l.Calls < 1000 || !near(l.PromptP99, prompts) || !near(l.ContextP99, contexts) {
			t.Errorf("%s: %d calls, prompt p99 %v, context p99 %v; records say %d, %v, %v", l.Pool, l.Calls, l.PromptP99, l.ContextP99,
				len(prompts), stats.Quantile(prompts, 0.99), stats.Quantile(contexts, 0.99))
		}
	}
	// The code workload's prompts (p99 8,000) are the longer.
	if res.Lengths[1].PromptP99 < 5000 || res.Lengths[0].PromptP99 > 5000 {
		t.Errorf("small pool prompt p99 %v, main %v: want code's longer prompts on small", res.Lengths[1].PromptP99, res.Lengths[0].PromptP99)
	}
}

// TestPoolLengthsCountUnservedCalls: a pool's lengths count every call
// routed to it, the dropped, timed-out and unfinished ones too: the
// longest prompts are the likeliest not to be served, and counting only
// completed calls hid them from the extrapolation warning.
func TestPoolLengthsCountUnservedCalls(t *testing.T) {
	sc := scenario(t, mixScenario("routing: {rule: workload, workloads: {code: small}}"))
	for i := range sc.Workloads {
		sc.Workloads[i].Arrivals.Rate *= 30 // far past what the fleet serves
	}
	res, sink := run(t, sc)
	routed, unserved := make([]int, 2), 0
	for _, rec := range sink.Reqs {
		if sc.Workloads[rec.Workload].Name == "code" {
			routed[1]++
		} else {
			routed[0]++
		}
		if rec.Status != StatusCompleted {
			unserved++
		}
	}
	if unserved == 0 {
		t.Fatal("every call was served: the test needs an overloaded fleet")
	}
	for i, l := range res.Lengths {
		if l.Calls != routed[i] {
			t.Errorf("%s counts %d calls, want the %d routed to it (%d calls in all not served)", l.Pool, l.Calls, routed[i], unserved)
		}
	}
}

// agentMix is mixFleet's two pools under small-first with two agent
// workloads, help's rate left to the test.
const agentMix = `
name: agentmix
horizon: 2m
model: llama-3.3-70b
fleet: {instance: p5.48xlarge, replica: {tp: 8, max_num_seqs: 64}}
pools:
  - name: small
    model: llama-3.1-8b
    fleet: {instance: p5.48xlarge, replica: {tp: 1, max_num_seqs: 64}}
routing: {rule: small-first, small: small, large: llama-3.3-70b, escalation: 0.3}
workloads:
  - {name: shop, class: agent, arrivals: {rate: 1/s}, prompt_tokens: 40, output_tokens: 50,
     price: {input_per_mtok: 0.72, output_per_mtok: 0.72}, agent: {steps: 3, tool_latency: 100ms, tool_result_tokens: 100}}
  - {name: help, class: agent, arrivals: {rate: RATE}, prompt_tokens: 40, output_tokens: 50,
     price: {input_per_mtok: 0.72, output_per_mtok: 0.72}, agent: {steps: 3, tool_latency: 100ms, tool_result_tokens: 100}}
`

// TestEscalationDrawsAreEachWorkloadsOwn: under small-first, which calls of
// a workload are escalated depends on its own arrivals only. Changing the
// other workload's rate leaves every escalation of the first as it was
// (common random numbers), for api calls (drawn as they arrive, not as the
// small model answers, when the order of completions across workloads
// would pick the draw) and for agent calls (drawn with their session's
// plan, from the workload's own stream).
func TestEscalationDrawsAreEachWorkloadsOwn(t *testing.T) {
	api := mixScenario("routing: {rule: small-first, small: small, large: llama-3.3-70b, escalation: 0.3}")
	api = strings.Replace(api, "horizon: 10m", "horizon: 2m", 1)
	api = strings.Replace(api, "arrivals: {rate: 2/s}", "arrivals: {rate: RATE}", 1) // code's
	tests := []struct{ name, src, rate, other string }{
		{"api", api, "2/s", "3/s"},
		{"agent", agentMix, "1/s", "2/s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := firstWorkloadEscalations(t, strings.Replace(tc.src, "RATE", tc.rate, 1))
			b := firstWorkloadEscalations(t, strings.Replace(tc.src, "RATE", tc.other, 1))
			var both, escalated, differ int
			for k, ea := range a {
				if eb, ok := b[k]; ok {
					both++
					if ea {
						escalated++
					}
					if ea != eb {
						differ++
					}
				}
			}
			if both < 50 || escalated == 0 {
				t.Fatalf("%d calls of the first workload completed in both runs, %d escalated: want at least 50, some escalated", both, escalated)
			}
			if differ > 0 {
				t.Errorf("changing the other workload's rate changed the escalation of %d of the first workload's %d calls", differ, both)
			}
		})
	}
}

// firstWorkloadEscalations runs src and reports, for each completed call of
// its first workload, whether it was escalated (it ended on the 70B), keyed
// by the call's arrival, or for an agent call by its session's start and
// its step: what the workload's own streams fix, whatever the other's load.
func firstWorkloadEscalations(t *testing.T, src string) map[[2]int64]bool {
	t.Helper()
	_, sink := run(t, scenario(t, src))
	start := map[int64]int64{}
	for _, s := range sink.Sess {
		start[s.ID] = s.StartNs
	}
	out := map[[2]int64]bool{}
	for _, r := range sink.Reqs {
		if r.Workload != 0 || r.Status != StatusCompleted {
			continue
		}
		k := [2]int64{r.ArrivalNs, 0}
		if r.Session >= 0 {
			k = [2]int64{start[r.Session], int64(r.Step)}
		}
		out[k] = !smallReplica(sink, r)
	}
	return out
}
