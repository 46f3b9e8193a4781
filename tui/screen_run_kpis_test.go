package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/model/kpi"
)

// TestKPINamesShowWholeWhereThereIsRoom: the KPIs tab's NAME column (the
// name a user copies into sql and sweep) takes the spare width to its
// longest name before the label does: at 120 columns it cut
// margin_lost_to_queueing_ads… with 70 cells of padding beside the label.
// At 80 columns it takes what room there is, within the width.
func TestKPINamesShowWholeWhereThereIsRoom(t *testing.T) {
	names := []string{"margin_lost_to_service_time_agent_fees_usd", "margin_lost_to_queueing_ads_usd", "cost_usd"}
	for _, tt := range []struct {
		w     int
		whole bool
	}{{120, true}, {160, true}, {80, false}} { // whole: every name shows whole
		s := newRunScreen(testShared(), "x")
		var rows [][]cell
		for _, n := range names {
			rows = append(rows, []cell{ct("run", toneMuted), c("margin lost to service time: agent fees"), c("$0.21"), ct(n, toneMuted)})
		}
		s.allKPIs.setRows(rows)
		s.allKPIs.setSize(tt.w, 10)
		v := ansi.Strip(s.allKPIs.view())
		for _, n := range names {
			if tt.whole && !strings.Contains(v, n) {
				t.Errorf("%d columns: %s cut:\n%s", tt.w, n, v)
			}
		}
		for _, l := range strings.Split(v, "\n") {
			if ansi.StringWidth(l) > tt.w {
				t.Errorf("%d columns: line %q wider", tt.w, l)
			}
		}
		if !strings.Contains(v, "NAME") {
			t.Errorf("%d columns: no NAME column:\n%s", tt.w, v)
		}
		if tt.w >= 120 && !strings.Contains(v, "margin lost to service time: agent fees") {
			t.Errorf("%d columns: the label is cut where both fit:\n%s", tt.w, v)
		}
	}
}

// TestKPILabelsReadableAt80Columns: the NAME column took the width of the
// longest of the catalog's names (43 cells) and left the label 9 at 80
// columns ("abandon r…", "ad clicks…" for two KPIs). The label and the
// name now share the room, each whole up to half of it; a name cut loses
// whole words from its middle, so that no two rows read alike, and
// neither does any line run past the width. At 120 columns every name
// still shows whole.
func TestKPILabelsReadableAt80Columns(t *testing.T) {
	for _, tt := range []struct {
		w, whole int // whole: labels and names up to this many cells show whole
	}{{80, 24}, {100, 34}, {120, 43}} { // beside values of 14 cells

		s := newRunScreen(testShared(), "x")
		var rows [][]cell
		for _, d := range kpi.All() {
			rows = append(rows, []cell{ct("run", toneMuted), c(kpi.Label(d.Name)), c(fmtUnit(-123456.789, d.Unit)), ct(d.Name, toneMuted)})
		}
		s.allKPIs.setRows(rows)
		s.allKPIs.setSize(tt.w, len(rows)+1)
		v := ansi.Strip(s.allKPIs.view())
		lines := strings.Split(v, "\n")
		if !strings.HasPrefix(lines[0], "SCOPE") || !strings.Contains(lines[0], " KPI ") || !strings.HasSuffix(strings.TrimSpace(lines[0]), "NAME") {
			t.Fatalf("%d columns: want the SCOPE, KPI, VALUE and NAME columns, got %q", tt.w, lines[0])
		}
		seen := map[string]string{}
		for i, l := range lines[1:] {
			d := kpi.All()[i]
			if ansi.StringWidth(l) > tt.w {
				t.Errorf("%d columns: line %q wider", tt.w, l)
			}
			label, name := kpi.Label(d.Name), d.Name
			if len(label) <= tt.whole && !strings.Contains(l, label+"  ") {
				t.Errorf("%d columns: the label %q is cut in %q", tt.w, label, l)
			}
			if len(name) <= tt.whole && !strings.HasSuffix(strings.TrimRight(l, " "), "  "+name) {
				t.Errorf("%d columns: the name %s is cut in %q", tt.w, name, l)
			}
			// The row less its value: what tells it from the others.
			f := strings.Fields(l)
			key := strings.Join(f[1:len(f)-2], " ") + " " + f[len(f)-1]
			if other, ok := seen[key]; ok {
				t.Errorf("%d columns: %s and %s read alike: %q", tt.w, other, name, key)
			}
			seen[key] = name
		}
	}
}

// TestKPIsStatusNamesTheCutName: where the table cuts the selected KPI's
// name, the line under it shows the name whole, for sql and sweep; where
// the name shows whole, the line only says which rows show.
func TestKPIsStatusNamesTheCutName(t *testing.T) {
	s := newRunScreen(testShared(), "x")
	var rows [][]cell
	for _, n := range []string{"cost_usd", "margin_lost_to_service_time_agent_fees_usd"} {
		rows = append(rows, []cell{ct("run", toneMuted), c(kpi.Label(n)), c("$0.79"), ct(n, toneMuted)})
	}
	s.allKPIs.setRows(rows)
	for _, tt := range []struct {
		w, row int
		want   string
	}{
		{80, 0, "rows 1–2 of 2"},
		{80, 1, "rows 1–2 of 2 · margin_lost_to_service_time_agent_fees_usd"},
		{120, 1, "rows 1–2 of 2"},
		{40, 0, "rows 1–2 of 2 · cost_usd"}, // no NAME column
	} {
		s.allKPIs.setSize(tt.w, 10)
		s.allKPIs.cursor = tt.row
		if got := s.kpisStatus(); got != tt.want {
			t.Errorf("%d columns, row %d: %q, want %q:\n%s", tt.w, tt.row, got, tt.want, ansi.Strip(s.allKPIs.view()))
		}
	}
}
