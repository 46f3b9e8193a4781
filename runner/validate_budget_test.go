package runner

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/hw"
)

// heavyLoops is n closed loops, each within the per-row bound (64 clients
// x 1M output tokens, cut to about 190M sequence-steps, 3-10 s each): 10,000
// of them in a 1.5 MB file ran for a day.
func heavyLoops(t *testing.T, n int) []hw.ServingPoint {
	t.Helper()
	var b strings.Builder
	b.WriteString("model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,stat,framework,metric_kind,spec_decode,source,note\n")
	for range n {
		b.WriteString("llama-3.1-8b,trn2.48xlarge,8,64,1048576,512,1000000,bf16,51.07,10.52,median,vllm-neuron,max-concurrency=64 (closed loop),none,x,y\n")
	}
	pts, err := hw.ReadServingPointsFile(strings.NewReader(b.String()), "heavy.csv")
	if err != nil {
		t.Fatal(err)
	}
	return pts
}

// TestFileWorkBudget: a file whose rows together pass the work budget is
// refused before any row runs, naming the file, the estimate, the
// heaviest row and AIECON_MAX_VALIDATE_STEPS, which raises it; a file
// under it, and every published file, passes.
func TestFileWorkBudget(t *testing.T) {
	var p ClosedLoopProtocol
	if err := p.CheckWork(heavyLoops(t, 10)); err != nil {
		t.Fatalf("10 heavy loops (about 1.9G steps) must pass: %v", err)
	}
	// A cancelled context: were the file not refused up front, Validate
	// would stop at its first row with the signal's error, not run for
	// minutes.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	_, err := Validate(ctx, heavyLoops(t, 20), ValidateOptions{Starting: func(hw.ServingPoint) { ran = true }})
	var ie *InputError
	if !errors.As(err, &ie) || ran {
		t.Fatalf("want an input error before any row runs, got %v (a row ran: %v)", err, ran)
	}
	for _, want := range []string{"heavy.csv: its 20 rows would simulate about 3,8", "past the 3,000,000,000 a file may",
		"from heavy.csv:2 (", "aiecon validate heavy.csv --scenario LINE", "raise the budget with AIECON_MAX_VALIDATE_STEPS"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q lacks %q", err, want)
		}
	}
	t.Setenv(EnvMaxValidateSteps, "1e10")
	if err := p.CheckWork(heavyLoops(t, 20)); err != nil {
		t.Errorf("%s=1e10 must admit 20 loops: %v", EnvMaxValidateSteps, err)
	}
	for _, v := range []string{"x", "0", "-5", "Inf"} {
		t.Setenv(EnvMaxValidateSteps, v)
		if err := p.CheckWork(heavyLoops(t, 1)); !errors.As(err, &ie) || !strings.Contains(err.Error(), EnvMaxValidateSteps) {
			t.Errorf("%s=%q: want an input error naming it, got %v", EnvMaxValidateSteps, v, err)
		}
	}
	t.Setenv(EnvMaxValidateSteps, "")
	files, _ := filepath.Glob("../../shared/reference/serving-measurements/*.csv")
	files = append(files, "../examples/validate/neuron-sample.csv")
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		pts, err := hw.ReadServingPointsFile(f, path)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := p.CheckWork(pts); err != nil {
			t.Errorf("a published file must pass: %v", err)
		}
	}
}
