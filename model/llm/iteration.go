package llm

// Iteration is one step of a continuous-batching scheduler on one replica:
// some requests prefill a chunk of their prompt, others decode one token.
type Iteration struct {
	Prefill []PrefillChunk
	Decode  []DecodeSeq
}

// PrefillChunk is Tokens prompt tokens processed at positions [Offset, Offset+Tokens).
// Last marks the chunk that completes the prompt: it produces logits (the first token).
type PrefillChunk struct {
	Tokens int
	Offset int
	Last   bool
}

// DecodeSeq is a sequence generating one token while attending over Context tokens
// (the KV cache already written, not counting the new token).
type DecodeSeq struct {
	Context int
}

// Tokens is the number of tokens the iteration pushes through the weights:
// every prefill chunk's tokens plus one per decoding sequence.
func (it Iteration) Tokens() int {
	n := len(it.Decode)
	for _, c := range it.Prefill {
		n += c.Tokens
	}
	return n
}

// Logits is the number of tokens that go through the LM head: one per
// decoding sequence and one per prefill chunk that completes its prompt.
func (it Iteration) Logits() int {
	n := len(it.Decode)
	for _, c := range it.Prefill {
		if c.Last && c.Tokens > 0 {
			n++
		}
	}
	return n
}

// SumContext is the total context the decoding sequences attend over.
func (it Iteration) SumContext() int {
	n := 0
	for _, s := range it.Decode {
		n += s.Context
	}
	return n
}

// PadBatch is the batch a compiled (Neuron) graph runs n sequences as: the
// next power of two >= n. The simulator's schedulers, hw's closed form and
// the static KV cache of a compiled replica (model.PlanReplicaMemory) all
// pad with it.
func PadBatch(n int) int {
	b := 1
	for b < n {
		b *= 2
	}
	return b
}
