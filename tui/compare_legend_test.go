package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
)

// TestCompareLegendKeepsStatus: at 80 columns the legend cut a sweep
// point's long name from the right, and with it the baseline's role and
// OVERLOADED mark, while the warning below named A overloaded. Each line
// keeps its letter, its status and its role, and loses the middle of
// its name first; where there is room, nothing is cut.
func TestCompareLegendKeepsStatus(t *testing.T) {
	long := "fleet-size: x1 workloads[chat].arrivals.rate=2/s r0"
	tests := []struct {
		name  string
		w     int
		runs  []data.RunSummary
		over  []bool
		wants []string // the legend's lines hold these, in order
	}{
		{"long names at 80", 80,
			[]data.RunSummary{{ID: "1m99a", Name: long, Status: data.StatusComplete}, {ID: "1m99b", Name: long, Status: data.StatusFailed}},
			[]bool{true, false},
			[]string{"A  fleet-size: x1 work", "=2/s r0 OVERLOADED (baseline of the deltas)", "B  fleet-size:", "r0 failed"}},
		{"short names at 80", 80,
			[]data.RunSummary{{ID: "1m99a", Name: "baseline", Status: data.StatusComplete}, {ID: "1m99b", Name: "gpu-p5", Status: data.StatusComplete}},
			[]bool{false, true},
			[]string{"A  baseline (baseline of the deltas)", "B  gpu-p5 OVERLOADED"}},
		{"long names at 160", 160,
			[]data.RunSummary{{ID: "1m99a", Name: long, Status: data.StatusComplete}, {ID: "1m99b", Name: long, Status: data.StatusComplete}},
			[]bool{true, true},
			[]string{"A  " + long + " OVERLOADED (baseline of the deltas)", "B  " + long + " OVERLOADED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newCompareScreen(testShared(), []string{"a", "b"})
			s.cmp = &data.Comparison{Runs: tt.runs, Overloaded: tt.over}
			lines := s.legend(tt.w, 40)
			if len(lines) != len(tt.runs) {
				t.Fatalf("the legend has %d lines, want %d: %q", len(lines), len(tt.runs), lines)
			}
			text := ansi.Strip(strings.Join(lines, "\n"))
			at := 0
			for _, want := range tt.wants {
				k := strings.Index(text[at:], want)
				if k < 0 {
					t.Fatalf("the legend at %d columns lacks %q (after offset %d):\n%s", tt.w, want, at, text)
				}
				at += k + len(want)
			}
			for _, l := range lines {
				if ansi.StringWidth(l) > tt.w {
					t.Errorf("a line of %d cells at %d columns: %q", ansi.StringWidth(l), tt.w, ansi.Strip(l))
				}
			}
		})
	}
}

// TestCompareSaysFailedRunsHaveNoKPIs: two failed runs marked and compared
// showed an empty table and no reason; the warnings say, first, that
// they did not complete and store no KPIs, with the screen's letters.
func TestCompareSaysFailedRunsHaveNoKPIs(t *testing.T) {
	s := newCompareScreen(testShared(), []string{"a", "b"})
	s.cmp = &data.Comparison{Runs: []data.RunSummary{{ID: "1m99a", Name: "x", Status: data.StatusFailed}, {ID: "1m99b", Name: "y", Status: data.StatusFailed}}}
	w := s.warning(80)
	flat := strings.Join(strings.Fields(ansi.Strip(strings.Join(w, " "))), " ")
	if want := "⚠ NO KPIS: A (failed) and B (failed) did not complete"; !strings.HasPrefix(flat, want) {
		t.Errorf("the warnings read %q, want them to start %q", flat, want)
	}
}
