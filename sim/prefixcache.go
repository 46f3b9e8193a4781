package sim

// A replica's prefix cache, as vLLM's automatic prefix caching keeps it: the
// KV blocks of prompts (and generated tokens) that finished requests leave
// behind stay in the free part of the replica's KV memory, keyed by the
// prefix they hold, and a later request whose prompt starts with a cached
// prefix skips its prefill. Cached blocks are free memory: when running
// requests need blocks, the least recently used cached blocks go first
// (fit). Only full blocks are cached, as vLLM hashes whole blocks.
//
// Running requests share the shared prefix's blocks, as vLLM's block
// manager shares identical full blocks with reference counts: while any
// running request on the replica uses a shared prefix its blocks are held
// once, pinned (out of the free memory and the LRU list, never evicted),
// with a reference per running request (refs); each request holds only its
// own blocks beyond them. At the last reference the blocks go back to the
// free memory as the most recent entry. A pinned entry's blocks are found
// (a hit) only once computed: vLLM registers a block's hash, and so reuses
// it, only when the block is full of computed tokens, so a call admitted
// while the first holder is still prefilling the system prompt finds only
// the full blocks prefilled so far (computed), and prefills the rest
// itself. Its memory is still counted once, in the shared blocks: the
// copy vLLM's later request computes of a block not yet computed lives
// only until the first holder's copy of that block is done.
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
	computed   int32 // of a pinned entry's blocks, the first ones prefilled (a hit counts only these)
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

// find returns key's cached blocks (0 if absent), of a pinned entry those
// computed. It moves nothing in the LRU order: as in vLLM, a look-up
// (find_longest_cache_hit) leaves the free queue alone, and only the
// blocks a request is admitted with leave it (acquire, take).
func (c *prefixCache) find(key uint64) int32 {
	e := c.entries[key]
	switch {
	case e == nil:
		return 0
	case e.refs > 0:
		return e.computed
	}
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
// LRU list, so nothing evicts it, and the blocks eviction took of it (or
// all, for a new entry) are back but not computed, until a holder's
// prefill passes them (compute); the caller takes the pinned blocks out of
// the free memory.
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
	e.computed = min(e.blocks, blocks) // what the cache kept
	e.blocks, e.refs = blocks, 1
	c.pinned += blocks
}

// release drops a running request's reference to key's blocks and returns
// the blocks that went back to the free memory: all of them at the last
// reference, those computed cached as the most recent entry (nothing
// cached when none was); 0 while others remain.
func (c *prefixCache) release(key uint64) int32 {
	e := c.entries[key]
	if e == nil || e.refs == 0 {
		panic("sim: prefix cache: release of an unshared prefix")
	}
	if e.refs--; e.refs > 0 {
		return 0
	}
	freed := e.blocks
	c.pinned -= freed
	if e.blocks = e.computed; e.blocks == 0 {
		delete(c.entries, key)
		return freed
	}
	c.blocks += e.blocks
	c.pushFront(e)
	return freed
}

// compute records that a holder of key's pinned blocks has prefilled its
// first blocks: from now on a request finds them.
func (c *prefixCache) compute(key uint64, blocks int32) {
	if e := c.entries[key]; e != nil && e.refs > 0 {
		e.computed = max(e.computed, min(blocks, e.blocks))
	}
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

// claimPrefix looks a waiting request's prefix up each time a scheduler
// considers it on this replica, until it is first admitted there: the
// blocks of its shared prefix found, and behind the whole shared prefix its
// own continuation, are in the KV cache and need no prefill. As in vLLM,
// whose scheduler looks a waiting request up again at every step
// (get_computed_blocks), what counts is what the cache holds as it is
// admitted: blocks evicted while it waited are prefilled, and its hit
// (r.cached, billed and counted) moves with them. The request keeps at
// least one token to prefill (the one whose logits start its output).
func (p *replica) claimPrefix(r *request) {
	r.claimed = true
	hit := p.lookUp(r)
	if hit != r.cached {
		p.env.host.prefixHit(r, int(hit-r.cached))
		r.cached = hit
	}
	r.prefilled = min(hit, r.target)
}

// found is the blocks of r's prefix the cache holds: of its shared prefix,
// and of its own continuation, which counts only behind the whole shared
// prefix (a block's hash covers everything before it).
func (p *replica) found(r *request) (shared, own int32) {
	c := &p.cache
	sb := r.prefix.sharedTokens / p.env.blockTokens
	if sb > 0 {
		shared = min(c.find(r.prefix.shared), sb)
	}
	if shared == sb {
		own = c.find(r.prefix.own)
	}
	return shared, own
}

// lookUp returns the prompt tokens of r's prefix the cache holds, at most
// all but one. It changes nothing: admission takes the blocks (takeOwn,
// acquireShared).
func (p *replica) lookUp(r *request) int32 {
	shared, own := p.found(r)
	return max(min((shared+own)*p.env.blockTokens, r.prompt-1), 0)
}

// takeOwn hands the cached blocks of r's own continuation to r as it is
// admitted (before anything is evicted for it): they are its own blocks
// from now on, out of the cache.
func (p *replica) takeOwn(r *request) {
	if !r.claimed {
		return
	}
	if _, own := p.found(r); own > 0 {
		p.cache.take(r.prefix.own)
	}
}

// relookPrefix looks a preempted request's prefix up again each time a
// scheduler considers readmitting it: its prefill restarts at what the
// cache holds then, as vLLM looks a preempted request up like a new one.
// Its hit (r.cached, which its bill, its session's and the run's hit rate
// count) stays the first admission's, so a call's cached tokens count once.
func (p *replica) relookPrefix(r *request) {
	r.prefilled = min(p.lookUp(r), r.target)
}

// storePrefix caches what a finished request leaves behind beyond its
// shared prefix (which releaseShared returned to the cache): its prompt and
// output (all but the last generated token, whose KV entry is never
// computed) under its own key, for the session's next call. A small
// model's answer that will be escalated leaves its prompt only: the session
// goes on with the large model's answer, which the small one never
// computed.
func (p *replica) storePrefix(r *request) {
	if !r.claimed {
		return
	}
	c := &p.cache
	total := (r.prompt + r.output - 1) / p.env.blockTokens
	if r.escalate && !r.escalated {
		total = r.prompt / p.env.blockTokens
	}
	total -= r.prefix.sharedTokens / p.env.blockTokens
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
	r.cached, r.claimed, r.relook = 0, false, false
}

// requeuePrefix is a preempted request's prefix leaving the running
// batch (its blocks already freed): the full blocks of its prompt beyond
// the shared prefix that it computed stay cached under its own key, as
// vLLM's freed blocks keep their hashes, and it is looked up again when
// readmitted (relookPrefix), so that it recomputes what was evicted
// meanwhile (the system prompt included) instead of keeping the prefill
// it was admitted with spared it.
func (p *replica) requeuePrefix(r *request) {
	if !r.claimed {
		return
	}
	own := min(r.prefilled, r.prompt)/p.env.blockTokens - r.prefix.sharedTokens/p.env.blockTokens
	if own > 0 {
		p.cache.put(r.prefix.own, own)
		p.fitCache()
	}
	r.relook = true
}

// shareable is the full blocks of r's shared prefix that r shares with the
// replica's other running requests once admitted (0 when its prefix is not
// modelled here: caching off, an api request, a prompt cut to
// max_model_len, a system prompt shorter than a block).
func (p *replica) shareable(r *request) int32 {
	if !r.claimed {
		return 0
	}
	return r.prefix.sharedTokens / p.env.blockTokens
}

// sharedUnits is the KV units of the shared blocks r references: the
// full-attention layers' (Full units a block; every layer's, one unit, for
// a model without windowed layers). A windowed layer keeps r's own copy of
// the prefix, as a long request drops it beyond its window.
func (p *replica) sharedUnits(r *request) int32 { return r.shared * p.env.kv.Full }

// admitUnits is the KV units r's admission with tokens in the KV cache
// takes from the free memory: its shared prefix's blocks where no running
// request holds them yet, and its own blocks beyond them (those of its own
// continuation it finds cached included: cached blocks are free memory).
func (p *replica) admitUnits(r *request, tokens int32) int32 {
	sb := p.shareable(r)
	if sb == 0 || r.shared > 0 {
		return max(p.ownFor(r, tokens)-r.blocks, 0)
	}
	var pin int32
	if e := p.cache.entries[r.prefix.shared]; e == nil || e.refs == 0 {
		pin = sb * p.env.kv.Full
	}
	own := max(p.blocksFor(r, tokens)-sb*p.env.kv.Full, 0) - r.blocks
	return pin + max(own, 0)
}

// acquireShared references r's shared prefix as r is admitted (admitUnits
// checked the memory): the first running request to use it takes its
// blocks out of the free memory (recomputing what eviction took), the
// others only add a reference.
func (p *replica) acquireShared(r *request) {
	sb := p.shareable(r)
	if sb == 0 || r.shared > 0 {
		return
	}
	var pin int32
	if e := p.cache.entries[r.prefix.shared]; e == nil || e.refs == 0 {
		pin = sb * p.env.kv.Full
	}
	p.cache.acquire(r.prefix.shared, sb)
	r.shared = sb
	if pin > 0 {
		p.kvFree -= pin
		p.env.kvUsedG.add(p.env.eng.Now(), int64(pin))
		p.fitCache()
	}
}

// computedShared records how far r's prefill has computed its shared
// prefix's blocks, after an iteration prefilled a chunk of r.
func (p *replica) computedShared(r *request) {
	if r.shared > 0 {
		p.cache.compute(r.prefix.shared, min(r.prefilled, r.prefix.sharedTokens)/p.env.blockTokens)
	}
}

// releaseShared drops r's reference to its shared prefix as it leaves the
// running batch; the last one returns the blocks to the free memory, cached.
func (p *replica) releaseShared(r *request) {
	if r.shared == 0 {
		return
	}
	units := p.cache.release(r.prefix.shared) * p.env.kv.Full
	r.shared = 0
	if units > 0 {
		p.kvFree += units
		p.env.kvUsedG.add(p.env.eng.Now(), -int64(units))
		p.fitCache()
	}
}
