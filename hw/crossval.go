package hw

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
)

// CVGroup is the cross-validated error of one (instance, model, TP, weight
// format) group: each of its rows predicted by constants fitted without any
// row of its model.
type CVGroup struct {
	Instance, Model string
	TP              int
	WeightDType     string
	Rows            int
	TTFTMAPE        float64 // mean absolute percentage error, as a fraction
	TTFTBias        float64 // mean signed error, as a fraction
	TPOTMAPE        float64
	TPOTBias        float64
}

// CVReport is a leave-one-model-out cross-validation.
type CVReport struct {
	Family   string
	Groups   []CVGroup
	Rows     []FitRow // every row, as predicted without its model
	TTFTMAPE float64  // over all rows
	TPOTMAPE float64
	// Folds are the constants fitted without each model, by model.
	Folds   map[string]Serving
	Skipped []SkippedPoint
}

// CrossValidate runs leave-one-model-out cross-validation: for each model,
// the constants are fitted on the other models' rows and predict its rows.
// It needs points of at least two models.
func CrossValidate(points []ServingPoint, eff ChipEfficiencies) (*CVReport, error) {
	set, skipped, err := compilePoints(points, eff)
	if err != nil {
		return nil, fmt.Errorf("CrossValidate: %w", err)
	}
	models := set.models()
	if len(models) < 2 {
		return nil, errors.New("CrossValidate: needs points of at least two models")
	}
	rep := &CVReport{Family: set.family, Folds: map[string]Serving{}, Skipped: skipped}
	start, err := set.plan()
	if err != nil {
		return nil, fmt.Errorf("CrossValidate: %w", err)
	}
	for _, m := range models {
		var train, test []int
		for i, p := range set.points {
			if p.model == m {
				test = append(test, i)
			} else {
				train = append(train, i)
			}
		}
		s, _, _, err := set.minimise(start, train)
		if err != nil {
			return nil, fmt.Errorf("CrossValidate: without %s: %w", m, err)
		}
		rep.Folds[m] = s
		rows, _ := set.rows(&s, test)
		rep.Rows = append(rep.Rows, rows...)
	}
	rep.summarise()
	return rep, nil
}

func (f *fitSet) models() []string {
	var out []string
	for _, p := range f.points {
		if !slices.Contains(out, p.model) {
			out = append(out, p.model)
		}
	}
	sort.Strings(out)
	return out
}

func (r *CVReport) summarise() {
	r.Groups, r.TTFTMAPE, r.TPOTMAPE = GroupErrors(r.Rows)
}

// StdErr is the jackknife standard error of each constant (ConstantNames
// order, in the constant's unit) over the leave-one-model-out folds:
// sqrt((k-1)/k x sum of squared deviations from the folds' mean), k folds.
// It says how much each constant depends on which models the fit saw; a
// constant the fit plan holds has 0. A fold that cannot see a constant (no
// row of the models it keeps exercises it) leaves it near the fit's prior,
// and the error says so by being large.
func (r *CVReport) StdErr() []float64 {
	k := float64(len(r.Folds))
	se := make([]float64, len(ConstantNames))
	if k < 2 {
		return se
	}
	mean := make([]float64, len(se))
	for _, s := range r.Folds {
		for i, v := range s.Values() {
			mean[i] += v / k
		}
	}
	for _, s := range r.Folds {
		for i, v := range s.Values() {
			se[i] += sq(v - mean[i])
		}
	}
	for i := range se {
		se[i] = math.Sqrt((k - 1) / k * se[i])
	}
	return se
}

// Spread is StdErr relative to the constants of s (name -> standard error
// over value), the form Serving.Spread keeps; constants at 0 are left out.
func (r *CVReport) Spread(s Serving) map[string]float64 {
	out := map[string]float64{}
	v := s.Values()
	for i, e := range r.StdErr() {
		if v[i] > 0 {
			out[ConstantNames[i].Name] = e / v[i]
		}
	}
	return out
}

// GroupErrors summarises rows' relative errors per (instance, model, TP,
// weights) group, sorted, and overall (mean absolute errors).
func GroupErrors(rows []FitRow) (groups []CVGroup, ttftMAPE, tpotMAPE float64) {
	idx := map[string]int{}
	for _, row := range rows {
		p := row.Point
		key := fmt.Sprintf("%s|%s|%d|%s", p.Instance, p.Model, p.TP, p.WeightDType)
		i, ok := idx[key]
		if !ok {
			i = len(groups)
			idx[key] = i
			groups = append(groups, CVGroup{Instance: p.Instance, Model: p.Model, TP: p.TP, WeightDType: string(p.WeightDType)})
		}
		g := &groups[i]
		g.Rows++
		g.TTFTMAPE += math.Abs(row.TTFTRelErr)
		g.TTFTBias += row.TTFTRelErr
		g.TPOTMAPE += math.Abs(row.TPOTRelErr)
		g.TPOTBias += row.TPOTRelErr
		ttftMAPE += math.Abs(row.TTFTRelErr)
		tpotMAPE += math.Abs(row.TPOTRelErr)
	}
	for i := range groups {
		g := &groups[i]
		n := float64(g.Rows)
		g.TTFTMAPE, g.TTFTBias, g.TPOTMAPE, g.TPOTBias = g.TTFTMAPE/n, g.TTFTBias/n, g.TPOTMAPE/n, g.TPOTBias/n
	}
	if n := float64(len(rows)); n > 0 {
		ttftMAPE /= n
		tpotMAPE /= n
	}
	sortGroups(groups)
	return groups, ttftMAPE, tpotMAPE
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
