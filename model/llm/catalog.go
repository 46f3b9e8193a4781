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
	llama2(shapeL2_7B, "llama-2-7b", 4096, "https://huggingface.co/meta-llama/Llama-2-7b-hf/blob/main/config.json; 6.74B params per the safetensors count"),
	llama2(shapeL2_13B, "llama-2-13b", 4096, "https://huggingface.co/meta-llama/Llama-2-13b-hf/blob/main/config.json; 13.02B params per the safetensors count"),
	llama2(shapeL2_70B, "llama-2-70b", 4096, "https://huggingface.co/meta-llama/Llama-2-70b-hf/blob/main/config.json; 68.98B params per the safetensors count"),
	{
		Name: "codellama-13b", Hidden: 5120, Layers: 40, Heads: 40, KVHeads: 40, HeadDim: 128,
		FFN: 13824, Vocab: 32016, MaxContext: 16384, PublishedParams: 13.02e9,
		Source: "https://huggingface.co/codellama/CodeLlama-13b-hf/blob/main/config.json; 13.02B params per the safetensors count",
	},
	mistral7B("mistral-7b-v0.1", 4096, "https://huggingface.co/mistralai/Mistral-7B-v0.1/blob/main/config.json (sliding window 4096); 7.24B params"),
	mistral7B("mistral-7b-instruct-v0.2", 0, "https://huggingface.co/mistralai/Mistral-7B-Instruct-v0.2/blob/main/config.json (rope_theta 1e6, no sliding window); 7.24B params"),
	{
		// GPT-OSS-120B: attention biases and learned attention sinks are not
		// modelled (together well under 0.1% of the weights and of the work:
		// one bias vector per projection, one extra logit per head), and its
		// MXFP4 experts are counted at the weight format the scenario gives
		// (the published Neuron runs dequantised them to bf16). Alternating
		// layers attend over a 128-token window: half the layers.
		Name: "gpt-oss-120b", Hidden: 2880, Layers: 36, Heads: 64, KVHeads: 8, HeadDim: 64,
		FFN: 2880, Vocab: 201088, Experts: 128, ActiveExperts: 4, MaxContext: 131072,
		SlidingWindow: 128, SlidingLayers: 18,
		Source: "https://huggingface.co/openai/gpt-oss-120b/blob/main/config.json; 116.8B total params per " +
			"https://openai.com/index/introducing-gpt-oss/ (model card: 5.1B active without the 0.58B input embedding)",
		PublishedParams: 116.8e9,
	},
	{
		// GPT-J-6B: parallel attention and MLP, a plain GELU MLP (4 x hidden),
		// rotary embeddings on 64 of the 256 head dimensions, biases (not modelled).
		Name: "gpt-j-6b", Hidden: 4096, Layers: 28, Heads: 16, KVHeads: 16, HeadDim: 256,
		FFN: 16384, Vocab: 50400, MaxContext: 2048, MLP: MLPPlain, ParallelBlock: true,
		Source:          "https://huggingface.co/EleutherAI/gpt-j-6b/blob/main/config.json; 6.05B params per the model card",
		PublishedParams: 6.05e9,
	},
	{
		// Falcon-180B: parallel attention and MLP, a plain GELU MLP
		// (4 x hidden), 8 KV groups, tied input and output embeddings.
		Name: "falcon-180b", Hidden: 14848, Layers: 80, Heads: 232, KVHeads: 8, HeadDim: 64,
		FFN: 59392, Vocab: 65024, MaxContext: 2048, MLP: MLPPlain, ParallelBlock: true, TiedEmbeddings: true,
		Source:          "https://huggingface.co/tiiuae/falcon-180B/blob/main/config.json; 180B params per the model card",
		PublishedParams: 180e9,
	},
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

// Published Llama-2 shapes (MHA for 7B and 13B, GQA for 70B; vocab 32000).
var (
	shapeL2_7B  = Arch{Hidden: 4096, Layers: 32, Heads: 32, KVHeads: 32, FFN: 11008, Vocab: 32000, PublishedParams: 6.74e9}
	shapeL2_13B = Arch{Hidden: 5120, Layers: 40, Heads: 40, KVHeads: 40, FFN: 13824, Vocab: 32000, PublishedParams: 13.02e9}
	shapeL2_70B = Arch{Hidden: 8192, Layers: 80, Heads: 64, KVHeads: 8, FFN: 28672, Vocab: 32000, PublishedParams: 68.98e9}
)

func llama2(shape Arch, name string, maxContext int, source string) Arch {
	return llama3(shape, name, maxContext, source)
}

// mistral7B is the Mistral-7B shape; window > 0 makes every layer local.
func mistral7B(name string, window int, source string) Arch {
	a := Arch{Name: name, Hidden: 4096, Layers: 32, Heads: 32, KVHeads: 8, HeadDim: 128, FFN: 14336, Vocab: 32000,
		MaxContext: 32768, PublishedParams: 7.24e9, Source: source}
	if window > 0 {
		a.SlidingWindow, a.SlidingLayers = window, a.Layers
	}
	return a
}

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
