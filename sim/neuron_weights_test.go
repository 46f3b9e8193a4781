package sim

import (
	"strings"
	"testing"

	"aiecon/model"
)

// TestNeuronV2NarrowWeightsMemory: NeuronCore-v2 keeps int8 and fp8 weights
// narrow in device memory and dequantises them before each matmul, so a
// replica's KV cache gets the memory they save while a decode step costs
// what bf16's does; and the load-time check counts them at their stored
// bytes (Llama-3.1-70B in int8 fits an inf2.24xlarge at TP8, in bf16 not).
func TestNeuronV2NarrowWeightsMemory(t *testing.T) {
	type replica struct {
		stepMs   float64
		kvBlocks int32
	}
	build := func(weights string) replica {
		t.Helper()
		src := oneChat("llama-3.1-8b", "weights: "+weights+", kv_cache: bf16", "instance: inf2.48xlarge, replica: {tp: 2, max_model_len: 4096}")
		w, err := New(Config{Scenario: scenario(t, src), Sink: &MemorySink{}})
		if err != nil {
			t.Fatal(err)
		}
		pl := w.pools[0]
		return replica{1e3 * pl.env.coster.iteration(1, 1, 1, 1000).sec, pl.env.kvBlocksPerReplica}
	}
	bf16 := build("bf16")
	for _, d := range []string{"int8", "fp8"} {
		got := build(d)
		if got.stepMs != bf16.stepMs || !(float64(got.kvBlocks) > 1.3*float64(bf16.kvBlocks)) {
			t.Errorf("%s weights: step %.3f ms, %d KV blocks; bf16: %.3f ms, %d blocks; want the same step and more blocks",
				d, got.stepMs, got.kvBlocks, bf16.stepMs, bf16.kvBlocks)
		}
	}
	for _, tt := range []struct{ weights, want string }{
		{"int8", ""},
		{"bf16", "llama-3.1-70b weights (17.6 GB per device at tp 8) do not fit"},
	} {
		src := oneChat("llama-3.1-70b", "weights: "+tt.weights, "instance: inf2.24xlarge, replica: {tp: 8, max_model_len: 2048}")
		_, _, err := model.Load("70b.yaml", []byte(src), Catalog())
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("llama-3.1-70b %s on inf2.24xlarge TP8: %v, want %q", tt.weights, err, tt.want)
		}
	}
}
