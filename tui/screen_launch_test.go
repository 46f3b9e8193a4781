package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/sim"
)

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

// TestLaunchRefusalShowsWhenSmall: at 40x12 the form's end, with its error
// and the Run button, is below the screen; a refused launch says why in the
// footer (ctrl+r seemed to do nothing). Where the form shows whole, the
// refusal shows once, under it: said in the footer too, it took 2 to 4 of
// 24 rows twice.
func TestLaunchRefusalShowsWhenSmall(t *testing.T) {
	for _, tt := range []struct {
		w, h  int
		times int // the refusal on screen
	}{{40, 12, 1}, {80, 24, 1}, {120, 40, 1}} {
		t.Run(fmt.Sprintf("%dx%d", tt.w, tt.h), func(t *testing.T) { launchRefusal(t, tt.w, tt.h, tt.times) })
	}
}

func launchRefusal(t *testing.T, w, h, times int) {
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	defer a.Close()
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
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
	if n := strings.Count(strings.Join(strings.Fields(v), " "), `want an integer, got string "72h"`); n != times {
		t.Errorf("the refusal is on screen %d times, want %d:\n%s", n, times, v)
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
