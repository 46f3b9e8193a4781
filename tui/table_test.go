package tui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// TestTableNeverCutsNumbers: at any width a number is shown whole or its
// column is left out. The right edge used to cut priority-0 columns that
// did not fit: at 56 columns the runs list showed SLO 100% as "1" and
// $11,762 as "$11,76".
func TestTableNeverCutsNumbers(t *testing.T) {
	cols := []column{
		{title: "", width: 2},
		{title: "ID", width: 10},
		{title: "NAME", width: 24, flex: true},
		{title: "$/MTOK", width: 9, right: true},
		{title: "COST", width: 9, right: true},
		{title: "SLO", width: 6, right: true},
		{title: "REVENUE", width: 9, right: true, prio: 1},
	}
	row := cells(" ✓", "1m1q01zz5b", "traffic-spike", "$2.58", "$11,762", "100%", "$2,506")
	tests := []struct {
		width int
		shown []string // the titles of the columns shown
	}{
		{100, []string{"", "ID", "NAME", "$/MTOK", "COST", "SLO", "REVENUE"}},
		{80, []string{"", "ID", "NAME", "$/MTOK", "COST", "SLO"}},
		{56, []string{"", "ID", "NAME", "$/MTOK", "COST", "SLO"}},
		{48, []string{"", "ID", "NAME", "$/MTOK", "COST"}},
		{40, []string{"", "ID", "NAME", "$/MTOK"}},
		{20, []string{"", "ID", "NAME"}},
		{18, []string{"", "ID"}},
		{6, []string{""}},
	}
	for _, tt := range tests {
		tb := newTable(newStyles(), cols)
		tb.setSize(tt.width, 3)
		tb.setRows([][]cell{row})
		idx, _ := tb.layout()
		var shown []string
		for _, i := range idx {
			shown = append(shown, cols[i].title)
		}
		if strings.Join(shown, ",") != strings.Join(tt.shown, ",") {
			t.Errorf("%d columns: shows %q, want %q", tt.width, shown, tt.shown)
		}
		lines := strings.Split(ansi.Strip(tb.view()), "\n")
		for _, l := range lines {
			if lipgloss.Width(l) > tt.width {
				t.Errorf("%d columns: line %q is %d wide", tt.width, l, lipgloss.Width(l))
			}
		}
		for _, i := range idx {
			if cols[i].right && !strings.Contains(lines[1], row[i].text) {
				t.Errorf("%d columns: %s %q is cut: %q", tt.width, cols[i].title, row[i].text, lines[1])
			}
		}
	}
}

// TestTableLoneColumnEllipsis: a single column wider than the table ends
// its cells with "…" rather than at the edge.
func TestTableLoneColumnEllipsis(t *testing.T) {
	tb := newTable(newStyles(), []column{{title: "ID", width: 15}})
	tb.setSize(8, 2)
	tb.setRows([][]cell{cells("1m1q01zz5b0c7d9")})
	if got := strings.Split(ansi.Strip(tb.view()), "\n")[1]; got != "1m1q01z…" {
		t.Errorf("row %q, want 1m1q01z…", got)
	}
}

// TestTableCompanionColumns: a column shown only beside another (with)
// goes when its companion goes, whether priority or the width dropped it,
// and shows freely in a table that has no such companion.
func TestTableCompanionColumns(t *testing.T) {
	for _, tt := range []struct {
		cols  []column
		width int
		want  []string
	}{
		{[]column{{title: "ID", width: 10}, {title: "SLO", width: 5, with: "ABANDON"}, {title: "ABANDON", width: 8}}, 17, []string{"ID"}},                   // the width drops ABANDON, and SLO with it
		{[]column{{title: "ID", width: 10}, {title: "SLO", width: 5, prio: 3, with: "ABANDON"}, {title: "ABANDON", width: 8, prio: 2}}, 18, []string{"ID"}}, // SLO would fit alone
		{[]column{{title: "ID", width: 10}, {title: "SLO", width: 5, with: "ABANDON"}, {title: "ABANDON", width: 8}}, 27, []string{"ID", "SLO", "ABANDON"}},
		{[]column{{title: "ID", width: 10}, {title: "SLO", width: 5, prio: 3, with: "ABANDON"}, {title: "ABANDON", width: 8, prio: 2}}, 30, []string{"ID", "SLO", "ABANDON"}},
		{[]column{{title: "ID", width: 10}, {title: "SLO", width: 5, prio: 3, with: "ABANDON"}}, 18, []string{"ID", "SLO"}},
	} {
		tb := newTable(testShared().st, tt.cols)
		tb.setSize(tt.width, 5)
		idx, _ := tb.layout()
		var got []string
		for _, i := range idx {
			got = append(got, tt.cols[i].title)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("width %d: columns %v, want %v", tt.width, got, tt.want)
		}
	}
}

// TestTableNumbersWidenTheirColumn: a numeric column is as wide as its
// widest value, so that a value longer than the column's usual width is
// shown whole or the column left out, never cut to "999…" (an instance
// number of a 200,000-replica run in INST's 4 cells, a seed of 10 digits
// in SEED's 6).
func TestTableNumbersWidenTheirColumn(t *testing.T) {
	cols := []column{{title: "ID", width: 4, right: true}, {title: "INST", width: 4, right: true, prio: 1}, {title: "NAME", width: 6}}
	for _, w := range []int{20, 14, 12, 10} {
		tb := newTable(newStyles(), cols)
		tb.setSize(w, 3)
		tb.setRows([][]cell{cells("7", "199999", "chat"), cells("1234567891", "3", "shop")})
		v := ansi.Strip(tb.view())
		if strings.Contains(v, "…") {
			t.Errorf("%d columns: a number is cut:\n%s", w, v)
		}
		if w >= 12 && !strings.Contains(v, "1234567891") {
			t.Errorf("%d columns: the id column is left out:\n%s", w, v)
		}
	}
}

// TestCutMiddle: a name too wide loses the fewest whole words between its
// first and last, else the cells at its middle; it is never wider than
// the width asked.
func TestCutMiddle(t *testing.T) {
	for _, tt := range []struct {
		s    string
		w    int
		want string
	}{
		{"margin_lost_to_queueing_usd", 27, "margin_lost_to_queueing_usd"},
		{"margin_lost_to_queueing_usd", 26, "margin_lost…_queueing_usd"},
		{"margin_lost_to_service_time_commerce_usd", 26, "margin…_time_commerce_usd"},
		{"margin_lost_to_service_time_agent_fees_usd", 36, "margin…_service_time_agent_fees_usd"},
		{"sessions_converted_expected", 20, "sessions…_expected"},
		{"sessions_converted_expected", 12, "sessi…pected"}, // first and last words too wide
		{"abcdefghij", 5, "ab…ij"},
		{"abcdefghij", 2, "abcdefghij"}, // pad cuts it
	} {
		got := cutMiddle(tt.s, tt.w)
		if got != tt.want {
			t.Errorf("cutMiddle(%q, %d) = %q, want %q", tt.s, tt.w, got, tt.want)
		}
		if w := lipgloss.Width(got); w > tt.w && tt.w >= 3 {
			t.Errorf("cutMiddle(%q, %d) is %d cells wide", tt.s, tt.w, w)
		}
	}
}

func TestTableLayout(t *testing.T) {
	tb := newTable(newStyles(), []column{
		{title: "A", width: 4},
		{title: "NAME", width: 6, flex: true},
		{title: "LOW", width: 5, prio: 2},
		{title: "MID", width: 5, right: true, prio: 1},
	})
	tb.setRows([][]cell{cells("a1", "first", "l", "1"), cells("a2", "second-long-name", "l", "2")})
	tb.setSize(24, 3)
	idx, widths := tb.layout()
	if len(idx) != 3 || idx[2] != 3 {
		t.Fatalf("at 24 cells: columns %v, want A, NAME, MID", idx)
	}
	if widths[1] != 24-4-5-2*colGap {
		t.Errorf("the flex column got %d cells", widths[1])
	}
	tb.move(1)
	lines := strings.Split(ansi.Strip(tb.view()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[2], "a2    second-lon…") || !strings.HasSuffix(lines[1], "    1") {
		t.Errorf("view:\n%s", strings.Join(lines, "\n"))
	}
	tb.setSize(12, 3) // too narrow even for priority 0: the flex column shrinks
	if idx, _ := tb.layout(); len(idx) != 2 {
		t.Errorf("at 12 cells: columns %v", idx)
	}
}
