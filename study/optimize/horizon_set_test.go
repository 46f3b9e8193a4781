package optimize

import (
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/study"
)

// TestSetHorizonIsTheEvaluationHorizon: --set horizon=20m is each
// evaluation's horizon, as --horizon 20m is. It was left among the sets
// beside the horizon the optimizer sets, and the sweep it froze failed
// with `optimize-baseline:71:3: mapping key "horizon" already defined`;
// given with --horizon, or not a duration, it is refused naming --set.
func TestSetHorizonIsTheEvaluationHorizon(t *testing.T) {
	src, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		sets    []string
		horizon model.Duration // Options.Horizon (--horizon)
		want    model.Duration // the evaluations' horizon
		err     string
	}{
		{name: "set alone, past the 10m default", sets: []string{"horizon=20m"}, want: 20 * model.Minute},
		{name: "set among others", sets: []string{"ads.ctr=0.02", "horizon = 5m"}, want: 5 * model.Minute},
		{name: "no set: the scenario's, at most 10m", sets: []string{"ads.ctr=0.02"}, want: DefaultEvalHorizon},
		{name: "set and --horizon", sets: []string{"horizon=20m"}, horizon: 5 * model.Minute, err: "--set horizon=20m and the evaluation horizon 5m (--horizon) both set the horizon"},
		{name: "not a duration", sets: []string{"horizon=soon"}, err: "--set horizon=soon: want a duration from 1s to"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o, err := newOptimizer(Options{Base: study.Base{Ref: "baseline", Name: "baseline", Source: src}, Store: openStore(t),
				Sets: tt.sets, Horizon: tt.horizon, Instances: []string{"trn2.48xlarge"}, TP: []int{32}, MaxNumSeqs: []int{16}})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.res.Horizon != tt.want {
				t.Errorf("evaluation horizon %v, want %v", o.res.Horizon, tt.want)
			}
			// The sweep the evaluations are stored as sets the horizon once
			// and freezes into a plan (it failed to).
			n := 0
			for _, s := range o.spec.Set {
				if s.Path == "horizon" {
					n++
				}
			}
			if n != 1 {
				t.Errorf("the sweep sets horizon %d times: %v", n, o.spec.Set)
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
			if l.Scenario.Horizon != tt.want {
				t.Errorf("an evaluation runs %v, want %v", l.Scenario.Horizon, tt.want)
			}
		})
	}
}
