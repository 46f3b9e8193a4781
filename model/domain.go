package model

import (
	"fmt"
	"math"
	"reflect"
	"strings"
)

// MaxMagnitude bounds every plain number of a scenario: nothing it
// describes (a price, a fraction, a token count, a rate) comes near it, and
// below it the simulator's sums and products stay finite (1e300 made them
// infinite).
const MaxMagnitude = 1e15

// MaxTokensPerDoc bounds a retrieved document's tokens
// (agent.retrieval.tokens_per_doc): a forecast's contract adds its
// provenance tokens to them and refuses a sum past it at its own line.
const MaxTokensPerDoc = 1 << 20

// checkFinite reports every float field that is NaN, infinite or beyond
// MaxMagnitude, found by walking the scenario's YAML-tagged fields, so that a
// number added to the schema is checked without being listed here. The
// range checks of Resolve assume finite numbers (a NaN passes `x < 0 || x >
// 1`), so this runs first.
func (r *resolver) checkFinite() {
	walkFloats(reflect.ValueOf(r.sc).Elem(), "", func(path string, x float64) {
		switch {
		case math.IsNaN(x) || math.IsInf(x, 0):
			r.bad(path, "%v is not a number; want a finite value", x)
		case math.Abs(x) > MaxMagnitude:
			r.bad(path, "%g is out of range (at most %g in magnitude)", x, MaxMagnitude)
		}
	})
}

// walkFloats calls f with the dotted YAML path of every float reachable from
// v through tagged struct fields, pointers and slices.
func walkFloats(v reflect.Value, path string, f func(string, float64)) {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		f(path, v.Float())
	case reflect.Pointer:
		if !v.IsNil() {
			walkFloats(v.Elem(), path, f)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Float64 && strings.HasSuffix(path, "values") {
			// empirical values: one message for the list, not one per element
			for i := 0; i < v.Len(); i++ {
				if x := v.Index(i).Float(); math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > MaxMagnitude {
					f(fmt.Sprintf("%s[%d]", path, i), x)
					return
				}
			}
			return
		}
		for i := 0; i < v.Len(); i++ {
			walkFloats(v.Index(i), fmt.Sprintf("%s[%d]", path, i), f)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name := strings.Split(sf.Tag.Get("yaml"), ",")[0]
			if name == "-" {
				continue
			}
			p := path
			if name != "" {
				p = joinPath(path, name)
			}
			walkFloats(v.Field(i), p, f)
		}
	}
}

func joinPath(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// distBounds is the largest value a distribution of each kind may describe:
// beyond it draws overflow the integer and nanosecond conversions the
// simulator makes.
var distBounds = map[distKind]struct {
	max  float64
	what string
}{
	distTokens:   {1 << 24, "tokens"},
	distCount:    {1e4, "steps"},
	distDuration: {MaxHorizon.Seconds(), "seconds"},
	distMoney:    {1e6, "USD"},
	distScore:    {1e6, ""},
}

// Shape limits of the distributions the sampler draws from: a coefficient
// of variation of 1e300 or 1e-300 gives a gamma shape of 0 or +Inf, on which
// the sampler panics, and a lognormal sigma far above 10 overflows.
const (
	MinDistCV    = 1e-3
	MaxDistCV    = 100
	MaxDistSigma = 10
)

// distDomain checks a distribution's parameters against its kind's bounds.
func (r *resolver) distDomain(p string, d *Dist, kind distKind) {
	b := distBounds[kind]
	for _, f := range []struct {
		name string
		v    float64
	}{{"value", d.Value}, {"mean", d.Mean}, {"median", d.Median}, {"p99", d.P99}, {"std", d.Std}, {"min", d.Min}, {"max", d.Max}} {
		if math.Abs(f.v) > b.max {
			r.bad(p+"."+f.name, "%g is out of range (at most %g %s)", f.v, b.max, b.what)
		}
	}
	if d.Kind == "gamma" && d.CV != 0 && (d.CV < MinDistCV || d.CV > MaxDistCV) {
		r.bad(p+".cv", "%g is out of range (allowed: %g to %g)", d.CV, float64(MinDistCV), float64(MaxDistCV))
	}
	if d.Kind == "lognormal" {
		if sigma := d.LognormalSigma(); sigma > MaxDistSigma {
			r.bad(p, "the spread is too wide: sigma %.3g (from median and p99) is above %d; p99 may be at most %.3g times the median", sigma, MaxDistSigma, math.Exp(MaxDistSigma*Z99))
		}
	}
	for i, x := range d.Values {
		if x > b.max {
			r.bad(fmt.Sprintf("%s.values[%d]", p, i), "%g is out of range (at most %g %s)", x, b.max, b.what)
			return
		}
	}
}

// Z99 is the standard normal 99th percentile: a lognormal with median m
// and 99th percentile p has sigma = ln(p/m) / Z99 (Dist.LognormalSigma).
const Z99 = 2.3263478740408408

// LognormalSigma is a lognormal's sigma: from its median and p99 where the
// p99 is given, as the sampler draws it, else the sigma given.
func (d Dist) LognormalSigma() float64 {
	if d.P99 > 0 && d.Median > 0 {
		return math.Log(d.P99/d.Median) / Z99
	}
	return d.Sigma
}
