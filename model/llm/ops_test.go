package llm

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func bf16(tp int) Shard { return Shard{TP: tp, Weights: BF16, Activations: BF16, KV: BF16} }

func findOp(t *testing.T, ops []Op, name string) Op {
	t.Helper()
	var found []Op
	for _, o := range ops {
		if o.Name == name {
			found = append(found, o)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d ops named %q in %v", len(found), name, opNames(ops))
	}
	return found[0]
}

func opNames(ops []Op) []string {
	names := make([]string, len(ops))
	for i, o := range ops {
		names[i] = o.Name
	}
	return names
}

// Shapes and bytes by hand for Llama-3.1-70B at TP=8, 16 tokens, 4 logits:
// per device 8 heads, 1 KV head, ffn 3584, vocab 16032.
func TestDenseOpsGEMMShapes(t *testing.T) {
	a := mustLookup(t, "llama-3.1-70b")
	ops := a.DenseOps(nil, bf16(8), 16, 4)
	tests := []struct {
		name     string
		count    int
		m, n, k  int
		wantByte float64
	}{
		{"qkv", 80, 16, (8 + 2) * 128, 8192, 1280*8192*2 + 16*8192*2 + 16*1280*2},
		{"attn_out", 80, 16, 8192, 8 * 128, 8192*1024*2 + 16*1024*2 + 16*8192*2},
		{"mlp_gate_up", 80, 16, 2 * 3584, 8192, 7168*8192*2 + 16*8192*2 + 16*7168*2},
		{"mlp_down", 80, 16, 8192, 3584, 8192*3584*2 + 16*3584*2 + 16*8192*2},
		{"lm_head", 1, 4, 16032, 8192, 16032*8192*2 + 4*8192*2 + 4*16032*2},
	}
	for _, tt := range tests {
		o := findOp(t, ops, tt.name)
		if o.Kind != OpGEMM || o.Count != tt.count || o.Batch != 1 || o.M != tt.m || o.N != tt.n || o.K != tt.k || o.DType != BF16 {
			t.Errorf("%s = %+v; want gemm x%d, 1 x %d x %d x %d bf16", tt.name, o, tt.count, tt.m, tt.n, tt.k)
		}
		if want := 2 * float64(tt.m) * float64(tt.n) * float64(tt.k); o.FLOPs != want {
			t.Errorf("%s FLOPs = %v, want 2MNK = %v", tt.name, o.FLOPs, want)
		}
		if o.Bytes != tt.wantByte {
			t.Errorf("%s Bytes = %v, want %v", tt.name, o.Bytes, tt.wantByte)
		}
	}
	// int8 weights: only the weight term shrinks; compute stays bf16.
	q := findOp(t, a.DenseOps(nil, Shard{TP: 8, Weights: INT8, Activations: BF16, KV: BF16}, 16, 4), "qkv")
	if want := 1280*8192*1.0 + 16*8192*2 + 16*1280*2; q.Bytes != want || q.DType != BF16 {
		t.Errorf("int8-weight qkv: bytes %v dtype %s, want %v bf16", q.Bytes, q.DType, want)
	}
}

// Per-device N (column-parallel) or K (row-parallel) is the TP=1 value / TP.
func TestDenseOpsDividedByTP(t *testing.T) {
	a := mustLookup(t, "llama-3.1-405b")
	one := a.DenseOps(nil, bf16(1), 32, 32)
	for _, tp := range []int{2, 4, 8} {
		ops := a.DenseOps(nil, bf16(tp), 32, 32)
		for _, c := range []struct {
			name   string
			nSplit bool // column-parallel: N split; row-parallel: K split
		}{{"qkv", true}, {"attn_out", false}, {"mlp_gate_up", true}, {"mlp_down", false}, {"lm_head", true}} {
			o1, o := findOp(t, one, c.name), findOp(t, ops, c.name)
			wantN, wantK := o1.N, o1.K
			if c.nSplit {
				wantN /= tp
			} else {
				wantK /= tp
			}
			if o.M != o1.M || o.N != wantN || o.K != wantK {
				t.Errorf("TP=%d %s: M,N,K = %d,%d,%d; want %d,%d,%d", tp, c.name, o.M, o.N, o.K, o1.M, wantN, wantK)
			}
		}
	}
}

func TestDenseOpsAllReduces(t *testing.T) {
	a := mustLookup(t, "llama-3.1-70b")
	const tokens, logits = 24, 5
	for _, tp := range []int{1, 2, 8, 32} {
		ops := a.DenseOps(nil, bf16(tp), tokens, logits)
		perLayer := 0
		for _, o := range ops {
			if o.Kind != OpAllReduce {
				continue
			}
			if o.Group != tp {
				t.Errorf("TP=%d %s group %d", tp, o.Name, o.Group)
			}
			switch o.Name {
			case "allreduce_attn", "allreduce_mlp":
				perLayer += o.Count
				if want := float64(tokens * 8192 * 2); o.Bytes != want {
					t.Errorf("TP=%d %s bytes %v, want tokens x hidden x 2 = %v", tp, o.Name, o.Bytes, want)
				}
			case "embed_allreduce":
				if o.Count != 1 || o.Bytes != float64(tokens*8192*2) {
					t.Errorf("TP=%d embed_allreduce %+v", tp, o)
				}
			case "logits_gather":
				// ring all-gather of logits x vocab/TP x 2 bytes, as an all-reduce of TP x that / 2
				if want := float64(tp) * float64(logits*a.VocabPerDevice(bf16(tp))*2) / 2; o.Bytes != want {
					t.Errorf("TP=%d logits_gather bytes %v, want %v", tp, o.Bytes, want)
				}
			default:
				t.Errorf("unexpected collective %q", o.Name)
			}
		}
		want := 2 * 80
		if tp == 1 {
			want = 0
		}
		if perLayer != want {
			t.Errorf("TP=%d: %d per-layer all-reduces, want %d", tp, perLayer, want)
		}
	}
}

func gemmFLOPs(ops []Op) float64 {
	var f float64
	for _, o := range ops {
		if o.Kind == OpGEMM {
			fl, _ := o.Total()
			f += fl
		}
	}
	return f
}

// A pure-decode iteration of T sequences runs 2 FLOPs per active weight per
// token in its GEMMs: exactly T x FLOPsPerToken, and within a few percent of
// 2 x active params x T (the gap is the embedding table, which is gathered,
// not multiplied: 6.5% of Llama-3-8B, 1.5% of the 70B, 1.0% of Mixtral).
func TestDecodeFLOPsMatchParams(t *testing.T) {
	for _, name := range Names() {
		a := mustLookup(t, name)
		const T = 64
		it := Iteration{Decode: make([]DecodeSeq, T)}
		for i := range it.Decode {
			it.Decode[i].Context = 100 * i
		}
		for _, tp := range []int{1, 8} {
			got := gemmFLOPs(a.IterationOps(nil, bf16(tp), it)) * float64(tp)
			// At TP=8 everything divides but the heads of Qwen2.5 0.5B to
			// 7B (14 query and 2 KV heads at 0.5B, 28 and 4 at 7B), padded
			// and replicated (shard.go): the padding adds its q, o (hidden x
			// head_dim each) and k, v projections' FLOPs exactly. An MoE
			// router is replicated on every device: tp-1 extra copies (2.6%
			// of Qwen3-30B-A3B's decode at TP=8: 128 experts, 3.3B active).
			var extra float64
			if sh := (Shard{TP: tp}); tp > 1 {
				extraHeads := a.HeadsPerDevice(sh)*tp - a.Heads
				extraKV := a.KVHeadsPerDevice(sh)*tp - a.KVHeads
				extra += T * float64(a.Layers) * 2 * float64(a.Hidden*a.ResolvedHeadDim()) * float64(2*extraHeads+2*extraKV)
				extra += T * 2 * float64(tp-1) * a.routerParams() // all layers' routers
			}
			if want := T*a.FLOPsPerToken() + extra; relErr(got, want) > 1e-12 {
				t.Errorf("%s TP=%d: GEMM FLOPs %v vs T x FLOPsPerToken (+ padding, router copies) %v (rel %v)", name, tp, got, want, relErr(got, want))
			}
			_, active := a.Params()
			// The gap is the embedding table (gathered, not multiplied) when
			// the LM head has its own matrix.
			tol := 0.002
			if !a.TiedEmbeddings {
				tol += a.embeddingParams() / active
			}
			if e := relErr(got, 2*active*T+extra); e > tol {
				t.Errorf("%s TP=%d: GEMM FLOPs %v vs 2 x active x T (+ padding, router copies) %v: %.2f%% > %.1f%%", name, tp, got, 2*active*T+extra, 100*e, 100*tol)
			}
		}
	}
}

func TestPrefillAttentionCausal(t *testing.T) {
	a := mustLookup(t, "llama-3-8b")
	// A chunk of 4 tokens at offset 6 attends over 7+8+9+10 = 34 keys.
	ops := a.PrefillAttentionOps(nil, bf16(1), []PrefillChunk{{Tokens: 4, Offset: 6}, {Tokens: 0, Offset: 3}})
	if len(ops) != 1 {
		t.Fatalf("got %d ops, want 1 (empty chunks skipped)", len(ops))
	}
	o := ops[0]
	keys := 0
	for i := range 4 {
		keys += 6 + i + 1
	}
	if keys != 34 {
		t.Fatalf("hand count %d", keys)
	}
	wantFLOPs := 4.0 * 32 * 128 * 34
	// Q and O: 4 x 32 x 128 x 2 each, new K and V: 4 x 8 x 128 x 2 each, prefix cache 6 x 2 x 8 x 128 x 2.
	wantBytes := 4.0*(2*32+2*8)*128*2 + 6*2*8*128*2
	if o.Kind != OpAttention || o.Name != "attn_prefill" || o.Count != 32 || o.FLOPs != wantFLOPs || o.Bytes != wantBytes {
		t.Errorf("op = %+v; want attention x32, FLOPs %v, bytes %v", o, wantFLOPs, wantBytes)
	}
	if o.Batch != 8 || o.M != 4*4 || o.N != 10 || o.K != 128 {
		t.Errorf("shape %d x %d x %d x %d, want 8 x 16 x 10 x 128", o.Batch, o.M, o.N, o.K)
	}
	// A whole prompt from offset 0 is the causal triangle n(n+1)/2.
	full := a.PrefillAttentionOps(nil, bf16(8), []PrefillChunk{{Tokens: 1000}})[0]
	if want := 4.0 * 4 * 128 * (1000 * 1001 / 2); full.FLOPs != want {
		t.Errorf("n=1000 TP=8 FLOPs %v, want %v", full.FLOPs, want)
	}
}

func TestDecodeAttention(t *testing.T) {
	a := mustLookup(t, "llama-3.1-70b")
	o := a.DecodeAttentionOps(nil, bf16(8), 3, 1000)[0]
	wantFLOPs := 4.0 * 8 * 128 * 1003
	wantBytes := 1000.0*2*1*128*2 + 3*(2*8+2*1)*128*2
	if o.Kind != OpAttention || o.Name != "attn_decode" || o.Count != 80 || o.FLOPs != wantFLOPs || o.Bytes != wantBytes {
		t.Errorf("op = %+v; want attention x80, FLOPs %v, bytes %v", o, wantFLOPs, wantBytes)
	}
	if o.Batch != 3 || o.M != 8 || o.N != 335 || o.K != 128 {
		t.Errorf("shape %d x %d x %d x %d, want 3 x 8 x 335 x 128", o.Batch, o.M, o.N, o.K)
	}
	// The KV read dominates and equals the per-device KV cache of the context.
	sh := Shard{TP: 8, Weights: BF16, Activations: BF16, KV: FP8}
	o = a.DecodeAttentionOps(nil, sh, 1, 4096)[0]
	if kv := 4096 * a.KVBytesPerTokenPerDevice(sh) / 80; o.Bytes-kv != (2*8+2*1)*128*2 {
		t.Errorf("fp8 KV: bytes %v, KV part %v", o.Bytes, kv)
	}
	if ops := a.DecodeAttentionOps(nil, sh, 0, 0); len(ops) != 0 {
		t.Errorf("no sequences: %v", ops)
	}
}

func TestDistinctExperts(t *testing.T) {
	tests := []struct {
		e, k, tokens int
		want, tol    float64
	}{
		{8, 2, 1, 2, 1e-12},                   // one token touches its k experts
		{8, 2, 2, 8 * (1 - 0.75*0.75), 1e-12}, // 3.5
		{8, 2, 1000, 8, 1e-9},                 // saturates at E
		{64, 8, 1, 8, 1e-12},
		{8, 2, 0, 0, 0},
	}
	for _, tt := range tests {
		if got := DistinctExperts(tt.e, tt.k, tt.tokens); math.Abs(got-tt.want) > tt.tol {
			t.Errorf("DistinctExperts(%d, %d, %d) = %v, want %v", tt.e, tt.k, tt.tokens, got, tt.want)
		}
	}
}

func TestMoEOps(t *testing.T) {
	a := mustLookup(t, "mixtral-8x7b")
	tests := []struct {
		tokens, batch, m int
		distinct         float64
	}{
		{1, 2, 1, 2},
		{2, 4, 1, 3.5},
		{64, 8, 16, DistinctExperts(8, 2, 64)},
	}
	for _, tt := range tests {
		ops := a.DenseOps(nil, bf16(1), tt.tokens, tt.tokens)
		rows := 2 * float64(tt.tokens)
		gu := findOp(t, ops, "moe_gate_up")
		if gu.Batch != tt.batch || gu.M != tt.m || gu.N != 2*14336 || gu.K != 4096 {
			t.Errorf("T=%d moe_gate_up shape %d x %d x %d x %d, want %d x %d x 28672 x 4096", tt.tokens, gu.Batch, gu.M, gu.N, gu.K, tt.batch, tt.m)
		}
		if want := 2 * rows * 28672 * 4096; gu.FLOPs != want {
			t.Errorf("T=%d moe_gate_up FLOPs %v, want %v", tt.tokens, gu.FLOPs, want)
		}
		if want := tt.distinct*28672*4096*2 + rows*(4096+28672)*2; relErr(gu.Bytes, want) > 1e-12 {
			t.Errorf("T=%d moe_gate_up bytes %v, want %v", tt.tokens, gu.Bytes, want)
		}
		down := findOp(t, ops, "moe_down")
		if down.N != 4096 || down.K != 14336 || down.FLOPs != 2*rows*4096*14336 {
			t.Errorf("T=%d moe_down %+v", tt.tokens, down)
		}
		r := findOp(t, ops, "router")
		if r.M != tt.tokens || r.N != 8 || r.K != 4096 {
			t.Errorf("router %+v", r)
		}
		for _, name := range []string{"mlp_gate_up", "mlp_down"} {
			for _, o := range ops {
				if o.Name == name {
					t.Errorf("MoE emits dense %s", name)
				}
			}
		}
	}
}

func TestDenseOpsMemoryPasses(t *testing.T) {
	a := mustLookup(t, "llama-3-8b")
	sh := Shard{TP: 1, Weights: BF16, Activations: BF16, KV: FP8}
	ops := a.DenseOps(nil, sh, 10, 0)
	tests := []struct {
		name  string
		count int
		bytes float64
	}{
		{"embed", 1, 10*4096*2 + 10*4096*2},
		{"norm_residual", 32, 8*10*4096*2 + 2*4096*2},
		{"rope", 32, 2 * 10 * (32 + 8) * 128 * 2},
		{"kv_write", 32, 10 * 2 * 8 * 128 * (2 + 1)},
		{"mlp_act", 32, 3 * 10 * 14336 * 2},
		{"final_norm", 1, 2*10*4096*2 + 4096*2},
	}
	for _, tt := range tests {
		o := findOp(t, ops, tt.name)
		if o.Kind != OpMemory || o.Count != tt.count || o.Bytes != tt.bytes || o.FLOPs != 0 {
			t.Errorf("%s = %+v; want memory x%d, %v bytes", tt.name, o, tt.count, tt.bytes)
		}
	}
	// No logits: no LM head (a prefill chunk that does not finish its prompt).
	for _, o := range ops {
		if o.Name == "lm_head" {
			t.Error("lm_head emitted with logits = 0")
		}
	}
	if got := a.DenseOps(nil, sh, 0, 0); len(got) != 0 {
		t.Errorf("zero tokens: %v", opNames(got))
	}
	for _, o := range a.DenseOps(nil, bf16(4), 3, 3) {
		if o.Count < 1 || o.Batch < 1 {
			t.Errorf("%s: count %d batch %d", o.Name, o.Count, o.Batch)
		}
	}
}

func TestIterationHelpers(t *testing.T) {
	it := Iteration{
		Prefill: []PrefillChunk{{Tokens: 512, Offset: 0}, {Tokens: 100, Offset: 512, Last: true}, {Tokens: 0, Last: true}},
		Decode:  []DecodeSeq{{Context: 10}, {Context: 20}, {Context: 30}},
	}
	if it.Tokens() != 615 || it.Logits() != 4 || it.SumContext() != 60 {
		t.Errorf("Tokens %d Logits %d SumContext %d; want 615, 4, 60", it.Tokens(), it.Logits(), it.SumContext())
	}
}

func randomIteration(r *rand.Rand) Iteration {
	var it Iteration
	for range r.IntN(3) {
		it.Prefill = append(it.Prefill, PrefillChunk{Tokens: r.IntN(2048), Offset: r.IntN(4096), Last: r.IntN(2) == 0})
	}
	for range r.IntN(40) {
		it.Decode = append(it.Decode, DecodeSeq{Context: r.IntN(8192)})
	}
	return it
}

func TestIterationOpsIsConcatenation(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, name := range []string{"llama-3-8b", "llama-3.1-70b", "mixtral-8x7b"} {
		a := mustLookup(t, name)
		for i := range 200 {
			it := randomIteration(r)
			sh := bf16([]int{1, 2, 8, 24, 32}[i%5])
			got := a.IterationOps(nil, sh, it)
			var want []Op
			want = a.DenseOps(want, sh, it.Tokens(), it.Logits())
			want = a.DecodeAttentionOps(want, sh, len(it.Decode), it.SumContext())
			want = a.PrefillAttentionOps(want, sh, it.Prefill)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s %+v: IterationOps differs from the concatenation", name, it)
			}
		}
	}
}

func TestIterationOpsDoesNotAllocate(t *testing.T) {
	it := Iteration{
		Prefill: []PrefillChunk{{Tokens: 300, Offset: 200, Last: true}},
		Decode:  []DecodeSeq{{Context: 10}, {Context: 2000}},
	}
	for _, name := range []string{"llama-3.1-70b", "mixtral-8x7b"} {
		a := mustLookup(t, name)
		sh := Shard{TP: 8, Weights: INT8, Activations: BF16, KV: BF16}
		buf := make([]Op, 0, 64)
		allocs := testing.AllocsPerRun(100, func() {
			buf = a.IterationOps(buf[:0], sh, it)
		})
		if allocs != 0 || len(buf) == 0 {
			t.Errorf("%s: %v allocations per IterationOps (%d ops), want 0", name, allocs, len(buf))
		}
	}
}

func TestOpsPanicOnCallerErrors(t *testing.T) {
	a := mustLookup(t, "llama-3-8b")
	tests := []struct {
		name string
		call func()
		want string
	}{
		{"logits > tokens", func() { a.DenseOps(nil, bf16(1), 2, 3) }, "logits 3"},
		{"negative tokens", func() { a.DenseOps(nil, bf16(1), -1, 0) }, "tokens -1"},
		{"tp 0", func() { a.DenseOps(nil, bf16(0), 1, 1) }, "tp 0"},
		{"context without seqs", func() { a.DecodeAttentionOps(nil, bf16(1), 0, 5) }, "sumContext 5"},
		{"negative offset", func() { a.PrefillAttentionOps(nil, bf16(1), []PrefillChunk{{Tokens: 1, Offset: -1}}) }, "chunk 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || !strings.Contains(s, tt.want) || !strings.Contains(s, "llama-3-8b") {
					t.Errorf("panic %v; want a message naming the model and %q", r, tt.want)
				}
			}()
			tt.call()
		})
	}
}

func BenchmarkIterationOps(b *testing.B) {
	a, _ := Lookup("llama-3.1-70b")
	sh := Shard{TP: 8, Weights: BF16, Activations: BF16, KV: BF16}
	it := Iteration{Prefill: []PrefillChunk{{Tokens: 512, Last: true}}, Decode: make([]DecodeSeq, 32)}
	buf := make([]Op, 0, 64)
	for b.Loop() {
		buf = a.IterationOps(buf[:0], sh, it)
	}
}

// TestElementwiseSplitBySequenceParallel: where the stack runs the norms
// and residual adds sequence parallel their activation traffic per device
// falls as 1/TP; where it replicates them (the zero Shard) every device
// moves all of it. The norm weights (hidden-wide) are read by every device
// either way.
func TestElementwiseSplitBySequenceParallel(t *testing.T) {
	a := mustLookup(t, "llama-3.3-70b")
	const T = 1024
	h := float64(a.Hidden)
	for _, sp := range []bool{true, false} {
		for _, tp := range []int{1, 8, 32} {
			sh := Shard{TP: tp, Weights: BF16, Activations: BF16, KV: BF16, SequenceParallel: sp}
			ops := a.DenseOps(nil, sh, T, 1)
			split := 1.0
			if sp {
				split = float64(tp)
			}
			if got, want := findOp(t, ops, "norm_residual").Bytes, 8*T*h*2/split+2*h*2; got != want {
				t.Errorf("sequence parallel %v, TP %d: norm_residual %v bytes per device, want %v", sp, tp, got, want)
			}
			if got, want := findOp(t, ops, "final_norm").Bytes, 2*T*h*2/split+h*2; got != want {
				t.Errorf("sequence parallel %v, TP %d: final_norm %v bytes per device, want %v", sp, tp, got, want)
			}
		}
	}
}

// TestPlainMLPAndParallelBlock: GPT-J's block has a two-matrix MLP and one
// all-reduce per layer.
func TestPlainMLPAndParallelBlock(t *testing.T) {
	a := mustLookup(t, "gpt-j-6b")
	ops := a.DenseOps(nil, Shard{TP: 4, Weights: BF16, Activations: BF16, KV: BF16}, 16, 16)
	up := findOp(t, ops, "mlp_up")
	if up.N != 16384/4 || up.K != 4096 {
		t.Errorf("mlp_up %d x %d, want %d x 4096", up.N, up.K, 16384/4)
	}
	if act := findOp(t, ops, "mlp_act"); act.Bytes != 2*16*4096*2 {
		t.Errorf("GELU pass %v bytes, want read 1 + write 1", act.Bytes)
	}
	for _, o := range ops {
		if o.Name == "mlp_gate_up" || o.Name == "allreduce_attn" {
			t.Errorf("%s in a parallel plain-MLP block", o.Name)
		}
	}
	findOp(t, ops, "allreduce_mlp")
}

// TestSlidingWindowAttention: GPT-OSS-120B's local layers attend over at
// most 128 keys.
func TestSlidingWindowAttention(t *testing.T) {
	a := mustLookup(t, "gpt-oss-120b")
	sh := Shard{TP: 1, Weights: BF16, Activations: BF16, KV: BF16}
	ops := a.DecodeAttentionOps(nil, sh, 2, 2*999) // two sequences of 999 cached tokens
	if len(ops) != 2 || ops[0].Count != 18 || ops[1].Count != 18 {
		t.Fatalf("ops %+v: want a full and a local op of 18 layers each", ops)
	}
	hd := float64(a.ResolvedHeadDim() * a.Heads)
	if full, local := ops[0].FLOPs, ops[1].FLOPs; full != 4*hd*2000 || local != 4*hd*2*128 {
		t.Errorf("decode FLOPs full %v local %v; want %v and %v", full, local, 4*hd*2000, 4*hd*2*128)
	}
	pre := a.PrefillAttentionOps(nil, sh, []PrefillChunk{{Tokens: 300, Offset: 0}})
	if len(pre) != 2 {
		t.Fatalf("prefill ops %+v", pre)
	}
	// Tokens 0..127 see i+1 keys, the other 172 see 128.
	keys := 128*129/2.0 + 172*128
	if got := pre[1].FLOPs; got != 4*hd*keys {
		t.Errorf("local prefill FLOPs %v, want %v", got, 4*hd*keys)
	}
}

// Llama-4 Maverick alternates MoE layers (128 experts of 8,192, top 1, and a
// shared expert of 8,192) with dense layers (a 16,384-wide MLP): 24 of each.
// A decode token runs the router, one expert and the shared expert in the
// MoE layers and the dense MLP in the others, and the devices of a replica
// hold every weight once.
func TestSharedExpertAndDenseLayers(t *testing.T) {
	a := mustLookup(t, "llama-4-maverick-17b-128e")
	const T = 1
	ops := a.DenseOps(nil, bf16(1), T, T)
	counts := map[string]int{}
	for _, o := range ops {
		counts[o.Name] += o.Count
	}
	for name, want := range map[string]int{
		"qkv": 48, "router": 24, "moe_gate_up": 24, "moe_down": 24,
		"shared_gate_up": 24, "shared_act": 24, "shared_down": 24,
		"mlp_gate_up": 24, "mlp_down": 24, "mlp_act": 48, // the experts' and the dense layers'
	} {
		if counts[name] != want {
			t.Errorf("%s runs in %d layers, want %d", name, counts[name], want)
		}
	}
	sh := findOp(t, ops, "shared_gate_up")
	if sh.M != T || sh.N != 2*8192 || sh.K != 5120 {
		t.Errorf("shared_gate_up %d x %d x %d, want 1 x 16384 x 5120", sh.M, sh.N, sh.K)
	}
	dense := findOp(t, ops, "mlp_down")
	if dense.N != 5120 || dense.K != 16384 {
		t.Errorf("dense mlp_down N %d K %d, want 5120 x 16384", dense.N, dense.K)
	}
	// The GEMM FLOPs of one token are 2 x its active weights, the input
	// embedding excepted (gathered, not multiplied).
	_, active := a.Params()
	want := 2 * (active - a.embeddingParams() - float64(2*48*5120+5120))
	if got := gemmFLOPs(ops); relErr(got, want) > 1e-12 {
		t.Errorf("GEMM FLOPs %v, want 2 x (active - embedding - norms) = %v", got, want)
	}
	// TP=8 divides every width: the eight devices hold the model once, with
	// the router and norms replicated (stored 16-bit here in any case).
	total, _ := a.Params()
	replicated := a.routerParams() + float64(2*48*5120+5120)
	perDevice := a.WeightBytesPerDevice(Shard{TP: 8, Weights: BF16, Activations: BF16}) / 2
	if want := (total-replicated)/8 + replicated; relErr(perDevice, want) > 1e-12 {
		t.Errorf("TP=8 per device %v weights, want %v", perDevice, want)
	}
}
