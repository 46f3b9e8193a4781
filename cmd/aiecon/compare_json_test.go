package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
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

// compare --format json says which runs model freshness in what they
// earn and warns when some do and others do not, as the table does on
// stderr; runs that agree get no warning. A training block over no ads or
// commerce (research-licensing's) models nothing freshness multiplies:
// the warning leaves it out, and freshness_modelled is false for it, where
// it read true from the training block alone.
func TestCompareJSONFreshness(t *testing.T) {
	yes, no := sql.NullBool{Bool: true, Valid: true}, sql.NullBool{Bool: false, Valid: true}
	tests := []struct {
		name       string
		freshness  []sql.NullBool
		multiplies []bool // nil: as a Comparison built before it was asked
		warn       bool
		modelled   []*bool
	}{
		{"one trains", []sql.NullBool{no, yes}, nil, true, []*bool{ptr(false), ptr(true)}},
		{"both train", []sql.NullBool{yes, yes}, []bool{true, true}, false, []*bool{ptr(true), ptr(true)}},
		{"one unknown", []sql.NullBool{{}, yes}, []bool{true, true}, false, []*bool{nil, ptr(true)}},
		{"one trains over nothing", []sql.NullBool{no, yes}, []bool{true, false}, false, []*bool{ptr(false), ptr(false)}},
		{"both train, one over nothing", []sql.NullBool{yes, yes}, []bool{true, false}, false, []*bool{ptr(true), ptr(false)}},
	}
	for _, tt := range tests {
		c := &data.Comparison{Runs: []data.RunSummary{{ID: "a", HorizonS: 3600, Seed: 1}, {ID: "b", HorizonS: 3600, Seed: 1}},
			Freshness: tt.freshness, FreshnessMultiplies: tt.multiplies}
		var buf bytes.Buffer
		if err := printCompareJSON(&buf, c); err != nil {
			t.Fatal(err)
		}
		var got struct {
			Runs []struct {
				Freshness *bool `json:"freshness_modelled"`
			} `json:"runs"`
			Warnings []string `json:"warnings"`
		}
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if warned := len(got.Warnings) == 1 && strings.Contains(got.Warnings[0], "not by an effect of retraining"); warned != tt.warn {
			t.Errorf("%s: warnings %q, want the freshness one: %v", tt.name, got.Warnings, tt.warn)
		}
		for i, want := range tt.modelled {
			if r := got.Runs[i].Freshness; (r == nil) != (want == nil) || (r != nil && *r != *want) {
				t.Errorf("%s: run %d freshness_modelled %s, want %s", tt.name, i, showBool(r), showBool(want))
			}
		}
	}
}

func ptr(b bool) *bool { return &b }

func showBool(b *bool) string {
	if b == nil {
		return "null"
	}
	return fmt.Sprint(*b)
}
