package hw

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"aiecon/model/llm"
)

// CVGroup is the cross-validated error of one (instance, model, TP, weight
// format) group: each of its rows predicted by constants fitted without any
// row of its model.
type CVGroup struct {
	Instance    string `json:"instance"`
	Model       string `json:"model"`
	TP          int    `json:"tp"`
	WeightDType string `json:"weight_dtype"`
	Rows        int    `json:"rows"`
	// TTFTRows and TPOTRows are the rows that publish each metric, which
	// its MAPE and bias are the means over (0: "-").
	TTFTRows int     `json:"ttft_rows"`
	TPOTRows int     `json:"tpot_rows"`
	TTFTMAPE float64 `json:"-"` // mean absolute percentage error, as a fraction (JSON: ttft_mape, null without rows)
	TTFTBias float64 `json:"-"` // mean signed error, as a fraction
	TPOTMAPE float64 `json:"-"`
	TPOTBias float64 `json:"-"`
}

// CVBy is what a cross-validation leaves out, one value at a time.
type CVBy string

const (
	// ByModel leaves one model out: each model's rows are predicted by
	// constants fitted without any row of it (the default).
	ByModel CVBy = "model"
	// ByTP leaves one TP degree out: each degree's rows are predicted from
	// the other degrees' rows. It tests what leaving a model out cannot
	// where one model carries every degree above 1 (the GPUs' static rows):
	// the constants the TP degree shapes (collective_s, link_frac).
	ByTP CVBy = "tp"
	// ByShape leaves one layer shape out: the models whose blocks are the
	// same (layerShape; Llama-2-70B and Llama-3-70B differ only in their
	// vocabulary) are one fold. Leaving one model out keeps its twin in
	// training, so for a model of a shape no row has run, this is the
	// closer estimate.
	ByShape CVBy = "shape"
)

// CVBys lists the kinds of cross-validation.
func CVBys() []CVBy { return []CVBy{ByModel, ByTP, ByShape} }

// Name is how reports title the cross-validation.
func (b CVBy) Name() string {
	switch b {
	case ByTP:
		return "leave-one-TP-degree-out"
	case ByShape:
		return "leave-one-layer-shape-out"
	}
	return "leave-one-model-out"
}

// Noun is what one fold leaves out, for reports ("without their ...").
func (b CVBy) Noun() string {
	switch b {
	case ByTP:
		return "TP degree"
	case ByShape:
		return "layer shape"
	}
	return "model"
}

// keys names the fold of each point: its model, its TP degree ("TP8"), or
// the models of its layer shape joined by "+" ("llama-2-70b+llama-3-70b").
func (f *fitSet) keys(by CVBy) []string {
	shapeModels := map[string][]string{}
	for _, p := range f.points {
		if !slices.Contains(shapeModels[p.shape], p.model) {
			shapeModels[p.shape] = append(shapeModels[p.shape], p.model)
		}
	}
	out := make([]string, len(f.points))
	for i, p := range f.points {
		switch by {
		case ByTP:
			out[i] = fmt.Sprintf("TP%d", p.pt.TP)
		case ByShape:
			out[i] = strings.Join(slices.Sorted(slices.Values(shapeModels[p.shape])), "+")
		default:
			out[i] = p.model
		}
	}
	return out
}

// layerShape is what a model's blocks are: every size the step times
// price but the vocabulary, with the names, sources and context limit
// that price nothing left out, and defaults spelt out (a head width of
// hidden/heads, a gated MLP), so that a model given inline with them
// written matches its catalog twin. Two models of one layer shape differ
// only in their embeddings and LM head.
func layerShape(a llm.Arch) string {
	a.HeadDim = a.ResolvedHeadDim()
	if a.MLP == "" {
		a.MLP = "gated"
	}
	a.Name, a.Vocab, a.TiedEmbeddings, a.MaxContext, a.Source = "", 0, false, 0, ""
	a.PublishedParams, a.PublishedActiveParams = 0, 0
	return fmt.Sprintf("%+v", a)
}

// CVReport is a cross-validation: leave one model (or TP degree, or layer
// shape) out.
type CVReport struct {
	Family string
	// By is what each fold leaves out.
	By       CVBy
	Groups   []CVGroup
	Rows     []FitRow // every row, as predicted without its model
	TTFTMAPE float64  // over all rows
	TPOTMAPE float64
	// Folds are the constants fitted without each model (or TP degree, or
	// layer shape), by the fold's name (CVBy's keys: "llama-2-7b", "TP8",
	// "llama-2-70b+llama-3-70b").
	Folds map[string]Serving
	// Held names the constants the family's fit plan does not fit.
	Held []string
	// Unseen names, by fold (the model left out), the fitted constants
	// that no row the fold keeps exercises: the fit leaves them at its
	// prior there, so they say nothing about the data and StdErr leaves
	// that fold out for them (on the GPUs, the fold without the only model
	// run above TP1 has no all-reduce: collective_s and link_frac).
	Unseen map[string][]string
	// StdErr is each constant's jackknife standard error over the folds
	// that fit and see it (ConstantNames order, in its unit): sqrt((k-1)/k
	// x the sum of squared deviations of the k folds' values from their
	// mean). It says how much a constant moves with the models the fit
	// sees. 0 for a held constant; NaN where fewer than 3 folds see it,
	// too few to say.
	StdErr  StdErrs
	Skipped []SkippedPoint
	// Thin says why the cross-validation is too thin to carry an error
	// figure (thinCV), "" where it carries one. hw fit prints it beside
	// the MAPE, --json carries it as cv.Thin, and Summary gives no figure
	// where it is set.
	Thin string
}

// MinCVFolds is the fewest folds whose cross-validated error is quoted as
// a figure. With two, each fold's constants are fitted to the other
// model's rows alone, so the MAPE is two extrapolations from one model
// each, not an error over models the fit did not see; three is also the
// fewest folds over which the jackknife gives a constant's spread
// (jackknifeSE), the same judgement for the same folds.
const MinCVFolds = 3

// thinCV says why a cross-validation over rows predicted rows in folds
// folds is too thin to carry an error figure: fewer than ThinFitRows rows
// (the count below which a fit itself is thin: nine constants, two
// numbers per row, and each fold learns from fewer still) or fewer than
// MinCVFolds folds. "" where it carries one.
func thinCV(rows, folds int, by CVBy) string {
	if rows >= ThinFitRows && folds >= MinCVFolds {
		return ""
	}
	return fmt.Sprintf("only %d %s of %d %s, too few to carry an error figure (it takes %d rows of %d %ss)",
		rows, plural(rows, "row", "rows"), folds, plural(folds, by.Noun(), by.Noun()+"s"), ThinFitRows, MinCVFolds, by.Noun())
}

// Summary is the one-line account of the cross-validation that the
// constants it checked carry (Serving.CV, which run's step-times line
// quotes): "leave-one-model-out MAPE: TTFT 26.8%, TPOT 6.7% (65 rows, 59
// fitted)", fitted being how many of the rows the fit learnt from (the
// rest are predicted, not fitted); where it is too thin (Thin), no figure:
// "too few to cross-validate: 2 rows of 2 models" (the folds' noun names
// the kind; short, as the dashboard's header carries it).
func (r *CVReport) Summary(fitted int) string {
	if r.Thin != "" {
		n, k := len(r.Rows), len(r.Folds)
		return fmt.Sprintf("too few to cross-validate: %d %s of %d %s", n, plural(n, "row", "rows"), k, plural(k, r.By.Noun(), r.By.Noun()+"s"))
	}
	rows := fmt.Sprintf("%d rows", len(r.Rows))
	if fitted != len(r.Rows) {
		rows += fmt.Sprintf(", %d fitted", fitted)
	}
	return fmt.Sprintf("%s MAPE: TTFT %.1f%%, TPOT %.1f%% (%s)", r.By.Name(), 100*r.TTFTMAPE, 100*r.TPOTMAPE, rows)
}

// StdErrs are standard errors in ConstantNames order. In JSON they are an
// object by constant name, null where unknown (JSON has no NaN).
type StdErrs []float64

// MarshalJSON implements json.Marshaler.
func (e StdErrs) MarshalJSON() ([]byte, error) {
	m := make(map[string]*float64, len(e))
	for i, v := range e {
		if !math.IsNaN(v) {
			m[ConstantNames[i].Name] = &v
		} else {
			m[ConstantNames[i].Name] = nil
		}
	}
	return json.Marshal(m)
}

// ErrTooFewFolds is cross-validation over points of fewer than two models
// (or TP degrees, or layer shapes): there is nothing to leave out.
var ErrTooFewFolds = errors.New("cross-validation needs points of at least two models (or TP degrees, or layer shapes)")

// CrossValidateBy runs a cross-validation that leaves out, in turn, each
// value of `by` (each model, TP degree or layer shape) and predicts its rows with
// constants fitted on the rest. It needs at least two values.
func CrossValidateBy(points []ServingPoint, eff ChipEfficiencies, by CVBy) (*CVReport, error) {
	if !slices.Contains(CVBys(), by) {
		return nil, fmt.Errorf("CrossValidate: unknown fold kind %q (known: model, tp, shape)", by)
	}
	set, skipped, err := compilePoints(points, eff)
	if err != nil {
		return nil, fmt.Errorf("CrossValidate: %w", err)
	}
	models := set.folds(by)
	if len(models) < 2 {
		return nil, fmt.Errorf("%w: family %s has points of %d %s, and a fold leaves one out", ErrTooFewFolds, set.family, len(models), by.Noun())
	}
	rep := &CVReport{Family: set.family, By: by, Folds: map[string]Serving{}, Unseen: map[string][]string{}, Skipped: skipped}
	start, err := set.plan()
	if err != nil {
		return nil, fmt.Errorf("CrossValidate: %w", err)
	}
	starts := set.starts(start)
	fitted := set.fitted()
	for i, c := range ConstantNames {
		if !fitted[i] {
			rep.Held = append(rep.Held, c.Name)
		}
	}
	keys := set.keys(by)
	for _, m := range models {
		var train, test []int
		for i := range set.points {
			if keys[i] == m {
				test = append(test, i)
			} else {
				train = append(train, i)
			}
		}
		train = set.learnable(train)
		s, _, _, err := set.minimiseFrom(starts, train)
		if err != nil {
			return nil, fmt.Errorf("CrossValidate: without %s: %w", m, err)
		}
		rep.Folds[m] = s
		seen := set.exercised(train)
		for i, c := range ConstantNames {
			if fitted[i] && !seen[i] {
				rep.Unseen[m] = append(rep.Unseen[m], c.Name)
			}
		}
		rows, _ := set.rows(&s, test)
		rep.Rows = append(rep.Rows, rows...)
	}
	rep.summarise()
	rep.StdErr = rep.jackknife(models, fitted)
	rep.Thin = thinCV(len(rep.Rows), len(models), by)
	return rep, nil
}

// fitted says which constants the fit plan frees.
func (f *fitSet) fitted() []bool {
	out := make([]bool, len(ConstantNames))
	for i := range out {
		out[i] = f.free == nil
	}
	for _, i := range f.free {
		out[i] = true
	}
	return out
}

// published is the point's combos of the metrics it publishes: a metric
// left empty adds nothing to the loss, so it exercises no constant.
func (p *compiledPoint) published() []*combo {
	var out []*combo
	if p.pt.HasTTFT() {
		out = append(out, &p.ttft)
	}
	if p.pt.HasTPOT() {
		out = append(out, &p.tpot)
	}
	return out
}

// ExercisedBy names, in ConstantNames order, the constants that some rows
// leave untouched (exercised) and what kind of row exercises each; every
// row exercises the others. hw fit's help and its --save refusal quote it,
// so that neither names fewer than the fit can hold.
var ExercisedBy = []struct{ Name, Row string }{
	{"prefill_s", "a row that gives ttft_ms"},
	{"collective_s", "a row at a TP degree above 1"},
	{"kv_group_exp", "a row that gives tpot_ms for a model whose query heads share KV heads"},
	{"link_frac", "a row at a TP degree above 1"},
}

// exercised says which constants the points in subset depend on: a fixed
// cost their iterations pay, or a term whose time the constant sets (the
// link share only where an all-reduce carries bytes, the KV group exponent
// only where query heads share a KV head).
func (f *fitSet) exercised(subset []int) []bool {
	seen := make([]bool, len(ConstantNames))
	for _, i := range subset {
		p := &f.points[i]
		for _, c := range p.published() {
			seen[cPrefill] = seen[cPrefill] || c.iters > 0
			seen[cLayer] = seen[cLayer] || c.layerIters > 0
			for _, t := range c.terms {
				switch t.kind {
				case llm.OpGEMM:
					seen[cGEMM], seen[cHBM] = true, true
				case llm.OpAttention:
					seen[cAttn], seen[cKV] = true, true
					seen[cKVGroup] = seen[cKVGroup] || t.group > 1
				case llm.OpMemory:
					seen[cHBM] = true
				case llm.OpAllReduce:
					seen[cCollective] = seen[cCollective] || t.coll
					seen[cLink] = seen[cLink] || t.link > 0
				}
			}
		}
	}
	return seen
}

// jackknife computes StdErr over the folds in model order (a map's order
// would make the sums, and the printed digits, differ from run to run).
func (r *CVReport) jackknife(models []string, fitted []bool) StdErrs {
	se := make(StdErrs, len(ConstantNames))
	for i, c := range ConstantNames {
		if !fitted[i] {
			continue
		}
		var vals []float64
		for _, m := range models {
			if !slices.Contains(r.Unseen[m], c.Name) {
				vals = append(vals, r.Folds[m].Values()[i])
			}
		}
		se[i] = jackknifeSE(vals)
	}
	return se
}

// jackknifeSE is sqrt((k-1)/k x sum (v - mean)^2) over k values; NaN for
// fewer than 3, whose spread says nothing.
func jackknifeSE(vals []float64) float64 {
	k := float64(len(vals))
	if k < 3 {
		return math.NaN()
	}
	var mean, ss float64
	for _, v := range vals {
		mean += v
	}
	mean /= k
	for _, v := range vals {
		ss += sq(v - mean)
	}
	return math.Sqrt((k - 1) / k * ss)
}

// folds lists the values of `by` among the points: model names (and layer
// shapes' names) in alphabetical order, TP degrees in increasing order.
func (f *fitSet) folds(by CVBy) []string {
	var out []string
	for _, k := range f.keys(by) {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if by == ByTP && len(a) != len(b) {
			return len(a) - len(b) // "TP8" before "TP16"
		}
		return strings.Compare(a, b)
	})
	return out
}

func (r *CVReport) summarise() {
	r.Groups, r.TTFTMAPE, r.TPOTMAPE = GroupErrors(r.Rows)
}

// Spread is StdErr relative to the constants of s (name -> standard error
// over value), the form Serving.Spread keeps. Held constants, those whose
// error is unknown and those at 0 (a time at its bound) are left out.
func (r *CVReport) Spread(s Serving) map[string]float64 {
	out := map[string]float64{}
	v := s.Values()
	for i, e := range r.StdErr {
		name := ConstantNames[i].Name
		if v[i] > 1e-9 && !math.IsNaN(e) && !slices.Contains(r.Held, name) {
			out[name] = e / v[i]
		}
	}
	return out
}

// GroupErrors summarises rows' relative errors per (instance, model, TP,
// weights) group, sorted, and overall (mean absolute errors), each metric
// over the rows that publish it (0 where none does).
func GroupErrors(rows []FitRow) (groups []CVGroup, ttftMAPE, tpotMAPE float64) {
	idx := map[string]int{}
	var all CVGroup
	for _, row := range rows {
		p := row.Point
		// A group is a model as it was read (a Hugging Face id and a
		// catalog name of one release are one group, as they are one fold).
		model := p.Model
		if a, err := p.Arch(); err == nil {
			model = a.Name
		}
		key := fmt.Sprintf("%s|%s|%d|%s", p.Instance, model, p.TP, p.WeightDType)
		i, ok := idx[key]
		if !ok {
			i = len(groups)
			idx[key] = i
			groups = append(groups, CVGroup{Instance: p.Instance, Model: model, TP: p.TP, WeightDType: string(p.WeightDType)})
		}
		groups[i].add(row)
		all.add(row)
	}
	for i := range groups {
		groups[i].average()
	}
	all.average()
	sortGroups(groups)
	return groups, all.TTFTMAPE, all.TPOTMAPE
}

// MarshalJSON writes the MAPE and bias of a metric none of the group's rows
// publishes as null.
func (g CVGroup) MarshalJSON() ([]byte, error) {
	type plain CVGroup
	ttft, tpot := g.TTFTRows > 0, g.TPOTRows > 0
	return json.Marshal(struct {
		plain
		TTFTMAPE *float64 `json:"ttft_mape"`
		TTFTBias *float64 `json:"ttft_bias"`
		TPOTMAPE *float64 `json:"tpot_mape"`
		TPOTBias *float64 `json:"tpot_bias"`
	}{plain(g), NullUnless(g.TTFTMAPE, ttft), NullUnless(g.TTFTBias, ttft), NullUnless(g.TPOTMAPE, tpot), NullUnless(g.TPOTBias, tpot)})
}

// add sums one row's errors into the group.
func (g *CVGroup) add(row FitRow) {
	g.Rows++
	if row.Point.HasTTFT() {
		g.TTFTRows++
		g.TTFTMAPE += math.Abs(row.TTFTRelErr)
		g.TTFTBias += row.TTFTRelErr
	}
	if row.Point.HasTPOT() {
		g.TPOTRows++
		g.TPOTMAPE += math.Abs(row.TPOTRelErr)
		g.TPOTBias += row.TPOTRelErr
	}
}

// average turns the sums into means.
func (g *CVGroup) average() {
	if n := float64(g.TTFTRows); n > 0 {
		g.TTFTMAPE, g.TTFTBias = g.TTFTMAPE/n, g.TTFTBias/n
	}
	if n := float64(g.TPOTRows); n > 0 {
		g.TPOTMAPE, g.TPOTBias = g.TPOTMAPE/n, g.TPOTBias/n
	}
}

// MetricRows counts the rows of groups that publish each metric.
func MetricRows(groups []CVGroup) (ttft, tpot int) {
	for _, g := range groups {
		ttft, tpot = ttft+g.TTFTRows, tpot+g.TPOTRows
	}
	return ttft, tpot
}

func sortGroups(groups []CVGroup) {
	r := struct{ Groups []CVGroup }{groups}
	sort.Slice(r.Groups, func(i, j int) bool {
		a, b := r.Groups[i], r.Groups[j]
		if a.Instance != b.Instance {
			return a.Instance < b.Instance
		}
		if a.Model != b.Model {
			return a.Model < b.Model
		}
		if a.TP != b.TP {
			return a.TP < b.TP
		}
		return a.WeightDType < b.WeightDType
	})
}

// Worst returns the n rows with the largest absolute log error of either metric.
func (r *CVReport) Worst(n int) []FitRow {
	return WorstBy(r.Rows, n, func(x FitRow) (float64, float64) { return x.TTFTRelErr, x.TPOTRelErr })
}

// WorstBy returns the n rows whose larger absolute log error of TTFT and
// TPOT (errs gives their relative errors) is largest, worst first.
func WorstBy[R any](rows []R, n int, errs func(R) (ttft, tpot float64)) []R {
	rows = slices.Clone(rows)
	score := func(x R) float64 {
		a, b := errs(x)
		return max(math.Abs(math.Log1p(a)), math.Abs(math.Log1p(b)))
	}
	sort.SliceStable(rows, func(i, j int) bool { return score(rows[i]) > score(rows[j]) })
	return rows[:min(n, len(rows))]
}

// plural is one where n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
