//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCalibrationNamedPipeRefused: --calibration naming a named pipe, or
// --calibration latest finding one among the saved profiles, is refused at
// once, naming the pipe. The profile was opened as it stood, and the open
// waited for a writer forever, past the first SIGTERM, in validate, run
// and hw fit alike.
func TestCalibrationNamedPipeRefused(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_DB", filepath.Join(dir, "aiecon.duckdb"))
	cfg := filepath.Join(dir, "config")
	t.Setenv("AIECON_CONFIG_DIR", cfg)
	if err := os.MkdirAll(filepath.Join(cfg, "calibration"), 0o755); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.json")
	latest := filepath.Join(cfg, "calibration", "profile-20991231T235959Z.json")
	for _, p := range []string{fifo, latest} {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("no named pipes here: %v", err)
		}
	}
	points := "../../examples/validate/neuron-sample.csv"
	for _, c := range []struct {
		name, pipe string
		args       []string
	}{
		{"validate", fifo, []string{"validate", "-q", points, "--calibration", fifo}},
		{"run", fifo, []string{"run", "baseline", "--no-store", "-q", "--horizon", "1m", "--calibration", fifo}},
		{"hw fit", fifo, []string{"hw", "fit", "-q", "--points", points, "--calibration", fifo}},
		{"run, latest", latest, []string{"run", "baseline", "--no-store", "-q", "--horizon", "1m", "--calibration", "latest"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			type result struct {
				code int
				errs string
			}
			done := make(chan result, 1)
			go func() {
				code, _, errs := hwRun(t, "", c.args...)
				done <- result{code, errs}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(20 * time.Second):
				// Release the blocked open, so that the test ends.
				if w, err := os.OpenFile(c.pipe, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					w.Close()
				}
				t.Fatalf("%v still waits on the pipe after 20 s; want it refused at once", c.args)
			}
			want := c.pipe + " is a named pipe, not a regular file"
			// Exit 2 for latest too, as for the pipe named: it exited 1.
			if r.code != exitUsage || !strings.Contains(r.errs, want) {
				t.Errorf("%v: exit %d, stderr %q; want it refused, exit 2, with %q", c.args, r.code, r.errs, want)
			}
		})
	}
}
