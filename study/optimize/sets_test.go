package optimize

import (
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/study"
)

// TestUserSetsAndTheStaticFleet: the search removes the main fleet's
// autoscaler after the user's sets, so a --set of one of its fields is
// refused, naming it (it was dropped without a word); its removal by the
// user, and a pool's autoscaler, pass. A --set of fleet.count, which the
// search sets on every evaluation, is refused as well (it ran unchanged). A path set twice is set once, the
// later value, as run applies them (the sweep froze both and failed on
// its own file: "mapping key "ads.ctr" already defined").
func TestUserSetsAndTheStaticFleet(t *testing.T) {
	src, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	scaled := []byte(strings.Replace(string(src), "\n  count: 4\n", "\n  count: 4\n  autoscale: {max: 8}\n", 1))
	if err := RefuseIneffectiveSets([]string{"pools[small].fleet.autoscale.max=4"}); err != nil {
		t.Errorf("a pool's autoscaler, which the search keeps: %v", err)
	}
	for _, tt := range []struct {
		name string
		src  []byte
		sets []string
		err  string
		want map[string]string // each path the sweep sets once, to this value
	}{
		{name: "a field of the autoscaler", src: src, sets: []string{"fleet.autoscale.max=8"},
			err: "--set fleet.autoscale.max=8: optimize sizes a static fleet, removing the scenario's autoscaler (fleet.autoscale)"},
		{name: "a field of the scenario's autoscaler", src: scaled, sets: []string{"ads.ctr=0.02", "fleet.autoscale.min=2"},
			err: "--set fleet.autoscale.min=2: optimize sizes a static fleet"},
		{name: "the instance count", src: src, sets: []string{"ads.ctr=0.02", "fleet.count=3"},
			err: "--set fleet.count=3: optimize searches the instance count itself (up to --max-count)"},
		{name: "the instance count, spaced", src: src, sets: []string{"fleet.count = 3"}, err: "optimize searches the instance count itself"},
		{name: "the scenario's autoscaler, removed", src: scaled, want: map[string]string{"fleet.autoscale": "null"}},
		{name: "the user removes it", src: scaled, sets: []string{"fleet.autoscale=null"}, want: map[string]string{"fleet.autoscale": "null"}},
		{name: "a path set twice", src: src, sets: []string{"ads.ctr=0.01", "fleet.replica.queue_timeout=5s", "ads.ctr=0.02"},
			want: map[string]string{"ads.ctr": "0.02", "fleet.replica.queue_timeout": "5s"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o, err := newOptimizer(Options{Base: study.Base{Ref: "s.yaml", Name: "s.yaml", Source: tt.src}, Store: openStore(t),
				Sets: tt.sets, Horizon: model.Minute, Instances: []string{"trn2.48xlarge"}, TP: []int{32}, MaxNumSeqs: []int{16}})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for path, want := range tt.want {
				var got []string
				for _, s := range o.spec.Set {
					if s.Path == path {
						got = append(got, s.Value)
					}
				}
				if len(got) != 1 || got[0] != want {
					t.Errorf("the sweep sets %s to %v, want once to %s", path, got, want)
				}
			}
			frozen, err := o.spec.Freeze(o.spec.Seed)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := study.PlanFromFrozen(o.spec.Name, frozen); err != nil {
				t.Fatalf("the sweep does not plan: %v", err)
			}
			if err := o.candidates(); err != nil {
				t.Fatal(err)
			}
			l, err := o.load(o.res.Candidates[0], 2, 0)
			if err != nil {
				t.Fatal(err)
			}
			if l.Scenario.Fleet.Autoscale != nil {
				t.Errorf("an evaluation autoscales: %+v", *l.Scenario.Fleet.Autoscale)
			}
		})
	}
}
