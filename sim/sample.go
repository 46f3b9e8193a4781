package sim

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"aiecon/model"
)

// sampler draws from a model.Dist. Durations come out in seconds.
type sampler struct {
	kind     string
	a, b     float64 // kind-specific parameters
	min, max float64 // clamp (max 0 = none)
	values   []float64
}

func newSampler(d model.Dist, traces *traceCache) (sampler, error) {
	s := sampler{kind: d.Kind, min: d.Min, max: d.Max}
	switch d.Kind {
	case "fixed":
		s.a = d.Value
	case "lognormal":
		s.a = math.Log(d.Median)
		s.b = d.LognormalSigma()
	case "exponential", "poisson":
		s.a = d.Mean
	case "geometric":
		s.a = d.Mean
	case "gamma":
		s.a = 1 / (d.CV * d.CV)    // shape
		s.b = d.Mean * d.CV * d.CV // scale
	case "normal":
		s.a, s.b = d.Mean, d.Std
	case "uniform":
		s.a, s.b = d.Min, d.Max
		s.min, s.max = 0, 0
	case "empirical":
		s.values = d.Values
		if d.Trace != "" {
			t, err := traces.load(d.Trace)
			if err != nil {
				return s, err
			}
			s.values = t.column(d.Column)
		}
		if len(s.values) == 0 {
			return s, fmt.Errorf("empirical distribution has no values")
		}
	default:
		return s, fmt.Errorf("unknown distribution %q", d.Kind)
	}
	return s, nil
}

// draw returns one value.
func (s *sampler) draw(r *rand.Rand) float64 {
	var x float64
	switch s.kind {
	case "fixed":
		return s.a
	case "lognormal":
		x = math.Exp(s.a + s.b*r.NormFloat64())
	case "exponential":
		x = s.a * r.ExpFloat64()
	case "poisson":
		x = distuv.Poisson{Lambda: s.a, Src: r}.Rand()
	case "geometric":
		// trials until the first success with p = 1/mean (support 1, 2, ...)
		p := 1 / s.a
		if p >= 1 {
			x = 1
		} else {
			x = 1 + math.Floor(math.Log(1-r.Float64())/math.Log1p(-p))
		}
	case "gamma":
		x = distuv.Gamma{Alpha: s.a, Beta: 1 / s.b, Src: r}.Rand()
	case "normal":
		x = s.a + s.b*r.NormFloat64()
	case "uniform":
		x = s.a + (s.b-s.a)*r.Float64()
	case "empirical":
		x = s.values[r.IntN(len(s.values))]
	}
	if x < s.min {
		x = s.min
	}
	if s.max > 0 && x > s.max {
		x = s.max
	}
	return x
}

// drawCount rounds a draw to a whole number of at least lo and at most
// math.MaxInt32, the simulator's token counts: a heavy tail's draw past it
// (a lognormal of spread 10 puts 7% of its draws past 2^31) is the largest
// count, which max_model_len then cuts, instead of wrapping negative in
// int32 or to MinInt64 in int.
func (s *sampler) drawCount(r *rand.Rand, lo int) int {
	x := math.Round(s.draw(r))
	switch {
	case !(x < math.MaxInt32): // NaN too
		return math.MaxInt32
	case x < float64(lo):
		return lo
	}
	return int(x)
}

// drawNs returns a duration draw in nanoseconds (>= 0).
func (s *sampler) drawNs(r *rand.Rand) int64 {
	return delayNs(s.draw(r) * 1e9)
}
