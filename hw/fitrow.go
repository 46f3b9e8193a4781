package hw

import (
	"math"

	"aiecon/model/llm"
)

// A fit evaluates thousands of candidate constant sets on the same points.
// Every point's TTFT and TPOT are linear combinations of iterations (see
// Predict), and an iteration's time is a sum over its ops of terms whose
// shape-dependent parts (padded FLOPs over peak, the calibrated efficiency,
// bytes) do not depend on the constants. So each point is compiled once into
// weighted terms, and a candidate is priced with a few arithmetic operations
// per term. TestCompiledMatchesPredict checks this equals Predict exactly.

// term is one op with everything but the constants resolved.
type term struct {
	kind   llm.OpKind
	weight float64 // how many times it counts (op.Count x iteration weight)
	fop    float64 // padded FLOPs / peak: compute seconds at efficiency 1
	eff    float64 // calibrated efficiency of the padded shape
	bytes  float64 // HBM bytes (GEMM, attention, memory passes)
	group  float64 // decode attention's query heads per KV head (kvReads); 1 otherwise
	link   float64 // all-reduce bytes time at the full link rate (2(g-1)/g x bytes / link)
	coll   bool    // an all-reduce with g > 1 (pays CollectiveS)
}

// combo is a linear combination of iterations: the fixed costs'
// coefficients (prompt-encoding iterations, layer-iterations) and the terms
// of its ops.
type combo struct {
	iters, layerIters float64
	terms             []term
}

// compiledPoint is one point ready for fitting.
type compiledPoint struct {
	pt         ServingPoint
	model      string
	shape      string // layerShape of the model: the fold of a ByShape cross-validation
	ttft, tpot combo
	hbm        float64 // peak HBM bytes/s of the device
	// unfitted: the row's throughput contradicts its latencies
	// (ServingPoint.ThroughputContradicts): predicted and cross-validated,
	// but no fit learns from it.
	unfitted bool
}

// recorder is a Perf stand-in that records iterations instead of pricing
// them: Predict's code paths run unchanged through it (see recordingPerf).
type recorder struct {
	perf   *Perf
	layers int
	cur    *combo
	weight float64
}

// add records one iteration's ops at the recorder's current weight.
func (r *recorder) add(ops []llm.Op, prefill bool) {
	c := r.cur
	if prefill {
		c.iters += r.weight
	}
	c.layerIters += r.weight * float64(r.layers)
	for _, op := range ops {
		if op.Count <= 0 {
			continue
		}
		w := r.weight * float64(op.Count)
		t := term{kind: op.Kind, weight: w, bytes: op.Bytes, group: 1}
		switch op.Kind {
		case llm.OpGEMM, llm.OpAttention:
			t.fop, t.eff = r.perf.computeParts(op)
			if kvReads(op, 1) > 1 {
				t.group = float64(op.M)
			}
		case llm.OpAllReduce:
			if op.Group > 1 {
				g := float64(op.Group)
				t.link = 2 * (g - 1) / g * op.Bytes / r.perf.Device.LinkBytesPerS
				t.coll = true
			}
		}
		c.terms = append(c.terms, t)
	}
}

// computeParts splits computeSeconds into padded FLOPs over peak and the
// shape's calibrated efficiency (before GEMMScale). The FLOPs are scaled by
// the padded volume over the volume they count (op.Volume where the shape
// rounds a mean up), so a dimension rounded up is charged once, as padding.
func (p *Perf) computeParts(op llm.Op) (fop, eff float64) {
	peak := p.Device.Peak(op.DType)
	if peak <= 0 {
		return math.Inf(1), 1
	}
	b := max(op.Batch, 1)
	raw := op.Volume
	if raw <= 0 {
		raw = float64(b) * float64(op.M) * float64(op.N) * float64(op.K)
	}
	vol, pm, pn, pk := p.Device.paddedVolume(b, op.M, op.N, op.K)
	flops := op.FLOPs
	if raw > 0 && vol > 0 {
		flops *= vol / raw
	}
	return flops / peak, p.Eff.GEMM(b, pm, pn, pk, op.DType)
}

// eval prices a combo with constants s on a device of peak HBM bandwidth hbm.
func (c *combo) eval(s *Serving, hbm float64) float64 {
	mem, kv := hbm*s.HBMFrac, hbm*s.KVFrac
	t := c.iters*s.PrefillS + c.layerIters*s.LayerS
	for i := range c.terms {
		x := &c.terms[i]
		var v float64
		switch x.kind {
		case llm.OpGEMM:
			v = max(x.fop/min(1, x.eff*s.GEMMScale), x.bytes/mem)
		case llm.OpAttention:
			b := x.bytes
			if x.group > 1 && s.KVGroupExp != 0 {
				b *= math.Pow(x.group, s.KVGroupExp)
			}
			v = max(x.fop/min(1, x.eff*s.AttnScale), b/kv)
		case llm.OpMemory:
			v = x.bytes / mem
		case llm.OpAllReduce:
			if x.coll {
				v = s.CollectiveS + x.link/s.LinkFrac
			}
		}
		t += x.weight * v
	}
	return t
}
