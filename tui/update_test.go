package tui

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	duckdb "github.com/duckdb/duckdb-go/v2"

	"aiecon/data"
	"aiecon/sim"
)

// Unit tests of the models' Update: messages in, state and commands out,
// no terminal and (except where a Cmd is run on purpose) no store.

func testShared() *shared {
	return &shared{conn: newConn("/nonexistent/store.duckdb", -1), st: newStyles(), ctx: context.Background(),
		opts: Options{Path: "/nonexistent/store.duckdb", Now: func() time.Time { return fixtureNow }, Location: time.UTC}}
}

// msgsOf runs a command (and the commands of a batch) and returns the
// messages, skipping commands that would block or do I/O (nil results).
func msgsOf(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	m := cmd()
	if b, ok := m.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, msgsOf(c)...)
		}
		return out
	}
	return []tea.Msg{m}
}

func summary(id, name string, cost, margin float64) data.RunSummary {
	return data.RunSummary{ID: id, Name: name, Status: data.StatusComplete, StartedAt: fixtureDay, HorizonS: 3600,
		CostPerMTokUSD: cost, MarginUSD: margin, TTFTP99S: 1, SLOAttainment: 0.99, RevenueUSD: 10, ThroughputRPS: 3, Utilization: 0.5}
}

func loadedRuns(s *runsScreen) {
	runs := []data.RunSummary{
		summary("1m1q04aaaaaaaaa", "point-b", 2, 5),
		summary("1m1q03aaaaaaaaa", "point-a", 4, 1),
		summary("1m1q02aaaaaaaaa", "cheap", 1, -3),
		summary("1m1q01aaaaaaaaa", "dear", 9, math.NaN()),
	}
	runs[0].SweepID, runs[0].SweepPoint = "1m1s01aaaaaaaaa", 1
	runs[1].SweepID, runs[1].SweepPoint = "1m1s01aaaaaaaaa", 0
	s.update(runsLoadedMsg{addr: addr{s.sid}, runs: runs,
		sweeps: []data.Sweep{{ID: "1m1s01aaaaaaaaa", Name: "grid", Points: 2, Replications: 1}},
		params: map[string]map[int]string{"1m1s01aaaaaaaaa": {0: `{"fleet.count": 4}`, 1: `{"fleet.count": 8}`}}})
}

func rowLabels(s *runsScreen) []string {
	var out []string
	for _, r := range s.rows {
		out = append(out, r.label)
	}
	return out
}

func TestRunsScreenGroupsSortsFilters(t *testing.T) {
	s := newRunsScreen(testShared())
	s.resize(100, 20)
	loadedRuns(s)
	// Newest first; a sweep folded, saying what it varies.
	want := []string{"grid · 2 points over count · 2 runs", "cheap", "dear"}
	if got := rowLabels(s); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("rows %q, want %q", got, want)
	}
	s.update(keyMsg("right")) // unfolded: its points in point order, compact
	want = []string{"grid · 2 points over count · 2 runs", "├ x4", "└ x8", "cheap", "dear"}
	if got := rowLabels(s); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("unfolded rows %q, want %q", got, want)
	}
	s.update(keyMsg("down")) // the status line spells the point out
	if v := ansi.Strip(s.view(100, 20)); !strings.Contains(v, "grid point 0: count=4") {
		t.Errorf("the selected point's parameters are not on the status line:\n%s", v)
	}
	s.update(keyMsg("up"))
	s.update(keyMsg("s")) // cost per Mtok, cheapest first; the sweep sits at its cheapest run
	want = []string{"cheap", "grid · 2 points over count · 2 runs", "├ x8", "└ x4", "dear"}
	if got := rowLabels(s); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sorted by cost: %q, want %q", got, want)
	}
	s.update(keyMsg("s")) // margin, best first; an undefined margin goes last
	if got := rowLabels(s); got[len(got)-1] != "dear" {
		t.Errorf("sorted by margin: %q, want the NaN margin last", got)
	}
	s.update(keyMsg("/"))
	if s.mode() != keysText {
		t.Fatal("/ did not focus the filter")
	}
	for _, k := range "cheap" {
		s.update(keyMsg(string(k)))
	}
	s.update(keyMsg("enter"))
	if got := rowLabels(s); len(got) != 1 || got[0] != "cheap" {
		t.Errorf("filtered: %q", got)
	}
	if !s.back() || len(s.rows) != 5 {
		t.Errorf("esc did not clear the filter: %q", rowLabels(s))
	}
	if s.back() {
		t.Error("esc with no filter should close the screen")
	}
}

func TestRunsScreenMarksCompareAndOpen(t *testing.T) {
	s := newRunsScreen(testShared())
	s.resize(100, 20)
	loadedRuns(s)
	s.update(keyMsg("right")) // unfold the sweep
	s.tbl.cursor = 4          // dear
	s.update(keyMsg("space"))
	s.tbl.cursor = 3 // cheap
	s.update(keyMsg("space"))
	msgs := msgsOf(s.update(keyMsg("c")))
	cm, ok := msgs[0].(openCompareMsg)
	if !ok || strings.Join(cm.refs, ",") != "1m1q01aaaaaaaaa,1m1q02aaaaaaaaa" {
		t.Fatalf("c sent %#v, want a comparison with the first marked (dear) as baseline", msgs)
	}
	s.tbl.cursor = 0
	if m, ok := msgsOf(s.update(keyMsg("enter")))[0].(openSweepMsg); !ok || m.id != "1m1s01aaaaaaaaa" {
		t.Errorf("enter on a sweep sent %#v", m)
	}
	s.tbl.cursor = 1 // point 0
	if m, ok := msgsOf(s.update(keyMsg("enter")))[0].(openRunMsg); !ok || m.ref != "1m1q03aaaaaaaaa" {
		t.Errorf("enter on a run sent %#v", m)
	}
	s.update(keyMsg("left")) // fold the sweep the cursor is in
	if len(s.rows) != 3 || s.tbl.cursor != 0 {
		t.Errorf("after folding: %q, cursor %d", rowLabels(s), s.tbl.cursor)
	}
	// A failed reload keeps the rows and says why.
	s.update(runsLoadedMsg{addr: addr{s.sid}, err: errors.New("disk on fire")})
	if len(s.rows) != 3 || !strings.Contains(ansi.Strip(s.view(100, 20)), "reload failed: disk on fire") {
		t.Errorf("failed reload: rows %q, view:\n%s", rowLabels(s), s.view(100, 20))
	}
}

func TestAppRoutesAndNavigates(t *testing.T) {
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	defer a.Close()
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	home := a.top()
	a.Update(openRunMsg{ref: "1m1q01"})
	run := a.top().(*runScreen)
	if len(a.stack) != 2 || run.w != 100 || run.h != 28 {
		t.Fatalf("after opening a run: %d screens, body %dx%d", len(a.stack), run.w, run.h)
	}
	// esc closes the run; a late answer for it is dropped.
	a.Update(keyMsg("esc"))
	if a.top() != home {
		t.Fatal("esc did not go back")
	}
	a.Update(runLoadedMsg{addr: addr{run.id()}, err: errors.New("late")})
	if run.err != nil {
		t.Error("a message for a closed screen reached it")
	}
	// A lock shows the banner (and shrinks the body); a success clears it.
	le := &data.LockedError{Path: "x", PID: 42, Program: "/usr/bin/aiecon"}
	a.Update(runsLoadedMsg{addr: addr{home.id()}, err: le})
	if b := a.banner(); !strings.Contains(b, "aiecon (PID 42)") {
		t.Errorf("banner %q", b)
	}
	if !a.retrying {
		t.Error("a lock met by a load schedules no retry, though the banner promises one")
	}
	if _, h := a.bodySize(); h != 27 || a.bodyH != 27 { // the banner takes a line
		t.Errorf("body height %d (screens got %d) with the banner, want 27", h, a.bodyH)
	}
	a.Update(runsLoadedMsg{addr: addr{home.id()}})
	if a.banner() != "" {
		t.Error("a successful load did not clear the banner")
	}
	// q quits, but not while a text field has the keys.
	if _, cmd := a.Update(keyMsg("q")); cmd == nil || cmd() != tea.Quit() {
		t.Error("q did not quit")
	}
	a.Update(keyMsg("/"))
	if _, cmd := a.Update(keyMsg("q")); cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Error("q quit while typing a filter")
		}
	}
	// A finished launch replaces the Launch screen with its run.
	a.Update(keyMsg("esc"))
	a.Update(openLaunchMsg{})
	a.Update(openRunMsg{ref: "1m1q09", replaces: a.top().id()})
	if len(a.stack) != 2 || a.top().title() != "Run 1m1q09" {
		t.Errorf("after a launch: %d screens, top %q", len(a.stack), a.top().title())
	}
}

func TestPaletteCommands(t *testing.T) {
	sh := testShared()
	sh.runs = []runRef{{"1m1q02aaaaaaaaa", "cheap"}, {"1m1q01aaaaaaaaa", "dear"}}
	tests := []struct {
		typed string
		want  tea.Msg
	}{
		{"run 1m1q", openRunMsg{ref: "1m1q"}},
		{"compare 1m1q01 1m1q02", openCompareMsg{refs: []string{"1m1q01", "1m1q02"}}},
		{"sql SELECT  1", openSQLMsg{query: "SELECT  1"}},
		{"launch baseline", openLaunchMsg{scenario: "baseline"}},
		// A path with spaces is the rest of the line, as typed: it was cut
		// at the first space, and named another file.
		{"launch /tmp/with  space/s.yaml ", openLaunchMsg{scenario: "/tmp/with  space/s.yaml"}},
		{"sweep", openSweepMsg{}},
		{"dear", openRunMsg{ref: "1m1q01aaaaaaaaa"}}, // the highlighted run
		{"ref", paletteActionMsg{action: "refresh"}},
	}
	for _, tt := range tests {
		p := newPalette(sh, 100)
		for _, r := range tt.typed {
			p.update(keyMsg(string(r)))
		}
		done, cmd := p.update(keyMsg("enter"))
		got := msgsOf(cmd)
		if !done || len(got) != 1 || !equalMsg(got[0], tt.want) {
			t.Errorf("%q: done %v, sent %#v, want %#v", tt.typed, done, got, tt.want)
		}
	}
	// After compare, the runs are offered and tab completes the id.
	p := newPalette(sh, 100)
	setLine(&p.input, "compare 1m1q02 de")
	p.filter()
	if len(p.shown) != 1 {
		t.Fatalf("compare …de offers %d runs, want 1", len(p.shown))
	}
	if v := ansi.Strip(p.view(100, 10)); strings.Contains(v, "open this run") || !strings.Contains(v, "tab adds it to the comparison") {
		t.Errorf("after compare, a run's line says what enter does not do:\n%s", v)
	}
	p.update(keyMsg("tab"))
	if v := p.input.Value(); v != "compare 1m1q02 1m1q01aaaa " {
		t.Errorf("tab completed to %q", v)
	}
	// The cursor is after the completion: typing goes on from there.
	p.update(keyMsg("1"))
	if v := p.input.Value(); v != "compare 1m1q02 1m1q01aaaa 1" {
		t.Errorf("typing after the completion gave %q", v)
	}
	// A paste goes into the palette's input, newlines and all on one line.
	p = newPalette(sh, 100)
	p.paste(tea.PasteMsg{Content: "run\ndear"})
	if v := p.input.Value(); v != "run dear" || len(p.shown) != 1 {
		t.Errorf("pasted %q, %d shown", v, len(p.shown))
	}
}

func equalMsg(a, b tea.Msg) bool {
	switch x := a.(type) {
	case openCompareMsg:
		y, ok := b.(openCompareMsg)
		return ok && strings.Join(x.refs, " ") == strings.Join(y.refs, " ")
	}
	return a == b
}

func TestRunScreenTabsAndErrors(t *testing.T) {
	s := newRunScreen(testShared(), "1m1q01")
	s.resize(100, 28)
	if !strings.Contains(s.view(100, 28), "loading run 1m1q01") {
		t.Error("no loading state")
	}
	d := &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q01zz5b0c7d9", Name: "x", Status: data.StatusComplete},
		HorizonNs: int64(time.Hour)},
		Workloads: []sim.WorkloadMeta{{Name: "chat", Class: "api"}},
		KPIs:      []sim.KPI{{Name: "cost_per_mtok_usd", Value: 3.03, Unit: "USD/Mtok"}, {Scope: "chat", Name: "ttft_p99_s", Value: 0.5, Unit: "s"}}}
	s.update(runLoadedMsg{addr: addr{s.sid}, d: d})
	if s.title() != "Run 1m1q01zz5b" || len(s.workloads.rows) != 1 || len(s.allKPIs.rows) != 2 {
		t.Fatalf("after loading: title %q, %d workloads, %d KPIs", s.title(), len(s.workloads.rows), len(s.allKPIs.rows))
	}
	if got := s.workloads.rows[0][4].text; got != "500 ms" {
		t.Errorf("workload TTFT p99 %q", got)
	}
	// The header names the run's overrides, so runs of one scenario tell apart.
	d.Run.ParamsJSON = `{"fleet.count":"6","workloads[chat].arrivals.rate":"4/s"}`
	if got := strings.Join(s.runLines(200), "\n"); !strings.Contains(got, "set count=6 rate=4/s") {
		t.Errorf("run header %q does not show the overrides", got)
	}
	// A long name (a sweep point's) at 80 columns: the status, seed,
	// horizon and overrides take a second line rather than being cut.
	d.Run.Name = "fleet-size: x6 workloads[chat].arrivals.rate=4/s"
	if got := ansi.Strip(strings.Join(s.runLines(80), "\n")); !strings.Contains(got, "✓ complete") || !strings.Contains(got, "seed 0") ||
		!strings.Contains(got, "set count=6 rate=4/s") || strings.Contains(got, "…") {
		t.Errorf("run header at 80 columns cuts what tells the run apart:\n%s", got)
	}
	d.Run.Name = "x"
	for _, tt := range []struct {
		from int
		key  string
		want int
	}{{tabOverview, "3", tabWorkloads}, {tabWorkloads, "tab", tabReplicas}, {tabWorkloads, "shift+tab", tabCharts},
		{tabOverview, "shift+tab", tabScenario}, {tabScenario, "tab", tabOverview}} {
		s.tab = tt.from
		s.update(keyMsg(tt.key))
		if s.tab != tt.want {
			t.Errorf("tab %d, key %s: tab %d, want %d", tt.from, tt.key, s.tab, tt.want)
		}
	}
	// The Requests tab starts a paged query; nothing else reads requests.
	if cmd := s.setTab(tabRequests); cmd == nil || !s.reqLoaded {
		t.Error("the Requests tab did not start its query")
	}
	s.update(runLoadedMsg{addr: addr{s.sid}, err: errors.New("gone")})
	if s.d == nil || s.err == nil {
		t.Error("a failed reload dropped the run")
	}
}

func TestCompareScreen(t *testing.T) {
	s := newCompareScreen(testShared(), []string{"a", "b"})
	s.resize(100, 28)
	cmp := &data.Comparison{
		Runs: []data.RunSummary{{ID: "1m1q01zz5b0c7d9", Name: "one", Status: data.StatusComplete}, {ID: "1m1q02zz5b0c7d9", Name: "two", Status: data.StatusComplete}},
		Rows: []data.CompareRow{
			{Scope: "", Name: "cost_per_mtok_usd", Unit: "USD/Mtok", Values: []float64{4, 3}, Delta: []float64{0, -1}, RelDelta: []float64{0, -0.25}},
			{Scope: "", Name: "ttft_p99_s", Unit: "s", Values: []float64{1, 2}, Delta: []float64{0, 1}, RelDelta: []float64{0, 1}},
			{Scope: "chat", Name: "ttft_p99_s", Unit: "s", Values: []float64{1, 1}, Delta: []float64{0, 0}, RelDelta: []float64{0, 0}},
		},
	}
	s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: cmp})
	if len(s.tbl.rows) != 2 {
		t.Fatalf("%d rows, want the 2 whole-run KPIs", len(s.tbl.rows))
	}
	cost, ttft := s.tbl.rows[0][3], s.tbl.rows[1][3] // KPI, A, B, ΔB
	if cost.text != "▼ -25.0%" || cost.tone != toneGood {
		t.Errorf("cheaper: %q tone %d", cost.text, cost.tone)
	}
	if ttft.text != "▲ +100%" || ttft.tone != toneBad {
		t.Errorf("slower: %q tone %d", ttft.text, ttft.tone)
	}
	s.update(keyMsg("w"))
	if s.scope != "chat" || len(s.tbl.rows) != 1 {
		t.Errorf("w: scope %q, %d rows", s.scope, len(s.tbl.rows))
	}
	if cmd := s.update(keyMsg("b")); cmd == nil || s.refs[0] != "1m1q02zz5b0c7d9" {
		t.Errorf("b: refs %q, want the second run first and a reload", s.refs)
	}
}

func TestSweepScreenAxesAndHeatmap(t *testing.T) {
	s := newSweepScreen(testShared(), "sw")
	s.resize(100, 28)
	run := func(cost float64) []data.RunSummary {
		return []data.RunSummary{{Status: data.StatusComplete, CostPerMTokUSD: cost}}
	}
	pts := []data.SweepPoint{
		{Point: 0, ParamsJSON: `{"rate": "100/s", "n": 4}`, Runs: run(1)},
		{Point: 1, ParamsJSON: `{"rate": "20/s", "n": 4}`, Runs: run(2)},
		{Point: 2, ParamsJSON: `{"rate": "100/s", "n": 8}`, Runs: run(3)},
		{Point: 3, ParamsJSON: `{"rate": "20/s", "n": 8}`}, // not run yet
	}
	s.update(sweepsLoadedMsg{addr: addr{s.sid}, sweeps: []data.Sweep{{ID: "sw", Name: "grid", Points: 4, Replications: 1}}, points: pts})
	if v := ansi.Strip(s.view(100, 28)); !strings.Contains(v, "4 points × 1 replication\n") {
		t.Errorf("the header does not read \"4 points × 1 replication\":\n%s", v)
	}
	var vals []string
	for _, p := range s.axisValues("rate") {
		vals = append(vals, p.value)
	}
	if strings.Join(vals, ",") != "20/s,100/s" {
		t.Errorf("rate axis %q, want numeric order", vals)
	}
	hm := ansi.Strip(s.heatmap(100))
	// Lower cost is better: $1.00 is the best cell, $3.00 the worst; the
	// point with no run shows a dash.
	for _, want := range []string{"█ $1.00", "░ $3.00", "n \\ rate", "—", "lower is better"} {
		if !strings.Contains(hm, want) {
			t.Errorf("heatmap lacks %q:\n%s", want, hm)
		}
	}
	s.update(keyMsg("x")) // two parameters: x and y swap
	if s.xParam() != "n" || s.yParam() != "rate" {
		t.Errorf("after x: x=%q y=%q", s.xParam(), s.yParam())
	}
	if m, ok := msgsOf(s.update(keyMsg("c")))[0].(openCompareMsg); !ok || len(m.refs) != 3 {
		t.Errorf("c sent %#v, want the three points with runs", m)
	}
}

func TestReadOnlyQuery(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"SELECT 1;", "SELECT 1", true},
		{"  with x as (select 1) select * from x ;; ", "with x as (select 1) select * from x", true},
		{"FROM runs", "FROM runs", true},
		{"DESCRIBE runs", "DESCRIBE runs", true},
		{"(SELECT 1)", "(SELECT 1)", true},
		{"DELETE FROM runs", "", false},
		{"drop table runs", "", false},
		{"COPY runs TO 'x.csv'", "", false},
		{"ATTACH 'x.db'", "", false},
		{"  ", "", false},
		{"-- cheapest runs\nSELECT 1", "-- cheapest runs\nSELECT 1", true},
		{"/* a note */ (  select 1)", "/* a note */ (  select 1)", true},
		{"-- a note\n/* and */ DELETE FROM runs", "", false},
		{"-- only a note", "", false},
		{"SELEC 1", "SELEC 1", true}, // DuckDB's parser names the typo
		{"1+1", "1+1", true},
		// A semicolon before a closing comment is dropped (the console
		// runs the query in a subquery), the comment kept on its own line.
		{"SELECT 1; -- cheapest first", "SELECT 1\n-- cheapest first", true},
		{"SELECT 1;\n-- cheapest first\n", "SELECT 1\n-- cheapest first", true},
		{"SELECT 1 -- a; b", "SELECT 1 -- a; b", true},
		{"SELECT ';--'", "SELECT ';--'", true},
		// Strings, quoted names and block comments are read whole.
		{"SELECT '--x'; -- c", "SELECT '--x'\n-- c", true},
		{"SELECT 1; /* c */", "SELECT 1\n/* c */", true},
		{"SELECT 'it''s;' AS \"a;--b\";", "SELECT 'it''s;' AS \"a;--b\"", true},
		{"SELECT 1; /* a */ -- b\n", "SELECT 1\n/* a */\n-- b", true},
		{"SELECT 1 /* a; */", "SELECT 1 /* a; */", true},
	}
	for _, tt := range tests {
		got, err := readOnlyQuery(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("readOnlyQuery(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestSQLScreenExportNeedsAFormat(t *testing.T) {
	s := newSQLScreen(testShared(), "SELECT 1")
	s.ran = "SELECT 1"
	for _, p := range []string{"out.txt", "out"} {
		m, ok := msgsOf(s.export(p))[0].(noticeMsg)
		if !ok || !m.err || !strings.Contains(m.text, ".csv or .parquet") {
			t.Errorf("export to %q: %#v", p, m)
		}
	}
}

// TestLaunchKnobNotes: the note beside a knob says what a launch will
// send. An emptied Rate was shown as "changed: --set …rate=" while the run
// kept the scenario's rate.
func TestLaunchKnobNotes(t *testing.T) {
	for _, tc := range []struct {
		name         string
		knob         int
		value        string
		note, noNote string
		sets         string
	}{
		{"a new count", fCount, "6", "changed: --set fleet.count=6", "empty:", "fleet.count=6"},
		{"the scenario's count", fCount, " 4 ", "", "changed:", ""},
		{"an emptied rate", fRate, "", "empty: keeps the scenario's 2.5/s", "changed:", ""},
		{"a blank rate", fRate, "  ", "empty: keeps the scenario's 2.5/s", "changed:", ""},
		{"a new rate", fRate, "5/s", "changed: --set workloads[chat].arrivals.rate=5/s", "empty:", "workloads[chat].arrivals.rate=5/s"},
	} {
		s := loadedLaunch(t, 120, 28)
		setLine(&s.fields[tc.knob].ed, tc.value)
		v := ansi.Strip(s.view(120, 28))
		if tc.note != "" && !strings.Contains(v, tc.note) || strings.Contains(v, tc.noNote) {
			t.Errorf("%s: want %q and not %q:\n%s", tc.name, tc.note, tc.noNote, v)
		}
		if got, err := s.sets(); err != nil || strings.Join(got, " ") != tc.sets {
			t.Errorf("%s: sets %q, %v; want %q", tc.name, got, err, tc.sets)
		}
	}
}

// TestLaunchErrorClearsOnEdit: the refusal of a launch is about the
// values it was given; it stayed on screen, blaming fleet.count=72h, once
// the field read 72hq.
func TestLaunchErrorClearsOnEdit(t *testing.T) {
	for _, tc := range []struct {
		key   string
		kept  bool
		value string
	}{
		{"q", false, "72hq"},
		{"backspace", false, "72"},
		{"down", true, "72h"},   // moving on changes nothing
		{"end", true, "72h"},    // nor does moving the cursor
		{"ctrl+r", true, "72h"}, // launching again is refused again
	} {
		s := newLaunchScreen(testShared(), "")
		s.resize(120, 28)
		for _, m := range msgsOf(s.init()) {
			s.update(m)
		}
		s.setFocus(fCount)
		setLine(&s.fields[fCount].ed, "72h")
		for _, m := range msgsOf(s.update(keyMsg("ctrl+r"))) {
			s.update(m)
		}
		if v := ansi.Strip(s.view(120, 28)); !strings.Contains(v, "fleet.count=72h") {
			t.Fatalf("72 h instances were not refused:\n%s", v)
		}
		for _, m := range msgsOf(s.update(keyMsg(tc.key))) {
			s.update(m)
		}
		v := ansi.Strip(s.view(120, 28))
		if kept := strings.Contains(v, "--set fleet.count=72h:"); kept != tc.kept || s.fields[fCount].ed.Value() != tc.value {
			t.Errorf("%s: the field reads %q (want %q), the error kept %v (want %v):\n%s",
				tc.key, s.fields[fCount].ed.Value(), tc.value, kept, tc.kept, v)
		}
	}
}

// loadedLaunch is a launch screen of w x h cells with the default
// scenario loaded.
func loadedLaunch(t *testing.T, w, h int) *launchScreen {
	t.Helper()
	s := newLaunchScreen(testShared(), "")
	s.resize(w, h)
	for _, m := range msgsOf(s.init()) {
		s.update(m)
	}
	if s.loaded == nil {
		t.Fatalf("the default scenario did not load: %v", s.loadErr)
	}
	return s
}

func TestLaunchScreenKnobsAndCancel(t *testing.T) {
	s := loadedLaunch(t, 100, 28)
	if got, _ := s.sets(); len(got) != 0 {
		t.Errorf("untouched knobs give sets %q", got)
	}
	setLine(&s.fields[fCount].ed, "6")
	setLine(&s.fields[fSets].ed, "fleet.pricing=spot router=round-robin")
	got, err := s.sets()
	if err != nil || strings.Join(got, " ") != "fleet.count=6 fleet.pricing=spot router=round-robin" {
		t.Errorf("sets %q, %v", got, err)
	}
	// An empty value is refused, as --set refuses it: it reset the field to
	// its default; null does that on purpose.
	setLine(&s.fields[fSets].ed, "fleet.pricing=spot fleet.count=")
	if _, err := s.sets(); err == nil || !strings.Contains(err.Error(), "fleet.count=null") {
		t.Errorf("an empty more --set value: %v, want it refused naming fleet.count=null", err)
	}
	setLine(&s.fields[fSets].ed, "fleet.replica.max_num_seqs=null")
	if got, err := s.sets(); err != nil || strings.Join(got, " ") != "fleet.count=6 fleet.replica.max_num_seqs=null" {
		t.Errorf("sets %q, %v", got, err)
	}
	// A flow-style value is one set, its spaces and all (it was cut into
	// "ads.bid={dist:" and words that are not path=value).
	setLine(&s.fields[fSets].ed, "ads.bid={dist: lognormal, median: 1, p99: 4}")
	if got, err := s.sets(); err != nil || strings.Join(got, "|") != "fleet.count=6|ads.bid={dist: lognormal, median: 1, p99: 4}" {
		t.Errorf("sets %q, %v", got, err)
	}
	// While a run is in progress every key is the screen's, and esc cancels.
	cancelled := false
	s.running, s.cancel = true, func() { cancelled = true }
	if s.mode() != keysModal {
		t.Error("a run in progress does not own the keyboard")
	}
	s.update(keyMsg("esc"))
	if !cancelled || !s.cancelling {
		t.Error("esc did not cancel the run")
	}
	// Once cancelling, the header no longer offers the keys that did it.
	if v := ansi.Strip(s.view(100, 28)); !strings.Contains(v, "Cancelling") || strings.Contains(v, "esc or ctrl+c cancels") {
		t.Errorf("cancelling, the header still offers to cancel:\n%s", v)
	}
	msgs := msgsOf(s.update(runDoneMsg{addr: addr{s.sid}, id: "1m1q99zz5b0c7d9"}))
	var opened bool
	for _, m := range msgs {
		if o, ok := m.(openRunMsg); ok && o.replaces == s.sid && o.ref == "1m1q99zz5b0c7d9" {
			opened = true
		}
	}
	if !opened || s.running {
		t.Errorf("a finished run sent %#v", msgs)
	}
	// Live windows fill the KPIs in.
	s.running, s.feed, s.horizonNs = true, newLiveFeed(), int64(time.Hour)
	s.live(liveMsg{windows: []sim.WindowRecord{{StartNs: 0, EndNs: 60e9, Completions: 600, RevenueUSD: 2, CostUSD: 1}}, at: time.Now()})
	if v := ansi.Strip(s.view(100, 28)); !strings.Contains(v, "10.0 done/s") || !strings.Contains(v, "$2.00") {
		t.Errorf("live view:\n%s", v)
	}
	// The bar: one minute of the hour simulated is 1/60 of 80 cells, and
	// the percentage to a tenth, 87 cells in all.
	bar := strings.Split(ansi.Strip(s.view(100, 28)), "\n")[2]
	if strings.Count(bar, "█") != 1 || strings.Count(bar, "░") != 79 || !strings.HasSuffix(bar, "   1.7%") || ansi.StringWidth(bar) != 87 {
		t.Errorf("progress bar %q", bar)
	}
}

// TestTextFields checks the bubbles fields as the dashboard sets them up:
// the editing keys the screens and the docs rely on, paste, a cursor that
// does not blink, no clipboard commands, and a one-line field drawn as wide
// as its text.
func TestTextFields(t *testing.T) {
	st := newStyles()
	ed := newSQLEditor(st, 3)
	ed.SetWidth(40)
	if cmd := ed.Focus(); cmd != nil {
		t.Error("focusing the SQL editor starts a blink")
	}
	for _, k := range []string{"S", "E", "L", "enter", "1", "left", "backspace", "ctrl+e", "space", "x"} {
		ed, _ = ed.Update(keyMsg(k))
	}
	if got := ed.Value(); got != "SEL1 x" {
		t.Errorf("value %q, want the lines joined by backspace at a line start", got)
	}
	ed, _ = ed.Update(tea.PasteMsg{Content: "a\nb"})
	if got := ed.Value(); got != "SEL1 xa\nb" {
		t.Errorf("after paste %q", got)
	}
	for _, k := range []string{"ctrl+w", "up", "ctrl+a", "ctrl+k"} {
		ed, _ = ed.Update(keyMsg(k))
	}
	if got := ed.Value(); got != "\n" {
		t.Errorf("after deletions %q", got)
	}
	if _, cmd := ed.Update(keyMsg("ctrl+v")); cmd != nil {
		t.Error("ctrl+v in the SQL editor reads the system clipboard")
	}
	ed.SetValue("SELECT 1")
	if rows := strings.Split(ansi.Strip(ed.View()), "\n"); len(rows) != 3 || strings.TrimSpace(rows[0]) != "│ SELECT 1" || strings.TrimSpace(rows[2]) != "│" {
		t.Errorf("editor rows %q, want 3 rows in the gutter", rows)
	}

	one := newLineInput(st, "> ", "hint")
	sizeLine(&one, 30)
	if cmd := one.Focus(); cmd != nil {
		t.Error("focusing a field starts a blink")
	}
	if got := ansi.Strip(lineView(one)); got != "> hint" {
		t.Errorf("empty field shows %q, want the prompt and the placeholder", got)
	}
	one, _ = one.Update(tea.PasteMsg{Content: "a\nb"})
	one, _ = one.Update(keyMsg("enter"))
	if one.Value() != "a b" {
		t.Errorf("one line: %q (a newline is a space; enter is left to the screen)", one.Value())
	}
	if got := ansi.Strip(lineView(one)); got != "> a b " {
		t.Errorf("field shows %q, want the text and the cursor cell, no padding", got)
	}
	if _, cmd := one.Update(keyMsg("ctrl+v")); cmd != nil {
		t.Error("ctrl+v in a field reads the system clipboard")
	}
	setLine(&one, "seed")
	for _, k := range []string{"ctrl+a", "x"} {
		one, _ = one.Update(keyMsg(k))
	}
	setLine(&one, "count")
	one, _ = one.Update(keyMsg("s"))
	if one.Value() != "counts" {
		t.Errorf("after setLine typing gave %q, want it at the end", one.Value())
	}
	setLine(&one, strings.Repeat("x", 100))
	if w := ansi.StringWidth(lineView(one)); w != 30 {
		t.Errorf("a long value takes %d cells, want the field's 30", w)
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

// The status line counts rows exactly: past a million the compact form
// read "rows 2.05M–2.05M of 2.05M" on the last page.
func TestPagerStatusCountsExactly(t *testing.T) {
	for _, tc := range []struct {
		total       int64
		page, shown int
		want        string
	}{
		{5, 0, 5, "rows 1–5 of 5 · page 1/1"},
		{13498, 67, 98, "rows 13,401–13,498 of 13,498 · page 68/68"},
		{2053437, 10267, 37, "rows 2,053,401–2,053,437 of 2,053,437 · page 10,268/10,268"},
	} {
		p := newPager(testShared(), 7)
		p.pageSize = 200
		p.start(func(l, o int) string { return "" }, "", tc.total)
		rows := make([][]string, tc.shown)
		for i := range rows {
			rows[i] = []string{"x"}
		}
		p.handle(pageMsg{addr: addr{7}, seq: p.seq, page: tc.page, cols: []sqlCol{{name: "v"}}, rows: rows})
		if got := p.status(); !strings.HasPrefix(got, tc.want+" ·") {
			t.Errorf("%d rows, page %d: status %q, want %q", tc.total, tc.page+1, got, tc.want)
		}
	}
}

func TestPagerPages(t *testing.T) {
	p := newPager(testShared(), 7)
	p.pageSize = 2
	p.start(func(l, o int) string { return "" }, "", 5)
	seq := p.seq
	row := func(v string) []string { return []string{v} }
	p.handle(pageMsg{addr: addr{7}, seq: seq, page: 0, cols: []sqlCol{{name: "v"}}, rows: [][]string{row("a"), row("b")}})
	if p.status() == "" || !strings.Contains(p.status(), "rows 1–2 of 5 · page 1/3") {
		t.Errorf("status %q", p.status())
	}
	p.tbl.cursor = 1
	used, cmd := p.key(keyMsg("down"))
	if !used || cmd == nil || p.seq != seq+1 {
		t.Fatal("down at the last row did not fetch the next page")
	}
	p.handle(pageMsg{addr: addr{7}, seq: seq, page: 0, rows: [][]string{row("stale")}})
	if p.rows[0][0] != "a" {
		t.Error("a stale page replaced the current one")
	}
	p.handle(pageMsg{addr: addr{7}, seq: p.seq, page: 1, cols: []sqlCol{{name: "v"}}, rows: [][]string{row("c"), row("d")}})
	if p.page != 1 || p.tbl.cursor != 0 || p.rows[0][0] != "c" {
		t.Errorf("page %d cursor %d rows %v", p.page, p.tbl.cursor, p.rows)
	}
	if _, cmd := p.key(keyMsg("up")); cmd == nil || p.wantCursor != -1 {
		t.Error("up at the first row did not go back a page")
	}
	// G asks for the last page of the result (rows 5 of 5: page 3), by
	// its offset, with the cursor on its last row.
	p.loading = false
	var asked []int
	p.sql = func(l, o int) string { asked = append(asked, o); return "" }
	if _, cmd := p.key(keyMsg("G")); cmd == nil || p.wantCursor != -1 || len(asked) != 1 || asked[0] != 4 {
		t.Errorf("G asked for offsets %v, cursor %d; want [4], -1", asked, p.wantCursor)
	}
	// A count that answers after another query started is the old query's:
	// it must not set the total G pages by.
	c := newPager(testShared(), 9)
	c.start(func(l, o int) string { return "" }, "SELECT 1", -1)
	old := c.countSeq
	c.start(func(l, o int) string { return "" }, "SELECT 2", -1)
	c.handle(countMsg{addr: addr{9}, seq: old, n: 5})
	if c.total != -1 {
		t.Errorf("a stale count set the total to %d", c.total)
	}
	c.handle(countMsg{addr: addr{9}, seq: c.countSeq, n: 7})
	if c.total != 7 {
		t.Errorf("the query's own count: total %d, want 7", c.total)
	}
	// Nor after a query that counts nothing (the Requests tab back to its
	// keyset pages, whose total is known).
	c.start(func(l, o int) string { return "" }, "SELECT 3", -1)
	old = c.countSeq
	c.startKeyset(func(context.Context, *sql.DB, int, keyBound) ([]sqlCol, [][]string, []rowKey, error) {
		return nil, nil, nil, nil
	}, nil, 1000)
	c.handle(countMsg{addr: addr{9}, seq: old, n: 5})
	if c.total != 1000 {
		t.Errorf("a filtered query's late count set the keyset total to %d, want 1000", c.total)
	}
	// A query (or a Requests filter) that matches nothing says so.
	e := newPager(testShared(), 8)
	e.start(func(l, o int) string { return "" }, "", 0)
	e.handle(pageMsg{addr: addr{8}, seq: e.seq, page: 0, cols: []sqlCol{{name: "v"}}})
	if st := e.status(); !strings.HasPrefix(st, "no rows ·") {
		t.Errorf("empty result: status %q, want \"no rows · …\"", st)
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    any
		typ  string
		want string
	}{
		{nil, "DOUBLE", "NULL"},
		{1.5, "DOUBLE", "1.5"},
		{3.0, "DOUBLE", "3"},
		// Full precision, as aiecon sql prints doubles (the shortest text
		// that reads back as the same number): 6 digits made 1234567.891
		// read 1.23457e+06 and 17352.188996931163 read 17352.2.
		{1.0 / 3, "DOUBLE", "0.3333333333333333"},
		{1234567.891, "DOUBLE", "1.234567891e+06"},
		{17352.188996931163, "DOUBLE", "17352.188996931163"},
		{float32(0.1), "FLOAT", "0.1"},
		{1e6, "DOUBLE", "1000000"}, // a whole number stays whole
		{math.Inf(1), "DOUBLE", "+Inf"},
		{int64(7), "BIGINT", "7"},
		{"a\nb", "VARCHAR", "a⏎b"},
		{[]byte{0x01, 0xff}, "BLOB", `\x01ff`},
		{[]byte{0x08, 0x11, 0x08, 0xf6, 0x1b, 0xc4, 0x45, 0x5e, 0x85, 0x61, 0xbe, 0x8d, 0x11, 0xcc, 0xfb, 0xc1}, "UUID", "081108f6-1bc4-455e-8561-be8d11ccfbc1"},
		{time.Date(2026, 3, 14, 9, 7, 0, 0, time.UTC), "TIMESTAMP", "2026-03-14 09:07:00.000"},
		// A long value keeps its first maxCellRunes runes: a value of a
		// gigabyte was kept, measured and rendered whole.
		{strings.Repeat("é\n", 200) + "more", "VARCHAR", strings.Repeat("é⏎", 128) + "…"},
		{[]byte(strings.Repeat("ab", 200)), "BLOB", strings.Repeat("ab", 128) + "…"},
		{append([]byte{0xff}, make([]byte, 300)...), "BLOB", `\xff` + strings.Repeat("00", 126) + "…"},
		{strings.Repeat("x", maxCellRunes), "VARCHAR", strings.Repeat("x", maxCellRunes)},
		// Lists and structs as aiecon sql prints them (JSON): Go's form
		// read ['a b','c'] as three elements and a struct as map[a:1].
		{[]any{int32(1), int32(2), int32(3)}, "INTEGER[]", "[1,2,3]"},
		{[]any{"a b", "c"}, "VARCHAR[]", `["a b","c"]`},
		{map[string]any{"a": int32(1), "b": "x y"}, "STRUCT(a INTEGER, b VARCHAR)", `{"a":1,"b":"x y"}`},
		// A struct's fields in the order its type declares them, as DuckDB
		// prints them: the driver's map printed {"a":2,"b":1}.
		{map[string]any{"a": int32(2), "b": int32(1)}, `STRUCT("b" INTEGER, "a" INTEGER)`, `{"b":1,"a":2}`},
		{[]any{math.NaN(), "l1\nl2"}, "VARCHAR[]", `[null,"l1\nl2"]`},
		// A MAP as DuckDB prints it: Go's form inside it read {k=[1 2]}.
		{orderedMap("k", []any{int32(1), int32(2)}, "l", "x,y"), "MAP(VARCHAR, INTEGER[])", "{k=[1, 2], l='x,y'}"},
	}
	for _, tt := range tests {
		if got := formatValue(tt.v, tt.typ); got != tt.want {
			t.Errorf("formatValue(%#v, %s) = %q, want %q", tt.v, tt.typ, got, tt.want)
		}
	}
}

// orderedMap is a MAP as the driver scans it, of keys and values in turn.
func orderedMap(kv ...any) duckdb.OrderedMap {
	var m duckdb.OrderedMap
	for i := 0; i+1 < len(kv); i += 2 {
		m.Set(kv[i], kv[i+1])
	}
	return m
}

// TestLaunchKeysDuringRun: while a run is in progress esc and ctrl+c
// cancel it; q neither quits nor cancels, and says what does (it used to
// do nothing, while the docs said it cancelled).
func TestLaunchKeysDuringRun(t *testing.T) {
	tests := []struct {
		key     string
		cancels bool
		notice  string // in the notice the key gives; "" for none
	}{
		{"esc", true, ""},
		{"ctrl+c", true, ""},
		{"q", false, "esc or ctrl+c cancels it"},
		{"x", false, ""},
	}
	for _, tt := range tests {
		s := newLaunchScreen(testShared(), "")
		cancelled := false
		s.running, s.cancel = true, func() { cancelled = true }
		var notice string
		for _, m := range msgsOf(s.update(keyMsg(tt.key))) {
			if n, ok := m.(noticeMsg); ok {
				notice = n.text
			}
		}
		if cancelled != tt.cancels {
			t.Errorf("%s: cancelled %v, want %v", tt.key, cancelled, tt.cancels)
		}
		if tt.notice == "" && notice != "" || !strings.Contains(notice, tt.notice) {
			t.Errorf("%s: notice %q, want one saying %q", tt.key, notice, tt.notice)
		}
	}
}

// TestRunThatDoesNotOpenCloses: a run screen for an id that names no run
// closes and says why; it stayed on the stack (:run zzz twice read
// Runs › Run zzz › Run zzz).
func TestRunThatDoesNotOpenCloses(t *testing.T) {
	a := New(testOptions(copyFixture(t)))
	defer a.Close()
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	var pump func(cmd tea.Cmd, depth int)
	pump = func(cmd tea.Cmd, depth int) {
		for _, m := range msgsOf(cmd) {
			switch m.(type) {
			case runLoadedMsg, closeScreenMsg:
				if depth < 4 {
					pump(a.update(m), depth+1)
				}
			}
		}
	}
	for range 2 {
		pump(a.update(openRunMsg{ref: "zzz"}), 0)
	}
	if len(a.stack) != 1 || !a.noticeErr || !strings.Contains(a.notice, "no such run") {
		t.Errorf("after :run zzz twice: %d screens, notice %q", len(a.stack), a.notice)
	}
	for range 2 { // an ambiguous prefix keeps its screen, which lists the matches, once
		pump(a.update(openRunMsg{ref: "1m1q0"}), 0)
	}
	if len(a.stack) != 2 {
		t.Errorf("after :run 1m1q0 twice: %d screens, want 2", len(a.stack))
	}
	a.pop()
	pump(a.update(openRunMsg{ref: "1m1q01"}), 0)
	if len(a.stack) != 2 {
		t.Errorf("a run that exists: %d screens, want 2", len(a.stack))
	}
}

// TestLongNoticeWraps: a notice longer than the width takes more footer
// lines, over the bottom of the body, rather than lose its end: an
// error's reason comes last (export to PATH: IO Error: …), and was cut.
func TestLongNoticeWraps(t *testing.T) {
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	defer a.Close()
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	a.Update(noticeMsg{text: `export failed: export to /tmp/x/q.csv: IO Error: Cannot open file "/tmp/x/q.csv": No such file or directory`, err: true})
	v := ansi.Strip(a.View().Content)
	lines := strings.Split(v, "\n")
	if len(lines) != 24 {
		t.Errorf("%d lines, want 24:\n%s", len(lines), v)
	}
	if flat := strings.Join(strings.Fields(v), " "); !strings.Contains(flat, "No such file or directory") {
		t.Errorf("the reason is cut:\n%s", v)
	}
}

// TestLongNoticeKeepsItsReason: a notice longer than the footer's three
// lines keeps its start and its end, the reason, and loses its middle: a
// path of 600 characters pushed "file name too long" off the footer.
func TestLongNoticeKeepsItsReason(t *testing.T) {
	start := "exporting run 1m1q01zz5b0c7d9: mkdir /tmp/review81/work/"
	long := start + strings.Repeat("L", 600) + ": file name too long"
	for _, tt := range []struct {
		w         int
		text, end string
	}{
		{120, long, "LLL: file name too long"},
		{80, long, "LLL: file name too long"},
		{40, long, "LLL: file name too long"},
		// Lines of its own (a DuckDB error's LINE 1:) are one line once cut.
		{80, start + strings.Repeat("L", 300) + "\nLINE 1: " + strings.Repeat("word ", 60) + "at the end", "word word at the end"},
	} {
		a := New(Options{Path: "/nonexistent/store.duckdb"})
		a.Update(tea.WindowSizeMsg{Width: tt.w, Height: 24})
		a.Update(noticeMsg{text: tt.text, err: true})
		foot := strings.Split(ansi.Strip(a.footer()), "\n")
		a.Close()
		last := foot[len(foot)-1]
		if len(foot) != maxNoticeLines || !strings.HasPrefix(foot[0], "exporting run 1m1q01zz5b0c7d9:") ||
			!strings.HasPrefix(last, "…") || !strings.HasSuffix(last, tt.end) {
			t.Errorf("%d columns: want %d lines, the first saying what failed, the last the end (%q) after a …:\n%s",
				tt.w, maxNoticeLines, tt.end, strings.Join(foot, "\n"))
		}
		for _, l := range foot {
			if lipgloss.Width(l) > tt.w {
				t.Errorf("%d columns: line %q is wider", tt.w, l)
			}
		}
	}
}

// TestNoticeOfManyLinesFits: a notice whatever its lines (several short
// ones, blank ones, one long one) takes at most maxNoticeLines footer
// lines, none wider than the terminal, and keeps its end. A notice of four
// short lines is more than three as written but one once joined, and
// View panicked taking two lines of that one.
func TestNoticeOfManyLinesFits(t *testing.T) {
	notices := []struct{ text, end string }{
		{"retry: IO Error:\nline two\n\nLINE 1: x", "LINE 1: x"},
		{"a\nb\nc\nd", "d"},
		{"a\n\n\n\n\nb", "b"},
		{"\n\n\n\n", ""},
		{"first\nsecond", "second"},
		{"IO Error: " + strings.Repeat("word ", 40) + "\nLINE 1: SELECT\n\nHINT: the reason", "the reason"},
		{strings.Repeat("x", 500) + " the end", "the end"},
	}
	for _, w := range []int{20, 40, 80, 120, 200} {
		for _, nt := range notices {
			a := New(Options{Path: "/nonexistent/store.duckdb"})
			a.Update(tea.WindowSizeMsg{Width: w, Height: 24})
			a.Update(noticeMsg{text: nt.text, err: true})
			v := ansi.Strip(a.View().Content)
			foot := strings.Split(ansi.Strip(a.footer()), "\n")
			a.Close()
			if n := len(strings.Split(v, "\n")); n != 24 {
				t.Errorf("%d columns, notice %q: %d lines, want 24", w, nt.text, n)
			}
			if len(foot) > maxNoticeLines {
				t.Errorf("%d columns, notice %q: %d footer lines, want at most %d", w, nt.text, len(foot), maxNoticeLines)
			}
			for _, l := range foot {
				if lipgloss.Width(l) > w {
					t.Errorf("%d columns, notice %q: line %q is wider", w, nt.text, l)
				}
			}
			// Wrapping may split the end across the last two lines.
			if got := strings.Join(strings.Fields(strings.Join(foot, " ")), " "); !strings.HasSuffix(got, nt.end) {
				t.Errorf("%d columns, notice %q: the footer %q does not end with %q", w, nt.text, got, nt.end)
			}
		}
	}
}

// TestLaunchRefusalShowsWhenSmall: at 40x12 the form's end, with its error
// and the Run button, is below the screen; a refused launch says why in the
// footer (ctrl+r seemed to do nothing).
func TestLaunchRefusalShowsWhenSmall(t *testing.T) {
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	defer a.Close()
	a.Update(tea.WindowSizeMsg{Width: 40, Height: 12})
	feed := func(cmd tea.Cmd) {
		for _, m := range msgsOf(cmd) {
			_, c := a.Update(m)
			for _, m := range msgsOf(c) {
				a.Update(m)
			}
		}
	}
	_, cmd := a.Update(openLaunchMsg{})
	feed(cmd)
	s := a.top().(*launchScreen)
	if s.loaded == nil {
		t.Fatalf("the default scenario did not load: %v", s.loadErr)
	}
	s.setFocus(fCount)
	setLine(&s.fields[fCount].ed, "72h")
	_, cmd = a.Update(keyMsg("ctrl+r"))
	feed(cmd)
	v := ansi.Strip(a.View().Content)
	if flat := strings.Join(strings.Fields(v), " "); !strings.Contains(flat, "fleet.count=72h") {
		t.Errorf("the refusal is not on screen:\n%s", v)
	}
}

// TestLaunchFooterSaysEscOnce: on the scenario chooser and the Run button
// the footer's global keys say esc back; the form's own list said it
// again (esc back   esc back  : commands).
func TestLaunchFooterSaysEscOnce(t *testing.T) {
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	defer a.Close()
	a.Update(tea.WindowSizeMsg{Width: 160, Height: 30})
	a.Update(openLaunchMsg{})
	s := a.top().(*launchScreen)
	for _, focus := range []int{fSeed, len(s.fields), s.chooserFocus()} {
		s.setFocus(focus)
		if n := strings.Count(ansi.Strip(a.footer()), "esc back"); n != 1 {
			t.Errorf("focus %d: the footer says esc back %d times: %q", focus, n, ansi.Strip(a.footer()))
		}
	}
}

// TestPaletteShowsWholeRunNames: a run's name in the palette takes the
// width its description leaves; it was cut at 40 cells with half the line
// empty, where runs of one scenario differ.
func TestPaletteShowsWholeRunNames(t *testing.T) {
	sh := testShared()
	name := "gpu-vs-trainium/p5 [horizon=2m fleet.count=6 workloads[chat].arrivals.rate=40/s]"
	sh.runs = []runRef{{"1m1q02aaaaaaaaa", name}}
	p := newPalette(sh, 140)
	for _, r := range "compare 1m1q01 " {
		p.update(keyMsg(string(r)))
	}
	v := ansi.Strip(p.view(140, 20))
	if !strings.Contains(v, name+"  tab adds it to the comparison") {
		t.Errorf("the run's name is cut:\n%s", v)
	}
}

// TestOptimizePointsLabelledByWhatTheySet: an optimizer's sweep resets a
// candidate's scheduler settings (scheduler "", buckets [], the rest
// null); its label and its points' say nothing of them.
func TestOptimizePointsLabelledByWhatTheySet(t *testing.T) {
	s := newRunsScreen(testShared())
	s.resize(160, 20)
	runs := []data.RunSummary{summary("1m1q02aaaaaaaaa", "opt-b", 2, 5), summary("1m1q01aaaaaaaaa", "opt-a", 4, 1)}
	for i := range runs {
		runs[i].SweepID, runs[i].SweepPoint = "1m1s01aaaaaaaaa", 1-i
	}
	point := func(tp, count int) string {
		return fmt.Sprintf(`{"fleet.instance": "trn2.48xlarge", "fleet.replica.tp": %d, "fleet.replica.per_instance": null, `+
			`"fleet.replica.scheduler": "", "fleet.replica.max_num_seqs": 64, "fleet.replica.context_buckets": [], `+
			`"fleet.replica.sequence_buckets": [], "fleet.count": %d}`, tp, count)
	}
	s.update(runsLoadedMsg{addr: addr{s.sid}, runs: runs,
		sweeps: []data.Sweep{{ID: "1m1s01aaaaaaaaa", Name: "optimize-acme", Points: 2, Replications: 1}},
		params: map[string]map[int]string{"1m1s01aaaaaaaaa": {0: point(8, 4), 1: point(32, 2)}}})
	s.update(keyMsg("right"))
	want := []string{"optimize-acme · 2 points over instance × tp × max_num_seqs × count · 2 runs",
		"├ trn2.48xl tp8 max_num_seqs=64 x4", "└ trn2.48xl tp32 max_num_seqs=64 x2"}
	if got := rowLabels(s); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("rows %q, want %q", got, want)
	}
}

// TestRunsSeedShownWhole: a seed of 10 digits widens the SEED column (it
// was cut to 12345… at 130 to 160 columns).
func TestRunsSeedShownWhole(t *testing.T) {
	for w := 100; w <= 200; w += 5 {
		s := newRunsScreen(testShared())
		s.resize(w, 20)
		r := summary("1m1q04aaaaaaaaa", "seeded", 2, 5)
		r.Seed = 1234567891
		s.update(runsLoadedMsg{addr: addr{s.sid}, runs: []data.RunSummary{r}})
		v := ansi.Strip(s.view(w, 20))
		if strings.Contains(v, "12345…") || strings.Contains(v, "SEED") && !strings.Contains(v, "1234567891") {
			t.Errorf("%d columns: the seed is cut:\n%s", w, v)
		}
	}
}

// TestTooSmallTerminal: below 40x12, where the screens would be clipped
// at the right edge mid-number (a run header ending price_usd_per_hour=1
// at 36 columns), the dashboard says the terminal is too small and what it
// needs; q and ctrl+c still quit, other keys do nothing unseen, and a
// larger terminal shows the screen again.
func TestTooSmallTerminal(t *testing.T) {
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	defer a.Close()
	for _, sz := range [][2]int{{36, 24}, {30, 40}, {100, 11}, {20, 6}, {1, 1}} {
		a.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		v := ansi.Strip(a.View().Content)
		flat := strings.Join(strings.Fields(v), " ")
		if !strings.Contains(flat, fmt.Sprintf("%d×%d", sz[0], sz[1])) && sz[0] >= 20 {
			t.Errorf("%dx%d: the size is not said:\n%s", sz[0], sz[1], v)
		}
		if sz[0] >= 30 && !strings.Contains(flat, "needs at least 40×12") {
			t.Errorf("%dx%d: the minimum is not said:\n%s", sz[0], sz[1], v)
		}
		if n := len(strings.Split(v, "\n")); n != max(sz[1], 3) {
			t.Errorf("%dx%d: %d lines", sz[0], sz[1], n)
		}
		for _, l := range strings.Split(v, "\n") {
			if lipgloss.Width(l) > max(sz[0], 1) {
				t.Errorf("%dx%d: line %q is wider than the terminal", sz[0], sz[1], l)
			}
		}
	}
	if _, cmd := a.Update(keyMsg("e")); cmd != nil || len(a.stack) != 1 {
		t.Errorf("a key acted on a screen the terminal does not show")
	}
	if _, cmd := a.Update(keyMsg("q")); cmd == nil || cmd() != tea.Quit() {
		t.Errorf("q does not quit on a terminal too small")
	}
	a.Update(tea.WindowSizeMsg{Width: 40, Height: 12})
	if v := ansi.Strip(a.View().Content); strings.Contains(v, "too small") {
		t.Errorf("40x12 is refused:\n%s", v)
	}
}

// At the smallest size drawn (40×12) a run whose header wraps onto many
// lines (a sweep point's overrides) still leaves its tab rows to show: the
// header is cut to half the height, its last line ending in "…".
func TestRunHeaderLeavesTheTabRoom(t *testing.T) {
	s := newRunScreen(testShared(), "1m1q01")
	var kpis []sim.KPI
	for _, n := range []string{"abandon_rate", "ad_auctions", "ad_bid_median_usd", "cost_per_mtok_usd", "margin_usd"} {
		kpis = append(kpis, sim.KPI{Name: n, Value: 1, Unit: "1"})
	}
	d := &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q01zz5b0c7d9", Name: "sweep-point",
		Status: data.StatusComplete}}, KPIs: kpis}
	d.Run.ParamsJSON = `{"fleet.count":"6","workloads[chat].arrivals.rate":"4/s","fleet.instance":"trn2.48xlarge","fleet.replica.tp":"32","horizon":"2h","workloads[chat].slo.ttft":"2s","fleet.pricing":"on-demand","ads.ctr":"0.02","ads.reserve":"0.1","seed":"7"}`
	s.update(runLoadedMsg{addr: addr{s.sid}, d: d})
	const w, h = 40, 12
	s.resize(w, h)
	full := len(s.runLines(w)) + len(s.setupLines(w))
	head := s.header(w, h)
	if full <= h/2 {
		t.Fatalf("the fixture's header takes %d lines at %d columns: too few to test the cut", full, w)
	}
	if len(head) > h/2 || !strings.HasSuffix(ansi.Strip(head[len(head)-1]), "…") {
		t.Errorf("header at %dx%d: %d lines (at most %d), last %q (must end in …)", w, h, len(head), h/2, ansi.Strip(head[len(head)-1]))
	}
	s.update(tea.KeyPressMsg{Code: '5', Text: "5"})
	v := ansi.Strip(s.view(w, h))
	for _, label := range []string{"abandon rate", "ad auctions", "ad bid median"} {
		if !strings.Contains(v, label) {
			t.Errorf("KPIs tab at %dx%d does not show %q whole:\n%s", w, h, label, v)
		}
	}
}

// TestTooSmallTerminalKeepsTypedText: with the terminal too small, q does
// not quit while a text field has the keyboard (the SQL editor, the
// palette), and the message says ctrl+c does; it threw away a query being
// typed when the terminal shrank. Elsewhere q still quits.
func TestTooSmallTerminalKeepsTypedText(t *testing.T) {
	quits := func(cmd tea.Cmd) bool { return cmd != nil && cmd() == tea.Quit() }
	tests := []struct {
		name   string
		open   func(a *App)
		qQuits bool
	}{
		{"runs list", func(a *App) {}, true},
		{"SQL editor", func(a *App) { a.push(newSQLScreen(a.sh, "")) }, false},
		{"palette", func(a *App) { a.Update(keyMsg(":")) }, false},
	}
	for _, tt := range tests {
		a := New(Options{Path: "/nonexistent/store.duckdb"})
		a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		tt.open(a)
		a.Update(tea.WindowSizeMsg{Width: 30, Height: 8})
		flat := strings.Join(strings.Fields(ansi.Strip(a.View().Content)), " ")
		_, cmd := a.Update(keyMsg("q"))
		if got := quits(cmd); got != tt.qQuits {
			t.Errorf("%s: q quits %v, want %v", tt.name, got, tt.qQuits)
		}
		if says := strings.Contains(flat, "q quits"); says != tt.qQuits {
			t.Errorf("%s: the message says q quits %v, want %v:\n%s", tt.name, says, tt.qQuits, flat)
		}
		if !tt.qQuits && !strings.Contains(flat, "ctrl+c quits") {
			t.Errorf("%s: the message does not say ctrl+c quits:\n%s", tt.name, flat)
		}
		if _, cmd := a.Update(keyMsg("ctrl+c")); !quits(cmd) {
			t.Errorf("%s: ctrl+c does not quit", tt.name)
		}
		a.Close()
	}
}

// TestLaunchSaysKeptAsFailedOnceRegistered: the running screen's header
// and q's notice say a cancel keeps the run as failed only once the run's
// row is in the store, which the live feed says; before (the store still
// opening) a cancel stores nothing, and they said it all the same.
func TestLaunchSaysKeptAsFailedOnceRegistered(t *testing.T) {
	const kept = "kept as failed"
	s := newLaunchScreen(testShared(), "")
	s.running, s.cancel, s.runName, s.horizonNs = true, func() {}, "baseline", int64(time.Minute)
	s.feed = newLiveFeed()
	says := func() (head, q bool) {
		v := strings.Join(strings.Fields(ansi.Strip(s.view(120, 30))), " ")
		var text string
		for _, m := range msgsOf(s.update(keyMsg("q"))) {
			if n, ok := m.(noticeMsg); ok {
				text = n.text
			}
		}
		return strings.Contains(v, kept), strings.Contains(text, kept)
	}
	if head, q := says(); head || q {
		t.Errorf("before the run is registered: header says %q %v, q's notice %v; want neither", kept, head, q)
	}
	s.feed.registered("1m1q01zz5b0c7d9")
	s.feed.finish() // listen returns at once
	s.update(msgsOf(s.feed.listen(s.sid))[0])
	if head, q := says(); !head || !q {
		t.Errorf("once the run is registered: header says %q %v, q's notice %v; want both", kept, head, q)
	}
}

// TestPagerFailedMoveGoesBack: a page move that fails (the store gone,
// the query interrupted) keeps the page shown before it; p (or [) leaves
// the error for that page, from which n moves, and retries, again. A
// move that failed from the first page left the error up with no key to
// leave it but running the query again. A query whose first page failed
// has no page to go back to: p leaves its error alone.
func TestPagerFailedMoveGoesBack(t *testing.T) {
	row := func(v string) []string { return []string{v} }
	broken := errors.New("IO Error: the store went away")
	for _, tc := range []struct {
		name       string
		from, move string // the page held, and the key whose move fails
		failedPage int
	}{
		{"n from the first page", "0", "n", 1},
		{"] from the first page", "0", "]", 1},
		{"p from the second page", "1", "p", 0},
	} {
		p := newPager(testShared(), 7)
		p.pageSize = 2
		p.start(func(l, o int) string { return "" }, "", 6)
		held := 0
		if tc.from == "1" {
			held = 1
		}
		p.want = held
		p.handle(pageMsg{addr: addr{7}, seq: p.seq, page: held, cols: []sqlCol{{name: "v"}}, rows: [][]string{row("a"), row("b")}})
		if _, cmd := p.key(keyMsg(tc.move)); cmd == nil {
			t.Fatalf("%s: %s asked for no page", tc.name, tc.move)
		}
		p.handle(pageMsg{addr: addr{7}, seq: p.seq, page: tc.failedPage, err: broken})
		want := fmt.Sprintf("page %d failed: %s · p: back to page %d", tc.failedPage+1, broken, held+1)
		if st := p.status(); st != want {
			t.Errorf("%s: status %q, want %q", tc.name, st, want)
		}
		if used, cmd := p.key(keyMsg("p")); !used || cmd != nil {
			t.Errorf("%s: p after the failed move: used %v, asked for a page %v; want it to go back to the page held", tc.name, used, cmd != nil)
		}
		if p.err != nil || p.page != held || p.rows[0][0] != "a" || !strings.HasPrefix(p.status(), "rows ") {
			t.Errorf("%s: after p: error %v, page %d, status %q; want page %d shown", tc.name, p.err, p.page, p.status(), held+1)
		}
		seq := p.seq
		if _, cmd := p.key(keyMsg(tc.move)); cmd == nil || p.seq != seq+1 || p.want != tc.failedPage {
			t.Errorf("%s: %s again did not retry page %d (want %d)", tc.name, tc.move, tc.failedPage+1, p.want+1)
		}
	}
	q := newPager(testShared(), 7)
	q.start(func(l, o int) string { return "" }, "", -1)
	q.handle(pageMsg{addr: addr{7}, seq: q.seq, page: 0, err: broken})
	if q.key(keyMsg("p")); q.err == nil {
		t.Error("p cleared the error of a query whose first page failed: there is no page to show")
	}
}

// TestNoticeWrapsAtSpaces: a notice wraps between words, and only a word
// wider than a line (a long path) breaks after a "/": broken at every "/",
// a Launch rate's notice wrapped inside "5/h".
func TestNoticeWrapsAtSpaces(t *testing.T) {
	text := `--set workloads[chat].arrivals.rate=abc/s: invalid rate "abc/s" (want e.g. 40/s, 2400/min, 5/h)`
	for w := 50; w <= 120; w++ { // narrower, it does not fit three lines: its middle is cut
		lines := noticeLines(text, w, 3)
		joined := strings.Join(lines, "\n")
		for _, unit := range []string{"40/s,", "2400/min,", "5/h)", `"abc/s"`} {
			if !strings.Contains(joined, unit) {
				t.Errorf("%d columns: %q is broken across lines: %q", w, unit, lines)
			}
		}
	}
	path := "/tmp/" + strings.Repeat("folder/", 20) + "x.csv"
	for _, l := range noticeLines("export to "+path+" failed", 40, 3) {
		if lipgloss.Width(l) > 40 {
			t.Errorf("a long path's line %q is wider than 40", l)
		}
	}
}
