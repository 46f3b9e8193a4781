package data

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSalvageOfAHeldStore: a store another process holds is a
// *LockedError, naming the holder, both where salvage first reads its
// schema version and where it copies from it, so that every caller says
// the store is busy. It was reported as one DuckDB "cannot open it at
// all", which reads as damage beyond salvage.
func TestSalvageOfAHeldStore(t *testing.T) {
	held := filepath.Join(t.TempDir(), "held.duckdb")
	cmd, stdin, _ := startChild(t, "hold", held, "READY")
	defer stdin.Close()
	ctx := context.Background()
	check := func(where string, err error) {
		t.Helper()
		var le *LockedError
		if !errors.As(err, &le) || le.PID != cmd.Process.Pid || strings.Contains(err.Error(), "cannot open it at all") {
			t.Errorf("%s: %v; want a *LockedError naming PID %d", where, err, cmd.Process.Pid)
		}
	}
	out := filepath.Join(t.TempDir(), "out.duckdb")
	_, err := Salvage(ctx, held, out)
	check("Salvage", err)
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an output store was left behind: %v", err)
	}
	// The copy attaches the input again: the holder may have taken it
	// since the version was read.
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	check("the copy", salvageInto(ctx, db, held, &SalvageStats{}, nil))
}
