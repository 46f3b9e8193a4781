package llm

import "fmt"

// DecodeAttentionOps appends the attention core of `seqs` decoding sequences
// whose contexts (tokens already in the KV cache) sum to sumContext: one op
// per layer (Count = layers), as one fused kernel runs over the whole batch.
// Each new token attends over its context plus itself, so, per device,
//
//	FLOPs = 4 x heads/dev x head_dim x (sumContext + seqs)   (QK^T and PV, 2 per MAC)
//	Bytes = sumContext x 2 x kv_heads/dev x head_dim x KV bytes      (read the cache)
//	      + seqs x (2 heads/dev + 2 kv_heads/dev) x head_dim x act   (Q, new K and V in; O out)
//
// The equivalent batched GEMM for the efficiency lookup is one product per
// (KV head, sequence): Batch = kv_heads/dev x seqs, M = the GQA group on the
// device (ceil(heads/dev / kv_heads/dev) query heads share a KV head),
// N = the mean number of keys ceil((sumContext+seqs)/seqs), K = head_dim;
// its Volume is the true one, Batch x M x (sumContext+seqs)/seqs x K, so the
// ceiling is charged as padding only.
// It panics on negative counts, sumContext > 0 with no sequence, or TP < 1.
func (a Arch) DecodeAttentionOps(dst []Op, sh Shard, seqs, sumContext int) []Op {
	if seqs < 0 || sumContext < 0 || (seqs == 0 && sumContext > 0) || sh.TP < 1 {
		panic(fmt.Sprintf("llm: DecodeAttentionOps(%s): seqs %d, sumContext %d, tp %d: need seqs >= 0, sumContext >= 0 (0 without seqs), tp >= 1",
			a.Name, seqs, sumContext, sh.TP))
	}
	if seqs == 0 {
		return dst
	}
	full, local := a.Layers-a.SlidingLayers, a.SlidingLayers
	if full > 0 {
		dst = append(dst, a.decodeAttention(sh, full, seqs, sumContext))
	}
	if local > 0 {
		// Each sequence attends over at most the window (itself included);
		// from the sum alone this is exact when every context is on the same
		// side of the window, an upper bound otherwise.
		dst = append(dst, a.decodeAttention(sh, local, seqs, min(sumContext, seqs*(a.SlidingWindow-1))))
	}
	return dst
}

func (a Arch) decodeAttention(sh Shard, count, seqs, sumContext int) Op {
	d, hpd, kvpd := a.ResolvedHeadDim(), a.HeadsPerDevice(sh), a.KVHeadsPerDevice(sh)
	keys, m := sumContext+seqs, ceilDiv(hpd, kvpd)
	act, kvb := sh.Activations.Bytes(), sh.KV.Bytes()
	return Op{
		Kind: OpAttention, Name: "attn_decode", Count: count,
		Batch: kvpd * seqs, M: m, N: ceilDiv(keys, seqs), K: d,
		Volume: float64(kvpd) * float64(m) * float64(keys) * float64(d),
		DType:  sh.Activations,
		FLOPs:  4 * float64(hpd) * float64(d) * float64(keys),
		Bytes:  float64(sumContext)*float64(2*kvpd*d)*kvb + float64(seqs)*float64((2*hpd+2*kvpd)*d)*act,
	}
}

// PrefillAttentionOps appends the causal attention core of each prefill chunk
// (one op per non-empty chunk, Count = layers). Token i of a chunk of n tokens
// at offset o attends over o+i+1 keys, so, per device,
//
//	FLOPs = 4 x heads/dev x head_dim x (n x o + n(n+1)/2)
//	Bytes = n x (2 heads/dev + 2 kv_heads/dev) x head_dim x act   (Q, K, V in; O out)
//	      + o x 2 x kv_heads/dev x head_dim x KV bytes            (the prefix's cache)
//
// assuming a flash-attention kernel that reads each K/V tile once per chunk.
// The equivalent GEMM is Batch = kv_heads/dev, M = group x n, N = o + n,
// K = head_dim (the full rectangle; the causal mask skips about half of the
// last n x n block, which the FLOPs account for).
// It panics on a negative Tokens or Offset, or TP < 1.
func (a Arch) PrefillAttentionOps(dst []Op, sh Shard, chunks []PrefillChunk) []Op {
	if sh.TP < 1 {
		panic(fmt.Sprintf("llm: PrefillAttentionOps(%s): tp %d must be >= 1", a.Name, sh.TP))
	}
	for i, c := range chunks {
		if c.Tokens < 0 || c.Offset < 0 {
			panic(fmt.Sprintf("llm: PrefillAttentionOps(%s): chunk %d has tokens %d, offset %d: both must be >= 0",
				a.Name, i, c.Tokens, c.Offset))
		}
		if c.Tokens == 0 {
			continue
		}
		if full := a.Layers - a.SlidingLayers; full > 0 {
			dst = append(dst, a.prefillAttention(sh, full, c, 0))
		}
		if a.SlidingLayers > 0 {
			dst = append(dst, a.prefillAttention(sh, a.SlidingLayers, c, a.SlidingWindow))
		}
	}
	return dst
}

// prefillAttention is one chunk's attention over `count` layers; window > 0
// limits each token to the last `window` keys (itself included).
func (a Arch) prefillAttention(sh Shard, count int, c PrefillChunk, window int) Op {
	d, hpd, kvpd := a.ResolvedHeadDim(), a.HeadsPerDevice(sh), a.KVHeadsPerDevice(sh)
	group := ceilDiv(hpd, kvpd)
	act, kvb := sh.Activations.Bytes(), sh.KV.Bytes()
	n, o := float64(c.Tokens), float64(c.Offset)
	keys := n*o + n*(n+1)/2 // token i attends over o+i+1 keys
	prefix, width := o, c.Offset+c.Tokens
	if window > 0 {
		w := float64(window)
		inside := max(0, min(n, w-o)) // tokens whose whole context fits the window
		keys = inside*o + inside*(inside+1)/2 + (n-inside)*w
		prefix, width = min(o, w), min(width, window+c.Tokens)
	}
	return Op{
		Kind: OpAttention, Name: "attn_prefill", Count: count,
		Batch: kvpd, M: group * c.Tokens, N: width, K: d,
		DType: sh.Activations,
		FLOPs: 4 * float64(hpd) * float64(d) * keys,
		Bytes: n*float64((2*hpd+2*kvpd)*d)*act + prefix*float64(2*kvpd*d)*kvb,
	}
}

// IterationOps appends every operation of one scheduler iteration: exactly
// DenseOps(it.Tokens(), it.Logits()) followed by
// DecodeAttentionOps(len(it.Decode), it.SumContext()) and
// PrefillAttentionOps(it.Prefill), so a caller may cache the dense part by
// (tokens, logits) and append the attention ops itself.
func (a Arch) IterationOps(dst []Op, sh Shard, it Iteration) []Op {
	dst = a.DenseOps(dst, sh, it.Tokens(), it.Logits())
	dst = a.DecodeAttentionOps(dst, sh, len(it.Decode), it.SumContext())
	return a.PrefillAttentionOps(dst, sh, it.Prefill)
}
