package hw

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"aiecon/model/llm"
)

// Serving holds the constants of a family's step-time model: what the
// roofline of the operations alone does not capture, each with a physical
// meaning and a unit. They are fitted to published serving measurements (see
// FitFamily and docs/calibration.md) and may be overridden in a scenario.
//
// One iteration of a replica costs, on each of its devices,
//
//	layers x LayerS (+ PrefillS if it encodes prompts)  fixed costs
//	+ sum over ops of the op's time, where
//	  GEMM         max(FLOPs x pad / (peak x eff(shape) x GEMMScale), bytes / (HBM bw x HBMFrac))
//	  attention    max(FLOPs x pad / (peak x eff(shape) x AttnScale), bytes x reads / (HBM bw x KVFrac)),
//	               reads = group^KVGroupExp in decode (query heads per KV head), 1 in prefill
//	  memory pass  bytes / (HBM bw x HBMFrac)
//	  all-reduce   CollectiveS + 2(g-1)/g x bytes / (link bandwidth x LinkFrac)
//
// Nine constants, each pinned by a different feature of the measurements:
// PrefillS by the time to first token of short prompts, whatever the model
// size; LayerS by the layer count; CollectiveS by the TP degree; HBMFrac by
// the weight bytes of decoding; KVFrac by batch x context in decoding;
// GEMMScale by prompt length; AttnScale by the growth of prefill with the
// square of the prompt; KVGroupExp by the decode times of models whose
// query heads share KV heads (GQA) beside those whose do not; LinkFrac by
// how prefill grows with the TP degree (a large prompt's all-reduces carry
// megabytes, a decode step's kilobytes).
type Serving struct {
	Family string `json:"family"`
	// PrefillS is the fixed cost of an iteration that encodes prompts (the
	// context-encoding graph's host-side preparation and switch), in s.
	PrefillS float64 `json:"prefill_s"`
	// LayerS is the fixed cost per transformer layer per iteration (kernel
	// launches and synchronisation between a layer's kernels), in s.
	LayerS float64 `json:"layer_s"`
	// CollectiveS is the latency of one all-reduce across the replica's
	// devices, whatever its size (the bytes add their own time over the
	// link), in s.
	CollectiveS float64 `json:"collective_s"`
	// HBMFrac is the achieved fraction of peak HBM bandwidth when streaming
	// weights and activations.
	HBMFrac float64 `json:"hbm_frac"`
	// KVFrac is the achieved fraction of peak HBM bandwidth when attention
	// reads the KV cache.
	KVFrac float64 `json:"kv_frac"`
	// GEMMScale multiplies the calibrated GEMM efficiency (the host's shape
	// curve or imported device timings) on compute-bound work: how much of
	// what the shape allows the family's compiled kernels reach. Capped so
	// that the efficiency never exceeds 1.
	GEMMScale float64 `json:"gemm_scale"`
	// AttnScale is the same factor for the attention core (QK^T, softmax,
	// PV), whose kernels run far from the GEMM curve on long prompts.
	AttnScale float64 `json:"attn_scale"`
	// KVGroupExp says how often decode attention reads each KV head: group^e
	// times, group being the query heads that share a KV head on a device.
	// 0: one read serves the whole group (a kernel that loads each KV head
	// once); 1: every query head reads it again. The published GPU rows
	// decode Llama-2-7B (32 KV heads) and Mistral-7B (8) at the same time per
	// token at every batch, though their caches differ 4x, which e = 0 cannot
	// reproduce (docs/calibration.md).
	KVGroupExp float64 `json:"kv_group_exp"`
	// LinkFrac is the achieved fraction of the catalogued per-direction link
	// bandwidth (NVLink, NeuronLink) when an all-reduce streams its bytes: a
	// ring's steps, the collective library's protocol and the copies in and
	// out of its buffers keep it below the wire rate. A constant saved
	// without it (0) reads as 1, the rate every fit before it assumed.
	LinkFrac float64 `json:"link_frac"`
	// Spread is the relative uncertainty of each constant (its name -> one
	// standard error as a fraction of the value), from the spread of the
	// cross-validation folds (CVReport.Spread); empty when no
	// cross-validation ran (the committed defaults: docs/calibration.md
	// tabulates theirs).
	Spread map[string]float64 `json:"spread,omitempty"`
	// CV summarises the cross-validated error of the fit that produced the
	// constants ("" for an estimate).
	CV string `json:"cv,omitempty"`
	// FittedChips are the chips whose published measurements the constants
	// were fitted to (catalog names); empty for constants fitted to nothing
	// (an estimate). A chip of the family that is not listed gets them by
	// transfer, through its own catalogued peaks, bandwidths and links.
	FittedChips []string `json:"fitted_chips,omitempty"`
	// FittedRows is how many measurements the fit used (0 if not fitted).
	FittedRows int `json:"fitted_rows,omitempty"`
	// FittedShapes are the TP degrees the measurements ran at, each with
	// the range of model sizes measured there (Extrapolation).
	FittedShapes []FittedShape `json:"fitted_shapes,omitempty"`
	// FittedWeights are the weight formats the measurements stored, sorted
	// (UnfittedWeights).
	FittedWeights []llm.DType `json:"fitted_weights,omitempty"`
	// FittedMaxPrompt is the longest prompt among the measurements, in
	// input tokens (what the longest prefill attended over), and
	// FittedMaxContext the longest context, input plus output tokens (the
	// most KV a decode step read); 0 for constants saved before the fit
	// recorded them (LengthExtrapolation).
	FittedMaxPrompt  int `json:"fitted_max_prompt_tokens,omitempty"`
	FittedMaxContext int `json:"fitted_max_context_tokens,omitempty"`
	// FittedMoE says some measurement served a mixture of experts
	// (UnfittedMoE); it is read only where the lengths were recorded too.
	FittedMoE bool `json:"fitted_moe,omitempty"`
	// FittedMinBatch and FittedMaxBatch are the fewest and the most
	// sequences a measurement ran at once (a static batch's size, a loop's
	// clients); 0 for constants saved before the fit recorded them
	// (BatchExtrapolation).
	FittedMinBatch int `json:"fitted_min_batch,omitempty"`
	FittedMaxBatch int `json:"fitted_max_batch,omitempty"`
	// FittedLoops counts the measurements that served a loop of clients
	// (closed or open: continuous batching) rather than a static batch;
	// the cross-validated error (CV) is over both kinds together.
	FittedLoops int `json:"fitted_loops,omitempty"`
	// FittedStacks are the serving stacks that ran the measurements, as
	// their framework column names them (FitStack), sorted; empty where no
	// row said.
	FittedStacks []string `json:"fitted_stacks,omitempty"`
	// Structure is the version of the family's step graphs the constants
	// were fitted under (ServingStructure), which `hw fit --save` records;
	// 0 for constants saved before it did (Profile.Caveats warns of both
	// that and an older version: the constants absorbed what that graph
	// priced otherwise).
	Structure int `json:"structure,omitempty"`
	// ScenarioSet names the constants (ConstantNames) a scenario sets
	// itself (its hardware overrides), for the notes that would otherwise
	// call them inherited from another family (inheritedNote): the run
	// prices with the scenario's values, whatever the family's fit plan.
	// Not saved: it belongs to a run, not to a fit.
	ScenarioSet []string `json:"-"`
	// Source says where the values come from (a fit and its inputs, or an estimate).
	Source string `json:"source"`
	Label  Label  `json:"label,omitempty"`
}

// The constants' positions in ConstantNames and Values.
const (
	cPrefill = iota
	cLayer
	cCollective
	cHBM
	cKV
	cGEMM
	cAttn
	cKVGroup
	cLink
)

// ConstantNames lists the fitted constants in a fixed order, with units.
// The unit sets a constant's range (Validate) and how a fit searches it
// (encodeConstants): s, a time of at most 1 s; fraction, in (0, 1]; factor,
// in (0, 4]; exponent, in [0, 1].
var ConstantNames = []struct{ Name, Unit string }{
	{"prefill_s", "s"}, {"layer_s", "s"}, {"collective_s", "s"},
	{"hbm_frac", "fraction"}, {"kv_frac", "fraction"}, {"gemm_scale", "factor"}, {"attn_scale", "factor"},
	{"kv_group_exp", "exponent"}, {"link_frac", "fraction"},
}

// Values returns the constants in ConstantNames order.
func (s Serving) Values() []float64 {
	return []float64{s.PrefillS, s.LayerS, s.CollectiveS, s.HBMFrac, s.KVFrac, s.GEMMScale, s.AttnScale, s.KVGroupExp, s.LinkFrac}
}

// withValues returns s with the constants set from v (ConstantNames order).
func (s Serving) withValues(v []float64) Serving {
	s.PrefillS, s.LayerS, s.CollectiveS, s.HBMFrac, s.KVFrac, s.GEMMScale, s.AttnScale, s.KVGroupExp, s.LinkFrac = v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]
	return s
}

// Validate checks the ranges each constant's unit sets: times finite and
// >= 0 (at most 1 s), fractions in (0, 1], factors in (0, 4], exponents in
// [0, 1].
func (s Serving) Validate() error {
	var errs []error
	for i, v := range s.Values() {
		c := ConstantNames[i]
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			errs = append(errs, fmt.Errorf("%s: %g must be a finite number", c.Name, v))
		case c.Unit == "s" && (v < 0 || v > 1):
			errs = append(errs, fmt.Errorf("%s: %g s must be between 0 and 1", c.Name, v))
		case c.Unit == "fraction" && !(v > 0 && v <= 1):
			errs = append(errs, fmt.Errorf("%s: %g must be in (0, 1]", c.Name, v))
		case c.Unit == "exponent" && !(v >= 0 && v <= 1):
			errs = append(errs, fmt.Errorf("%s: %g must be in [0, 1]", c.Name, v))
		case c.Unit == "factor" && !(v > 0 && v <= 4):
			errs = append(errs, fmt.Errorf("%s: %g must be in (0, 4]", c.Name, v))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("serving constants (%s): %w", s.Family, err)
	}
	return nil
}

// FixedSeconds is the fixed cost of one iteration of a model with `layers`
// layers, one that encodes prompts or one that only decodes.
func (s Serving) FixedSeconds(layers int, prefill bool) float64 {
	f := float64(layers) * s.LayerS
	if prefill {
		f += s.PrefillS
	}
	return f
}

// DefaultServing returns the default constants of a step family (a
// Chip.StepFamily name).
func DefaultServing(family string) (Serving, error) {
	f, err := stepFamilyByName(family)
	if err != nil {
		return Serving{}, err
	}
	return f.defaults(), nil
}

// InstanceDefaults looks up a catalog instance, its chip and the default
// constants of the chip's step family.
func InstanceDefaults(name string) (*Instance, *Chip, Serving, error) {
	inst, err := InstanceByName(name)
	if err != nil {
		return nil, nil, Serving{}, err
	}
	chip, err := inst.ChipSpec()
	if err != nil {
		return nil, nil, Serving{}, err
	}
	s, err := DefaultServing(chip.StepFamily)
	if err != nil {
		return nil, nil, Serving{}, fmt.Errorf("chip %s: %w", chip.Name, err)
	}
	return inst, chip, s, nil
}

// Coverage says how far a family's constants speak for one chip.
type Coverage int

const (
	// CoverageNone: the constants were fitted to no measurement (an estimate).
	CoverageNone Coverage = iota
	// CoverageTransfer: fitted to measurements of other chips of the family.
	CoverageTransfer
	// CoverageThin: fitted to measurements of this chip, but to fewer than
	// ThinFitRows of them (no cross-validation possible).
	CoverageThin
	// CoverageFitted: fitted to measurements of this chip, cross-validated.
	CoverageFitted
)

// ThinFitRows is the number of measurements below which a fit is too thin to
// cross-validate (nine constants, two numbers per row).
const ThinFitRows = 10

// CoverageOf says how the constants cover chip (a catalog chip name).
func (s Serving) CoverageOf(chip string) Coverage {
	switch {
	case len(s.FittedChips) == 0:
		return CoverageNone
	case !slices.Contains(s.FittedChips, chip):
		return CoverageTransfer
	case s.FittedRows < ThinFitRows:
		return CoverageThin
	}
	return CoverageFitted
}
