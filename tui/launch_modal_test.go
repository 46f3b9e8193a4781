package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// appLaunch is a dashboard at 100x30 on the Launch screen, with the
// default scenario loaded; its store does not exist, and nothing here
// writes one (the run's Cmd is never run).
func appLaunch(t *testing.T) (*App, *launchScreen) {
	t.Helper()
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	t.Cleanup(func() { a.Close() })
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	_, cmd := a.Update(openLaunchMsg{})
	for _, m := range msgsOf(cmd) {
		a.Update(m)
	}
	s := a.top().(*launchScreen)
	if s.loaded == nil {
		t.Fatalf("the default scenario did not load: %v", s.loadErr)
	}
	return a, s
}

// quits says whether cmd ends the dashboard.
func quits(cmd tea.Cmd) bool {
	return slices.ContainsFunc(msgsOf(cmd), func(m tea.Msg) bool { _, ok := m.(tea.QuitMsg); return ok })
}

// TestLaunchHoldsTheKeysFromCtrlR: from ctrl+r on, before the run starts
// (its scenario prepared with the knobs, or the chosen entry's knobs still
// loading), : and ? do not open the palette or the help and q does not
// quit. In that gap the screen gave them up: the palette opened stayed
// over the run once it started, and its back closed the Launch screen
// with the run going on unseen, its quit ended the dashboard mid-run.
func TestLaunchHoldsTheKeysFromCtrlR(t *testing.T) {
	tests := []struct {
		name  string
		start func(a *App, s *launchScreen) tea.Cmd // ctrl+r, and what it left to do
	}{
		{"prepare", func(a *App, s *launchScreen) tea.Cmd {
			s.setFocus(len(s.fields)) // [ Run ], where : ? q are the root's
			_, cmd := a.Update(keyMsg("ctrl+r"))
			return cmd
		}},
		{"load then prepare", func(a *App, s *launchScreen) tea.Cmd {
			s.setFocus(s.chooserFocus())
			a.Update(keyMsg("right")) // the next scenario, its knobs not loaded yet
			a.Update(keyMsg("up"))    // [ Run ]
			_, cmd := a.Update(keyMsg("ctrl+r"))
			return cmd
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, s := appLaunch(t)
			pending := tt.start(a, s)
			gap := func(when string) {
				t.Helper()
				for _, k := range []string{":", "?", "q"} {
					_, cmd := a.Update(keyMsg(k))
					if a.palette != nil || a.showHelp {
						t.Errorf("%s: %s opened the palette or the help over the launch", when, k)
						a.palette, a.showHelp = nil, false
					}
					if quits(cmd) {
						t.Errorf("%s: %s quit the dashboard", when, k)
					}
				}
				if a.top() != s {
					t.Errorf("%s: the Launch screen is no longer on top", when)
				}
			}
			gap("before the run starts")
			if !strings.Contains(ansi.Strip(a.View().Content), "starting the run… esc or ctrl+c calls it off") {
				t.Errorf("the form does not say the run is starting:\n%s", ansi.Strip(a.View().Content))
			}
			// The run starts: what ctrl+r left to do comes back.
			for i := 0; i < 3 && !s.running; i++ {
				var next []tea.Cmd
				for _, m := range msgsOf(pending) {
					if _, ok := m.(preparedMsg); ok {
						a.Update(m) // starts the run; its Cmd, which would write, is not run
						continue
					}
					_, c := a.Update(m)
					next = append(next, c)
				}
				pending = tea.Batch(next...)
			}
			if !s.running {
				t.Fatal("the launch did not start")
			}
			gap("while it runs")
		})
	}
}

// TestLaunchCalledOffBeforeItStarts: esc between ctrl+r and the run's
// start calls the launch off: the prepared scenario, when it comes, runs
// nothing, and the form has the keys again.
func TestLaunchCalledOffBeforeItStarts(t *testing.T) {
	a, s := appLaunch(t)
	s.setFocus(len(s.fields))
	_, prep := a.Update(keyMsg("ctrl+r"))
	_, cmd := a.Update(keyMsg("esc"))
	if got := msgsOf(cmd); len(got) != 1 || !strings.Contains(fmt.Sprint(got[0]), "launch called off") {
		t.Errorf("esc before the start sent %#v, want a notice that the launch is called off", got)
	}
	for _, m := range msgsOf(prep) {
		a.Update(m)
	}
	if s.running || s.mode() != keysNormal {
		t.Errorf("after the launch was called off: running %v, mode %v", s.running, s.mode())
	}
	if a.Update(keyMsg(":")); a.palette == nil {
		t.Error("after the launch was called off : does not open the palette")
	}
}

// TestFinishedRunReplacesItsLaunch: the run a launch stored replaces its
// Launch screen, wherever that is on the stack: it replaced the top
// screen, an SQL console with the user's query, say, and left the Launch
// screen under it.
func TestFinishedRunReplacesItsLaunch(t *testing.T) {
	a, s := appLaunch(t)
	a.Update(openSQLMsg{})
	a.Update(openRunMsg{ref: "1m1q09", replaces: s.id()})
	var titles []string
	for _, sc := range a.stack {
		titles = append(titles, sc.title())
	}
	if got := strings.Join(titles, " › "); got != "Runs › Run 1m1q09 › SQL" {
		t.Errorf("screens %q, want the run in place of Launch and the console kept on top", got)
	}
}

// TestTooSmallDuringALaunch: on a terminal too small to draw, a launch
// keeps its cancel keys and the screen says them: esc was dropped, and
// the screen said "q quits", which a launch refuses.
func TestTooSmallDuringALaunch(t *testing.T) {
	for _, tt := range []struct {
		name, says string
		set        func(s *launchScreen, cancelled *bool)
		stopped    func(s *launchScreen) bool
	}{
		{"running", "esc/ctrl+c cancel the run",
			func(s *launchScreen, cancelled *bool) { s.running, s.cancel = true, func() { *cancelled = true } },
			func(s *launchScreen) bool { return s.cancelling }},
		{"starting", "esc/ctrl+c call the launch off",
			func(s *launchScreen, _ *bool) { s.preparing = true },
			func(s *launchScreen) bool { return !s.starting() }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, s := appLaunch(t)
			cancelled := false
			tt.set(s, &cancelled)
			a.Update(tea.WindowSizeMsg{Width: 30, Height: 8})
			v := strings.Join(strings.Fields(ansi.Strip(a.View().Content)), " ")
			if !strings.Contains(v, tt.says) || strings.Contains(v, "q quits") {
				t.Errorf("too small: %q, want it to say %q and not that q quits", v, tt.says)
			}
			if _, cmd := a.Update(keyMsg("q")); quits(cmd) {
				t.Error("q quit during a launch")
			}
			a.Update(keyMsg("esc"))
			if !tt.stopped(s) {
				t.Errorf("esc on a terminal too small did not stop the launch")
			}
		})
	}
}

// TestLaunchChecksTheRunName: the Run name is checked as `aiecon run
// --name` checks it, with its words; it was stored as typed, 5000
// characters or a U+202E that turns the rest of a line around.
func TestLaunchChecksTheRunName(t *testing.T) {
	for _, tt := range []struct {
		name, want string
	}{
		{strings.Repeat("N", 201), "Run name: 201 characters; at most 200"},
		{"x\u202eRTL", `Run name: "x\u202eRTL" holds the invisible character U+202E`},
		{strings.Repeat("N", 200), ""},
	} {
		s := loadedLaunch(t, 100, 28)
		s.setFocus(fName)
		s.update(tea.PasteMsg{Content: tt.name})
		var prepared bool
		var notice string
		for _, m := range msgsOf(s.update(keyMsg("ctrl+r"))) {
			switch m := m.(type) {
			case preparedMsg:
				prepared = true
			case noticeMsg:
				notice = m.text
			}
		}
		if tt.want == "" {
			if !prepared {
				t.Errorf("a name of %d characters was refused: %s", len(tt.name), notice)
			}
			continue
		}
		v := strings.Join(strings.Fields(ansi.Strip(s.view(100, 28))), " ")
		// The form shows whole at 100x28: the footer does not say it again.
		if prepared || notice != "" || !strings.Contains(v, tt.want) {
			t.Errorf("name %q: prepared %v, notice %q, want it refused with %q under the form alone:\n%s", tt.name, prepared, notice, tt.want, v)
		}
		if s.mode() == keysModal {
			t.Errorf("name %q: the refused launch holds the keys", tt.name)
		}
	}
}
