package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"aiecon/data"
)

// TestRunStopSignals: SIGTERM and SIGHUP stop `aiecon run` as Ctrl-C does:
// exit 1 saying it was interrupted and what to do, the run stored as
// failed, none left running.
func TestRunStopSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the simulator in child processes")
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			// The signal must land while the run simulates: on a busy
			// machine loading may take longer than the first delay.
			for delay := time.Second; ; delay *= 2 {
				db, stderr, code := signalRun(t, sig, delay)
				if strings.Contains(stderr, "registering the run") && delay < 16*time.Second {
					continue
				}
				if code != exitFailure || !strings.Contains(stderr, "interrupted") || strings.Contains(stderr, "context canceled") ||
					!strings.Contains(stderr, "run the command again") {
					t.Errorf("exit %d, stderr:\n%s", code, stderr)
				}
				if n := rawCount(t, db, `SELECT count(*) FROM runs WHERE status = 'failed' AND error LIKE 'interrupted%'`); n != 1 {
					t.Errorf("%d runs failed as interrupted, want 1", n)
				}
				if n := rawCount(t, db, `SELECT count(*) FROM runs WHERE status = 'running'`); n != 0 {
					t.Errorf("%d runs left running", n)
				}
				return
			}
		})
	}
}

// signalRun starts a long `aiecon run`, sends sig delay after the store
// appears, and returns the store, stderr and exit code.
func signalRun(t *testing.T, sig os.Signal, delay time.Duration) (db, stderr string, code int) {
	t.Helper()
	dir := t.TempDir()
	db = filepath.Join(dir, "aiecon.duckdb")
	cmd := aieconChild(t, dir)("run", "baseline", "--horizon", "48h")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(db); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no store after 30 s:\n%s", errb.String())
		}
	}
	time.Sleep(delay)
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	if ee != nil {
		code = ee.ExitCode()
	}
	return db, errb.String(), code
}

// TestSignalStopsTheStoreWait: Ctrl-C stops a command that waits for a
// store another process holds at once, rather than after the wait (20 s),
// and says why it stopped.
func TestSignalStopsTheStoreWait(t *testing.T) {
	dir := t.TempDir()
	holder, err := data.Open(filepath.Join(dir, "aiecon.duckdb"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	cmd := aieconChild(t, dir)("run", "baseline", "--horizon", "1m")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var stderr strings.Builder
	sc := bufio.NewScanner(pipe)
	for !strings.Contains(stderr.String(), "waiting up to") {
		if !sc.Scan() {
			t.Fatalf("the run did not wait for the store; stderr:\n%s", stderr.String())
		}
		stderr.WriteString(sc.Text() + "\n")
	}
	start := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() {
		stderr.WriteString(sc.Text() + "\n")
	}
	err = cmd.Wait()
	took := time.Since(start)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFailure || took > 5*time.Second ||
		!strings.Contains(stderr.String(), "stopped waiting") {
		t.Errorf("after Ctrl-C: %v in %s, stderr:\n%s", err, took.Round(time.Millisecond), stderr.String())
	}
}

// TestInterruptedContext: the CLI's context, once a stop signal ends it,
// says "interrupted" (commands printed "context canceled"), to contexts
// derived from it as well, and is still context.Canceled to errors.Is.
func TestInterruptedContext(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	ctx := interruptible(parent)
	child, stopChild := context.WithTimeout(ctx, time.Hour)
	defer stopChild()
	if ctx.Err() != nil || child.Err() != nil {
		t.Fatalf("ended before the signal: %v, %v", ctx.Err(), child.Err())
	}
	cancel()
	<-child.Done()
	for _, err := range []error{ctx.Err(), child.Err(), fmt.Errorf("run x: %w", child.Err())} {
		if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "context canceled") || !strings.Contains(err.Error(), "interrupted") {
			t.Errorf("%v: want interrupted, and context.Canceled to errors.Is", err)
		}
	}
}
