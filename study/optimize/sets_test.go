package optimize

import (
	"slices"
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

// TestReplacedSets: a set of a field the search replaces on every
// candidate is taken (the scenario must load) and noted, where it was
// dropped without a word: a TP degree other than null without listed
// degrees, a per_instance other than null, a max_num_seqs beside listed limits. Of a
// path set twice the later is noted; a pool's fields, which the search
// keeps, are not.
func TestReplacedSets(t *testing.T) {
	for _, tt := range []struct {
		name      string
		sets      []string
		tp, seqs  []int
		want, not []string
	}{
		{name: "a TP degree", sets: []string{"ads.ctr=0.02", "fleet.replica.tp=24"},
			want: []string{"--set fleet.replica.tp=24 changes the scenario the search starts from (which must load), but each candidate sets its own TP degree, every one its instance supports; --tp 24 searches that degree alone"}},
		{name: "a TP degree reset", sets: []string{"fleet.replica.tp = null"}, not: []string{"fleet.replica.tp"}},
		{name: "a TP degree, then reset", sets: []string{"fleet.replica.tp=8", "fleet.replica.tp=~"}, not: []string{"fleet.replica.tp"}},
		{name: "a TP degree set twice", sets: []string{"fleet.replica.tp=8", "fleet.replica.tp=16"},
			want: []string{"--set fleet.replica.tp=16 changes"}, not: []string{"fleet.replica.tp=8"}},
		{name: "a TP degree beside --tp", sets: []string{"fleet.replica.tp=8"}, tp: []int{8}, not: []string{"fleet.replica.tp"}},
		{name: "replicas per instance", sets: []string{"fleet.replica.per_instance=1"}, tp: []int{32},
			want: []string{"--set fleet.replica.per_instance=1 changes the scenario the search starts from (which must load), but each candidate fills its instances"}},
		{name: "replicas per instance reset", sets: []string{"fleet.replica.per_instance=~"}, not: []string{"per_instance"}},
		{name: "a batch limit alone seeds them", sets: []string{"fleet.replica.max_num_seqs=64"}, not: []string{"max_num_seqs"}},
		{name: "a batch limit beside --max-num-seqs", sets: []string{"fleet.replica.max_num_seqs=64"}, seqs: []int{16, 8},
			want: []string{"--set fleet.replica.max_num_seqs=64 changes the scenario the search starts from (which must load), but the candidates run the batch limits --max-num-seqs lists (16, 8)"}},
		{name: "a pool's", sets: []string{"pools[small].fleet.replica.tp=8", "pools[small].fleet.replica.per_instance=2"}, not: []string{"pools"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(ReplacedSets(tt.sets, tt.tp, tt.seqs), "\n")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("notes %q, want one with %q", got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("notes %q, want none with %q", got, n)
				}
			}
		})
	}
}

// TestReplacedSetsDoNotShapeTheCandidates: what ReplacedSets notes holds.
// With --set fleet.replica.tp=64 and per_instance=1, and no degrees
// listed, the candidates are every degree trn2.48xlarge holds the model
// at, and each runs as many replicas as fit; a batch limit set beside
// listed limits runs none of its own.
func TestReplacedSetsDoNotShapeTheCandidates(t *testing.T) {
	src, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	sets := []string{"fleet.replica.tp=64", "fleet.replica.per_instance=1", "fleet.replica.max_num_seqs=64"}
	o, err := newOptimizer(Options{Base: study.Base{Ref: "baseline", Name: "baseline", Source: src}, Store: openStore(t),
		Sets: sets, Horizon: model.Minute, Instances: []string{"trn2.48xlarge"}, MaxNumSeqs: []int{16}})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.candidates(); err != nil {
		t.Fatal(err)
	}
	var tps []int
	for _, c := range o.res.Candidates {
		if c.Pruned != "" {
			continue
		}
		tps = append(tps, c.TP)
		l, err := o.load(c, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		r := l.Scenario.Fleet.Replica
		if r.TP != c.TP || r.PerInstance != 64/c.TP || r.MaxNumSeqs != 16 {
			t.Errorf("%s runs tp %d, %d per instance, max_num_seqs %d", c.Layout, r.TP, r.PerInstance, r.MaxNumSeqs)
		}
	}
	if !slices.Equal(tps, []int{8, 16, 32, 64}) {
		t.Errorf("degrees searched %v, want every one that holds the model (8, 16, 32, 64)", tps)
	}
	if n := ReplacedSets(sets, nil, []int{16}); len(n) != 3 {
		t.Errorf("%d notes, want one per set: %q", len(n), n)
	}
}
