package llm

// OpKind says how hardware executes an operation and therefore how it is priced.
type OpKind uint8

const (
	// OpGEMM is Batch independent (M x K) x (K x N) products. Priced as
	// max(compute, memory) with the calibrated GEMM efficiency at (M, N, K).
	OpGEMM OpKind = iota
	// OpAttention is the attention core (QK^T, softmax, PV) given as FLOPs and
	// bytes; M, N, K describe the equivalent per-head batched GEMM so that the
	// calibrated efficiency can be looked up (M = query rows sharing one KV head,
	// N = keys, K = head dim, Batch = KV heads x sequences; see DecodeAttentionOps
	// and PrefillAttentionOps).
	OpAttention
	// OpMemory is a memory-bound pass (norms, activations, RoPE, KV-cache writes):
	// only Bytes matter.
	OpMemory
	// OpAllReduce is a collective over Group devices, Bytes per device, priced as a
	// ring: 2(g-1)/g x Bytes over the chip-to-chip link.
	OpAllReduce
)

func (k OpKind) String() string {
	switch k {
	case OpGEMM:
		return "gemm"
	case OpAttention:
		return "attention"
	case OpMemory:
		return "memory"
	case OpAllReduce:
		return "allreduce"
	}
	return "unknown"
}

// Op is one operation of a scheduler iteration on one device of a replica
// (tensor-parallel shards are already divided out). Count repeats it (usually
// once per layer), so an iteration is a short list, not thousands of entries.
type Op struct {
	Kind  OpKind
	Name  string // e.g. "qkv", "attn_out", "mlp_gate_up", "mlp_down", "lm_head", "attn_decode"
	Count int    // how many times the op runs in the iteration (layers); >= 1

	// GEMM (or equivalent GEMM for attention) shape per device.
	Batch   int // independent products (attention heads, MoE experts); >= 1
	M, N, K int
	// Volume is Batch x M x N x K of the work FLOPs count, where one of the
	// dimensions above is the ceiling of a mean (an MoE expert's rows, a
	// decoding sequence's keys) and so describes more than the work; 0 means
	// exactly Batch x M x N x K. Tile padding is measured against it
	// (hw.Perf), so that a rounded-up dimension is charged as padding once,
	// not as FLOPs that are not there.
	Volume float64

	DType DType   // compute dtype
	FLOPs float64 // floating-point operations per execution (2 per multiply-add)
	Bytes float64 // bytes moved to or from device memory per execution (weights, activations, KV)
	Group int     // devices taking part in a collective (OpAllReduce)
}

// Total returns FLOPs and bytes summed over Count.
func (o Op) Total() (flops, bytes float64) {
	c := float64(o.Count)
	return o.FLOPs * c, o.Bytes * c
}
