package study

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"aiecon/model"
)

// Ranges and distributions keep the units of the scenario field they vary:
// a rate range runs in requests per second, a duration range in time.

// kind is what a quantity measures.
type kind int

const (
	kindNumber   kind = iota // a plain number: counts, prices, fractions
	kindRate                 // events per second, written 40/s, 2400/min
	kindDuration             // seconds of simulated time, written 300ms, 10m
)

func (k kind) String() string {
	return [...]string{"a plain number", "a rate", "a duration"}[k]
}

// quantity is a number with its kind, in base units (per second, seconds).
type quantity struct {
	kind kind
	v    float64
}

// parseQuantity reads 4, 0.5, 1e9, 40/s, 2400/min, 300ms or 10m.
func parseQuantity(s string) (quantity, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return quantity{}, fmt.Errorf("empty value (want a number, a rate such as 10/s, or a duration such as 5m)")
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return quantity{}, fmt.Errorf("%q is not a finite number", s)
		}
		return quantity{kindNumber, v}, nil
	}
	if strings.Contains(s, "/") {
		r, err := model.ParseRate(s)
		if err != nil {
			return quantity{}, err
		}
		return quantity{kindRate, r.PerSecond()}, nil
	}
	d, err := model.ParseDuration(s)
	switch {
	case errors.Is(err, model.ErrDurationRange):
		return quantity{}, err
	case err != nil:
		return quantity{}, fmt.Errorf("%q is not a number, a rate (10/s) or a duration (5m)", s)
	}
	return quantity{kindDuration, d.Seconds()}, nil
}

// roundSig rounds to 12 significant digits, so that 0.1 + 2 x 0.1 prints as
// 0.3 and a range lands exactly on its end.
func roundSig(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return r
}

// formatNumber prints a number without an exponent, the way an integer
// field accepts it when the value is whole.
func formatNumber(v float64) string {
	v = roundSig(v)
	if math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// text writes the quantity as a scenario value.
func (q quantity) text() string {
	switch q.kind {
	case kindRate:
		return formatNumber(q.v) + "/s"
	case kindDuration:
		ns := math.Round(q.v * 1e9)
		return model.Duration(int64(ns)).String()
	}
	return formatNumber(q.v)
}

// jsonValue is the quantity as it goes into a point's params_json: numbers
// as numbers, rates and durations as their text with the unit.
func (q quantity) jsonValue() any {
	if q.kind == kindNumber {
		return roundSig(q.v)
	}
	return q.text()
}

var rangeKeys = []string{"from", "to", "step", "factor"}

// rangeValues expands {from, to, step} or {from, to, factor}; the ends and
// step carry the field's unit (5/s, 10m) and the values keep it.
func (r *reader) rangeValues(m *ast.MappingNode, field string) []Value {
	q := map[string]quantity{}
	nodes := map[string]ast.Node{}
	for _, mv := range r.entries(m, field) {
		k := keyText(mv)
		nodes[k] = mv.Value
		found := false
		for _, a := range rangeKeys {
			found = found || a == k
		}
		if !found {
			r.errf(mv.Key, join(field, k), "unknown field %q in a range (allowed: from, to, and step or factor)", k)
			continue
		}
		v, err := parseQuantity(scalarText(mv.Value))
		if err != nil || !isScalar(mv.Value) {
			r.errf(mv.Value, join(field, k), "%v", err)
			continue
		}
		q[k] = v
	}
	from, okF := q["from"]
	to, okT := q["to"]
	step, okS := q["step"]
	factor, okX := q["factor"]
	switch {
	case len(r.errs) > 0 && r.hasPrefix(field):
		return nil
	case !okF || !okT || okS == okX:
		r.errf(m, field, "a range needs from, to, and either step or factor, e.g. {from: 5/s, to: 20/s, step: 5/s}")
		return nil
	case from.kind != to.kind || okS && step.kind != from.kind:
		// Each end named, the step too when given: "from is a rate, to is
		// a rate" left out the step that was a duration.
		units := fmt.Sprintf("from is %s, to is %s", from.kind, to.kind)
		if okS {
			units += fmt.Sprintf(", step is %s", step.kind)
		}
		r.errf(m, field, "from, to and step must have the same unit (%s)", units)
		return nil
	case okX && (factor.kind != kindNumber || factor.v <= 1):
		r.errf(nodes["factor"], join(field, "factor"), "want a plain number above 1")
		return nil
	case okS && step.v <= 0:
		r.errf(nodes["step"], join(field, "step"), "must be positive")
		return nil
	case to.v < from.v:
		r.errf(nodes["to"], join(field, "to"), "is below from")
		return nil
	case okX && from.v <= 0:
		r.errf(nodes["from"], join(field, "from"), "a geometric range starts above 0")
		return nil
	}
	if okX {
		return r.expand(m, nodes["factor"], field, from, to, factor, true)
	}
	return r.expand(m, nodes["step"], field, from, to, step, false)
}

// expand lists a checked range's values. Its count is worked out first: a
// step of 1e-300 from 0 to 0.5 built a million values (3.6 s, 600 MB)
// before being refused. A step or factor finer than the 12 significant
// digits values keep (roundSig) is one error at it, where each value
// rounded onto the last one had been its own "listed twice".
func (r *reader) expand(m *ast.MappingNode, at ast.Node, field string, from, to, by quantity, geometric bool) []Value {
	name := "step"
	count := (to.v - from.v) / by.v
	if geometric {
		name, count = "factor", math.Log(to.v/from.v)/math.Log(by.v)
	}
	if !(count < MaxPoints) { // NaN too
		r.errf(m, field, "%s from %s to %s is about %.3g values, more than %d", name, from.text(), to.text(), count+1, MaxPoints)
		return nil
	}
	var out []Value
	last := math.NaN()
	for i := 0; ; i++ {
		v := from.v + float64(i)*by.v
		if geometric {
			v = from.v * math.Pow(by.v, float64(i))
		}
		v = roundSig(v)
		if v > to.v*(1+1e-12)+1e-12 {
			break
		}
		if v == last {
			r.errf(at, join(field, name), "%s %s is finer than the 12 significant digits a value keeps: the values after %s round onto it; use a coarser %s",
				name, at.GetToken().Value, quantity{from.kind, v}.text(), name)
			return nil
		}
		if len(out) >= MaxPoints {
			r.errf(m, field, "more than %d values", MaxPoints)
			return nil
		}
		last = v
		qv := quantity{from.kind, v}
		out = append(out, Value{YAML: qv.text(), JSON: qv.jsonValue()})
	}
	return out
}
