package sim

// vllmScheduler is continuous batching as vLLM does it: chunked prefill
// under a token budget, new requests admitted while max_num_seqs and the KV
// blocks allow, recompute preemption of the newest request when a running
// one needs a block. Decoders are kept implicit where the fleet allows it
// (epoch.go).
type vllmScheduler struct{}

func init() {
	registerScheduler("vllm", schedulerKind{new: func() scheduler { return vllmScheduler{} }})
}

func (vllmScheduler) implicitDecoders() bool { return true }

// joinsRunningBatch: a prompt's chunks ride in the decodes' iterations.
func (vllmScheduler) joinsRunningBatch() bool { return true }

func (vllmScheduler) plan(p *replica) (stepCost, bool) {
	if !p.ep.on {
		return p.scheduleVLLM()
	}
	cost, ok, fallback := p.scheduleVLLMImplicit()
	if fallback {
		// The iteration may preempt: run it with every request explicit.
		p.env.fallbackIters++
		p.dissolve()
		return p.scheduleVLLM()
	}
	if ok {
		p.env.implicitIters++
	}
	return cost, ok
}

// leapCost: every sequence has i more tokens of context than in iteration 0.
func (vllmScheduler) leapCost(p *replica, i int) stepCost {
	n := p.leapSeqs()
	return p.env.coster.iteration(n, n, n, int(p.leapCtx)+i*n)
}

func (vllmScheduler) aloneSec(env *replicaEnv, prompt, cached, output int) float64 {
	return aloneContinuousSec(env, prompt, cached, output)
}

// scheduleVLLM plans one continuous-batching iteration as vLLM does: running
// requests first (one decode token each, or the next chunk of a chunked
// prefill), then new requests while the token budget, max_num_seqs and the KV
// blocks allow. When a running request needs a block and none is free, the
// newest running request is preempted (recompute), and no new request is
// admitted in that iteration.
func (p *replica) scheduleVLLM() (stepCost, bool) {
	env := p.env
	budget := int32(env.maxBatched)
	preempted := false
	var decodeSeqs, sumCtx, tokens, logits int
	for i := 0; i < len(p.running) && budget > 0; i++ {
		r := p.running[i]
		n := p.stepTokens(r) // 1, or a speculative step's yield
		if !r.decoding() {
			n = min(r.target-r.prefilled, budget)
		}
		if !p.reserveOrPreempt(r, r.kv+n) {
			preempted = true
		}
		if r.state != reqRunning { // preempted itself
			break
		}
		p.plan = append(p.plan, planItem{r: r, id: r.id, n: n, prefill: !r.decoding()})
		budget -= n
		tokens += int(n)
		if r.decoding() {
			decodeSeqs++
			sumCtx += int(r.kv)
			logits++
		} else {
			last := r.prefilled+n == r.target
			env.coster.chunks = append(env.coster.chunks, llmChunk(n, r.prefilled, last))
			if last {
				logits++
			}
		}
	}
	if !preempted {
		t, l := p.admitPrefills(budget)
		tokens += t
		logits += l
	}
	if len(p.plan) == 0 {
		return stepCost{}, false
	}
	if env.spec != nil {
		return p.specIteration(decodeSeqs, sumCtx), true
	}
	p.prefillTokens = int32(tokens - decodeSeqs)
	p.decodeTokens = int32(decodeSeqs)
	if decodeSeqs == len(p.plan) {
		p.leapDecode, p.leapCtx = true, int32(sumCtx)
	}
	return env.coster.iteration(tokens, logits, decodeSeqs, sumCtx), true
}

// admitPrefills is vLLM's second pass, shared by the explicit and the
// implicit-decoder schedulers: admit waiting requests, each with its first
// prompt chunk, while the token budget, max_num_seqs and the KV blocks allow.
// It returns the tokens and logits the admitted chunks add to the iteration.
func (p *replica) admitPrefills(budget int32) (tokens, logits int) {
	for budget > 0 && len(p.running) < p.env.maxNumSeqs {
		r := p.peekWaiting()
		if r == nil {
			break
		}
		r.kv = r.prefilled // waiting: its KV cache is the prefix it found (peekWaiting)
		n := min(r.target-r.prefilled, budget)
		if !p.reserveToAdmit(r, n) {
			break
		}
		p.admit(r)
		budget -= n
		tokens += int(n)
		if p.planChunk(r, n) {
			logits++
		}
	}
	return tokens, logits
}
