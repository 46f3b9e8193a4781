package study

import "testing"

// TestRunNamesSayWhatVaries: optimizer and sweep runs are named by their
// parameters, fleet fields the way a reader says them.
func TestRunNamesSayWhatVaries(t *testing.T) {
	v := func(s string) Value { return Value{YAML: s} }
	tests := []struct {
		pt   Point
		reps int
		want string
	}{
		{Point{Params: []Param{{"fleet.instance", v("trn2.48xlarge")}, {"fleet.replica.tp", v("32")}, {"fleet.replica.per_instance", v("0")},
			{"fleet.replica.max_batched_tokens", v("null")}, {"fleet.count", v("3")}}}, 1, "opt: trn2.48xlarge tp32 x3"},
		{Point{Params: []Param{{"fleet.count", v("2")}, {"workloads[chat].arrivals.rate", v("4/s")}}}, 2, "opt: x2 workloads[chat].arrivals.rate=4/s r1"},
		{Point{Index: 7}, 1, "opt: p7"},
	}
	for _, tt := range tests {
		p := &Plan{Spec: &Spec{Name: "opt", Replications: tt.reps}}
		if got := p.RunName(tt.pt, 1); got != tt.want {
			t.Errorf("RunName = %q, want %q", got, tt.want)
		}
	}
}
