package tui

import (
	"cmp"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"aiecon/runner"
)

// TestLaunchSaysLoadNotes: what loading a scenario changed on its own (a
// request sample rate lowered to keep the store within its row budget),
// which `aiecon run` notes on stderr, is said in the footer when the
// launched run starts and again when it is stored, and fits the footer at
// 80 columns. The Launch screen said only the file's bad values a knob
// replaced, so a launch stored a sample of its requests without a word.
// Within the budget nothing is noted.
func TestLaunchSaysLoadNotes(t *testing.T) {
	const sampled = "storing a sample of"
	tests := []struct {
		name    string
		maxRows string // $AIECON_MAX_REQUEST_ROWS; "" leaves the default
		noted   bool
	}{
		{"past the row budget", "1000", true}, // about 3,600 requests in 10m
		{"within the budget", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(runner.EnvMaxRequestRows, tt.maxRows)
			s := newLaunchScreen(testShared(), "inferentia-small")
			s.resize(80, 24)
			settle(s, s.init())
			if s.loadErr != nil {
				t.Fatalf("inferentia-small does not load: %v", s.loadErr)
			}
			s.setFocus(fHorizon)
			setLine(&s.fields[fHorizon].ed, "")
			settle(s, s.update(tea.PasteMsg{Content: "10m"}))
			prepared := settle(s, s.update(keyMsg("ctrl+r")))
			if prepared == nil || prepared.err != nil {
				t.Fatalf("ctrl+r prepared %+v", prepared)
			}
			note := strings.Join(prepared.notes, "; ")
			if got := strings.Contains(note, sampled); got != tt.noted {
				t.Fatalf("the launch's notes %q: sampled noted %v, want %v", note, got, tt.noted)
			}
			// The run starts, with the note first in the footer (the run
			// itself, a Cmd of the batch, is not called).
			b, _ := s.update(*prepared)().(tea.BatchMsg)
			if !s.running || len(b) == 0 {
				t.Fatalf("the prepared launch does not start: running %v, %d commands", s.running, len(b))
			}
			s.cancel()
			n, ok := b[0]().(noticeMsg)
			if ok != tt.noted || (ok && (n.text != "note: "+note || !n.err)) {
				t.Errorf("the first command gives %+v (a notice: %v), want the note %q in the footer: %v", n, ok, note, tt.noted)
			}
			o, _ := s.update(runDoneMsg{addr: addr{s.sid}, id: "r1"})().(openRunMsg)
			footer := strings.Join(noticeLines(o.notice, 80, maxNoticeLines), " ")
			if got := strings.Contains(footer, sampled) && strings.HasPrefix(footer, "run r1 stored"); got != tt.noted {
				t.Errorf("stored: the footer at 80 columns reads %q; the note in it %v, want %v", footer, got, tt.noted)
			}
		})
	}
}

// TestStoredNoticeSurvivesTheRunScreen: the notice that a launched run is
// stored, with the launch's notes, is in the footer once the run's screen
// has replaced Launch, whichever order the messages of a finished run come
// in. It came as a noticeMsg beside the openRunMsg, which Bubble Tea runs
// concurrently, and the run screen's push cleared the footer when the
// notice came first.
func TestStoredNoticeSurvivesTheRunScreen(t *testing.T) {
	a, s := appLaunch(t)
	s.notes = []string{"baseline: storing a sample of 0.27 of them"}
	_, cmd := a.Update(runDoneMsg{addr: addr{s.sid}, id: "1m1q09"})
	msgs := msgsOf(cmd)
	// The screen opens last: the order in which a notice sent beside it
	// was lost.
	slices.SortStableFunc(msgs, func(x, y tea.Msg) int {
		_, xo := x.(openRunMsg)
		_, yo := y.(openRunMsg)
		return cmp.Compare(b2i(xo), b2i(yo))
	})
	for _, m := range msgs {
		if _, ok := m.(openRunMsg); ok {
			a.Update(m)
		}
		if n, ok := m.(noticeMsg); ok {
			a.Update(n)
		}
	}
	if _, ok := a.top().(*runScreen); !ok {
		t.Fatalf("the run's screen is not open: %s", a.top().title())
	}
	want := "run 1m1q09 stored; note: baseline: storing a sample of 0.27 of them"
	if a.notice != want || !a.noticeErr {
		t.Errorf("the footer says %q (a warning: %v), want %q as a warning", a.notice, a.noticeErr, want)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
