package sim

import (
	"math"
	"math/bits"
	"slices"
)

// Session affinity by consistent hashing with bounded loads (Mirrokni,
// Thorup and Zadimoghaddam, "Consistent Hashing with Bounded Loads", SODA
// 2018, arXiv:1608.01350): replicas sit at ringVnodes pseudo-random points
// each on a hash ring; a request goes to the first replica clockwise from
// its key's hash whose load, with it, stays within c x the average, c being
// router_load_bound, or within the average plus router_load_slack requests
// (loadBound, router.go). A session's calls thus land on the replica that
// holds its context in its prefix cache while that replica is not
// overloaded, and move on to the next one on the ring (the same for every
// call of the session) when it is. No replica ever holds more than the
// larger of ceil(c x average) and ceil(average) + slack: some replica is
// always at or below the average.

// ringVnodes is how many points each replica has on the ring: enough that
// the keys split evenly among replicas (the spread of a replica's share
// falls as 1/sqrt(points)).
const ringVnodes = 64

type ringPoint struct {
	hash uint64
	p    *replica
}

// affinityRing is the ring of the pool's serving replicas, rebuilt when
// they change (autoscaling, interruptions, lending): when the version of
// the router's load index differs from the one it was built at.
type affinityRing struct {
	bound   loadBound
	points  []ringPoint
	version uint64
}

// build lays the points of ps's replicas on the ring in (hash, id) order.
// The hashes are uniform, so it counts them in buckets of about 16 by their
// top bits, places each point in its bucket and sorts the buckets: O(points)
// where sorting the ring whole took 10 s at 960,000 replicas (61 million
// points). Sorted is sorted: the ring is the same either way.
func (a *affinityRing) build(ps []*replica) {
	n := len(ps) * ringVnodes
	shift := 64 - max(bits.Len(uint(n/16)), 1)
	end := make([]int, 1<<(64-shift)) // bucket b ends at end[b] once placed
	for _, p := range ps {
		for v := 0; v < ringVnodes; v++ {
			end[vnodeHash(p, v)>>shift]++
		}
	}
	start := 0
	for b, c := range end {
		end[b], start = start, start+c // the bucket's start, until placed
	}
	a.points = slices.Grow(a.points[:0], n)[:n]
	for _, p := range ps {
		for v := 0; v < ringVnodes; v++ {
			h := vnodeHash(p, v)
			b := h >> shift
			a.points[end[b]] = ringPoint{h, p}
			end[b]++
		}
	}
	start = 0
	for _, e := range end {
		slices.SortFunc(a.points[start:e], ringOrder)
		start = e
	}
}

// vnodeHash is the place on the ring of replica p's point v.
func vnodeHash(p *replica, v int) uint64 { return splitmixHash(uint64(p.id)<<8 | uint64(v)) }

// ringOrder orders points by hash, then replica id (the hashes of distinct
// points differ, splitmixHash being a bijection, so the id never decides).
func ringOrder(x, y ringPoint) int {
	if x.hash != y.hash {
		if x.hash < y.hash {
			return -1
		}
		return 1
	}
	return int(x.p.id - y.p.id)
}

// pick places a request with key hash among ps (two or more replicas),
// the serving replicas of the load index x, which has their total load.
func (a *affinityRing) pick(ps []*replica, x *loadIndex, hash uint64) *replica {
	if a.version != x.version {
		a.build(ps)
		a.version = x.version
	}
	capacity := a.bound.capacity(x.total, len(ps))
	i, _ := slices.BinarySearchFunc(a.points, hash, func(pt ringPoint, h uint64) int {
		if pt.hash < h {
			return -1
		}
		if pt.hash > h {
			return 1
		}
		return 0
	})
	for k := range a.points {
		p := a.points[(i+k)%len(a.points)].p
		if p.outstanding()+1 <= capacity {
			return p
		}
	}
	return ps[0] // unreachable: the least-loaded replica is below capacity
}

// routeKeyOf keys an agent call by its workload and session, so all calls
// of a session (and sessions of one workload share a system prompt on every
// replica they visit) go the same way; other requests have no key.
func routeKeyOf(r *request) routeKey {
	if r.sess == nil {
		return routeKey{}
	}
	return routeKey{hash: splitmixHash(uint64(r.wl)<<48 ^ uint64(r.sess.id)), keyed: true}
}

// prefixHit adds a replica's prefix-cache hit to the request's session.
func (w *World) prefixHit(r *request, tokens int) {
	if r.sess != nil {
		r.sess.cachedTok += int64(tokens)
	}
}

// fixedCached is an agent call's prefix-cache hit when the workload sets
// prefix_cache_hit (that share of what earlier calls processed, whatever
// replica serves it); 0 otherwise, as the replica's cache then decides.
func (am *agentModel) fixedCached(seen int64) int {
	if h := am.spec.PrefixCacheHit; h != nil {
		return int(math.Floor(*h * float64(seen)))
	}
	return 0
}

// prefixRef tells the replicas' caches what an agent call r's prompt
// starts with: the workload's system prompt, then the session's
// conversation. A prompt cut to max_model_len lost its oldest tokens, so it
// starts like nothing cached (and the next cut starts elsewhere again).
func (am *agentModel) prefixRef(s *session, r *request) prefixRef {
	if am.spec.PrefixCacheHit != nil || int64(r.prompt) < s.context {
		return prefixRef{}
	}
	return prefixRef{shared: sharedPrefixKey(am.wl.idx), own: sessionPrefixKey(s.id),
		sharedTokens: int32(am.spec.SystemPromptTokens)}
}

// aloneCached is the hit of a call run alone on a replica of pool pl (the
// counterfactual): with no contention nothing is evicted and it finds every
// full block of the onPool tokens that earlier calls left on its replica;
// with a fixed prefix_cache_hit, that share of the seen tokens earlier
// calls processed, wherever they ran.
func (am *agentModel) aloneCached(pl *fleetPool, seen, onPool int64) int {
	if am.spec.PrefixCacheHit != nil {
		return am.fixedCached(seen)
	}
	if !pl.env.prefixCaching {
		return 0
	}
	bt := int64(pl.env.blockTokens)
	return int(onPool / bt * bt)
}
