package llm

import (
	"fmt"
	"slices"
	"strings"
)

// The catalog holds the published shapes (the config.json of each model on
// Hugging Face) and parameter counts (the model card, or the safetensors
// count Hugging Face shows for it). The three Llama-3 70B releases share one
// shape, as do the two 8B ones; they differ in training data and context length.
var catalog = []Arch{
	llama3(shape8B, "llama-3-8b", 8192, "https://huggingface.co/meta-llama/Meta-Llama-3-8B/blob/main/config.json; 8.03B params per the model page"),
	llama3(shape70B, "llama-3-70b", 8192, "https://huggingface.co/meta-llama/Meta-Llama-3-70B/blob/main/config.json; 70.6B params per the model page"),
	llama3(shape8B, "llama-3.1-8b", 131072, "https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json; 8.03B params per the model page"),
	llama3(shape70B, "llama-3.1-70b", 131072, "https://huggingface.co/meta-llama/Llama-3.1-70B/blob/main/config.json; 70.6B params per the model page"),
	llama3(shape70B, "llama-3.3-70b", 131072, "https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct/blob/main/config.json; 70.6B params per the model page"),
	llama3(shape405B, "llama-3.1-405b", 131072, "https://huggingface.co/meta-llama/Llama-3.1-405B/blob/main/config.json; 405B params per the model card"),
	{
		Name: "mixtral-8x7b", Hidden: 4096, Layers: 32, Heads: 32, KVHeads: 8, HeadDim: 128,
		FFN: 14336, Vocab: 32000, Experts: 8, ActiveExperts: 2, MaxContext: 32768,
		Source: "https://huggingface.co/mistralai/Mixtral-8x7B-v0.1/blob/main/config.json; " +
			"46.7B total / 12.9B active params per https://mistral.ai/news/mixtral-of-experts",
		PublishedParams: 46.7e9, PublishedActiveParams: 12.9e9,
	},
}

// Published Llama-3 shapes (hidden, layers, heads, kv_heads, ffn, vocab, params).
var (
	shape8B   = Arch{Hidden: 4096, Layers: 32, Heads: 32, KVHeads: 8, FFN: 14336, Vocab: 128256, PublishedParams: 8.03e9}
	shape70B  = Arch{Hidden: 8192, Layers: 80, Heads: 64, KVHeads: 8, FFN: 28672, Vocab: 128256, PublishedParams: 70.6e9}
	shape405B = Arch{Hidden: 16384, Layers: 126, Heads: 128, KVHeads: 8, FFN: 53248, Vocab: 128256, PublishedParams: 405e9}
)

func llama3(shape Arch, name string, maxContext int, source string) Arch {
	a := shape
	a.Name, a.MaxContext, a.Source = name, maxContext, source
	a.HeadDim = 128
	return a
}

// Lookup returns the catalog architecture called name (case-insensitive).
func Lookup(name string) (Arch, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	for _, a := range catalog {
		if a.Name == key {
			return a, nil
		}
	}
	return Arch{}, fmt.Errorf("unknown model architecture %q (known: %s; or define one inline)", name, strings.Join(Names(), ", "))
}

// Names lists the catalog architectures, sorted.
func Names() []string {
	names := make([]string, len(catalog))
	for i, a := range catalog {
		names[i] = a.Name
	}
	slices.Sort(names)
	return names
}
