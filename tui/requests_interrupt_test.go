package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// TestRequestsCtrlCStopsTheQuery: ctrl+c on a run's Requests tab while
// its query runs (the first page on its way, a page move's, or the count
// of a sorted view) stops it, as the SQL console's ctrl+c does, and keeps
// the dashboard, the run and the tab; the query's Cmd then ends with its
// context cancelled and its answer does not undo the stop. With nothing
// running ctrl+c quits, as everywhere. It quit the dashboard mid-query.
func TestRequestsCtrlCStopsTheQuery(t *testing.T) {
	tests := []struct {
		name   string
		before []string // keys whose queries complete before the stopped one
		keys   []string // the keys that start the query ctrl+c stops
		count  bool     // the query stopped is the count: its page comes first
		notice string
		status string // the line under the table, after the stop
	}{
		{"first page", nil, []string{"6"}, false, "stopped the requests query · ctrl+c again quits the dashboard",
			"error: the requests query was stopped (ctrl+c): r runs it again"},
		{"page move", []string{"6"}, []string{"n"}, false, "stopped the requests query · ctrl+c again quits the dashboard",
			"page 2 failed: the requests query was stopped (ctrl+c): r runs it again · p: back to page 1"},
		// The rows of the view before (id order) do not stay under the
		// stopped one's error.
		{"first page of a sorted view", []string{"6"}, []string{"s"}, false, "stopped the requests query · ctrl+c again quits the dashboard",
			"error: the requests query was stopped (ctrl+c): r runs it again"},
		{"count of a sorted view", []string{"6"}, []string{"s"}, true, "stopped the count of the requests · ctrl+c again quits the dashboard",
			"rows 1–200 of ? (not counted)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New(Options{Path: copyFixture(t), IdleClose: -1})
			defer a.Close()
			a.Update(tea.WindowSizeMsg{Width: 160, Height: 30})
			settle := func(cmd tea.Cmd) {
				for _, m := range msgsOf(cmd) {
					_, next := a.Update(m)
					for _, m := range msgsOf(next) {
						a.Update(m)
					}
				}
			}
			_, cmd := a.Update(openRunMsg{ref: fixtureID(1)}) // 450 requests: 3 pages
			settle(cmd)
			s, ok := a.top().(*runScreen)
			if !ok || s.d == nil {
				t.Fatalf("the run did not open: top %T", a.top())
			}
			for _, k := range tt.before {
				_, cmd := a.Update(keyMsg(k))
				settle(cmd)
			}
			var pending []tea.Cmd // the query's page (and count), not run yet
			for _, k := range tt.keys {
				_, cmd := a.Update(keyMsg(k))
				if cmd == nil {
					t.Fatalf("%s started no query", k)
				}
				pending = append(pending, cmd)
			}
			if tt.count {
				batch, ok := pending[0]().(tea.BatchMsg)
				if !ok || len(batch) != 2 {
					t.Fatalf("the sorted view's start is not its page and its count")
				}
				settle(batch[0])
				pending = batch[1:]
			}
			if v := ansi.Strip(a.View().Content); !strings.Contains(v, "ctrl+c stop the query") {
				t.Errorf("the footer does not say ctrl+c stops the query:\n%s", v)
			}
			_, cmd = a.Update(keyMsg("ctrl+c"))
			if quits(cmd) {
				t.Fatal("ctrl+c quit the dashboard while the requests query ran")
			}
			settle(cmd)
			if a.top() != s || s.tab != tabRequests {
				t.Fatalf("the run or its Requests tab is gone: top %T, tab %d", a.top(), s.tab)
			}
			for _, c := range pending {
				done := make(chan tea.Msg, 1)
				go func() { done <- c() }()
				select {
				case m := <-done:
					a.Update(m)
				case <-time.After(30 * time.Second):
					t.Fatal("the stopped query still ran after 30 s")
				}
			}
			v := ansi.Strip(a.View().Content)
			flat := strings.Join(strings.Fields(v), " ")
			for _, want := range []string{tt.notice, tt.status} {
				if !strings.Contains(flat, want) {
					t.Errorf("the screen does not say %q:\n%s", want, v)
				}
			}
			if s.requestsRunning() {
				t.Error("the tab still says its query runs")
			}
			if rows := len(s.requests.tbl.rows); s.requests.cols == nil && rows > 0 {
				t.Errorf("no page of the query stopped came, yet the table holds %d rows:\n%s", rows, v)
			}
			if _, cmd := a.Update(keyMsg("ctrl+c")); !quits(cmd) {
				t.Error("ctrl+c with nothing running does not quit")
			}
		})
	}
}

// TestRequestsEscStopsTheCount: esc on the Requests tab while a sorted
// view's count runs stops the count, as its status line says ("esc stops
// the count") and as in the SQL console, and the screen stays; the next
// esc closes the screen and stops what its tab still ran. Esc closed the
// screen with the count running on for up to two minutes, holding the
// store against writers.
func TestRequestsEscStopsTheCount(t *testing.T) {
	a := New(Options{Path: copyFixture(t), IdleClose: -1})
	defer a.Close()
	a.Update(tea.WindowSizeMsg{Width: 160, Height: 30})
	settle := func(cmd tea.Cmd) {
		for _, m := range msgsOf(cmd) {
			_, next := a.Update(m)
			for _, m := range msgsOf(next) {
				a.Update(m)
			}
		}
	}
	_, cmd := a.Update(openRunMsg{ref: fixtureID(1)})
	settle(cmd)
	s := a.top().(*runScreen)
	_, cmd = a.Update(keyMsg("6"))
	settle(cmd)
	_, cmd = a.Update(keyMsg("s")) // a sorted view: its page and its count
	batch, ok := cmd().(tea.BatchMsg)
	if !ok || len(batch) != 2 {
		t.Fatalf("the sorted view's start is not its page and its count")
	}
	settle(batch[0])
	if v := ansi.Strip(a.View().Content); !strings.Contains(v, "esc stops") {
		t.Fatalf("the status does not say esc stops the count:\n%s", v)
	}
	a.Update(keyMsg("esc"))
	if a.top() != s {
		t.Fatalf("esc closed the run while its count ran: top %T", a.top())
	}
	if v := ansi.Strip(a.View().Content); !strings.Contains(v, "? (not counted)") {
		t.Errorf("the count stopped is not said:\n%s", v)
	}
	// The next esc closes the screen, and its page on the way stops.
	a.Update(keyMsg("n"))
	ctx := s.requests.qctx
	a.Update(keyMsg("esc"))
	if a.top() == s {
		t.Fatal("the second esc left the run open")
	}
	if ctx.Err() == nil {
		t.Error("the closed screen's page query runs on")
	}
}

// TestLeavingARunStopsItsQuery: a run's Requests query stops however the
// screen leaves the stack; esc alone stopped it, and :back or :runs left
// it holding the store for up to queryTimeout for a screen gone.
func TestLeavingARunStopsItsQuery(t *testing.T) {
	for _, road := range []struct {
		name string
		msg  tea.Msg
	}{
		{"esc", keyMsg("esc")},
		{":back", paletteActionMsg{action: "back"}},
		{":runs", homeMsg{}},
	} {
		a := New(Options{Path: copyFixture(t), IdleClose: -1})
		a.Update(tea.WindowSizeMsg{Width: 160, Height: 30})
		_, cmd := a.Update(openRunMsg{ref: fixtureID(1)})
		for _, m := range msgsOf(cmd) {
			a.Update(m)
		}
		s := a.top().(*runScreen)
		a.Update(keyMsg("6"))
		a.Update(keyMsg("n")) // a page move: its query is on the way
		ctx := s.requests.qctx
		if ctx == nil || ctx.Err() != nil {
			a.Close()
			t.Fatalf("%s: no page query is running before the screen leaves", road.name)
		}
		a.Update(road.msg)
		if a.top() == s {
			t.Errorf("%s: the run is still on top", road.name)
		}
		if ctx.Err() == nil {
			t.Errorf("%s: the closed run's page query runs on", road.name)
		}
		a.Close()
	}
}
