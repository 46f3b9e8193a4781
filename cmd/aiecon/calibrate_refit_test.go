package main

import (
	"strings"
	"testing"
	"time"
)

// TestRefitBaseSkipsPoorFit: refit without FILE builds on the profile
// --calibration latest takes, saying which and why, refuses where every
// saved profile is poorly fitted (naming each with its error and keeping
// the store as it was), and refits a poor one the user names.
func TestRefitBaseSkipsPoorFit(t *testing.T) {
	cfg := t.TempDir()
	t0 := time.Now().UTC().Add(-time.Hour)
	poor, _ := saveFitProfile(t, cfg, 1.37, t0)
	older, _ := saveFitProfile(t, cfg, 0.5, t0.Add(-time.Minute))

	code, out, errs := calRun(t, cfg, "calibrate", "refit")
	if code != exitUsage || !strings.Contains(flat(errs), poor+" (held-out MAPE 137%), "+older+" (held-out MAPE 50%)") || !strings.Contains(errs, "aiecon calibrate refit FILE") {
		t.Errorf("refit with only a poor profile: exit %d, stderr %s\n%s", code, errs, out)
	}
	if n := len(profiles(t, cfg)); n != 2 {
		t.Errorf("a refused refit left %d profiles, want the 2 saved", n)
	}

	good, _ := saveFitProfile(t, cfg, 0.06, t0.Add(-time.Hour)) // older than the poor one
	code, out, errs = calRun(t, cfg, "calibrate", "refit")
	if code != 0 || !strings.Contains(out, "(refit of "+good+")") || !strings.Contains(errs, "refitting "+good+": the newest saved profile whose held-out error is within 30%") ||
		!strings.Contains(errs, "not building on "+poor+" (held-out MAPE 137%)") {
		t.Errorf("refit beside a good older profile: exit %d, stderr %s\n%s", code, errs, out)
	}

	code, out, errs = calRun(t, cfg, "calibrate", "refit", poor)
	if code != 0 || !strings.Contains(out, "(refit of "+poor+")") {
		t.Errorf("refit naming the poor profile: exit %d, stderr %s\n%s", code, errs, out)
	}
}
