package sim

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// gpuReplica is one L4 whose KV cache holds about 21 requests' whole
// prompt plus output; neuronReplica an Inferentia2 chip given about a
// quarter of its free memory for KV, about as many.
const (
	gpuReplica    = "instance: g6.xlarge\n  replica: {tp: 1, max_num_seqs: 64, max_model_len: 4096"
	neuronReplica = "instance: inf2.xlarge\n  replica: {tp: 2, max_num_seqs: 32, max_model_len: 4096, kv_memory_fraction: 0.25"
)

// admissionScenario is a closed loop of 32 clients with fixed lengths on
// replica (one of the above, with its scheduler).
func admissionScenario(replica, scheduler, admission string) string {
	return fmt.Sprintf(`name: admission
horizon: 10m
model: llama-3.1-8b
fleet:
  %s, scheduler: %s, admission: %s}
workloads:
  - name: chat
    class: api
    arrivals: {process: closed, clients: 32, think_time: 0s}
    prompt_tokens: 1000
    output_tokens: 1000
`, replica, scheduler, admission)
}

// maxConcurrent is the largest number of requests in a running batch at
// once, from their admission (StartNs) to their completion (FinishNs); at
// equal times a completion comes first, as a replica admits only after the
// iteration that finished a request. A preempted request counts until it
// completes, so under on-demand admission this is an upper bound; there the
// first wave (every client's prompt fits) runs all clients at once anyway.
func maxConcurrent(sink *MemorySink) int {
	type edge struct {
		at int64
		d  int
	}
	var edges []edge
	for _, r := range sink.Reqs {
		if r.StartNs < 0 {
			continue
		}
		edges = append(edges, edge{r.StartNs, +1})
		if r.Status == StatusCompleted {
			edges = append(edges, edge{r.FinishNs, -1})
		}
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.d, b.d)) })
	n, most := 0, 0
	for _, e := range edges {
		n += e.d
		most = max(most, n)
	}
	return most
}

// TestReserveMaxAdmission: under reserve-max a replica whose KV cache holds
// exactly cap requests' prompt plus output never runs cap+1 at once, reaches
// cap, and never preempts; on-demand admission packs more (and preempts when
// the growing outputs run out of blocks). Leaps and implicit decoders on and
// off give the same bound, and so do the Neuron schedulers.
func TestReserveMaxAdmission(t *testing.T) {
	for _, tc := range []struct {
		replica, scheduler, admission string
		noLeap, noImplicit            bool
	}{
		{gpuReplica, "vllm", "reserve-max", false, false},
		{gpuReplica, "vllm", "reserve-max", true, true},
		{gpuReplica, "vllm", "on-demand", false, false},
		{neuronReplica, "neuron", "reserve-max", false, false},
		{neuronReplica, "neuron", "on-demand", false, false},
		{neuronReplica, "neuron-chunked", "reserve-max", false, false},
		{neuronReplica, "neuron-chunked", "on-demand", false, false},
	} {
		name := fmt.Sprintf("%s %s leap=%v implicit=%v", tc.scheduler, tc.admission, !tc.noLeap, !tc.noImplicit)
		t.Run(name, func(t *testing.T) {
			sink := &MemorySink{}
			w, err := New(Config{Scenario: scenario(t, admissionScenario(tc.replica, tc.scheduler, tc.admission)), Sink: sink})
			if err != nil {
				t.Fatal(err)
			}
			w.noLeap, w.noImplicit = tc.noLeap, tc.noImplicit
			p := w.replicas[0]
			capacity := int(p.env.kvBlocksPerReplica / ceilDiv32(2000, p.env.blockTokens))
			if capacity < 8 || capacity >= 32 {
				t.Fatalf("the KV cache holds %d whole requests; the test wants fewer than the 32 clients", capacity)
			}
			res, err := w.Run(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			most := maxConcurrent(sink)
			preempted := kpi(t, res, "preemptions", "")
			if tc.admission == "reserve-max" {
				if most != capacity || preempted != 0 {
					t.Errorf("ran up to %d at once with room for %d reservations, %v preemptions; want exactly %d and none", most, capacity, preempted, capacity)
				}
				return
			}
			if most <= capacity {
				t.Errorf("on-demand ran at most %d at once, no more than the %d reservations that fit", most, capacity)
			}
			t.Logf("on-demand: up to %d at once (%d reservations fit), %v preemptions", most, capacity, preempted)
		})
	}
}

// TestKVMemoryFraction: the KV cache takes kv_memory_fraction of the memory
// left after the reserve and the weights.
func TestKVMemoryFraction(t *testing.T) {
	blocks := func(fraction string) int32 {
		src := strings.Replace(admissionScenario(gpuReplica, "vllm", "on-demand"), "admission: on-demand", "kv_memory_fraction: "+fraction, 1)
		w, err := New(Config{Scenario: scenario(t, src)})
		if err != nil {
			t.Fatal(err)
		}
		return w.replicas[0].env.kvBlocksPerReplica
	}
	all := blocks("1")
	for _, f := range []float64{0.9, 0.5} {
		got, want := blocks(fmt.Sprint(f)), f*float64(all)
		if math.Abs(float64(got)-want) > 1 { // each side rounds down to whole blocks
			t.Errorf("kv_memory_fraction %g: %d blocks; want %g of %d", f, got, f, all)
		}
	}
}
