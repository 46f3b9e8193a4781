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
	// loads is the serving replicas' load, for the policies that need the
	// least-loaded replica or the total (nil for the others): the pool
	// tells the router which replicas join and leave (fleetPool.serve).
	loads *loadIndex
}

func newRouter(policy string, loadBound loadBound, rng *rand.Rand) router {
	rt := router{policy: policy, rng: rng, ring: affinityRing{bound: loadBound}}
	if policy != "round-robin" && policy != "power-of-two" {
		rt.loads = &loadIndex{}
	}
	return rt
}

// join and leave tell the router that p starts or stops serving: the slice
// pick is given must be the serving replicas joined, in the order they
// joined, less those that left.
func (rt *router) join(p *replica) {
	if rt.loads != nil {
		rt.loads.join(p)
	}
}

func (rt *router) leave(p *replica) {
	if rt.loads != nil {
		rt.loads.leave(p)
	}
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
			return rt.ring.pick(ps, rt.loads, key.hash)
		}
	}
	return rt.leastOutstanding(ps)
}

// leastOutstanding is the least-loaded replica, the load being its waiting
// and running requests; ties go to the first in ps from a start one replica
// further each time (then from ps[0]), so they rotate instead of piling
// onto the first replica. The load index finds it in O(log n).
func (rt *router) leastOutstanding(ps []*replica) *replica {
	start := rt.next % len(ps)
	rt.next++
	return rt.loads.least(ps[start])
}

// loadBound is when session affinity gives way to balance: a replica is
// overloaded only when its load, with the call, exceeds both c times the
// average (router_load_bound, Mirrokni et al.'s bound) and the average by
// more than slack requests (router_load_slack). The absolute slack keeps a
// lightly loaded fleet's sessions on their replicas: with more replicas
// than requests the average is near 1 and c x it alone sent a session away
// from its cached context for a second request on its replica, which costs
// a prefill of its whole context to spare a wait that continuous batching
// hardly has. SGLang's cache-aware router balances on the same two tests,
// absolute and relative (its balance_abs_threshold and
// balance_rel_threshold). At high load c x the average is the larger, so
// the bound is Mirrokni et al.'s.
type loadBound struct {
	c     float64
	slack int
}

// capacity is the most requests a replica may hold after taking a new one
// when total are outstanding on n replicas: max(ceil(c x a), ceil(a) +
// slack), a = (total+1)/n being the average with the request being placed.
// Some replica is always at or below the average, so some replica always
// has room.
func (b loadBound) capacity(total, n int) int {
	avg := float64(total+1) / float64(n)
	return max(int(math.Ceil(b.c*avg)), int(math.Ceil(avg))+b.slack)
}
