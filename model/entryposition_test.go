package model

import "testing"

// TestEntryPosition: the value of a set entry, whose key holds dots, is
// found in the mapping that writes it, through an alias (placed at the
// alias) and in flow or block style; an entry not written is not.
func TestEntryPosition(t *testing.T) {
	src := Locate("s.yaml", []byte("variants:\n  - name: a\n    set: &s {fleet.count: 3, ads.ctr: 0.1}\n  - name: b\n    set: *s\n  - name: c\n    set:\n      fleet.count:\n        - 1\n"))
	for _, c := range []struct {
		parent, key string
		line, col   int
		ok          bool
	}{
		{"variants[0].set", "fleet.count", 3, 27, true},
		{"variants[0].set", "ads.ctr", 3, 39, true},
		{"variants[1].set", "ads.ctr", 5, 10, true},
		{"variants[2].set", "fleet.count", 9, 9, true},
		{"variants[2].set", "ads.ctr", 0, 0, false},
		{"variants[3].set", "fleet.count", 0, 0, false},
	} {
		line, col, ok := src.EntryPosition(c.parent, c.key)
		if line != c.line || col != c.col || ok != c.ok {
			t.Errorf("%s %s: %d:%d %v, want %d:%d %v", c.parent, c.key, line, col, ok, c.line, c.col, c.ok)
		}
	}
}

// TestSetEntryIsOneLine: a set entry is named on one line, whatever
// the style its value is written in.
func TestSetEntryIsOneLine(t *testing.T) {
	for _, c := range []struct{ value, want string }{
		{"-3", "set {fleet.count: -3}"},
		{"- 1\n- 2", "set {fleet.count: [1, 2]}"},
		{"b: 1\na: [x, y]\n", `set {fleet.count: {b: 1, a: [x, "y"]}}`},
		{"|\n  a\n  b\n", `set {fleet.count: "a\nb\n"}`},
	} {
		if got := (Override{Path: "fleet.count", Value: c.value}).SetEntry(); got != c.want {
			t.Errorf("%q: %s, want %s", c.value, got, c.want)
		}
	}
}
