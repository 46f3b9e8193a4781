//go:build unix

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestClosedPipeClosesTheStore: a writing command whose stdout was a
// pipe its reader had closed (aiecon run | head -1) was ended by SIGPIPE
// at its first line of output, the store still open: it left
// aiecon.duckdb.wal beside the store, and the next command warned of a
// writer that stopped without closing it, though the run was stored
// whole; --no-store left its scratch folder. The closed pipe now stops the
// command cleanly: the store is closed with no log left, the scratch
// folder is removed, and the exit status is 141, as a process SIGPIPE
// ended has. Every command that writes a store or reads one back does,
// whether stderr is the closed pipe too (2>&1 | head -1: the progress
// lines stop it) or not (its first line of output does).
func TestClosedPipeClosesTheStore(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stored bool   // the command reads runs of an earlier `aiecon run`: it is given two
		runs   string // what `aiecon runs` lists after it ("" for none)
	}{
		{"run", []string{"run", "--horizon", "1m", "--name", "piped"}, false, " piped "},
		{"sweep", []string{"sweep", "grid.yaml"}, false, " complete "},
		{"sweep --no-store", []string{"sweep", "grid.yaml", "--no-store"}, false, ""},
		{"forecast", []string{"forecast", "--samples", "1", "--periods", "1"}, false, " complete "},
		{"optimize", []string{"optimize", "baseline", "--horizon", "30s", "--instances", "trn2.48xlarge"}, false, " complete "},
		{"runs", []string{"runs"}, true, " stored "},
		{"show", []string{"show", "last"}, true, " stored "},
		{"compare", []string{"compare", "FIRST", "last"}, true, " stored "},
		{"export", []string{"export", "last", "--format", "csv", "--out", "exported"}, true, " stored "},
	}
	const grid = "name: grid\nbase: baseline\nset: {horizon: 30s}\nparameters:\n  fleet.count: [2, 3]\n"
	for _, tt := range tests {
		for _, stderrToo := range []bool{false, true} {
			name := tt.name
			if stderrToo {
				name += " 2>&1"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				dir, tmp := t.TempDir(), t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "grid.yaml"), []byte(grid), 0o644); err != nil {
					t.Fatal(err)
				}
				aiecon := aieconChild(t, dir)
				args := tt.args
				if tt.stored {
					args = withStoredRuns(t, aiecon, args)
				}
				cmd := aiecon(args...)
				cmd.Env = append(cmd.Env, "TMPDIR="+tmp) // where --no-store makes its scratch folder
				stderr := toClosedPipe(t, cmd, stderrToo)
				err := cmd.Run()
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != 128+int(syscall.SIGPIPE) {
					t.Errorf("exit %v, want status 141; stderr:\n%s", err, stderr.String())
				}
				if strings.Contains(stderr.String(), "aiecon:") {
					t.Errorf("the stop said something:\n%s", stderr.String())
				}
				if _, err := os.Stat(filepath.Join(dir, "aiecon.duckdb.wal")); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("the store's log is left beside it (%v)", err)
				}
				if left, _ := os.ReadDir(tmp); len(left) > 0 {
					t.Errorf("left in the temporary folder: %s", left[0].Name())
				}
				if tt.runs == "" {
					return
				}
				// Stopped by its first progress line, a command that writes
				// a store may have stored nothing yet.
				want := tt.runs
				if stderrToo {
					want = ""
				}
				out, err := aiecon("runs", "--with-forecasts").CombinedOutput()
				if err != nil || strings.Contains(string(out), "warning") || !strings.Contains(string(out), want) {
					t.Errorf("aiecon runs after it: %v, want no warning and %q in:\n%s", err, want, out)
				}
			})
		}
	}
}

// toClosedPipe makes cmd's stdout, and its stderr if stderrToo, a pipe
// whose reader is gone before the first line (head -0). It returns what
// cmd says on stderr when stderr is not the pipe.
func toClosedPipe(t *testing.T, cmd *exec.Cmd, stderrToo bool) *bytes.Buffer {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	t.Cleanup(func() { w.Close() })
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = w, &stderr
	if stderrToo {
		cmd.Stderr = w
	}
	return &stderr
}

// withStoredRuns stores two runs named "stored" with aiecon and returns
// args with FIRST replaced by the first one's id.
func withStoredRuns(t *testing.T, aiecon func(args ...string) *exec.Cmd, args []string) []string {
	t.Helper()
	for range 2 {
		if out, err := aiecon("-q", "run", "--horizon", "30s", "--name", "stored").CombinedOutput(); err != nil {
			t.Fatalf("storing a run: %v\n%s", err, out)
		}
	}
	out, err := aiecon("sql", "--format", "csv", "SELECT run_id FROM runs ORDER BY run_id").Output()
	ids := strings.Fields(string(out))
	if err != nil || len(ids) != 3 {
		t.Fatalf("the stored runs' ids: %v, %q", err, out)
	}
	replaced := make([]string, len(args))
	for i, a := range args {
		replaced[i] = strings.ReplaceAll(a, "FIRST", ids[1])
	}
	return replaced
}

// TestCtrlCBeforeThePipeBreaks: a Ctrl-C in a terminal reaches aiecon and
// the reader of its output (aiecon sql ... | head) alike; the reader dies
// of it, and aiecon's next write fails. aiecon took the failed write for
// a reader that had read enough and exited 141 without a word, as if it
// had not been interrupted. The first stop decides: here the Ctrl-C, so
// the command exits 1, saying it was interrupted (lost where stderr is
// the closed pipe too, which must not kill it).
func TestCtrlCBeforeThePipeBreaks(t *testing.T) {
	for _, stderrToo := range []bool{false, true} {
		t.Run(map[bool]string{false: "stdout", true: "stdout and stderr"}[stderrToo], func(t *testing.T) {
			t.Parallel()
			// About 7 MB of CSV, far more than a pipe holds: the command
			// is still writing when the signal comes.
			cmd := aieconChild(t, t.TempDir())("--db", ":memory:", "sql", "--format", "csv", "--all", "SELECT range FROM range(1000000)")
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = w, &stderr
			if stderrToo {
				cmd.Stderr = w
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			w.Close()
			if _, err := bufio.NewReader(r).ReadString('\n'); err != nil { // the output has begun
				t.Fatalf("no output: %v; stderr:\n%s", err, stderr.String())
			}
			if err := syscall.Kill(cmd.Process.Pid, syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			// The signal must be taken before the reader goes: a fixed
			// 300 ms was all the wait, and a loaded machine that ran
			// the child later saw the broken pipe first (exit 141).
			// Once the child has taken the signal, its Go runtime hands
			// it on ahead of any later SIGPIPE; the sleep gives the
			// handing on to the stop watch time, the write still waiting
			// for the reader.
			waitSignalTaken(t, cmd.Process.Pid, syscall.SIGINT)
			time.Sleep(300 * time.Millisecond)
			r.Close() // the reader dies of the Ctrl-C
			err = cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitFailure {
				t.Errorf("exit %v, want status 1 (interrupted); stderr:\n%s", err, stderr.String())
			}
			// The command's own word ("interrupted"), or the failed write's
			// blamed on the signal, as the write or the cancelled context
			// comes first.
			if got := stderr.String(); !stderrToo && !strings.HasPrefix(got, "aiecon: interrupted") {
				t.Errorf("stderr:\n%s\nwant it to say that the command was interrupted", got)
			}
		})
	}
}

// waitSignalTaken waits until process pid has taken sig, which kill left
// pending: Linux lists a process's pending signals in /proc/PID/status
// (ShdPnd, and SigPnd for its first thread), as hexadecimal masks in which
// signal n is bit n-1. Where there is no such file it returns at once, and
// the caller's sleep is all the wait, as it was everywhere.
func waitSignalTaken(t *testing.T, pid int, sig syscall.Signal) {
	t.Helper()
	bit := uint64(1) << (sig - 1)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return
		}
		pending := false
		for _, line := range strings.Split(string(status), "\n") {
			name, mask, ok := strings.Cut(line, ":")
			if !ok || name != "ShdPnd" && name != "SigPnd" {
				continue
			}
			m, err := strconv.ParseUint(strings.TrimSpace(mask), 16, 64)
			if err != nil {
				t.Fatalf("/proc/%d/status: %s: %v", pid, line, err)
			}
			pending = pending || m&bit != 0
		}
		if !pending {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the child has not taken %v in 30 s", sig)
		}
	}
}
