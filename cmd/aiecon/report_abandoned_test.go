package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"aiecon/hw"
)

// TestRunSaysWhatAbandonedCallsStreamed: where an agent workload with a
// token price has calls abandoned mid-answer, run's ECONOMICS says what
// they had streamed and whether it was billed, and the token revenue moves
// with price.bill_abandoned; at no token price (the baseline's shopping
// assistant) it says nothing.
func TestRunSaysWhatAbandonedCallsStreamed(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	priced := []string{"--set", "workloads[shopping-assistant].price.input_per_mtok=1", "--set", "workloads[shopping-assistant].price.output_per_mtok=10"}
	tokens := regexp.MustCompile(`\(tokens (\$[0-9.,k]+),`)
	line := regexp.MustCompile(`(?m)^  abandoned calls +shopping-assistant: [1-9][0-9,]* calls abandoned after their first token had generated [1-9][0-9,.k]* output tokens, \$[0-9.]+ with their prompts at its token prices; `)
	revenue := map[string]string{}
	for _, tc := range []struct {
		name string
		args []string
		want []string // "" : no abandoned calls line
	}{
		{"no token price", nil, nil},
		{"default", priced, []string{"not billed (price.bill_abandoned: nothing, the default"}},
		{"streamed", append(priced, "--set", "workloads[shopping-assistant].price.bill_abandoned=streamed"),
			[]string{"billed, in the token revenue (price.bill_abandoned: streamed)"}},
	} {
		args := append([]string{"run", "--no-store", "--horizon", "10m", "--width", "0"}, tc.args...)
		code, out, errs := hwRun(t, "", args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.name, code, errs)
		}
		if m := tokens.FindStringSubmatch(out); m != nil {
			revenue[tc.name] = m[1]
		}
		if tc.want == nil {
			if strings.Contains(out, "abandoned calls") {
				t.Errorf("%s: an abandoned calls line at no token price:\n%s", tc.name, out)
			}
			continue
		}
		if !line.MatchString(out) {
			t.Errorf("%s: no abandoned calls line matching %s in:\n%s", tc.name, line, out)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: the report lacks %q:\n%s", tc.name, w, out)
			}
		}
	}
	if revenue["default"] == "" || revenue["default"] == revenue["streamed"] {
		t.Errorf("token revenue %q by default, %q billing what was streamed; want them apart", revenue["default"], revenue["streamed"])
	}
}

// TestShowSaysWhatAbandonedCallsStreamed: show of a stored run prints the
// abandoned calls line run printed, from the stored KPIs, billed or not;
// it printed none, and the figure was only in run's output.
func TestShowSaysWhatAbandonedCallsStreamed(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	db := filepath.Join(t.TempDir(), "s.duckdb")
	priced := []string{"--set", "workloads[shopping-assistant].price.input_per_mtok=1", "--set", "workloads[shopping-assistant].price.output_per_mtok=10"}
	line := regexp.MustCompile(`(?m)^  abandoned calls +(shopping-assistant: .*)$`)
	for _, tc := range []struct {
		name   string
		args   []string
		billed bool
	}{
		{"default", priced, false},
		{"streamed", append(priced, "--set", "workloads[shopping-assistant].price.bill_abandoned=streamed"), true},
	} {
		args := append([]string{"run", "--db", db, "--horizon", "10m", "--width", "0"}, tc.args...)
		code, out, errs := hwRun(t, "", args...)
		if code != 0 {
			t.Fatalf("%s: run: exit %d: %s", tc.name, code, errs)
		}
		ran := line.FindStringSubmatch(out)
		if ran == nil {
			t.Fatalf("%s: run printed no abandoned calls line:\n%s", tc.name, out)
		}
		if got := strings.Contains(ran[1], "; billed,"); got != tc.billed {
			t.Errorf("%s: run's line says billed %v, want %v: %s", tc.name, got, tc.billed, ran[1])
		}
		code, out, errs = hwRun(t, "", "--db", db, "show", "last", "--width", "0")
		if code != 0 {
			t.Fatalf("%s: show: exit %d: %s", tc.name, code, errs)
		}
		shown := line.FindStringSubmatch(out)
		if shown == nil || shown[1] != ran[1] {
			t.Errorf("%s: show's abandoned calls line %q, want run's %q in:\n%s", tc.name, shown, ran[1], out)
		}
	}
}
