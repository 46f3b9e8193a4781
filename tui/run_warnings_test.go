package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// runWarnings are warnings as aiecon show prints them for an overloaded
// agent run, the hint after the overload among them.
var runWarnings = []string{
	"OVERLOADED: 2,407 of 3,884 requests of chat and shopping-assistant (62.0%) were still queued or running at the end: " +
		"the queue grows without bound at this load.",
	"To size the fleet for this traffic: aiecon optimize baseline --instances trn2.48xlarge --tp 32",
	"SESSIONS ABANDONED: shopping-assistant abandons 34.6% of its agent sessions (503 of 1,454 ended) while its SLO is met " +
		"on 100.0% of its calls: read the abandonment beside the SLO column before taking it as users served.",
	"COMMERCE COUNTED GROSS: the commerce line (98% of revenue) is the take on every order of a converted session.",
	"STEP TIMES THINLY FITTED: the neuron-v3 constants were fitted to 2 published measurements of Trainium2.",
}

// TestRunScreenShowsWarnings: the run screen asks aiecon show's warnings
// (Options.RunWarnings) of the run it loads, in the load's Cmd, names them
// on a line under the run line at 80x24 and 120x40 (the hint that follows
// OVERLOADED is no label), and i shows them in full in the tab's place,
// esc or a tab folding them; it showed none while show printed them all.
// Without the check there is no such line.
func TestRunScreenShowsWarnings(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		sh := testShared()
		sh.conn = newConn(fixturePath, -1)
		defer sh.conn.close()
		var asked string
		sh.opts.RunWarnings = func(d *data.RunDetail) []string { asked = d.Run.ID; return runWarnings }
		s := newRunScreen(sh, fixtureID(1))
		s.resize(w, h)
		for _, m := range msgsOf(s.load()) {
			s.update(m)
		}
		if asked != fixtureID(1) {
			t.Fatalf("%dx%d: the warnings were asked of %q, want %s", w, h, asked, fixtureID(1))
		}
		flat := strings.Join(strings.Fields(ansi.Strip(s.view(w, h))), " ")
		want := "⚠ OVERLOADED · SESSIONS ABANDONED · COMMERCE COUNTED GROSS · STEP TIMES THINLY FITTED · i: in full"
		if !strings.Contains(flat, want) || strings.Contains(flat, "To size") {
			t.Errorf("%dx%d: the header does not name the warnings as %q:\n%s", w, h, want, ansi.Strip(s.view(w, h)))
		}
		s.update(keyMsg("i"))
		flat = strings.Join(strings.Fields(ansi.Strip(s.view(w, h))), " ")
		if !strings.Contains(flat, "the queue grows without bound at this load") || !strings.Contains(flat, "warning lines 1–") {
			t.Errorf("%dx%d: i does not show the warnings in full:\n%s", w, h, ansi.Strip(s.view(w, h)))
		}
		if ok, _ := s.backCmd(); !ok || s.warnFull {
			t.Errorf("%dx%d: esc does not fold the warnings", w, h)
		}
		s.update(keyMsg("i"))
		s.update(keyMsg("3"))
		if v := ansi.Strip(s.view(w, h)); s.warnFull || !strings.Contains(v, "WORKLOAD") {
			t.Errorf("%dx%d: a tab asked for does not show:\n%s", w, h, v)
		}
	}
	s := newRunScreen(testShared(), fixtureID(1))
	s.resize(80, 24)
	s.update(runLoadedMsg{addr: addr{s.sid}, d: agentDetail()})
	if v := s.view(80, 24); strings.Contains(v, "⚠") {
		t.Errorf("a run without warnings names some:\n%s", v)
	}
}

// agentDetail is a stored agent run whose SLO is met on every call while
// a third of its sessions were abandoned, as baseline's.
func agentDetail() *data.RunDetail {
	return &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q01zz5b0c7d9", Name: "x", Status: data.StatusComplete},
		HorizonNs: int64(time.Hour)},
		Workloads: []sim.WorkloadMeta{{Name: "shopping-assistant", Class: "agent"}},
		KPIs: []sim.KPI{{Name: kpi.SLOAttainment, Value: 1}, {Name: kpi.SessionsStarted, Value: 1460},
			{Name: kpi.SessionsAbandoned, Value: 503}, {Name: kpi.SessionAbandonRate, Value: 0.346},
			{Name: kpi.RequestsAbandoned, Value: 455}, {Name: kpi.RequestsDropped, Value: 0}}}
}

// TestSLOCardSessionsAbandoned: an agent run's SLO card leads with its
// sessions abandoned (a share past SESSIONS ABANDONED's in the bad tone),
// kept where the card is short, its requests abandoned say "requests" at
// 80 columns too, and its attainment is not shown as good where the run
// warns SESSIONS ABANDONED: baseline's read a green 100% beside "abandoned
// 455" while run's headline was 503 sessions (34.6%) abandoned.
func TestSLOCardSessionsAbandoned(t *testing.T) {
	for _, tt := range []struct {
		w, h           int
		sessions, reqs string
	}{
		{80, 24, "abandoned 34.6%", "req. aband. 455"}, // not "sess. left", read as remaining
		{120, 40, "sessions abandoned 34.6%", "requests abandoned 455"},
	} {
		s := newRunScreen(testShared(), fixtureID(1))
		s.resize(tt.w, tt.h)
		s.update(runLoadedMsg{addr: addr{s.sid}, d: agentDetail(), warnings: runWarnings[2:3]})
		flat := strings.Join(strings.Fields(ansi.Strip(s.view(tt.w, tt.h))), " ")
		if !strings.Contains(flat, tt.sessions) {
			t.Errorf("%dx%d: no %q on the SLO card:\n%s", tt.w, tt.h, tt.sessions, ansi.Strip(s.view(tt.w, tt.h)))
		}
		card := s.sloCard()
		if card.tone != toneWarn || card.lines[0].tone != toneBad {
			t.Errorf("%dx%d: SLO card tone %v, sessions line tone %v: want warn and bad", tt.w, tt.h, card.tone, card.lines[0].tone)
		}
		c := renderSLOCard(s, tt.w)
		if !strings.Contains(c, tt.reqs) {
			t.Errorf("%dx%d: the requests abandoned do not read %q:\n%s", tt.w, tt.h, tt.reqs, c)
		}
	}
	s := newRunScreen(testShared(), fixtureID(1))
	s.resize(120, 40)
	s.update(runLoadedMsg{addr: addr{s.sid}, d: agentDetail()})
	if s.sloCard().tone != toneGood {
		t.Errorf("without the warning the SLO card is not good: %v", s.sloCard().tone)
	}
}

// renderSLOCard is the SLO card alone with every line, as wide as the
// Overview lays it out at w columns.
func renderSLOCard(s *runScreen, w int) string {
	out, _ := renderCards(s.sh.st, []card{s.sloCard()}, w/cardsPerRow(len(s.cards()), w), 6)
	return strings.Join(strings.Fields(ansi.Strip(out)), " ")
}

// TestRunWarningsOnTheSmallestTerminal: on a 12-row terminal the app shows
// 10 rows of a screen laid out for 12 (keepLastLine), and the run screen's
// warnings in full page by those, as the sweep screen's do: the status
// names the lines shown, and G shows the last. Paged on 12, the status
// named lines clipped away and G stopped two short of the end (review102 B1).
func TestRunWarningsOnTheSmallestTerminal(t *testing.T) {
	sh := testShared()
	sh.conn = newConn(fixturePath, -1)
	defer sh.conn.close()
	sh.opts.RunWarnings = func(d *data.RunDetail) []string { return runWarnings }
	const w, h, shown = 50, minBodyH, minBodyH - 2
	s := newRunScreen(sh, fixtureID(1))
	s.resize(w, h)
	for _, m := range msgsOf(s.load()) {
		s.update(m)
	}
	s.update(keyMsg("i"))
	text := s.warnText(w)
	for _, k := range []string{"", "G"} {
		if k != "" {
			s.update(keyMsg(k))
		}
		if c, ok := screen(s).(clippedScreen); ok { // as App.View does
			c.setVisibleRows(shown)
		}
		v := ansi.Strip(keepLastLine(s.view(w, h), shown))
		lines := strings.Split(v, "\n")
		var from, to, n int
		if _, err := fmt.Sscanf(lines[len(lines)-1], "warning lines %d–%d of %d", &from, &to, &n); err != nil || n != len(text) {
			t.Fatalf("after %q: status %q (%v), want warning lines a–b of %d", k, lines[len(lines)-1], err, len(text))
		}
		for i := from - 1; i < to; i++ {
			if !strings.Contains(v, strings.TrimSpace(text[i])) {
				t.Errorf("after %q: the status names warning line %d, %q, which is not shown:\n%s", k, i+1, text[i], v)
			}
		}
		if k == "G" && to != n {
			t.Errorf("G shows lines %d–%d of %d, not the last", from, to, n)
		}
	}
}
