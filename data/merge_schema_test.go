package data

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestMergeDamagedInput: an input whose tables were dropped or altered
// after it was written is refused with ErrMergeSchema, naming the table and
// the difference, and nothing of it reaches the output; an intact input
// still merges.
func TestMergeDamagedInput(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, damage, want string
	}{
		{"intact", "", ""},
		{"table dropped", "DROP TABLE requests CASCADE", "table requests is missing"},
		{"column added", "ALTER TABLE kpis ADD COLUMN junk INTEGER", "table kpis has an extra column junk INTEGER"},
		{"column retyped", "ALTER TABLE kpis ALTER COLUMN unit TYPE INTEGER USING 0", "table kpis has column unit as INTEGER, want VARCHAR"},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "in.duckdb")
		in, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		storeRun(t, in, newSynthRun(1, 20), "r")
		if tt.damage != "" {
			if _, err := in.DB().ExecContext(ctx, tt.damage); err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
		}
		if err := in.Close(); err != nil {
			t.Fatal(err)
		}
		out, _ := openTemp(t)
		st, err := out.Merge(ctx, path)
		runs := countRows(t, out, `SELECT count(*) FROM runs`)
		if tt.want == "" {
			if err != nil || st.Runs != 1 || runs != 1 {
				t.Errorf("%s: %+v, %v, %d runs", tt.name, st, err, runs)
			}
			continue
		}
		if !errors.Is(err, ErrMergeSchema) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want ErrMergeSchema with %q", tt.name, err, tt.want)
		}
		if runs != 0 {
			t.Errorf("%s: %d runs copied from a damaged input", tt.name, runs)
		}
	}
}

// TestMergeIntoStoreWithOwnTable: a table of the user's own in the store
// merged into is left as it is, and an ordinary input merges. The input had
// been held to the store's tables rather than to aiecon's schema, and was
// refused as lacking the user's table ("table foo is missing"), however
// sound; a user's table with a run_id column would have been copied from
// an input that has none.
func TestMergeIntoStoreWithOwnTable(t *testing.T) {
	ctx := context.Background()
	for _, own := range []struct{ table, create string }{
		{"foo", "CREATE TABLE foo(x INTEGER); INSERT INTO foo VALUES (7)"},
		{"notes", "CREATE TABLE notes(run_id VARCHAR, note VARCHAR); INSERT INTO notes VALUES ('mine', 'kept')"},
	} {
		path := filepath.Join(t.TempDir(), "in.duckdb")
		in, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		storeRun(t, in, newSynthRun(1, 20), "r")
		if err := in.Close(); err != nil {
			t.Fatal(err)
		}
		out, _ := openTemp(t)
		if _, err := out.DB().ExecContext(ctx, own.create); err != nil {
			t.Fatal(err)
		}
		st, err := out.Merge(ctx, path)
		if runs := countRows(t, out, `SELECT count(*) FROM runs`); err != nil || st.Runs != 1 || runs != 1 {
			t.Errorf("table %s in the store: %+v, %v, %d runs; want the input's one run merged", own.table, st, err, runs)
		}
		if n := countRows(t, out, `SELECT count(*) FROM `+own.table); n != 1 {
			t.Errorf("table %s holds %d rows after the merge, want its one row left as it was", own.table, n)
		}
	}
}

// TestMergeInputWithoutVersion: an input whose schema_version table is
// empty is refused as Open refuses it, as not an aiecon store that records
// no schema version. It was read as version 0, "older than this aiecon's",
// with advice to migrate it through `aiecon sql --write`, which refuses it.
func TestMergeInputWithoutVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "in.duckdb")
	in, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	storeRun(t, in, newSynthRun(1, 20), "r")
	if _, err := in.DB().ExecContext(ctx, "DELETE FROM schema_version"); err != nil {
		t.Fatal(err)
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	out, _ := openTemp(t)
	_, err = out.Merge(ctx, path)
	if !errors.Is(err, ErrForeignDatabase) || !strings.Contains(err.Error(), "records no schema version") || strings.Contains(err.Error(), "sql --write") {
		t.Errorf("merging an input with an empty schema_version: %v; want ErrForeignDatabase saying it records no schema version, with no `sql --write` to migrate it", err)
	}
	if runs := countRows(t, out, `SELECT count(*) FROM runs`); runs != 0 {
		t.Errorf("%d runs copied from it", runs)
	}
}
