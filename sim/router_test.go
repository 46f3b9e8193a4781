package sim

import (
	"math/rand/v2"
	"testing"

	"aiecon/model"
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
		bound  loadBound
		sameTo bool // every request has the same key: the worst case for affinity
	}{
		{"8 replicas c=1.25", 8, loadBound{c: 1.25}, false},
		{"8 replicas c=1.25 one key", 8, loadBound{c: 1.25}, true},
		{"3 replicas c=1.1 one key", 3, loadBound{c: 1.1}, true},
		{"16 replicas c=2", 16, loadBound{c: 2}, false},
		{"24 replicas c=1.5 slack 2 one key", 24, loadBound{c: 1.5, slack: 2}, true},
		{"8 replicas c=1.25 slack 3", 8, loadBound{c: 1.25, slack: 3}, false},
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
				limit := c.bound.capacity(total-1, c.n)
				if p.waiting > limit {
					t.Fatalf("request %d: replica %d holds %d, bound %+v with %d on %d = %d", i, p.id, p.waiting, c.bound, total, c.n, limit)
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
	rt := newRouter("session-affinity", loadBound{c: 100}, rand.New(rand.NewPCG(1, 2))) // loose bound: affinity alone
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
	rt := newRouter("session-affinity", loadBound{c: 1.25}, rand.New(rand.NewPCG(1, 2)))
	ps := pool(&rt, 4)
	for i, w := range []int{5, 2, 7, 3} {
		addLoad(ps[i], w)
	}
	if p := rt.pick(ps, routeKey{}); p != ps[1] {
		t.Fatalf("picked replica %d (load %d), want replica 1 (load 2)", p.id, p.waiting)
	}
}

// TestLoadBoundCapacity: the capacity is Mirrokni et al.'s ceil(c x average)
// at high load and the average plus the slack at low load, the larger of
// the two; a slack of 0 is the bound alone.
func TestLoadBoundCapacity(t *testing.T) {
	cases := []struct {
		name     string
		b        loadBound
		total, n int
		want     int
	}{
		// 25 outstanding on 24 replicas (ads-latency on 12 instances): c
		// alone lets a session's replica hold 2, so a third call moves away.
		{"light load, bound alone", loadBound{c: 1.5}, 25, 24, 2},
		{"light load, slack 2", loadBound{c: 1.5, slack: 2}, 25, 24, 4},
		{"empty fleet, slack 2", loadBound{c: 1.5, slack: 2}, 0, 8, 3},
		// average 4: both give 6.
		{"crossover", loadBound{c: 1.5, slack: 2}, 31, 8, 6},
		// average 25: c x 25 = 37.5 beats 25 + 2.
		{"high load, bound rules", loadBound{c: 1.5, slack: 2}, 199, 8, 38},
		{"high load, bound alone", loadBound{c: 1.5}, 199, 8, 38},
		{"large slack rules", loadBound{c: 1.5, slack: 50}, 199, 8, 75},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.b.capacity(c.total, c.n); got != c.want {
				t.Fatalf("capacity(%d, %d) with %+v = %d, want %d", c.total, c.n, c.b, got, c.want)
			}
		})
	}
}

// TestSlackKeepsSessionOnItsReplica: on a lightly loaded fleet (more
// replicas than requests) a session's replica holding two requests keeps
// the session's next call with a slack of 2; with the bound alone the call
// leaves the replica that caches its context.
func TestSlackKeepsSessionOnItsReplica(t *testing.T) {
	for _, c := range []struct {
		slack    int
		wantHome bool
	}{{0, false}, {2, true}} {
		rt := newRouter("session-affinity", loadBound{c: 1.5, slack: c.slack}, rand.New(rand.NewPCG(1, 2)))
		ps := pool(&rt, 24)
		key := keyed(42)
		home := rt.pick(ps, key)
		addLoad(home, 2)
		for i := 1; i < 24; i++ { // one on every other replica: 25 in all
			addLoad(ps[(int(home.id)+i)%24], 1)
		}
		if got := rt.pick(ps, key); (got == home) != c.wantHome {
			t.Errorf("slack %d: the session's call went to replica %d, its replica is %d; want it kept: %v", c.slack, got.id, home.id, c.wantHome)
		}
	}
}

// TestMoreInstancesDoNotSlowFirstTokens: at fixed load, adding instances
// does not raise TTFT p99 materially (5%) nor lower the prefix-cache hit
// rate (half a point), seed by seed, on ads-latency. With the bound alone
// (router_load_slack 0) 6 instances had a 13-31% higher TTFT p99 than 3:
// with ~25 requests on 24 replicas the bound was 2, and sessions spilled
// off the replicas caching their context.
func TestMoreInstancesDoNotSlowFirstTokens(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		var prevTTFT, prevHit float64
		for i, n := range []int{3, 6, 12} {
			sc := builtinScenario(t, "ads-latency", model.Hour, n)
			sc.Seed = seed
			res, _ := run(t, sc)
			ttft, hit := kpi(t, res, "ttft_p99_s", ""), kpi(t, res, "prefix_cache_hit_rate", "")
			t.Logf("seed %d, %d instances: TTFT p99 %.0f ms, hit rate %.3f", seed, n, 1e3*ttft, hit)
			if i > 0 && (ttft > 1.05*prevTTFT || hit < prevHit-0.005) {
				t.Errorf("seed %d, %d instances: TTFT p99 %.0f ms, hit rate %.3f; fewer instances had %.0f ms, %.3f",
					seed, n, 1e3*ttft, hit, 1e3*prevTTFT, prevHit)
			}
			prevTTFT, prevHit = ttft, hit
		}
	}
}
