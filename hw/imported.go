package hw

import (
	"math"

	"aiecon/model/llm"
)

// ImportedCalibration holds kernel timings measured on a real device and
// imported with `aiecon calibrate import`: one chip (as the catalog names it)
// and one dtype. Its efficiency interpolates the measured efficiencies in
// log-shape space (inverse-distance weighting of the nearest measured shapes),
// so it needs no minimum number of rows and reproduces each measured shape
// exactly; away from the measurements it is as good as their coverage.
type ImportedCalibration struct {
	Chip  string    `json:"chip"`
	DType llm.DType `json:"dtype"`
	// PeakFLOPSPerS and BytesPerS are the device's catalogued dense peak for
	// DType and HBM bandwidth, per TP device, at import time.
	PeakFLOPSPerS float64       `json:"peak_flops_per_s"`
	BytesPerS     float64       `json:"bytes_per_s"`
	Source        string        `json:"source"` // file and import time
	Measurements  []Measurement `json:"measurements"`
}

// idwNeighbours is how many measured shapes an imported efficiency blends.
const idwNeighbours = 4

// Eta interpolates the measured efficiencies at a shape: the measured
// efficiency if the shape was measured, else the inverse-square-distance
// weighted mean of the idwNeighbours nearest, with distance measured in
// log2 of batch, m, n and k. It does not allocate.
func (c *ImportedCalibration) Eta(batch, m, n, k int) float64 {
	if len(c.Measurements) == 0 || batch < 1 || m < 1 || n < 1 || k < 1 {
		return 0
	}
	var bestD [idwNeighbours]float64
	var bestE [idwNeighbours]float64
	for i := range bestD {
		bestD[i] = math.Inf(1)
	}
	lb, lm, ln, lk := math.Log2(float64(batch)), math.Log2(float64(m)), math.Log2(float64(n)), math.Log2(float64(k))
	eb := c.DType.Bytes()
	for _, x := range c.Measurements {
		db, dm := lb-math.Log2(float64(x.Batch)), lm-math.Log2(float64(x.M))
		dn, dk := ln-math.Log2(float64(x.N)), lk-math.Log2(float64(x.K))
		d := db*db + dm*dm + dn*dn + dk*dk
		if d == 0 {
			return MeasuredEta(x.Batch, x.M, x.N, x.K, x.Seconds, c.PeakFLOPSPerS, c.BytesPerS, eb)
		}
		// Insert into the sorted fixed-size list of nearest neighbours.
		j := len(bestD) - 1
		if d >= bestD[j] {
			continue
		}
		for ; j > 0 && bestD[j-1] > d; j-- {
			bestD[j], bestE[j] = bestD[j-1], bestE[j-1]
		}
		bestD[j] = d
		bestE[j] = MeasuredEta(x.Batch, x.M, x.N, x.K, x.Seconds, c.PeakFLOPSPerS, c.BytesPerS, eb)
	}
	var sw, se float64
	for i, d := range bestD {
		if math.IsInf(d, 1) {
			break
		}
		w := 1 / d // d is already squared: inverse-square-distance weights
		sw += w
		se += w * bestE[i]
	}
	return clampEta(se / sw)
}
