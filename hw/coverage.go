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
	if len(s.FittedShapes) == 0 || tp < 1 {
		return ""
	}
	lo, hi, parallel := math.Inf(1), 0.0, false
	minTP, maxTP := s.FittedShapes[0].TP, s.FittedShapes[0].TP
	for _, f := range s.FittedShapes {
		lo, hi = min(lo, f.MinParamsB/float64(f.TP)), max(hi, f.MaxParamsB/float64(f.TP))
		parallel = parallel || f.TP > 1
		minTP, maxTP = min(minTP, f.TP), max(maxTP, f.TP)
	}
	if tp > 1 && !parallel {
		return fmt.Sprintf("TP %d, while every measurement they were fitted to ran on one device, so no all-reduce was measured", tp)
	}
	if tp*shapeReach < minTP || tp > maxTP*shapeReach {
		return fmt.Sprintf("TP %d, while the measurements they were fitted to ran at TP %s", tp, tpRange(minTP, maxTP))
	}
	per := paramsB / float64(tp)
	if per >= lo/shapeReach && per <= hi*shapeReach {
		return ""
	}
	return fmt.Sprintf("%s active parameters per device (%s at TP %d), while the measurements they were fitted to ran %s per device",
		billions(per), billions(paramsB), tp, sizeRange(lo, hi))
}

// UnfittedWeights says how weights stored in w lie outside the formats the
// constants were fitted to: "" when a fitted measurement stored its weights
// in w (bf16 and fp16 count as one: same width, same peak on every
// catalogued chip), or when the constants record no formats. A format the
// fit never saw is priced by the same structure, but nothing checked it:
// docs/model.md ("Formats") says where weight-only formats are likely to
// be priced too slow.
func (s Serving) UnfittedWeights(w llm.DType) string {
	if len(s.FittedWeights) == 0 || !w.Valid() {
		return ""
	}
	if slices.ContainsFunc(s.FittedWeights, func(f llm.DType) bool { return f == w || (sixteenBit(f) && sixteenBit(w)) }) {
		return ""
	}
	names := make([]string, len(s.FittedWeights))
	for i, f := range s.FittedWeights {
		names[i] = string(f)
	}
	return fmt.Sprintf("%s weights, while the measurements they were fitted to stored %s", w, strings.Join(names, " or "))
}

// LengthExtrapolation says how requests whose prompts reach prompt tokens
// and whose contexts (prompt plus output) reach context tokens lie beyond
// the measurements the constants were fitted to: "" when each is at most
// shapeReach times the longest fitted one (FittedMaxPrompt,
// FittedMaxContext), when the figure is 0 (unknown), or when the constants
// record no lengths. The attention core grows with the prompt squared and
// the KV a decode step reads with the context, so attn_scale, kv_frac and
// kv_group_exp, pinned by the lengths measured, weigh more beyond them: on
// Inferentia2 and Trainium1 a prefill's time grows 3.4-3.6x per doubling
// past the 8,192-token prompts measured (docs/calibration.md, "Beyond the
// rows"). Requests shorter than any measured are not flagged: every
// committed family measured prompts of 512 tokens or fewer.
func (s Serving) LengthExtrapolation(prompt, context int) string {
	var out []string
	if s.FittedMaxPrompt > 0 && prompt > shapeReach*s.FittedMaxPrompt {
		out = append(out, fmt.Sprintf("prompts to %s tokens, while the measurements they were fitted to reached %s",
			format.Thousands(int64(prompt)), format.Thousands(int64(s.FittedMaxPrompt))))
	}
	if s.FittedMaxContext > 0 && context > shapeReach*s.FittedMaxContext {
		out = append(out, fmt.Sprintf("contexts (prompt plus output) to %s tokens, while the measurements they were fitted to reached %s",
			format.Thousands(int64(context)), format.Thousands(int64(s.FittedMaxContext))))
	}
	return strings.Join(out, "; ")
}

// UnfittedMoE says how a mixture-of-experts model lies outside the
// measurements the constants were fitted to: "" for a dense model (moe
// false), when a fitted measurement served a mixture of experts, or when
// the constants record no lengths (saved before the fit recorded them,
// and with them FittedMoE, or an estimate). Routing, the experts' weights
// that a batch's tokens touch, and the smaller GEMMs of each expert are
// priced by the same structure, but nothing checked it: the one Trainium2
// MoE row (GPT-OSS-120B) validates at TTFT -67%.
func (s Serving) UnfittedMoE(moe bool) string {
	if !moe || s.FittedMoE || s.FittedMaxContext == 0 {
		return ""
	}
	return "a mixture of experts, while every measurement they were fitted to served a dense model"
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
