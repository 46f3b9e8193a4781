//go:build linux

package data

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestLockedErrorSaysHowTheHolderHoldsIt: a writer refused because a reader
// holds the store was told that DuckDB lets one process use a file "while
// it writes" and that the holder's latest runs may be only in its log, both
// of a writing holder. The error now says which the holder does.
func TestLockedErrorSaysHowTheHolderHoldsIt(t *testing.T) {
	for _, tt := range []struct {
		role, holding, want, not string
	}{
		{"hold-ro", HolderReading, "which has it open to read", ".wal"},
		{"hold", HolderWriting, "which has it open to write", "open to read"},
	} {
		t.Run(tt.role, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "held.duckdb")
			if tt.role == "hold-ro" {
				s, err := Open(path, Options{})
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
			}
			_, stdin, _ := startChild(t, tt.role, path, "READY")
			defer stdin.Close()
			_, err := Open(path, Options{LockWait: -1})
			le, ok := errors.AsType[*LockedError](err)
			if !ok {
				t.Fatalf("Open: %v, want a *LockedError", err)
			}
			msg := err.Error()
			if le.Holding != tt.holding || !strings.Contains(msg, tt.want) || strings.Contains(msg, tt.not) {
				t.Errorf("holding %q, message %q; want %q, saying %q and not %q", le.Holding, msg, tt.holding, tt.want, tt.not)
			}
		})
	}
}

// TestHolderModeReadsTheLockTable: holderMode takes the holder's lock from
// the kernel's table, a waiter's line aside, and says nothing it cannot.
func TestHolderModeReadsTheLockTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.duckdb")
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	ino := inodeOf(t, path)
	table := filepath.Join(t.TempDir(), "locks")
	old := procLocks
	t.Cleanup(func() { procLocks = old })
	procLocks = table
	for _, tt := range []struct {
		lines string
		pid   int
		want  string
	}{
		{"1: POSIX  ADVISORY  READ 42 fe:00:" + ino + " 0 EOF\n", 42, HolderReading},
		{"1: POSIX  ADVISORY  WRITE 42 fe:00:" + ino + " 0 EOF\n", 42, HolderWriting},
		{"1: POSIX  ADVISORY  READ 42 fe:00:" + ino + " 0 EOF\n1: -> POSIX  ADVISORY  WRITE 42 fe:00:" + ino + " 0 EOF\n", 42, HolderReading},
		{"1: POSIX  ADVISORY  WRITE 43 fe:00:" + ino + " 0 EOF\n", 42, HolderUnknown},
		{"1: POSIX  ADVISORY  WRITE 42 fe:00:1" + ino + " 0 EOF\n", 42, HolderUnknown},
		{"1: POSIX  ADVISORY  WRITE 42 fe:00:" + ino + " 0 EOF\n", 0, HolderUnknown},
	} {
		if err := os.WriteFile(table, []byte(tt.lines), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := holderMode(path, tt.pid); got != tt.want {
			t.Errorf("holderMode(pid %d) over %q = %q, want %q", tt.pid, tt.lines, got, tt.want)
		}
	}
}

func inodeOf(t *testing.T, path string) string {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatUint(uint64(fi.Sys().(*syscall.Stat_t).Ino), 10)
}
