package llm

import (
	"errors"
	"fmt"
)

// Shard says how one replica runs the model: tensor parallelism of degree TP
// (Megatron-style: attention heads, the MLP intermediate dimension and the
// vocabulary split across TP devices, two all-reduces per layer) and the
// formats of weights, activations and KV cache.
//
// Weights may be narrower than Activations (int8, fp8 or int4 weight-only
// quantisation, as in Neuron's int8-weight serving or AWQ): the linear
// layers' weight bytes use Weights, the rest OuterWeights (16-bit beside
// int4), while GEMMs run, and are priced, at the Activations format.
//
// When TP does not divide a dimension it is padded up, as Neuron pads
// attention heads (Llama-3-8B's 32 heads run at TP=24 on inf2.48xlarge as 2
// heads per device). KV heads are replicated when TP exceeds kv_heads (each
// device keeps ceil(kv_heads/TP) = 1 KV head).
//
// Experts is the format of an MoE model's routed experts when a release
// quantises them alone: GPT-OSS ships its experts in MXFP4 and keeps
// attention, router, embedding and LM head out of it (quantization_config in
// https://huggingface.co/openai/gpt-oss-120b/blob/main/config.json). The
// experts hold most of such a model's weights but, narrow, little of what a
// decode token streams, so pricing every linear layer in the experts'
// format would understate both memory and decode time.
type Shard struct {
	TP          int
	Weights     DType
	Activations DType
	KV          DType
	// Compute is the format the GEMMs multiply in, when it differs from
	// Activations (fp8 W8A8: inputs quantised to fp8 for the matrix units,
	// activations kept in bf16 between them); "" means Activations.
	Compute DType
	// Experts is the routed experts' weight format; "" means Weights.
	Experts DType
	// ExpertCompute is the format the routed experts' GEMMs multiply in;
	// "" means Compute when the experts share Weights' format, and
	// Activations when they have their own (a step family sets it where
	// its matrix units multiply the experts' format natively).
	ExpertCompute DType
	// SequenceParallel says the serving stack runs the element-wise passes
	// between the row- and column-parallel GEMMs (the norms and residual
	// adds) sequence parallel, each device on 1/TP of the tokens
	// (Korthikanti et al., arXiv:2205.05198, as NxD Inference does), rather
	// than replicated on every device over all of them (plain Megatron
	// tensor parallelism, as TensorRT-LLM and vLLM run it). It is the step
	// family's to say (hw sets it in the resident shard); false, the
	// replicated passes, for a shard that no family has set.
	SequenceParallel bool
}

// ComputeDType is the format GEMMs run at: Compute, or Activations.
func (sh Shard) ComputeDType() DType {
	if sh.Compute != "" {
		return sh.Compute
	}
	return sh.Activations
}

// ExpertDType is the routed experts' weight format: Experts, or Weights.
func (sh Shard) ExpertDType() DType {
	if sh.Experts != "" {
		return sh.Experts
	}
	return sh.Weights
}

// ExpertComputeDType is the format the routed experts' GEMMs run at.
func (sh Shard) ExpertComputeDType() DType {
	switch {
	case sh.ExpertCompute != "":
		return sh.ExpertCompute
	case sh.Experts == "":
		return sh.ComputeDType()
	}
	return sh.Activations
}

// Validate checks the degree and formats; errors name the field.
func (sh Shard) Validate() error {
	var errs []error
	if sh.TP < 1 {
		errs = append(errs, fmt.Errorf("tp: %d must be >= 1", sh.TP))
	}
	for _, f := range []struct {
		field string
		d     DType
	}{{"weights", sh.Weights}, {"activations", sh.Activations}, {"kv", sh.KV}, {"compute", sh.ComputeDType()},
		{"experts", sh.ExpertDType()}, {"expert compute", sh.ExpertComputeDType()}} {
		switch {
		case !f.d.Valid():
			errs = append(errs, fmt.Errorf("%s dtype %q: allowed %s", f.field, f.d, AllowedDTypes()))
		case f.field != "weights" && f.field != "experts" && f.d.WeightOnly():
			errs = append(errs, fmt.Errorf("%s dtype %s: a weight format only", f.field, f.d))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("shard: %w", err)
	}
	return nil
}

// OuterWeights is the format of the weights outside the layers' linear
// layers (the embedding, the LM head, the norms and an MoE router): Weights,
// except for int4, whose methods (AWQ, GPTQ, TensorRT-LLM's int4_awq)
// quantise the linear layers only and keep the rest in the activations'
// 16-bit format. For Llama-3-8B that is 1.05B of its 8.03B weights.
func (sh Shard) OuterWeights() DType {
	if sh.Weights.WeightOnly() {
		return sh.Activations
	}
	return sh.Weights
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// HeadsPerDevice is ceil(heads/TP): query heads on one device, padded.
func (a Arch) HeadsPerDevice(sh Shard) int { return ceilDiv(a.Heads, sh.TP) }

// KVHeadsPerDevice is ceil(kv_heads/TP): KV heads on one device, replicated
// when TP > kv_heads.
func (a Arch) KVHeadsPerDevice(sh Shard) int { return ceilDiv(a.KVHeads, sh.TP) }

// FFNPerDevice is ceil(ffn/TP): the MLP columns (of each expert) on one device.
func (a Arch) FFNPerDevice(sh Shard) int { return ceilDiv(a.FFN, sh.TP) }

// VocabPerDevice is ceil(vocab/TP): the embedding and LM-head rows on one device.
func (a Arch) VocabPerDevice(sh Shard) int { return ceilDiv(a.Vocab, sh.TP) }

// paramsPerDevice counts the weights one device stores: in the layers'
// linear layers, sharded Q/K/V/O and MLP (each expert sharded along ffn: no
// expert parallelism; mlpParamsPerDevice), the routed experts among them
// counted apart; outside them, the embedding and LM head (along vocab) and
// the replicated norms and router.
func (a Arch) paramsPerDevice(sh Shard) (linear, experts, outer float64) {
	h, d := float64(a.Hidden), float64(a.ResolvedHeadDim())
	hpd, kvpd := float64(a.HeadsPerDevice(sh)), float64(a.KVHeadsPerDevice(sh))
	attn := h*(hpd+2*kvpd)*d + hpd*d*h
	L := float64(a.Layers)
	vocab := float64(a.VocabPerDevice(sh)) * h
	outer = vocab + h + a.routerParams() + L*2*h
	if !a.TiedEmbeddings {
		outer += vocab
	}
	mlp, routed := a.mlpParamsPerDevice(sh)
	return L*attn + mlp, routed, outer
}

// mlpParamsPerDevice counts the MLP weights of all layers on one device,
// sharded along their width (ceil(width/TP) columns each): the routed
// experts, and apart from them the shared expert and the dense layers' (or
// a dense model's) MLPs.
func (a Arch) mlpParamsPerDevice(sh Shard) (other, routed float64) {
	per := func(ffn int) float64 { return a.mlpParams(ceilDiv(ffn, sh.TP)) }
	if !a.IsMoE() {
		return float64(a.Layers) * per(a.FFN), 0
	}
	moe := float64(a.MoELayers())
	return moe*per(a.SharedFFN) + float64(a.DenseLayers)*per(a.DenseFFN), moe * float64(a.Experts) * per(a.FFN)
}

// WeightBytesPerDevice is the weight memory one device of the replica holds:
// the linear layers in sh.Weights (the routed experts in sh.ExpertDType),
// the rest in sh.OuterWeights. Times TP it is at least WeightBytes: more
// when heads are padded or KV heads replicated, slightly more because norms
// are replicated.
func (a Arch) WeightBytesPerDevice(sh Shard) float64 {
	linear, experts, outer := a.paramsPerDevice(sh)
	return linear*sh.Weights.Bytes() + experts*sh.ExpertDType().Bytes() + outer*sh.OuterWeights().Bytes()
}

// KVBytesPerTokenPerDevice is the KV cache one token occupies on one device:
// 2 x layers x ceil(kv_heads/TP) x head_dim x bytes of sh.KV.
func (a Arch) KVBytesPerTokenPerDevice(sh Shard) float64 {
	return 2 * float64(a.Layers) * float64(a.KVHeadsPerDevice(sh)) * float64(a.ResolvedHeadDim()) * sh.KV.Bytes()
}

// Proposer is the proposer of speculative decoding for target a: draft
// "eagle" is an EAGLE head, one decoder layer of a's kind (an MoE layer for
// an MoE target) with full attention (none of a's dense or windowed
// layers), which shares a's embedding and LM head; any other draft is a
// catalog model. It returns the proposer and what it adds to a replica's
// memory per device: its weights, and its KV cache per token.
func (a Arch) Proposer(draft string, sh Shard) (p Arch, weightBytes, kvBytesPerToken float64, err error) {
	if draft != "eagle" {
		if p, err = Lookup(draft); err != nil {
			return Arch{}, 0, 0, err
		}
		return p, p.WeightBytesPerDevice(sh), p.KVBytesPerTokenPerDevice(sh), nil
	}
	p = a
	p.Name, p.Layers, p.PublishedParams, p.PublishedActiveParams = a.Name+"-eagle", 1, 0, 0
	p.DenseLayers, p.DenseFFN = 0, 0
	p.SlidingWindow, p.SlidingLayers = 0, 0
	// One decoder layer's weights and KV: the embedding and LM head are the
	// target's.
	if a.Layers > 1 {
		weightBytes = (a.WeightBytesPerDevice(sh) - p.WeightBytesPerDevice(sh)) / float64(a.Layers-1)
	}
	return p, weightBytes, a.KVBytesPerTokenPerDevice(sh) / float64(a.Layers), nil
}
