package sim

import (
	"fmt"
	"math"
	"math/rand/v2"

	"aiecon/model/llm"
)

// speculation is speculative decoding on every replica of the run. Each
// decode step of a sequence runs k proposer steps, then one target step that
// verifies the k proposed tokens at once (a chunk of k+1 query tokens over the
// sequence's context, with k+1 logits). Token j of the proposal is accepted
// with probability a once the ones before it were; the target's own token
// follows the accepted prefix, so a step yields 1 + (accepted) tokens, on
// average (1 - a^(k+1)) / (1 - a).
//
// The accepted count is drawn per sequence and step from the run's
// "speculative" random stream rather than credited as its mean: requests in a
// batch then finish at different steps, as they do on a real server, and a
// run stays reproducible from its seed. Because decoders no longer gain
// exactly one token per iteration, a run with speculation keeps every decoder
// explicit and iterates one by one (no epochs, no leaps; see epoch.go,
// leap.go).
//
// The proposer is priced with its own stepCoster on the same devices and
// shard: a draft model from the catalog, or for eagle a one-layer copy of the
// target (EAGLE's head is one decoder layer over the target's features; its
// k autoregressive passes also run the shared embedding and LM head, which the
// one-layer copy includes, so a pass costs about 1/layers of the target's
// layers plus the LM head). Each proposer pass carries its own layers'
// fixed cost (it is a separate forward pass) but not the fixed cost of
// encoding prompts (prefill_s: host preparation and graph switch of the
// scheduler's iteration), which the target's pass of the same iteration
// pays once; charging it again priced a one-layer EAGLE head's prefill at
// the whole 28 ms of Trainium2's, +26% on a 70B model's TTFT.
type speculation struct {
	k     int
	a     float64
	draft *stepCoster
	rng   *rand.Rand
	// verify caches Neuron verification steps by (batch, sequence bucket).
	verify map[uint64]stepCost
}

// newSpeculation builds the proposer's coster of a pool; nil when its
// replicas do not decode speculatively.
func (w *World) newSpeculation(pl *fleetPool) (*speculation, error) {
	sp := pl.spec.Replica.Speculative
	if sp == nil {
		return nil, nil
	}
	s := &speculation{k: sp.K, a: *sp.Acceptance, rng: w.randFor(pl.streamName("speculative")), verify: map[uint64]stepCost{}}
	// Its memory (weights and KV cache beside the target's) is counted by
	// model.PlanReplicaMemory.
	draft, _, _, err := pl.arch.Proposer(sp.Draft, pl.shard)
	if err != nil {
		return nil, fmt.Errorf("sim: speculative draft: %w", err)
	}
	s.draft = newStepCoster(draft, pl.shard, pl.perf)
	s.draft.inner = true
	return s, nil
}

// ExpectedTokensPerStep is the mean number of tokens a speculative step
// yields for one sequence: proposal length k, per-token acceptance a.
func ExpectedTokensPerStep(k int, a float64) float64 {
	if a == 0 {
		return 1
	}
	return (1 - math.Pow(a, float64(k+1))) / (1 - a)
}

// tokens draws how many tokens r's next step yields: the accepted prefix of
// the k proposed, plus the target's own, at most what r still has to generate.
func (s *speculation) tokens(r *request) int32 {
	n := int32(1)
	for i := 0; i < s.k && s.rng.Float64() < s.a; i++ {
		n++
	}
	return min(n, r.output-r.generated)
}

// stepTokens is how many tokens a decoding request's step yields: 1, or a
// speculative draw.
func (p *replica) stepTokens(r *request) int32 {
	if s := p.env.spec; s != nil && r.decoding() {
		return s.tokens(r)
	}
	return 1
}

// specIteration prices a vLLM iteration with speculation: the target runs the
// planned prompt chunks plus a (k+1)-token verification chunk per decoding
// sequence; the proposer prefills the same prompt chunks and runs k decode
// steps over the decoding sequences.
// It also sets the iteration's prefill and decode token counts.
func (p *replica) specIteration(decodeSeqs, sumCtx int) stepCost {
	env, s := p.env, p.env.spec
	c := env.coster
	var tokens, logits int // of the prompt chunks
	for _, ch := range c.chunks {
		tokens += ch.Tokens
		if ch.Last {
			logits++
		}
	}
	p.prefillTokens, p.decodeTokens = int32(tokens), int32(decodeSeqs)
	draft := stepCost{}
	if len(c.chunks) > 0 {
		s.draft.chunks = append(s.draft.chunks[:0], c.chunks...)
		draft = s.draft.iteration(tokens, logits, 0, 0)
		s.draft.chunks = s.draft.chunks[:0]
	}
	if decodeSeqs > 0 {
		step := s.draft.iteration(decodeSeqs, decodeSeqs, decodeSeqs, sumCtx)
		for i := 0; i < s.k; i++ {
			draft = draft.plus(step)
		}
		for _, it := range p.plan {
			if !it.prefill {
				c.chunks = append(c.chunks, llm.PrefillChunk{Tokens: s.k + 1, Offset: int(it.r.kv), Last: true})
			}
		}
	}
	q := (s.k + 1) * decodeSeqs
	c.verifyChunks = decodeSeqs
	target := c.iteration(tokens+q, logits+q, 0, 0)
	c.verifyChunks = 0
	return target.plus(draft)
}

// specNeuronDecode prices a Neuron decode iteration with speculation: batch
// padded slots each verify k+1 tokens attending over the sequence bucket, and
// the proposer runs k padded decode steps over the same bucket.
func (p *replica) specNeuronDecode(batch, seq int) stepCost {
	env, s := p.env, p.env.spec
	key := uint64(batch)<<32 | uint64(seq)
	if cost, ok := s.verify[key]; ok {
		return cost
	}
	c := env.coster
	c.chunks = c.chunks[:0]
	q := s.k + 1
	for i := 0; i < batch; i++ {
		c.chunks = append(c.chunks, llm.PrefillChunk{Tokens: q, Offset: max(seq-q, 0), Last: true})
	}
	c.verifyChunks = batch
	cost := c.iteration(batch*q, batch*q, 0, 0)
	c.chunks, c.verifyChunks = c.chunks[:0], 0
	step := s.draft.neuronDecode(batch, seq)
	for i := 0; i < s.k; i++ {
		cost = cost.plus(step)
	}
	s.verify[key] = cost
	return cost
}

// specPrefill adds the proposer's prefill of the chunks in the target's
// coster (a Neuron prefill iteration) to cost.
func (p *replica) specPrefill(cost stepCost, tokens, logits int) stepCost {
	s := p.env.spec
	if s == nil {
		return cost
	}
	s.draft.chunks = append(s.draft.chunks[:0], p.env.coster.chunks...)
	cost = cost.plus(s.draft.iteration(tokens, logits, 0, 0))
	s.draft.chunks = s.draft.chunks[:0]
	return cost
}

// aloneDecodeSec is a model call's decode alone on a replica with
// speculation: output-1 tokens in steps of the expected yield, each a
// one-sequence verification plus k proposer steps at the mean context.
func (s *speculation) aloneDecodeSec(env *replicaEnv, prompt, output int) float64 {
	if output <= 1 {
		return 0
	}
	mid := prompt + (output-2)/2
	c := env.coster
	c.chunks = append(c.chunks[:0], llm.PrefillChunk{Tokens: s.k + 1, Offset: mid, Last: true})
	c.verifyChunks = 1
	step := c.iteration(s.k+1, s.k+1, 0, 0).sec
	c.chunks, c.verifyChunks = c.chunks[:0], 0
	step += float64(s.k) * s.draft.iteration(1, 1, 1, mid).sec
	return float64(output-1) / ExpectedTokensPerStep(s.k, s.a) * step
}
