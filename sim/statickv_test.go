package sim

import (
	"fmt"
	"strings"
	"testing"

	"aiecon/model"
)

// staticKVChat is Llama-3.1-70B at TP24 on inf2.48xlarge (40,960 B of KV
// per token per NeuronCore, about 9.2 GB of each left for the cache after
// the 10% reserve and the weights), with the replica fields given.
func staticKVChat(replica string) string {
	return oneChat("llama-3.1-70b", "", "instance: inf2.48xlarge, replica: {tp: 24, per_instance: 1, "+replica+"}")
}

// TestStaticKVAtLoad: without prefix caching a Neuron replica's compiled
// graphs hold a static KV cache, max_num_seqs x max_model_len, whatever
// its requests hold: 64 x 32,768 tokens (86 GB per core) is refused at
// load, naming the fields, where counting a 32,768-token request alone
// accepted it (review192 F3). With prefix caching, Neuron's block layout,
// the cache is blocks sized to the memory and the same replica loads; a
// static cache that fits loads and is the simulator's pool, slot by slot.
func TestStaticKVAtLoad(t *testing.T) {
	_, _, err := model.Load("static.yaml", []byte(staticKVChat("max_num_seqs: 64, max_model_len: 32768, prefix_caching: false")), Catalog())
	want := "fleet.replica.max_num_seqs: prefix_caching is off, so inf2.48xlarge's compiled graphs hold a static KV cache of max_num_seqs 64 (compiled as 64) x max_model_len 32768 tokens (85.90 GB per device needed"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("%v, want %q", err, want)
	}
	for _, c := range []struct {
		replica string
		slots   int32 // 0: blocks sized to the memory
	}{
		{"max_num_seqs: 64, max_model_len: 32768", 0},
		{"max_num_seqs: 6, max_model_len: 8192, prefix_caching: false", 6},
		// A static batch of 6 runs as 8 (llm.PadBatch).
		{"max_num_seqs: 6, max_model_len: 8192, scheduler: static, prefix_caching: false", 8},
	} {
		t.Run(c.replica, func(t *testing.T) {
			w, err := New(Config{Scenario: scenario(t, staticKVChat(c.replica)), Sink: &MemorySink{}})
			if err != nil {
				t.Fatal(err)
			}
			pl := w.pools[0]
			e := pl.env
			blockBytes := float64(e.blockTokens) * pl.arch.KVBytesPerTokenPerDevice(pl.shard)
			perSlot := (e.maxModelLen + e.blockTokens - 1) / e.blockTokens
			got := e.kvBlocksPerReplica
			if gb := float64(got) * blockBytes / 1e9; c.slots == 0 && (gb < 8 || gb > 10.6) {
				t.Errorf("a pool of %d blocks (%.1f GB), want the memory's 9.2 GB", got, gb)
			}
			if c.slots > 0 && got != c.slots*perSlot {
				t.Errorf("a pool of %d blocks, want %d slots of %d", got, c.slots, perSlot)
			}
		})
	}
}

// TestStaticKVLoadAgreesWithNew: the load-time check sizes a static cache
// as the simulator does, so a scenario that loads also builds. At
// max_model_len 16,384 about 13.8 slots fit in the 9.2 GB.
func TestStaticKVLoadAgreesWithNew(t *testing.T) {
	var loaded, refused int
	for seqs := 10; seqs <= 16; seqs++ {
		src := staticKVChat(fmt.Sprintf("max_num_seqs: %d, max_model_len: 16384, prefix_caching: false", seqs))
		sc, _, err := model.Load("s.yaml", []byte(src), Catalog())
		if err != nil {
			if !strings.Contains(err.Error(), "static KV cache") {
				t.Fatalf("max_num_seqs %d: %v", seqs, err)
			}
			refused++
			continue
		}
		loaded++
		if _, err := New(Config{Scenario: sc, Sink: &MemorySink{}}); err != nil {
			t.Fatalf("max_num_seqs %d loads but does not build: %v", seqs, err)
		}
	}
	if loaded == 0 || refused == 0 {
		t.Fatalf("%d loaded, %d refused: the grid misses the boundary", loaded, refused)
	}
}
