package data

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSalvageLeavesOutWhatIsNotAiecons: a column added to one of aiecon's
// tables lost every run with DuckDB's binder error ("Table "runs" does not
// have a column with name "tag""), and the user's own tables and views
// were left behind without a word. The known columns are copied, and what
// the copy has no place for is named.
func TestSalvageLeavesOutWhatIsNotAiecons(t *testing.T) {
	path, ids := damagedStore(t)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`ALTER TABLE runs ADD COLUMN tag VARCHAR;
		UPDATE runs SET tag = 'mine' WHERE status = 'complete';
		ALTER TABLE requests ADD COLUMN note INTEGER;
		CREATE TABLE my_notes (note VARCHAR);
		INSERT INTO my_notes VALUES ('a'), ('b');
		CREATE VIEW my_runs AS SELECT run_id FROM runs`); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "saved.duckdb")
	st, err := Salvage(context.Background(), path, out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Runs != len(ids) || len(st.Lost) != 0 || len(st.Extras) != 0 {
		t.Fatalf("salvage: %+v, want every complete run copied", st)
	}
	want := []string{
		"column requests.note INTEGER, NULL in every row",
		"column runs.tag VARCHAR, set in 3 rows",
		"table my_notes, 2 rows",
		"view my_runs",
	}
	if !reflect.DeepEqual(st.LeftOut, want) {
		t.Errorf("left out:\n%q\nwant\n%q", st.LeftOut, want)
	}
	o, err := Open(out, Options{ReadOnly: true}) // aiecon's tables, as they should be
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	var requests int
	if err := o.DB().QueryRow(`SELECT count(*) FROM requests`).Scan(&requests); err != nil || requests != 3*5000 {
		t.Errorf("the copy holds %d requests (%v), want %d", requests, err, 3*5000)
	}
}

// TestSalvageNamesColumnsTheStoreLacks: a column of aiecon's dropped from
// an older store was filled in the copy without a word (a request sample
// rate of 1, a wall time of NULL), and where it is NOT NULL without a
// default every run was lost to DuckDB's constraint error, said to be
// unreadable. The copy fills what it can and names it; a run it cannot
// carry is named with the column that stops it.
func TestSalvageNamesColumnsTheStoreLacks(t *testing.T) {
	tests := []struct {
		drop   string
		filled []string
		lost   string // the start of each lost run's error, "" for none lost
	}{
		{"runs DROP COLUMN request_sample_rate", []string{"column runs.request_sample_rate DOUBLE, filled with its default 1"}, ""},
		{"runs DROP COLUMN wall_s", []string{"column runs.wall_s DOUBLE, NULL in every row"}, ""},
		{"requests DROP COLUMN cached_tokens", nil, "requests: the store's table lacks column cached_tokens, which every row of aiecon's needs (NOT NULL, without a default"},
	}
	for _, tt := range tests {
		in, ids := storeAtVersion(t, 8)
		db, err := sql.Open("duckdb", in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("ALTER TABLE " + tt.drop); err != nil {
			t.Fatal(err)
		}
		db.Close()
		st, err := Salvage(context.Background(), in, filepath.Join(t.TempDir(), "saved.duckdb"))
		if err != nil {
			t.Fatalf("%s: %v", tt.drop, err)
		}
		if !reflect.DeepEqual(st.Filled, tt.filled) {
			t.Errorf("%s: filled %q, want %q", tt.drop, st.Filled, tt.filled)
		}
		if tt.lost == "" {
			if st.Runs != len(ids) || len(st.Lost) != 0 {
				t.Errorf("%s: %d runs copied, lost %v; want all %d", tt.drop, st.Runs, st.Lost, len(ids))
			}
			continue
		}
		if st.Runs != 0 || len(st.Lost) != len(ids) {
			t.Fatalf("%s: %d runs copied, %d lost; want every run lost", tt.drop, st.Runs, len(st.Lost))
		}
		for _, l := range st.Lost {
			if !strings.HasPrefix(l.Err.Error(), tt.lost) {
				t.Errorf("%s: lost %s: %v; want it to start %q", tt.drop, l.What, l.Err, tt.lost)
			}
		}
	}
}
