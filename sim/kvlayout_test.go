package sim

import (
	"fmt"
	"strings"
	"testing"

	"aiecon/model"
)

// TestWindowedKVByServer: a GPU server frees windowed layers' blocks, so a
// replica holds more units of a smaller size; Neuron's compiled graphs and
// a speculative replica keep the plain layout.
func TestWindowedKVByServer(t *testing.T) {
	for _, c := range []struct {
		inst, extra string
		tp          int
		windowed    bool
	}{
		{"p5.48xlarge", "", 8, true},
		{"p5.48xlarge", ", speculative: {draft: eagle, k: 3, acceptance: 0.7}", 8, false},
		{"trn2.48xlarge", "", 64, false},
	} {
		t.Run(c.inst+c.extra, func(t *testing.T) {
			src := oneChat("gpt-oss-120b", "", fmt.Sprintf("instance: %s, replica: {tp: %d%s}", c.inst, c.tp, c.extra))
			if strings.HasPrefix(c.inst, "trn2") {
				src = strings.Replace(src, "fleet: {", "fleet: {pricing: capacity-block, ", 1)
			}
			w, err := New(Config{Scenario: scenario(t, src), Sink: &MemorySink{}})
			if err != nil {
				t.Fatal(err)
			}
			e := w.pools[0].env
			if e.kv.Windowed() != c.windowed {
				t.Fatalf("layout %+v, want windowed %v", e.kv, c.windowed)
			}
			// Windowed, a GPT-OSS unit is half the layers: twice as many of them.
			pl := w.pools[0]
			perToken := pl.arch.KVBytesPerTokenPerDevice(pl.shard)
			plain := pl.arch.PlainKV()
			if got, want := e.kv.UnitBytes(perToken, pl.arch.Layers, e.blockTokens), plain.UnitBytes(perToken, pl.arch.Layers, e.blockTokens); c.windowed && got != want/2 {
				t.Errorf("a unit of %.0f bytes, want half a block's %.0f", got, want)
			}
		})
	}
}

// TestWindowedMaxModelLen: the load-time check counts a window's bytes for
// the windowed layers. GPT-OSS-120B (4-bit weights) on one H100 holds a
// whole 131,072-token context that way (4.8 GB of KV cache per sequence),
// not with every layer's (9.7 GB), which is what a speculative replica
// keeps.
func TestWindowedMaxModelLen(t *testing.T) {
	src := func(extra string) string {
		return oneChat("gpt-oss-120b", "weights: int4", "instance: p5.48xlarge, replica: {tp: 1, max_model_len: 131072, memory_reserve: 0.2"+extra+"}")
	}
	if _, err := New(Config{Scenario: scenario(t, src("")), Sink: &MemorySink{}}); err != nil {
		t.Fatalf("windowed: %v", err)
	}
	_, _, err := model.Load("spec.yaml", []byte(src(", speculative: {draft: eagle, k: 3, acceptance: 0.7}")), Catalog())
	if err == nil || !strings.Contains(err.Error(), "131072 tokens of KV cache do not fit") {
		t.Fatalf("speculative: %v, want the max_model_len refused", err)
	}
}

// TestWindowedLoadAgreesWithNew: the load-time max_model_len check counts
// KV memory as the simulator does, so a scenario that loads also builds.
// The fractions straddle the point where GPT-OSS-120B's whole context stops
// fitting on one H100.
func TestWindowedLoadAgreesWithNew(t *testing.T) {
	src := func(f float64) string {
		return oneChat("gpt-oss-120b", "weights: int4",
			fmt.Sprintf("instance: p5.48xlarge, replica: {tp: 1, max_model_len: 131072, memory_reserve: 0.2, kv_memory_fraction: %g}", f))
	}
	var loaded, refused int
	for f := 0.700; f <= 0.730; f += 0.0002 {
		sc, _, err := model.Load("w.yaml", []byte(src(f)), Catalog())
		if err != nil {
			if !strings.Contains(err.Error(), "131072 tokens of KV cache do not fit") {
				t.Fatalf("fraction %g: %v", f, err)
			}
			refused++
			continue
		}
		loaded++
		if _, err := New(Config{Scenario: sc, Sink: &MemorySink{}}); err != nil {
			t.Fatalf("fraction %g loads but does not build: %v", f, err)
		}
	}
	if loaded == 0 || refused == 0 {
		t.Fatalf("%d fractions loaded, %d refused: the grid misses the boundary", loaded, refused)
	}
}

// TestWindowedUnitsOverflow: where a window's share of the layers makes
// more units than an int32 counts, the replica counts whole blocks instead
// (every layer's context), not a clamped, smaller cache.
func TestWindowedUnitsOverflow(t *testing.T) {
	src := oneChat("{name: many-layers, hidden: 16, layers: 1001, heads: 1, kv_heads: 1, ffn: 16, vocab: 1000, max_context: 300000, sliding_window: 128, sliding_layers: 1}",
		"kv_cache: fp8", "instance: p5.48xlarge, replica: {tp: 1, kv_block_tokens: 1, max_model_len: 200000}")
	w, err := New(Config{Scenario: scenario(t, src), Sink: &MemorySink{}})
	if err != nil {
		t.Fatal(err)
	}
	pl := w.pools[0]
	e := pl.env
	if e.kv.Windowed() {
		t.Fatalf("layout %+v: %d units of one layer overflow an int32", e.kv, e.kvBlocksPerReplica)
	}
	perToken := pl.arch.KVBytesPerTokenPerDevice(pl.shard)
	if got := float64(e.kvBlocksPerReplica) * e.kv.UnitBytes(perToken, pl.arch.Layers, e.blockTokens); got < 50e9 {
		t.Errorf("the replica counts %.1f GB of KV cache, want the H100's tens of GB", got/1e9)
	}
}

// TestSpeculativeLoadAgreesWithNew: the load-time check counts a
// speculative replica's proposer (its weights, and its KV cache per token)
// as the simulator does: Llama-3.1-8B with an EAGLE head on one L4 holds a
// 30,000-token request, not a 40,000-token one, and the scenario that
// loads also builds.
func TestSpeculativeLoadAgreesWithNew(t *testing.T) {
	src := func(maxLen int) string {
		return oneChat("llama-3.1-8b", "", fmt.Sprintf("instance: g6.xlarge, replica: {tp: 1, max_model_len: %d, speculative: {draft: eagle, k: 3, acceptance: 0.7}}", maxLen))
	}
	if _, _, err := model.Load("long.yaml", []byte(src(40000)), Catalog()); err == nil || !strings.Contains(err.Error(), "fleet.replica.max_model_len: 40000 tokens of KV cache do not fit") {
		t.Errorf("40,000 tokens: %v, want refused at load", err)
	}
	if _, err := New(Config{Scenario: scenario(t, src(30000)), Sink: &MemorySink{}}); err != nil {
		t.Errorf("30,000 tokens: %v", err)
	}
}
