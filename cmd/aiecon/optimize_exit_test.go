package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOptimizeNoFleetExitsOne: a search that ran and found no fleet meeting
// the target exited 0, so a script or CI job could not tell it from an
// answer. It exits 1 (a failure while running; bad input is 2), after the
// whole report: the text one with NO FLEET MET THE TARGET and its tables,
// or the complete JSON with "best": null, its evaluations stored as ever
// (or, under --no-store, not). A search that finds one still exits 0.
// --max-session-abandon 0 leaves no fleet feasible: in 5 s no agent
// session ends, and a fleet where none ended meets no limit.
func TestOptimizeNoFleetExitsOne(t *testing.T) {
	search := []string{"optimize", "baseline", "--instances", "trn2.48xlarge", "--tp", "32", "--max-num-seqs", "32", "--max-count", "4",
		"--horizon", "5s", "-j", "1", "--width", "0"}
	none := slices.Concat(search, []string{"--max-session-abandon", "0"})
	for _, tt := range []struct {
		name   string
		args   []string
		code   int
		stdout []string // in the report, whatever the exit
		stored bool     // the JSON's store is the store's path (else null)
	}{
		{"a fleet met the target", search, exitOK, []string{"BEST  ", "FRONTIER", "CANDIDATES", "stored as sweep "}, true},
		{"none met it", none, exitFailure, []string{"NO FLEET MET THE TARGET", "FRONTIER", "CANDIDATES", "PRICES", "stored as sweep "}, true},
		{"none met it, json", slices.Concat(none, []string{"--format", "json"}), exitFailure, []string{`"best": null`, `"candidates": [`}, true},
		{"none met it, json, not stored", slices.Concat(none, []string{"--format", "json", "--no-store"}), exitFailure, []string{`"best": null`, `"store": null`}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			noStoreDirs(t) // --no-store's scratch store in a folder of the test's
			db := filepath.Join(t.TempDir(), "s.duckdb")
			code, out, errs := runMain(t, db, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tt.code, errs)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			// One candidate searched: the round lines say so in the singular.
			if strings.Contains(errs, "1 candidates") || !strings.Contains(errs, "1 candidate searching") {
				t.Errorf("the round lines do not say '1 candidate searching':\n%s", errs)
			}
			if said := strings.Contains(errs, "aiecon: no fleet met the target"); said != (code != exitOK) {
				t.Errorf("exit %d, and stderr says that no fleet met the target: %v:\n%s", code, said, errs)
			}
			if !strings.Contains(strings.Join(tt.args, " "), "--format json") {
				return
			}
			var res struct {
				SweepID    string            `json:"sweep_id"`
				Store      *string           `json:"store"`
				Best       map[string]any    `json:"best"`
				Candidates []json.RawMessage `json:"candidates"`
				Notes      []string          `json:"notes"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("stdout is not one JSON document: %v\n%s", err, out)
			}
			if res.Best != nil || len(res.Candidates) != 1 || res.SweepID == "" || len(res.Notes) == 0 ||
				!strings.HasPrefix(res.Notes[0], "NO FLEET MET THE TARGET") || (res.Store != nil) != tt.stored {
				t.Errorf("best %v, %d candidates, sweep %q, store %v, notes %q; want no best, 1 candidate, a sweep, stored %v, NO FLEET first",
					res.Best, len(res.Candidates), res.SweepID, res.Store, res.Notes, tt.stored)
			}
		})
	}
}
