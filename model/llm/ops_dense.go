package llm

import (
	"fmt"
	"math"
)

// Names of the operations DenseOps emits, in order. Per layer (Count = layers):
// norm_residual, qkv, rope, kv_write, attn_out, allreduce_attn, then either
// mlp_gate_up, mlp_act, mlp_down (dense) or router, moe_permute, moe_gate_up,
// mlp_act, moe_down (MoE; then shared_gate_up, shared_act, shared_down
// with a shared expert, and mlp_gate_up, mlp_act, mlp_down with Count =
// dense_layers for its dense layers), then allreduce_mlp. Once (Count = 1): embed and
// embed_allreduce before the layers; final_norm, lm_head and logits_gather
// after them. The all-reduces appear only when TP > 1; lm_head and
// logits_gather only when logits > 0.

// DenseOps appends to dst the operations one device runs to push `tokens`
// tokens through the weights of the model, with `logits` of them (the last
// token of each sequence that samples) going through the LM head. Attention
// scores are not included: see DecodeAttentionOps and PrefillAttentionOps.
// With capacity in dst it does not allocate.
//
// Every GEMM has FLOPs = 2 x M x N x K x Batch and Bytes = weights (N x K in
// sh.Weights, the routed experts' in sh.ExpertDType; the router's and
// lm_head's, and the norms' and embedding's reads, in sh.OuterWeights) +
// input (M x K) and output (M x N) activations
// in sh.Activations, with M = tokens and N, K per device:
//
//	qkv          N = (heads/dev + 2 kv_heads/dev) x head_dim   K = hidden
//	attn_out     N = hidden                                    K = heads/dev x head_dim
//	mlp_gate_up  N = 2 x ffn/dev                               K = hidden
//	mlp_down     N = hidden                                    K = ffn/dev
//	lm_head      M = logits, N = vocab/dev                     K = hidden
//
// A mixture of experts replaces the MLP by a router GEMM (N = experts,
// replicated on every device) and the expert GEMMs. Under uniform top-k
// routing the T x k token-expert pairs touch, in expectation,
// D = E(1-(1-k/E)^T) distinct experts (DistinctExperts). The expert GEMMs
// carry the expected values exactly: FLOPs = 2 x T x k x N x K, weights read
// for D experts, activations for T x k rows. Their shape, used only for the
// efficiency lookup, is Batch = ceil(D) experts of M = ceil(T x k / Batch)
// rows, so for them FLOPs is not 2MNK x Batch.
//
// Memory passes (OpMemory, bytes in sh.Activations unless said):
//
//	embed          gather T rows of the vocab-sharded table (T x hidden / TP in
//	               sh.OuterWeights, on average) and write T x hidden
//	norm_residual  two residual adds fused with the RMSNorm that follows
//	               each (read the residual and the branch output, write the
//	               new residual and the normalised input): 8 x T x hidden,
//	               divided by TP where the stack shards these passes along
//	               the sequence (sh.SequenceParallel: NxD Inference), on
//	               every device over all T tokens where it replicates them
//	               (TensorRT-LLM, vLLM), + 2 x hidden weights
//	rope           read and write Q and K: 2 x T x (heads/dev + kv_heads/dev) x head_dim
//	kv_write       read the new K and V and write them to the cache (sh.KV):
//	               T x 2 x kv_heads/dev x head_dim x (activation + KV bytes)
//	mlp_act        SiLU(gate) x up: read 2, write 1 x rows x ffn/dev (rows = T x k);
//	               for a plain MLP, GELU(up): read 1, write 1
//	moe_permute    copy tokens into expert order and back, combine the k
//	               outputs: 2 x T x (1 + k) x hidden
//	final_norm     2 x T x hidden (/ TP when sequence parallel, as above) + hidden weights
//
// Collectives (OpAllReduce over Group = TP devices, only when TP > 1): after
// attention and after the MLP, T x hidden activations each (one per layer
// for a parallel block, whose attention and MLP outputs are summed first); after the
// vocab-parallel embedding, T x hidden once. The logits gather collects
// logits x vocab/dev activations from every device (vLLM gathers the full
// logits for the sampler); a ring all-gather of s bytes per device moves
// (g-1) x s per device, which a ring all-reduce of B bytes, 2(g-1)/g x B,
// equals for B = g x s / 2, so logits_gather carries that B.
//
// It panics if tokens or logits is negative, logits > tokens or sh.TP < 1:
// those are programming errors of the caller, which validated the scenario.
func (a Arch) DenseOps(dst []Op, sh Shard, tokens, logits int) []Op {
	if tokens < 0 || logits < 0 || logits > tokens || sh.TP < 1 {
		panic(fmt.Sprintf("llm: DenseOps(%s): tokens %d, logits %d, tp %d: need 0 <= logits <= tokens and tp >= 1",
			a.Name, tokens, logits, sh.TP))
	}
	if tokens == 0 {
		return dst
	}
	// wb and outer: the weights outside the linear layers (Shard.OuterWeights)
	act, wb := sh.Activations.Bytes(), sh.OuterWeights().Bytes()
	outer := sh
	outer.Weights = sh.OuterWeights()
	h, d, L, tp := a.Hidden, a.ResolvedHeadDim(), a.Layers, sh.TP
	hpd, kvpd := a.HeadsPerDevice(sh), a.KVHeadsPerDevice(sh)
	T, hf := float64(tokens), float64(h)
	ew := elementwiseSplit(sh) // devices the norms' and residual adds' tokens split over

	dst = append(dst, memOp("embed", 1, T*hf*wb/float64(tp)+T*hf*act, sh))
	if tp > 1 {
		dst = append(dst, allReduceOp("embed_allreduce", 1, T*hf*act, sh))
	}

	dst = append(dst,
		memOp("norm_residual", L, 8*T*hf*act/ew+2*hf*wb, sh),
		gemmOp("qkv", L, tokens, (hpd+2*kvpd)*d, h, sh),
		memOp("rope", L, 2*T*float64((hpd+kvpd)*d)*act, sh),
		memOp("kv_write", L, T*float64(2*kvpd*d)*(act+sh.KV.Bytes()), sh),
		gemmOp("attn_out", L, tokens, h, hpd*d, sh),
	)
	if tp > 1 && !a.ParallelBlock {
		dst = append(dst, allReduceOp("allreduce_attn", L, T*hf*act, sh))
	}

	dst = a.mlpOps(dst, sh, outer, tokens)
	if tp > 1 {
		dst = append(dst, allReduceOp("allreduce_mlp", L, T*hf*act, sh))
	}

	dst = append(dst, memOp("final_norm", 1, 2*T*hf*act/ew+hf*wb, sh))
	if logits > 0 {
		vpd := a.VocabPerDevice(sh)
		dst = append(dst, gemmOp("lm_head", 1, logits, vpd, h, outer))
		if tp > 1 {
			perDevice := float64(logits) * float64(vpd) * act
			dst = append(dst, allReduceOp("logits_gather", 1, float64(tp)*perDevice/2, sh))
		}
	}
	return dst
}

// elementwiseSplit is the number of devices the tokens of the element-wise
// passes (norms, residual adds) are split over: TP sequence parallel, 1
// (every device runs all of them) replicated.
func elementwiseSplit(sh Shard) float64 {
	if sh.SequenceParallel {
		return float64(sh.TP)
	}
	return 1
}

// mlpOps appends the MLP operations of the layers (DenseOps): a dense
// model's MLP in every layer; for a mixture of experts, the router, the
// routed experts and the shared expert (if any) in each MoE layer, and a
// DenseFFN-wide MLP in its dense layers.
func (a Arch) mlpOps(dst []Op, sh, outer Shard, tokens int) []Op {
	if !a.IsMoE() {
		return a.denseMLPOps(dst, mlpNames, a.Layers, tokens, a.FFNPerDevice(sh), sh)
	}
	act, h, L, T := sh.Activations.Bytes(), a.Hidden, a.MoELayers(), float64(tokens)
	ffn, k := a.FFNPerDevice(sh), a.TopK()
	rows := T * float64(k)
	distinct := DistinctExperts(a.Experts, k, tokens)
	batch := min(max(int(math.Ceil(distinct-1e-9)), 1), a.Experts, tokens*k)
	m := ceilDiv(tokens*k, batch)
	dst = append(dst,
		gemmOp("router", L, tokens, a.Experts, h, outer),
		memOp("moe_permute", L, 2*T*float64(1+k)*float64(h)*act, sh),
		expertOp("moe_gate_up", L, batch, m, 2*ffn, h, rows, distinct, sh),
		memOp("mlp_act", L, 3*rows*float64(ffn)*act, sh),
		expertOp("moe_down", L, batch, m, h, ffn, rows, distinct, sh),
	)
	if a.SharedFFN > 0 {
		dst = a.denseMLPOps(dst, sharedMLPNames, L, tokens, ceilDiv(a.SharedFFN, sh.TP), sh)
	}
	if a.DenseLayers > 0 {
		dst = a.denseMLPOps(dst, mlpNames, a.DenseLayers, tokens, ceilDiv(a.DenseFFN, sh.TP), sh)
	}
	return dst
}

// denseMLPOpNames are the names of a dense MLP's operations: gate_up
// (gated) or up (plain), then act and down. They are constants, not built
// from a prefix, so that DenseOps does not allocate.
type denseMLPOpNames struct{ gateUp, up, act, down string }

var (
	mlpNames       = denseMLPOpNames{"mlp_gate_up", "mlp_up", "mlp_act", "mlp_down"}
	sharedMLPNames = denseMLPOpNames{"shared_gate_up", "shared_up", "shared_act", "shared_down"}
)

// denseMLPOps appends one dense MLP, ffn columns per device, in `count`
// layers.
func (a Arch) denseMLPOps(dst []Op, n denseMLPOpNames, count, tokens, ffn int, sh Shard) []Op {
	act, h, T := sh.Activations.Bytes(), a.Hidden, float64(tokens)
	if a.MLP == MLPPlain {
		return append(dst,
			gemmOp(n.up, count, tokens, ffn, h, sh),
			memOp(n.act, count, 2*T*float64(ffn)*act, sh),
			gemmOp(n.down, count, tokens, h, ffn, sh),
		)
	}
	return append(dst,
		gemmOp(n.gateUp, count, tokens, 2*ffn, h, sh),
		memOp(n.act, count, 3*T*float64(ffn)*act, sh),
		gemmOp(n.down, count, tokens, h, ffn, sh),
	)
}

// DistinctExperts is the expected number of distinct experts that `tokens`
// tokens touch when each picks topK of `experts` uniformly at random:
// E(1-(1-k/E)^T). It is k for one token and tends to E as T grows. Real
// routers are not uniform (some experts are hot), which makes the true count
// lower and the weight reads fewer; uniform is the documented assumption.
func DistinctExperts(experts, topK, tokens int) float64 {
	if tokens <= 0 || experts <= 0 {
		return 0
	}
	e, k := float64(experts), float64(topK)
	return e * (1 - math.Pow(1-k/e, float64(tokens)))
}

// gemmOp is a dense GEMM with weights N x K shared by the M rows.
func gemmOp(name string, count, m, n, k int, sh Shard) Op {
	mf, nf, kf := float64(m), float64(n), float64(k)
	act := sh.Activations.Bytes()
	return Op{
		Kind: OpGEMM, Name: name, Count: count, Batch: 1, M: m, N: n, K: k,
		DType: sh.ComputeDType(),
		FLOPs: 2 * mf * nf * kf,
		Bytes: nf*kf*sh.Weights.Bytes() + (mf*kf+mf*nf)*act,
	}
}

// expertOp is the expert GEMM of an MoE layer: FLOPs and bytes are the
// expected values for `rows` token-expert pairs spread over `distinct`
// experts, whose weights are in sh.ExpertDType; batch x m x n x k is the
// shape for the efficiency lookup and the tile padding, m being the mean rows
// per expert rounded up. Its Volume is the true rows x n x k: measured
// against batch x m x n x k the padding shrank each time m stepped up, since
// the FLOPs grew by the new rows only, and a longer prompt's experts came out
// cheaper.
func expertOp(name string, count, batch, m, n, k int, rows, distinct float64, sh Shard) Op {
	nf, kf := float64(n), float64(k)
	return Op{
		Kind: OpGEMM, Name: name, Count: count, Batch: batch, M: m, N: n, K: k,
		DType:  sh.ExpertComputeDType(),
		Volume: rows * nf * kf,
		FLOPs:  2 * rows * nf * kf,
		Bytes:  distinct*nf*kf*sh.ExpertDType().Bytes() + rows*(kf+nf)*sh.Activations.Bytes(),
	}
}

func memOp(name string, count int, bytes float64, sh Shard) Op {
	return Op{Kind: OpMemory, Name: name, Count: count, Batch: 1, DType: sh.Activations, Bytes: bytes}
}

func allReduceOp(name string, count int, bytes float64, sh Shard) Op {
	return Op{Kind: OpAllReduce, Name: name, Count: count, Batch: 1, DType: sh.Activations, Bytes: bytes, Group: sh.TP}
}
