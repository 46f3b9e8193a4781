package runner

import (
	"fmt"
	"reflect"
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

// TestSourceCheckResolveAgreesWithLoad: Resolve, which the sweep's
// overload check uses for every point, gives the scenario, notes and
// overrides LoadOverrides gives (only Resolved, its YAML, left out), and
// its errors, for the same text and overrides.
func TestSourceCheckResolveAgreesWithLoad(t *testing.T) {
	src, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	c := NewSourceCheck("baseline", src, "")
	for _, sets := range [][]string{
		nil,
		{"fleet.count=3", "seed=7"},
		{"fleet.replica.max_num_seqs=32", "fleet.count=2"},
		{"workloads[chat].arrivals.rate=2"},
		{"fleet.count=-3"},
		{"fleet.nosuch=1"},
	} {
		overrides, err := parseOverrides(sets)
		if err != nil {
			t.Fatal(err)
		}
		want, wantErr := LoadOverrides("baseline", src, "", overrides)
		got, gotErr := c.Resolve(overrides)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Errorf("%v: Resolve fails with %v, LoadOverrides with %v", sets, gotErr, wantErr)
			continue
		}
		if wantErr != nil {
			continue
		}
		if got.Resolved != nil {
			t.Errorf("%v: Resolve wrote the resolved YAML", sets)
		}
		want.Resolved = nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%v: Resolve gives\n%+v\nLoadOverrides\n%+v", sets, got, want)
		}
	}
}
