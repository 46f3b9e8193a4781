package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// A model mix's run report shows each model's pool, the routing and the
// MODELS table, and its --json carries the per-model KPIs.
func TestRunReportsEachModel(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_DB", filepath.Join(dir, "x.duckdb"))
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	args := []string{"run", "model-mix", "--variant", "escalate-20", "--horizon", "3m", "--no-store"}
	var out, errb bytes.Buffer
	if code := Main(args, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"model llama-3.3-70b", "model small", "routing              small-first: small answers, 20.0% of its answers escalated to llama-3.3-70b",
		"\nMODELS\n", "answered: its share of the requests' final answers"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := Main(append(args, "--json"), strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("--json: exit %d: %s", code, errb.String())
	}
	var doc struct {
		Runs []struct {
			KPIs []struct {
				Name, Scope string
				Value       *float64
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("--json: %v, %d runs", err, len(doc.Runs))
	}
	shares := 0.0
	for _, k := range doc.Runs[0].KPIs {
		if k.Name == "answered_share" && strings.HasPrefix(k.Scope, "model:") && k.Value != nil {
			shares += *k.Value
		}
	}
	if shares < 0.999999 || shares > 1.000001 {
		t.Errorf("the models' answered shares add to %v, want 1", shares)
	}
}
