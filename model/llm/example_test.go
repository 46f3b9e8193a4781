package llm_test

import (
	"fmt"

	"aiecon/model/llm"
)

// One iteration of Llama-3.1-70B at TP=8: a 512-token prompt chunk that
// finishes its prompt and 32 sequences decoding with 2,000 tokens of context
// each. The ops are per device; Count repeats them over the 80 layers. The
// shard leaves SequenceParallel unset, so every device runs the norms and
// residual adds over all 544 tokens (a Neuron family's resident shard
// would split them eight ways: 8.9 MB per layer).
func ExampleArch_IterationOps() {
	a, _ := llm.Lookup("llama-3.1-70b")
	sh := llm.Shard{TP: 8, Weights: llm.BF16, Activations: llm.BF16, KV: llm.BF16}
	it := llm.Iteration{
		Prefill: []llm.PrefillChunk{{Tokens: 512, Offset: 0, Last: true}},
		Decode:  make([]llm.DecodeSeq, 32),
	}
	for i := range it.Decode {
		it.Decode[i].Context = 2000
	}
	var flops, bytes float64
	for _, op := range a.IterationOps(nil, sh, it) {
		f, b := op.Total()
		flops, bytes = flops+f, bytes+b
		fmt.Printf("%-15s %-9s x%-2d %4d x %5d x %5d x %5d  %8.2f GFLOP %8.1f MB\n",
			op.Name, op.Kind, op.Count, op.Batch, op.M, op.N, op.K, op.FLOPs/1e9, op.Bytes/1e6)
	}
	fmt.Printf("total per device: %.1f TFLOP, %.2f GB; weights %.2f GB, KV %.0f B/token\n",
		flops/1e12, bytes/1e9, a.WeightBytesPerDevice(sh)/1e9, a.KVBytesPerTokenPerDevice(sh))
	// Output:
	// embed           memory    x1     1 x     0 x     0 x     0      0.00 GFLOP     10.0 MB
	// embed_allreduce allreduce x1     1 x     0 x     0 x     0      0.00 GFLOP      8.9 MB
	// norm_residual   memory    x80    1 x     0 x     0 x     0      0.00 GFLOP     71.3 MB
	// qkv             gemm      x80    1 x   544 x  1280 x  8192     11.41 GFLOP     31.3 MB
	// rope            memory    x80    1 x     0 x     0 x     0      0.00 GFLOP      2.5 MB
	// kv_write        memory    x80    1 x     0 x     0 x     0      0.00 GFLOP      0.6 MB
	// attn_out        gemm      x80    1 x   544 x  8192 x  1024      9.13 GFLOP     26.8 MB
	// allreduce_attn  allreduce x80    1 x     0 x     0 x     0      0.00 GFLOP      8.9 MB
	// mlp_gate_up     gemm      x80    1 x   544 x  7168 x  8192     63.89 GFLOP    134.2 MB
	// mlp_act         memory    x80    1 x     0 x     0 x     0      0.00 GFLOP     11.7 MB
	// mlp_down        gemm      x80    1 x   544 x  8192 x  3584     31.94 GFLOP     71.5 MB
	// allreduce_mlp   allreduce x80    1 x     0 x     0 x     0      0.00 GFLOP      8.9 MB
	// final_norm      memory    x1     1 x     0 x     0 x     0      0.00 GFLOP     17.8 MB
	// lm_head         gemm      x1     1 x    33 x 16032 x  8192      8.67 GFLOP    264.3 MB
	// logits_gather   allreduce x1     1 x     0 x     0 x     0      0.00 GFLOP      4.2 MB
	// attn_decode     attention x80   32 x     8 x  2001 x   128      0.26 GFLOP     32.9 MB
	// attn_prefill    attention x80    1 x  4096 x   512 x   128      0.54 GFLOP      2.4 MB
	// total per device: 9.4 TFLOP, 32.54 GB; weights 17.64 GB, KV 40960 B/token
}
