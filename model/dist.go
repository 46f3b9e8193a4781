package model

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// Dist describes a random quantity: token counts, step counts, tool latencies,
// patience, bids. In YAML it is either a plain value (a fixed quantity:
// `output_tokens: 250`, `tool_latency: 300ms`) or a mapping with `dist` and its
// parameters:
//
//	fixed        value
//	lognormal    median, and p99 or sigma
//	exponential  mean
//	gamma        mean, cv (coefficient of variation)
//	normal       mean, std
//	uniform      min, max
//	poisson      mean (counts)
//	geometric    mean (counts >= 1)
//	empirical    values (a list) or trace + column (an Azure-format CSV)
//
// min and max, where given on other kinds, clamp the draws. Durations carry a
// unit (300ms, 2s); counts and money are plain numbers.
type Dist struct {
	Kind   string    `yaml:"dist"`
	Value  float64   `yaml:"value,omitempty"`
	Mean   float64   `yaml:"mean,omitempty"`
	Median float64   `yaml:"median,omitempty"`
	P99    float64   `yaml:"p99,omitempty"`
	Sigma  float64   `yaml:"sigma,omitempty"`
	CV     float64   `yaml:"cv,omitempty"`
	Std    float64   `yaml:"std,omitempty"`
	Min    float64   `yaml:"min,omitempty"`
	Max    float64   `yaml:"max,omitempty"`
	Values []float64 `yaml:"values,omitempty"`
	Trace  string    `yaml:"trace,omitempty"`
	Column string    `yaml:"column,omitempty"`

	// Seconds is true when the values were written as durations; they are then
	// stored in seconds.
	Seconds bool `yaml:"-"`
	set     map[string]bool
}

// DistKinds lists the accepted `dist` names.
var DistKinds = []string{"fixed", "lognormal", "exponential", "gamma", "normal", "uniform", "poisson", "geometric", "empirical"}

// Fixed returns a constant distribution.
func Fixed(v float64) Dist { return Dist{Kind: "fixed", Value: v} }

// FixedDuration returns a constant duration distribution.
func FixedDuration(d Duration) Dist { return Dist{Kind: "fixed", Value: d.Seconds(), Seconds: true} }

// Has reports whether a parameter was given in the YAML (or set by a default).
func (d *Dist) Has(field string) bool { return d.set[field] }

func (d *Dist) mark(field string) {
	if d.set == nil {
		d.set = map[string]bool{}
	}
	d.set[field] = true
}

// IsZero reports an unset distribution (absent from the YAML).
func (d Dist) IsZero() bool { return d.Kind == "" }

// Same reports whether two distributions draw alike: the same kind and
// parameters, whichever of them the YAML gave and whether it wrote them as
// durations.
func (d Dist) Same(o Dist) bool {
	return d.Kind == o.Kind && d.Value == o.Value && d.Mean == o.Mean && d.Median == o.Median &&
		d.P99 == o.P99 && d.Sigma == o.Sigma && d.CV == o.CV && d.Std == o.Std && d.Min == o.Min &&
		d.Max == o.Max && slices.Equal(d.Values, o.Values) && d.Trace == o.Trace && d.Column == o.Column
}

// PositionedError is an error at a line and column of the YAML source; the
// loader turns it into a FieldError with the file name.
type PositionedError struct {
	Line, Column int
	Msg          string
	// got is set where Msg refuses a distribution's value as neither a
	// number nor a duration: what was given ("8k", a mapping). The loader,
	// which knows the field, rewords Msg for what the field takes
	// (distValueMsg): a token count takes no duration.
	got string
}

func (e *PositionedError) Error() string { return fmt.Sprintf("[%d:%d] %s", e.Line, e.Column, e.Msg) }

func errAt(n ast.Node, format string, args ...any) error {
	p := n.GetToken().Position
	return &PositionedError{Line: p.Line, Column: p.Column, Msg: fmt.Sprintf(format, args...)}
}

// UnmarshalYAML decodes a scalar (fixed) or a mapping, keeping positions for errors.
func (d *Dist) UnmarshalYAML(node ast.Node) error {
	*d = Dist{}
	switch n := node.(type) {
	case *ast.MappingNode:
		for _, kv := range n.Values {
			key := kv.Key.String()
			if err := d.setField(key, kv.Value); err != nil {
				return err
			}
		}
		if d.Kind == "" {
			return errAt(node, "distribution needs `dist:` (one of %s)", strings.Join(DistKinds, ", "))
		}
		return nil
	case *ast.MappingValueNode:
		return d.setField(n.Key.String(), n.Value)
	case *ast.SequenceNode:
		return errAt(node, "a distribution is a value (e.g. 250 or 300ms) or a mapping with `dist:`, not a list (use `dist: empirical` with `values:`)")
	default:
		v, secs, err := scalarNumber(node)
		if err != nil {
			return err
		}
		d.Kind, d.Value, d.Seconds = "fixed", v, secs
		d.mark("dist")
		d.mark("value")
		return nil
	}
}

func (d *Dist) setField(key string, v ast.Node) error {
	if d.Has(key) {
		return errAt(v, "%s given twice", key)
	}
	d.mark(key)
	num := func(dst *float64) error {
		x, secs, err := scalarNumber(v)
		if err != nil {
			return err
		}
		if secs {
			d.Seconds = true
		}
		*dst = x
		return nil
	}
	switch key {
	case "dist":
		s := strings.TrimSpace(v.String())
		for _, k := range DistKinds {
			if s == k {
				d.Kind = s
				return nil
			}
		}
		return errAt(v, "unknown distribution %q (allowed: %s)", s, strings.Join(DistKinds, ", "))
	case "value":
		return num(&d.Value)
	case "mean":
		return num(&d.Mean)
	case "median":
		return num(&d.Median)
	case "p99":
		return num(&d.P99)
	case "sigma":
		return num(&d.Sigma)
	case "cv":
		return num(&d.CV)
	case "std":
		return num(&d.Std)
	case "min":
		return num(&d.Min)
	case "max":
		return num(&d.Max)
	case "values":
		seq, ok := v.(*ast.SequenceNode)
		if !ok {
			return errAt(v, "values must be a list of numbers")
		}
		for _, e := range seq.Values {
			x, secs, err := scalarNumber(e)
			if err != nil {
				return err
			}
			if secs {
				d.Seconds = true
			}
			d.Values = append(d.Values, x)
		}
		return nil
	case "trace":
		d.Trace = strings.TrimSpace(scalarText(v))
		return nil
	case "column":
		d.Column = strings.TrimSpace(scalarText(v))
		return nil
	}
	return errAt(v, "unknown distribution field %q (allowed: dist, value, mean, median, p99, sigma, cv, std, min, max, values, trace, column)", key)
}

// scalarNumber reads a number, or a duration with a unit (returned in seconds).
func scalarNumber(n ast.Node) (float64, bool, error) {
	switch n.(type) {
	case *ast.MappingNode, *ast.SequenceNode, *ast.MappingValueNode:
		return 0, false, notNumber(n, fmt.Sprintf("a %s", n.Type()))
	}
	s := strings.TrimSpace(scalarText(n))
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, false, errAt(n, "want a finite number, got %s", s)
		}
		return x, false, nil
	}
	dur, err := ParseDuration(s)
	switch {
	case err == nil:
		return dur.Seconds(), true, nil
	case errors.Is(err, ErrDurationRange):
		return 0, false, errAt(n, "%v", err)
	}
	return 0, false, notNumber(n, fmt.Sprintf("%q", s))
}

// notNumber is scalarNumber's error for a value got that reads as neither a
// number nor a duration, worded for any field; the loader rewords it for
// the field's kind.
func notNumber(n ast.Node, got string) error {
	err := errAt(n, "want a number or a duration (e.g. 250, 300ms), got %s", got).(*PositionedError)
	err.got = got
	return err
}

// distFieldKinds is what each distribution of a scenario draws, by its YAML
// key: the one place a field's kind is said, so that the resolver's checks
// (fieldDistKind) and the loader's value errors (distValueMsg) cannot
// disagree. A distribution field added to the scenario needs its key here;
// TestDistFieldKindsCoverEveryDist fails until it has one.
var distFieldKinds = map[string]distKind{
	"prompt_tokens": distTokens, "output_tokens": distTokens,
	"tool_result_tokens": distTokens, "tool_call_tokens": distTokens,
	"steps":      distCount,
	"think_time": distDuration, "tool_latency": distDuration, "patience": distDuration,
	"bid":       distMoney,
	"relevance": distScore,
}

// fieldDistKind is what the distribution at path p draws, by p's last key
// (workloads[0].agent.steps is a step count). A key missing from
// distFieldKinds is a field added without its kind, a bug in this package
// and not in a scenario, so it panics rather than blame the user's file.
func fieldDistKind(p string) distKind {
	_, key, _ := cutLast(p, ".")
	kind, ok := distFieldKinds[key]
	if !ok {
		panic(fmt.Sprintf("model: distribution %s: key %q has no kind in distFieldKinds", p, key))
	}
	return kind
}

// distWants words what a distribution of each kind takes: what it draws,
// a value alone, and a distribution it may be instead.
var distWants = map[distKind]struct{ what, value, dist string }{
	distTokens:   {"a token count", "a number (e.g. 800)", "{dist: lognormal, median: 800, p99: 6000}"},
	distCount:    {"a step count", "a number (e.g. 4)", "{dist: poisson, mean: 4}"},
	distDuration: {"a duration", "one with a unit (e.g. 300ms)", "{dist: lognormal, median: 300ms, p99: 2s}"},
	distMoney:    {"an amount in USD", "a number (e.g. 0.9)", "{dist: lognormal, median: 0.9, p99: 4}"},
	distScore:    {"a multiplier", "a number (e.g. 1)", "{dist: gamma, mean: 1, cv: 0.3}"},
}

// distValueMsg is pe's message reworded for what field takes, where pe
// refuses a distribution's value and field is a distribution or one of its
// parameters; otherwise pe's own message.
func distValueMsg(field string, pe *PositionedError) string {
	if pe.got == "" {
		return pe.Msg
	}
	path := field
	if i := strings.LastIndex(path, ".values["); i >= 0 && strings.HasSuffix(path, "]") {
		path = path[:i] + ".values"
	}
	parent, last, _ := cutLast(path, ".")
	if kind, ok := distFieldKinds[last]; ok {
		w := distWants[kind]
		return fmt.Sprintf("want %s: %s or a distribution (e.g. %s), got %s", w.what, w.value, w.dist, pe.got)
	}
	_, dist, _ := cutLast(parent, ".")
	kind, ok := distFieldKinds[dist]
	switch {
	case !ok:
		return pe.Msg
	case last == "sigma" || last == "cv":
		return fmt.Sprintf("want a plain number (e.g. 0.8), got %s", pe.got)
	}
	w := distWants[kind]
	return fmt.Sprintf("want %s: %s, got %s", w.what, w.value, pe.got)
}

// cutLast splits s around the last sep: "a.b.c" gives "a.b" and "c"; s
// without sep gives "" and s.
func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return "", s, false
	}
	return s[:i], s[i+len(sep):], true
}

// MarshalYAML writes the mapping form with the parameters that are set;
// durations get their unit back. Each value reads back as the same float64
// (a resolved scenario reruns as it ran): a duration that is no whole
// number of nanoseconds, which a duration cannot write, and the unitless
// sigma and cv (0.8, not 800ms) are plain numbers, which the other
// parameters' units do not change.
func (d Dist) MarshalYAML() (any, error) {
	f := func(x float64) any {
		if ns := Duration(math.Round(x * float64(Second))); d.Seconds && ns.Seconds() == x {
			return ns.String()
		}
		return x
	}
	var m yaml.MapSlice
	put := func(k string, v any) { m = append(m, yaml.MapItem{Key: k, Value: v}) }
	put("dist", d.Kind)
	if d.Kind == "fixed" || d.Value != 0 {
		put("value", f(d.Value))
	}
	for _, p := range []struct {
		k string
		v float64
	}{{"mean", d.Mean}, {"median", d.Median}, {"p99", d.P99}, {"sigma", d.Sigma}, {"cv", d.CV}, {"std", d.Std}, {"min", d.Min}, {"max", d.Max}} {
		switch {
		case p.v == 0:
		case p.k == "sigma" || p.k == "cv":
			put(p.k, p.v)
		default:
			put(p.k, f(p.v))
		}
	}
	if len(d.Values) > 0 {
		vs := make([]any, len(d.Values))
		for i, x := range d.Values {
			vs[i] = f(x)
		}
		put("values", vs)
	}
	if d.Trace != "" {
		put("trace", d.Trace)
		put("column", d.Column)
	}
	return m, nil
}

// ExpectedValue is the distribution's mean before clamping (min and max),
// for size estimates; 0 for an empirical distribution read from a trace.
func (d Dist) ExpectedValue() float64 {
	switch d.Kind {
	case "fixed":
		return d.Value
	case "lognormal":
		sigma := d.LognormalSigma()
		return d.Median * math.Exp(sigma*sigma/2)
	case "exponential", "poisson", "geometric", "gamma", "normal":
		return d.Mean
	case "uniform":
		return (d.Min + d.Max) / 2
	case "empirical":
		sum := 0.0
		for _, x := range d.Values {
			sum += x
		}
		return sum / float64(max(len(d.Values), 1))
	}
	return 0
}
