package sim

import (
	"math"
	"math/rand/v2"
)

// router picks a replica for each new request among a pool of serving
// replicas. It is a per-pool component: it sees only the slice it is given,
// so a router in front of several pools can hand each its own slice.
type router struct {
	policy string
	next   int
	rng    *rand.Rand
	ring   affinityRing // session-affinity (affinity.go)
}

func newRouter(policy string, loadBound float64, rng *rand.Rand) router {
	return router{policy: policy, rng: rng, ring: affinityRing{bound: loadBound}}
}

// routeKey is what affinity routing hashes: keyed is false for a request
// with nothing to be affine to (an api or batch request), which goes to the
// least-loaded replica.
type routeKey struct {
	hash  uint64
	keyed bool
}

// pick returns nil when no replica serves.
func (rt *router) pick(ps []*replica, key routeKey) *replica {
	n := len(ps)
	switch {
	case n == 0:
		return nil
	case n == 1:
		return ps[0]
	}
	switch rt.policy {
	case "round-robin":
		rt.next = (rt.next + 1) % n
		return ps[rt.next]
	case "power-of-two":
		// Two distinct replicas at random; the one with fewer outstanding
		// requests wins (ties: the first drawn).
		i := rt.rng.IntN(n)
		j := rt.rng.IntN(n - 1)
		if j >= i {
			j++
		}
		if ps[j].outstanding() < ps[i].outstanding() {
			return ps[j]
		}
		return ps[i]
	case "session-affinity":
		if key.keyed {
			return rt.ring.pick(ps, key.hash)
		}
	}
	return rt.leastOutstanding(ps)
}

// leastOutstanding is the least-loaded replica, the load being its waiting
// and running requests; the scan starts one replica further each time so
// ties rotate instead of piling onto the first replica.
func (rt *router) leastOutstanding(ps []*replica) *replica {
	n := len(ps)
	start := rt.next % n
	rt.next++
	best := ps[start]
	for k := 1; k < n; k++ {
		if p := ps[(start+k)%n]; p.outstanding() < best.outstanding() {
			best = p
		}
	}
	return best
}

// boundedCapacity is the most requests a replica may hold after taking a
// new one under bounded loads: ceil(c x (total+1) / n), the +1 being the
// request being placed.
func boundedCapacity(bound float64, total, n int) int {
	return int(math.Ceil(bound * float64(total+1) / float64(n)))
}
