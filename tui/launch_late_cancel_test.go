package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// TestLateCancelSaysTheRunIsComplete: esc pressed once the simulation had
// ended (the header read "simulated 2h of 2h") cannot stop the run, which
// the store commits complete; the screen then opened the run with "run …
// stored" after its header had promised "the run is kept as failed". What
// the footer says must be what the store kept.
func TestLateCancelSaysTheRunIsComplete(t *testing.T) {
	const id = "1m99btmeceqwkhn"
	tests := []struct {
		name       string
		cancelling bool
		err        error
		want       string // in the notice
		notWant    string
	}{
		{"no cancel", false, nil, "run " + id + " stored", "too late"},
		{"cancel after the simulation ended", true, nil, "too late, the simulation had ended: run " + id + " is stored complete", "failed"},
		{"cancel in time", true, fmt.Errorf("run baseline: interrupted: %w", context.Canceled), "kept in the store as failed", "complete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newLaunchScreen(testShared(), "")
			s.running, s.cancelling, s.cancel = true, tt.cancelling, func() {}
			var text string
			for _, m := range msgsOf(s.update(runDoneMsg{addr: addr{s.sid}, id: id, err: tt.err})) {
				switch m := m.(type) {
				case openRunMsg:
					text = m.notice
				case noticeMsg:
					text = m.text
				}
			}
			if !strings.Contains(text, tt.want) || strings.Contains(text, tt.notWant) {
				t.Errorf("the notice reads %q; want %q in it, and not %q", text, tt.want, tt.notWant)
			}
		})
	}
}

// TestCancelHeaderAtTheHorizon: once the simulation has reached its
// horizon, a cancel may land only while its results are stored, complete;
// the header no longer promises that the run is kept as failed, and at 80
// columns it wraps rather than cut what a cancel keeps.
func TestCancelHeaderAtTheHorizon(t *testing.T) {
	tests := []struct {
		name  string
		simNs int64
		want  string
	}{
		{"mid-run", int64(time.Hour), "(the run is kept as failed)"},
		{"at the horizon", int64(2 * time.Hour), "(at its horizon a cancel may come too late: the run is then kept complete)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newLaunchScreen(testShared(), "")
			s.running, s.cancelling, s.cancel, s.runName = true, true, func() {}, "baseline [horizon=2h]"
			s.horizonNs, s.simNs, s.runID = int64(2*time.Hour), tt.simNs, "1m99btmeceqwkhn"
			v := ansi.Strip(s.view(80, 24))
			if got := strings.Join(strings.Fields(v), " "); !strings.Contains(got, tt.want) {
				t.Errorf("the header at 80 columns does not say %q:\n%s", tt.want, v)
			}
		})
	}
}
