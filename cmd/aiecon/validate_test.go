package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aiecon/hw"
	"aiecon/runner"
)

// TestValidateClosedLoopInstrument: for closed loops that publish their
// throughput and end-to-end latency, validate sets the simulated decoding
// batch beside the one the measurement implies, gives each row's Little's
// ratio, and counts the rows whose ratio says the benchmark measured a
// transient; --json carries the same fields.
func TestValidateClosedLoopInstrument(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not the user's
	path := filepath.Join(t.TempDir(), "loops.csv")
	// The same 10 clients at 200 in / 200 out; the second row's throughput
	// is half what its latency allows (Little's ratio 0.5).
	csv := "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,metric_kind,stat,output_tok_s,e2e_ms\n" +
		"llama-3-8b,p4de.24xlarge,1,10,400,200,200,fp16,100,13,closed-loop concurrency=10,mean,740.7,2700\n" +
		"llama-3-8b,p4de.24xlarge,1,10,400,200,200,fp16,100,13,closed-loop concurrency=10,mean,370.4,2700\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []outputCase{
		{[]string{"validate", path}, []string{"batch ", "vs 9.6, Little 1.00", "vs 4.8, Little 0.50",
			"1 closed loops fail Little's law", "over the other 1 rows"}},
		{[]string{"validate", path, "--json"}, []string{`"batch_pred": `, `"batch_measured": 4.8152`, `"little_ratio": 0.5`}},
	}
	checkOutputs(t, tests)
}

// TestValidateNoRowSimulated: when every row is skipped, the error over no
// rows is said to be none (null in --json), not printed as 0.0%, and the
// exit code is 2: validating nothing is no validation (it exited 0).
func TestValidateNoRowSimulated(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not the user's
	path := filepath.Join(t.TempDir(), "pts.csv")
	csv := "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\n" +
		"llama-3-8b,p5.48xlarge,1,4096,16384,8000,8000,bf16,60,10\n" // a batch that does not fit: skipped (on Neuron the static KV check refuses it first)
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args          []string
		want, notWant string
	}{
		{[]string{"validate", path}, "mean absolute percentage error: none, no row was simulated (1 skipped)", "0.0%"},
		{[]string{"validate", path}, "pts.csv: 0 rows simulated, 1 skipped\n", "calibration"},
		{[]string{"validate", path, "--json"}, `"mape": null`, `"mape": 0`},
	}
	for _, tt := range tests {
		code, out, errs := hwRun(t, "", tt.args...)
		if code != 2 || !strings.Contains(out, tt.want) || strings.Contains(out, tt.notWant) ||
			!strings.Contains(errs, "no row was simulated (1 skipped; the report says why): nothing was validated") {
			t.Errorf("%v: exit %d, stderr %q, stdout:\n%s\nwant %q and not %q", tt.args, code, errs, out, tt.want, tt.notWant)
		}
	}
}

// TestValidateRowsOnEightGPUInstances: published rows naming p4d,
// g5/g6/g6e.48xlarge simulate (they failed with "unknown instance" before
// the catalog listed them), and an instance still missing names itself and
// the line. The measured times here are inputs, not facts.
func TestValidateRowsOnEightGPUInstances(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not the user's
	dir := t.TempDir()
	head := "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\n"
	rows := ""
	for _, r := range []struct{ instance, tp string }{{"p4d.24xlarge", "1"}, {"g5.48xlarge", "2"}, {"g6.48xlarge", "4"}, {"g6e.48xlarge", "8"}} {
		rows += "llama-2-7b," + r.instance + "," + r.tp + ",1,256,128,128,fp16,20,8\n"
	}
	known, missing := filepath.Join(dir, "known.csv"), filepath.Join(dir, "missing.csv")
	if err := os.WriteFile(known, []byte(head+rows), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(missing, []byte(head+rows+"llama-2-7b,p3.16xlarge,8,1,256,128,128,fp16,20,8\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := hwRun(t, "", "validate", known)
	if code != 0 || !strings.Contains(out, "4 rows simulated, 0 skipped") {
		t.Errorf("validate on the 8-GPU instances: exit %d, %s\n%s", code, errs, out)
	}
	code, _, errs = hwRun(t, "", "validate", missing)
	if code != 2 || !strings.Contains(errs, "missing.csv:6") || !strings.Contains(errs, `unknown instance "p3.16xlarge"`) {
		t.Errorf("validate with an uncatalogued instance: exit %d, want 2 and the line: %s", code, errs)
	}
}

// TestWriteUnsteadyAllRows: when every simulated row is an unsteady closed
// loop, the line says no other row was simulated; it printed "NaN%, NaN%
// over the other 0 rows".
func TestWriteUnsteadyAllRows(t *testing.T) {
	unsteady := runner.ValidationRow{Point: hw.ServingPoint{Concurrency: 10, OutputTokens: 200, OutputTokS: 370.4, E2EMs: 2700, TTFTMs: 100, TPOTMs: 10},
		TTFTErr: 0.5, TPOTErr: -0.1}
	steady := unsteady
	steady.Point.OutputTokS = 740.7
	steadyTTFTOnly := steady
	steadyTTFTOnly.Point.TPOTMs, steadyTTFTOnly.TPOTErr = 0, 0 // the source publishes no TPOT
	tests := []struct {
		name string
		rows []runner.ValidationRow
		want string
	}{
		{"only unsteady", []runner.ValidationRow{unsteady}, "TTFT 50.0%, TPOT 10.0% over them; no other row was simulated\n"},
		{"one of each", []runner.ValidationRow{unsteady, steady}, "over them; 50.0%, 10.0% over the other 1 rows\n"},
		{"the other publishes no TPOT", []runner.ValidationRow{unsteady, steadyTTFTOnly}, "over them; 50.0%, - over the other 1 rows\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		writeUnsteady(&b, &runner.ValidationReport{Rows: tt.rows})
		if !strings.HasSuffix(b.String(), tt.want) || strings.Contains(b.String(), "NaN") {
			t.Errorf("%s: %q, want it to end %q", tt.name, b.String(), tt.want)
		}
	}
}

// TestSampleKeepsSourceNotes: the sample carries the rows' notes as the
// reference data has them, and what validate reads from a note holds there: the vllm bench serve loops ran without --ignore-eos, so their
// clients start out of step (docs/calibration.md gives the Llama-3.1-8B row
// TTFT +8.8% for it; without the note the sample printed +35%).
func TestSampleKeepsSourceNotes(t *testing.T) {
	f, err := os.Open("../../examples/validate/neuron-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pts, err := hw.ReadServingPointsFile(f, "neuron-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	loops := 0
	for _, pt := range pts {
		if strings.Contains(pt.Framework, "vllm bench serve") {
			loops++
			if !pt.VaryingLengths() {
				t.Errorf("%s on %s: a vllm bench serve row without \"no --ignore-eos\" in its note: %q", pt.Model, pt.Instance, pt.Note)
			}
		}
	}
	if loops == 0 {
		t.Error("the sample has no vllm bench serve row")
	}
}

// TestValidateNotes: the table notes a group whose step times extrapolate
// or whose seq_len passes the model's context, the worst rows a loop whose
// KV cache holds a fraction of its clients, and --json both, with the
// engine each row ran.
func TestValidateNotes(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not the user's
	path := filepath.Join(t.TempDir(), "held-out.csv")
	csv := "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,metric_kind,framework\n" +
		"llama-3-8b,inf2.48xlarge,24,1,200000,100000,100000,bf16,1000,20,,\n" +
		"llama-3-8b,p5.48xlarge,1,250,22000,20000,2000,fp8,1000,20,closed-loop concurrency=250,vLLM\n" +
		"llama-3-8b,p4de.24xlarge,1,10,400,200,200,fp16,100,13,closed-loop concurrency=10,NIM\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []outputCase{
		{[]string{"validate", path}, []string{"note: inf2.48xlarge llama-3-8b TP 24 bf16 (1 of 1 rows):\n  step times extrapolated: prompts to 100,000 tokens",
			"seq_len 200,000 is past llama-3-8b's published context of 8,192 tokens, simulated as if it reached that far (the longest of 1 rows past it)",
			"the KV cache holds about 24 of 250 clients (22,000-token contexts); TTFT is mostly queueing"}},
		{[]string{"validate", path, "--json"}, []string{`"extrapolated": "prompts to 100,000 tokens`, `"the KV cache holds about 24 of 250 clients`,
			`"scheduler": "vllm",` + "\n" + `          "admission": "reserve-max"`, `"scheduler": "vllm",` + "\n" + `          "admission": "on-demand"`}},
	}
	checkOutputs(t, tests)
}

// TestRowProgress: nothing in the first seconds, then a line of rows done
// at most every progressEvery, and, during a row that runs long, ticks
// naming it (one row of a file showed nothing for minutes); none under
// --quiet. The total is the file's rows from the start: the first row's
// ticks said "0 of 0 rows done".
func TestRowProgress(t *testing.T) {
	t0 := time.Unix(0, 0)
	type event struct {
		at   time.Duration
		what string // "start" (a row begins), "tick" (watch), else a row done
	}
	tests := []struct {
		name   string
		quiet  bool
		events []event
		want   string
	}{
		{"short", false, []event{{time.Second, "start"}, {time.Second, "tick"}, {time.Second, "done"}}, ""},
		{"long", false, []event{{time.Second, "done"}, {3 * time.Second, "done"}, {4 * time.Second, "done"}, {6 * time.Second, "done"}},
			"validate f.csv: 2 of 4 rows done, 3s\nvalidate f.csv: 4 of 4 rows done, 6s\n"},
		{"one long row", false, []event{{0, "start"}, {time.Second, "tick"}, {3 * time.Second, "tick"}, {4 * time.Second, "tick"}, {5 * time.Second, "tick"}},
			"validate f.csv: 0 of 4 rows done, 3s; line 2 running for 3s\nvalidate f.csv: 0 of 4 rows done, 5s; line 2 running for 5s\n"},
		{"a row after others", false, []event{{time.Second, "done"}, {time.Second, "start"}, {4 * time.Second, "tick"}},
			"validate f.csv: 1 of 4 rows done, 4s; line 2 running for 3s\n"},
		{"quiet", true, []event{{0, "start"}, {3 * time.Second, "tick"}, {3 * time.Second, "done"}}, ""},
	}
	for _, tt := range tests {
		var b strings.Builder
		p := newRowProgress(&env{stderr: &b, quiet: tt.quiet}, "f.csv", 4)
		p.start = t0
		done := 0
		for _, ev := range tt.events {
			p.now = func() time.Time { return t0.Add(ev.at) }
			switch ev.what {
			case "start":
				p.starting(hw.ServingPoint{Line: 2})
			case "tick":
				p.tick(t0.Add(ev.at))
			default:
				done++
				p.update(done, 4)
			}
		}
		p.finish()
		if b.String() != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, b.String(), tt.want)
		}
	}
	// watch shows the line at each tick of its ticker, until finish.
	var b strings.Builder
	p := newRowProgress(&env{stderr: &b}, "f.csv", 4)
	p.start = t0
	p.starting(hw.ServingPoint{Line: 7})
	ticks := make(chan time.Time)
	p.watch(ticks)
	ticks <- t0.Add(3 * time.Second)
	p.finish()
	if !strings.Contains(b.String(), "; line 7 running for") {
		t.Errorf("watch: %q, want the row running", b.String())
	}
}

// TestStdinNamedTwice: '-' given more than once is refused before anything
// is read or printed; standard input reads once, and the second '-' failed
// with exit 2 after the first report had printed.
func TestStdinNamedTwice(t *testing.T) {
	csv := "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\n" +
		"llama-3-8b,p4de.24xlarge,1,1,2048,512,128,fp16,50,12\n"
	tests := [][]string{
		{"validate", "-", "-"},
		{"validate", "-", "x.csv", "-"},
		{"hw", "fit", "--points", "-", "--points", "-"},
	}
	for _, args := range tests {
		code, out, errs := hwRun(t, csv, args...)
		if code != exitUsage || out != "" || !strings.Contains(errs, "'-' (standard input) is named 2 times") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 naming '-' twice and nothing printed", args, code, out, errs)
		}
	}
}

// outputCase is a command line and what its output must hold.
type outputCase struct {
	args []string
	want []string
}

// checkOutputs runs each case, which must exit 0 and print every want.
func checkOutputs(t *testing.T, cases []outputCase) {
	t.Helper()
	for _, tt := range cases {
		code, out, errs := hwRun(t, "", tt.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tt.args, code, errs)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", tt.args, w, out)
			}
		}
	}
}
