package hw

import (
	"fmt"
	"math"
)

// GEMMModel is the host's time for a batched GEMM as a smooth function of its
// shape, an additive roofline:
//
//	t  = OverheadS + PerProductS (batch-1) + (tc^Blend + tm^Blend)^(1/Blend)
//	tc = flops / (peak ComputeEff) (1 + (M0/m)^MExp) (1 + (N0/n)^NExp) (1 + (K0/k)^KExp)
//	tm = bytes / (bandwidth MemEff)
//
// The compute term reaches ComputeEff of the peak on large shapes and loses
// efficiency smoothly as any dimension shrinks below its scale (short vector
// loops, partial blocks, too little work to split over cores); the memory term
// is the compulsory traffic at a fraction of the triad bandwidth; Blend sets
// how much the two overlap (1: not at all, large: a pure max, the roofline).
// The sum rather than the max is what makes efficiency dip near the ridge
// point, where neither bound alone explains the time.
type GEMMModel struct {
	OverheadS   float64 `json:"overhead_s"`
	PerProductS float64 `json:"per_product_s"`
	ComputeEff  float64 `json:"compute_eff"`
	M0          float64 `json:"m0"`
	MExp        float64 `json:"m_exp"`
	N0          float64 `json:"n0"`
	NExp        float64 `json:"n_exp"`
	K0          float64 `json:"k0"`
	KExp        float64 `json:"k_exp"`
	MemEff      float64 `json:"mem_eff"`
	Blend       float64 `json:"blend"`
}

// The largest values Validate allows, which the fit (kernels.decodeParams)
// keeps its parameters within.
const (
	GEMMMaxTimeS  = 1    // overhead_s, per_product_s
	GEMMMaxScale  = 1e6  // m0, n0, k0
	GEMMMaxExp    = 8.05 // m_exp, n_exp, k_exp
	GEMMMaxMemEff = 100
	GEMMMaxBlend  = 65
)

// Validate checks that every parameter is finite and in range: exponents,
// efficiencies and the blend within what the fit (kernels.decodeParams)
// can produce, times under a second and shape scales under 10^6, far past
// any fit, so that a hand-edited profile cannot price every GEMM at +Inf
// (k_exp 1e308 did, and runs reported an overloaded fleet instead of a
// broken profile).
func (g GEMMModel) Validate() error {
	for _, p := range []struct {
		name string
		v    float64
		pos  bool    // strictly positive, else >= 0
		max  float64 // largest value allowed
	}{
		{"overhead_s", g.OverheadS, false, GEMMMaxTimeS}, {"per_product_s", g.PerProductS, false, GEMMMaxTimeS},
		{"compute_eff", g.ComputeEff, true, 1}, {"m0", g.M0, false, GEMMMaxScale}, {"m_exp", g.MExp, true, GEMMMaxExp},
		{"n0", g.N0, false, GEMMMaxScale}, {"n_exp", g.NExp, true, GEMMMaxExp}, {"k0", g.K0, false, GEMMMaxScale},
		{"k_exp", g.KExp, true, GEMMMaxExp}, {"mem_eff", g.MemEff, true, GEMMMaxMemEff}, {"blend", g.Blend, true, GEMMMaxBlend},
	} {
		if math.IsNaN(p.v) || math.IsInf(p.v, 0) || p.v < 0 || (p.pos && p.v == 0) || p.v > p.max*(1+1e-9) {
			return fmt.Errorf("gemm model: %s = %g must be a finite number %s, at most %g", p.name, p.v, map[bool]string{true: "> 0", false: ">= 0"}[p.pos], p.max)
		}
	}
	return nil
}

// TimeS is the model's time for batch products of (m x k)(k x n) on a device
// with the given peak, bandwidth and element width.
func (g GEMMModel) TimeS(batch, m, n, k int, peakFLOPSPerS, bytesPerS, elemBytes float64) float64 {
	flops, bytes := gemmWork(batch, m, n, k, elemBytes)
	tc := flops / (peakFLOPSPerS * g.ComputeEff) *
		(1 + math.Pow(g.M0/float64(m), g.MExp)) *
		(1 + math.Pow(g.N0/float64(n), g.NExp)) *
		(1 + math.Pow(g.K0/float64(k), g.KExp))
	tm := bytes / (bytesPerS * g.MemEff)
	var t float64
	if hi := max(tc, tm); hi > 0 {
		// Scale before the power so that neither term under- or overflows.
		a, b := tc/hi, tm/hi
		t = hi * math.Pow(math.Pow(a, g.Blend)+math.Pow(b, g.Blend), 1/g.Blend)
	}
	return g.OverheadS + g.PerProductS*float64(batch-1) + t
}

// Eta is the roofline time over TimeS, clamped to (0, 1].
func (g GEMMModel) Eta(batch, m, n, k int, peakFLOPSPerS, bytesPerS, elemBytes float64) float64 {
	if batch < 1 || m < 1 || n < 1 || k < 1 {
		return 0
	}
	return clampEta(RooflineS(batch, m, n, k, peakFLOPSPerS, bytesPerS, elemBytes) /
		g.TimeS(batch, m, n, k, peakFLOPSPerS, bytesPerS, elemBytes))
}

// RooflineS is max(flops / peak, bytes / bandwidth) for batch products of
// (m x k)(k x n), counting 2 FLOPs per multiply-add and the compulsory
// traffic (A and B read once, C written once).
func RooflineS(batch, m, n, k int, peakFLOPSPerS, bytesPerS, elemBytes float64) float64 {
	flops, bytes := gemmWork(batch, m, n, k, elemBytes)
	return max(flops/peakFLOPSPerS, bytes/bytesPerS)
}

// MeasuredEta is the efficiency of a measured time: RooflineS / seconds, clamped to (0, 1].
func MeasuredEta(batch, m, n, k int, seconds, peakFLOPSPerS, bytesPerS, elemBytes float64) float64 {
	return clampEta(RooflineS(batch, m, n, k, peakFLOPSPerS, bytesPerS, elemBytes) / seconds)
}

func gemmWork(batch, m, n, k int, elemBytes float64) (flops, bytes float64) {
	b, fm, fn, fk := float64(batch), float64(m), float64(n), float64(k)
	return 2 * b * fm * fn * fk, b * elemBytes * (fm*fk + fk*fn + fm*fn)
}

func clampEta(e float64) float64 {
	if !(e > 0) {
		return 0
	}
	return min(e, 1)
}
