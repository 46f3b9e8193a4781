package tui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
)

// TestStoreIDsLookInTheStoresSchema: the store's ids and its forecasts'
// runs look for the forecast tables where aiecon keeps them (main, of the
// file's database). Counted in every schema, a forecasts table a user
// made in another (scratch.forecasts) stood for aiecon's in a store that
// lacked it, and the read of aiecon's failed, so that the header, the
// palette and the runs list read nothing.
func TestStoreIDsLookInTheStoresSchema(t *testing.T) {
	for _, tc := range []struct {
		name      string
		sql       []string // run on a fresh store of the current schema
		forecasts int      // forecast ids readStoreIDs lists
	}{
		{"aiecon's tables", []string{`INSERT INTO forecasts (forecast_id, name, description, created_at, spec_yaml, period_length,
			periods, samples, report_json, aiecon_version) VALUES ('1m1f01aaaaaaaaa', 'plan', '', now(), '', 'quarter', 1, 1, '{}', 'test')`}, 1},
		{"none, a table of that name elsewhere", []string{`DROP VIEW forecast_bands`, `DROP TABLE forecast_runs`,
			`DROP TABLE forecast_periods`, `DROP TABLE forecasts`,
			`CREATE SCHEMA scratch`, `CREATE TABLE scratch.forecasts (forecast_id VARCHAR)`,
			`CREATE TABLE scratch.forecast_runs (run_id VARCHAR)`}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := data.Open(data.MemoryPath, data.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			ctx := t.Context()
			for _, q := range tc.sql {
				if _, err := st.DB().ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			ids, err := readStoreIDs(ctx, st)
			if err != nil {
				t.Fatalf("readStoreIDs: %v", err)
			}
			if len(ids.ids) != tc.forecasts || len(ids.runs) != 0 {
				t.Errorf("ids %q and %d runs, want %d forecast ids and no run", ids.ids, len(ids.runs), tc.forecasts)
			}
			if _, err := forecastRuns(ctx, st); err != nil {
				t.Errorf("forecastRuns: %v", err)
			}
		})
	}
}

// TestOpenPaletteOffersRunsReadMeanwhile: the store's runs read while the
// palette is open (a reload's ids) show in its list at once, newest first,
// as the runs list orders them, and the header counts them.
func TestOpenPaletteOffersRunsReadMeanwhile(t *testing.T) {
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	defer a.Close()
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	old := runRef{id: "1m1q01aaaaaaaaa", name: "baseline"}
	a.Update(idsLoadedMsg{ids: &storeIDs{ids: []string{old.id}, runs: []runRef{old}}})
	a.Update(keyMsg(":"))
	for _, k := range "run " {
		a.Update(keyMsg(string(k)))
	}
	added := runRef{id: "1m1q09bbbbbbbbb", name: "added meanwhile"}
	a.Update(idsLoadedMsg{ids: &storeIDs{ids: []string{added.id, old.id}, runs: []runRef{added, old}}})
	if a.palette == nil {
		t.Fatal("the palette closed")
	}
	var offered []string
	for _, i := range a.palette.shown {
		if r, ok := a.palette.items[i].msg.(openRunMsg); ok {
			offered = append(offered, r.ref)
		}
	}
	if want := []string{added.id, old.id}; !slices.Equal(offered, want) {
		t.Errorf("the palette offers %q, want %q", offered, want)
	}
	v := ansi.Strip(a.View().Content)
	if !strings.Contains(v, "added meanwhile") || !strings.Contains(v, "· 2 runs ·") {
		t.Errorf("the screen lacks the run added or its count:\n%s", v)
	}
}

// TestOpenPaletteKeepsItsHighlight: runs read while the palette is open
// come in newest first, above the one highlighted; the highlight stays on
// the run it was on, so enter opens that run, not the one added above it.
func TestOpenPaletteKeepsItsHighlight(t *testing.T) {
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	defer a.Close()
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	old := runRef{id: "1m1q01aaaaaaaaa", name: "baseline"}
	a.Update(idsLoadedMsg{ids: &storeIDs{ids: []string{old.id}, runs: []runRef{old}}})
	a.Update(keyMsg(":"))
	for _, k := range "run " {
		a.Update(keyMsg(string(k)))
	}
	if key, ok := a.palette.highlighted(); !ok || key != (paletteItem{msg: openRunMsg{ref: old.id}}).key() {
		t.Fatalf("before: highlighted %q, want the run %s", key, old.id)
	}
	added := runRef{id: "1m1q09bbbbbbbbb", name: "added meanwhile"}
	a.Update(idsLoadedMsg{ids: &storeIDs{ids: []string{added.id, old.id}, runs: []runRef{added, old}}})
	if key, ok := a.palette.highlighted(); !ok || key != (paletteItem{msg: openRunMsg{ref: old.id}}).key() {
		t.Errorf("after a run was read: highlighted %q, want the run %s still", key, old.id)
	}
}
