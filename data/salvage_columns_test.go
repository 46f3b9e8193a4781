package data

import (
	"context"
	"path/filepath"
	"reflect"
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
