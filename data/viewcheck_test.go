package data

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSchemaViews keeps schemaViews, which Open compares a store's views
// with, equal to the views the migrations define.
func TestSchemaViews(t *testing.T) {
	ref, err := reference()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, v := range ref.views {
		want[v.name] = viewDigest(v.sql)
	}
	if !maps.Equal(want, schemaViews) {
		t.Errorf("schemaViews is not the migrated schema's views; want:\n%#v", want)
	}
}

// TestRedefinedViewsAreNamed: a view of aiecon's replaced through `sql
// --write` by other SQL with the same columns passed doctor's check (which
// compared columns) and every command's open, which compared nothing, so
// that listings printed what the new SQL computed under aiecon's names.
// CheckViews names it, and each Open that can warn warns of it and of a
// dropped view, changing nothing in the store.
func TestRedefinedViewsAreNamed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.duckdb")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var def string
	if err := s.DB().QueryRow(`SELECT sql FROM duckdb_views() WHERE view_name = 'windows_v'`).Scan(&def); err != nil {
		t.Fatal(err)
	}
	s.Close()
	opens := func() []error {
		var warned []error
		for _, ro := range []bool{true, false} {
			s, err := Open(path, Options{ReadOnly: ro, OnWarning: func(err error) { warned = append(warned, err) }})
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
		}
		return warned
	}
	if w := opens(); len(w) != 0 {
		t.Fatalf("a store as aiecon made it: warnings %v", w)
	}

	// The same columns, fewer rows.
	redefined := "CREATE OR REPLACE VIEW windows_v AS SELECT * FROM (" + def[len("CREATE VIEW windows_v AS "):len(def)-1] + ") WHERE t_s > 1e9"
	duckFile(t, path, redefined, "DROP VIEW forecast_bands")
	vc, err := CheckViews(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(vc, ViewCheck{Missing: []string{"forecast_bands"}, Redefined: []string{"windows_v"}}) {
		t.Errorf("CheckViews: %+v, want forecast_bands missing and windows_v redefined", vc)
	}
	w := opens()
	want := &ViewsChangedError{Path: path, Missing: []string{"forecast_bands"}, Changed: []string{"windows_v"}}
	for i, err := range w {
		var ve *ViewsChangedError
		if !errors.As(err, &ve) || !reflect.DeepEqual(ve, want) {
			t.Errorf("open %d warned %v, want %+v", i, err, want)
		}
	}
	if len(w) != 2 {
		t.Errorf("%d warnings over a read-only and a read-write open, want 2: %v", len(w), w)
	}
	var now string
	s, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.DB().QueryRow(`SELECT sql FROM duckdb_views() WHERE view_name = 'windows_v'`).Scan(&now); err != nil || now == def {
		t.Errorf("the user's view was put back by an open (%v): a warning must change nothing", err)
	}
}

// TestViewsChangedErrorWording: one view is "view NAME", several "views A, B".
func TestViewsChangedErrorWording(t *testing.T) {
	for _, tt := range []struct {
		err  ViewsChangedError
		want string
	}{
		{ViewsChangedError{Path: "s", Changed: []string{"windows_v"}}, "the store s has aiecon's view windows_v redefined ("},
		{ViewsChangedError{Path: "s", Missing: []string{"a", "b"}}, "the store s lacks aiecon's views a, b ("},
	} {
		if got := tt.err.Error(); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%q, want it to start %q", got, tt.want)
		}
	}
}
