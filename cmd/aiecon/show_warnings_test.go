package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// show repeats the fleet-sizing warnings run printed (an overloaded fleet
// warned OVERLOADED at run, and show of the same run said nothing), from
// the stored scenario and KPIs by the same checks, in the table and in
// --json; its hint starts from the stored scenario, not a file it lacks.
func TestShowRepeatsRunWarnings(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "warn.duckdb")
	code, out, errs := cli(t, db, "", "run", "--set", "horizon=2m", "--set", "fleet.count=1", "--width", "0")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	overloaded := warningLine(out, "OVERLOADED:")
	if overloaded == "" {
		t.Fatalf("run warns no OVERLOADED; the test needs an overloaded run:\n%s", out)
	}
	code, shown, errs := cli(t, db, "", "show", "last", "--width", "0")
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

// warningBlock is the lines of out's WARNING block, without their indent.
func warningBlock(out string) []string {
	_, block, ok := strings.Cut(out, "\nWARNING\n")
	if !ok {
		return nil
	}
	var ws []string
	for _, l := range strings.Split(strings.TrimRight(block, "\n"), "\n") {
		ws = append(ws, strings.TrimSpace(l))
	}
	return ws
}

// TestShowWarningsMatchRun: show gives, in its table and in --json alike,
// every warning run --json gave (show --json held only the fleet-sizing
// ones: not NO TOKEN PRICE, UNUSED DEVICES or the profile's caveats), but
// for the ones its help says the store cannot give back, and the hint,
// which starts from the stored scenario there. STEP TIMES EXTRAPOLATED on
// the model's size per device, read from the scenario, is repeated.
func TestShowWarningsMatchRun(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	poor, _ := saveFitProfile(t, dir, 1.37, time.Now().UTC())
	// Two instances: one, whose replica steps through the run, gets IDLE
	// SLOTS rather than the MOSTLY IDLE this test needs.
	scenario := filepath.Join(dir, "s.yaml")
	yaml := "name: warny\nseed: 1\nhorizon: 1m\nmodel: llama-3.1-8b\nfleet: {instance: p5.48xlarge, count: 2, replica: {tp: 4, per_instance: 1}}\n" +
		"workloads:\n  - {name: chat, class: api, arrivals: {rate: 2/s}, prompt_tokens: 500, output_tokens: 200}\n"
	if err := os.WriteFile(scenario, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, db, "", "run", scenario, "--calibration", poor, "--json")
	var ran struct {
		Runs []struct {
			Warnings []string `json:"warnings"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &ran); code != 0 || err != nil || len(ran.Runs) != 1 {
		t.Fatalf("run --json: exit %d, %v: %s", code, err, errs)
	}
	var want []string
	for _, w := range ran.Runs[0].Warnings {
		lengths := strings.HasPrefix(w, "STEP TIMES EXTRAPOLATED:") && strings.Contains(w, " tokens, while the measurements")
		if !lengths && !strings.HasPrefix(w, "TRACE CUT AT THE HORIZON:") && !strings.HasPrefix(w, "To ") {
			want = append(want, w)
		}
	}
	for _, label := range []string{"MOSTLY IDLE:", "UNUSED DEVICES:", "NO TOKEN PRICE:", "POORLY FITTED CALIBRATION:", "STEP TIMES EXTRAPOLATED:"} {
		if !slices.ContainsFunc(want, func(w string) bool { return strings.HasPrefix(w, label) }) {
			t.Fatalf("run warns no %s; the test needs one:\n%s", label, strings.Join(want, "\n"))
		}
	}
	code, table, errs := cli(t, db, "", "show", "last", "--width", "0")
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, errs)
	}
	code, js, errs := cli(t, db, "", "show", "last", "--json")
	var shown struct {
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(js), &shown); code != 0 || err != nil {
		t.Fatalf("show --json: exit %d, %v: %s", code, err, errs)
	}
	if !slices.Equal(shown.Warnings, warningBlock(table)) {
		t.Errorf("show --json warnings:\n%s\nshow's table:\n%s", strings.Join(shown.Warnings, "\n"), strings.Join(warningBlock(table), "\n"))
	}
	got := slices.DeleteFunc(slices.Clone(shown.Warnings), func(w string) bool { return strings.HasPrefix(w, "To ") })
	if !slices.Equal(got, want) {
		t.Errorf("show --json warnings:\n%s\nwant run's:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestShowRepeatsSpeculativeExtrapolation: show repeats run's STEP TIMES
// EXTRAPOLATED where its gaps are read from the scenario alone (here
// speculative decoding): show dropped the whole warning because the store
// kept no lengths served, which only the prompt and context gaps read.
// The example's prompts are capped at the GPU rows' 2,048 tokens, so that
// speculation is the one gap (TestShowRepeatsPromptExtrapolation has the
// prompts past them).
func TestShowRepeatsSpeculativeExtrapolation(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "spec.duckdb")
	code, out, errs := cli(t, db, "", "run", "../../examples/scenarios/p5-spec-decode.yaml", "--variant", "draft-8b", "--set", "horizon=1m",
		"--set", "workloads[chat].prompt_tokens.max=2048", "--width", "0")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	ran := warningLine(out, "STEP TIMES EXTRAPOLATED:")
	if !strings.Contains(ran, "speculative decoding with the llama-3.1-8b proposer") {
		t.Fatalf("run warns no speculative STEP TIMES EXTRAPOLATED; the test needs one:\n%s", out)
	}
	code, shown, errs := cli(t, db, "", "show", "last", "--width", "0")
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, errs)
	}
	if got := warningLine(shown, "STEP TIMES EXTRAPOLATED:"); got != ran {
		t.Errorf("show's STEP TIMES EXTRAPOLATED %q, want run's %q", got, ran)
	}
}

// TestShowRepeatsPromptExtrapolation: show repeats run's STEP TIMES
// EXTRAPOLATED with its prompt-length gap ("prompts to 2,879 tokens, while
// the measurements they were fitted to reached 2,048"), read from the
// 99th-percentile prompt the store keeps (runs.served_prompt_p99_tok):
// show left every length gap out, the store having kept no prompt. A run
// stored before it kept one is told that gap cannot be recomputed, and
// gets the gaps read from its scenario (speculative decoding) alone.
func TestShowRepeatsPromptExtrapolation(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "prompts.duckdb")
	code, out, errs := cli(t, db, "", "run", "../../examples/scenarios/p5-spec-decode.yaml", "--variant", "draft-8b", "--set", "horizon=1m", "--width", "0")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	ran := warningLine(out, "STEP TIMES EXTRAPOLATED:")
	if !strings.Contains(ran, "prompts to ") || !strings.Contains(ran, "speculative decoding") {
		t.Fatalf("run warns of no prompt and speculative gap; the test needs both:\n%s", out)
	}
	for _, tt := range []struct {
		name  string
		clear bool // the prompt removed, as a run stored before it was kept
		want  func(string) bool
	}{
		{"prompt kept", false, func(w string) bool { return w == ran }},
		{"stored before", true, func(w string) bool {
			return !strings.Contains(w, "prompts to ") && strings.Contains(w, "speculative decoding") &&
				strings.Contains(w, "99th-percentile prompt for this run, so whether it lay beyond the measured lengths cannot be recomputed")
		}},
	} {
		if tt.clear {
			if code, _, errs := cli(t, db, "", "sql", "--write", "UPDATE runs SET served_prompt_p99_tok = NULL"); code != 0 {
				t.Fatalf("%s: clearing the prompt: exit %d: %s", tt.name, code, errs)
			}
		}
		code, shown, errs := cli(t, db, "", "show", "last", "--width", "0")
		if code != 0 {
			t.Fatalf("%s: show: exit %d: %s", tt.name, code, errs)
		}
		if got := warningLine(shown, "STEP TIMES EXTRAPOLATED:"); !tt.want(got) {
			t.Errorf("%s: show's STEP TIMES EXTRAPOLATED\n%s\nrun's\n%s", tt.name, got, ran)
		}
	}
}

// TestShowRepeatsThinlyFittedShare: show gives STEP TIMES THINLY FITTED's
// share of a decode step as run gave it, at the run's mean batch and mean
// context from the lengths the store keeps (show priced a full batch at
// the scenario's 99th-percentile context instead: 73% where run said
// 53%), and a run stored before the store kept them is told the share
// cannot be recomputed rather than given another step's.
func TestShowRepeatsThinlyFittedShare(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "thin.duckdb")
	code, out, errs := cli(t, db, "", "run", "--set", "horizon=2m", "--width", "0")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	ran := warningLine(out, "STEP TIMES THINLY FITTED:")
	if !strings.Contains(ran, "Of a decode step at this run's mean batch") {
		t.Fatalf("run gives no THINLY FITTED share at its mean step; the test needs one:\n%s", out)
	}
	for _, tt := range []struct {
		name  string
		clear bool // the run's lengths removed, as a run stored before they were kept
		want  func(string) bool
	}{
		{"lengths kept", false, func(w string) bool { return w == ran }},
		{"stored before", true, func(w string) bool {
			return strings.Contains(w, "cannot be recomputed") && !strings.Contains(w, "Of a decode step") && !strings.Contains(w, "%")
		}},
	} {
		if tt.clear {
			if code, _, errs := cli(t, db, "", "sql", "--write", "UPDATE runs SET served_calls = NULL, served_prompt_mean_tok = NULL, "+
				"served_context_mean_tok = NULL, served_context_p99_tok = NULL"); code != 0 {
				t.Fatalf("%s: clearing the lengths: exit %d: %s", tt.name, code, errs)
			}
		}
		code, shown, errs := cli(t, db, "", "show", "last", "--width", "0")
		if code != 0 {
			t.Fatalf("%s: show: exit %d: %s", tt.name, code, errs)
		}
		if got := warningLine(shown, "STEP TIMES THINLY FITTED:"); !tt.want(got) {
			t.Errorf("%s: show's STEP TIMES THINLY FITTED %q; run's was %q", tt.name, got, ran)
		}
	}
}
