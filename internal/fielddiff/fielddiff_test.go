package fielddiff

import (
	"strings"
	"testing"
)

type inner struct {
	Rate  float64
	notes string // unexported: not compared
}

type outer struct {
	Name  string
	In    *inner
	List  []int
	Map   map[string]float64
	Items []inner
}

// TestFirst: every kind of difference is found and named by its path, and
// unexported fields are left out, so that a round-trip test built on First
// cannot pass on values that differ.
func TestFirst(t *testing.T) {
	base := func() outer {
		return outer{Name: "a", In: &inner{Rate: 1}, List: []int{1, 2}, Map: map[string]float64{"x": 1}, Items: []inner{{Rate: 2}}}
	}
	for _, tt := range []struct {
		name   string
		change func(*outer)
		want   string // "" = equal
	}{
		{"equal", func(*outer) {}, ""},
		{"unexported only", func(o *outer) { o.In.notes = "kept apart" }, ""},
		{"string", func(o *outer) { o.Name = "b" }, ".Name"},
		{"through a pointer", func(o *outer) { o.In.Rate = 1.0000000000000002 }, ".In.Rate"},
		{"nil pointer", func(o *outer) { o.In = nil }, ".In"},
		{"slice length", func(o *outer) { o.List = o.List[:1] }, ".List: 2 items against 1"},
		{"slice item", func(o *outer) { o.List[1] = 3 }, ".List[1]"},
		{"map value", func(o *outer) { o.Map["x"] = 2 }, ".Map[x]"},
		{"map keys", func(o *outer) { o.Map["y"] = 1 }, ".Map: 1 keys against 2"},
		{"struct in a slice", func(o *outer) { o.Items[0].Rate = 3 }, ".Items[0].Rate"},
	} {
		a, b := base(), base()
		tt.change(&b)
		got := First(a, b)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: First = %q, want %q", tt.name, got, tt.want)
		}
	}
}
