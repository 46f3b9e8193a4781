package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// TestSQLCtrlCStopsTheQuery: ctrl+c while the console's query runs stops
// it (its page on the way, or its count once the first page came) and
// keeps the dashboard, the screen and the query typed; the query's own
// Cmd then ends at once with its context cancelled, and its answer does
// not undo the stop. With nothing running, ctrl+c quits as everywhere.
// Ctrl+c quit the dashboard mid-query and lost the query.
func TestSQLCtrlCStopsTheQuery(t *testing.T) {
	tests := []struct {
		name      string
		query     string // its first page is slow, or its count alone
		firstPage bool   // the first page came; the count still runs
		notice    string // the footer's
		status    string // the line under the results
	}{
		{"first page on its way", "SELECT * FROM range(1000000000000) t(i) ORDER BY i DESC", false, "stopped the query · ctrl+c again quits the dashboard", "the query was stopped: ctrl+r runs it again"},
		{"count running", "SELECT * FROM range(1000000000000) t(i)", true, "stopped the count of its rows · ctrl+c again quits the dashboard", "of ? (not counted)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New(Options{Path: copyFixture(t), IdleClose: -1})
			defer a.Close()
			a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
			_, cmd := a.Update(openSQLMsg{query: tt.query})
			var pending []tea.Cmd // the query's page and count, not run yet
			for _, m := range msgsOf(cmd) {
				_, next := a.Update(m)
				if _, ok := m.(sqlCheckedMsg); ok {
					batch, ok := next().(tea.BatchMsg)
					if !ok || len(batch) != 2 {
						t.Fatalf("the query's start is %#v, want its page and its count", next())
					}
					pending = batch
				}
			}
			s := a.top().(*sqlScreen)
			if pending == nil {
				t.Fatalf("the query was not started: %v", s.res.err)
			}
			if tt.firstPage {
				a.Update(pending[0]())
				pending = pending[1:]
				if len(s.res.rows) == 0 || !s.res.counting {
					t.Fatalf("after the first page: %d rows, counting %v, err %v", len(s.res.rows), s.res.counting, s.res.err)
				}
			}
			if v := ansi.Strip(a.View().Content); !strings.Contains(v, "ctrl+c stop the query") {
				t.Errorf("the footer does not say ctrl+c stops the query:\n%s", v)
			}
			_, cmd = a.Update(keyMsg("ctrl+c"))
			if quits(cmd) {
				t.Fatal("ctrl+c quit the dashboard while the query ran")
			}
			for _, m := range msgsOf(cmd) {
				a.Update(m)
			}
			if a.top() != s || s.ed.Value() != tt.query {
				t.Fatalf("the console or its query is gone: top %T, query %q", a.top(), s.ed.Value())
			}
			// The query's Cmds end promptly: their context is cancelled.
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
			if tt.firstPage && len(s.res.rows) == 0 {
				t.Error("stopping the count lost the page shown")
			}
			if s.running() {
				t.Error("the console still says its query runs")
			}
			if _, cmd := a.Update(keyMsg("ctrl+c")); !quits(cmd) {
				t.Error("ctrl+c with nothing running does not quit")
			}
		})
	}
}
