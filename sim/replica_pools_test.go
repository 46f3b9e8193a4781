package sim

import (
	"slices"
	"strings"
	"testing"
)

// TestReplicaPools: the pool ReplicaPools reads from each replica's
// instance, as a stored run's rows give it, is the pool whose fleet the
// simulator built it in: the pools' first instances in order, then those
// an autoscaler added, told apart by the only autoscaled pool or by their
// type and TP degree.
func TestReplicaPools(t *testing.T) {
	for _, tt := range []struct {
		name       string
		edit       func(string) string
		addToPools []int // pools (by index) an autoscaler adds an instance to, in order
	}{
		{"fixed fleets", func(s string) string { return s }, nil},
		{"counts", func(s string) string {
			return strings.Replace(strings.Replace(s, "p5.48xlarge, replica: {tp: 8", "p5.48xlarge, count: 2, replica: {tp: 8", 1),
				"replica: {tp: 1", "count: 3, replica: {tp: 1", 1)
		}, nil},
		{"one pool autoscaled", func(s string) string {
			return strings.Replace(s, "replica: {tp: 1", "autoscale: {min: 1, max: 4}, replica: {tp: 1", 1)
		}, []int{1, 1}},
		{"both autoscaled, told by TP", func(s string) string {
			s = strings.Replace(s, "replica: {tp: 8", "autoscale: {min: 1, max: 4}, replica: {tp: 8", 1)
			return strings.Replace(s, "replica: {tp: 1", "autoscale: {min: 1, max: 4}, replica: {tp: 1", 1)
		}, []int{1, 0, 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.edit(mixScenario("routing: {rule: workload, workloads: {code: small}}"))
			w, err := New(Config{Scenario: scenario(t, src)})
			if err != nil {
				t.Fatal(err)
			}
			for _, i := range tt.addToPools {
				pl := w.pools[i]
				per, err := ReplicasPerInstance(pl.inst, pl.shard.TP, pl.spec.Replica.PerInstance)
				if err != nil {
					t.Fatal(err)
				}
				w.addInstance(pl, per)
			}
			var want []string
			for _, p := range w.replicas {
				want = append(want, p.inst.pool.name)
			}
			if got := ReplicaPools(w.sc, w.meta().Replicas); !slices.Equal(got, want) {
				t.Errorf("pools %v, want %v", got, want)
			}
		})
	}
}
