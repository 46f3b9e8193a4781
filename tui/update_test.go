package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
)

// Unit tests of the models' Update: messages in, state and commands out,
// no terminal and (except where a Cmd is run on purpose) no store. Here
// the App's (routing, palette, notices, a terminal too small) and the
// helpers the others share; each screen's are in its screen_*_test.go,
// the pager's, text fields' and table's beside their files.

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
	if v := p.input.Value(); v != "compare 1m1q02 1m1q01aa " {
		t.Errorf("tab completed to %q", v)
	}
	// The cursor is after the completion: typing goes on from there.
	p.update(keyMsg("1"))
	if v := p.input.Value(); v != "compare 1m1q02 1m1q01aa 1" {
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
