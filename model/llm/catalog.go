package llm

import (
	"fmt"
	"regexp"
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
	codeLlama(shapeL2_13B, "codellama-13b", 32016, "https://huggingface.co/codellama/CodeLlama-13b-hf/blob/main/config.json; 13.02B params per the safetensors count"),
	llama3(shape3_2_1B, "llama-3.2-1b", 131072, "https://huggingface.co/meta-llama/Llama-3.2-1B/blob/main/config.json (tied embeddings); 1.24B params per the model page"),
	llama3(shape3_2_3B, "llama-3.2-3b", 131072, "https://huggingface.co/meta-llama/Llama-3.2-3B/blob/main/config.json (tied embeddings); 3.21B params per the model page"),
	codeLlama(shapeL2_7B, "codellama-7b", 32016, "https://huggingface.co/codellama/CodeLlama-7b-hf/blob/main/config.json; 6.74B params per the safetensors count"),
	codeLlama(shapeCL34B, "codellama-34b", 32000, "https://huggingface.co/codellama/CodeLlama-34b-hf/blob/main/config.json; 33.7B params per the safetensors count"),
	codeLlama(shapeL2_70B, "codellama-70b", 32016, "https://huggingface.co/codellama/CodeLlama-70b-hf/blob/main/config.json; 69B params per the safetensors count"),
	mistral7B("mistral-7b-v0.1", 4096, "https://huggingface.co/mistralai/Mistral-7B-v0.1/blob/main/config.json (sliding window 4096); 7.24B params"),
	mistral7Bv03,
	{
		Name: "mistral-nemo-12b", Hidden: 5120, Layers: 40, Heads: 32, KVHeads: 8, HeadDim: 128,
		FFN: 14336, Vocab: 131072, MaxContext: 131072, PublishedParams: 12.2e9,
		Source: "https://huggingface.co/mistralai/Mistral-Nemo-Base-2407/blob/main/config.json; " +
			"12.2B params and a 128k context per https://mistral.ai/news/mistral-nemo",
	},
	qwen25("qwen2.5-7b", shapeQ7B, "https://huggingface.co/Qwen/Qwen2.5-7B/blob/main/config.json; 7.61B params per the model card"),
	qwen25("qwen2.5-72b", shapeQ72B, "https://huggingface.co/Qwen/Qwen2.5-72B/blob/main/config.json; 72.7B params per the model card"),
	qwen25small("qwen2.5-0.5b", shapeQ05B, "https://huggingface.co/Qwen/Qwen2.5-0.5B/blob/main/config.json (tied embeddings); 0.49B params per the model card"),
	qwen25small("qwen2.5-1.5b", shapeQ15B, "https://huggingface.co/Qwen/Qwen2.5-1.5B/blob/main/config.json (tied embeddings); 1.54B params per the model card"),
	qwen25small("qwen2.5-3b", shapeQ3B, "https://huggingface.co/Qwen/Qwen2.5-3B/blob/main/config.json (tied embeddings); 3.09B params per the model card"),
	qwen25("qwen2.5-14b", shapeQ14B, "https://huggingface.co/Qwen/Qwen2.5-14B/blob/main/config.json; 14.7B params per the model card"),
	qwen25("qwen2.5-32b", shapeQ32B, "https://huggingface.co/Qwen/Qwen2.5-32B/blob/main/config.json; 32.8B params per the safetensors count"),
	qwen3("qwen3-0.6b", shapeQ3_06B, 32768, "https://huggingface.co/Qwen/Qwen3-0.6B/blob/main/config.json (tied embeddings); 0.6B params per the model card"),
	qwen3("qwen3-1.7b", shapeQ3_17B, 32768, "https://huggingface.co/Qwen/Qwen3-1.7B/blob/main/config.json (tied embeddings); 1.7B params per the model card"),
	qwen3("qwen3-4b", shapeQ3_4B, 131072, "https://huggingface.co/Qwen/Qwen3-4B/blob/main/config.json (tied embeddings); 4.0B params per the model card"),
	qwen3("qwen3-8b", shapeQ3_8B, 131072, "https://huggingface.co/Qwen/Qwen3-8B/blob/main/config.json; 8.2B params per the model card"),
	qwen3("qwen3-14b", shapeQ3_14B, 131072, "https://huggingface.co/Qwen/Qwen3-14B/blob/main/config.json; 14.8B params per the model card"),
	qwen3("qwen3-32b", shapeQ3_32B, 131072, "https://huggingface.co/Qwen/Qwen3-32B/blob/main/config.json; 32.8B params per the model card"),
	qwen3("qwen3-30b-a3b", shapeQ3_30BA3B, 131072, "https://huggingface.co/Qwen/Qwen3-30B-A3B/blob/main/config.json (128 experts of 768, top 8); 30.5B total / 3.3B active params per the model card"),
	qwen3("qwen3-235b-a22b", shapeQ3_235BA22B, 131072, "https://huggingface.co/Qwen/Qwen3-235B-A22B/blob/main/config.json (128 experts of 1,536, top 8); 235B total / 22B active params per the model card"),
	{
		// Mixtral-8x22B: the base model's vocabulary (32,000); the instruct
		// release's 32,768 adds 0.01B parameters of 141B.
		Name: "mixtral-8x22b", Hidden: 6144, Layers: 56, Heads: 48, KVHeads: 8, HeadDim: 128,
		FFN: 16384, Vocab: 32000, Experts: 8, ActiveExperts: 2, MaxContext: 65536,
		Source: "https://huggingface.co/mistralai/Mixtral-8x22B-v0.1/blob/main/config.json; " +
			"141B total / 39B active params per https://mistral.ai/news/mixtral-8x22b",
		PublishedParams: 141e9, PublishedActiveParams: 39e9,
	},
	mistral7B("mistral-7b-instruct-v0.2", 0, "https://huggingface.co/mistralai/Mistral-7B-Instruct-v0.2/blob/main/config.json (rope_theta 1e6, no sliding window); 7.24B params"),
	{
		// GPT-OSS-120B: attention biases and learned attention sinks are not
		// modelled (together well under 0.1% of the weights and of the work:
		// one bias vector per projection, one extra logit per head), and its
		// MXFP4 experts are counted at the scenario's precision.expert_weights
		// (int4 stores MXFP4 within 3%; the published Neuron runs dequantised
		// them to bf16). Alternating layers attend over a 128-token window:
		// half the layers.
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
	llama4("llama-4-scout-17b-16e", 16, 0, 10485760, 109e9,
		"https://huggingface.co/meta-llama/Llama-4-Scout-17B-16E/blob/main/config.json (text_config); "+
			"17B active / 109B total params per https://ai.meta.com/blog/llama-4-multimodal-intelligence/, the total with the vision encoder"),
	llama4("llama-4-maverick-17b-128e", 128, 24, 1048576, 400e9,
		"https://huggingface.co/meta-llama/Llama-4-Maverick-17B-128E/blob/main/config.json (text_config; interleave_moe_layer_step 2); "+
			"17B active / 400B total params per https://ai.meta.com/blog/llama-4-multimodal-intelligence/"),
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

// Published shapes of Llama-3.2 1B and 3B (tied input and output
// embeddings), CodeLlama-34B (grouped-query, Llama-2 vocabulary) and Qwen2.5.
var (
	shape3_2_1B = Arch{Hidden: 2048, Layers: 16, Heads: 32, KVHeads: 8, HeadDim: 64, FFN: 8192, Vocab: 128256, TiedEmbeddings: true, PublishedParams: 1.24e9}
	shape3_2_3B = Arch{Hidden: 3072, Layers: 28, Heads: 24, KVHeads: 8, FFN: 8192, Vocab: 128256, TiedEmbeddings: true, PublishedParams: 3.21e9}
	shapeCL34B  = Arch{Hidden: 8192, Layers: 48, Heads: 64, KVHeads: 8, FFN: 22016, PublishedParams: 33.7e9}
	shapeQ7B    = Arch{Hidden: 3584, Layers: 28, Heads: 28, KVHeads: 4, FFN: 18944, PublishedParams: 7.61e9}
	shapeQ72B   = Arch{Hidden: 8192, Layers: 80, Heads: 64, KVHeads: 8, FFN: 29568, PublishedParams: 72.7e9}
	shapeQ05B   = Arch{Hidden: 896, Layers: 24, Heads: 14, KVHeads: 2, FFN: 4864, PublishedParams: 0.49e9}
	shapeQ15B   = Arch{Hidden: 1536, Layers: 28, Heads: 12, KVHeads: 2, FFN: 8960, PublishedParams: 1.54e9}
	shapeQ3B    = Arch{Hidden: 2048, Layers: 36, Heads: 16, KVHeads: 2, FFN: 11008, PublishedParams: 3.09e9}
	shapeQ14B   = Arch{Hidden: 5120, Layers: 48, Heads: 40, KVHeads: 8, FFN: 13824, PublishedParams: 14.7e9}
	shapeQ32B   = Arch{Hidden: 5120, Layers: 64, Heads: 40, KVHeads: 8, FFN: 27648, PublishedParams: 32.8e9}
)

// Published Qwen3 shapes. Every size has 128-wide heads, so the query
// projection of the 0.6B, 4B and 32B is wider than the model; the three
// smallest tie their embeddings. The MoE models' FFN is one expert's
// (moe_intermediate_size); every layer is an MoE layer, with no shared expert.
var (
	shapeQ3_06B      = Arch{Hidden: 1024, Layers: 28, Heads: 16, KVHeads: 8, FFN: 3072, TiedEmbeddings: true, PublishedParams: 0.6e9}
	shapeQ3_17B      = Arch{Hidden: 2048, Layers: 28, Heads: 16, KVHeads: 8, FFN: 6144, TiedEmbeddings: true, PublishedParams: 1.7e9}
	shapeQ3_4B       = Arch{Hidden: 2560, Layers: 36, Heads: 32, KVHeads: 8, FFN: 9728, TiedEmbeddings: true, PublishedParams: 4.0e9}
	shapeQ3_8B       = Arch{Hidden: 4096, Layers: 36, Heads: 32, KVHeads: 8, FFN: 12288, PublishedParams: 8.2e9}
	shapeQ3_14B      = Arch{Hidden: 5120, Layers: 40, Heads: 40, KVHeads: 8, FFN: 17408, PublishedParams: 14.8e9}
	shapeQ3_32B      = Arch{Hidden: 5120, Layers: 64, Heads: 64, KVHeads: 8, FFN: 25600, PublishedParams: 32.8e9}
	shapeQ3_30BA3B   = Arch{Hidden: 2048, Layers: 48, Heads: 32, KVHeads: 4, FFN: 768, Experts: 128, ActiveExperts: 8, PublishedParams: 30.5e9, PublishedActiveParams: 3.3e9}
	shapeQ3_235BA22B = Arch{Hidden: 4096, Layers: 94, Heads: 64, KVHeads: 4, FFN: 1536, Experts: 128, ActiveExperts: 8, PublishedParams: 235e9, PublishedActiveParams: 22e9}
)

// mistral7Bv03 is Mistral-7B v0.3: v0.2's shape (no sliding window) with
// the vocabulary extended to 32,768.
var mistral7Bv03 = func() Arch {
	a := mistral7B("mistral-7b-v0.3", 0, "https://huggingface.co/mistralai/Mistral-7B-v0.3/blob/main/config.json (vocabulary 32768, no sliding window); 7.25B params")
	a.Vocab, a.PublishedParams = 32768, 7.25e9
	return a
}()

// codeLlama is a CodeLlama release: the Llama-2 shape it was trained from,
// with a 16k context and its own vocabulary (the 7B, 13B and 70B releases
// add 16 infilling tokens, 32,016; the 34B keeps 32,000).
func codeLlama(shape Arch, name string, vocab int, source string) Arch {
	a := llama3(shape, name, 16384, source)
	a.Vocab = vocab
	return a
}

// qwen25 is a Qwen2.5 model: a Llama-style block with biases on the query,
// key and value projections (not counted: 0.002% of the weights, one vector
// per projection), a 152,064-token vocabulary and untied embeddings at 7B and
// up. The config.json sets 32,768 positions; the model card gives 131,072
// with YaRN scaling, which is the context a server can be configured for.
func qwen25(name string, shape Arch, source string) Arch {
	a := shape
	a.Name, a.Vocab, a.MaxContext, a.Source = name, 152064, 131072, source
	return a
}

// qwen25small is a Qwen2.5 model under 7B: tied embeddings, a 151,936-token
// vocabulary and a 32,768-token context (the model cards).
func qwen25small(name string, shape Arch, source string) Arch {
	a := qwen25(name, shape, source)
	a.Vocab, a.MaxContext, a.TiedEmbeddings = 151936, 32768, true
	return a
}

// qwen3 is a Qwen3 model: a Llama-style block with RMSNorms on each query
// and key head (not counted: 256 weights a layer) and no biases, 128-wide
// heads and a 151,936-token vocabulary. maxContext is the model card's: 32,768
// for the two smallest, 131,072 with YaRN scaling for the others (their
// config.json sets 40,960 positions, the native 32,768 plus room to generate).
func qwen3(name string, shape Arch, maxContext int, source string) Arch {
	a := shape
	a.Name, a.Vocab, a.HeadDim, a.MaxContext, a.Source = name, 151936, 128, maxContext, source
	return a
}

// llama4 is a Llama 4 text model: 48 layers of 5,120 with 40 query and 8 KV
// heads; MoE layers of `experts` experts 8,192 wide, top 1, beside a shared
// expert as wide; denseLayers of the 48 with a 16,384-wide MLP instead
// (Maverick alternates them); a 202,048-token vocabulary. Three of every
// four layers attend within chunks of 8,192 tokens; they are modelled as a
// window of 8,192, exact up to that context and up to 2x high on their
// attention beyond it (a chunk's tokens see 1 to 8,192 keys). Every fourth
// layer (no rotary embedding) attends over the whole context. Scout's
// query and key L2 norms have no weights.
func llama4(name string, experts, denseLayers, maxContext int, published float64, source string) Arch {
	a := Arch{Name: name, Hidden: 5120, Layers: 48, Heads: 40, KVHeads: 8, HeadDim: 128,
		FFN: 8192, Vocab: 202048, Experts: experts, ActiveExperts: 1, SharedFFN: 8192,
		MaxContext: maxContext, SlidingWindow: 8192, SlidingLayers: 36,
		PublishedParams: published, PublishedActiveParams: 17e9, Source: source}
	if denseLayers > 0 {
		a.DenseLayers, a.DenseFFN = denseLayers, 16384
	}
	return a
}

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
	if a.HeadDim == 0 {
		a.HeadDim = 128 // every Llama but the 1B (64) has 128-wide heads
	}
	return a
}

// Lookup returns the catalog architecture called name (case-insensitive).
// A name the catalog does not hold is also read as the release it names
// (ReleaseCandidates): a Hugging Face id such as
// "meta-llama/Llama-2-7b-chat-hf" is the catalog's "llama-2-7b", because a
// chat or instruct fine-tune keeps its base model's published shape. The
// returned Arch carries the catalog name.
func Lookup(name string) (Arch, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	for _, c := range append([]string{key}, ReleaseCandidates(key)...) {
		for _, a := range catalog {
			if a.Name == c {
				return a, nil
			}
		}
	}
	return Arch{}, fmt.Errorf("unknown model architecture %q (known: %s, or their Hugging Face ids and chat/instruct releases; or define one inline)", name, strings.Join(Names(), ", "))
}

// fineTuneWords are the name segments of a release that keeps its base
// model's shape: chat and instruct fine-tunes, and the "-hf" of checkpoints
// converted to the transformers format. Quantised releases ("-fp8",
// "-awq") are not among them: they change the weights a server streams, so
// their name is not read as the base model's.
var fineTuneWords = map[string]bool{"hf": true, "chat": true, "instruct": true, "it": true, "base": true, "thinking": true}

// releaseNames are releases whose names do not reduce to the catalog's by
// dropping fine-tune words.
var releaseNames = map[string]string{
	"mistral-nemo-2407":  "mistral-nemo-12b",
	"mistral-nemo":       "mistral-nemo-12b",
	"mistral-7b-v0.2":    "mistral-7b-instruct-v0.2", // the base v0.2, released later, has its shape
	"mixtral-8x7b-v0.1":  "mixtral-8x7b",
	"mixtral-8x22b-v0.1": "mixtral-8x22b",
	// DeepSeek-R1's distilled models are fine-tunes of these, with their shapes
	// (https://huggingface.co/deepseek-ai/DeepSeek-R1, "Distilled Model"; the
	// 7B's base, Qwen2.5-Math-7B, has Qwen2.5-7B's shape). The 1.5B is not
	// here: unlike Qwen2.5-1.5B it does not tie its embeddings.
	"deepseek-r1-distill-llama-8b":  "llama-3.1-8b",
	"deepseek-r1-distill-llama-70b": "llama-3.3-70b",
	"deepseek-r1-distill-qwen-7b":   "qwen2.5-7b",
	"deepseek-r1-distill-qwen-14b":  "qwen2.5-14b",
	"deepseek-r1-distill-qwen-32b":  "qwen2.5-32b",
	// Qwen3's 2507 updates keep the shapes; they raise the native context to
	// 262,144, past the catalog's 131,072 (give the model inline for more).
	"qwen3-4b-2507":        "qwen3-4b",
	"qwen3-30b-a3b-2507":   "qwen3-30b-a3b",
	"qwen3-235b-a22b-2507": "qwen3-235b-a22b",
}

var llamaDigit = regexp.MustCompile(`^llama(\d)`)

// quantWords are the name segments by which a release says its weights are
// quantised, with the format it stores them in; quantExtras come with them
// and say nothing of the format ("-FP8-dynamic", "-quantized.w4a16").
var (
	quantWords  = map[string]DType{"fp8": FP8, "int8": INT8, "w8a16": INT8, "int4": INT4, "w4a16": INT4, "awq": INT4, "gptq": INT4}
	quantExtras = map[string]bool{"dynamic": true, "quantized": true, "quantised": true}
)

// QuantisedHint is what to give instead of the name of a quantised release
// of a catalog model, for an unknown-model error ("" for any other name):
// the base model, with its weights in the format the name states.
func QuantisedHint(name string) string {
	a, w, ok := LookupQuantised(name)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%q is %s quantised to %s: give the model as %s with precision.weights: %s (in a measurement file, weight_dtype %s)",
		name, a.Name, w, a.Name, w, w)
}

// LookupQuantised reads the name of a quantised release of a catalog model
// ("neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8") as that model and the
// weight format the name states; ok is false for any other name. Lookup
// does not read such names itself: a quantised release streams other
// weights than its base model, so the caller decides, knowing the format
// it runs in.
func LookupQuantised(name string) (a Arch, weights DType, ok bool) {
	base, w, ok := quantisedRelease(name)
	if !ok {
		return Arch{}, "", false
	}
	a, err := Lookup(base)
	if err != nil {
		return Arch{}, "", false
	}
	return a, w, true
}

// quantisedRelease reads the name of a quantised release
// ("neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8", "...-AWQ-INT4",
// "...-quantized.w4a16") as the name of the release it quantises and the
// weight format its name states. ok is false for a name that states no
// format, or two.
func quantisedRelease(name string) (base string, weights DType, ok bool) {
	key := strings.ToLower(strings.TrimSpace(name))
	if i := strings.LastIndex(key, "/"); i >= 0 {
		key = key[i+1:]
	}
	var kept []string
	for _, tok := range strings.Split(strings.ReplaceAll(key, "_", "-"), "-") {
		parts, quant := strings.Split(tok, "."), true
		for _, p := range parts {
			_, w := quantWords[p]
			quant = quant && (w || quantExtras[p])
		}
		if !quant {
			kept = append(kept, tok)
			continue
		}
		for _, p := range parts {
			if d, w := quantWords[p]; w {
				if weights != "" && weights != d {
					return "", "", false
				}
				weights = d
			}
		}
	}
	if weights == "" || len(kept) == 0 {
		return "", "", false
	}
	return strings.Join(kept, "-"), weights, true
}

// ReleaseCandidates are the catalog names a model name may stand for, most
// specific first: the name without its Hugging Face organisation, "meta-"
// prefix and fine-tune words (fineTuneWords), with "llama2" read as
// "llama-2" and underscores as dashes. key is lower case.
func ReleaseCandidates(key string) []string {
	if i := strings.LastIndex(key, "/"); i >= 0 {
		key = key[i+1:]
	}
	key = strings.NewReplacer("_", "-", " ", "-").Replace(key)
	key = strings.TrimPrefix(key, "meta-")
	key = llamaDigit.ReplaceAllString(key, "llama-$1")
	var kept []string
	for _, w := range strings.Split(key, "-") {
		if !fineTuneWords[w] {
			kept = append(kept, w)
		}
	}
	base := strings.Join(kept, "-")
	out := []string{key, base}
	if r, ok := releaseNames[base]; ok {
		out = append(out, r)
	}
	return out
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
