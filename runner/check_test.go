package runner

import (
	"fmt"
	"testing"

	"aiecon/model"
)

// TestSourceCheckAgreesWithLoad: SourceCheck, which decodes the base once
// for a sweep's points, refuses what LoadSource refuses, with the same
// message, and accepts what it loads.
func TestSourceCheckAgreesWithLoad(t *testing.T) {
	src, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	broken := []byte("name: x\nfleet: [\n")
	tests := []struct {
		src  []byte
		sets []string
	}{
		{src, nil},
		{src, []string{"fleet.count=3", "seed=7"}},
		{src, []string{"fleet.count=-3"}},
		{src, []string{"workloads[chat].arrivals.rate=2"}},
		{src, []string{"fleet.nosuch=1"}},
		{src, []string{"fleet.count=[1"}},
		{src, []string{"no-equals"}},
		{src, []string{"workloads[chat].name=shopping-assistant"}},
		{src, []string{"seed=9"}}, // the base is left as it was between checks: fleet.count=-3 is gone
		{broken, nil},
		{broken, []string{"fleet.count=2"}},
	}
	check := map[string]*SourceCheck{}
	for _, tt := range tests {
		c := check[string(tt.src)]
		if c == nil {
			c = NewSourceCheck("baseline", tt.src, "")
			check[string(tt.src)] = c
		}
		_, want := LoadSource("baseline", tt.src, "", tt.sets)
		got := c.Check(tt.sets)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q with %v: Check says %v, LoadSource %v", tt.src[:8], tt.sets, got, want)
		}
		if _, ok := got.(*InputError); want != nil && !ok {
			t.Errorf("%v: %T, want an input error", tt.sets, got)
		}
	}
}
