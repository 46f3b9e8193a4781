package hw

import (
	"fmt"

	"aiecon/model/llm"
)

// ValidationReserve is the memory a validation replica keeps back (the
// memory_reserve of the replicas of runner's validation scenarios): the benchmarks
// ran their batch with all of a device's memory at hand.
const ValidationReserve = 0.02

// WeightsDoNotFit says why a point's weights cannot be laid out on its
// instance at its TP degree ("" if they fit): they take more than one
// device's memory. validate refuses such a row and hw fit must too, or an
// impossible row moves the fitted constants.
func WeightsDoNotFit(pt ServingPoint, arch llm.Arch, chip *Chip) string {
	sh, err := HeldShard(chip, pt.Shard()) // memory, not the format it is priced in
	if err != nil {
		return "" // an unmodelled format is said elsewhere
	}
	if need, have := arch.WeightBytesPerDevice(sh), DeviceOf(chip).HBMBytes; need > have {
		held := ""
		if sh.Weights != pt.WeightDType {
			held = fmt.Sprintf(" (held as %s)", sh.Weights)
		}
		return fmt.Sprintf("%s's %s weights%s take %.1f GB per device at tp %d, more than the %.1f GB of one %s device",
			arch.Name, pt.WeightDType, held, need/1e9, pt.TP, have/1e9, chip.Name)
	}
	return ""
}

// StaticKVDoesNotFit says why a static batch on a compiled (Neuron) chip
// cannot be laid out ("" if it can, for a loop, or on a GPU): the compiler
// emits executables with static input and output shapes (NSDK
// libraries/nxd-inference/developer_guides/feature-guide.rst), so the KV
// cache of transformers-neuronx's and NxD Inference's default (non-block)
// layout is a tensor of the compiled batch (padded as Predict pads it,
// llm.PadBatch) x the compiled seq_len per layer, whatever the prompts and
// outputs are. It must fit beside the weights for the graphs to load at
// all, so such a row was never measured: validate refuses it as it refuses
// weights past a device, and the fit does too.
func StaticKVDoesNotFit(pt ServingPoint, arch llm.Arch, chip *Chip) string {
	if pt.ClosedLoop() || pt.OpenLoop() || pt.AllAtOnce {
		return ""
	}
	if f, err := stepFamilyByName(chip.StepFamily); err != nil || !f.compiled() {
		return ""
	}
	sh, err := HeldShard(chip, pt.Shard()) // memory, not the format it is priced in
	if err != nil {
		return ""
	}
	weights := arch.WeightBytesPerDevice(sh)
	free := DeviceOf(chip).HBMBytes*(1-ValidationReserve) - weights
	slots := llm.PadBatch(pt.Batch)
	if need := float64(slots) * float64(pt.SeqLen) * arch.KVBytesPerTokenPerDevice(sh); need > free {
		return fmt.Sprintf("the compiled graphs' static KV cache, batch %d (compiled as %d) x seq_len %d tokens, takes %.1f GB per device beside %.1f GB of weights, more than the %.1f GB left of one %s device; lower batch or seq_len, or raise tp",
			pt.Batch, slots, pt.SeqLen, need/1e9, weights/1e9, max(free, 0)/1e9, chip.Name)
	}
	return ""
}

// batchDoesNotFit says why a static batch's KV cache cannot sit beside the
// weights in one device's memory ("" if it can, or for a loop): every
// sequence holds its prompt and output, a sliding-window layer at most its
// window on a server that frees the rest (not a compiled Neuron graph), as
// the simulator lays it out (llm.KVLayout). The simulator would run such a
// batch as several, which is not the measurement, so validate skips it and
// so does the fit. Block rounding is left out: at the margin of a block
// per sequence the two can disagree. On a compiled chip the static cache
// (StaticKVDoesNotFit), checked first, is never smaller than this.
func batchDoesNotFit(pt ServingPoint, arch llm.Arch, chip *Chip) string {
	if pt.ClosedLoop() || pt.OpenLoop() || pt.AllAtOnce {
		return ""
	}
	sh, err := HeldShard(chip, pt.Shard()) // memory, not the format it is priced in
	if err != nil {
		return ""
	}
	free := DeviceOf(chip).HBMBytes*(1-ValidationReserve) - arch.WeightBytesPerDevice(sh)
	seq := pt.InputTokens + pt.OutputTokens
	// Tokens of KV per sequence, averaged over the layers.
	perSeq := float64(seq)
	if f, err := stepFamilyByName(chip.StepFamily); err == nil && !f.compiled() && arch.SlidingLayers > 0 {
		win := float64(arch.SlidingLayers) / float64(arch.Layers)
		perSeq = (1-win)*float64(seq) + win*float64(min(seq, arch.SlidingWindow))
	}
	tokens := float64(pt.Batch) * perSeq
	if need := tokens * arch.KVBytesPerTokenPerDevice(sh); need > free {
		return fmt.Sprintf("the batch of %d needs %.1f GB of KV cache per device beside the weights, more than the %.1f GB left of one %s device",
			pt.Batch, need/1e9, max(free, 0)/1e9, chip.Name)
	}
	return ""
}
