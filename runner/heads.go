package runner

import (
	"fmt"

	"aiecon/hw"
	"aiecon/model"
)

// nxdHeadsSource is where NxD Inference states its rule on heads.
const nxdHeadsSource = "aws-neuron/aws-neuron-sdk libraries/nxd-inference/developer_guides/feature-guide.rst"

// HeadsNotes says, for the main fleet and each pool, where a Trainium
// replica (NeuronCore-v3 and later) under a Neuron scheduler has attention
// heads its TP degree does not divide. The simulator pads them to the
// degree (llm.Shard: ceil(heads / TP) a core), as transformers-neuronx,
// NeuronCore-v2's stack, does; but Trainium's stacks are NxD Inference,
// which requires the heads divisible by TP, and the vLLM Neuron plugin,
// which runs on vLLM, which requires it too (scheduler vllm is refused at
// load, model.headsFit, as on any chip). So such a layout is priced, not
// refused: the note says no published stack runs it. GPU fleets are
// refused at load, and NeuronCore-v2 fleets are as their stack runs them.
func HeadsNotes(sc *model.Scenario) []string {
	var out []string
	sc.EachFleet(func(_ string, m model.ModelRef, f model.Fleet) bool {
		if x := headsNote(m, f); x != "" {
			out = append(out, x)
		}
		return true
	})
	return out
}

// headsNote is HeadsNotes for one fleet: "" where its heads divide, its
// scheduler is vLLM's (refused at load), or its chip's stack pads them.
func headsNote(m model.ModelRef, f model.Fleet) string {
	arch, err := m.Arch()
	tp := f.Replica.TP
	if err != nil || tp < 1 || arch.Heads%tp == 0 || f.Replica.Scheduler == "vllm" {
		return ""
	}
	_, chip, _, err := hw.InstanceDefaults(f.Instance)
	if err != nil || chip.StepFamily != hw.StepNeuronV3 {
		return ""
	}
	padded := (arch.Heads + tp - 1) / tp * tp
	return fmt.Sprintf("%s at TP %d on %s: %d attention heads, not divisible by TP %d; NxD Inference, %s's serving stack, requires them "+
		"divisible (%s), so no published stack runs this layout: it is priced as if the heads were padded to %d, %d per NeuronCore",
		arch.Name, tp, f.Instance, arch.Heads, tp, chip.Name, nxdHeadsSource, padded, padded/tp)
}
