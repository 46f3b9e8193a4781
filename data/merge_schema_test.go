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
