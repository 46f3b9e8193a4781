package sim

import (
	"math/rand/v2"
	"testing"
)

// pool is n replicas holding no requests, serving behind rt, for router
// tests.
func pool(rt *router, n int) []*replica {
	ps := make([]*replica, n)
	for i := range ps {
		ps[i] = &replica{id: int32(i)}
		rt.join(ps[i])
	}
	return ps
}

// addLoad gives p d more waiting requests, as enqueue and unqueue do.
func addLoad(p *replica, d int) {
	p.waiting += d
	p.loadChanged()
}

func keyed(i uint64) routeKey { return routeKey{hash: splitmixHash(i), keyed: true} }

// TestBoundedLoadCap: whatever the keys (all sessions hashing to one spot
// included), no replica holds more than ceil(c x average) requests once a
// request is placed (Mirrokni et al. 2018, arXiv:1608.01350), and with
// departures the replica placed on is still within the bound.
func TestBoundedLoadCap(t *testing.T) {
	cases := []struct {
		name   string
		n      int
		bound  float64
		sameTo bool // every request has the same key: the worst case for affinity
	}{
		{"8 replicas c=1.25", 8, 1.25, false},
		{"8 replicas c=1.25 one key", 8, 1.25, true},
		{"3 replicas c=1.1 one key", 3, 1.1, true},
		{"16 replicas c=2", 16, 2, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rt := newRouter("session-affinity", c.bound, rand.New(rand.NewPCG(1, 2)))
			ps := pool(&rt, c.n)
			rng := rand.New(rand.NewPCG(3, 4))
			total := 0
			for i := 0; i < 5000; i++ {
				k := keyed(uint64(rng.IntN(200)))
				if c.sameTo {
					k = keyed(7)
				}
				p := rt.pick(ps, k)
				addLoad(p, 1)
				total++
				limit := boundedCapacity(c.bound, total-1, c.n)
				if p.waiting > limit {
					t.Fatalf("request %d: replica %d holds %d, bound ceil(%g x %d / %d) = %d", i, p.id, p.waiting, c.bound, total, c.n, limit)
				}
				if i < 2500 { // arrivals only: the bound holds for every replica
					for _, q := range ps {
						if q.waiting > limit {
							t.Fatalf("request %d: replica %d holds %d > %d", i, q.id, q.waiting, limit)
						}
					}
				} else if q := ps[rng.IntN(c.n)]; q.waiting > 0 { // then departures too
					addLoad(q, -1)
					total--
				}
			}
		})
	}
}

// TestAffinityIsConsistent: a key goes to the same replica every time while
// loads allow, keys spread over every replica, and removing a replica moves
// only the keys it held.
func TestAffinityIsConsistent(t *testing.T) {
	rt := newRouter("session-affinity", 100, rand.New(rand.NewPCG(1, 2))) // loose bound: affinity alone
	ps := pool(&rt, 6)
	before := map[uint64]*replica{}
	used := map[*replica]int{}
	for k := uint64(0); k < 3000; k++ {
		p := rt.pick(ps, keyed(k))
		if again := rt.pick(ps, keyed(k)); again != p {
			t.Fatalf("key %d: replica %d then %d", k, p.id, again.id)
		}
		before[k] = p
		used[p]++
	}
	for _, p := range ps {
		if used[p] < 3000/6/2 {
			t.Errorf("replica %d got %d of 3000 keys; want about 500", p.id, used[p])
		}
	}
	gone := ps[2]
	rest := append(append([]*replica{}, ps[:2]...), ps[3:]...)
	rt.leave(gone)
	moved := 0
	for k, p := range before {
		q := rt.pick(rest, keyed(k))
		switch {
		case p != gone && q != p:
			t.Fatalf("key %d moved from replica %d to %d though its replica stayed", k, p.id, q.id)
		case p == gone:
			moved++
		}
	}
	if moved != used[gone] {
		t.Fatalf("%d keys moved, replica 2 held %d", moved, used[gone])
	}
}

// TestUnkeyedRequestsGoLeastLoaded: under session-affinity, a request with
// no session goes to the least-loaded replica.
func TestUnkeyedRequestsGoLeastLoaded(t *testing.T) {
	rt := newRouter("session-affinity", 1.25, rand.New(rand.NewPCG(1, 2)))
	ps := pool(&rt, 4)
	for i, w := range []int{5, 2, 7, 3} {
		addLoad(ps[i], w)
	}
	if p := rt.pick(ps, routeKey{}); p != ps[1] {
		t.Fatalf("picked replica %d (load %d), want replica 1 (load 2)", p.id, p.waiting)
	}
}
