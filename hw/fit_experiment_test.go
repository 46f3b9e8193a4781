package hw

import (
	"aiecon/model/llm"
	"fmt"
	"os"
	"testing"
)

func readShared(t testing.TB, name string) []ServingPoint {
	f, err := os.Open("../../shared/reference/serving-measurements/" + name)
	if err != nil {
		t.Skipf("needs ../shared: %v", err)
	}
	defer f.Close()
	pts, err := ReadServingPoints(f)
	if err != nil {
		t.Fatal(err)
	}
	return pts
}

func TestExperimentFit(t *testing.T) {
	fam := os.Getenv("AIECON_EXP")
	if fam == "" {
		t.Skip("set AIECON_EXP=neuron-v2|neuron-v3|gpu")
	}
	prof, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	var pts []ServingPoint
	for _, f := range []string{"neuron.csv", "neuron-llama3.csv", "gpu-trtllm-0.9-static.csv"} {
		for _, p := range readShared(t, f) {
			inst, err := InstanceByName(p.Instance)
			if err != nil {
				t.Fatal(err)
			}
			c, _ := inst.ChipSpec()
			if c.StepFamily == fam && (os.Getenv("LLAMAONLY") == "" || (p.Model != "gpt-j-6b" && p.Model != "falcon-180b" && p.Model != "mixtral-8x7b")) {
				pts = append(pts, p)
			}
		}
	}
	expPadBatch = os.Getenv("PADB") != ""
	expPadAll = os.Getenv("PADA") != ""
	s, rep, err := FitFamily(pts, prof)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("fit %s: %+v\nRMS %.3f evals %d %s skipped %d\n", fam, s.Values(), rep.RMSLogErr, rep.Evaluations, rep.Status, len(rep.Skipped))
	if os.Getenv("AIECON_ROWS") != "" {
		for _, r := range rep.Rows {
			p := r.Point
			fmt.Printf("%-26s %-14s tp%-2d b%-3d %5d/%-5d seq%-5d %s ttft %8.1f/%8.1f %+5.0f%%  tpot %6.2f/%6.2f %+5.0f%%\n", p.Model, p.Instance, p.TP, p.Batch, p.InputTokens, p.OutputTokens, p.SeqLen, p.WeightDType,
				r.TTFTMs, p.TTFTMs, 100*r.TTFTRelErr, r.TPOTMs, p.TPOTMs, 100*r.TPOTRelErr)
		}
	}
	if os.Getenv("AIECON_CV") != "" {
		cv, err := CrossValidate(pts, prof)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("CV TTFT MAPE %.1f%% TPOT MAPE %.1f%%\n", 100*cv.TTFTMAPE, 100*cv.TPOTMAPE)
		for _, g := range cv.Groups {
			fmt.Printf("  %-14s %-26s tp%-2d %-4s n=%-3d ttft %5.1f%% (%+5.1f) tpot %5.1f%% (%+5.1f)\n", g.Instance, g.Model, g.TP, g.WeightDType, g.Rows, 100*g.TTFTMAPE, 100*g.TTFTBias, 100*g.TPOTMAPE, 100*g.TPOTBias)
		}
	}
}

func TestExperimentHand(t *testing.T) {
	fam, hand := os.Getenv("AIECON_EXP"), os.Getenv("HAND")
	if fam == "" || hand == "" {
		t.Skip("set AIECON_EXP and HAND")
	}
	prof, _ := BuiltinProfile()
	var pts []ServingPoint
	for _, f := range []string{"neuron.csv", "neuron-llama3.csv", "gpu-trtllm-0.9-static.csv"} {
		for _, p := range readShared(t, f) {
			inst, _ := InstanceByName(p.Instance)
			c, _ := inst.ChipSpec()
			if c.StepFamily == fam {
				pts = append(pts, p)
			}
		}
	}
	set, _, err := compilePoints(pts, prof)
	if err != nil {
		t.Fatal(err)
	}
	var v [7]float64
	fmt.Sscanf(hand, "%g,%g,%g,%g,%g,%g,%g", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6])
	s, _ := DefaultServing(fam)
	s = s.withValues(v[:])
	fmt.Printf("loss %.4f\n", set.loss(&s, set.all()))
	rows, rms := set.rows(&s, set.all())
	fmt.Printf("rms %.3f\n", rms)
	for _, r := range rows {
		p := r.Point
		fmt.Printf("%-26s %-14s tp%-2d b%-3d %5d/%-5d seq%-5d ttft %8.1f/%8.1f %+5.0f%%  tpot %6.2f/%6.2f %+5.0f%%\n", p.Model, p.Instance, p.TP, p.Batch, p.InputTokens, p.OutputTokens, p.SeqLen,
			r.TTFTMs, p.TTFTMs, 100*r.TTFTRelErr, r.TPOTMs, p.TPOTMs, 100*r.TPOTRelErr)
	}
}

func TestExperimentOps(t *testing.T) {
	if os.Getenv("OPS") == "" {
		t.Skip()
	}
	prof, _ := BuiltinProfile()
	inst, _ := InstanceByName("inf2.48xlarge")
	s, _ := DefaultServing(StepNeuronV2)
	s = s.withValues([]float64{0.0016, 68e-6, 0, 0.53, 0.3, 0.2, 0.1})
	p, err := NewPerf(inst, 24, prof.ForChip("Inferentia2"), s)
	if err != nil {
		t.Fatal(err)
	}
	arch, _ := llm.Lookup(os.Getenv("OPS"))
	sh := llm.Shard{TP: 24, Weights: llm.BF16, Activations: llm.BF16, KV: llm.BF16}
	ops := arch.IterationOps(nil, sh, llm.Iteration{Decode: []llm.DecodeSeq{{Context: 255}}})
	var tot float64
	for _, op := range ops {
		sec := p.OpSeconds(op)
		tot += sec
		fmt.Printf("%-16s x%-3d %5dx%5dx%5dx%5d bytes %10.3g  %8.3f ms  compute %8.3f ms eff %.3f\n", op.Name, op.Count, op.Batch, op.M, op.N, op.K, op.Bytes, sec*1e3, p.computeSeconds(op)*1e3*float64(op.Count), p.Eff.GEMM(op.Batch, op.M, op.N, op.K, op.DType))
	}
	fmt.Printf("total %.3f ms + fixed %.3f\n", tot*1e3, s.FixedSeconds(arch.Layers, false)*1e3)
}
