package hw

import (
	"errors"
	"fmt"
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

// Bounds on an imported timing beyond the peak: the slowest accepted is
// MaxImportOverheadS of fixed cost plus the product at 1/MaxImportSlowdown
// of the peak. A 1e308 s row once made every later trn2 run report a TTFT
// p99 of 1 ns.
const (
	MaxImportOverheadS = 1
	MaxImportSlowdown  = 1000
)

// PlausibleGEMMSeconds refuses a batched GEMM dims (batch, m, n, k) too
// large for any device's memory (gemmFits), and a timing of it faster than
// the device's catalogued peak allows, or absurdly slower, showing the
// arithmetic. calibrate import checks each CSV row with
// it, and Profile.Validate each saved row, so a hand-edited profile cannot
// carry a timing an import would have refused.
func PlausibleGEMMSeconds(sec float64, dims [4]int, dt llm.DType, dev *Device) error {
	if err := gemmFits(dims, dt, dev); err != nil {
		return err
	}
	flops := 2 * float64(dims[0]) * float64(dims[1]) * float64(dims[2]) * float64(dims[3])
	peak := dev.Peak(dt)
	least := flops / peak
	limit, peakOf, standIn := "the device's peak", dt, standInPeak(dev, dt)
	if standIn != "" {
		limit, peakOf = fmt.Sprintf("the rate aiecon prices %s at on %s", dt, dev.Chip), standIn
	}
	work := fmt.Sprintf("2 x batch %d x m %d x n %d x k %d = %.4g FLOP at the %s %s peak of %.4g FLOP/s takes at least %.3g s",
		dims[0], dims[1], dims[2], dims[3], flops, dev.Chip, peakOf, peak, least)
	if standIn != "" {
		work += fmt.Sprintf(" (the catalog states no %s peak for %s, so aiecon prices %s there at its %s rate)", dt, dev.Chip, dt, standIn)
	}
	if sec < least {
		return fmt.Errorf("seconds %g is faster than %s allows: %s", sec, limit, work)
	}
	if most := MaxImportOverheadS + MaxImportSlowdown*least; sec > most {
		return fmt.Errorf("seconds %g is implausibly slow: %s; more than %d s of overhead plus %dx that (%.3g s) is not a GEMM timing",
			sec, work, MaxImportOverheadS, MaxImportSlowdown, most)
	}
	return nil
}

// gemmFits refuses a GEMM shape whose operands and result, at dt's width,
// outgrow the memory of the whole chip dev is a part of (the catalog's HBM;
// a device's share where the chip is not catalogued): no device could run
// it, so no timing of it was measured. Only the time was checked, so a
// shape of 9.2e18 cubed with a timing to match was imported and blended
// into the profile's efficiencies. The bound is loose on purpose: a real
// calibration's shapes take megabytes to a few gigabytes.
func gemmFits(dims [4]int, dt llm.DType, dev *Device) error {
	b, m, n, k := float64(dims[0]), float64(dims[1]), float64(dims[2]), float64(dims[3])
	need := b * (m*k + k*n + m*n) * dt.Bytes()
	mem, of := dev.HBMBytes, "one "+dev.Chip+" device"
	if chip, err := ChipByName(dev.Chip); err == nil && chip.HBM.SI() > 0 {
		mem, of = chip.HBM.SI(), "a whole "+dev.Chip
	}
	if mem > 0 && need > mem {
		return fmt.Errorf("batch %d x m %d x n %d x k %d: its operands and result take %.4g GiB in %s, more than the %.4g GiB of %s: no device ran this GEMM",
			dims[0], dims[1], dims[2], dims[3], need/(1<<30), dt, mem/(1<<30), of)
	}
	return nil
}

// standInPeak is the format whose catalogued peak DeviceOf gave dev for
// dt, where the catalog states none for dt itself (int8 on H100 runs at
// the bf16 rate), or "" where dt's own peak stands: the check against it
// had called the bf16 peak "the H100 int8 peak".
func standInPeak(dev *Device, dt llm.DType) llm.DType {
	chip, err := ChipByName(dev.Chip)
	if err != nil || chip.Peak.For(dt).SI() > 0 {
		return ""
	}
	for _, alt := range []llm.DType{llm.BF16, llm.FP16} {
		if alt != dt && chip.Peak.For(alt).SI() > 0 && dev.Peak(alt) == dev.Peak(dt) {
			return alt
		}
	}
	return ""
}

// validate applies calibrate import's checks to an imported calibration as
// saved: a catalogued chip that has a peak for the dtype, and each row's
// batch, m, n, k >= 1, no shape twice, and seconds a positive, finite,
// plausible timing.
// Without them a hand-edited row loaded, and the run then failed blaming the
// step constants (seconds -1 made a decode step +Inf s), or with seconds 0
// ran silently on a nonsense efficiency.
func (c *ImportedCalibration) validate() error {
	if len(c.Measurements) == 0 || !(c.PeakFLOPSPerS > 0) || !(c.BytesPerS > 0) {
		return errors.New("needs positive peak and bandwidth and at least one measurement")
	}
	chip, err := ChipByName(c.Chip)
	if err != nil {
		return fmt.Errorf("chip: %w", err)
	}
	dev := DeviceOf(chip)
	if !c.DType.Valid() || !dev.Supports(c.DType) {
		return fmt.Errorf("dtype %q: %s has no catalogued peak for it", c.DType, chip.Name)
	}
	if err := c.checkCatalogFigures(&dev); err != nil {
		return err
	}
	seen := make(map[[4]int]int, len(c.Measurements)) // shape -> index
	for j, m := range c.Measurements {
		dims := [4]int{m.Batch, m.M, m.N, m.K}
		if min(dims[0], dims[1], dims[2], dims[3]) < 1 {
			return fmt.Errorf("measurements[%d]: batch %d, m %d, n %d, k %d: each must be >= 1", j, m.Batch, m.M, m.N, m.K)
		}
		if first, dup := seen[dims]; dup {
			return fmt.Errorf("measurements[%d]: %s %dx(%dx%dx%d) repeats measurements[%d] (one timing per shape): keep one", j, c.DType, m.Batch, m.M, m.N, m.K, first)
		}
		seen[dims] = j
		if !(m.Seconds > 0) || math.IsInf(m.Seconds, 0) {
			return fmt.Errorf("measurements[%d]: seconds %g must be a positive number", j, m.Seconds)
		}
		if err := PlausibleGEMMSeconds(m.Seconds, dims, c.DType, &dev); err != nil {
			return fmt.Errorf("measurements[%d]: %w", j, err)
		}
	}
	return nil
}

// catalogTolerance is the relative difference between a stored device
// figure and the catalog's that is taken for rounding: aiecon writes the
// catalog's float64 exactly, so only a hand edit or a changed catalog
// exceeds it.
const catalogTolerance = 1e-9

// checkCatalogFigures refuses a stored peak or bandwidth that is not the
// catalog's for the chip and dtype. Eta turns the stored times into
// efficiencies with the stored figures and the pricing multiplies them by
// the catalog's, so a differing figure rescales every measured time: a hand
// edit of the peak to 1e30 silently cut a run's completed requests from 479
// to 370, and a later correction of the catalog would do the same.
func (c *ImportedCalibration) checkCatalogFigures(dev *Device) error {
	for _, f := range []struct {
		key, what, unit string
		stored, catal   float64
	}{
		{"peak_flops_per_s", string(c.DType) + " peak", "FLOP/s", c.PeakFLOPSPerS, dev.Peak(c.DType)},
		{"bytes_per_s", "HBM bandwidth", "B/s", c.BytesPerS, dev.HBMBytesPerS},
	} {
		if math.Abs(f.stored-f.catal) > catalogTolerance*f.catal {
			// %g, the shortest form that reads back as the figure: %.6g
			// printed an edit past the sixth digit as the catalog's figure.
			return fmt.Errorf("%s %g %s is not the catalog's %s %s per device, %g %s: the timings are turned into efficiencies with the stored figure "+
				"and priced at the catalog's, so they would no longer be reproduced; set it back to %g or import the timings again (aiecon calibrate import)",
				f.key, f.stored, f.unit, dev.Chip, f.what, f.catal, f.unit, f.catal)
		}
	}
	return nil
}
