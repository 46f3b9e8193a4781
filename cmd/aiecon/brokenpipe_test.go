//go:build unix

package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestClosedStdoutClosesTheStore: a writing command whose stdout was a
// pipe its reader had closed (aiecon run | head -1) was ended by SIGPIPE
// at its first line of output, the store still open: it left
// aiecon.duckdb.wal beside the store, and the next command warned of a
// writer that stopped without closing it, though the run was stored
// whole; --no-store left its scratch folder. The closed pipe now stops the
// command cleanly: the store is closed with no log left, the scratch
// folder is removed, and the exit status is 141, as a process SIGPIPE
// ended has.
func TestClosedStdoutClosesTheStore(t *testing.T) {
	tests := []struct {
		name string
		args []string
		runs string // what `aiecon runs` lists after it ("" for none)
	}{
		{"run", []string{"run", "--horizon", "1m", "--name", "piped"}, " piped "},
		{"sweep", []string{"sweep", "grid.yaml", "-q"}, " complete "},
		{"sweep --no-store", []string{"sweep", "grid.yaml", "-q", "--no-store"}, ""},
	}
	const grid = "name: grid\nbase: baseline\nset: {horizon: 30s}\nparameters:\n  fleet.count: [2, 3]\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, tmp := t.TempDir(), t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "grid.yaml"), []byte(grid), 0o644); err != nil {
				t.Fatal(err)
			}
			aiecon := aieconChild(t, dir)
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			r.Close() // the reader is gone before the first line: head -0
			cmd := aiecon(tt.args...)
			cmd.Env = append(cmd.Env, "TMPDIR="+tmp) // where --no-store makes its scratch folder
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = w, &stderr
			err = cmd.Run()
			w.Close()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 128+int(syscall.SIGPIPE) {
				t.Errorf("exit %v, want status 141; stderr:\n%s", err, stderr.String())
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
			out, err := aiecon("runs").CombinedOutput()
			if err != nil || strings.Contains(string(out), "warning") || !strings.Contains(string(out), tt.runs) {
				t.Errorf("aiecon runs after it: %v, want no warning and %q in:\n%s", err, tt.runs, out)
			}
		})
	}
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
			time.Sleep(300 * time.Millisecond) // the signal is taken; the write still waits for the reader
			r.Close()                          // the reader dies of the Ctrl-C
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
