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
		// The optimizer resets a candidate's scheduler settings off its
		// family: they printed as trn2.48xlarge tp8 "" seqs64
		// fleet.replica.context_buckets=[] fleet.replica.sequence_buckets=[] x256.
		{Point{Params: []Param{{"fleet.instance", v("trn2.48xlarge")}, {"fleet.replica.tp", v("8")}, {"fleet.replica.per_instance", v("null")},
			{"fleet.replica.scheduler", v(`""`)}, {"fleet.replica.max_num_seqs", v("64")}, {"fleet.replica.context_buckets", v("[]")},
			{"fleet.replica.sequence_buckets", v("[]")}, {"fleet.replica.kv_block_tokens", v("null")}, {"fleet.count", v("256")}}}, 1,
			"opt: trn2.48xlarge tp8 seqs64 x256"},
		{Point{Params: []Param{{"fleet.replica.scheduler", v("vllm")}, {"fleet.replica.context_buckets", v("[1024, 2048]")}}}, 1,
			"opt: vllm fleet.replica.context_buckets=[1024, 2048]"},
	}
	for _, tt := range tests {
		p := &Plan{Spec: &Spec{Name: "opt", Replications: tt.reps}}
		if got := p.RunName(tt.pt, 1); got != tt.want {
			t.Errorf("RunName = %q, want %q", got, tt.want)
		}
	}
}
