package sim

// A replica's prefix cache, as vLLM's automatic prefix caching keeps it: the
// KV blocks of prompts (and generated tokens) that finished requests leave
// behind stay in the free part of the replica's KV memory, keyed by the
// prefix they hold, and a later request whose prompt starts with a cached
// prefix skips its prefill. Cached blocks are free memory: when running
// requests need blocks, the least recently used cached blocks go first
// (fit). Only full blocks are cached, as vLLM hashes whole blocks.
//
// Prefixes come in two levels, as vLLM's chained block hashes make them: a
// shared prefix (a workload's system prompt, the same for every session)
// and a request's own continuation (an agent session's conversation so far,
// which only that session's next call can reuse). The continuation counts
// only behind the whole shared prefix: a block's hash covers everything
// before it, so with the shared prefix partly evicted nothing after it
// matches.

// prefixRef is what a replica knows of a request's prompt for its cache.
// own is 0 when the request's prefix is not modelled (an api request, or an
// agent workload with an explicit prefix_cache_hit).
type prefixRef struct {
	shared, own  uint64 // cache keys (see sharedPrefixKey, sessionPrefixKey)
	sharedTokens int32  // tokens of the shared prefix (its full blocks are the replica's KV block size's)
}

// sharedPrefixKey and sessionPrefixKey never collide (even and odd) and
// are never 0.
func sharedPrefixKey(workload int) uint64 { return uint64(workload+1) << 1 }
func sessionPrefixKey(id int64) uint64    { return uint64(id)<<1 | 1 }

// prefixEntry is one cached prefix: its first blocks are kept (eviction
// takes blocks from the tail, the last a request would reach).
type prefixEntry struct {
	key        uint64
	blocks     int32
	refs       int32 // running requests sharing the blocks: pinned while positive
	prev, next *prefixEntry
}

// prefixCache is a replica's cached prefixes in least-recently-used order.
type prefixCache struct {
	on      bool // fleet.replica.prefix_caching
	entries map[uint64]*prefixEntry
	lru     prefixEntry // sentinel: lru.next is the most recent entry, lru.prev the least
	blocks  int32       // cached blocks in the LRU list, at most the replica's free blocks
	pinned  int32       // blocks of entries running requests share (refs > 0), out of the free memory
	evicted int64       // blocks evicted for running requests
}

func (c *prefixCache) init() {
	if c.entries == nil {
		c.entries = map[uint64]*prefixEntry{}
		c.lru.next, c.lru.prev = &c.lru, &c.lru
	}
}

func (c *prefixCache) unlink(e *prefixEntry) {
	e.prev.next, e.next.prev = e.next, e.prev
}

func (c *prefixCache) pushFront(e *prefixEntry) {
	e.prev, e.next = &c.lru, c.lru.next
	c.lru.next.prev = e
	c.lru.next = e
}

// touch marks key as just used and returns its cached blocks (0 if absent),
// pinned ones included.
func (c *prefixCache) touch(key uint64) int32 {
	e := c.entries[key]
	if e == nil {
		return 0
	}
	if e.refs > 0 {
		return e.blocks
	}
	c.unlink(e)
	c.pushFront(e)
	return e.blocks
}

// take removes key and returns its blocks: a request that reuses a
// session's continuation holds those blocks itself from now on.
func (c *prefixCache) take(key uint64) int32 {
	e := c.entries[key]
	if e == nil {
		return 0
	}
	c.remove(e)
	return e.blocks
}

func (c *prefixCache) remove(e *prefixEntry) {
	c.unlink(e)
	delete(c.entries, e.key)
	c.blocks -= e.blocks
}

// put caches blocks under key as the most recent entry (replacing what key
// held). Only a session's own continuation is put: a shared prefix comes
// back through release.
func (c *prefixCache) put(key uint64, blocks int32) {
	c.init()
	e := c.entries[key]
	if e != nil && e.refs > 0 {
		panic("sim: prefix cache: put over a prefix running requests share")
	}
	if e == nil {
		e = &prefixEntry{key: key}
		c.entries[key] = e
	} else {
		c.unlink(e)
		c.blocks -= e.blocks
	}
	e.blocks = blocks
	c.blocks += blocks
	c.pushFront(e)
}

// acquire adds a running request's reference to key's first blocks (its
// whole shared prefix). The first reference pins them: the entry leaves the
// LRU list, so nothing evicts it, and what eviction took of it is back (the
// request recomputes it); the caller takes the pinned blocks out of the
// free memory.
func (c *prefixCache) acquire(key uint64, blocks int32) {
	c.init()
	e := c.entries[key]
	switch {
	case e == nil:
		e = &prefixEntry{key: key}
		c.entries[key] = e
	case e.refs > 0:
		e.refs++
		return
	default:
		c.unlink(e)
		c.blocks -= e.blocks
	}
	e.blocks, e.refs = blocks, 1
	c.pinned += blocks
}

// release drops a running request's reference to key's blocks and returns
// the blocks that went back to the free memory: all of them, as the most
// recent entry, at the last reference; 0 while others remain.
func (c *prefixCache) release(key uint64) int32 {
	e := c.entries[key]
	if e == nil || e.refs == 0 {
		panic("sim: prefix cache: release of an unshared prefix")
	}
	if e.refs--; e.refs > 0 {
		return 0
	}
	c.pinned -= e.blocks
	c.blocks += e.blocks
	c.pushFront(e)
	return e.blocks
}

// fit evicts least recently used blocks until the cache holds at most free
// blocks: what running requests take from the free memory comes out of the
// cache.
func (c *prefixCache) fit(free int32) {
	for c.blocks > free {
		e := c.lru.prev
		n := min(e.blocks, c.blocks-free)
		c.evicted += int64(n)
		if n == e.blocks {
			c.remove(e)
			continue
		}
		e.blocks -= n
		c.blocks -= n
	}
}

// clear empties the cache (the replica's memory was lost or lent, with
// nothing running on it, so nothing pinned).
func (c *prefixCache) clear() {
	if c.pinned > 0 {
		panic("sim: prefix cache cleared while running requests share its blocks")
	}
	on, evicted := c.on, c.evicted
	*c = prefixCache{on: on, evicted: evicted}
}

// loseMemory empties the prefix cache of a replica whose device memory
// was lost or handed over: its instance interrupted (evict) or released by
// a scale-down (checkDrained), or the replica lent to training. A replica
// that serves again starts with nothing cached, as a freshly loaded
// instance does.
func (p *replica) loseMemory() { p.cache.clear() }

// claimPrefix looks a waiting request's prefix up the first time a
// scheduler considers it on this replica: the blocks of its shared prefix
// found, and behind the whole shared prefix its own continuation, are in the
// KV cache and need no prefill. The request keeps at least one token to
// prefill (the one whose logits start its output).
func (p *replica) claimPrefix(r *request) {
	r.claimed = true
	c := &p.cache
	var blocks int32
	sb := r.prefix.sharedTokens / p.env.blockTokens
	if sb > 0 {
		blocks = min(c.touch(r.prefix.shared), sb)
	}
	if blocks == sb {
		blocks += c.take(r.prefix.own)
	}
	hit := min(blocks*p.env.blockTokens, r.prompt-1)
	if hit <= 0 {
		return
	}
	r.cached = hit
	r.prefilled = min(hit, r.target)
	p.env.host.prefixHit(r, int(hit))
}

// storePrefix caches what a finished request leaves behind: its shared
// prefix, and its prompt and output beyond it (all but the last generated
// token, whose KV entry is never computed) under its own key, for the
// session's next call. A small model's answer that will be escalated
// leaves its prompt only: the session goes on with the large model's
// answer, which the small one never computed.
func (p *replica) storePrefix(r *request) {
	if !r.claimed {
		return
	}
	c := &p.cache
	total := (r.prompt + r.output - 1) / p.env.blockTokens
	if r.escalate && !r.escalated {
		total = r.prompt / p.env.blockTokens
	}
	if sb := r.prefix.sharedTokens / p.env.blockTokens; sb > 0 {
		c.put(r.prefix.shared, sb)
		total -= sb
	}
	if total > 0 {
		c.put(r.prefix.own, total)
	}
	p.fitCache()
}

// forgetPrefix undoes a claim when a request leaves a replica that stopped
// (its cached blocks stay behind): the next replica looks it up again.
func (p *replica) forgetPrefix(r *request) {
	if !r.claimed {
		return
	}
	if r.cached > 0 {
		p.env.host.prefixHit(r, -int(r.cached))
	}
	r.cached, r.claimed = 0, false
}
