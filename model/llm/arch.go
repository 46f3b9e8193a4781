package llm

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Arch is the shape of a decoder-only transformer: a Llama-style block
// (RMSNorm, grouped-query attention with rotary embeddings, gated SiLU MLP)
// repeated Layers times, with an optional mixture-of-experts MLP.
//
// The yaml tags are the schema of an inline architecture in a scenario (the
// scenario decoder is strict), so they are snake_case and stable. Every method
// except Validate assumes Validate returned nil.
type Arch struct {
	Name   string `yaml:"name" json:"name"`
	Hidden int    `yaml:"hidden" json:"hidden"` // model width (hidden_size)
	Layers int    `yaml:"layers" json:"layers"` // transformer blocks (num_hidden_layers)
	Heads  int    `yaml:"heads" json:"heads"`   // query heads (num_attention_heads)
	// KVHeads is the number of key/value heads (num_key_value_heads); set it
	// equal to Heads for classic multi-head attention.
	KVHeads int `yaml:"kv_heads" json:"kv_heads"`
	// HeadDim is the width of one head; 0 means Hidden/Heads.
	HeadDim int `yaml:"head_dim,omitempty" json:"head_dim,omitempty"`
	FFN     int `yaml:"ffn" json:"ffn"`     // MLP intermediate size (per expert for MoE)
	Vocab   int `yaml:"vocab" json:"vocab"` // vocabulary size
	// Experts is the number of MLP experts per layer; 0 or 1 means a dense MLP.
	Experts int `yaml:"experts,omitempty" json:"experts,omitempty"`
	// ActiveExperts is how many experts each token is routed to (top-k);
	// 0 means 1 for a dense model.
	ActiveExperts int `yaml:"active_experts,omitempty" json:"active_experts,omitempty"`
	// SharedFFN is the width of a shared expert: a gated MLP that every token
	// runs through beside its routed experts, in each MoE layer (Llama 4);
	// 0 means none.
	SharedFFN int `yaml:"shared_ffn,omitempty" json:"shared_ffn,omitempty"`
	// DenseLayers is how many of the Layers of a mixture of experts have a
	// dense MLP DenseFFN wide instead of experts (Llama-4 Maverick alternates
	// them, 24 of 48); 0 means every layer is an MoE layer.
	DenseLayers int `yaml:"dense_layers,omitempty" json:"dense_layers,omitempty"`
	DenseFFN    int `yaml:"dense_ffn,omitempty" json:"dense_ffn,omitempty"`
	// TiedEmbeddings means the LM head reuses the input embedding matrix.
	TiedEmbeddings bool `yaml:"tied_embeddings,omitempty" json:"tied_embeddings,omitempty"`
	// MLP is the block's feed-forward kind: "gated" (SwiGLU: gate, up and
	// down matrices; Llama, Mistral, Mixtral) or "plain" (two matrices with a
	// GELU between them; GPT-J, Falcon). "" means gated.
	MLP string `yaml:"mlp,omitempty" json:"mlp,omitempty"`
	// ParallelBlock means attention and MLP read the same normalised input
	// and their outputs are summed (GPT-J, Falcon), so tensor parallelism
	// needs one all-reduce per layer instead of two.
	ParallelBlock bool `yaml:"parallel_block,omitempty" json:"parallel_block,omitempty"`
	// SlidingWindow is the window (in tokens) of the layers with local
	// attention, and SlidingLayers how many of the Layers use it (the rest
	// attend over the whole context); 0 and 0 mean full attention everywhere.
	SlidingWindow int `yaml:"sliding_window,omitempty" json:"sliding_window,omitempty"`
	SlidingLayers int `yaml:"sliding_layers,omitempty" json:"sliding_layers,omitempty"`
	// MaxContext is the longest sequence (prompt + output) the model supports.
	MaxContext int `yaml:"max_context" json:"max_context"`
	// Source says where the shape comes from (a config.json or model card URL).
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
	// PublishedParams is the parameter count the authors publish (0 = unknown).
	// When set, Validate checks it against the count computed from the shape.
	PublishedParams float64 `yaml:"published_params,omitempty" json:"published_params,omitempty"`
	// PublishedActiveParams is the published per-token (active) count of an MoE model.
	PublishedActiveParams float64 `yaml:"published_active_params,omitempty" json:"published_active_params,omitempty"`
}

// PublishedParamsTolerance is how far (as a fraction) a published parameter
// count may be from the one computed from the shape before Validate rejects
// the architecture. The formulas here ignore biases and other small tensors,
// which stay well under 1% for Llama-style models; 5% leaves room for those
// and still catches a wrong hidden, layers, ffn or vocab.
const PublishedParamsTolerance = 0.05

// MaxShape bounds every size of a model's shape, in tokens or elements:
// 2^24, the most tokens a request may have. The simulator holds lengths in
// 32 bits, so a max_context of 10^12 wrapped round and printed a negative
// throughput; no published model comes near it in any dimension.
const MaxShape = 1 << 24

// Validate checks the shape; errors name the yaml field and what is allowed.
func (a Arch) Validate() error {
	ps := a.Problems()
	if len(ps) == 0 {
		return nil
	}
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = errors.New(p.Text)
	}
	return wrapArch(a.Name, errors.Join(errs...))
}

// Problem is one thing Validate finds wrong: Field is the yaml field it is
// on (the first of those it names), so that a caller with the YAML may put
// it at that field's line; Text names the field as Validate says it.
type Problem struct{ Field, Text string }

// Detail is Text without the field it begins with.
func (p Problem) Detail() string { return strings.TrimPrefix(p.Text, p.Field+": ") }

// required describes the fields an architecture must give, for the error
// that says one is missing.
var required = map[string]string{
	"hidden": "the model width (hidden_size)", "layers": "transformer blocks (num_hidden_layers)",
	"heads": "query heads (num_attention_heads)", "kv_heads": "key/value heads (num_key_value_heads)",
	"ffn": "the MLP's intermediate size (intermediate_size)", "vocab": "the vocabulary size (vocab_size)",
	"max_context": "the longest sequence in tokens, prompt and output (max_position_embeddings)",
}

// Problems lists what is wrong with the shape (nil: nothing), each on its
// field; Validate joins them.
func (a Arch) Problems() []Problem {
	var ps []Problem
	bad := func(field, format string, args ...any) { ps = append(ps, Problem{field, fmt.Sprintf(format, args...)}) }
	if a.Name == "" {
		bad("name", "name: required: a name for the architecture")
	}
	positive := []struct {
		field string
		v     int
	}{
		{"hidden", a.Hidden}, {"layers", a.Layers}, {"heads", a.Heads},
		{"kv_heads", a.KVHeads}, {"ffn", a.FFN}, {"vocab", a.Vocab}, {"max_context", a.MaxContext},
	}
	for _, p := range positive {
		switch {
		case p.v == 0: // not given (0 is no value for any of them)
			bad(p.field, "%s: required: %s, a positive integer", p.field, required[p.field])
		case p.v < 0:
			bad(p.field, "%s: %d must be a positive integer", p.field, p.v)
		case p.v > MaxShape:
			bad(p.field, "%s: %d is out of range (allowed: 1 to %d)", p.field, p.v, MaxShape)
		}
	}
	if a.HeadDim > MaxShape || a.Experts > MaxShape || a.SlidingWindow > MaxShape {
		bad(firstOver(a), "head_dim %d, experts %d, sliding_window %d: each must be at most %d", a.HeadDim, a.Experts, a.SlidingWindow, MaxShape)
	}
	if a.Heads > 0 && a.KVHeads > 0 && a.Heads%a.KVHeads != 0 {
		bad("kv_heads", "kv_heads: heads (%d) must be a multiple of kv_heads (%d)", a.Heads, a.KVHeads)
	}
	switch {
	case a.HeadDim < 0:
		bad("head_dim", "head_dim: %d must be positive, or 0 for hidden/heads", a.HeadDim)
	case a.HeadDim == 0 && a.Heads > 0 && a.Hidden > 0 && a.Hidden%a.Heads != 0:
		bad("head_dim", "head_dim: 0 means hidden/heads, but hidden (%d) is not a multiple of heads (%d); set head_dim", a.Hidden, a.Heads)
	}
	switch {
	case a.Experts < 0:
		bad("experts", "experts: %d must be 0 or 1 (dense) or the number of experts (>= 2)", a.Experts)
	case a.Experts <= 1 && (a.ActiveExperts < 0 || a.ActiveExperts > 1):
		bad("active_experts", "active_experts: %d must be 0 or 1 for a dense model (experts %d); set experts to the number of experts for a mixture of experts", a.ActiveExperts, a.Experts)
	case a.Experts > 1 && (a.ActiveExperts < 1 || a.ActiveExperts > a.Experts):
		bad("active_experts", "active_experts: %d must be between 1 and experts (%d)", a.ActiveExperts, a.Experts)
	}
	a.validateMoELayers(bad)
	switch a.MLP {
	case "", MLPGated, MLPPlain:
	default:
		bad("mlp", "mlp: %q must be %q or %q", a.MLP, MLPGated, MLPPlain)
	}
	if a.SlidingWindow < 0 || a.SlidingLayers < 0 || (a.Layers > 0 && a.SlidingLayers > a.Layers) || (a.SlidingLayers > 0) != (a.SlidingWindow > 0) {
		bad("sliding_window", "sliding_window %d, sliding_layers %d: give both (a window > 0 and 1 to layers (%d) layers) or neither", a.SlidingWindow, a.SlidingLayers, a.Layers)
	}
	if a.PublishedParams < 0 || math.IsNaN(a.PublishedParams) || math.IsInf(a.PublishedParams, 0) {
		bad("published_params", "published_params: %g must be a finite non-negative count (0 = unknown)", a.PublishedParams)
	}
	if a.PublishedActiveParams < 0 || math.IsNaN(a.PublishedActiveParams) || math.IsInf(a.PublishedActiveParams, 0) {
		bad("published_active_params", "published_active_params: %g must be a finite non-negative count (0 = unknown)", a.PublishedActiveParams)
	}
	if a.PublishedActiveParams > 0 && !a.IsMoE() {
		bad("published_active_params", "published_active_params: only meaningful for a mixture of experts (experts >= 2)")
	}
	if len(ps) > 0 {
		return ps
	}
	// The shape is sound: compare it with what the authors publish.
	total, active := a.Params()
	if err := checkPublished("published_params", a.PublishedParams, total); err != nil {
		bad("published_params", "%v", err)
	}
	if err := checkPublished("published_active_params", a.PublishedActiveParams, active); err != nil {
		bad("published_active_params", "%v", err)
	}
	return ps
}

// firstOver is the first of head_dim, experts and sliding_window past
// MaxShape.
func firstOver(a Arch) string {
	switch {
	case a.HeadDim > MaxShape:
		return "head_dim"
	case a.Experts > MaxShape:
		return "experts"
	}
	return "sliding_window"
}

// validateMoELayers checks the shared expert and the dense layers of a
// mixture of experts.
func (a Arch) validateMoELayers(bad func(string, string, ...any)) {
	for _, f := range []struct {
		field string
		v     int
	}{{"shared_ffn", a.SharedFFN}, {"dense_layers", a.DenseLayers}, {"dense_ffn", a.DenseFFN}} {
		switch {
		case f.v < 0:
			bad(f.field, "%s: %d must not be negative", f.field, f.v)
		case f.v > 0 && !a.IsMoE():
			bad(f.field, "%s: only meaningful for a mixture of experts (experts >= 2)", f.field)
		}
	}
	if a.IsMoE() && a.DenseLayers >= a.Layers && a.Layers > 0 {
		bad("dense_layers", "dense_layers: %d must be fewer than layers (%d); a model with no MoE layer is dense (leave experts out)", a.DenseLayers, a.Layers)
	}
	if (a.DenseLayers > 0) != (a.DenseFFN > 0) {
		bad("dense_layers", "dense_layers %d, dense_ffn %d: give both (how many layers are dense, and their MLP width) or neither", a.DenseLayers, a.DenseFFN)
	}
}

func wrapArch(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("architecture %q: %w", name, err)
}

func checkPublished(field string, published, computed float64) error {
	if published == 0 {
		return nil
	}
	if rel := math.Abs(computed-published) / published; rel > PublishedParamsTolerance {
		return fmt.Errorf("%s: %.4g differs by %.1f%% from the %.4g computed from the shape (allowed %.0f%%); check hidden, layers, heads, kv_heads, ffn, vocab, experts, shared_ffn, dense_layers and dense_ffn",
			field, published, 100*rel, computed, 100*PublishedParamsTolerance)
	}
	return nil
}

// ResolvedHeadDim is HeadDim, or Hidden/Heads when HeadDim is 0.
func (a Arch) ResolvedHeadDim() int {
	if a.HeadDim > 0 {
		return a.HeadDim
	}
	return a.Hidden / a.Heads
}

// IsMoE reports whether the MLP is a mixture of experts.
func (a Arch) IsMoE() bool { return a.Experts > 1 }

// NumExperts is the number of MLPs per layer (1 for a dense model).
func (a Arch) NumExperts() int { return max(a.Experts, 1) }

// TopK is the number of experts each token runs through (1 for a dense model).
func (a Arch) TopK() int {
	if !a.IsMoE() {
		return 1
	}
	return a.ActiveExperts
}

// attnParamsPerLayer counts Q, K, V and output projections (no biases).
func (a Arch) attnParamsPerLayer() float64 {
	h, d := float64(a.Hidden), float64(a.ResolvedHeadDim())
	q := h * float64(a.Heads) * d
	kv := 2 * h * float64(a.KVHeads) * d
	o := float64(a.Heads) * d * h
	return q + kv + o
}

// MLP kinds.
const (
	MLPGated = "gated"
	MLPPlain = "plain"
)

// MLPMatrices is how many hidden x ffn matrices one MLP (expert) holds:
// 3 for a gated MLP (gate, up, down), 2 for a plain one (up, down).
func (a Arch) MLPMatrices() int {
	if a.MLP == MLPPlain {
		return 2
	}
	return 3
}

// AllReducesPerLayer is how many activation all-reduces tensor parallelism
// needs per layer: after attention and after the MLP, or one for a parallel block.
func (a Arch) AllReducesPerLayer() int {
	if a.ParallelBlock {
		return 1
	}
	return 2
}

// expertParams counts one MLP: gate and up (hidden x ffn each) and down for
// a gated MLP, up and down for a plain one.
func (a Arch) expertParams() float64 { return a.mlpParams(a.FFN) }

// mlpParams counts one MLP of the block's kind, ffn wide.
func (a Arch) mlpParams(ffn int) float64 {
	return float64(a.MLPMatrices()) * float64(a.Hidden) * float64(ffn)
}

// MoELayers is how many layers route their tokens to experts: Layers -
// DenseLayers for a mixture of experts, 0 for a dense model.
func (a Arch) MoELayers() int {
	if !a.IsMoE() {
		return 0
	}
	return a.Layers - a.DenseLayers
}

// routerParams counts the MoE gates of the whole model (hidden x experts in
// each MoE layer); 0 for a dense model.
func (a Arch) routerParams() float64 {
	return float64(a.MoELayers()) * float64(a.Hidden) * float64(a.Experts)
}

// mlpLayerParams counts the MLPs of all layers with their routers: the
// stored total, and the part one token runs through (active).
func (a Arch) mlpLayerParams() (total, active float64) {
	if !a.IsMoE() {
		p := float64(a.Layers) * a.expertParams()
		return p, p
	}
	moe := float64(a.MoELayers())
	dense := float64(a.DenseLayers) * a.mlpParams(a.DenseFFN)
	always := dense + a.routerParams() + moe*a.mlpParams(a.SharedFFN)
	return always + moe*float64(a.Experts)*a.expertParams(), always + moe*float64(a.TopK())*a.expertParams()
}

// embeddingParams is the input embedding table (vocab x hidden).
func (a Arch) embeddingParams() float64 { return float64(a.Vocab) * float64(a.Hidden) }

// Params returns the total parameter count and the count each token uses
// (active; equal to total for a dense model):
//
//	embedding   vocab x hidden (+ the same again for an untied LM head)
//	per layer   hidden x (heads + 2 kv_heads) x head_dim + heads x head_dim x hidden  (Q, K, V, O)
//	            + 2 x hidden                   (the two RMSNorm weights)
//	            + 3 x hidden x ffn             (gate, up, down; 2 matrices for a plain MLP)
//	MoE layers  instead of the MLP: experts x 3 x hidden x ffn (active: top-k experts)
//	            + hidden x experts             (router)
//	            + 3 x hidden x shared_ffn      (shared expert, if any)
//	            dense_layers of them have a dense_ffn-wide MLP instead
//	final norm  hidden
//
// Biases are not modelled: Llama and Mixtral have none; GPT-J's and
// GPT-OSS's add well under 1%, inside the published-count tolerance.
func (a Arch) Params() (total, active float64) {
	h := float64(a.Hidden)
	L := float64(a.Layers)
	mlpTotal, mlpActive := a.mlpLayerParams()
	layers := L * (a.attnParamsPerLayer() + 2*h)
	outer := a.embeddingParams() + h // embedding and final norm
	if !a.TiedEmbeddings {
		outer += a.embeddingParams() // LM head
	}
	return outer + layers + mlpTotal, outer + layers + mlpActive
}

// WeightBytes is the size of all weights stored in w: the linear layers in
// w, the rest as Shard.OuterWeights keeps them beside 16-bit activations
// (bf16 beside int4; a shard's own activations: WeightBytesPerDevice).
func (a Arch) WeightBytes(w DType) float64 {
	total, _ := a.Params()
	h := float64(a.Hidden)
	outer := a.embeddingParams() + h + a.routerParams() + float64(a.Layers)*2*h
	if !a.TiedEmbeddings {
		outer += a.embeddingParams()
	}
	ow := Shard{Weights: w, Activations: BF16}.OuterWeights()
	return (total-outer)*w.Bytes() + outer*ow.Bytes()
}

// KVBytesPerToken is the KV cache one token occupies in the whole model:
// 2 (K and V) x layers x kv_heads x head_dim x bytes of kv.
// Llama-3.1-70B in bf16: 2 x 80 x 8 x 128 x 2 = 327,680 bytes.
func (a Arch) KVBytesPerToken(kv DType) float64 {
	return 2 * float64(a.Layers) * float64(a.KVHeads) * float64(a.ResolvedHeadDim()) * kv.Bytes()
}

// FLOPsPerToken is the matrix-multiply work of one token with no context
// (attention scores excluded): 2 FLOPs per multiply-add for every active
// weight that takes part in a GEMM, i.e. 2 x (active params - embedding table
// - norm weights) + 2 x vocab x hidden for the LM head even when it is tied
// to the embedding. It is the cross-check for the operation lists: the GEMM
// FLOPs of a pure-decode iteration of T tokens (T logits) on one unsharded
// device equal T x FLOPsPerToken.
func (a Arch) FLOPsPerToken() float64 {
	_, mlp := a.mlpLayerParams()
	lmHead := float64(a.Vocab) * float64(a.Hidden)
	return 2 * (float64(a.Layers)*a.attnParamsPerLayer() + mlp + lmHead)
}
