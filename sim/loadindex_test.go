package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// scanLeast is least-outstanding as a plain scan of ps from start, keeping
// only strictly smaller loads: the reference the load index must match.
func scanLeast(ps []*replica, start int) *replica {
	n := len(ps)
	best := ps[start]
	for k := 1; k < n; k++ {
		if p := ps[(start+k)%n]; p.outstanding() < best.outstanding() {
			best = p
		}
	}
	return best
}

// scanRing is the affinity ring as it was before the load index: rebuilt
// whenever the slice it is given differs from the last, its total load
// summed at every pick. It is the reference for the ring kept by version.
type scanRing struct {
	points []ringPoint
	of     []*replica
}

// sortedRing is the ring's points as the ring first built them: every
// point appended, then the whole sorted by hash and replica id.
func sortedRing(ps []*replica) []ringPoint {
	var pts []ringPoint
	for _, p := range ps {
		for v := 0; v < ringVnodes; v++ {
			pts = append(pts, ringPoint{splitmixHash(uint64(p.id)<<8 | uint64(v)), p})
		}
	}
	slices.SortFunc(pts, func(x, y ringPoint) int {
		if x.hash != y.hash {
			if x.hash < y.hash {
				return -1
			}
			return 1
		}
		return int(x.p.id - y.p.id)
	})
	return pts
}

func (s *scanRing) pick(ps []*replica, bound loadBound, hash uint64) *replica {
	if !slices.Equal(s.of, ps) {
		s.of = append(s.of[:0], ps...)
		s.points = sortedRing(ps)
	}
	total := 0
	for _, p := range ps {
		total += p.outstanding()
	}
	capacity := bound.capacity(total, len(ps))
	pts := s.points
	i, _ := slices.BinarySearchFunc(pts, hash, func(pt ringPoint, h uint64) int {
		switch {
		case pt.hash < h:
			return -1
		case pt.hash > h:
			return 1
		}
		return 0
	})
	for k := range pts {
		if p := pts[(i+k)%len(pts)].p; p.outstanding()+1 <= capacity {
			return p
		}
	}
	return nil
}

// routingWorld is a pool under random churn for TestRouterMatchesScan:
// replicas join (at the end, as bringUp and reclaim append them) and leave
// (keeping the order of the rest, as stopServing does), and loads change on
// serving replicas and on those that left (draining, evicted).
type routingWorld struct {
	rt      router
	all     []*replica
	serving []*replica
	rng     *rand.Rand
	ref     scanRing
}

func (w *routingWorld) step(t *testing.T, i int) {
	rng := w.rng
	switch op := rng.IntN(40); {
	case op == 0 && len(w.serving) < len(w.all): // a replica starts serving
		var out []*replica
		for _, p := range w.all {
			if !slices.Contains(w.serving, p) {
				out = append(out, p)
			}
		}
		p := out[rng.IntN(len(out))]
		w.serving = append(w.serving, p)
		w.rt.join(p)
	case op == 1 && len(w.serving) > 0: // one stops
		j := rng.IntN(len(w.serving))
		w.rt.leave(w.serving[j])
		w.serving = slices.Delete(w.serving, j, j+1)
	case op < 20: // a request arrives at, or leaves, some replica
		w.changeLoad(w.all[rng.IntN(len(w.all))])
	default:
		w.checkPick(t, i, op%2 == 0)
	}
}

// changeLoad adds or removes a waiting or running request, loads staying
// within 0-4 so that ties are common.
func (w *routingWorld) changeLoad(p *replica) {
	switch up := w.rng.IntN(2) == 0; {
	case up && p.outstanding() < 4 && w.rng.IntN(2) == 0:
		addLoad(p, 1)
	case up && p.outstanding() < 4:
		p.running = append(p.running, nil)
		p.loadChanged()
	case p.waiting > 0:
		addLoad(p, -1)
	case len(p.running) > 0:
		p.running = p.running[:len(p.running)-1]
		p.loadChanged()
	}
}

func (w *routingWorld) checkPick(t *testing.T, i int, keyedReq bool) {
	ps := w.serving
	if len(ps) < 2 {
		return
	}
	total := 0
	for _, p := range ps {
		total += p.outstanding()
	}
	x := w.rt.loads
	live := 0
	for _, p := range x.slots {
		if p != nil {
			live++
		}
	}
	if x.total != total || live != len(ps) {
		t.Fatalf("step %d: index holds %d replicas, load %d; want %d, %d", i, live, x.total, len(ps), total)
	}
	var want *replica
	key := routeKey{}
	if keyedReq {
		key = keyed(w.rng.Uint64N(50))
		want = w.ref.pick(ps, w.rt.ring.bound, key.hash)
	} else {
		want = scanLeast(ps, w.rt.next%len(ps))
	}
	if got := w.rt.pick(ps, key); got != want {
		t.Fatalf("step %d (keyed %v, %d serving): picked replica %d (load %d), the scan picks %d (load %d)",
			i, keyedReq, len(ps), got.id, got.outstanding(), want.id, want.outstanding())
	}
}

// TestRouterMatchesScan: under random joins, leaves and load changes, with
// many ties (loads stay small) and replicas that left still changing load,
// the load index picks exactly the replica the rotating scan does and the
// affinity ring exactly what a ring rebuilt with a summed total does.
func TestRouterMatchesScan(t *testing.T) {
	for _, n := range []int{2, 3, 17, 64} {
		t.Run(fmt.Sprint(n, " replicas"), func(t *testing.T) {
			w := &routingWorld{
				rt:  newRouter("session-affinity", loadBound{c: 1.25}, rand.New(rand.NewPCG(1, 2))),
				rng: rand.New(rand.NewPCG(uint64(n), 5)),
			}
			for i := 0; i < n; i++ {
				p := &replica{id: int32(i)}
				w.all = append(w.all, p)
				if i%3 != 2 {
					w.serving = append(w.serving, p)
					w.rt.join(p)
				}
			}
			for i := 0; i < 50_000; i++ {
				w.step(t, i)
			}
		})
	}
}

// TestRingBuildIsSorted: the bucketed build lays out exactly the points of
// a whole sort, for pools of any size and ids in any order, gaps included.
func TestRingBuildIsSorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	var a affinityRing
	for _, n := range []int{1, 2, 3, 16, 100, 1000, 5000} {
		ps := make([]*replica, n)
		for i, id := range rng.Perm(3 * n)[:n] {
			ps[i] = &replica{id: int32(id)}
		}
		a.build(ps)
		if want := sortedRing(ps); !slices.Equal(a.points, want) {
			t.Fatalf("%d replicas: the bucketed ring differs from the sorted one", n)
		}
	}
}
