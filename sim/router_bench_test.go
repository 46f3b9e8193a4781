package sim

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkRoute routes requests among n serving replicas whose loads
// change between picks (each pick adds a request, a random replica loses
// one), unkeyed for least-outstanding, half of them keyed (agent sessions)
// for session-affinity. 200,000 replicas is fleet.count=100000 of
// trn2.48xlarge at tp 32, the documented maximum count; a pick there used to
// scan every replica.
//
//	go test ./sim -run '^$' -bench Route -benchtime 20000x
func BenchmarkRoute(b *testing.B) {
	for _, policy := range []string{"least-outstanding", "session-affinity"} {
		for _, n := range []int{16, 1000, 200_000} {
			b.Run(fmt.Sprintf("%s/%d", policy, n), func(b *testing.B) {
				rt := newRouter(policy, loadBound{c: 1.25}, rand.New(rand.NewPCG(1, 2)))
				ps := pool(&rt, n)
				rng := rand.New(rand.NewPCG(3, 4))
				for _, p := range ps {
					addLoad(p, rng.IntN(4))
				}
				rt.pick(ps, keyed(0)) // builds the affinity ring
				for i := 0; b.Loop(); i++ {
					key := routeKey{}
					if policy == "session-affinity" && i%2 == 0 {
						key = keyed(rng.Uint64N(10_000))
					}
					addLoad(rt.pick(ps, key), 1)
					if q := ps[rng.IntN(n)]; q.waiting > 0 {
						addLoad(q, -1)
					}
				}
			})
		}
	}
}
