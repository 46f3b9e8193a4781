package data

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// checkOrphanExport: the export of a run whose writer died, read-only
// before the next read-write open, wrote its runs row as the file has it
// (status running, no error, no counts) beside its partial records, while
// show said FAILED with 0 stored. Both now tell what the other does: the
// row as failed, interrupted, with the counts of the records exported.
func checkOrphanExport(t *testing.T, ro *Store, id string) {
	t.Helper()
	ctx := context.Background()
	d, err := ro.Run(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "orphan")
	if _, err := ro.Export(ctx, id, "csv", dir); err != nil {
		t.Fatal(err)
	}
	var status, msg string
	var stored, rows, windows, storedWindows int64
	csv := func(table string) string { return quoteLiteral(filepath.Join(dir, table+".csv")) }
	// A private DuckDB reads the files: the read-only store's is sandboxed.
	mem, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	err = mem.QueryRowContext(ctx, `SELECT status, error, requests_stored, windows_stored,
		(SELECT count(*) FROM read_csv(`+csv("requests")+`)), (SELECT count(*) FROM read_csv(`+csv("windows")+`))
		FROM read_csv(`+csv("runs")+`)`).Scan(&status, &msg, &stored, &storedWindows, &rows, &windows)
	if err != nil {
		t.Fatal(err)
	}
	if status != StatusFailed || !strings.Contains(msg, "interrupted") || msg != d.Run.Error {
		t.Errorf("exported runs row: status %q, error %q; show says %q, %q", status, msg, d.Run.Status, d.Run.Error)
	}
	if rows == 0 || stored != rows || stored != d.Run.RequestsStored || storedWindows != windows || storedWindows != d.Run.WindowsStored {
		t.Errorf("exported %d requests and %d windows, runs row says %d and %d, show says %d and %d",
			rows, windows, stored, storedWindows, d.Run.RequestsStored, d.Run.WindowsStored)
	}
}
