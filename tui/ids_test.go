package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
)

// TestIDColumnsFitTheIDsShown: the Runs and Sweeps lists size their ID
// column by the ids they show, each id as long as it needs to differ
// from the store's others (8 at least), up to 12. Two runs of a sweep
// made in the same millisecond, alike to their last character and folded
// away, widened the Runs column to 15 for good; the Sweeps list cut the
// ids of two sweeps of one name, its only way to tell them apart.
func TestIDColumnsFitTheIDsShown(t *testing.T) {
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	defer a.Close()
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	const sweepA, sweepB = "1m98hd69h3aaaaa", "1m98hfpn7cccccc"
	twins := []string{"1m98hfprk34s9p8", "1m98hfprk34s9p9"}
	runs := []data.RunSummary{summary("1m98hj8nydkzpyj", "baseline", 5, 500), summary("1m98hd5yh53qzes", "agents-heavy", 3, 141)}
	for i, id := range twins {
		r := summary(id, "fleet-size point", 4, 40)
		r.SweepID, r.SweepPoint = sweepB, i
		runs = append(runs, r)
	}
	sweeps := []data.Sweep{{ID: sweepA, Name: "fleet-size", Points: 2, Replications: 1}, {ID: sweepB, Name: "fleet-size", Points: 2, Replications: 1}}
	rs := a.stack[0].(*runsScreen)
	ids := &storeIDs{}
	for _, r := range runs {
		ids.ids = append(ids.ids, r.ID)
		ids.runs = append(ids.runs, runRef{id: r.ID, name: r.Name})
	}
	for _, w := range sweeps {
		ids.ids = append(ids.ids, w.ID)
	}
	a.Update(runsLoadedMsg{addr: addr{rs.sid}, runs: runs, sweeps: sweeps, ids: ids, opened: true})
	idWidth := func(tb *table) int {
		idx, widths := tb.layout()
		for k, i := range idx {
			if tb.cols[i].title == "ID" {
				return widths[k]
			}
		}
		t.Fatal("no ID column shown")
		return 0
	}
	if w := idWidth(rs.tbl); w != 8 {
		t.Errorf("Runs, the twins folded: ID column %d wide, want 8:\n%s", w, ansi.Strip(rs.view(80, 22)))
	}
	for i, r := range rs.rows { // unfold the twins' sweep
		if r.run == nil && r.group == sweepB {
			rs.tbl.cursor = i
		}
	}
	a.Update(keyMsg("right"))
	v := ansi.Strip(rs.view(80, 22))
	if w := idWidth(rs.tbl); w != maxIDLen {
		t.Errorf("Runs, the twins shown: ID column %d wide, want %d:\n%s", w, maxIDLen, v)
	}
	for _, want := range []string{"1m98h…34s9p8", "1m98h…34s9p9", "1m98hj8n ", "1m98hfpn "} {
		if !strings.Contains(v, want) {
			t.Errorf("Runs, the twins shown: no %q:\n%s", want, v)
		}
	}
	// The Sweeps list: both fleet-size sweeps' ids whole, by one rule.
	sw := newSweepScreen(a.sh, "")
	sw.resize(80, 22)
	sw.update(sweepsLoadedMsg{addr: addr{sw.sid}, sweeps: sweeps})
	v = ansi.Strip(sw.view(80, 22))
	for _, want := range []string{"1m98hd69  fleet-size", "1m98hfpn  fleet-size"} {
		if !strings.Contains(v, want) {
			t.Errorf("Sweeps: no %q:\n%s", want, v)
		}
	}
}
