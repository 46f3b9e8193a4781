package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// TestUnknownSweepAndForecastClose: :sweep and :forecast with an id that
// names nothing close their screen and say why in the footer, as :run
// does, however often typed; they pushed a screen with nothing to show
// and keys that did nothing, one more each time. :forecast alone keeps
// its panel, which says how to make a forecast.
func TestUnknownSweepAndForecastClose(t *testing.T) {
	tests := []struct {
		name   string
		open   tea.Msg
		closes bool
		says   string
	}{
		{"sweep zzz", openSweepMsg{id: "zzz"}, true, `sweep "zzz": no such sweep`},
		{"forecast zzz", openForecastMsg{ref: "zzz"}, true, `forecast "zzz": no such forecast`},
		{"forecast, none stored", openForecastMsg{}, false, "aiecon forecast"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New(Options{Path: copyFixture(t), IdleClose: -1}) // it holds no forecasts
			defer a.Close()
			a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
			times, want := 2, 1 // typed twice: no screen stacks
			if !tt.closes {
				times, want = 1, 2
			}
			for range times {
				_, cmd := a.Update(tt.open)
				for _, m := range msgsOf(cmd) {
					_, next := a.Update(m)
					for _, m := range msgsOf(next) {
						if _, ok := m.(closeScreenMsg); ok {
							a.Update(m)
						}
					}
				}
			}
			if len(a.stack) != want {
				t.Errorf("%d screens on the stack, want %d", len(a.stack), want)
			}
			flat := strings.Join(strings.Fields(ansi.Strip(a.View().Content)), " ")
			if !strings.Contains(flat, tt.says) {
				t.Errorf("the dashboard does not say %q:\n%s", tt.says, flat)
			}
		})
	}
}
