package sim

import "math"

// loadIndex keeps the load (outstanding requests) of a pool's serving
// replicas so that the router finds the least-loaded one, and the total
// load, without scanning the pool: a fleet of hundreds of thousands of
// replicas otherwise spends its run summing their loads on every request.
//
// Each serving replica holds a slot, given in the order it joined the
// serving set, so slot order is the order of the pool's serving slice
// (replicas join at its end and leave it keeping the order of the rest). A
// min segment tree over the slots finds, in O(log n), the first slot at or
// after a given one whose load is the least: exactly the replica the
// rotating scan of leastOutstanding picks. Slots of replicas that left stay
// vacant until the slots run out, when the live ones are renumbered in
// order (amortised O(1) a join).
type loadIndex struct {
	tree    []int32    // tree[1] is the root; slot s is leaf size+s
	size    int        // leaves, a power of two (0 before the first join)
	slots   []*replica // by slot, nil where a replica left
	total   int        // their load
	version uint64     // changes at every join and leave
}

// vacant is the load of a slot no serving replica holds: never the least.
const vacant = math.MaxInt32

// join adds a replica that starts serving (it may bring requests it kept
// while it drained).
func (x *loadIndex) join(p *replica) {
	if len(x.slots) == x.size {
		x.renumber()
	}
	p.lx, p.slot = x, int32(len(x.slots))
	x.slots = append(x.slots, p)
	x.version++
	v := p.outstanding()
	x.total += v
	x.set(x.size+int(p.slot), int32(v))
}

// leave removes a replica that stopped serving; its load no longer counts.
func (x *loadIndex) leave(p *replica) {
	i := x.size + int(p.slot)
	x.total -= int(x.tree[i])
	x.set(i, vacant)
	x.slots[p.slot] = nil
	p.lx, p.slot = nil, -1
	x.version++
}

// update records a change of p's load (p is serving).
func (x *loadIndex) update(p *replica) {
	i := x.size + int(p.slot)
	v := int32(p.outstanding())
	x.total += int(v - x.tree[i])
	x.set(i, v)
}

// set gives leaf i load v and fixes the minima above it, stopping where a
// minimum does not change (those above it do not either).
func (x *loadIndex) set(i int, v int32) {
	t := x.tree
	t[i] = v
	for i > 1 {
		i >>= 1
		m := min(t[2*i], t[2*i+1])
		if t[i] == m {
			return
		}
		t[i] = m
	}
}

// renumber gives the live replicas slots 0, 1, ... in their order, in a
// tree with room for as many joins again, and rebuilds the minima.
func (x *loadIndex) renumber() {
	live := x.slots[:0]
	for _, p := range x.slots {
		if p != nil {
			live = append(live, p)
		}
	}
	clear(x.slots[len(live):])
	x.slots = live
	x.size = 8
	for x.size < 2*max(len(live), 1) {
		x.size *= 2
	}
	x.tree = make([]int32, 2*x.size)
	for i := range x.tree {
		x.tree[i] = vacant
	}
	for s, p := range live {
		p.slot = int32(s)
		x.tree[x.size+s] = int32(p.outstanding())
	}
	for i := x.size - 1; i >= 1; i-- {
		x.tree[i] = min(x.tree[2*i], x.tree[2*i+1])
	}
}

// least is the replica with the least load, ties going to the first in
// serving order at or after from's slot, then to the first from the start:
// what a scan of the serving slice starting at from and keeping only
// strictly smaller loads returns. from must be serving.
func (x *loadIndex) least(from *replica) *replica {
	m := x.tree[1]
	s := x.firstAtMost(int(from.slot), m)
	if s < 0 {
		s = x.firstAtMost(0, m)
	}
	return x.slots[s]
}

// firstAtMost is the first slot at or after from whose load is at most m,
// or -1 if none is.
func (x *loadIndex) firstAtMost(from int, m int32) int {
	t := x.tree
	i := x.size + from
	for t[i] > m {
		// Climb while i is a right child: the slots after its range are
		// in its nearest ancestor's right sibling.
		for i&1 == 1 {
			if i == 1 {
				return -1
			}
			i >>= 1
		}
		i++
	}
	for i < x.size {
		i <<= 1
		if t[i] > m {
			i++
		}
	}
	return i - x.size
}
