package sim

import "aiecon/hw"

// neuronChunkedScheduler is continuous batching with chunked prefill on
// Neuron, as NxD Inference and the vLLM Neuron plugin do it by segmenting
// long prompts by max_num_batched_tokens: each iteration plans like vLLM
// (running requests first, one decode token each or the next prompt segment,
// then new requests while the token budget, max_num_seqs and the KV blocks
// allow), so a long prompt's prefill is spread over several iterations while
// the batch keeps decoding. It is priced on compiled shapes like the neuron
// scheduler: the decode slots are padded to a power-of-two batch attending over
// the sequence bucket of the longest context, and the iteration's tokens
// (prompt segments plus padded decode slots) are padded to a context bucket.
// A decode-only iteration costs exactly what it costs under neuron, and leaps
// the same way.
type neuronChunkedScheduler struct{ neuronScheduler }

func init() {
	registerScheduler("neuron-chunked", schedulerKind{family: hw.FamilyNeuron, new: func() scheduler { return neuronChunkedScheduler{} }})
}

// joinsRunningBatch: prompt segments ride in the decodes' iterations, as
// under vLLM (the neuron scheduler's prefill pauses them).
func (neuronChunkedScheduler) joinsRunningBatch() bool { return true }

func (neuronChunkedScheduler) plan(p *replica) (stepCost, bool) {
	if _, ok := p.scheduleVLLM(); !ok {
		return stepCost{}, false
	}
	return p.neuronChunkedCost(), true
}

// neuronChunkedCost prices the plan scheduleVLLM just built (its prompt
// segments are in the coster's chunks) on Neuron's padded shapes.
func (p *replica) neuronChunkedCost() stepCost {
	env := p.env
	c := env.coster
	decodes, maxCtx := 0, int32(0)
	for _, it := range p.plan {
		if !it.prefill {
			decodes++
			maxCtx = max(maxCtx, it.r.kv+1)
		}
	}
	batch, seq := 0, 0
	if decodes > 0 {
		batch = batchBucket(decodes, env.maxNumSeqs)
		seq = bucketFor(env.seqBuckets, int(maxCtx))
	}
	if len(c.chunks) == 0 { // decode only: the neuron decode graph
		p.leapCtx = maxCtx // neuron's leap context: the largest context + 1
		return c.neuronDecode(batch, seq)
	}
	prompt, logits := 0, batch
	for _, ch := range c.chunks {
		prompt += ch.Tokens
		if ch.Last {
			logits++
		}
	}
	tokens := max(bucketFor(env.ctxBuckets, prompt+batch), prompt+batch)
	return c.iteration(tokens, logits, batch, batch*max(seq-1, 0))
}
