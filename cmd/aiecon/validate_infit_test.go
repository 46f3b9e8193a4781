package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/hw"
)

// TestValidateMarksRowsInFit: a row the committed constants were fitted to
// (Trainium2's Llama-3.3-70B TP64 row of aws-neuron/aws-neuron-sdk@81ce03ae
// libraries/nxd-inference/tutorials/llama70b_perf_comparison.csv) is
// marked (in fit) in its group, counted in the header, and in_fit in
// --json; the same layout measured at another TPOT is no fitted row.
// validate printed the fitted rows' 1-2% as the model's error on the chip.
func TestValidateMarksRowsInFit(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not the user's
	dir := t.TempDir()
	const header = "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,stat\n"
	const fitted = "llama-3.3-70b,trn2.48xlarge,64,1,12800,10000,1500,bf16,814.2,19.6,p50\n"
	const other = "llama-3.3-70b,trn2.48xlarge,64,1,12800,10000,1500,bf16,814.2,25,p50\n"
	write := func(name, rows string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(header+rows), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	one, mixed, none := write("one.csv", fitted), write("mixed.csv", fitted+other), write("none.csv", other)
	tests := []outputCase{
		{[]string{"validate", one}, []string{"1 of 1 (100%) in the committed constants' fit: their errors, marked (in fit), are in sample",
			"bf16     1 (in fit)"}},
		{[]string{"validate", mixed}, []string{"1 of 2 (50%) in the committed constants' fit", "2 (1 in fit)"}},
		{[]string{"validate", one, "--json"}, []string{`"in_fit": true`, `"in_fit_rows": 1`}},
		{[]string{"validate", none, "--json"}, []string{`"in_fit": false`, `"in_fit_rows": 0`}},
	}
	checkOutputs(t, tests)
	code, out, _ := hwRun(t, "", "validate", none)
	if code != 0 || strings.Contains(out, "in fit") || strings.Contains(out, "committed constants' fit") {
		t.Errorf("a row no fit saw: exit %d, output says it is in fit:\n%s", code, out)
	}
}
