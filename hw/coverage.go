package hw

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"aiecon/model/format"
	"aiecon/model/llm"
)

// FittedShape is one TP degree of a fit's measurements: the smallest and
// largest model measured at it, in billions of active parameters (what a
// step streams and multiplies).
type FittedShape struct {
	TP         int     `json:"tp"`
	MinParamsB float64 `json:"min_params_b"`
	MaxParamsB float64 `json:"max_params_b"`
}

// shapeReach is how far a replica's model size per device may lie from the
// sizes per device of the fitted measurements and still count as covered: a
// factor either way. The fixed costs (per layer, per all-reduce) and the
// bytes each device streams trade against each other with the size per
// device, so the constants hold near the sizes that pinned them;
// docs/calibration.md ("Beyond the rows") shows how far they can go wrong
// beyond (an 8B model at TP8 on the GPUs, 1B per device, where the rows
// run 6.7B and more per device).
const shapeReach = 2

// addFittedShape records a measurement of a model of paramsB at tp.
func addFittedShape(shapes []FittedShape, tp int, paramsB float64) []FittedShape {
	i := slices.IndexFunc(shapes, func(f FittedShape) bool { return f.TP == tp })
	if i < 0 {
		shapes = append(shapes, FittedShape{TP: tp, MinParamsB: paramsB, MaxParamsB: paramsB})
		slices.SortFunc(shapes, func(a, b FittedShape) int { return a.TP - b.TP })
		return shapes
	}
	shapes[i].MinParamsB = min(shapes[i].MinParamsB, paramsB)
	shapes[i].MaxParamsB = max(shapes[i].MaxParamsB, paramsB)
	return shapes
}

// Extrapolation says how a replica of TP tp serving a model of paramsB
// billion active parameters lies outside the measurements the constants were
// fitted to: "" when its size per device (paramsB / tp) is within a factor
// of shapeReach of the fitted ones and its TP degree within a factor of
// shapeReach of the fitted degrees (above TP 1, some fitted measurement ran
// with tensor parallelism, which pins the all-reduce costs); also "" when
// the constants record no shapes (an estimate, or constants saved before
// shapes were recorded). The degree counts apart from the size: an
// all-reduce over 2 NeuronCores of one chip is not the one over 24 across
// 12 chips that NeuronCore-v2's rows measured, though a small model at TP2
// may stream as much per device as a large one at TP24.
func (s Serving) Extrapolation(tp int, paramsB float64) string {
	return s.shapeGap(tp, paramsB).Detail
}

func (s Serving) shapeGap(tp int, paramsB float64) Gap {
	if len(s.FittedShapes) == 0 || tp < 1 {
		return Gap{}
	}
	lo, hi, parallel := math.Inf(1), 0.0, false
	minTP, maxTP := s.FittedShapes[0].TP, s.FittedShapes[0].TP
	for _, f := range s.FittedShapes {
		lo, hi = min(lo, f.MinParamsB/float64(f.TP)), max(hi, f.MaxParamsB/float64(f.TP))
		parallel = parallel || f.TP > 1
		minTP, maxTP = min(minTP, f.TP), max(maxTP, f.TP)
	}
	brief := fmt.Sprintf("TP %d", tp)
	if tp > 1 && !parallel {
		return Gap{AxisTP, brief, fmt.Sprintf("TP %d, while every measurement they were fitted to ran on one device, so no all-reduce was measured", tp)}
	}
	if tp*shapeReach < minTP || tp > maxTP*shapeReach {
		return Gap{AxisTP, brief, fmt.Sprintf("TP %d, while the measurements they were fitted to ran at TP %s", tp, tpRange(minTP, maxTP))}
	}
	per := paramsB / float64(tp)
	if per >= lo/shapeReach && per <= hi*shapeReach {
		return Gap{}
	}
	return Gap{AxisSize, billions(per) + " per device", fmt.Sprintf("%s active parameters per device (%s at TP %d), while the measurements they were fitted to ran %s per device",
		billions(per), billions(paramsB), tp, sizeRange(lo, hi))}
}

// UnfittedWeights says how weights stored in w lie outside the formats the
// constants were fitted to: "" when a fitted measurement stored its weights
// in w (bf16 and fp16 count as one: same width, same peak on every
// catalogued chip), or when the constants record no formats. A format the
// fit never saw is priced by the same structure, but nothing checked it:
// docs/model.md ("Formats") says where weight-only formats are likely to
// be priced too slow.
func (s Serving) UnfittedWeights(w llm.DType) string { return s.weightsGap(w).Detail }

func (s Serving) weightsGap(w llm.DType) Gap {
	if len(s.FittedWeights) == 0 || !w.Valid() {
		return Gap{}
	}
	if slices.ContainsFunc(s.FittedWeights, func(f llm.DType) bool { return f == w || (sixteenBit(f) && sixteenBit(w)) }) {
		return Gap{}
	}
	names := make([]string, len(s.FittedWeights))
	for i, f := range s.FittedWeights {
		names[i] = string(f)
	}
	return Gap{AxisWeights, string(w) + " weights", fmt.Sprintf("%s weights, while the measurements they were fitted to stored %s", w, strings.Join(names, " or "))}
}

// promptReach is how far past the longest fitted prompt a fleet's prompts
// may reach and still count as covered: not at all. A prefill's attention
// core grows with the prompt squared, priced by attn_scale, which the
// longest rows pin only as the share of their prefill it was there; past
// them that share grows with the prompt, and an error in it with it. On
// Inferentia2 and Trainium1 (attn_scale 0.0212, about 2% of the GEMM
// curve) a 16,384-token prompt, twice the longest row, is priced at 22x
// its FLOP floor (docs/calibration.md, "Beyond the rows"), and went
// unflagged under shapeReach. The context keeps shapeReach: the KV a
// decode step reads grows only linearly with it, kv_frac and kv_group_exp
// scale that read by a fixed factor, and a context past the fitted one
// that comes from a prompt past the fitted prompt is flagged by the prompt.
const promptReach = 1

// LengthExtrapolation says how requests whose prompts reach prompt tokens
// and whose contexts (prompt plus output) reach context tokens lie beyond
// the measurements the constants were fitted to: "" when the prompt is at
// most the longest fitted one (FittedMaxPrompt, promptReach) and the
// context at most shapeReach times the longest fitted one
// (FittedMaxContext), when the figure is 0 (unknown), or when the
// constants record no lengths. The attention core grows with the prompt
// squared and the KV a decode step reads with the context, so attn_scale,
// kv_frac and kv_group_exp, pinned by the lengths measured, weigh more
// beyond them: on Inferentia2 and Trainium1 a prefill's time grows
// 3.1-3.4x per doubling past the 8,192-token prompts measured
// (docs/calibration.md, "Beyond the rows"). Requests shorter than any
// measured are not flagged: every committed family measured prompts of 512
// tokens or fewer.
func (s Serving) LengthExtrapolation(prompt, context int) string {
	return details(s.lengthGaps(prompt, context))
}

func (s Serving) lengthGaps(prompt, context int) []Gap {
	var out []Gap
	if s.FittedMaxPrompt > 0 && prompt > promptReach*s.FittedMaxPrompt {
		n := format.Thousands(int64(prompt))
		out = append(out, Gap{AxisPrompt, "prompts to " + n + " tokens", fmt.Sprintf("prompts to %s tokens, while the measurements they were fitted to reached %s",
			n, format.Thousands(int64(s.FittedMaxPrompt)))})
	}
	if s.FittedMaxContext > 0 && context > shapeReach*s.FittedMaxContext {
		n := format.Thousands(int64(context))
		out = append(out, Gap{AxisContext, "contexts to " + n + " tokens", fmt.Sprintf("contexts (prompt plus output) to %s tokens, while the measurements they were fitted to reached %s",
			n, format.Thousands(int64(s.FittedMaxContext))) + s.inheritedNote(AxisContext)})
	}
	return out
}

// BatchExtrapolation says how a replica that runs up to batch sequences at
// once lies outside the batches the constants were fitted to: "" when
// batch is within a factor of shapeReach of the fitted range
// (FittedMinBatch to FittedMaxBatch), when it is 0 (unknown), or when the
// constants record no batches. kv_frac and kv_group_exp are pinned by
// batch x context in decoding, and the fixed costs against the weights a
// step streams by the batch sizes measured: Trainium2's constants rest on
// batches of 1 and 2, so a batch of 256 prices a decode step no
// measurement of the chip constrains.
func (s Serving) BatchExtrapolation(batch int) string { return s.batchGap(batch).Detail }

func (s Serving) batchGap(batch int) Gap {
	if s.FittedMaxBatch == 0 || batch < 1 || (batch <= shapeReach*s.FittedMaxBatch && batch*shapeReach >= s.FittedMinBatch) {
		return Gap{}
	}
	fitted := strconv.Itoa(s.FittedMaxBatch)
	if s.FittedMinBatch != s.FittedMaxBatch {
		fitted = format.Thousands(int64(s.FittedMinBatch)) + " to " + format.Thousands(int64(s.FittedMaxBatch))
	}
	n := format.Thousands(int64(batch))
	return Gap{AxisBatch, "batches to " + n, fmt.Sprintf("batches of up to %s sequences, while the measurements they were fitted to ran %s at once", n, fitted) +
		s.inheritedNote(AxisBatch)}
}

// axisConstants are the constants that price what grows along an axis a
// fleet can pass its measurements on: the attention core, with the
// prompt; the KV a decode step reads, with the context and with the batch
// (batch x context). Where the family inherits them (inheritedNote), its
// own rows' lengths and batches did not pin them at all.
var axisConstants = map[string]struct {
	names []string
	what  string
}{
	AxisPrompt:  {[]string{"attn_scale"}, "the attention core of a prefill"},
	AxisContext: {[]string{"kv_frac", "kv_group_exp"}, "the KV a decode step reads"},
	AxisBatch:   {[]string{"kv_frac", "kv_group_exp"}, "the KV a decode step reads"},
}

// inheritedNote says, for a gap on axis, which of the constants that price
// it (axisConstants) s's family takes from another family rather than
// fitting to its own rows (stepFamily.fitPlan: Trainium2's kv_frac and
// kv_group_exp are neuron-v2's), and what that family's rows measured:
// "; kv_frac and kv_group_exp, which price ..., are inherited from
// neuron-v2, fitted to ...". Past its own rows' lengths and batches
// nothing of the chip checks them, and within the other family's they
// were fitted to another stack. "" where the family inherits none of them.
// A constant the scenario sets itself (ScenarioSet: hardware.kv_group_exp)
// is the run's own, not inherited: it is left out, and said to be set by
// the scenario where another is still named ("" where all are set).
func (s Serving) inheritedNote(axis string) string {
	fam, err := stepFamilyByName(s.Family)
	if err != nil {
		return ""
	}
	base, free := fam.fitPlan()
	if base == "" {
		return ""
	}
	var names, set []string
	for _, c := range axisConstants[axis].names {
		switch {
		case slices.Contains(s.ScenarioSet, c):
			set = append(set, c)
		case !slices.Contains(free, c):
			names = append(names, c)
		}
	}
	from, err := inheritedServing(base, s.Family)
	if len(names) == 0 || err != nil {
		return ""
	}
	verb := "prices"
	if len(names) > 1 {
		verb = "price"
	}
	note := fmt.Sprintf("; %s, which %s %s, %s inherited from %s, fitted to %s: no %s row refits %s",
		format.ListAnd(names), verb, axisConstants[axis].what, isAre(len(names)), base, from.fittedRows(), strings.Join(s.FittedChips, " or "), itThem(len(names)))
	if len(set) > 0 {
		note += fmt.Sprintf(" (%s %s set by the scenario)", format.ListAnd(set), isAre(len(set)))
	}
	return note
}

// fittedRows describes the rows constants were fitted to, for a note:
// "59 transformers-neuronx rows on Inferentia2 and Trainium1 (contexts to
// 16,384 tokens, batches of 1 to 8)".
func (s Serving) fittedRows() string {
	out := fmt.Sprintf("%d rows", s.FittedRows)
	if len(s.FittedStacks) > 0 {
		out = fmt.Sprintf("%d %s rows", s.FittedRows, strings.Join(s.FittedStacks, " and "))
	}
	if len(s.FittedChips) > 0 {
		out += " on " + strings.Join(s.FittedChips, " and ")
	}
	if s.FittedMaxContext > 0 && s.FittedMaxBatch > 0 {
		out += fmt.Sprintf(" (contexts to %s tokens, batches of %s to %s)", format.Thousands(int64(s.FittedMaxContext)),
			format.Thousands(int64(s.FittedMinBatch)), format.Thousands(int64(s.FittedMaxBatch)))
	}
	return out
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// UnfittedMoE says how a mixture-of-experts model lies outside the
// measurements the constants were fitted to: "" for a dense model (moe
// false), when a fitted measurement served a mixture of experts, or when
// the constants record no lengths (saved before the fit recorded them,
// and with them FittedMoE, or an estimate). Routing, the experts' weights
// that a batch's tokens touch, and the smaller GEMMs of each expert are
// priced by the same structure, but nothing checked it: the one Trainium2
// MoE row (GPT-OSS-120B) validates at TTFT -67%.
func (s Serving) UnfittedMoE(moe bool) string { return s.moeGap(moe).Detail }

func (s Serving) moeGap(moe bool) Gap {
	if !moe || s.FittedMoE || s.FittedMaxContext == 0 {
		return Gap{}
	}
	return Gap{AxisMoE, "MoE", "a mixture of experts, while every measurement they were fitted to served a dense model"}
}

// specGap is a replica that decodes speculatively with proposer: no
// constants are fitted to a speculative measurement (Fit leaves those rows
// out: they publish no acceptance rate to simulate them with, fit.go), and
// none validates how a proposer's steps and the target's verification
// chunk are priced from them, so every speculative replica lies outside
// its measurements. None without speculation, and for constants fitted to
// no measurement, which the run calls an estimate as a whole.
func (s Serving) specGap(proposer string) Gap {
	if proposer == "" || s.FittedRows == 0 {
		return Gap{}
	}
	return Gap{AxisSpec, "speculative decoding", fmt.Sprintf("speculative decoding with the %s proposer, while every measurement "+
		"they were fitted to decoded one token a step and none with speculation validates how its proposer steps and the "+
		"verification of its proposals are priced (the published speculative rows give no acceptance rate)", proposer)}
}

// Gap is one way a replica lies outside the measurements its constants
// were fitted to: Axis is which way (one of the Axis constants, for a
// search that marks each candidate by them), Brief names it in a few words
// ("MoE", "batch 256") for the one line that says where a run's step times
// come from, Detail says it with the fitted figures for the warning; all
// "" where covered.
type Gap struct{ Axis, Brief, Detail string }

// The axes a Gap lies on: Gaps' own, in its order, and AxisChip, the chip
// the constants are carried over to (TransferGap), which Gaps leaves to the
// run's STEP TIMES BY TRANSFER warning.
const (
	AxisChip    = "chip"
	AxisTP      = "TP degree"
	AxisSize    = "size per device"
	AxisWeights = "weight format"
	AxisExperts = "experts' format"
	AxisMoE     = "mixture of experts"
	AxisPrompt  = "prompt length"
	AxisContext = "context length"
	AxisBatch   = "batch"
	AxisSpec    = "speculative decoding"
)

// TransferGap is CoverageOf as a Gap on AxisChip: the constants carried
// over to chip from measurements of other chips of the family, or fitted to
// no measurement at all; none (all "") when chip is among the fitted chips,
// however thinly.
func (s Serving) TransferGap(chip string) Gap {
	switch s.CoverageOf(chip) {
	case CoverageNone:
		return Gap{AxisChip, "fitted to no measurement", "constants fitted to no published measurement (an estimate)"}
	case CoverageTransfer:
		return Gap{AxisChip, "carried over to " + chip, fmt.Sprintf("constants carried over to %s from measurements of %s, through its catalogued peaks and bandwidths",
			chip, strings.Join(s.FittedChips, " and "))}
	}
	return Gap{}
}

// Use is what a replica runs, as the coverage checks read it: its TP
// degree, its model's active parameters in billions, its weights' format
// and, apart from them, its routed experts' ("" when the same or dense),
// whether the model is a mixture of experts, the longest prompt and
// context (prompt plus output) it serves in tokens, the most sequences
// it runs at once (0: unknown) and its speculative proposer (a draft model
// or "eagle"; "" without speculative decoding).
type Use struct {
	TP               int
	ActiveParamsB    float64
	Weights, Experts llm.DType
	MoE              bool
	Prompt, Context  int
	Batch            int
	Speculative      string
}

// Gaps are every way u lies outside the measurements the constants were
// fitted to, in a fixed order: shape, weights, experts, MoE, lengths,
// batch, speculative decoding; none when covered. Where constants the
// family inherits price a gap's axis (inheritedNote), the last gap they
// price says so.
func (s Serving) Gaps(u Use) []Gap {
	experts := Gap{}
	if u.Experts != "" {
		if g := s.weightsGap(u.Experts); g.Detail != "" {
			experts = Gap{AxisExperts, string(u.Experts) + " experts", "the routed experts' " + g.Detail}
		}
	}
	all := append([]Gap{s.shapeGap(u.TP, u.ActiveParamsB), s.weightsGap(u.Weights), experts, s.moeGap(u.MoE)},
		s.lengthGaps(u.Prompt, u.Context)...)
	var out []Gap
	for _, g := range append(all, s.batchGap(u.Batch), s.specGap(u.Speculative)) {
		if g.Detail != "" {
			out = append(out, g)
		}
	}
	return s.inheritedOnce(out)
}

// inheritedOnce leaves an inherited-constants note (inheritedNote) on the
// last of gaps it closes only: the context's and the batch's are the same
// note, and a warning that joins the gaps would say it twice.
func (s Serving) inheritedOnce(gaps []Gap) []Gap {
	for i := range gaps {
		note := s.inheritedNote(gaps[i].Axis)
		if note == "" {
			continue
		}
		if slices.ContainsFunc(gaps[i+1:], func(g Gap) bool { return strings.HasSuffix(g.Detail, note) }) {
			gaps[i].Detail = strings.TrimSuffix(gaps[i].Detail, note)
		}
	}
	return gaps
}

// details joins gaps' details with "; ".
func details(gaps []Gap) string {
	out := make([]string, len(gaps))
	for i, g := range gaps {
		out[i] = g.Detail
	}
	return strings.Join(out, "; ")
}

func sixteenBit(d llm.DType) bool { return d == llm.BF16 || d == llm.FP16 }

// sizeRange prints a range of sizes, as "6.7-69B" (or "69B" when one).
func sizeRange(lo, hi float64) string {
	if billions(lo) == billions(hi) {
		return billions(hi)
	}
	return strings.TrimSuffix(billions(lo), "B") + "-" + billions(hi)
}

func billions(b float64) string {
	if b < 10 {
		return strconv.FormatFloat(b, 'f', 1, 64) + "B"
	}
	return strconv.FormatFloat(b, 'f', 0, 64) + "B"
}

// DescribeShapes prints fitted shapes as "TP 1: 6.7-69B, TP 8: 69B".
func DescribeShapes(shapes []FittedShape) string {
	parts := make([]string, len(shapes))
	for i, f := range shapes {
		parts[i] = fmt.Sprintf("TP %d: %s", f.TP, sizeRange(f.MinParamsB, f.MaxParamsB))
	}
	return strings.Join(parts, ", ")
}

// tpRange is "24" or "24 to 32".
func tpRange(lo, hi int) string {
	if lo == hi {
		return strconv.Itoa(lo)
	}
	return strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
}
