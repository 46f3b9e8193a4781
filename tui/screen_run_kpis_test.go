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

// TestKPINamesStayWholeAt80Columns: at 80 columns the label column kept its
// 24 cells and the NAME column was cut to 28, so that five names read
// margin_lost_to_service_time_… alike, and the name is what a user copies
// into sql. The label, which says what the name says, now gives way first:
// every name in the catalog shows whole, the label still there beside it.
func TestKPINamesStayWholeAt80Columns(t *testing.T) {
	for _, w := range []int{80, 100, 120} {
		s := newRunScreen(testShared(), "x")
		var rows [][]cell
		for _, d := range kpi.All() {
			rows = append(rows, []cell{ct("run", toneMuted), c(kpi.Label(d.Name)), c(fmtUnit(-123456.789, d.Unit)), ct(d.Name, toneMuted)})
		}
		s.allKPIs.setRows(rows)
		s.allKPIs.setSize(w, len(rows)+1)
		v := ansi.Strip(s.allKPIs.view())
		lines := strings.Split(v, "\n")
		if !strings.HasPrefix(lines[0], "SCOPE") || !strings.Contains(lines[0], " KPI ") || !strings.HasSuffix(strings.TrimSpace(lines[0]), "NAME") {
			t.Fatalf("%d columns: want the SCOPE, KPI, VALUE and NAME columns, got %q", w, lines[0])
		}
		for i, l := range lines[1:] {
			if ansi.StringWidth(l) > w {
				t.Errorf("%d columns: line %q wider", w, l)
			}
			f := strings.Fields(l)
			if want := kpi.All()[i].Name; f[len(f)-1] != want {
				t.Errorf("%d columns: the name %s shows as %q in %q", w, want, f[len(f)-1], l)
			}
		}
	}
}
