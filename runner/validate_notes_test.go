package runner

import (
	"context"
	"strings"
	"testing"

	"aiecon/hw"
)

// validatePoints reads csv rows (after the common header) and validates them.
func validatePoints(t *testing.T, rows string, opts ValidateOptions) *ValidationReport {
	t.Helper()
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not the user's
	pts, err := hw.ReadServingPoints(strings.NewReader("model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,metric_kind,framework\n" + rows))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Validate(context.Background(), pts, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestValidationRowNotes: a row says where its step times extrapolate, a
// seq_len past the model's context, a loop whose KV cache holds a fraction
// of its clients, and the engine it ran; a row inside the fitted
// measurements says none of it.
func TestValidationRowNotes(t *testing.T) {
	tests := []struct {
		name, row            string
		extrapolated, notes  string // substrings; "" wants none
		scheduler, admission string
	}{
		{"covered static batch", "llama-3-8b,p4de.24xlarge,1,4,2048,512,128,fp16,50,12,,\n", "", "", "static", ""},
		{"past the context", "llama-3-8b,inf2.48xlarge,24,1,200000,100000,100000,bf16,1000,20,,\n",
			"prompts to 100,000 tokens", "published context of 8,192 tokens", "static", ""},
		{"KV-bound loop", "llama-3-8b,p5.48xlarge,1,250,22000,20000,2000,fp8,1000,20,closed-loop concurrency=250,vLLM\n",
			"prompts to 20,000", "the KV cache holds about 24 of 250 clients", "vllm", "on-demand"},
		{"TensorRT-LLM loop", "llama-3-8b,p4de.24xlarge,1,10,400,200,200,fp16,100,13,closed-loop concurrency=10,NIM\n",
			"", "", "vllm", "reserve-max"},
		// Trainium2's constants rest on batches of 1 and 2, NeuronCore-v2's
		// on 1 to 8: a batch past twice that is noted, one within it not.
		{"trn2 batch 256", "llama-3.1-8b,trn2.48xlarge,8,256,4096,128,128,bf16,100,13,,\n",
			"batches of up to 256 sequences, while the measurements they were fitted to ran 1 to 2 at once", "", "static", ""},
		{"trn2 batch 4", "llama-3.1-8b,trn2.48xlarge,8,4,4096,128,128,bf16,100,13,,\n", "", "", "static", ""},
		{"inf2 batch 64", "llama-3.1-8b,inf2.48xlarge,24,64,4096,128,128,bf16,100,13,,\n",
			"batches of up to 64 sequences, while the measurements they were fitted to ran 1 to 8 at once", "", "static", ""},
		// NxD Inference needs Trainium2's heads divisible by TP: 32 at TP 64
		// are priced padded, and said to be.
		{"heads padded on trn2", "llama-3.1-8b,trn2.48xlarge,64,1,4096,128,128,bf16,100,13,,\n",
			"0.1B active parameters per device", "32 attention heads, not divisible by TP 64; NxD Inference", "static", ""},
	}
	for _, tt := range tests {
		rep := validatePoints(t, tt.row, ValidateOptions{})
		if len(rep.Rows) != 1 {
			t.Fatalf("%s: %d rows, skipped %v", tt.name, len(rep.Rows), rep.Skipped)
		}
		r := rep.Rows[0]
		notes := strings.Join(append([]string{r.PastContext, r.Heads}, r.Notes...), "; ")
		if (tt.extrapolated == "") != (r.Extrapolated == "") || !strings.Contains(r.Extrapolated, tt.extrapolated) {
			t.Errorf("%s: extrapolated %q, want %q", tt.name, r.Extrapolated, tt.extrapolated)
		}
		if (tt.notes == "") != (strings.Trim(notes, "; ") == "") || !strings.Contains(notes, tt.notes) {
			t.Errorf("%s: notes %q, want %q", tt.name, notes, tt.notes)
		}
		if r.Scheduler != tt.scheduler || r.Admission != tt.admission {
			t.Errorf("%s: scheduler %q admission %q, want %q %q", tt.name, r.Scheduler, r.Admission, tt.scheduler, tt.admission)
		}
	}
}

// TestClosedLoopCycles: a loop within the work bound runs the usual
// cycles; past it, fewer, never under one of warm-up and two measured.
func TestClosedLoopCycles(t *testing.T) {
	tests := []struct {
		clients, out          int
		wantWarm, wantMeasure int
	}{
		{250, 2000, closedWarmCycles, closedMeasureCycles}, // the largest published loop
		{1000, 2000, 3, 12}, // 30M: at the bound
		{1000, 4000, 1, 6},
		{4096, 8000, 1, 2},
	}
	for _, tt := range tests {
		pt := hw.ServingPoint{Concurrency: tt.clients, OutputTokens: tt.out}
		if w, m := closedLoopCycles(pt); w != tt.wantWarm || m != tt.wantMeasure {
			t.Errorf("%d clients x %d: %d + %d cycles, want %d + %d", tt.clients, tt.out, w, m, tt.wantWarm, tt.wantMeasure)
		}
	}
}

// TestValidateCutsLongLoop: a loop past the work bound is cut, says so,
// and still measures (a row of 1,024 clients x 4,000 tokens).
func TestValidateCutsLongLoop(t *testing.T) {
	rep := validatePoints(t, "llama-3-8b,p5.48xlarge,1,1024,4200,200,4000,fp16,100,20,closed-loop concurrency=1024,NIM\n", ValidateOptions{})
	if len(rep.Rows) != 1 {
		t.Fatalf("%d rows, skipped %v", len(rep.Rows), rep.Skipped)
	}
	if r := rep.Rows[0]; !strings.Contains(strings.Join(r.Notes, ";"), "the loop was cut to 1 request lifetime of warm-up, then 6 measured") || r.PredTTFTS <= 0 {
		t.Errorf("notes %q, TTFT %g s; want the cut said and a measurement", r.Notes, r.PredTTFTS)
	}
}

// TestValidateSkipsLoopPastBound: a loop whose fewest lifetimes still pass
// the hard bound is skipped at once, with its figures and how to run it
// anyway, where it had simulated for minutes: the cap cut no loop below 3
// lifetimes. Loops under the bound, a published file's largest among them,
// and static batches of any length are run.
func TestValidateSkipsLoopPastBound(t *testing.T) {
	loop := func(clients, out int) hw.ServingPoint {
		return hw.ServingPoint{Concurrency: clients, OutputTokens: out, File: "cl.csv", Line: 2}
	}
	tests := []struct {
		name string
		pt   hw.ServingPoint
		want string // "" for run
	}{
		{"4,096 x 100,000", loop(4096, 100000), "4,096 clients x 100,000 output tokens x 3 request lifetimes, the fewest a loop is measured over, is 1,228,800,000 sequence-steps"},
		{"just past", loop(4096, 24415), "past the 300,000,000 a row may simulate (it could take minutes); aiecon validate cl.csv --scenario 2 prints its scenario"},
		{"just under", loop(4096, 24414), ""},
		{"largest published", loop(250, 2000), ""},
		{"static batch", hw.ServingPoint{Batch: 4096, OutputTokens: 1 << 20}, ""},
	}
	for _, tt := range tests {
		got := loopTooLong(tt.pt, 0)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	rep := validatePoints(t, "llama-3.1-8b,p5.48xlarge,1,4096,131072,1000,100000,bf16,500,30,closed-loop concurrency=4096,TensorRT-LLM\n", ValidateOptions{})
	if len(rep.Rows) != 0 || len(rep.Skipped) != 1 || !strings.Contains(rep.Skipped[0].Reason, "sequence-steps of decoding, past the 300,000,000") {
		t.Errorf("rows %d, skipped %v; want the loop skipped for its length", len(rep.Rows), rep.Skipped)
	}
}

// TestValidateProgress: the callback hears of every point, skipped ones
// included, ending at the total.
func TestValidateProgress(t *testing.T) {
	var got [][2]int
	rows := "llama-3-8b,p4de.24xlarge,1,1,2048,512,128,fp16,50,12,,\n" +
		"llama-3-8b,p4de.24xlarge,1,1,2048,512,128,fp16,50,12,offline throughput,\n" +
		"llama-3-8b,p4de.24xlarge,1,2,2048,512,128,fp16,50,12,,\n"
	validatePoints(t, rows, ValidateOptions{Progress: func(done, total int) { got = append(got, [2]int{done, total}) }})
	want := [][2]int{{1, 3}, {2, 3}, {3, 3}}
	if len(got) != len(want) || got[len(got)-1] != want[2] || got[0] != want[0] {
		t.Errorf("progress %v, want %v", got, want)
	}
}

// TestSplitBatchFigures: a static batch whose KV cache does not fit says
// how much it needs against what is left per device, and names KV heads
// copied where TP exceeds them, without claiming a benchmark ran it. The
// batch is on a GPU: on Neuron a batch past the memory is refused before it
// runs, its compiled static cache being larger still (TestValidateRefusesStaticKV).
func TestSplitBatchFigures(t *testing.T) {
	rep := validatePoints(t, "qwen2.5-3b,p5.48xlarge,8,256,32768,30000,2768,bf16,1000,20,,\n", ValidateOptions{})
	if len(rep.Skipped) != 1 {
		t.Fatalf("%d skipped, %d rows; want the row skipped", len(rep.Skipped), len(rep.Rows))
	}
	reason := rep.Skipped[0].Reason
	for _, w := range []string{"needs 154.6 GB of KV cache per device", "83.4 GB is left per device", "2 KV heads: each copied 4x"} {
		if !strings.Contains(reason, w) {
			t.Errorf("reason %q lacks %q", reason, w)
		}
	}
	if strings.Contains(reason, "benchmark's fit") {
		t.Errorf("reason %q claims a benchmark fit it", reason)
	}
}
