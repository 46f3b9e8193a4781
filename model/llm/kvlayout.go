package llm

import "math"

// KVLayout is how a replica counts its KV memory for a model, and what a
// request of it holds.
//
// A layer that attends within a window of W tokens (Mistral-7B v0.1,
// GPT-OSS's local layers, Llama 4's chunked ones) needs the keys and values
// of its last W tokens only, and a paged server that frees a windowed
// layer's blocks once they leave its window (vLLM's SlidingWindowManager,
// vllm-project/vllm vllm/v1/core/single_type_kv_cache_manager.py, in its
// hybrid KV-cache manager since v0.10) holds a long request's whole context
// in the full-attention layers and about a window in the others.
//
// Memory is counted in units: one unit is block_tokens tokens of UnitLayers
// layers, where UnitLayers divides both the layer count and the count of
// full-attention layers (their greatest common divisor). A model without
// windowed layers, or a server that keeps every layer's whole context, has
// UnitLayers = layers: a unit is the familiar block of every layer. A
// request grows by All units per block of tokens while it is short (no more
// than CapBlocks blocks long in all: every layer keeps every token), and by
// Full units per block when its whole length (prompt and output) is longer;
// a long request's windowed layers take a fixed Win x CapBlocks units,
// reserved with its first block. Each request grows by a constant number of
// units per block either way, which keeps the simulator's implicit decoders
// exact.
//
// CapBlocks is ceil(W / block_tokens) + 1: a window that straddles a block
// boundary. Between steps that bounds what the server holds in a windowed
// layer; while a prompt chunk of n tokens is being prefilled, vLLM also
// holds the chunk's blocks there until the next step frees those out of the
// window, up to n / block_tokens blocks more, which the layout does not
// charge.
type KVLayout struct {
	All, Full, Win int32 // units per block of tokens: every layer, the full-attention layers, the windowed ones
	CapBlocks      int32 // blocks of tokens a windowed layer holds at most; 0: the plain layout
	UnitLayers     int   // layers one unit covers
}

// PlainKV is the layout of a server that keeps every layer's whole context:
// one unit per block of every layer.
func (a Arch) PlainKV() KVLayout { return KVLayout{All: 1, Full: 1, UnitLayers: a.Layers} }

// KVLayout is a's layout in blocks of blockTokens tokens; windowed says
// whether the server frees windowed layers' blocks beyond their window.
func (a Arch) KVLayout(blockTokens int32, windowed bool) KVLayout {
	if !windowed || a.SlidingLayers == 0 || blockTokens < 1 {
		return a.PlainKV()
	}
	full := a.Layers - a.SlidingLayers
	u := gcd(full, a.Layers)
	return KVLayout{
		All: int32(a.Layers / u), Full: int32(full / u), Win: int32(a.SlidingLayers / u),
		CapBlocks:  int32(ceilDiv(min(a.SlidingWindow, math.MaxInt32-int(blockTokens)), int(blockTokens))) + 1,
		UnitLayers: u,
	}
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// Windowed reports whether the layout frees windowed layers' blocks.
func (k *KVLayout) Windowed() bool { return k.CapBlocks > 0 }

// Long reports whether a request of total tokens (prompt and output) is
// longer than its windowed layers keep.
func (k *KVLayout) Long(total, blockTokens int32) bool {
	return k.CapBlocks > 0 && (total+blockTokens-1)/blockTokens > k.CapBlocks
}

// Growth is the units a request of total tokens takes per block of tokens.
func (k *KVLayout) Growth(total, blockTokens int32) int32 {
	if k.Long(total, blockTokens) {
		return k.Full
	}
	return k.All
}

// Units is what a request of total tokens holds once it has tokens in the
// cache (0 for none). It is int64: a caller narrows it only after checking
// that a max_model_len request's units fit the replica's count.
func (k *KVLayout) Units(tokens, total, blockTokens int32) int64 {
	if tokens <= 0 {
		return 0
	}
	blocks := (int64(tokens) + int64(blockTokens) - 1) / int64(blockTokens)
	if k.Long(total, blockTokens) {
		return int64(k.Full)*blocks + int64(k.Win)*int64(k.CapBlocks)
	}
	return int64(k.All) * blocks
}

// UnitBytes is the bytes of one unit when one token of every layer takes
// perToken bytes (per device) of a model of layers layers.
func (k *KVLayout) UnitBytes(perToken float64, layers int, blockTokens int32) float64 {
	return perToken * float64(k.UnitLayers) / float64(layers) * float64(blockTokens)
}

// UnitsIn is how many whole units fit in kvBytes.
func (k *KVLayout) UnitsIn(kvBytes, perToken float64, layers int, blockTokens int32) float64 {
	return math.Floor(kvBytes / k.UnitBytes(perToken, layers, blockTokens))
}
