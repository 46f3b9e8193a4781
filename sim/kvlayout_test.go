package sim

import (
	"fmt"
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/model/llm"
)

// TestKVLayout checks the units of the catalog's windowed models and what a
// short and a long request hold (16-token blocks).
func TestKVLayout(t *testing.T) {
	const bt = 16
	for _, c := range []struct {
		model              string
		windowed           bool
		all, full, win     int32
		capBlocks          int32
		short, long        int32 // units of a 100-token and a 100,000-token request
		shortTok, longToks int32
	}{
		// 18 of 36 layers keep 128 tokens: a unit is 18 layers.
		{"gpt-oss-120b", true, 2, 1, 1, 9, 2 * 7, 6250 + 9, 100, 100_000},
		// 36 of 48 layers chunked at 8,192: a unit is 12 layers.
		{"llama-4-scout-17b-16e", true, 4, 1, 3, 513, 4 * 7, 6250 + 3*513, 100, 100_000},
		// every layer within 4,096: long requests stop growing.
		{"mistral-7b-v0.1", true, 1, 0, 1, 257, 7, 257, 100, 30_000},
		{"llama-3.1-8b", true, 1, 1, 0, 0, 7, 6250, 100, 100_000},
		// a server that keeps whole contexts (Neuron): the plain layout.
		{"gpt-oss-120b", false, 1, 1, 0, 0, 7, 6250, 100, 100_000},
	} {
		t.Run(fmt.Sprintf("%s windowed=%v", c.model, c.windowed), func(t *testing.T) {
			a, err := llm.Lookup(c.model)
			if err != nil {
				t.Fatal(err)
			}
			k := newKVLayout(a, bt, c.windowed)
			if k.all != c.all || k.full != c.full || k.win != c.win || k.capBlocks != c.capBlocks {
				t.Fatalf("layout %+v, want all %d full %d win %d cap %d", k, c.all, c.full, c.win, c.capBlocks)
			}
			if int(k.all)*k.unitLayers != a.Layers {
				t.Errorf("%d units of %d layers, want %d layers", k.all, k.unitLayers, a.Layers)
			}
			if got := k.units(c.shortTok, c.shortTok, bt); got != c.short {
				t.Errorf("%d-token request: %d units, want %d", c.shortTok, got, c.short)
			}
			if got := k.units(c.longToks, c.longToks, bt); got != c.long {
				t.Errorf("%d-token request: %d units, want %d", c.longToks, got, c.long)
			}
			if k.units(0, c.longToks, bt) != 0 {
				t.Error("a request with nothing cached holds units")
			}
			// The units' bytes bound the exact cache from above by at most
			// two blocks of every layer (a partial block, and the window
			// that straddles a block boundary).
			sh := llm.Shard{TP: 8, Weights: llm.BF16, Activations: llm.BF16, KV: llm.BF16}
			perToken := a.KVBytesPerTokenPerDevice(sh)
			unitBytes := perToken * float64(k.unitLayers) / float64(a.Layers) * bt
			for _, n := range []int32{c.shortTok, c.longToks} {
				exact := a.KVBytesPerDeviceFor(sh, int(n), c.windowed)
				held := float64(k.units(n, n, bt)) * unitBytes
				if held < exact || held > exact+2*bt*perToken {
					t.Errorf("%d tokens: units hold %.0f bytes, the cache needs %.0f", n, held, exact)
				}
			}
		})
	}
}

// TestWindowedKVByServer: a GPU server frees windowed layers' blocks, so a
// replica holds more units of a smaller size; Neuron's compiled graphs and
// a speculative replica keep the plain layout.
func TestWindowedKVByServer(t *testing.T) {
	const base = `name: w
horizon: 1m
model: gpt-oss-120b
fleet: {instance: %s, replica: {tp: %d%s}}
workloads:
  - {name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 1000, output_tokens: 100}
`
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
			src := fmt.Sprintf(base, c.inst, c.tp, c.extra)
			if strings.HasPrefix(c.inst, "trn2") {
				src = strings.Replace(src, "fleet: {", "fleet: {pricing: capacity-block, ", 1)
			}
			w, err := New(Config{Scenario: scenario(t, src), Sink: &MemorySink{}})
			if err != nil {
				t.Fatal(err)
			}
			e := w.pools[0].env
			if e.kv.windowed() != c.windowed {
				t.Fatalf("layout %+v, want windowed %v", e.kv, c.windowed)
			}
			// Every unit is the same bytes: windowed, twice as many of half the size.
			pl := w.pools[0]
			perToken := pl.arch.KVBytesPerTokenPerDevice(pl.shard)
			unitBytes := perToken * float64(e.kv.unitLayers) / float64(pl.arch.Layers) * float64(e.blockTokens)
			plain := plainKV(pl.arch)
			plainUnits := plain.unitsPerReplica(1e9, perToken, pl.arch.Layers, e.blockTokens)
			if got := e.kv.unitsPerReplica(1e9, perToken, pl.arch.Layers, e.blockTokens); c.windowed && got != 2*plainUnits && got != 2*plainUnits+1 {
				t.Errorf("1 GB holds %.0f units of %.0f bytes windowed, %.0f plain", got, unitBytes, plainUnits)
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
	const src = `name: w
horizon: 1m
model: gpt-oss-120b
precision: {weights: int4}
fleet: {instance: p5.48xlarge, replica: {tp: 1, max_model_len: 131072, memory_reserve: 0.2%s}}
workloads:
  - {name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 1000, output_tokens: 100}
`
	if _, err := New(Config{Scenario: scenario(t, fmt.Sprintf(src, "")), Sink: &MemorySink{}}); err != nil {
		t.Fatalf("windowed: %v", err)
	}
	_, _, err := model.Load("spec.yaml", []byte(fmt.Sprintf(src, ", speculative: {draft: eagle, k: 3, acceptance: 0.7}")), Catalog())
	if err == nil || !strings.Contains(err.Error(), "131072 tokens of KV cache do not fit") {
		t.Fatalf("speculative: %v, want the max_model_len refused", err)
	}
}
