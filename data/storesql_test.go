package data

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestReadOnlyOpensAreSandboxed: `runs`, show, compare, export and plot
// opened the store read-only outside DuckDB's sandbox, so a view kept in
// the file (a store from elsewhere) read any local file when merely
// listed; only `aiecon sql` and the dashboard asked for the sandbox. Every
// read-only Open is now in it.
func TestReadOnlyOpensAreSandboxed(t *testing.T) {
	secret, path, s := storeBesideSecret(t)
	s.Close()
	duckFile(t, path, "CREATE VIEW leak AS SELECT content FROM read_text("+quoteLiteral(secret)+")")
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	var got string
	if err := ro.DB().QueryRow("SELECT content FROM leak").Scan(&got); err == nil {
		t.Errorf("a read-only Open read %q through a view of the file's: want DuckDB's sandbox to refuse it", got)
	}
	for _, setting := range []string{"enable_external_access", "autoload_known_extensions", "autoinstall_known_extensions", "lock_configuration"} {
		var v string
		if err := ro.DB().QueryRow("SELECT current_setting(" + quoteLiteral(setting) + ")::VARCHAR").Scan(&v); err != nil {
			t.Fatal(err)
		}
		want := map[bool]string{true: "true", false: "false"}[setting == "lock_configuration"]
		if v != want {
			t.Errorf("read-only Open: %s = %s, want %s", setting, v, want)
		}
	}
	if !ro.Sandboxed() {
		t.Error("Sandboxed() is false for a read-only Open")
	}
}

// TestStoreSQLRefused: a view of aiecon's redefined, or a macro named like
// a DuckDB built-in (which DuckDB resolves before the built-in, in
// aiecon's own queries too: CREATE MACRO max(x) AS 12345 read as schema
// version 12345), is refused by an Open with Refuse, naming it, and warned
// of by one without; CheckViews (doctor) names the functions. A macro of
// the user's own under a new name is neither.
func TestStoreSQLRefused(t *testing.T) {
	ctx := context.Background()
	base := filepath.Join(t.TempDir(), "base.duckdb")
	s, err := Open(base, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	tests := []struct {
		name  string
		stmts []string
		want  *ViewsChangedError // nil: opens without a word
	}{
		{"a macro max", []string{"CREATE MACRO max(x) AS 12345"}, &ViewsChangedError{Functions: []string{"max"}}},
		{"macros round and quantile_cont", []string{"CREATE MACRO round(x, n) AS 42", "CREATE MACRO quantile_cont(x, q) AS 42"},
			&ViewsChangedError{Functions: []string{"quantile_cont", "round"}}},
		{"a table macro hiding the views", []string{"CREATE MACRO duckdb_views() AS TABLE SELECT 1 AS x"},
			&ViewsChangedError{Functions: []string{"duckdb_views"}}},
		{"a view redefined", []string{"ALTER VIEW run_summary RENAME TO rs0", "CREATE VIEW run_summary AS SELECT * FROM rs0"},
			&ViewsChangedError{Changed: []string{"run_summary"}}},
		{"a macro of the user's own", []string{"CREATE MACRO my_margin(r, c) AS r - c"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.duckdb")
			copyFile(t, base, path)
			duckFile(t, path, tt.stmts...)
			for _, ro := range []bool{true, false} {
				var warned []error
				s, err := Open(path, Options{ReadOnly: ro, OnWarning: func(err error) { warned = append(warned, err) }})
				if err != nil {
					t.Fatalf("read-only %v, without Refuse: %v", ro, err)
				}
				s.Close()
				if tt.want == nil {
					if len(warned) > 0 {
						t.Errorf("read-only %v: warned %v", ro, warned)
					}
					continue
				}
				want := *tt.want
				want.Path = path
				if len(warned) != 1 || !reflect.DeepEqual(warned[0], &want) {
					t.Errorf("read-only %v: warned %v, want %+v", ro, warned, want)
				}
			}
			_, err := Open(path, Options{ReadOnly: true, Refuse: true})
			if tt.want == nil {
				if err != nil {
					t.Errorf("Refuse: %v", err)
				}
				return
			}
			var ve *ViewsChangedError
			if !errors.As(err, &ve) || !ve.Refused || !reflect.DeepEqual(ve.Functions, tt.want.Functions) || !reflect.DeepEqual(ve.Changed, tt.want.Changed) {
				t.Fatalf("Refuse: %v, want a refusal naming %+v", err, tt.want)
			}
			for _, name := range append(tt.want.Functions, tt.want.Changed...) {
				if !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "aiecon doctor --db") {
					t.Errorf("Refuse: %q does not name %s and doctor", err, name)
				}
			}
			vc, err := CheckViews(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(vc.Functions, tt.want.Functions) {
				t.Errorf("CheckViews: functions %v, want %v", vc.Functions, tt.want.Functions)
			}
		})
	}
}

// TestOlderSchemaIsTheUsers: a read-only Open of a store of an older
// schema wraps ErrOlderSchema (the CLI exits 2 for it, as for a newer
// one: it exited 1, which says a retry may help); with OlderSchema it
// reads the store as it is, migrating nothing.
func TestOlderSchemaIsTheUsers(t *testing.T) {
	db, path := emptyStoreAtVersion(t, "v11.duckdb", 11)
	db.Close()
	if _, err := Open(path, Options{ReadOnly: true}); !errors.Is(err, ErrOlderSchema) {
		t.Errorf("read-only Open of a schema-11 store: %v, want ErrOlderSchema", err)
	}
	s, err := Open(path, Options{ReadOnly: true, OlderSchema: true})
	if err != nil {
		t.Fatalf("OlderSchema: %v", err)
	}
	if _, err := s.ResolveSweep(context.Background(), "nosuch"); !errors.Is(err, ErrSweepNotFound) {
		t.Errorf("ResolveSweep on the unmigrated store: %v, want ErrSweepNotFound", err)
	}
	s.Close()
	if v := versionOf(t, path); v != 11 {
		t.Errorf("an OlderSchema Open left schema version %d, want 11", v)
	}
}

// TestMigrationIsReported: the one-way upgrade of a store went without a
// word; a read-write Open now calls OnMigrate with the versions, once.
func TestMigrationIsReported(t *testing.T) {
	db, path := emptyStoreAtVersion(t, "v11.duckdb", 11)
	db.Close()
	var got [][2]int
	opts := Options{OnMigrate: func(p string, from, to int) {
		if p != path && !strings.HasSuffix(p, "new.duckdb") {
			t.Errorf("OnMigrate of %s, want %s", p, path)
		}
		got = append(got, [2]int{from, to})
	}}
	for range 2 {
		s, err := Open(path, opts)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	if want := [][2]int{{11, SchemaVersion()}}; !reflect.DeepEqual(got, want) {
		t.Errorf("OnMigrate over two read-write Opens of a schema-11 store: %v, want %v", got, want)
	}
	fresh := filepath.Join(t.TempDir(), "new.duckdb")
	s, err := Open(fresh, opts)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if len(got) != 1 {
		t.Errorf("creating a store reported a migration: %v", got)
	}
}

// versionOf is the schema version of the store file at path.
func versionOf(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v, err := currentVersion(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestLogReplayedIsSaid: DuckDB replays a log found beside the store onto
// whatever file is there, another store put back after a kill included,
// and cannot tell; every Open that finds one now says so.
func TestLogReplayedIsSaid(t *testing.T) {
	path, _, _ := orphanLog(t) // the log a kill left, its store moved away
	other, err := Open(filepath.Join(t.TempDir(), "other.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	other.Close()
	for _, ro := range []bool{true, false} {
		copyFile(t, other.Path(), path) // another store put back beside the log
		var warned []error
		s, err := Open(path, Options{ReadOnly: ro, OnWarning: func(err error) { warned = append(warned, err) }})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		var le *LogReplayedError
		if len(warned) != 1 || !errors.As(warned[0], &le) || le.ReadOnly != ro || !strings.Contains(le.Error(), "replay") {
			t.Errorf("read-only %v: warned %v, want one LogReplayedError", ro, warned)
		}
	}
	var warned []error
	s, err := Open(path, Options{OnWarning: func(err error) { warned = append(warned, err) }})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if len(warned) != 0 {
		t.Errorf("once the log was folded in, an Open warned %v", warned)
	}
}

// TestSandboxedExportReadsNoFile: a sandboxed store's exports (the
// dashboard's, through ExportQuery and Export) ran their COPY in a private
// DuckDB that was not sandboxed, over the store's own SQL: a view the
// file redefined over read_text() wrote a local file into the export. The
// COPY may now write the export and read nothing else.
func TestSandboxedExportReadsNoFile(t *testing.T) {
	ctx := context.Background()
	secret, path, s := storeBesideSecret(t)
	dir := filepath.Dir(path)
	id := storeRun(t, s, newSynthRun(1, 5), "r")
	s.Close()
	duckFile(t, path, "CREATE VIEW leak AS SELECT content FROM read_text("+quoteLiteral(secret)+")",
		"CREATE MACRO count(x) AS (SELECT length(content) FROM read_text("+quoteLiteral(secret)+"))")
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	out := filepath.Join(dir, "leak.csv")
	if _, err := ro.ExportQuery(ctx, "SELECT * FROM leak", out); err == nil {
		b, _ := os.ReadFile(out)
		t.Errorf("ExportQuery through a view over read_text wrote %q", b)
	}
	// The export itself still works, to the folder asked for.
	if _, err := ro.ExportQuery(ctx, "SELECT run_id FROM runs", filepath.Join(dir, "runs.csv")); err != nil {
		t.Errorf("ExportQuery of runs: %v", err)
	}
	files, err := ro.Export(ctx, id, "csv", filepath.Join(dir, "x"))
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	for _, f := range files {
		if b, _ := os.ReadFile(f); strings.Contains(string(b), "s3cr3t") {
			t.Errorf("%s holds the file the store's SQL reads", f)
		}
	}
}

// storeBesideSecret opens a new store in a temporary folder beside a file
// of a secret ("s3cr3t") that no read may reach, returning the secret's
// path, the store's and the store.
func storeBesideSecret(t *testing.T) (secret, path string, s *Store) {
	t.Helper()
	dir := t.TempDir()
	secret = filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(secret, []byte("s3cr3t"), 0o600); err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(dir, "s.duckdb")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return secret, path, s
}
