package study

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"gonum.org/v1/gonum/stat/distuv"

	"aiecon/model"
	"aiecon/runner"
)

// MonteCarlo samples parameters from distributions instead of (or on top
// of) a grid: every grid row is run with the same Samples draws.
type MonteCarlo struct {
	Samples int
	// Seed of the draws; 0 means the sweep's seed.
	Seed   uint64
	Params []RandomParam
	// Thresholds are the probabilities reported, e.g. margin_usd < 0.
	Thresholds []Threshold
}

// RandomParam is a scenario path drawn from a distribution.
type RandomParam struct {
	Path string
	Dist Distribution
	node ast.Node // the distribution as written, for checkSupports' messages
}

// Distribution of one parameter. Quantities keep the field's unit (a rate
// drawn around 12/s is a rate).
//
//	normal      mean, std             (min, max truncate)
//	lognormal   median, sigma or p99  (min, max truncate)
//	uniform     min, max
//	triangular  min, mode, max
//	beta        alpha, beta           (on [min, max], default [0, 1])
//	choice      values                (equally likely, or weights)
//
// round: true draws whole numbers (counts): each whole number k from min to
// max takes the probability the distribution gives [k-1/2, k+1/2), so a
// uniform count from 1 to 4 draws each of 1..4 a quarter of the time
// (wholeRound).
type Distribution struct {
	Kind    string
	unit    kind
	params  map[string]float64 // in base units
	Values  []Value            // choice
	Weights []float64          // choice
	Round   bool
	// nearest is a stored sweep's round: true on a bounded kind
	// (widensForRound), which an earlier build drew as the nearest whole
	// number of a draw on [min, max]: the ends took half a unit each.
	nearest bool
	raw     yaml.MapSlice // as written, for the frozen spec
}

// roundWhole is what a frozen specification writes for round: true on a
// kind whose range is widened (widensForRound), so that a stored sweep's
// round: true, drawn by an earlier build to the nearest whole number,
// still reads as it ran, and a sweep of this build gets another id.
const roundWhole = "whole"

// widensForRound reports whether round: true widens the kind's range by
// half a unit at each end before rounding: a uniform, triangular or beta
// draws inside [min, max], so rounding its draws gave min and max half
// a unit each. A normal or lognormal rounds, then truncates to [min,
// max]: its ends already took a whole unit.
func widensForRound(kind string) bool {
	return kind == "uniform" || kind == "triangular" || kind == "beta"
}

// Threshold is "P(KPI op value)", e.g. margin_usd < 0.
type Threshold struct {
	KPI   KPIRef
	Op    string // <, <=, >, >=
	Value float64
}

func (t Threshold) String() string {
	return fmt.Sprintf("%s %s %s", t.KPI, t.Op, strconv.FormatFloat(t.Value, 'g', -1, 64))
}

// Holds reports whether x satisfies the threshold (NaN never does).
func (t Threshold) Holds(x float64) bool {
	switch t.Op {
	case "<":
		return x < t.Value
	case "<=":
		return x <= t.Value
	case ">":
		return x > t.Value
	case ">=":
		return x >= t.Value
	}
	return false
}

// ParseThreshold reads "kpi op number", e.g. "margin_usd < 0".
func ParseThreshold(s string) (Threshold, error) {
	for _, op := range []string{"<=", ">=", "<", ">"} {
		if l, rhs, ok := strings.Cut(s, op); ok {
			k, err := ParseKPIRef(l)
			if err != nil {
				return Threshold{}, err
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(rhs), 64)
			if errors.Is(err, strconv.ErrRange) { // a number, past float64's range: 1e400 is not "not a number"
				return Threshold{}, fmt.Errorf("threshold %q: %s is out of range (at most %g in magnitude)", s, strings.TrimSpace(rhs), math.MaxFloat64)
			}
			if err != nil || math.IsNaN(v) {
				return Threshold{}, fmt.Errorf("threshold %q: %q is not a number", s, strings.TrimSpace(rhs))
			}
			return Threshold{KPI: k, Op: op, Value: v}, nil
		}
	}
	return Threshold{}, fmt.Errorf("threshold %q: want KPI, comparison and number, e.g. \"margin_usd < 0\"", s)
}

var distKeys = map[string][]string{
	"normal":     {"mean", "std", "min", "max", "round"},
	"lognormal":  {"median", "sigma", "p99", "min", "max", "round"},
	"uniform":    {"min", "max", "round"},
	"triangular": {"min", "mode", "max", "round"},
	"beta":       {"alpha", "beta", "min", "max", "round"},
	"choice":     {"values", "weights"},
}

// distKinds lists the distribution names in a fixed order for messages.
var distKinds = []string{"normal", "lognormal", "uniform", "triangular", "beta", "choice"}

var mcKeys = []string{"samples", "seed", "parameters", "thresholds"}

func (r *reader) monteCarlo(n ast.Node, field string) *MonteCarlo {
	m := asMapping(n)
	if m == nil {
		r.errf(n, field, "want a mapping with samples and parameters")
		return nil
	}
	mc := &MonteCarlo{}
	for _, mv := range r.entries(m, field) {
		k, v, f := keyText(mv), mv.Value, join(field, keyText(mv))
		switch k {
		case "samples":
			mc.Samples = r.positiveInt(v, f, MaxPoints)
		case "seed":
			s, err := strconv.ParseUint(scalarText(v), 10, 64)
			if err != nil || s == 0 || !isScalar(v) {
				r.errf(v, f, "want a positive integer seed")
			}
			mc.Seed = s
		case "parameters":
			pm := asMapping(v)
			if pm == nil {
				r.errf(v, f, "want a mapping of scenario paths to distributions, e.g. workloads[chat].arrivals.rate: {dist: normal, mean: 12/s, std: 2/s}")
				continue
			}
			for _, pv := range r.entries(pm, f) {
				path := keyText(pv)
				if !r.checkPath(pv.Key, f, path) {
					continue
				}
				d, ok := r.distribution(pv.Value, join(f, path))
				if ok && d.Kind != "choice" && !d.Round && model.IntegerPath(path) {
					r.errf(pv.Value, join(f, path), "%s takes whole numbers: add round: true, or every draw with a fraction is refused", path)
					continue
				}
				if ok {
					r.note("param:"+path, pv.Key)
					mc.Params = append(mc.Params, RandomParam{Path: path, Dist: d, node: pv.Value})
				}
			}
		case "thresholds":
			seq := asSequence(v)
			if seq == nil {
				r.errf(v, f, "want a list such as [\"margin_usd < 0\", \"slo_attainment < 0.99\"]")
				continue
			}
			for _, e := range seq.Values {
				t, err := ParseThreshold(scalarText(e))
				if err != nil {
					r.errf(e, f, "%v", err)
					continue
				}
				r.note("threshold:"+t.String(), e) // where CheckThresholds places a KPI not reported
				mc.Thresholds = append(mc.Thresholds, t)
			}
		default:
			r.errf(mv.Key, f, "unknown field %q (allowed here: %s)", k, strings.Join(mcKeys, ", "))
		}
	}
	if mc.Samples == 0 && !r.hasPrefix(field) {
		r.errf(n, join(field, "samples"), "required: how many draws, e.g. samples: 200")
	}
	if len(mc.Params) == 0 && !r.hasPrefix(field) {
		r.errf(n, join(field, "parameters"), "required: the scenario paths to draw and their distributions")
	}
	return mc
}

// distribution reads {dist: KIND, ...}.
func (r *reader) distribution(n ast.Node, field string) (Distribution, bool) {
	m := asMapping(n)
	if m == nil {
		r.errf(n, field, "want a distribution such as {dist: normal, mean: 12/s, std: 2/s} (dist: %s)", strings.Join(distKinds, ", "))
		return Distribution{}, false
	}
	raw, err := value(m)
	if err != nil {
		r.errf(n, field, "%v", err)
		return Distribution{}, false
	}
	d := Distribution{params: map[string]float64{}, raw: raw.(yaml.MapSlice)}
	errsBefore := len(r.errs)
	entries := r.entries(m, field)
	for _, mv := range entries {
		if keyText(mv) == "dist" {
			d.Kind = scalarText(mv.Value)
		}
	}
	allowed, ok := distKeys[d.Kind]
	if !ok {
		r.errf(n, join(field, "dist"), "unknown or missing dist %q (allowed: %s)", d.Kind, strings.Join(distKinds, ", "))
		return d, false
	}
	units := map[string]kind{}
	for _, mv := range entries {
		k, v, f := keyText(mv), mv.Value, join(field, keyText(mv))
		switch {
		case k == "dist":
		case !slices.Contains(allowed, k):
			r.errf(mv.Key, f, "unknown field %q for dist %s (allowed: %s)", k, d.Kind, strings.Join(allowed, ", "))
		case k == "round":
			r.round(&d, v, f)
		case k == "values":
			seq := asSequence(v)
			if seq == nil {
				r.errf(v, f, "want a list of values")
				continue
			}
			d.Values = r.list(seq, f, true)
		case k == "weights":
			d.Weights = r.weights(v, f)
		default:
			q, err := parseQuantity(scalarText(v))
			if err != nil || !isScalar(v) {
				r.errf(v, f, "%v", err)
				continue
			}
			// A scenario's numbers are finite and within MaxMagnitude; a
			// NaN passed every comparison below and reached the runs as
			// --set ...=NaN/s.
			if !r.frozen && (math.IsNaN(q.v) || math.IsInf(q.v, 0) || math.Abs(q.v) > model.MaxMagnitude) {
				r.errf(v, f, "%s: want a finite number of at most %g in magnitude", scalarText(v), model.MaxMagnitude)
				continue
			}
			d.params[k], units[k] = q.v, q.kind
		}
	}
	if len(r.errs) > errsBefore {
		return d, false
	}
	if !r.checkUnits(&d, n, field, allowed, units) {
		return d, false
	}
	if err := d.check(!r.frozen); err != nil {
		r.errf(n, field, "%v", err)
		return d, false
	}
	return d, true
}

// round reads round: true or false; a frozen specification's round: whole
// (roundWhole) too, and its round: true on a kind that widens is the
// nearest rounding an earlier build stored.
func (r *reader) round(d *Distribution, v ast.Node, f string) {
	switch t := scalarText(v); {
	case t == roundWhole && r.frozen:
		d.Round = true
	case t == "true":
		d.Round = true
		d.nearest = r.frozen && widensForRound(d.Kind)
	case t != "false":
		r.errf(v, f, "want true or false")
	}
	if d.Round && !r.frozen && widensForRound(d.Kind) {
		for i := range d.raw {
			if d.raw[i].Key == "round" {
				d.raw[i].Value = roundWhole
			}
		}
	}
}

// weights reads a choice's weights: each positive and finite, and their
// sum finite too (gonum's Categorical normalises by the sum: an infinite
// one, two weights of 1e308, made it panic at the first draw).
func (r *reader) weights(v ast.Node, f string) []float64 {
	seq := asSequence(v)
	if seq == nil {
		r.errf(v, f, "want a list of positive numbers, one per value")
		return nil
	}
	before := len(r.errs)
	var ws []float64
	sum := 0.0
	for _, e := range seq.Values {
		w, err := strconv.ParseFloat(scalarText(e), 64)
		if err != nil || !(w > 0) || math.IsInf(w, 0) {
			r.errf(e, f, "want a positive number")
		}
		ws = append(ws, w)
		sum += w
	}
	if math.IsInf(sum, 0) && len(r.errs) == before {
		r.errf(v, f, "the weights add up to more than %g: scale them down (only their ratios count)", math.MaxFloat64)
	}
	return ws
}

// checkUnits sets the distribution's unit: every quantity shares one (the
// field's), shape parameters are plain numbers, and only plain numbers are
// rounded. It reports what is wrong and returns false.
func (r *reader) checkUnits(d *Distribution, n ast.Node, field string, allowed []string, units map[string]kind) bool {
	// Every quantity shares the field's unit; shape parameters are plain.
	shape := map[string]bool{"sigma": true, "alpha": true, "beta": true}
	d.unit = kindNumber
	first := ""
	for _, k := range allowed {
		u, ok := units[k]
		if !ok || shape[k] {
			continue
		}
		if first == "" {
			d.unit, first = u, k
		} else if u != d.unit {
			r.errf(n, field, "%s is %s but %s is %s: give them one unit", first, d.unit, k, u)
			return false
		}
	}
	for k := range shape {
		if u, ok := units[k]; ok && u != kindNumber {
			r.errf(n, join(field, k), "is a plain number")
			return false
		}
	}
	if d.Round && d.unit != kindNumber {
		r.errf(n, join(field, "round"), "only plain numbers are rounded")
		return false
	}
	return true
}

func (d *Distribution) has(k string) bool { _, ok := d.params[k]; return ok }

// check validates the parameters of a parsed distribution; bounded adds
// the shape bounds (maxSigma, minBetaShape) that a stored sweep, which ran
// before them, is not held to.
func (d *Distribution) check(bounded bool) error {
	p := d.params
	need := func(keys ...string) error {
		for _, k := range keys {
			if !d.has(k) {
				return fmt.Errorf("dist %s needs %s", d.Kind, strings.Join(keys, ", "))
			}
		}
		return nil
	}
	if d.has("min") && d.has("max") && !(p["min"] < p["max"]) {
		return fmt.Errorf("min must be below max")
	}
	if bounded && d.Round && d.has("min") && d.has("max") && math.Ceil(p["min"]) > math.Floor(p["max"]) {
		return fmt.Errorf("round: true draws whole numbers, and none lies between min %g and max %g", p["min"], p["max"])
	}
	switch d.Kind {
	case "normal":
		if err := need("mean", "std"); err != nil {
			return err
		}
		if !(p["std"] > 0) {
			return fmt.Errorf("std must be positive")
		}
	case "lognormal":
		if err := need("median"); err != nil {
			return err
		}
		if !(p["median"] > 0) {
			return fmt.Errorf("median must be positive")
		}
		switch {
		case d.has("sigma") == d.has("p99"):
			return fmt.Errorf("dist lognormal needs sigma or p99 (one of them)")
		case d.has("p99") && !(p["p99"] > p["median"]):
			return fmt.Errorf("p99 must be above the median")
		case d.has("sigma") && !(p["sigma"] > 0):
			return fmt.Errorf("sigma must be above 0")
		case bounded && d.has("sigma") && p["sigma"] > maxSigma:
			return fmt.Errorf("sigma must be above 0 and at most %g", float64(maxSigma))
		case bounded && d.has("p99") && math.Log(p["p99"]/p["median"])/z99 > maxSigma:
			return fmt.Errorf("p99 is more than %.3g times the median (sigma above %g)", math.Exp(maxSigma*z99), float64(maxSigma))
		}
	case "uniform":
		return need("min", "max")
	case "triangular":
		if err := need("min", "mode", "max"); err != nil {
			return err
		}
		if p["mode"] < p["min"] || p["mode"] > p["max"] {
			return fmt.Errorf("mode must lie between min and max")
		}
	case "beta":
		if err := need("alpha", "beta"); err != nil {
			return err
		}
		if !(p["alpha"] > 0 && p["beta"] > 0) || bounded && !(p["alpha"] >= minBetaShape && p["beta"] >= minBetaShape) {
			return fmt.Errorf("alpha and beta must be at least %g", minBetaShape)
		}
		if d.has("min") != d.has("max") {
			return fmt.Errorf("dist beta takes both min and max (its range) or neither ([0, 1])")
		}
	case "choice":
		if len(d.Values) == 0 {
			return fmt.Errorf("dist choice needs values")
		}
		if d.Weights != nil && len(d.Weights) != len(d.Values) {
			return fmt.Errorf("%d weights for %d values", len(d.Weights), len(d.Values))
		}
	}
	return nil
}

// Bounds on shape parameters, past which the draws degenerate. A
// lognormal of sigma 5 already puts one draw in a million 1e10 times off its
// median; at sigma 1e300 every draw was 0 or infinite. A beta whose alpha or
// beta is below 0.05 draws NaN (gonum's gamma draws underflow to 0/0): at
// 1e-3 a fifth of draws, at 1e-300 all of them.
const (
	maxSigma     = 5
	minBetaShape = 0.05
)

// support is the range d draws from, rounded as its draws are (the whole
// numbers within it): [min, max],
// [0, 1] for a beta without them, and an untruncated side of a normal or
// lognormal ends TailZ standard deviations (of its log) out. ok is false
// for a choice, whose values are run as written, like a grid's.
func (d *Distribution) support() (lo, hi float64, ok bool) {
	p := d.params
	switch d.Kind {
	case "choice":
		return 0, 0, false
	case "beta":
		lo, hi = 0, 1
	case "normal":
		lo, hi = p["mean"]-TailZ*p["std"], p["mean"]+TailZ*p["std"]
	case "lognormal":
		sigma := p["sigma"]
		if d.has("p99") {
			sigma = math.Log(p["p99"]/p["median"]) / z99
		}
		lo, hi = p["median"]*math.Exp(-TailZ*sigma), p["median"]*math.Exp(TailZ*sigma)
	}
	if d.has("min") {
		lo = p["min"]
	}
	if d.has("max") {
		hi = p["max"]
	}
	switch {
	case d.nearest:
		lo, hi = math.Round(lo), math.Round(hi)
	case d.Round:
		lo, hi = math.Ceil(lo), math.Floor(hi)
	}
	return lo, hi, true
}

// TailZ is where a range check (checkSupports; a forecast's draws too)
// takes an untruncated normal or lognormal to end: a draw 6 standard deviations out comes once in about 1e9 (in 5e8
// on either side), so a sweep of a thousand draws reaches it once in a
// million sweeps; 10 refused ordinary uncertainty (a price of mean 0.72
// and std 0.1, a lognormal rate of sigma 1.5).
const TailZ = 6

// checkSupports sets every drawn path to each end of its distribution's
// support in the base scenario (with the sweep's set) and reports an end the
// scenario refuses at that path, with the scenario's reason: a draw there
// would fail its point with only an internal --set to name it (a uniform
// rate from NaN, a ctr above 1). Inside the ends the scenario's ranges, all
// intervals, accept every draw.
func (r *reader) checkSupports(sp *Spec) {
	mc := sp.MonteCarlo
	if mc == nil || sp.Base.Source == nil {
		return
	}
	base := sp.setStrings()
	for _, rp := range mc.Params {
		lo, hi, ok := rp.Dist.support()
		if !ok {
			continue
		}
		for i, x := range []float64{lo, hi} {
			if rp.Dist.Kind == "beta" && !rp.Dist.Round {
				// A beta never draws its ends: probe the next number in
				// (ads.ctr takes any ctr above 0, and a beta on [0, 1]).
				x = math.Nextafter(x, []float64{hi, lo}[i])
			}
			q := quantity{rp.Dist.unit, x}
			set := rp.Path + "=" + q.text()
			_, err := runner.LoadSource(sp.Base.Name, sp.Base.Source, sp.Base.Dir, append(slices.Clone(base), set))
			var me model.Errors
			if !errors.As(err, &me) {
				continue
			}
			var why []string
			for _, fe := range me {
				if fe.File == "--set "+set {
					why = append(why, fe.Msg)
				}
			}
			if len(why) == 0 {
				continue
			}
			hint := "narrow min and max"
			if rp.Dist.Kind == "normal" || rp.Dist.Kind == "lognormal" {
				hint = fmt.Sprintf("truncate it with min and max inside what the field accepts (an untruncated side is taken %d standard deviations out)", TailZ)
			} else if rp.Dist.Kind == "beta" && !rp.Dist.has("min") {
				hint = "give min and max inside what the field accepts"
			}
			lq, hq := quantity{rp.Dist.unit, lo}, quantity{rp.Dist.unit, hi}
			r.errf(rp.node, join("montecarlo.parameters", rp.Path), "dist %s draws from %s to %s, and %s=%s is refused (%s): %s",
				rp.Dist.Kind, lq.text(), hq.text(), rp.Path, q.text(), strings.Join(why, "; "), hint)
			break
		}
	}
}

// maxRejections bounds the draws a truncated distribution may reject in a
// row before the study gives up (min/max exclude nearly all of it).
const maxRejections = 10000

// sample draws one value from src.
func (d *Distribution) sample(src rand.Source) (Value, error) {
	p := d.params
	if d.Kind == "choice" {
		i := 0
		if d.Weights == nil {
			i = int(rand.New(src).IntN(len(d.Values)))
		} else {
			cat := distuv.NewCategorical(d.Weights, src)
			i = int(cat.Rand())
		}
		return d.Values[i], nil
	}
	draw, err := d.continuous(src)
	if err != nil {
		return Value{}, err
	}
	lo, hi, _ := d.support()
	// round: true redraws a whole number outside [min, max] (the range
	// widened by half a unit rounds to one past each end); without it,
	// only a normal or lognormal truncates.
	truncate := d.Kind == "normal" || d.Kind == "lognormal"
	widened := d.Round && !d.nearest && widensForRound(d.Kind)
	for range maxRejections {
		x := draw()
		if d.Round {
			x = math.Round(x)
		}
		if truncate && (d.has("min") && x < p["min"] || d.has("max") && x > p["max"]) || widened && (x < lo || x > hi) {
			continue
		}
		q := quantity{d.unit, x}
		return Value{YAML: q.text(), JSON: q.jsonValue()}, nil
	}
	return Value{}, fmt.Errorf("%d draws in a row fell outside min/max: they exclude nearly all of the distribution", maxRejections)
}

// continuous is d's continuous draw. With round: true a uniform, triangular
// or beta draws on its range widened by half a unit at each end
// (widensForRound), so that rounding gives min and max a whole unit, as
// every whole number inside.
func (d *Distribution) continuous(src rand.Source) (func() float64, error) {
	p := d.params
	widen := 0.0
	if d.Round && !d.nearest && widensForRound(d.Kind) {
		widen = 0.5
	}
	switch d.Kind {
	case "normal":
		return distuv.Normal{Mu: p["mean"], Sigma: p["std"], Src: src}.Rand, nil
	case "lognormal":
		sigma := p["sigma"]
		if d.has("p99") {
			sigma = math.Log(p["p99"]/p["median"]) / z99
		}
		return distuv.LogNormal{Mu: math.Log(p["median"]), Sigma: sigma, Src: src}.Rand, nil
	case "uniform":
		return distuv.Uniform{Min: p["min"] - widen, Max: p["max"] + widen, Src: src}.Rand, nil
	case "triangular":
		return distuv.NewTriangle(p["min"]-widen, p["max"]+widen, p["mode"], src).Rand, nil
	case "beta":
		lo, hi := 0.0, 1.0
		if d.has("min") {
			lo, hi = p["min"], p["max"]
		}
		lo, hi = lo-widen, hi+widen
		b := distuv.Beta{Alpha: p["alpha"], Beta: p["beta"], Src: src}
		return func() float64 { return lo + (hi-lo)*b.Rand() }, nil
	}
	return nil, fmt.Errorf("unknown dist %q", d.Kind)
}

// z99 is the standard normal's 99th percentile: p99 = median x exp(z99 sigma).
const z99 = 2.3263478740408408

// streamSource is the random source of one named stream of a study: PCG
// seeded from the seed and the stream's name (FNV-1a, then SplitMix64, as
// the simulator derives its streams), so adding a parameter leaves the
// draws of the others unchanged.
func streamSource(seed uint64, name string) *rand.PCG {
	h := uint64(14695981039346656037)
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return rand.NewPCG(splitmix64(seed^h), splitmix64(h+0x9e3779b97f4a7c15*(seed|1)))
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Draw returns samples x len(Params) values: row s is the s-th draw of
// every parameter, each from its own stream named after its path.
func (mc *MonteCarlo) Draw(seed uint64) ([][]Value, error) {
	rows := make([][]Value, mc.Samples)
	for i := range rows {
		rows[i] = make([]Value, len(mc.Params))
	}
	for j, rp := range mc.Params {
		src := streamSource(seed, "montecarlo/"+rp.Path)
		for s := range rows {
			v, err := rp.Dist.sample(src)
			if err != nil {
				return nil, fmt.Errorf("montecarlo.parameters.%s: sample %d: %w", rp.Path, s, err)
			}
			rows[s][j] = v
		}
	}
	return rows, nil
}
