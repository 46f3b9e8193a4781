package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// The MODELS table's cost is each model's instances over the run, and its
// cost per Mtok the instances' alone: headed `cost` and `$/Mtok`, the 70B
// pool's $35.76 over model-mix's 30 minutes read as one trn2's hourly
// price, and the cost per Mtok as ECONOMICS' all-costs figure. The header
// names the span (the horizon, and the drain where the run drains) and
// the basis.
func TestModelsTableSaysSpanAndBasis(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		head string
	}{
		{[]string{"--horizon", "2m"}, "cost (2m)  inst. $/Mtok"},
		{[]string{"--horizon", "1m", "--set", "drain=true"}, "cost (1m + drain)  inst. $/Mtok"},
	} {
		args := append([]string{"run", "model-mix", "--variant", "escalate-20", "--no-store"}, tt.args...)
		code, out, errs := cli(t, filepath.Join(dir, "s.duckdb"), "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tt.args, code, errs)
		}
		_, models, _ := strings.Cut(out, "\nMODELS\n")
		models, _, _ = strings.Cut(models, "\n\n")
		if !strings.Contains(models, tt.head) || !strings.Contains(models, "cost: the model's instances over the run, not per hour") ||
			!strings.Contains(models, "instances only)") {
			t.Errorf("%v: MODELS lacks %q or its footnote:\n%s", tt.args, tt.head, models)
		}
	}
}

// TestModelsCostPerMTokBasis: a model's inst. $/Mtok is its instance
// cost over the tokens of every call it completed, escalated ones too
// (which the user is not billed for: large's answer is), and the legend
// says so. It said "per million tokens billed", and a strategist dividing
// the small model's cost by the figure found every call's tokens.
func TestModelsCostPerMTokBasis(t *testing.T) {
	args := []string{"run", "model-mix", "--variant", "escalate-20", "--no-store", "--horizon", "1m"}
	code, out, errs := cli(t, filepath.Join(t.TempDir(), "s.duckdb"), "", append(args, "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Runs []struct {
			KPIs []struct {
				Name, Scope string
				Value       float64
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("run --json: %v", err)
	}
	k := map[string]float64{}
	for _, x := range doc.Runs[0].KPIs {
		k[x.Name+"["+x.Scope+"]"] = x.Value
	}
	const small = "[model:small]"
	if k["escalations"+small] == 0 {
		t.Fatal("no escalations: the test needs some")
	}
	mtok := (k["input_tokens_per_s"+small] + k["output_tokens_per_s"+small]) * 60 / 1e6 // every call's, escalated ones too
	if got, want := k["cost_per_mtok_instances_usd"+small], k["cost_instances_usd"+small]/mtok; math.Abs(got/want-1) > 1e-9 {
		t.Errorf("small's inst. $/Mtok %v, want its cost over every call's tokens, %v", got, want)
	}
	code, out, errs = cli(t, filepath.Join(t.TempDir(), "s.duckdb"), "", append(args, "--width", "0")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "inst. $/Mtok: that cost per million tokens of the calls it completed (prompt and output, instances only), "+
		"escalated calls too, which are not billed") || strings.Contains(out, "tokens billed (instances only)") {
		t.Errorf("the legend does not say what the figure is over:\n%s", out)
	}
}
