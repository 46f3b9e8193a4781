//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"aiecon/data"
)

// TestTimeoutsTwoSignalsStopOnce: GNU `timeout -s INT` signals aiecon and
// then its process group, so aiecon gets the one stop twice. The second
// used to find the signal's default action back and kill aiecon wherever
// it was, a commit or a checkpoint included: rc 130, nothing on stderr, the
// log left beside the store. Both copies, sent as timeout sends them, must
// now give the one clean stop: the run kept as failed, exit 1.
func TestTimeoutsTwoSignalsStopOnce(t *testing.T) {
	for _, gap := range []time.Duration{0, 200 * time.Millisecond} {
		t.Run(gap.String(), func(t *testing.T) {
			dir := t.TempDir()
			// About 18 M requests, under the 2e7 budget: half a minute of
			// simulation on a fast machine, so the signals below land in
			// the run (at 6h it ended in 2 s, before them, and exited 0).
			cmd := aieconChild(t, dir)("-q", "run", "--horizon", "96h", "--set", "workloads[chat].arrivals.rate=50/s")
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its own group, as timeout's child is in timeout's
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			store := filepath.Join(dir, "aiecon.duckdb")
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if _, err := os.Stat(store); err == nil {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("no store after 30 s; stderr:\n%s", stderr.String())
				}
			}
			time.Sleep(1500 * time.Millisecond) // into the run, or at least its registration
			syscall.Kill(cmd.Process.Pid, syscall.SIGINT)
			time.Sleep(gap)
			syscall.Kill(-cmd.Process.Pid, syscall.SIGINT) // the group: aiecon again
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			var err error
			select {
			case err = <-exited:
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 60 s after the stop; stderr:\n%s", stderr.String())
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitFailure || !strings.Contains(stderr.String(), "interrupted") ||
				strings.Contains(stderr.String(), "interrupt again") {
				t.Fatalf("after two SIGINTs %v apart: %v, stderr:\n%s\nwant exit 1 and the one \"interrupted\" line", gap, err, stderr.String())
			}
			if _, err := os.Stat(store + ".wal"); err == nil {
				t.Errorf("the store's log is left beside it: its close did not finish")
			}
			s, err := data.Open(store, data.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			runs, err := s.Runs(context.Background(), data.RunFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range runs {
				if r.Status != data.StatusFailed {
					t.Errorf("run %s is %s, want it kept as failed", r.ID, r.Status)
				}
			}
		})
	}
}
