package tui

// Tests that each screen keeps what tells things apart (names, labels, the
// reason a run failed) at the sizes a strategist uses, and that keys and
// help say what they do: the findings of a session spent as a new user.

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// TestRunsScreenFoldsForecasts: a forecast's runs (a dozen per variant and
// period) fold into one line like a sweep's, instead of filling the list
// with names cut to "trainium-amortization/o…".
func TestRunsScreenFoldsForecasts(t *testing.T) {
	s := newRunsScreen(testShared())
	s.resize(80, 20)
	const fc = "1m1f01aaaaaaaaa"
	runs := []data.RunSummary{summary("1m1q05aaaaaaaaa", "lone", 3, 1)}
	places := map[string]forecastRun{}
	// Stored variant by variant (ids ascending), listed newest first.
	for i, v := range []string{"owned", "rented"} {
		for p := 1; p <= 2; p++ {
			id := fmt.Sprintf("1m1q0%d%daaaaaaaaa", 6+i, p)
			runs = append(runs, summary(id, fmt.Sprintf("plan/%s/s0/p%d/d0/h0", v, p), 2, 2))
			places[id] = forecastRun{forecast: fc, name: "plan", periodLength: "quarter", samples: 1, variant: v, period: p}
		}
	}
	slices.Reverse(runs)
	s.update(runsLoadedMsg{addr: addr{s.sid}, runs: runs, forecasts: places})
	want := []string{"plan · 2 quarters × 2 variants · 4 runs", "lone"}
	if got := rowLabels(s); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("rows %q, want %q", got, want)
	}
	if v := ansi.Strip(s.view(80, 20)); !strings.Contains(v, "forecast plan · 2 quarters") {
		t.Errorf("the status line does not say the folded line is a forecast:\n%s", v)
	}
	if m, ok := msgsOf(s.update(keyMsg("enter")))[0].(openForecastMsg); !ok || m.ref != fc {
		t.Errorf("enter on a forecast sent %#v, want its forecast screen", m)
	}
	s.update(keyMsg("right")) // in the forecast's order: variant, period
	want = []string{want[0], "├ owned q1 d0 h0", "├ owned q2 d0 h0", "├ rented q1 d0 h0", "└ rented q2 d0 h0", "lone"}
	if got := rowLabels(s); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("unfolded rows %q, want %q", got, want)
	}
	s.update(keyMsg("down"))
	if v := ansi.Strip(s.view(80, 20)); !strings.Contains(v, "plan: owned, quarter 1, day 0, slice 0") {
		t.Errorf("the status line does not spell the run's place out:\n%s", v)
	}
	if m, ok := msgsOf(s.update(keyMsg("enter")))[0].(openRunMsg); !ok || m.ref != "1m1q061aaaaaaaaa" {
		t.Errorf("enter on a forecast's run sent %#v", m)
	}
	// The filter finds a forecast's runs by the forecast's name.
	s.update(keyMsg("left"))
	s.filter.SetValue("plan rented")
	s.rebuild()
	want = []string{"plan · 2 quarters × 2 variants · 2 runs", "├ rented q1 d0 h0", "└ rented q2 d0 h0"}
	if got := rowLabels(s); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("filtered rows %q, want %q", got, want)
	}
}

// TestRetryAndSnapshotKeysSayWhy: R and S, listed in help everywhere, say
// why they do nothing on a live store instead of ignoring the key.
func TestRetryAndSnapshotKeysSayWhy(t *testing.T) {
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	defer a.Close()
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	for _, k := range []string{"R", "S"} {
		_, cmd := a.Update(keyMsg(k))
		msgs := msgsOf(cmd)
		if len(msgs) != 1 {
			t.Fatalf("%s sent %#v, want one notice", k, msgs)
		}
		if n, ok := msgs[0].(noticeMsg); !ok || !strings.Contains(n.text, "the store is live") {
			t.Errorf("%s on a live store sent %#v, want a notice that says why nothing happens", k, msgs[0])
		}
	}
}

// TestHelpListsEveryCommand: the help overlay names every command the
// palette runs (it once left out forecast).
func TestHelpListsEveryCommand(t *testing.T) {
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	defer a.Close()
	help := strings.Join(strings.Fields(a.helpView(100, 40)), " ")
	for _, c := range paletteCommands {
		if !strings.Contains(help, c.usage) {
			t.Errorf("help lacks the command %q:\n%s", c.usage, help)
		}
	}
}

func TestWrapItems(t *testing.T) {
	tests := []struct {
		items []string
		w     int
		want  []string
	}{
		{[]string{"Cmds:", "runs", "run ID"}, 40, []string{"Cmds: runs · run ID"}},
		// The separator ends a line; no line starts with one, no item is split.
		{[]string{"Cmds:", "runs", "run ID", "sql [QUERY]"}, 21, []string{"Cmds: runs · run ID ·", "sql [QUERY]"}},
		{[]string{"Cmds:", "runs", "run ID", "sql [QUERY]"}, 19, []string{"Cmds: runs ·", "run ID ·", "sql [QUERY]"}},
		{[]string{"Cmds:", "compare ID ID…", "back"}, 10, []string{"Cmds:", "compare ID ID… ·", "back"}},
	}
	for _, tt := range tests {
		if got := wrapItems(tt.items, tt.w); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrapItems(%q, %d) = %q, want %q", tt.items, tt.w, got, tt.want)
		}
	}
	// wrap counts cells, not bytes: "a·b·c d" is 7 cells (9 bytes).
	if got := wrap("a·b·c d", 7); got != "a·b·c d" {
		t.Errorf("wrap broke a line that fits: %q", got)
	}
}

// TestRunWorkloadNamesInFull: at 80 columns the Workloads tab shows a
// workload's whole name (it cut "shopping-assistant" to "shopping-as…"),
// and the class gives way instead.
func TestRunWorkloadNamesInFull(t *testing.T) {
	s := newRunScreen(testShared(), "1m1q01")
	s.resize(80, 24)
	d := &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q01zz5b0c7d9", Name: "x", Status: data.StatusComplete},
		HorizonNs: int64(time.Hour)},
		Workloads: []sim.WorkloadMeta{{Name: "chat", Class: "api"}, {Name: "shopping-assistant", Class: "agent"}},
		KPIs:      []sim.KPI{{Name: "cost_per_mtok_usd", Value: 3.03, Unit: "USD/Mtok"}}}
	s.update(runLoadedMsg{addr: addr{s.sid}, d: d})
	s.update(keyMsg("3"))
	v := ansi.Strip(s.view(80, 24))
	if !strings.Contains(v, "shopping-assistant ") || !strings.Contains(v, "TTFT P99") || !strings.Contains(v, "REVENUE") {
		t.Errorf("the Workloads tab at 80 columns cuts the name or the key columns:\n%s", v)
	}
}

// TestCompareLabelsTellApart: at 80 columns with two runs the KPI column
// takes the spare width, so KPIs whose labels share a long prefix are not
// cut to the same text; on a wide terminal it stops at the longest label.
func TestCompareLabelsTellApart(t *testing.T) {
	names := []string{"margin_lost_to_queueing_ads_usd", "margin_lost_to_queueing_commerce_usd"}
	cmp := &data.Comparison{
		Runs: []data.RunSummary{{ID: "1m1q01zz5b0c7d9", Name: "one", Status: data.StatusComplete}, {ID: "1m1q02zz5b0c7d9", Name: "two", Status: data.StatusComplete}},
	}
	for _, n := range names {
		cmp.Rows = append(cmp.Rows, data.CompareRow{Name: n, Unit: "USD", Values: []float64{1, 2}, Delta: []float64{0, 1}, RelDelta: []float64{0, 1}})
	}
	for _, w := range []int{80, 200} {
		s := newCompareScreen(testShared(), []string{"a", "b"})
		s.resize(w, 24)
		s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: cmp})
		s.update(keyMsg("a"))
		v := ansi.Strip(s.view(w, 24))
		for _, n := range names {
			if !strings.Contains(v, kpi.Label(n)+" ") {
				t.Errorf("%d columns: %q is cut:\n%s", w, kpi.Label(n), v)
			}
		}
		if _, widths := s.tbl.layout(); widths[0] != lipgloss.Width(kpi.Label(names[1])) {
			t.Errorf("%d columns: KPI column %d wide, want the longest label's %d", w, widths[0], lipgloss.Width(kpi.Label(names[1])))
		}
	}
}

// TestScenarioTabPages: pgdown on the Scenario tab goes to the line after
// the last one shown (it skipped three at 80x24), and end shows the last.
func TestScenarioTabPages(t *testing.T) {
	s := newRunScreen(testShared(), "1m1q01")
	s.resize(80, 22)
	var yaml strings.Builder
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&yaml, "line%d: x\n", i)
	}
	d := &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q01zz5b0c7d9", Name: "x", Status: data.StatusComplete},
		HorizonNs: int64(time.Hour), ResolvedYAML: yaml.String()}}
	s.update(runLoadedMsg{addr: addr{s.sid}, d: d})
	s.update(keyMsg("7"))
	first := ansi.Strip(s.view(80, 22))
	var from, to int
	if _, err := fmt.Sscanf(first[strings.Index(first, "lines "):], "lines %d–%d", &from, &to); err != nil || from != 1 {
		t.Fatalf("first page: %v\n%s", err, first)
	}
	s.update(keyMsg("pgdown"))
	if v := ansi.Strip(s.view(80, 22)); !strings.Contains(v, fmt.Sprintf("lines %d–", to+1)) || !strings.Contains(v, fmt.Sprintf("line%d: x", to+1)) {
		t.Errorf("after pgdown from lines 1–%d, want line %d first:\n%s", to, to+1, v)
	}
	s.update(keyMsg("end"))
	if v := ansi.Strip(s.view(80, 22)); !strings.Contains(v, "–100 of 100") || !strings.Contains(v, "line100: x") {
		t.Errorf("end does not show the last line:\n%s", v)
	}
}

// TestCostCardOneUnit: the cost card's title is per Mtok, and so is its
// split, which adds up to it and says so; the run's cost in dollars is on
// the margin card, labelled as such (the card showed the run's dollars
// under a per-Mtok title, then below an unlabelled per-Mtok split, where
// it read as the split's sum). The margin card's percentage says it
// leaves training out: it is gross_margin, not the dollar margin over
// revenue.
func TestCostCardOneUnit(t *testing.T) {
	s := newRunScreen(testShared(), "1m1q01")
	s.resize(80, 24)
	d := &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q01zz5b0c7d9", Name: "x", Status: data.StatusComplete},
		HorizonNs: int64(time.Hour)},
		KPIs: []sim.KPI{{Name: "cost_per_mtok_usd", Value: 10, Unit: "USD/Mtok"}, {Name: "cost_usd", Value: 5, Unit: "USD"},
			{Name: "cost_instances_usd", Value: 4, Unit: "USD"}, {Name: "cost_training_usd", Value: 0.5, Unit: "USD"},
			{Name: "cost_licensing_usd", Value: 0.5, Unit: "USD"}, {Name: "margin_usd", Value: 1, Unit: "USD"},
			{Name: "gross_margin", Value: 0.3, Unit: "fraction"}}}
	s.update(runLoadedMsg{addr: addr{s.sid}, d: d})
	lines := func(c card) string {
		var got []string
		for _, l := range c.lines {
			got = append(got, strings.TrimSpace(l.label+" "+l.value))
		}
		return strings.Join(got, "|")
	}
	cs := s.cards()
	if c, want := cs[0], "split per Mtok|fleet $8.00|training $1.00|licensing $1.00"; c.value != "$10.00" || lines(c) != want {
		t.Errorf("cost card %s %q, want $10.00 %q", c.value, lines(c), want)
	}
	if c, want := cs[2], "ex-train 30.0%|margin lost to latency -|cost/h -|run cost $5.00"; c.title != "Margin" || lines(c) != want {
		t.Errorf("margin card %s %q, want %q", c.title, lines(c), want)
	}
	// The unit costs, where the run has them, come first: per completed
	// request, and per completed session for a run with agents (a dash
	// where none completed).
	d.KPIs = append(d.KPIs, sim.KPI{Name: "cost_per_request_usd", Value: 0.0125, Unit: "USD/request"},
		sim.KPI{Name: "cost_per_session_usd", Value: math.NaN(), Unit: "USD/session"})
	s.update(runLoadedMsg{addr: addr{s.sid}, d: d})
	want := "per request $0.0125|per session " + fmtUSD(math.NaN()) + "|split per Mtok|fleet $8.00|training $1.00|licensing $1.00"
	if c := s.cards()[0]; lines(c) != want {
		t.Errorf("cost card with unit costs %q, want %q", lines(c), want)
	}
}

// TestReplicasNumbersWhole: a run of 200,000 replicas has instance numbers
// of 6 digits: the INST column widens to them or is left out, never
// showing 999… (at 80 and 100 columns).
func TestReplicasNumbersWhole(t *testing.T) {
	var reps []data.ReplicaRow
	for i := int32(199990); i < 200000; i++ {
		reps = append(reps, data.ReplicaRow{Meta: sim.ReplicaMeta{ID: i, Instance: i, Type: "trn2.48xlarge", TP: 8}})
	}
	for _, w := range []int{80, 100, 140} {
		s := newRunScreen(testShared(), "1m1q01")
		s.resize(w, 30)
		d := &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q01zz5b0c7d9",
			Name: "big", Status: data.StatusComplete}, HorizonNs: int64(time.Minute)}, Replicas: reps,
			KPIs: []sim.KPI{{Name: "cost_usd", Value: 1, Unit: "USD"}}}
		s.update(runLoadedMsg{addr: addr{s.sid}, d: d, setup: &runSetup{model: "m"}})
		s.update(keyMsg("4"))
		v := ansi.Strip(s.view(w, 30))
		if strings.Contains(v, "…") || !strings.Contains(v, "199999") {
			t.Errorf("%d columns: a number is cut:\n%s", w, v)
		}
	}
}

// TestHeaderDropsWholeParts: where a long breadcrumb (a forecast's name)
// leaves the store's information too little room, the header drops the
// run count, then the store's name, and keeps the mode whole, where it
// cut it to "read-…".
func TestHeaderDropsWholeParts(t *testing.T) {
	a := New(Options{Path: "/tmp/smoke.duckdb"})
	defer a.Close()
	a.runsKnown, a.runCount = true, 18
	for _, tt := range []struct {
		w          int
		want, lack string
	}{
		{120, "smoke.duckdb · 18 runs · read-only", ""},
		{80, "read-only", "18 runs"},
		{62, " read-only", "smoke.duckdb"},
	} {
		a.Update(tea.WindowSizeMsg{Width: tt.w, Height: 24})
		a.push(newForecastScreen(a.sh, "1m96zj7wqh"))
		a.stack[len(a.stack)-1].(*forecastScreen).forecast = &data.Forecast{Name: "trainium-amortization"}
		h := ansi.Strip(a.header())
		if !strings.Contains(h, tt.want) || (tt.lack != "" && strings.Contains(h, tt.lack)) || lipgloss.Width(h) > tt.w {
			t.Errorf("at %d columns the header is %q, want %q whole and no %q", tt.w, h, tt.want, tt.lack)
		}
		a.stack = a.stack[:1]
	}
}

// TestHeaderKeepsModeBesideLongBreadcrumb: a stack of screens (each
// :sweep, :forecast pushes one) made a breadcrumb that pushed the mode off
// the header, cut mid-word; the screens nearest the first give way to "…"
// and the screen on top stays named.
func TestHeaderKeepsModeBesideLongBreadcrumb(t *testing.T) {
	a := New(Options{Path: "/tmp/smoke.duckdb"})
	defer a.Close()
	for _, w := range []int{80, 60, 40} {
		a.Update(tea.WindowSizeMsg{Width: w, Height: 24})
		for range 3 {
			f := newForecastScreen(a.sh, "1m96zj7wqh")
			f.forecast = &data.Forecast{Name: "trainium-amortization"}
			a.push(f)
		}
		a.push(newSQLScreen(a.sh, "select 1"))
		h := ansi.Strip(a.header())
		if !strings.Contains(h, " read-only ") || !strings.Contains(h, "› SQL") || lipgloss.Width(h) > w {
			t.Errorf("at %d columns the header is %q, want the mode whole and the SQL screen named", w, h)
		}
		a.stack = a.stack[:1]
	}
}

// TestRunReplicasSaysHowMany: the Replicas tab says which rows show of
// how many, with separators: G on 200,000 replicas showed replica 199999
// with nothing saying how many there are.
func TestRunReplicasSaysHowMany(t *testing.T) {
	s := newRunScreen(testShared(), "1m1q01")
	s.resize(80, 24)
	d := &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q01zz5b0c7d9", Name: "x", Status: data.StatusComplete},
		HorizonNs: int64(time.Hour)},
		KPIs: []sim.KPI{{Name: "cost_per_mtok_usd", Value: 3.03, Unit: "USD/Mtok"}}}
	for i := range int32(200000) {
		d.Replicas = append(d.Replicas, data.ReplicaRow{Meta: sim.ReplicaMeta{ID: i, Instance: i / 2, Type: "trn2.48xlarge", TP: 32}})
	}
	s.update(runLoadedMsg{addr: addr{s.sid}, d: d})
	s.tab = tabReplicas
	for _, tt := range []struct{ key, want string }{{"", "rows 1–"}, {"G", "–200,000 of 200,000"}} {
		if tt.key != "" {
			s.update(keyMsg(tt.key))
		}
		v := ansi.Strip(s.view(80, 24))
		if !strings.Contains(v, tt.want) || !strings.Contains(v, "of 200,000") {
			t.Errorf("after %q: no %q of 200,000:\n%s", tt.key, tt.want, v)
		}
		if n := strings.Count(v, "\n") + 1; n > 24 {
			t.Errorf("after %q: %d lines", tt.key, n)
		}
	}
}
