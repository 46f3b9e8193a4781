package sim

import "aiecon/sim/engine"

// request states
const (
	reqWaiting uint8 = iota
	reqRunning
	reqDone // finished, dropped or abandoned; waiting for its slot to be reused
)

// request is one LLM call in flight. Requests are pooled: a finished request's
// struct is reused, so the simulator's memory does not grow with run length.
type request struct {
	// Hot fields first: the scheduler and the iteration loop touch these for
	// every running request on every iteration, so they share a cache line.
	id        int64
	replica   *replica
	kv        int32 // tokens held in the KV cache
	blocks    int32 // KV units held (blocks, for a model without windowed layers: kvlayout.go)
	tblocks   int32 // blocks of tokens those units cover
	prefilled int32 // tokens of target already in the KV cache
	target    int32 // tokens that must be in the KV cache before decoding (prompt, or prompt+generated after a preemption)
	generated int32 // output tokens produced
	output    int32 // tokens to generate
	state     uint8
	implicit  bool  // an implicit decoder (see epoch.go): kv, generated and blocks are derived
	firstTok  int64 // -1 before the first token

	kvBase, genBase int32 // implicit decoder: state at tickBase
	tickBase        int64

	w        *World
	wl       int32 // workload index
	prio     int   // priority level index (0 = served first)
	sess     *session
	client   *closedClient // closed-loop arrivals: the client who sent it (not an agent call)
	step     int32
	asked    int32 // prompt tokens as the call came, before max_model_len fitted it (escalate refits from it)
	arrival  int64
	start    int64 // first admission, -1 before
	finish   int64
	prompt   int32 // prompt tokens (for an agent call: its whole context)
	cached   int32 // prefix-cache hit: prompt tokens that need no prefill
	preempts int32
	askedOut int32     // output tokens as the call came, before max_model_len fitted it
	admitSeq uint64    // admission order on its replica: the newest is preempted first
	runIdx   int32     // index in replica.running
	prefix   prefixRef // what the replica's prefix cache knows of its prompt (prefixcache.go)
	claimed  bool      // the replica serving it has looked its prefix up
	relook   bool      // preempted there: readmission looks its prefix up, keeping its hit (relookPrefix)
	shared   int32     // blocks of its shared prefix it references while running (prefixcache.go)

	timeout engine.Event // queue timeout while waiting

	// fp is the model pool serving the call (modelrouter.go), since
	// poolArrival, first admitted there at poolStart (-1 before);
	// escalated: a small model's answer sent on to the large one;
	// escalate: it will be, once the small model answers (drawn as it
	// arrived, modelRouter.drawEscalation).
	fp                     *fleetPool
	poolArrival, poolStart int64
	escalated, escalate    bool
}

// Handle fires the queue timeout.
func (r *request) Handle(*engine.Event) { r.w.onTimeout(r) }

// peakTokens is the most r ever holds in the KV cache: its prompt and whole
// output (the last token's entry, never computed, is one token of slack).
// What it reserves where it reserves all at once (reserve-max admission,
// static batching). Not target+output: after a preemption or an
// interruption target is prompt+generated, and output already counts what
// was generated.
func (r *request) peakTokens() int32 { return r.prompt + r.output }

// decoding reports whether the request has its whole target in the KV cache.
func (r *request) decoding() bool { return r.prefilled >= r.target }

// reqPool hands out request structs and takes them back.
type reqPool struct {
	free []*request
}

func (p *reqPool) get(w *World) *request {
	var r *request
	if n := len(p.free); n > 0 {
		r = p.free[n-1]
		p.free = p.free[:n-1]
		*r = request{}
	} else {
		r = new(request)
	}
	r.w = w
	r.timeout.Init(r, 0)
	r.start, r.firstTok, r.finish, r.poolStart = -1, -1, -1, -1
	return r
}

func (p *reqPool) put(r *request) {
	r.sess = nil
	r.client = nil
	r.replica = nil
	p.free = append(p.free, r)
}
