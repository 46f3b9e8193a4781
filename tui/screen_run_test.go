package tui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/sim"
)

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
	if s.title() != "Run 1m1q01zz" || len(s.workloads.rows) != 1 || len(s.allKPIs.rows) != 2 {
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
