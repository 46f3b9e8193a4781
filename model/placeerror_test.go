package model

import "testing"

// TestPlaceErrorPutsAnUnknownFieldAtItsKey: an unknown field is placed at
// its key, a key with dots in its name included, and through an alias at
// the alias; any other error where Place puts it.
func TestPlaceErrorPutsAnUnknownFieldAtItsKey(t *testing.T) {
	src := Locate("f.yaml", []byte("name: m\n.base: &b {count: 2, c.t: 1}\nfleet:\n  count: 1\n  cnt: 4\nother: *b\n"))
	for _, tt := range []struct {
		e         FieldError
		line, col int
	}{
		{FieldError{Field: "fleet.cnt", Msg: `unknown field "cnt" (allowed here: count)`}, 5, 3},
		{FieldError{Field: ".base", Msg: `unknown field ".base"`}, 2, 1},
		{FieldError{Field: "other.c.t", Msg: `unknown field "c.t"`}, 6, 8},
		{FieldError{Field: "fleet.count", Msg: "want an integer"}, 4, 10},
		{FieldError{Field: "fleet.cnt", Msg: "unknown field \"x\""}, 5, 8}, // not its key: the value, as Place
	} {
		if line, col := src.PlaceError(tt.e); line != tt.line || col != tt.col {
			t.Errorf("%s (%s): %d:%d, want %d:%d", tt.e.Field, tt.e.Msg, line, col, tt.line, tt.col)
		}
	}
}
