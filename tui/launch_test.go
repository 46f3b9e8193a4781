package tui

import (
	"strings"
	"testing"
	"time"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/runner"
)

// launchOptions runs the real simulator with the assumed efficiency, so the
// tests do not depend on the calibration profiles of the machine.
func launchOptions(path string) Options {
	o := testOptions(path)
	o.Calibration = &runner.Calibration{Eff: hw.DefaultEfficiency, Source: "test"}
	return o
}

func storedRuns(t *testing.T, path string) []data.RunSummary {
	t.Helper()
	var runs []data.RunSummary
	c := newConn(path, -1)
	defer c.close()
	if err := c.read(func(st *data.Store) error {
		var err error
		runs, err = st.Runs(t.Context(), data.RunFilter{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return runs
}

// TestLaunchRunsAndOpens launches the built-in baseline with a shorter
// horizon and more instances: the run is simulated, stored, and opens; the
// store is free for other writers afterwards.
func TestLaunchRunsAndOpens(t *testing.T) {
	path := copyFixture(t)
	s := startSession(t, launchOptions(path), 100, 30)
	s.wait("9 of 9 runs")
	s.press("n")
	s.wait("Rate (chat)", "Horizon", "Instances")
	// Focus starts on Seed: down to Horizon, then Instances.
	s.press("down", "ctrl+u", "text:2m", "down", "ctrl+u", "text:6")
	s.wait("changed: --set horizon=2m", "changed: --set fleet.count=6")
	s.press("ctrl+r")
	scr := s.wait("✓ complete", "horizon 2m", "$/Mtok all costs")
	if !strings.Contains(scr, "Runs › Run ") {
		t.Errorf("the launched run did not replace the Launch screen:\n%s", scr)
	}
	runs := storedRuns(t, path)
	if len(runs) != 10 {
		t.Fatalf("%d runs stored, want 10", len(runs))
	}
	r := runs[0] // newest first
	if r.Name != "baseline" || r.Status != data.StatusComplete || r.HorizonS != 120 {
		t.Errorf("stored run %+v, want a complete 2m baseline", r)
	}
	if !strings.Contains(scr, shortID(r.ID, 0)) {
		t.Errorf("the screen does not show the stored run %s:\n%s", r.ID, scr)
	}
	// The dashboard holds no lock once the run is stored and shown (the
	// read-only store closes after its idle time).
	time.Sleep(200 * time.Millisecond)
	release := lockStore(t, path)
	release()
	s.press("esc")
	s.wait("10 of 10 runs")
}

// TestLaunchShowsProgressAndCancels: a long run shows its progress and
// live KPIs; esc cancels it and the store keeps it as failed.
func TestLaunchShowsProgressAndCancels(t *testing.T) {
	path := copyFixture(t)
	s := startSession(t, launchOptions(path), 100, 30)
	s.wait("9 of 9 runs")
	s.press("n")
	s.wait("Rate (chat)")
	s.press("down", "ctrl+u", "text:30d", "ctrl+r")
	scr := s.wait("Running baseline", "esc or ctrl+c cancels", "Throughput so far", "simulated")
	if strings.Contains(scr, "q quit") {
		t.Errorf("q is offered while a run is in progress:\n%s", scr)
	}
	// Wait for at least one window so the live KPIs have filled in.
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(s.rec.last(), "Windows") || strings.Contains(s.rec.last(), "│ 0 ") {
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.press("esc")
	s.wait("run cancelled: it is kept in the store as failed")
	runs := storedRuns(t, path)
	if len(runs) != 10 || runs[0].Status != data.StatusFailed {
		t.Fatalf("after cancelling: %d runs, newest %+v; want 10 with the newest failed", len(runs), runs[0])
	}
	s.press("esc")
	s.wait("10 of 10 runs", "✗")
}

// TestLaunchRejectsBadKnobs: a bad value is reported with the --set that
// caused it, and nothing runs.
func TestLaunchRejectsBadKnobs(t *testing.T) {
	path := copyFixture(t)
	s := startSession(t, launchOptions(path), 100, 30)
	s.wait("9 of 9 runs")
	s.press("n")
	s.wait("Rate (chat)")
	s.press("ctrl+u", "text:many", "ctrl+r")
	s.wait(`--set seed=many: seed: want an integer`)
	s.press("ctrl+u", "text:1", "down", "down", "down", "down", "down", "text:count=3", "ctrl+r")
	s.wait("--set count: unknown field count")
	s.press("ctrl+u", "text:fleet.count", "ctrl+r")
	s.wait(`more --set: "fleet.count" is not path=value`)
	if n := len(storedRuns(t, path)); n != 9 {
		t.Errorf("%d runs stored after rejected launches, want 9", n)
	}
}
