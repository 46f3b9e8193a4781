package llm

import (
	"fmt"
	"testing"
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
		short, long        int64 // units of a 100-token and a longToks-token request
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
			a, err := Lookup(c.model)
			if err != nil {
				t.Fatal(err)
			}
			k := a.KVLayout(bt, c.windowed)
			if k.All != c.all || k.Full != c.full || k.Win != c.win || k.CapBlocks != c.capBlocks {
				t.Fatalf("layout %+v, want all %d full %d win %d cap %d", k, c.all, c.full, c.win, c.capBlocks)
			}
			if int(k.All)*k.UnitLayers != a.Layers {
				t.Errorf("%d units of %d layers, want %d layers", k.All, k.UnitLayers, a.Layers)
			}
			if got := k.Units(c.shortTok, c.shortTok, bt); got != c.short {
				t.Errorf("%d-token request: %d units, want %d", c.shortTok, got, c.short)
			}
			if got := k.Units(c.longToks, c.longToks, bt); got != c.long {
				t.Errorf("%d-token request: %d units, want %d", c.longToks, got, c.long)
			}
			if k.Units(0, c.longToks, bt) != 0 {
				t.Error("a request with nothing cached holds units")
			}
			// The units' bytes bound a sliding-window cache's from above
			// (every full layer's tokens, a windowed layer's last window),
			// by at most two blocks of every layer: a partial block, and a
			// window that straddles a block boundary.
			sh := Shard{TP: 8, Weights: BF16, Activations: BF16, KV: BF16}
			perToken := a.KVBytesPerTokenPerDevice(sh)
			perLayer := perToken / float64(a.Layers)
			for _, n := range []int32{c.shortTok, c.longToks} {
				kept := int(n)
				if c.windowed && a.SlidingLayers > 0 {
					kept = min(kept, a.SlidingWindow)
				}
				exact := perLayer * float64((a.Layers-a.SlidingLayers)*int(n)+a.SlidingLayers*kept)
				held := float64(k.Units(n, n, bt)) * k.UnitBytes(perToken, a.Layers, bt)
				if held < exact || held > exact+2*bt*perToken {
					t.Errorf("%d tokens: units hold %.0f bytes, the cache needs %.0f", n, held, exact)
				}
			}
		})
	}
}

// TestKVLayoutUnitsDoNotOverflow: a request's units are counted in int64,
// whatever the layout (a unit of one layer, blocks of one token).
func TestKVLayoutUnitsDoNotOverflow(t *testing.T) {
	a := Arch{Layers: 1001, SlidingLayers: 1, SlidingWindow: 128}
	k := a.KVLayout(1, true)
	if k.All != 1001 || k.UnitLayers != 1 {
		t.Fatalf("layout %+v", k)
	}
	if got, want := k.Units(3_000_000, 3_000_000, 1), int64(1000)*3_000_000+129; got != want {
		t.Errorf("units %d, want %d", got, want)
	}
}
