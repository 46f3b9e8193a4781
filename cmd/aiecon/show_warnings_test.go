package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// show repeats the fleet-sizing warnings run printed (an overloaded fleet
// warned OVERLOADED at run, and show of the same run said nothing), from
// the stored scenario and KPIs by the same checks, in the table and in
// --json; its hint starts from the stored scenario, not a file it lacks.
func TestShowRepeatsRunWarnings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "warn.duckdb")
	code, out, errs := cli(t, db, "", "run", "--set", "horizon=2m", "--set", "fleet.count=1")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	overloaded := warningLine(out, "OVERLOADED:")
	if overloaded == "" {
		t.Fatalf("run warns no OVERLOADED; the test needs an overloaded run:\n%s", out)
	}
	code, shown, errs := cli(t, db, "", "show", "last")
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, errs)
	}
	if got := warningLine(shown, "OVERLOADED:"); got != overloaded {
		t.Errorf("show's OVERLOADED line %q, want run's %q", got, overloaded)
	}
	if hint := warningLine(shown, "To size the fleet"); !strings.Contains(hint, "--yaml resolved --db "+db+" > run.yaml && aiecon optimize run.yaml --instances") {
		t.Errorf("show's hint %q, want one from the stored scenario", hint)
	}
	code, js, errs := cli(t, db, "", "show", "last", "--json")
	if code != 0 {
		t.Fatalf("show --json: exit %d: %s", code, errs)
	}
	var got struct {
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(js), &got); err != nil || len(got.Warnings) == 0 || got.Warnings[0] != overloaded {
		t.Errorf("show --json warnings %q (%v), want run's %q first", got.Warnings, err, overloaded)
	}
}

// warningLine is the line of a WARNING block that starts with prefix,
// without its indent; "" when there is none.
func warningLine(out, prefix string) string {
	_, block, ok := strings.Cut(out, "\nWARNING\n")
	if !ok {
		return ""
	}
	for _, l := range strings.Split(block, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}
