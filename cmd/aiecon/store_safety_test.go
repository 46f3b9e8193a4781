package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"aiecon/data"
)

// aieconIn runs the CLI and returns its exit code, stdout and stderr.
func aieconIn(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestReadCommandsRefuseStoreSQL: `runs`, show, compare, export and
// `sweep --show` opened the store outside DuckDB's sandbox and evaluated
// a view of aiecon's that the file redefined, after a warning: a store
// from elsewhere printed any local file the user may read in its NAME
// column. They now refuse it (exit 2), naming the view and doctor, and
// `aiecon sql`, which still reads it, does so sandboxed.
func TestReadCommandsRefuseStoreSQL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "s.duckdb")
	secret := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(secret, []byte("s3cr3t-content"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := aieconIn("--db", db, "run", "baseline", "--horizon", "1m", "-q"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	leak := "ALTER VIEW run_summary RENAME TO rs0; CREATE VIEW run_summary AS SELECT * REPLACE ((SELECT content FROM read_text(" +
		"'" + secret + "')) AS name) FROM rs0"
	if code, _, errs := aieconIn("--db", db, "sql", "--write", leak); code != exitOK {
		t.Fatalf("sql --write: exit %d: %s", code, errs)
	}
	for _, args := range [][]string{{"runs"}, {"show", "last"}, {"compare", "last", "last"}, {"export", "last", "--out", filepath.Join(dir, "x")}} {
		code, out, errs := aieconIn(append([]string{"--db", db}, args...)...)
		if strings.Contains(out+errs, "s3cr3t") {
			t.Errorf("%v printed the file the view reads:\n%s%s", args, out, errs)
		}
		if code != exitUsage || !strings.Contains(errs, "refusing to read the store") || !strings.Contains(errs, "run_summary") ||
			!strings.Contains(errs, "aiecon doctor --db") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 refusing the store, naming run_summary and doctor", args, code, errs)
		}
	}
	code, out, errs := aieconIn("--db", db, "sql", "SELECT name FROM run_summary")
	if strings.Contains(out+errs, "s3cr3t") || code == exitOK {
		t.Errorf("sql through the redefined view: exit %d, %s%s; want DuckDB's sandbox to refuse the file", code, out, errs)
	}
	if code, _, errs := aieconIn("--db", db, "sql", "--write", "DROP VIEW run_summary; ALTER VIEW rs0 RENAME TO run_summary"); code != exitOK {
		t.Fatalf("putting the view back: exit %d: %s", code, errs)
	}
	if code, _, errs := aieconIn("--db", db, "runs"); code != exitOK {
		t.Errorf("runs once the view is aiecon's again: exit %d: %s", code, errs)
	}
	if code, _, errs := aieconIn("--db", db, "sql", "--write", "CREATE MACRO max(x) AS 12345"); code != exitOK {
		t.Fatalf("sql --write: exit %d: %s", code, errs)
	}
	if code, _, errs := aieconIn("--db", db, "runs"); code != exitUsage || !strings.Contains(errs, "function max") {
		t.Errorf("runs of a store with a macro max: exit %d, stderr %q; want exit 2 naming the function", code, errs)
	}
	if code, out, _ := aieconIn("--db", db, "doctor"); code != exitOK || !strings.Contains(out, "named like DuckDB's built-ins: max") {
		t.Errorf("doctor: exit %d, output %q; want it to name the macro max", code, out)
	}
}

// TestOlderSchemaStore: a store of an older schema exited 1 from every
// read-only command and merge (a failure a retry may fix) where a newer
// one exited 2; `sweep --resume nosuch` and `forecast --resume nosuch`
// migrated it one way, then refused the id; and no command said it
// migrated a store.
func TestOlderSchemaStore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "old.duckdb")
	if code, _, errs := aieconIn("--db", db, "sql", "--write", "SELECT 1"); code != exitOK {
		t.Fatalf("sql --write: exit %d: %s", code, errs)
	}
	// The latest migration (0034) adds a column to runs, IF NOT EXISTS, and
	// no table: without its row the store is one the previous schema
	// version left, all its tables there, and the migration runs again.
	older := data.SchemaVersion() - 1
	downgrade := "DELETE FROM schema_version WHERE version > " + strconv.Itoa(older)
	if code, _, errs := aieconIn("--db", db, "sql", "--write", downgrade); code != exitOK {
		t.Fatalf("sql --write: exit %d: %s", code, errs)
	}
	for _, args := range [][]string{{"--db", db, "runs"}, {"--db", db, "show", "last"}, {"merge", filepath.Join(dir, "out.duckdb"), db}} {
		if code, _, errs := aieconIn(args...); code != exitUsage || !strings.Contains(errs, "older than this aiecon") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2, older schema", args, code, errs)
		}
	}
	if code, _, errs := aieconIn("--db", db, "sweep", "--resume", "nosuch"); code != exitUsage || !strings.Contains(errs, "no such sweep") ||
		strings.Contains(errs, "migrated") {
		t.Errorf("sweep --resume nosuch: exit %d, stderr %q; want exit 2, no such sweep, no migration", code, errs)
	}
	// forecast --resume opened the store read-write, migrating it, before
	// it looked for the id; the older store has no forecast_checkpoints.
	for _, ref := range []string{"nosuch", "last", "1m9"} {
		if code, _, errs := aieconIn("--db", db, "forecast", "--resume", ref); code != exitUsage ||
			!strings.Contains(errs, "no unfinished forecast") || strings.Contains(errs, "migrated") {
			t.Errorf("forecast --resume %s: exit %d, stderr %q; want exit 2, no unfinished forecast, no migration", ref, code, errs)
		}
	}
	s, err := data.OpenContext(context.Background(), db, data.Options{ReadOnly: true, OlderSchema: true})
	if err != nil {
		t.Fatal(err)
	}
	var v int
	if err := s.DB().QueryRow("SELECT max(version) FROM schema_version").Scan(&v); err != nil || v != older {
		t.Errorf("after sweep and forecast --resume nosuch the store is at schema version %d (%v), want %d, unmigrated", v, err, older)
	}
	s.Close()
	code, _, errs := aieconIn("--db", db, "sql", "--write", "SELECT 1")
	want := "migrated the store " + db + " from schema version " + strconv.Itoa(older) + " to " + strconv.Itoa(data.SchemaVersion())
	if code != exitOK || !strings.Contains(errs, want) || !strings.Contains(errs, "one way") {
		t.Errorf("sql --write on the older store: exit %d, stderr %q; want %q, one way", code, errs, want)
	}
	if code, _, errs := aieconIn("--db", db, "sql", "--write", "SELECT 1"); code != exitOK || strings.Contains(errs, "migrated") {
		t.Errorf("a second sql --write: exit %d, stderr %q; want no migration notice", code, errs)
	}
}
