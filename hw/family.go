package hw

import (
	"fmt"
	"slices"
	"strings"

	"aiecon/model/llm"
)

// A step family is a group of accelerators whose serving software behaves
// alike, so that one set of step-time constants (Serving) describes them: the
// NeuronCore-v2 chips (Inferentia2, Trainium1), the NeuronCore-v3 and v4 chips
// (Trainium2, Trainium3) and the GPUs. The catalog names each chip's family
// (Chip.StepFamily); each family is one file (family_*.go) holding its
// default constants, fitted to published measurements, and what else it
// does differently.
type stepFamily interface {
	// name is the family's catalog name.
	name() string
	// defaults are the committed constants (fitted, or an estimate that says so).
	defaults() Serving
	// resident is the shard as the family runs it: the format weights stored
	// as sh.Weights sit in device memory and stream in, and the format its
	// matrix units compute in; a *WeightFormatError where aiecon does not
	// model the family's serving stacks running sh.Weights.
	resident(sh llm.Shard) (llm.Shard, error)
	// held is the shard as device memory holds it: the formats whose bytes
	// count against a device's memory (the weights, the KV cache). It is
	// resident's shard except where a family streams and computes weights
	// in another format than it stores them (NeuronCore-v2's int8 and fp8),
	// and refuses what resident refuses.
	held(sh llm.Shard) (llm.Shard, error)
	// about is one line for reports: the chips and what is peculiar.
	about() string
	// compiled reports whether the family runs ahead-of-time compiled
	// graphs with static shapes, padding prompts, decode batches and
	// attention to shape buckets (Neuron), or kernels sized to the live
	// batch (GPUs).
	compiled() bool
	// sequenceParallel reports whether the family's serving stacks run the
	// norms and residual adds sequence parallel, each device on 1/TP of
	// the tokens (llm.Shard.SequenceParallel, which resident sets from
	// it), rather than replicated on every device.
	sequenceParallel() bool
	// fitPlan says which constants a fit frees: all of them (base "" and
	// free nil), or only `free`, the others taken from family `base`
	// (inheritedServing), where the public measurements of this family are
	// too few to pin all nine.
	fitPlan() (base string, free []string)
}

// pricedAs is a family's chips with their graphs structured as family as
// structures its own: the family's weight formats (what its chips store,
// stream and multiply), as's element-wise layout. A fit of a family's
// measurements priced so gives the constants that as takes from it
// (inheritedServing): the same hardware constants, measured under the
// structure the inheriting family runs.
type pricedAs struct {
	stepFamily
	as stepFamily
}

func (p pricedAs) sequenceParallel() bool { return p.as.sequenceParallel() }

func (p pricedAs) resident(sh llm.Shard) (llm.Shard, error) {
	r, err := p.stepFamily.resident(sh)
	r.SequenceParallel = p.as.sequenceParallel()
	return r, err
}

// inheritedFits are the committed fits of one family's measurements priced
// as another family structures its graphs (pricedAs), by {family, as}:
// what as inherits from family where the two structure their graphs
// differently. TestFittedDefaultsUpToDate refits them.
var inheritedFits = map[[2]string]*Serving{{StepNeuronV2, StepNeuronV3}: &neuronV2AsV3Serving}

// inheritedServing is the constants family heir takes from family base
// (heir's fitPlan base): base's committed constants where the two
// structure their graphs alike, else the committed fit of base's
// measurements priced as heir prices its graphs (inheritedFits). Taking
// base's own constants across a change of structure would carry into heir
// whatever base's fit absorbed of its own structure (fitted with
// replicated norms, NeuronCore-v2's link share and GEMM scale price
// Trainium2's sequence-parallel graphs worse: docs/calibration.md).
func inheritedServing(base, heir string) (Serving, error) {
	b, err := stepFamilyByName(base)
	if err != nil {
		return Serving{}, fmt.Errorf("family %s inherits from %s: %w", heir, base, err)
	}
	h, err := stepFamilyByName(heir)
	if err != nil {
		return Serving{}, fmt.Errorf("family %s inherits from %s: %w", heir, base, err)
	}
	if b.sequenceParallel() == h.sequenceParallel() {
		return b.defaults(), nil
	}
	s, ok := inheritedFits[[2]string{base, heir}]
	if !ok {
		return Serving{}, fmt.Errorf("family %s inherits constants from %s, which structures its graphs otherwise, and no fit of %s's measurements priced as %s prices its graphs is committed",
			heir, base, base, heir)
	}
	return *s, nil
}

// PricedAsPairings are the fits of one family's rows priced as another
// family structures its graphs that mean something, as "family as heir":
// heir inherits constants from family (heir's fitPlan base), and the two
// structure their graphs differently, so what heir inherits is such a fit
// (inheritedServing), not family's own constants.
func PricedAsPairings() []string {
	var out []string
	for _, h := range stepFamilies {
		base, _ := h.fitPlan()
		if b, err := stepFamilyByName(base); err == nil && b.sequenceParallel() != h.sequenceParallel() {
			out = append(out, base+" as "+h.name())
		}
	}
	slices.Sort(out)
	return out
}

// CheckPricedAs refuses a fit of family's rows priced as family as
// structures its graphs (hw fit --priced-as) unless it is one of
// PricedAsPairings, saying why: as unknown, as family itself, or a family
// that inherits nothing from family, or inherits its constants as they are.
// Any other such fit prices the rows under a structure no family runs them
// with, and yields constants no family takes.
func CheckPricedAs(family, as string) error {
	h, err := stepFamilyByName(as)
	if err != nil {
		return err
	}
	pairs := "the fits that mean something: " + strings.Join(PricedAsPairings(), ", ")
	base, _ := h.fitPlan()
	switch {
	case as == family:
		return fmt.Errorf("%s's rows priced as %s structures its graphs are its own fit: leave the pricing out (%s)", family, as, pairs)
	case base != family:
		return fmt.Errorf("%s inherits no constants from %s, so a fit of %s's rows priced as %s structures its graphs gives constants no family takes (%s)",
			as, family, family, as, pairs)
	}
	b, err := stepFamilyByName(base)
	if err != nil {
		return err
	}
	if b.sequenceParallel() == h.sequenceParallel() {
		return fmt.Errorf("%s structures its graphs as %s does and inherits %s's own constants: fit %s's rows without a pricing (%s)",
			as, family, family, family, pairs)
	}
	return nil
}

// CommittedServingAs is the committed constants of family's rows priced as
// family as structures its graphs: family's own (DefaultServing) where as
// is "", else the committed fit that as inherits (inheritedServing).
func CommittedServingAs(family, as string) (Serving, error) {
	if as == "" {
		return DefaultServing(family)
	}
	return inheritedServing(family, as)
}

// Step family names, as Chip.StepFamily gives them.
const (
	StepNeuronV2  = "neuron-v2"
	StepNeuronV3  = "neuron-v3"
	StepGPU       = "gpu"
	StepGPUAmpere = "gpu-ampere"
)

var stepFamilies = []stepFamily{neuronV2{}, neuronV3{}, gpuFamily{}, gpuAmpere{}}

// StepFamilies lists the step family names.
func StepFamilies() []string {
	var out []string
	for _, f := range stepFamilies {
		out = append(out, f.name())
	}
	slices.Sort(out)
	return out
}

// StepFamilyAbout describes a family in one line ("" if unknown).
func StepFamilyAbout(name string) string {
	f, err := stepFamilyByName(name)
	if err != nil {
		return ""
	}
	return f.about()
}

// StepFamilyCompiled reports whether family name runs ahead-of-time
// compiled graphs with static shapes (Neuron) rather than kernels sized to
// the live batch (GPUs); false for an unknown name.
func StepFamilyCompiled(name string) bool {
	f, err := stepFamilyByName(name)
	return err == nil && f.compiled()
}

// ResidentShard is sh as chip's step family runs it (Perf.ResidentShard,
// without a Perf): the shard to price operations with.
func ResidentShard(chip *Chip, sh llm.Shard) (llm.Shard, error) {
	f, err := stepFamilyByName(chip.StepFamily)
	if err != nil {
		return sh, fmt.Errorf("chip %s: %w", chip.Name, err)
	}
	return f.resident(sh)
}

// HeldShard is sh as chip's device memory holds it (Perf.HeldShard, without
// a Perf): the shard to size weights and the KV cache with.
func HeldShard(chip *Chip, sh llm.Shard) (llm.Shard, error) {
	f, err := stepFamilyByName(chip.StepFamily)
	if err != nil {
		return sh, fmt.Errorf("chip %s: %w", chip.Name, err)
	}
	return f.held(sh)
}

func stepFamilyByName(name string) (stepFamily, error) {
	for _, f := range stepFamilies {
		if f.name() == name {
			return f, nil
		}
	}
	return nil, fmt.Errorf("unknown step family %q (known: %s)", name, strings.Join(StepFamilies(), ", "))
}

// WeightFormats lists the weight formats chip's step family runs (the
// formats its resident shard accepts), in llm.DTypes order.
func WeightFormats(chip *Chip) ([]llm.DType, error) {
	f, err := stepFamilyByName(chip.StepFamily)
	if err != nil {
		return nil, fmt.Errorf("chip %s: %w", chip.Name, err)
	}
	return weightFormats(f), nil
}

func weightFormats(f stepFamily) []llm.DType {
	var out []llm.DType
	for _, d := range llm.DTypes {
		if _, err := f.resident(llm.Shard{TP: 1, Weights: d, Activations: llm.BF16, KV: llm.BF16}); err == nil {
			out = append(out, d)
		}
	}
	return out
}

// ExpertWeightFormats lists the formats chip's step family runs an MoE
// model's routed experts in beside bf16 weights elsewhere
// (precision.expert_weights).
func ExpertWeightFormats(chip *Chip) ([]llm.DType, error) {
	f, err := stepFamilyByName(chip.StepFamily)
	if err != nil {
		return nil, fmt.Errorf("chip %s: %w", chip.Name, err)
	}
	var out []llm.DType
	for _, d := range llm.DTypes {
		if _, err := f.resident(llm.Shard{TP: 1, Weights: llm.BF16, Experts: d, Activations: llm.BF16, KV: llm.BF16}); err == nil {
			out = append(out, d)
		}
	}
	return out, nil
}

// WeightFormatError says that aiecon does not model a step family running a
// weight format: the serving stacks its constants describe store weights in
// other formats, so a time for it would describe no deployment.
type WeightFormatError struct {
	Family  string
	Weights llm.DType
	Stacks  string // the serving stacks the family's constants describe
}

func (e *WeightFormatError) Error() string {
	runs := "other formats"
	if f, err := stepFamilyByName(e.Family); err == nil {
		runs = llm.JoinDTypes(weightFormats(f))
	}
	return fmt.Sprintf("%s weights: aiecon models the %s family's serving stacks (%s) with weights in %s, not %s",
		e.Weights, e.Family, e.Stacks, runs, e.Weights)
}

// fp8Native is the resident shard of a family whose matrix units run fp8:
// fp8 weights are multiplied in fp8 (W8A8, as TensorRT-LLM's and NxD
// Inference's fp8 modes do), other formats as given.
func fp8Native(sh llm.Shard) (llm.Shard, error) {
	if sh.Weights == llm.FP8 {
		sh.Compute = llm.FP8
	}
	if sh.Experts == llm.FP8 {
		sh.ExpertCompute = llm.FP8
	}
	return sh, nil
}
