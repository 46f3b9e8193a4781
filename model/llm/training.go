package llm

import (
	"fmt"
	"math"
)

// Fine-tuning kinds.
const (
	FineTuneFull = "full" // every weight trained with Adam in mixed precision
	FineTuneLoRA = "lora" // frozen bf16 weights, low-rank adapters trained
)

// Bytes per parameter of the training state (Rajbhandari et al. 2020, "ZeRO:
// Memory Optimizations Toward Training Trillion Parameter Models",
// arXiv:1910.02054, §3.1): mixed-precision Adam keeps bf16 weights (2) and
// gradients (2), and fp32 master weights (4) and two moments (4 + 4), 16
// bytes in all. A frozen LoRA base keeps its bf16 weights only (Hu et al.
// 2021, "LoRA", arXiv:2106.09685, §4).
const (
	AdamMixedBytesPerParam  = 16
	FrozenBF16BytesPerParam = 2
)

// TrainingMemory is the HBM a training job needs: its state, sharded over
// the gang (ZeRO stage 3 / FSDP: weights, gradients and optimizer state
// spread evenly), and the activations each replica of the gang holds for
// its own micro-batch.
type TrainingMemory struct {
	Kind           string
	Params         float64 // trained (full) or frozen base (lora) parameters
	AdapterParams  float64 // LoRA adapter parameters (0 for full)
	StateBytes     float64 // weights, gradients and optimizer state
	ActivationsPer float64 // bytes of activations on each replica of the gang
}

// LoRAParams counts the adapters of rank r on every linear layer of every
// block (Q, K, V, O and each MLP matrix of every expert), as QLoRA
// recommends (Dettmers et al. 2023, arXiv:2305.14314, §4): an adapter on a
// d_in x d_out matrix adds r x (d_in + d_out) parameters.
func (a Arch) LoRAParams(r int) float64 {
	h, d := float64(a.Hidden), float64(a.ResolvedHeadDim())
	q := h + float64(a.Heads)*d
	kv := 2 * (h + float64(a.KVHeads)*d)
	o := float64(a.Heads)*d + h
	adapter := func(ffn int) float64 { // one MLP ffn wide; none when 0
		if ffn == 0 {
			return 0
		}
		return float64(a.MLPMatrices()) * (h + float64(ffn))
	}
	mlp := float64(a.Layers) * adapter(a.FFN)
	if a.IsMoE() {
		mlp = float64(a.MoELayers())*(float64(a.Experts)*adapter(a.FFN)+adapter(a.SharedFFN)) +
			float64(a.DenseLayers)*adapter(a.DenseFFN)
	}
	return float64(r) * (float64(a.Layers)*(q+kv+o) + mlp)
}

// ActivationBytes is the activation memory of one replica training on
// `tokens` tokens in flight (sequence length x micro-batch), in bf16 with
// full activation recomputation and sequence parallelism (Korthikanti et al.
// 2022, "Reducing Activation Recomputation in Large Transformer Models",
// arXiv:2205.05198, §4-5): each layer keeps its 2·t·h-byte input, and the one
// layer being recomputed holds its 34·t·h bytes (the 5·a·s²·b attention-score
// term is absent with FlashAttention); the loss holds fp32 logits, 4·t·V.
func (a Arch) ActivationBytes(tokens int) float64 {
	t, h := float64(tokens), float64(a.Hidden)
	return t*h*(2*float64(a.Layers)+34) + 4*t*float64(a.Vocab)
}

// NewTrainingMemory is the memory of fine-tuning `params` parameters shaped
// like a (kind full or lora; loraRank for lora) with `tokens` tokens in
// flight per replica.
func (a Arch) NewTrainingMemory(kind string, params float64, loraRank, tokens int) (TrainingMemory, error) {
	m := TrainingMemory{Kind: kind, Params: params, ActivationsPer: a.ActivationBytes(tokens)}
	switch kind {
	case FineTuneFull:
		m.StateBytes = AdamMixedBytesPerParam * params
	case FineTuneLoRA:
		m.AdapterParams = a.LoRAParams(loraRank)
		m.StateBytes = FrozenBF16BytesPerParam*params + AdamMixedBytesPerParam*m.AdapterParams
	default:
		return m, fmt.Errorf("unknown fine-tune kind %q (allowed: %s, %s)", kind, FineTuneFull, FineTuneLoRA)
	}
	return m, nil
}

// Gang is the smallest number of replicas of replicaBytes HBM each that hold
// the job: its state shared evenly plus each one's activations. It returns 0
// when no number does (a replica cannot even hold its activations).
func (m TrainingMemory) Gang(replicaBytes float64) int {
	room := replicaBytes - m.ActivationsPer
	if room <= 0 {
		return 0
	}
	return max(1, int(math.Ceil(m.StateBytes/room)))
}

// TotalBytes is what a gang of n replicas holds: the state and n replicas'
// activations.
func (m TrainingMemory) TotalBytes(n int) float64 { return m.StateBytes + float64(n)*m.ActivationsPer }

// Arithmetic spells the memory out for an error message or a report:
// "full fine-tune: 70.6B params x 16 B (bf16 weights and gradients, fp32
// master weights and two Adam moments) = 1129 GB".
func (m TrainingMemory) Arithmetic() string {
	if m.Kind == FineTuneLoRA {
		return fmt.Sprintf("LoRA: %.1fB params x %d B (frozen bf16 weights) + %.3gM adapter params x %d B (mixed-precision Adam) = %.0f GB",
			m.Params/1e9, FrozenBF16BytesPerParam, m.AdapterParams/1e6, AdamMixedBytesPerParam, m.StateBytes/1e9)
	}
	return fmt.Sprintf("full fine-tune: %.1fB params x %d B (bf16 weights and gradients, fp32 master weights and two Adam moments) = %.0f GB",
		m.Params/1e9, AdamMixedBytesPerParam, m.StateBytes/1e9)
}
