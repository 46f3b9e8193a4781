package runner

import (
	"bytes"
	"fmt"
	"reflect"
	"sync/atomic"
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

// TestSourceCheckSetsAgreeWithLoad: LoadSets, ResolveSets and Parse, with
// which a forecast derives every scenario of its base from the text
// decoded once, give what LoadSource and model.Parse give of the text with
// the sets applied (the scenario, its resolved YAML, its errors), and
// parse the text no more after NewSourceCheck, also where no set changes
// it (those loads parsed it again), unless they fail.
func TestSourceCheckSetsAgreeWithLoad(t *testing.T) {
	src, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	var parses atomic.Int64
	restore := model.SetParseHook(func(_ string, text []byte) {
		if bytes.Equal(text, src) {
			parses.Add(1)
		}
	})
	defer restore()
	c := NewSourceCheck("baseline", src, "")
	parses.Store(0)
	for _, sets := range [][]string{
		nil,
		{"fleet.count=3", "seed=7"},
		{"workloads[chat].arrivals.rate=2"},
		{"fleet.count=-3"}, // decodes, does not load
		{"fleet.count=[1"}, // does not decode
		{"fleet.nosuch=1"}, // no such path
		{"no-equals"},      // no set
	} {
		want, wantErr := LoadSource("baseline", src, "", sets)
		before := parses.Load()
		got, gotErr := c.LoadSets(sets)
		resolved, resolveErr := c.ResolveSets(sets)
		// A load that fails parses the text to place its errors in it
		// (model.Locate), which only a failure pays for.
		if n := parses.Load() - before; n > 0 && wantErr == nil {
			t.Errorf("%v: the text was parsed %d times more, want none", sets, n)
		}
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || fmt.Sprint(resolveErr) != fmt.Sprint(wantErr) {
			t.Errorf("%v: LoadSets fails with %v, ResolveSets with %v, LoadSource with %v", sets, gotErr, resolveErr, wantErr)
		} else if wantErr == nil {
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%v: LoadSets gives\n%+v\nLoadSource\n%+v", sets, got, want)
			}
			want.Resolved = nil
			if !reflect.DeepEqual(resolved, want) {
				t.Errorf("%v: ResolveSets gives\n%+v\nLoadSource\n%+v", sets, resolved, want)
			}
		}
		overrides, err := parseOverrides(sets)
		if err != nil {
			continue
		}
		before = parses.Load()
		sc, gotErr := c.Parse(overrides)
		if n := parses.Load() - before; n > 0 {
			t.Errorf("%v: Parse parsed the text %d times more, want none", sets, n)
		}
		var wantSc *model.Scenario
		merged, wantErr := model.ApplyOverridesIn(SourceLabel("baseline"), src, overrides)
		if wantErr == nil {
			wantSc, _, wantErr = model.Parse(SourceLabel("baseline"), merged)
		}
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(sc, wantSc) {
			t.Errorf("%v: Parse gives %+v, %v; model.Parse %+v, %v", sets, sc, gotErr, wantSc, wantErr)
		}
	}
}
