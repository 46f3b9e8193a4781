package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// TestHelpScrollsOnShortTerminals: help taller than the body says what is
// cut and scrolls to it; it was cut at the bottom without a word (60×15
// lost "Everywhere", "Tables" and the command list), and at 100×40 it
// shows all of it and any key closes it.
func TestHelpScrollsOnShortTerminals(t *testing.T) {
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	defer a.Close()
	view := func() string { return ansi.Strip(a.View().Content) }
	a.Update(tea.WindowSizeMsg{Width: 60, Height: 15})
	a.Update(keyMsg("?"))
	if v := view(); !strings.Contains(v, "more lines below") || strings.Contains(v, "Commands (:)") {
		t.Fatalf("help at 60×15 does not say it is cut:\n%s", v)
	}
	for range 10 {
		a.Update(keyMsg("pgdown"))
	}
	v := view()
	for _, want := range []string{"Tables", "Commands (:)", "lines above"} {
		if !strings.Contains(v, want) {
			t.Errorf("help scrolled to its end lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "more lines below") {
		t.Errorf("help at its end says more is below:\n%s", v)
	}
	a.Update(keyMsg("up"))
	if v := view(); !strings.Contains(v, "1 more lines below") {
		t.Errorf("↑ does not scroll back a line:\n%s", v)
	}
	a.Update(keyMsg("x"))
	if a.showHelp {
		t.Error("a key other than a scroll key leaves help open")
	}
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	a.Update(keyMsg("?"))
	if v := view(); !strings.Contains(v, "Commands (:)") || strings.Contains(v, "more lines") {
		t.Errorf("help at 100×40 is not whole:\n%s", v)
	}
	a.Update(keyMsg("down"))
	if a.showHelp {
		t.Error("↓ on a help that fits leaves it open; any key closes it")
	}
}
