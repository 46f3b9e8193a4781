package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestWrapPhrases: lines of at most width characters, broken at spaces
// only, a phrase started on a line of its own where it fits on one.
func TestWrapPhrases(t *testing.T) {
	path := "workloads[shopping-assistant].agent.tool_call_tokens"
	for _, tt := range []struct {
		name  string
		s     string
		width int
		want  []string
	}{
		{"no wrapping", "a b; c d", 0, []string{"a b; c d"}},
		{"exactly the width", "aaaa bbbb", 9, []string{"aaaa bbbb"}},
		{"one past the width", "aaaa bbbbb", 9, []string{"aaaa", "bbbbb"}},
		{"a phrase that fits starts a line", "one two; three four", 12, []string{"one two;", "three four"}},
		{"phrases packed while they fit", "a; b; c", 5, []string{"a; b;", "c"}},
		// A phrase longer than a line goes on after the one before: it
		// would be broken anyway.
		{"a long phrase goes on", "cost $5.20; per token of the calls served", 20,
			[]string{"cost $5.20; per", "token of the calls", "served"}},
		{"a field path longer than the width stays whole", "set " + path + " to 0.5", 20, []string{"set", path, "to 0.5"}},
		{"a number is not broken", "margin $1,234,567.89 gross", 12, []string{"margin", "$1,234,567.89", "gross"}},
		// Characters, not bytes: "—" is one column of three bytes.
		{"characters counted, not bytes", "a — b — c", 9, []string{"a — b — c"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := wrapPhrases(tt.s, tt.width)
			if !slices.Equal(got, tt.want) {
				t.Errorf("wrapPhrases(%q, %d) = %q, want %q", tt.s, tt.width, got, tt.want)
			}
			if strings.Join(got, " ") != strings.Join(strings.Fields(tt.s), " ") {
				t.Errorf("the words changed: %q from %q", got, tt.s)
			}
		})
	}
}

// TestWrapWriter: labelled lines keep their labels in one column with the
// text wrapped beside it, prose hangs under its first word, and width 0
// changes nothing but the tabs.
func TestWrapWriter(t *testing.T) {
	for _, tt := range []struct {
		name  string
		in    string
		width int
		want  string
	}{
		{"labels padded as a tabwriter pads them", "  cost\t$5\n  lost to latency\t$3\n", 40,
			"  cost             $5\n  lost to latency  $3\n"},
		{"text wrapped beside the label column", "  cost\tone two three four five six\n  margin\tseven\n", 30,
			"  cost    one two three four\n          five six\n  margin  seven\n"},
		// Label column 6: 24 columns of text at width 30.
		{"text exactly at the width", "  ab\taaaaaaaaaaa bbbbbbbbbbbb\n", 30, "  ab  aaaaaaaaaaa bbbbbbbbbbbb\n"},
		{"one past the width", "  ab\taaaaaaaaaaa bbbbbbbbbbbb\n", 29, "  ab  aaaaaaaaaaa\n      bbbbbbbbbbbb\n"},
		{"never narrower than minWrapText", "  ab\taaaaaaaaaaa bbbbbbbb\n", 10, "  ab  aaaaaaaaaaa bbbbbbbb\n"},
		{"a label without text keeps no trailing space", "  a\t\n  bb\tx\n", 20, "  a\n  bb  x\n"},
		{"each run of labelled lines has its column", "  a\tx\nprose\n  longer\ty\n", 40, "  a  x\nprose\n  longer  y\n"},
		{"prose hangs 2 further than it starts", "  NOTE: aaaa bbbb cccc dddd eeee ffff gggg\n", 30,
			"  NOTE: aaaa bbbb cccc dddd\n    eeee ffff gggg\n"},
		{"prose that fits is left alone", "  NOTE:  two  spaces\n", 30, "  NOTE:  two  spaces\n"},
		{"a field path is not broken", "  NOTE: raise workloads[chat].price now\n", 20,
			"  NOTE: raise\n    workloads[chat].price\n    now\n"},
		{"width 0 wraps nothing", "  cost\tone two three four five six\n  NOTE: one two three four five\n", 0,
			"  cost  one two three four five six\n  NOTE: one two three four five\n"},
		{"no final newline, none added", "  a\tx", 40, "  a  x"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			w := newWrapWriter(&b, tt.width)
			w.Write([]byte(tt.in))
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tt.want)
			}
		})
	}
}

// TestRunReportWraps: run's report wraps its text to --width (100 where
// stdout is not a terminal), its tables apart, with the same words and
// numbers as unwrapped (--width 0); show wraps a stored run the same way.
func TestRunReportWraps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs baseline")
	}
	db := filepath.Join(t.TempDir(), "wrap.duckdb")
	run := func(args ...string) string {
		t.Helper()
		code, out, errs := hwRun(t, "", args...)
		if code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, errs)
		}
		return out
	}
	flat := run("run", "baseline", "--horizon", "5m", "--db", db, "--width", "0")
	// The wall time apart, a second run prints the same.
	for _, tt := range []struct {
		name   string
		args   []string
		width  int
		tables []string // the sections whose tables stay whole
	}{
		{"run, not a terminal", []string{"run", "baseline", "--horizon", "5m", "--no-store"}, defaultReportWidth, []string{"TRAFFIC", "LATENCY"}},
		{"run --width 60", []string{"run", "baseline", "--horizon", "5m", "--no-store", "--width", "60"}, 60, []string{"TRAFFIC", "LATENCY"}},
		{"show --width 60", []string{"show", "last", "--db", db, "--width", "60"}, 60, []string{"KPIS", "REPLICAS"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := run(tt.args...)
			want := flat
			if tt.args[0] == "show" {
				want = run("show", "last", "--db", db, "--width", "0")
			}
			if g, w := wordsBut(got, "simulated"), wordsBut(want, "simulated"); !slices.Equal(g, w) {
				t.Errorf("the words differ from --width 0's:\n%s\nagainst\n%s", got, want)
			}
			for _, l := range tableLines(want, tt.tables) {
				if !strings.Contains(got, l+"\n") {
					t.Errorf("table row %q wrapped:\n%s", l, got)
				}
			}
			for _, l := range strings.Split(got, "\n") {
				if utf8.RuneCountInString(l) > tt.width && !slices.Contains(tableLines(want, tt.tables), l) && len(strings.Fields(l)) > 2 {
					t.Errorf("line of %d characters, over %d: %q", utf8.RuneCountInString(l), tt.width, l)
				}
			}
			if strings.Count(got, "\n") <= strings.Count(want, "\n") {
				t.Errorf("nothing wrapped:\n%s", got)
			}
		})
	}
	code, _, errs := hwRun(t, "", "run", "baseline", "--no-store", "--width", "-1")
	if code != 2 || !strings.Contains(errs, `invalid argument "-1" for "--width" flag: want a number of columns, 0 or more`) {
		t.Errorf("--width -1: exit %d, %s", code, errs)
	}
}

// wordsBut are out's words, the lines starting with skip (after spaces) apart.
func wordsBut(out, skip string) []string {
	var words []string
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), skip) {
			words = append(words, strings.Fields(l)...)
		}
	}
	return words
}

// tableLines are the lines of out's sections named, from their heading to
// the next blank line.
func tableLines(out string, sections []string) []string {
	var lines []string
	in := false
	for _, l := range strings.Split(out, "\n") {
		switch {
		case slices.Contains(sections, l):
			in = true
		case l == "":
			in = false
		case in && strings.Count(l, "  ") > 2: // a row: columns apart
			lines = append(lines, l)
		}
	}
	return lines
}
