package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// drawFields are the parameters each distribution reads, in the order
// messages list them: a field it does not read would be dropped without a
// word (mode on a uniform, where triangular was meant).
var drawFields = map[string][]string{
	"uniform":    {"min", "max"},
	"triangular": {"min", "mode", "max"},
	"normal":     {"mean", "std", "min", "max"},
}

// checkDrawFields refuses, at its line, a parameter the draw at at gives
// that its distribution does not read; an unknown dist is check's to
// refuse. It reports whether every field given is read.
func checkDrawFields(s *source, at string, d *Draw) bool {
	takes, ok := drawFields[d.Dist]
	if !ok {
		return true
	}
	good := true
	for _, field := range []string{"min", "max", "mode", "mean", "std"} {
		if s.given(at+"."+field) && !slices.Contains(takes, field) {
			s.errf(at+"."+field, "dist %s does not read %s (it takes %s)%s", d.Dist, field, strings.Join(takes, ", "), readBy(field))
			good = false
		}
	}
	return good
}

// readBy names the distributions that read a field, for a message.
func readBy(field string) string {
	var by []string
	for _, dist := range []string{"uniform", "triangular", "normal"} {
		if slices.Contains(drawFields[dist], field) {
			by = append(by, dist)
		}
	}
	return "; " + field + " is " + strings.Join(by, " and ") + "'s"
}

func (d *Draw) check() error {
	lo, hi := math.Inf(-1), math.Inf(1)
	if d.Min != nil {
		lo = *d.Min
	}
	if d.Max != nil {
		hi = *d.Max
	}
	switch d.Dist {
	case "uniform":
		if d.Min == nil || d.Max == nil || lo >= hi {
			return fmt.Errorf("uniform needs min < max")
		}
	case "triangular":
		if d.Min == nil || d.Max == nil || d.Mode < lo || d.Mode > hi || lo >= hi {
			return fmt.Errorf("triangular needs min <= mode <= max, min < max")
		}
	case "normal":
		if d.Std <= 0 || lo >= hi || d.Mean < lo || d.Mean > hi {
			return fmt.Errorf("normal needs std > 0 and a mean inside [min, max] when they are given")
		}
	default:
		return fmt.Errorf("dist %q: want uniform, triangular or normal", d.Dist)
	}
	return nil
}

// sample draws one value; a normal is truncated to [min, max] by redrawing.
func (d *Draw) sample(r *rand.Rand) float64 {
	switch d.Dist {
	case "uniform":
		return *d.Min + r.Float64()*(*d.Max-*d.Min)
	case "triangular":
		return distuv.NewTriangle(*d.Min, *d.Max, d.Mode, r).Rand()
	}
	lo, hi := math.Inf(-1), math.Inf(1)
	if d.Min != nil {
		lo = *d.Min
	}
	if d.Max != nil {
		hi = *d.Max
	}
	for range maxRedraws {
		if x := d.Mean + d.Std*r.NormFloat64(); x >= lo && x <= hi {
			return x
		}
	}
	// A std far wider than [min, max] would redraw for ever: invert the
	// truncated normal's CDF instead. (Redrawing first keeps the draws of
	// every forecast that never gets here as they were.)
	n := distuv.Normal{Mu: d.Mean, Sigma: d.Std}
	flo, fhi := n.CDF(lo), n.CDF(hi)
	return min(max(n.Quantile(flo+r.Float64()*(fhi-flo)), lo), hi)
}

// maxRedraws bounds the draws a truncated normal rejects before sample
// inverts its CDF.
const maxRedraws = 10000

// Inputs are one future: the uncertain inputs of one Monte Carlo sample.
// Every sample is drawn, sample 0 too; only a forecast without monte_carlo
// (or --samples 1) runs the nominal future: every factor 1, the file's
// elasticities.
type Inputs struct {
	Sample     int
	Growth     float64  // multiplies growth rates
	Price      float64  // multiplies prices
	CTR        float64  // multiplies ads.ctr
	Conversion float64  // multiplies agents' conversion
	Elasticity *float64 // replaces the elasticity of every workload the plan gives one, when set
}

// drawStream is the PCG stream of the Monte Carlo draws ("forecas"),
// beside monte_carlo.seed: a test recomputes a report's draws from it.
const drawStream = 0x666f7265636173

// samples draws the inputs of every Monte Carlo sample from one seeded
// stream, in sample order, so a forecast is reproducible.
func (f *Forecast) samples() []Inputs {
	mc := f.Spec.MonteCarlo
	if mc == nil {
		return []Inputs{{Growth: 1, Price: 1, CTR: 1, Conversion: 1}}
	}
	r := rand.New(rand.NewPCG(mc.Seed, drawStream))
	out := make([]Inputs, mc.Samples)
	for i := range out {
		in := Inputs{Sample: i, Growth: 1, Price: 1, CTR: 1, Conversion: 1}
		draw := func(d *Draw, into *float64) {
			if d != nil {
				*into = d.sample(r)
			}
		}
		draw(mc.Growth, &in.Growth)
		draw(mc.Price, &in.Price)
		draw(mc.CTR, &in.CTR)
		draw(mc.Conversion, &in.Conversion)
		if mc.Elasticity != nil {
			e := mc.Elasticity.sample(r)
			in.Elasticity = &e
		}
		out[i] = in
	}
	return out
}
