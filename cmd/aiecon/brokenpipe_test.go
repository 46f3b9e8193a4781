//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
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
