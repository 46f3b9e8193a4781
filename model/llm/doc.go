// Package llm is the arithmetic of decoder-only transformer LLMs: a catalog of
// published architectures (dense and mixture-of-experts), their parameter
// counts and KV-cache bytes per token, and the translation of one scheduler
// iteration (prefill chunks and decoding sequences) into the operations
// (GEMMs, attention, memory passes, all-reduces) that package hw prices.
// training.go sizes a fine-tuning job's memory (state and activations) and
// the gang of replicas that holds it. catalog.go holds the published
// architectures and reads a model's name as the release it names (Hugging
// Face ids, chat and instruct fine-tunes); dtype.go the numeric formats and
// the spellings frameworks print for them.
package llm
