package sim

import "aiecon/model/llm"

// staticScheduler is plain static batching: take up to max_num_seqs waiting
// requests whose whole prompt+output fits in the KV cache, prefill them
// together padded to the longest prompt, then decode the full batch (finished
// slots still computed) until every member has finished; admit nothing
// meanwhile.
type staticScheduler struct {
	n int32 // requests in the current batch (0 = none)
}

func init() {
	registerScheduler("static", schedulerKind{new: func() scheduler { return &staticScheduler{} }})
}

func (*staticScheduler) implicitDecoders() bool { return false }

func (s *staticScheduler) plan(p *replica) (stepCost, bool) {
	if s.n == 0 {
		return s.prefill(p)
	}
	maxCtx := int32(0)
	for _, r := range p.running {
		p.plan = append(p.plan, planItem{r: r, id: r.id, n: 1})
		maxCtx = max(maxCtx, r.kv)
	}
	if len(p.plan) == 0 { // every member finished: the batch is over
		s.n = 0
		return s.prefill(p)
	}
	n := int(s.n)
	p.prefillTokens, p.decodeTokens = 0, int32(len(p.plan))
	p.leapCtx = maxCtx // for leapCost; static batches do not leap (leapDecode stays false)
	return p.env.coster.iteration(n, n, n, n*int(maxCtx)), true
}

// prefill admits a new batch and plans its prefill, every prompt padded to
// the longest.
func (s *staticScheduler) prefill(p *replica) (stepCost, bool) {
	env := p.env
	var longest int32
	for len(p.running) < env.maxNumSeqs {
		r := p.peekWaiting()
		if r == nil || !p.reserve(r, r.target+r.output) {
			break
		}
		p.admit(r)
		longest = max(longest, r.target-r.prefilled)
	}
	if len(p.running) == 0 {
		return stepCost{}, false
	}
	s.n = int32(len(p.running))
	for _, r := range p.running {
		// The whole prompt lands in the KV cache in this one iteration.
		r.kv = r.prefilled
		p.plan = append(p.plan, planItem{r: r, id: r.id, n: r.target - r.prefilled, prefill: true})
		env.coster.chunks = append(env.coster.chunks, llm.PrefillChunk{Tokens: int(longest), Offset: 0, Last: true})
	}
	n := int(s.n)
	p.prefillTokens, p.decodeTokens = longest*s.n, 0
	return env.coster.iteration(n*int(longest), n, 0, 0), true
}

// leapCost prices decode iteration i after the last planned one: the whole
// padded batch, every slot attending over the largest context plus i.
func (s *staticScheduler) leapCost(p *replica, i int) stepCost {
	n := int(s.n)
	return p.env.coster.iteration(n, n, n, n*(int(p.leapCtx)+i))
}

func (*staticScheduler) aloneSec(env *replicaEnv, prompt, cached, output int) float64 {
	return aloneContinuousSec(env, prompt, cached, output)
}
