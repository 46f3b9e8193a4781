package sim

import (
	"math"

	"aiecon/hw"
	"aiecon/model/llm"
)

// stepCost is what one scheduler iteration costs on one device of a replica.
type stepCost struct {
	sec float64 // wall time of the iteration
	// computeS and hbmS are the seconds of it one device's executed FLOPs
	// (padding to compiled shapes included) take at the peak of each op's
	// dtype, and its HBM bytes at peak HBM bandwidth (hw.Perf.OpWork):
	// the utilisation KPIs' numerators, each at most sec.
	computeS, hbmS float64
}

func (a stepCost) plus(b stepCost) stepCost {
	return stepCost{a.sec + b.sec, a.computeS + b.computeS, a.hbmS + b.hbmS}
}

// stepCoster prices iterations with the llm op lists and the hw performance
// model. The dense part of an iteration (projections, MLP, LM head,
// all-reduces) depends only on (tokens, logits), so it is cached; attention is
// priced per iteration from its aggregate context. TestStepCostMatchesFullOps
// checks that this decomposition equals pricing llm.IterationOps directly.
type stepCoster struct {
	arch    llm.Arch
	sh      llm.Shard
	perf    *hw.Perf
	layers  int
	dense   map[uint64]stepCost
	nDecode map[uint64]stepCost // Neuron decode iterations by (batch, sequence bucket)
	ops     []llm.Op
	chunks  []llm.PrefillChunk
	// verifyChunks counts the chunks at the end of chunks that verify
	// speculated tokens (speculative.go), not prompt segments.
	verifyChunks int
	// inner: the coster prices passes that run inside another model's
	// iteration (a speculative proposer), which pay their own layers' fixed
	// cost but not the prompt-encoding one: the iteration's host
	// preparation is paid once, by the target's pass.
	inner bool
}

func newStepCoster(arch llm.Arch, sh llm.Shard, perf *hw.Perf) *stepCoster {
	return &stepCoster{arch: arch, sh: sh, perf: perf, layers: arch.Layers,
		dense: make(map[uint64]stepCost, 1024), nDecode: make(map[uint64]stepCost, 64), ops: make([]llm.Op, 0, 64), chunks: make([]llm.PrefillChunk, 0, 64)}
}

func (c *stepCoster) price(ops []llm.Op) stepCost {
	var s stepCost
	for i := range ops {
		sec := c.perf.OpSeconds(ops[i])
		computeS, hbmS := c.perf.OpWork(ops[i], sec)
		s.sec += sec
		s.computeS += computeS
		s.hbmS += hbmS
	}
	return s
}

// denseCost is the cached cost of the token-proportional part.
func (c *stepCoster) denseCost(tokens, logits int) stepCost {
	key := uint64(tokens)<<32 | uint64(logits)
	if s, ok := c.dense[key]; ok {
		return s
	}
	c.ops = c.arch.DenseOps(c.ops[:0], c.sh, tokens, logits)
	s := c.price(c.ops)
	c.dense[key] = s
	return s
}

// iteration prices tokens/logits of dense work, decodeSeqs sequences decoding
// over sumCtx tokens of context, and the prefill chunks in c.chunks.
func (c *stepCoster) iteration(tokens, logits, decodeSeqs, sumCtx int) stepCost {
	s := c.denseCost(tokens, logits)
	if decodeSeqs > 0 {
		c.ops = c.arch.DecodeAttentionOps(c.ops[:0], c.sh, decodeSeqs, sumCtx)
		s = s.plus(c.price(c.ops))
	}
	if len(c.chunks) > 0 {
		c.ops = c.arch.PrefillAttentionOps(c.ops[:0], c.sh, c.chunks)
		s = s.plus(c.price(c.ops))
	}
	// A speculative verification chunk runs in the decode graph: only real
	// prompt chunks pay the prompt-encoding fixed cost.
	s.sec += c.perf.Serving.FixedSeconds(c.layers, len(c.chunks) > c.verifyChunks && !c.inner)
	return s
}

// secondsToNs rounds an iteration time up to whole nanoseconds (never 0, so
// simulated time always advances; at most maxDelayNs).
func secondsToNs(s float64) int64 { return max(delayNs(math.Ceil(s*1e9)), 1) }

// maxDelayNs bounds a delay so that now + delay cannot overflow the int64
// clock: 2^62 ns (146 years) is far past any horizon (a year at most), so
// an event that far away does not happen within a run. Absurd but allowed
// inputs (an interruption rate of 1e-7 an hour, a storage bandwidth of
// 1e-7 GB/s) reach it.
const maxDelayNs = 1 << 62

// delayNs converts a delay in nanoseconds to int64, saturating at
// maxDelayNs (and for NaN), and 0 for a negative one.
func delayNs(ns float64) int64 {
	switch {
	case !(ns < maxDelayNs):
		return maxDelayNs
	case ns < 0:
		return 0
	}
	return int64(ns)
}

// neuronDecode prices a Neuron decode iteration: batch padded sequences each
// attending over a sequence bucket of seq keys. It depends on nothing else, and
// the (batch, bucket) pairs are few, so it is cached whole.
func (c *stepCoster) neuronDecode(batch, seq int) stepCost {
	key := uint64(batch)<<32 | uint64(seq)
	if s, ok := c.nDecode[key]; ok {
		return s
	}
	c.chunks = c.chunks[:0]
	s := c.iteration(batch, batch, batch, batch*(seq-1))
	c.nDecode[key] = s
	return s
}
