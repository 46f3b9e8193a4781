package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// TestHelpDescriptionsWhole: at 80 columns help laid each section in two
// columns of 40 and cut a longer description ("compare points (a run
// eac…" on the sweep screen); a section whose descriptions do not fit
// takes fewer, wider columns, and no line is wider than the terminal.
func TestHelpDescriptionsWhole(t *testing.T) {
	for _, w := range []int{80, 120} {
		a := New(Options{Path: "/nonexistent/store.duckdb"})
		a.Update(tea.WindowSizeMsg{Width: w, Height: 40})
		a.push(newSweepScreen(a.sh, "sw"))
		lines := a.helpLines(w)
		text := ansi.Strip(strings.Join(lines, "\n"))
		for _, want := range []string{"compare points (a run each)", "quit; stops a run/query"} {
			if !strings.Contains(text, want) {
				t.Errorf("help at %d columns lacks %q:\n%s", w, want, text)
			}
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > w {
				t.Errorf("a help line of %d cells at %d columns: %q", ansi.StringWidth(l), w, ansi.Strip(l))
			}
		}
		a.Close()
	}
}
