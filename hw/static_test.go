package hw

import (
	"math"
	"strings"
	"testing"

	"aiecon/model/llm"
)

func TestBucket(t *testing.T) {
	tests := []struct {
		n, maxLen, want int
	}{
		{1, 4096, 128},
		{128, 4096, 128},
		{129, 4096, 256},
		{2049, 4096, 4096},
		{4096, 4096, 4096},
		{2500, 3000, 3000}, // the largest bucket is the maximum length itself
		{100, 100, 100},
	}
	for _, tt := range tests {
		if got, err := Bucket(tt.n, tt.maxLen); err != nil || got != tt.want {
			t.Errorf("Bucket(%d, %d) = %d, %v; want %d", tt.n, tt.maxLen, got, err, tt.want)
		}
	}
	if _, err := Bucket(5000, 4096); err == nil || !strings.Contains(err.Error(), "5000") {
		t.Errorf("Bucket beyond the maximum: %v", err)
	}
	for n, want := range map[int]int{1: 1, 2: 2, 3: 4, 8: 8, 9: 16} {
		if got := PadBatch(n); got != want {
			t.Errorf("PadBatch(%d) = %d, want %d", n, got, want)
		}
	}
}

// stepSeconds prices one iteration of arch on p.
func stepSeconds(t *testing.T, p *Perf, arch llm.Arch, sh llm.Shard, it llm.Iteration) float64 {
	t.Helper()
	return p.IterationSeconds(arch.IterationOps(nil, sh, it))
}

func decodeIt(seqs, context int) llm.Iteration {
	d := make([]llm.DecodeSeq, seqs)
	for i := range d {
		d[i].Context = context
	}
	return llm.Iteration{Decode: d}
}

// TestPredictStaticTimeline rebuilds the published inf2 point's timeline by
// hand: 3,967 decode steps in the buckets 256 (128 steps), 512 (256), 1024
// (512), 2048 (1024) and 4096 (2047), and 8 prefills of a 128-token bucket.
func TestPredictStaticTimeline(t *testing.T) {
	pt := PublishedServingPoints()[0]
	arch, err := llm.Lookup(pt.Model)
	if err != nil {
		t.Fatal(err)
	}
	p := mustPerf(t, pt.Instance, pt.TP, AssumedEfficiency, Serving{Family: FamilyNeuron, OverheadS: 2e-3, BWFrac: 0.5})
	sh := pt.Shard()
	got, err := PredictStatic(pt, arch, sh, p)
	if err != nil {
		t.Fatal(err)
	}
	P := stepSeconds(t, p, arch, sh, llm.Iteration{Prefill: []llm.PrefillChunk{{Tokens: 128, Last: true}}})
	var D float64
	for _, b := range []struct{ bucket, steps int }{{256, 128}, {512, 256}, {1024, 512}, {2048, 1024}, {4096, 2047}} {
		D += float64(b.steps) * stepSeconds(t, p, arch, sh, decodeIt(8, b.bucket-1))
	}
	wantTTFT := 4.5 * P // median of P, 2P, ..., 8P
	wantTPOT := (3.5*P + D) / 3967
	if rel(got.TTFTS, wantTTFT) > 1e-12 || rel(got.TPOTS, wantTPOT) > 1e-9 || rel(got.DecodeS, D) > 1e-9 {
		t.Errorf("got TTFT %g TPOT %g D %g, want %g %g %g", got.TTFTS, got.TPOTS, got.DecodeS, wantTTFT, wantTPOT, D)
	}
	if got.PrefillBucket != 128 || got.DecodeBatch != 8 || rel(got.LastTokenS, 8*P+D) > 1e-12 {
		t.Errorf("timeline %+v", got)
	}
}

// TestPredictStaticOddBatch: 3 requests run as a decode batch of 4; the
// median first token is the second one's; with one output token there is no TPOT.
func TestPredictStaticOddBatch(t *testing.T) {
	arch, _ := llm.Lookup("llama-3-8b")
	pt := ServingPoint{Model: "llama-3-8b", Instance: "trn1.32xlarge", TP: 32, Batch: 3, SeqLen: 1024,
		InputTokens: 300, OutputTokens: 5, WeightDType: llm.BF16, TTFTMs: 1, TPOTMs: 1}
	p := mustPerf(t, pt.Instance, pt.TP, AssumedEfficiency, NeuronServing)
	got, err := PredictStatic(pt, arch, pt.Shard(), p)
	if err != nil {
		t.Fatal(err)
	}
	P := stepSeconds(t, p, arch, pt.Shard(), llm.Iteration{Prefill: []llm.PrefillChunk{{Tokens: 512, Last: true}}})
	D := 4 * stepSeconds(t, p, arch, pt.Shard(), decodeIt(4, 511)) // contexts 301..304 all in bucket 512
	if got.PrefillBucket != 512 || got.DecodeBatch != 4 || rel(got.TTFTS, 2*P) > 1e-12 || rel(got.TPOTS, (P+D)/4) > 1e-12 {
		t.Errorf("got %+v, want TTFT %g TPOT %g", got, 2*P, (P+D)/4)
	}
	pt.OutputTokens = 1
	if got, _ := PredictStatic(pt, arch, pt.Shard(), p); got.TPOTS != 0 || got.DecodeS != 0 {
		t.Errorf("one output token: %+v", got)
	}
}

func TestPredictStaticErrors(t *testing.T) {
	arch, _ := llm.Lookup("llama-3-8b")
	pt := PublishedServingPoints()[1]
	p := mustPerf(t, pt.Instance, pt.TP, AssumedEfficiency, NeuronServing)
	sh := pt.Shard()
	sh.TP = 16
	if _, err := PredictStatic(pt, arch, sh, p); err == nil || !strings.Contains(err.Error(), "must agree") {
		t.Errorf("TP mismatch: %v", err)
	}
	bad := pt
	bad.OutputTokens = 4000
	if _, err := PredictStatic(bad, arch, pt.Shard(), p); err == nil || !strings.Contains(err.Error(), "trn1.32xlarge") {
		t.Errorf("too long: %v", err)
	}
}

func rel(got, want float64) float64 { return math.Abs(got/want - 1) }
