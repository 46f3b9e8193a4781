package hw

import (
	"math"
	"testing"

	"aiecon/model/llm"
)

// TestOpWork checks each op kind against a hand computation: FLOPs at the
// peak of the op's own dtype (an fp8 GEMM at the fp8 peak, twice the 16-bit
// one on Hopper), the HBM bytes the step time charges (decode attention's KV
// re-reads in, an all-reduce's link payload out), each capped at the op's
// time.
func TestOpWork(t *testing.T) {
	gqa := testServing(StepGPU)
	gqa.KVGroupExp = 0.5
	p5 := mustPerf(t, "p5.48xlarge", 1, testEff, gqa)
	trn1 := mustPerf(t, "trn1.32xlarge", 32, testEff, testServing(StepNeuronV2))
	const h100FP8, h100BW = 1979e12, 3.35e12
	tests := []struct {
		name                   string
		p                      *Perf
		op                     llm.Op
		wantCompute, wantHBM   float64
		capCompute, capHBMTime bool // the figure is the op's own time
	}{
		{"fp8 gemm at the fp8 peak", p5,
			llm.Op{Kind: llm.OpGEMM, Name: "mlp_down", Count: 2, Batch: 1, M: 4096, N: 8192, K: 8192, DType: llm.FP8, FLOPs: 2 * 4096 * 8192 * 8192, Bytes: 1e8},
			2 * 2 * 4096 * 8192 * 8192 / h100FP8, 2 * 1e8 / h100BW, false, false},
		{"bf16 gemm at the bf16 peak", p5,
			llm.Op{Kind: llm.OpGEMM, Name: "qkv", Count: 1, Batch: 1, M: 1024, N: 1024, K: 1024, DType: llm.BF16, FLOPs: 2 * 1024 * 1024 * 1024, Bytes: 6e6},
			2 * 1024 * 1024 * 1024 / h100Peak, 6e6 / h100BW, false, false},
		// 8 query heads per KV head, exponent 0.5: the cache is read 8^0.5 times.
		{"gqa decode attention re-reads", p5,
			llm.Op{Kind: llm.OpAttention, Name: "attn_decode", Count: 32, Batch: 8, M: 8, N: 4000, K: 128, DType: llm.BF16, FLOPs: 4 * 64 * 128 * 4001, Bytes: 4000 * 2 * 8 * 128 * 2},
			32 * 4 * 64 * 128 * 4001 / h100Peak, 32 * 4000 * 2 * 8 * 128 * 2 * math.Sqrt(8) / h100BW, false, false},
		{"prefill attention read once", p5,
			llm.Op{Kind: llm.OpAttention, Name: "attn_prefill", Count: 1, Batch: 32, M: 2048, N: 2048, K: 128, DType: llm.BF16, FLOPs: 4 * 32 * 128 * 2048 * 2049 / 2, Bytes: 2048 * 4 * 32 * 128 * 2},
			4 * 32 * 128 * 2048 * 2049 / 2 / h100Peak, 2048 * 4 * 32 * 128 * 2 / h100BW, false, false},
		{"all-reduce: link payload, no HBM time", trn1,
			llm.Op{Kind: llm.OpAllReduce, Name: "allreduce", Count: 2, Batch: 1, DType: llm.BF16, Bytes: 2e6, Group: 32},
			0, 0, false, false},
		{"memory pass", trn1,
			llm.Op{Kind: llm.OpMemory, Name: "norm", Count: 3, Batch: 1, DType: llm.BF16, Bytes: 1e6},
			0, 3 * 1e6 / trn1CoreBW, false, false},
		// A memory pass is priced by its bytes alone: FLOPs worth more than
		// its time count as its time.
		{"capped at the op's time", trn1,
			llm.Op{Kind: llm.OpMemory, Name: "norm", Count: 1, Batch: 1, DType: llm.BF16, FLOPs: 1e15, Bytes: 1e6},
			0, 1e6 / trn1CoreBW, true, false},
		{"no count, no work", p5, llm.Op{Kind: llm.OpGEMM, Count: 0, FLOPs: 1, Bytes: 1, DType: llm.BF16}, 0, 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sec := tt.p.OpSeconds(tt.op)
			if tt.capCompute {
				tt.wantCompute = sec
			}
			c, h := tt.p.OpWork(tt.op, sec)
			if math.Abs(c-tt.wantCompute) > 1e-12*tt.wantCompute || math.Abs(h-tt.wantHBM) > 1e-12*tt.wantHBM {
				t.Errorf("OpWork = %.9g s compute, %.9g s HBM; want %.9g, %.9g", c, h, tt.wantCompute, tt.wantHBM)
			}
			if c > sec || h > sec {
				t.Errorf("OpWork = %.9g, %.9g s: above the op's %.9g s", c, h, sec)
			}
		})
	}
}

// TestWorkWithinStepTime prices whole iterations with the fitted constants
// and the built-in profile: the compute and HBM occupancy of a step (its
// work at the peaks over its time) are at most 1, fp8 (W8A8) included,
// whose GEMMs run at the fp8 peak; the HBM time is that of the bytes the
// step time charges to HBM: the ops' bytes with decode attention's KV
// re-reads and without the all-reduce payload.
func TestWorkWithinStepTime(t *testing.T) {
	prof, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	rep := func(n, v int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = v
		}
		return out
	}
	cases := []struct {
		name, inst, model string
		tp                int
		w, a, kv          llm.DType
		prefill, decode   []int // prompt tokens per chunk; contexts
		minCompute        float64
	}{
		// Compute-bound: above 1 of the 16-bit peak (1.16) when fp8 GEMMs
		// were measured against it.
		{"h200 fp8 prefill", "p5en.48xlarge", "llama-2-70b", 1, llm.FP8, llm.FP16, llm.FP8, rep(16, 2048), nil, 0.5},
		{"h100 fp8 prefill", "p5.48xlarge", "llama-2-7b", 1, llm.FP8, llm.FP16, llm.FP8, rep(8, 2048), nil, 0.5},
		// All-reduces carry a quarter of a TP32 prefill's bytes.
		{"trn1 tp32 prefill", "trn1.32xlarge", "llama-2-70b", 32, llm.BF16, llm.BF16, llm.BF16, rep(4, 2048), nil, 0},
		// 8 query heads per KV head: the KV cache is read 8^kv_group_exp times.
		{"h100 gqa decode", "p5.48xlarge", "llama-2-70b", 8, llm.FP8, llm.FP16, llm.FP8, nil, rep(64, 3000), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, err := InstanceByName(c.inst)
			if err != nil {
				t.Fatal(err)
			}
			chip, err := in.ChipSpec()
			if err != nil {
				t.Fatal(err)
			}
			s, err := DefaultServing(chip.StepFamily)
			if err != nil {
				t.Fatal(err)
			}
			p, err := NewPerf(in, c.tp, prof.ForChip(chip.Name), s)
			if err != nil {
				t.Fatal(err)
			}
			arch, err := llm.Lookup(c.model)
			if err != nil {
				t.Fatal(err)
			}
			sh, err := p.ResidentShard(llm.Shard{TP: c.tp, Weights: c.w, Activations: c.a, KV: c.kv})
			if err != nil {
				t.Fatal(err)
			}
			var it llm.Iteration
			for _, n := range c.prefill {
				it.Prefill = append(it.Prefill, llm.PrefillChunk{Tokens: n, Last: true})
			}
			for _, x := range c.decode {
				it.Decode = append(it.Decode, llm.DecodeSeq{Context: x})
			}
			ops := arch.IterationOps(nil, sh, it)
			step := p.IterationSeconds(ops, arch.Layers, len(c.prefill) > 0)
			computeS, hbmS := p.Work(ops)
			if computeS/step > 1 || computeS/step < c.minCompute {
				t.Errorf("compute occupancy %.4g, want in [%g, 1]", computeS/step, c.minCompute)
			}
			if hbmS/step > 1 {
				t.Errorf("HBM occupancy %.4g, above 1", hbmS/step)
			}
			var hbmBytes float64
			for _, op := range ops {
				switch {
				case op.Kind == llm.OpAllReduce:
				case op.Name == "attn_decode":
					hbmBytes += float64(op.Count) * op.Bytes * math.Pow(float64(op.M), s.KVGroupExp)
				default:
					hbmBytes += float64(op.Count) * op.Bytes
				}
			}
			if got := hbmS * p.Device.HBMBytesPerS; math.Abs(got-hbmBytes) > 1e-9*hbmBytes {
				t.Errorf("HBM bytes %.6g, want %.6g (no all-reduce payload, KV re-reads in)", got, hbmBytes)
			}
		})
	}
}
