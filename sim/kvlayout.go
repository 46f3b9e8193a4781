package sim

import (
	"math"

	"aiecon/model/llm"
)

// KV blocks of models with windowed layers.
//
// A layer that attends within a window of W tokens (Mistral-7B v0.1,
// GPT-OSS's local layers, Llama 4's chunked ones) needs the keys and values
// of its last W tokens only. vLLM's hybrid KV-cache manager and
// TensorRT-LLM's sliding-window (cyclic) cache free such a layer's blocks
// once they fall out of its window, so a long request holds the whole
// context in the layers that attend over it and at most a window in the
// others.
//
// The replica's KV memory is counted in units: one unit is block_tokens
// tokens of unitLayers layers, where unitLayers divides both the layer
// count and the count of full-attention layers (their greatest common
// divisor). A model without windowed layers has unitLayers = layers, so a
// unit is the familiar block of every layer. A request grows by `all` units
// per block of tokens while it is no longer than a window (every layer
// keeps every token), and by `full` units per block when its whole length
// (prompt and output) is longer: its windowed layers then take a fixed
// `win` x capBlocks units, reserved with its first block. Each request
// grows by a constant number of units per block either way, which keeps
// the implicit decoders of epoch.go exact: they count units, not blocks,
// at each phase.
//
// The fixed part is an upper bound on what a sliding-window manager holds:
// ceil(W / block_tokens) + 1 blocks (a window that straddles a block
// boundary) for a request longer than its window, from its first token
// rather than from the window's end. Neuron's compiled graphs keep a cache
// per sequence slot over its whole length, and speculative decoding's
// proposer keeps its own cache beside the target's, so both keep the
// plain layout.
type kvLayout struct {
	all, full, win int32 // units per block of tokens: every layer, the full-attention layers, the windowed ones
	capBlocks      int32 // blocks of tokens a windowed layer holds at most; 0: the plain layout
	unitLayers     int   // layers one unit covers
}

// plainKV is the layout of a model without windowed layers (or of a server
// that keeps every layer's whole context): one unit per block.
func plainKV(a llm.Arch) kvLayout { return kvLayout{all: 1, full: 1, unitLayers: a.Layers} }

// newKVLayout is a's layout in blocks of blockTokens tokens; windowed says
// whether the replica frees windowed layers' blocks beyond their window.
func newKVLayout(a llm.Arch, blockTokens int32, windowed bool) kvLayout {
	if !windowed || a.SlidingLayers == 0 {
		return plainKV(a)
	}
	full := a.Layers - a.SlidingLayers
	u := gcd(full, a.Layers)
	return kvLayout{
		all: int32(a.Layers / u), full: int32(full / u), win: int32(a.SlidingLayers / u),
		capBlocks:  ceilDiv32(int32(min(a.SlidingWindow, math.MaxInt32-int(blockTokens))), blockTokens) + 1,
		unitLayers: u,
	}
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func ceilDiv32(a, b int32) int32 { return (a + b - 1) / b }

// windowed reports whether the layout frees windowed layers' blocks.
func (k *kvLayout) windowed() bool { return k.capBlocks > 0 }

// long reports whether a request of total tokens (prompt and output) is
// longer than its windowed layers keep.
func (k *kvLayout) long(total, blockTokens int32) bool {
	return k.capBlocks > 0 && ceilDiv32(total, blockTokens) > k.capBlocks
}

// growth is the units a request of total tokens takes per block of tokens.
func (k *kvLayout) growth(total, blockTokens int32) int32 {
	if k.long(total, blockTokens) {
		return k.full
	}
	return k.all
}

// fixed is the units a request of total tokens holds for its windowed
// layers from its first block on.
func (k *kvLayout) fixed(total, blockTokens int32) int32 {
	if k.long(total, blockTokens) {
		return k.win * k.capBlocks
	}
	return 0
}

// units is what a request of total tokens holds once it has tokens in the
// cache (0 for none).
func (k *kvLayout) units(tokens, total, blockTokens int32) int32 {
	if tokens <= 0 {
		return 0
	}
	return k.growth(total, blockTokens)*ceilDiv32(tokens, blockTokens) + k.fixed(total, blockTokens)
}

// unitsPerReplica is how many units fit in kvBytes (per device) when one
// token of every layer takes perToken bytes per device.
func (k *kvLayout) unitsPerReplica(kvBytes, perToken float64, layers int, blockTokens int32) float64 {
	unitBytes := perToken * float64(k.unitLayers) / float64(layers) * float64(blockTokens)
	return math.Floor(kvBytes / unitBytes)
}
