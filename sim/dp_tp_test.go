package sim

import (
	"fmt"
	"testing"
)

// TestDataParallelOnOneInstance runs several replicas of TP k on one
// trn2.48xlarge (64 logical NeuronCores): 2 of TP32 and 8 of TP8 beside 1 of
// TP64. Each replica is its own copy on its own devices (KV cache from its
// devices' memory), the router spreads a burst evenly over them, and the
// instance is paid once.
func TestDataParallelOnOneInstance(t *testing.T) {
	for _, tc := range []struct {
		tp, per int
	}{{64, 1}, {32, 2}, {8, 8}} {
		t.Run(fmt.Sprintf("%dxTP%d", tc.per, tc.tp), func(t *testing.T) {
			src := fmt.Sprintf(`name: dp
horizon: 10m
drain: true
model: llama-3.1-8b
fleet:
  instance: trn2.48xlarge
  pricing: capacity-block
  replica: {tp: %d, per_instance: %d, scheduler: neuron, max_num_seqs: 8, max_model_len: 4096}
workloads:
  - name: b
    class: api
    arrivals: {process: burst, count: 64}
    prompt_tokens: 500
    output_tokens: 100
`, tc.tp, tc.per)
			res, sink := run(t, scenario(t, src))
			if len(res.Replicas) != tc.per || len(res.Meta.Replicas) != tc.per {
				t.Fatalf("%d replicas, want %d", len(res.Replicas), tc.per)
			}
			perReplica := map[int32]int{}
			for _, r := range sink.Reqs {
				perReplica[r.Replica]++
			}
			for _, m := range res.Meta.Replicas {
				if m.Instance != 0 || m.TP != int32(tc.tp) {
					t.Errorf("replica %d on instance %d with TP %d", m.ID, m.Instance, m.TP)
				}
				if perReplica[m.ID] != 64/tc.per {
					t.Errorf("replica %d served %d requests, want %d (least-outstanding spreads a burst evenly)", m.ID, perReplica[m.ID], 64/tc.per)
				}
			}
			if inst := kpi(t, res, "instances_avg", ""); inst < 0.999 || inst > 1.001 {
				t.Errorf("instances_avg %.4f, want 1: replicas share the instance", inst)
			}
		})
	}
}
