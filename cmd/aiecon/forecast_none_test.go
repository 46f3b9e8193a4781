package main

import (
	"path/filepath"
	"strings"
	"testing"

	"aiecon/data"
)

// TestNoForecastSaysHowToMakeOne: on a store that holds no forecast, the
// commands that take one said only that there was none, where the
// dashboard's :forecast says that `aiecon forecast` makes one; a new user
// has no forecast to name yet, so the command says what makes one. A
// reference that matches nothing in a store that holds forecasts names a
// mistyped id, and keeps its plain message (the forecast script checks it).
func TestNoForecastSaysHowToMakeOne(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "empty.duckdb")
	st, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	const hint = "holds no forecasts; `aiecon forecast` runs the built-in trainium-amortization forecast and stores it"
	tests := []struct {
		name string
		args []string
	}{
		{"compare", []string{"compare", "--forecast", "last"}},
		{"plot", []string{"plot", "last", "--kind", "forecast", "-o", filepath.Join(dir, "fan.png")}},
		{"runs", []string{"runs", "--forecast", "last"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runMain(t, db, tt.args...)
			if code != 2 || !strings.Contains(stderr, hint) {
				t.Errorf("aiecon %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(tt.args, " "), code, stderr, hint)
			}
		})
	}
}
