package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
)

// readmeJQ is the jq program of the README's `run --json` example.
var readmeJQ = regexp.MustCompile(`--json --no-store \| jq -r '([^']+)'`)

// TestREADMEJQWorksOnEveryBuiltin: --json has one shape with or without
// variants, so the README's jq example prints one "scenario<TAB>cost per
// Mtok" line per run for every built-in scenario. Without jq on the PATH
// the same path is followed in Go.
func TestREADMEJQWorksOnEveryBuiltin(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every built-in scenario")
	}
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := readmeJQ.FindSubmatch(readme)
	if m == nil {
		t.Fatal("README has no `run ... --json --no-store | jq -r '...'` example")
	}
	jq, _ := exec.LookPath("jq")
	for _, name := range model.BuiltinNames() {
		code, out, errs := hwRun(t, "", "run", name, "--json", "--no-store", "--horizon", "10m")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errs)
		}
		var lines []string
		if jq != "" {
			cmd := exec.Command(jq, "-r", string(m[1]))
			cmd.Stdin = strings.NewReader(out)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			got, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: jq: %v: %s", name, err, stderr.String())
			}
			lines = strings.Split(strings.TrimSpace(string(got)), "\n")
		} else {
			lines = costLines(t, out)
		}
		want := 1
		if src, _ := model.Builtin(name); bytes.Contains(src, []byte("\nvariants:")) {
			want = 2 // at least
		}
		if len(lines) < want {
			t.Errorf("%s: %d lines from the README's jq, want %d or more: %q", name, len(lines), want, lines)
		}
		for _, l := range lines {
			scen, v, ok := strings.Cut(l, "\t")
			if _, err := strconv.ParseFloat(v, 64); !ok || !strings.HasPrefix(scen, name) || err != nil {
				t.Errorf("%s: line %q is not scenario<TAB>number", name, l)
			}
		}
	}
}

// costLines follows the README's jq path in Go.
func costLines(t *testing.T, out string) []string {
	var doc struct {
		Runs []struct {
			Scenario string `json:"scenario"`
			KPIs     []struct {
				Name  string   `json:"name"`
				Scope *string  `json:"scope"` // written for every KPI, "" for the run
				Value *float64 `json:"value"`
			} `json:"kpis"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not the documented shape: %v", err)
	}
	var lines []string
	for _, r := range doc.Runs {
		for _, k := range r.KPIs {
			if k.Name == "cost_per_mtok_usd" && k.Scope != nil && *k.Scope == "" && k.Value != nil {
				lines = append(lines, r.Scenario+"\t"+strconv.FormatFloat(*k.Value, 'g', -1, 64))
			}
		}
	}
	return lines
}

// runWallTime is the wall-clock time of run's second line, which changes
// from run to run: "simulated 1h in 79 ms (".
var runWallTime = regexp.MustCompile(`^(simulated \S+ in )[^(]+\(`)

// maskRunLine blanks what differs between two runs of one scenario: the
// wall-clock time and where the run was stored ("; stored as run ID in
// FILE", absent with --no-store).
func maskRunLine(l string) string {
	l = runWallTime.ReplaceAllString(strings.TrimRight(l, " "), "${1}T (")
	l, _, _ = strings.Cut(l, "; stored as run ")
	return l
}

// TestREADMERunExcerptIsCurrent: every line of the README's excerpt of
// `aiecon run` is a line of its output now, in order, the wall-clock time
// and the stored run's id masked. The excerpt read chat's E2E p99 as
// 35.70 s while run printed 35.84 s. A change that moves the default run's
// figures updates the excerpt from `go run ./cmd/aiecon run`.
func TestREADMERunExcerptIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates the default scenario's hour")
	}
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in calibration, as the excerpt says
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, excerpt, ok := strings.Cut(string(readme), "An excerpt of its output:\n\n```\n")
	excerpt, _, ok2 := strings.Cut(excerpt, "\n```")
	if !ok || !ok2 {
		t.Fatal("README has no \"An excerpt of its output:\" block")
	}
	code, out, errs := hwRun(t, "", "run", "--no-store")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	var got []string
	for _, l := range strings.Split(out, "\n") {
		got = append(got, maskRunLine(l))
	}
	i := 0
	for _, want := range strings.Split(excerpt, "\n") {
		if want = maskRunLine(want); want == "" {
			continue
		}
		for i < len(got) && got[i] != want {
			i++
		}
		if i == len(got) {
			t.Fatalf("the README's excerpt line\n%s\nis not in run's output (after the lines before it):\n%s", want, out)
		}
		i++
	}
}

// TestREADMEProseAbandonmentIsTheExcerpts: the README's account of the
// SESSIONS ABANDONED warning quotes the share of sessions abandoned that
// its excerpt of `aiecon run` shows (which TestREADMERunExcerptIsCurrent
// keeps current). The prose said 34.6% for long after the excerpt and the
// run said 34.3%.
func TestREADMEProseAbandonmentIsTheExcerpts(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := normalSpace(string(readme))
	excerpt := regexp.MustCompile(`sessions [0-9,]+ completed, [0-9,]+ abandoned \(([0-9.]+%)\)`).FindStringSubmatch(text)
	prose := regexp.MustCompile(`its users abandon ([0-9.]+%) of its sessions`).FindStringSubmatch(text)
	if excerpt == nil || prose == nil {
		t.Fatal("README no longer has the excerpt's sessions line and the prose's `its users abandon X% of its sessions`: update the test")
	}
	if excerpt[1] != prose[1] {
		t.Errorf("README's prose says its users abandon %s of its sessions; its excerpt of run says %s", prose[1], excerpt[1])
	}
}
