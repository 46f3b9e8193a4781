package sim

import (
	"fmt"
	"math"
	"testing"
)

// overloadedAPI is one workload of fixed lengths (500 prompt tokens, 100
// output tokens at $1 and $2 per Mtok: $0.0007 a request at the list
// price) sent to a replica far too small for it, whose queue is bounded by
// queue.
func overloadedAPI(class, price, queue string) string {
	return fmt.Sprintf(`name: overloaded
horizon: 2m
model: llama-3.1-8b
fleet:
  instance: p5.48xlarge
  count: 1
  replica: {tp: 8, scheduler: vllm, max_num_seqs: 4, %s}
workloads:
  - name: chat
    class: %s
    arrivals: {process: poisson, rate: 200/s}
    prompt_tokens: 500
    output_tokens: 100
    price: {input_per_mtok: 1, output_per_mtok: 2%s}
`, queue, class, price)
}

// An API or batch request dropped by a full queue or timed out would have
// been served in the world without contention (alone on an idle replica
// there is no queue), so the revenue it would have billed is lost to
// queueing, on the tokens line, as revenue and as margin; a token price
// does not move with latency, so nothing is lost to service time. With
// fixed lengths each such request is worth the same, and what the run
// earned, lost and left unfinished at the horizon adds up to its ceiling.
func TestLostRevenueCountsDroppedRequests(t *testing.T) {
	tests := []struct {
		name, class, price, queue string
		perRequest                float64
	}{
		{"api, queue timeout", "api", "", "queue_timeout: 2s", 0.0007},
		{"api, full queue", "api", "", "queue_limit: 8", 0.0007},
		{"batch at half price, queue timeout", "batch", ", batch_discount: 0.5", "queue_timeout: 2s", 0.00035},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := run(t, scenario(t, overloadedAPI(tt.class, tt.price, tt.queue)))
			for _, scope := range []string{"chat", ""} {
				failed := kpi(t, res, "requests_dropped", scope) + kpi(t, res, "requests_timed_out", scope)
				if failed == 0 {
					t.Fatalf("scope %q: no request dropped or timed out: the test shows nothing", scope)
				}
				want := failed * tt.perRequest
				for _, name := range []string{"revenue_lost_to_queueing_api_usd", "revenue_lost_to_queueing_usd",
					"margin_lost_to_queueing_api_usd", "margin_lost_to_queueing_usd", "revenue_lost_to_latency_usd"} {
					if got := kpi(t, res, name, scope); math.Abs(got-want) > 1e-9*want {
						t.Errorf("scope %q: %s = %v, want %v requests dropped or timed out x $%v = %v", scope, name, got, failed, tt.perRequest, want)
					}
				}
				if got := kpi(t, res, "revenue_lost_to_service_time_usd", scope); got != 0 {
					t.Errorf("scope %q: revenue lost to service time %v, want 0", scope, got)
				}
				checkLostKPIs(t, res, scope)
				unfinished := kpi(t, res, "requests_unfinished", scope) * tt.perRequest
				if got := kpi(t, res, "revenue_unfinished_usd", scope); math.Abs(got-unfinished) > 1e-9*unfinished {
					t.Errorf("scope %q: revenue_unfinished_usd %v, want %v requests unfinished x $%v = %v", scope, got,
						kpi(t, res, "requests_unfinished", scope), tt.perRequest, unfinished)
				}
				sum := kpi(t, res, "revenue_usd", scope) + want + unfinished
				if ceiling := kpi(t, res, "revenue_ceiling_usd", scope); math.Abs(sum-ceiling) > 1e-9*ceiling {
					t.Errorf("scope %q: earned, lost and unfinished add up to %v, ceiling %v", scope, sum, ceiling)
				}
			}
		})
	}
}
