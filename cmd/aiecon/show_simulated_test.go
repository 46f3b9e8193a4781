package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A span to the nanosecond, as a drain ends, is rounded; the horizon past
// which a run drained is said beside it, and rounding never hides a drain.
func TestSimulatedSpan(t *testing.T) {
	const s, m = int64(1e9), int64(60e9)
	for _, tt := range []struct {
		sim, horizon int64
		want         string
	}{
		{10 * m, 10 * m, "10m"},
		{60 * m, 60 * m, "1h"},
		{10*m + 40179289391, 10 * m, "10m40s (10m horizon + drain)"},
		{10*m + 300e6, 10 * m, "10m0.3s (10m horizon + drain)"},
		{10*m + 312345678, 10 * m, "10m0.312s (10m horizon + drain)"},
		{11*m + 200e6, 10 * m, "11m (10m horizon + drain)"},
		// A drain under half the finer unit rounded back to the horizon
		// once: "10m (10m horizon + drain)".
		{10*m + 400e3, 10 * m, "10m0.0004s (10m horizon + drain)"},
		{10*m + 1, 10 * m, "10m0.000000001s (10m horizon + drain)"},
		{30*s + 40e3, 30 * s, "30.00004s (30s horizon + drain)"},
		{20*s + 123456789, 20 * s, "20.1s (20s horizon + drain)"},
		{300123456, 300e6, "300.123ms (300ms horizon + drain)"},
		{90 * s, 90 * s, "1m30s"},
	} {
		if got := simulatedSpan(tt.sim, tt.horizon); got != tt.want {
			t.Errorf("simulatedSpan(%d, %d) = %q, want %q", tt.sim, tt.horizon, got, tt.want)
		}
	}
}

// run's header and show print the same simulated time for a drained run:
// the span past the horizon, not the horizon (which hid the drain) nor the
// nanoseconds (which show printed).
func TestShowAndRunHeaderPrintTheSameDrainedSpan(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "drain.duckdb")
	code, out, errs := cli(t, db, "", "run", "--set", "drain=true", "--set", "horizon=10m", "--set", "fleet.count=2")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	// The run's wall time reads "420 ms" or, on a loaded machine (the
	// race detector, CI), "3.9 s" (format.Wall): the pattern took ms only.
	header := regexp.MustCompile(`(?m)^simulated (.+) in (?:\d+ ms|\d+\.\d s) \(`).FindStringSubmatch(out)
	if header == nil {
		t.Fatalf("run prints no simulated line:\n%s", out)
	}
	code, shown, errs := cli(t, db, "", "show", "last")
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, errs)
	}
	line := regexp.MustCompile(`(?m)^  simulated +(.+) in [0-9,]+ events$`).FindStringSubmatch(shown)
	if line == nil {
		t.Fatalf("show prints no simulated line:\n%s", shown)
	}
	if header[1] != line[1] {
		t.Errorf("run's header says simulated %q, show says %q", header[1], line[1])
	}
	if !regexp.MustCompile(`^10m[1-9][0-9]?s \(10m horizon \+ drain\)$`).MatchString(line[1]) {
		t.Errorf("simulated %q: want the drained span to the second beside the 10m horizon", line[1])
	}
	if strings.Contains(line[1], ".") {
		t.Errorf("simulated %q is printed below the second", line[1])
	}
}
