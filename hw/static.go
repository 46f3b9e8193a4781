package hw

import (
	"fmt"

	"aiecon/model/llm"
)

// MinBucket is the smallest Neuron shape bucket: automatic buckets are powers
// of 2 from 128 up to the maximum sequence length (NSDK
// libraries/nxd-inference/developer_guides/feature-guide.rst, hardware-facts.md §4).
const MinBucket = 128

// Bucket returns the compiled shape that n tokens run in: the smallest power
// of two >= max(n, MinBucket), capped at maxLen (the largest bucket is the
// maximum length itself when it is not a power of two). It fails when n > maxLen.
func Bucket(n, maxLen int) (int, error) {
	if n > maxLen {
		return 0, fmt.Errorf("%d tokens exceed the largest bucket %d", n, maxLen)
	}
	b := MinBucket
	for b < n {
		b *= 2
	}
	return min(b, maxLen), nil
}

// PadBatch is the decode batch a Neuron graph runs: the next power of two >= n.
func PadBatch(n int) int {
	b := 1
	for b < n {
		b *= 2
	}
	return b
}

// StaticPrediction is the timeline PredictStatic computes.
type StaticPrediction struct {
	TTFTS float64 // median time to first token over the batch
	TPOTS float64 // mean time between output tokens over the batch
	// PrefillS is one prefill iteration (one request, prompt padded to PrefillBucket).
	PrefillS      float64
	PrefillBucket int
	// DecodeS is the sum of the decode iterations (OutputTokens-1 of them) at
	// the padded DecodeBatch.
	DecodeS     float64
	DecodeBatch int
	// LastTokenS is when the whole batch finishes.
	LastTokenS float64
}

// PredictStatic predicts a statically batched serving point on the Neuron
// scheduler (hardware-facts.md §4), built from the model's operations priced
// by perf:
//
//   - pt.Batch identical requests arrive together at t = 0;
//   - one prefill per iteration, decode paused meanwhile: request k (1-based)
//     is prefilled in iteration k, its prompt padded to the context-encoding
//     bucket Bucket(InputTokens, SeqLen), and gets its first token at k x P,
//     with P = IterationSeconds(prefill ops) (overhead included);
//   - then OutputTokens-1 decode iterations for the whole batch, padded to
//     PadBatch(Batch) sequences; decode step j (1-based) feeds token j with
//     InputTokens+j-1 tokens in the cache, and attention runs over the
//     compiled sequence bucket Bucket(InputTokens+j, SeqLen): each sequence is
//     given Context = bucket-1 so that, with the new token, it attends over
//     exactly bucket keys;
//   - TTFT is the median over the batch of k x P, i.e. P (Batch+1)/2;
//   - request k's tokens after the first come (Batch-k) x P + D later, D the
//     decode total, over OutputTokens-1 gaps; TPOT is the mean over the batch:
//     ((Batch-1)/2 x P + D) / (OutputTokens-1) (0 when OutputTokens is 1).
//
// sh must have perf's TP. The simulator's Neuron scheduler reproduces this
// timeline for the same inputs.
func PredictStatic(pt ServingPoint, arch llm.Arch, sh llm.Shard, perf *Perf) (StaticPrediction, error) {
	var pr StaticPrediction
	if err := pt.Validate(); err != nil {
		return pr, err
	}
	if sh.TP != perf.TP || pt.TP != perf.TP {
		return pr, fmt.Errorf("serving point %s: tp %d, shard tp %d and perf tp %d must agree", pt.where(), pt.TP, sh.TP, perf.TP)
	}
	if err := sh.Validate(); err != nil {
		return pr, fmt.Errorf("serving point %s: %w", pt.where(), err)
	}
	var err error
	if pr.PrefillBucket, err = Bucket(pt.InputTokens, pt.SeqLen); err != nil {
		return pr, fmt.Errorf("serving point %s: prompt: %w", pt.where(), err)
	}
	ops := arch.IterationOps(make([]llm.Op, 0, 32), sh, llm.Iteration{
		Prefill: []llm.PrefillChunk{{Tokens: pr.PrefillBucket, Offset: 0, Last: true}},
	})
	pr.PrefillS = perf.IterationSeconds(ops)

	pr.DecodeBatch = PadBatch(pt.Batch)
	seqs := make([]llm.DecodeSeq, pr.DecodeBatch)
	stepS := map[int]float64{} // decode iteration time per sequence bucket
	for j := 1; j < pt.OutputTokens; j++ {
		b, err := Bucket(pt.InputTokens+j, pt.SeqLen)
		if err != nil {
			return pr, fmt.Errorf("serving point %s: decode step %d: %w", pt.where(), j, err)
		}
		s, ok := stepS[b]
		if !ok {
			for i := range seqs {
				seqs[i].Context = b - 1
			}
			ops = arch.IterationOps(ops[:0], sh, llm.Iteration{Decode: seqs})
			s = perf.IterationSeconds(ops)
			stepS[b] = s
		}
		pr.DecodeS += s
	}

	n := float64(pt.Batch)
	pr.TTFTS = pr.PrefillS * (n + 1) / 2
	if pt.OutputTokens > 1 {
		pr.TPOTS = ((n-1)/2*pr.PrefillS + pr.DecodeS) / float64(pt.OutputTokens-1)
	}
	pr.LastTokenS = n*pr.PrefillS + pr.DecodeS
	return pr, nil
}
