package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"aiecon/data"
)

// compare --format json carries the runs' horizons and seeds and the
// warnings the table gives on stderr: a script read deltas of runs of
// different horizons, or of seeds alone, without a word.
func TestCompareJSONWarnings(t *testing.T) {
	c := &data.Comparison{Runs: []data.RunSummary{{ID: "a", HorizonS: 172800, Seed: 1}, {ID: "b", HorizonS: 3600, Seed: 2}}}
	var buf bytes.Buffer
	if err := printCompareJSON(&buf, c); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Runs []struct {
			HorizonS float64 `json:"horizon_s"`
			Seed     uint64  `json:"seed"`
		} `json:"runs"`
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Runs) != 2 || got.Runs[0].HorizonS != 172800 || got.Runs[1].Seed != 2 {
		t.Errorf("runs %+v", got.Runs)
	}
	if len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "different horizons (2d, 1h)") {
		t.Errorf("warnings %q, want the horizons'", got.Warnings)
	}
	c.Runs[0].HorizonS, c.SeedOnly = 3600, true
	buf.Reset()
	if err := printCompareJSON(&buf, c); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil || len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "only in their seeds") {
		t.Errorf("seed-only runs: warnings %q (%v)", got.Warnings, err)
	}
}
