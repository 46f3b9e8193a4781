package sim

import "math/rand/v2"

// router picks a replica for each new request among the serving ones.
type router struct {
	policy string
	next   int
	rng    *rand.Rand
}

func newRouter(policy string, rng *rand.Rand) router { return router{policy: policy, rng: rng} }

// pick returns nil when no replica serves.
func (rt *router) pick(ps []*replica) *replica {
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
	default:
		// least-outstanding; the scan starts one replica further each time so
		// ties rotate instead of piling onto the first replica.
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
}
