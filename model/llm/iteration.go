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
