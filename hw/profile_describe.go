package hw

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"aiecon/model/llm"
)

// ThinImport is the fewest shapes of one chip and dtype an imported
// calibration can have without a warning, at import and at every run that
// uses it: a handful of shapes cannot cover the serving grid (tokens from 1
// to thousands, the layers' N and K, TP degrees), and each GEMM is priced
// by its nearest measured shapes however far they are (Eta).
const ThinImport = 16

// PoorFitMAPE is the float32 held-out error past which a profile's host fit
// is not trusted: `--calibration latest` passes over such a profile
// (NewestFitProfile) and a run that names it warns. A quiet host fits within
// 10% on the full grid; a --quick grid timed on a busy machine fitted 137%,
// its efficiency curve then nonsense (eta 0.26 from M = 8 on).
const PoorFitMAPE = 0.30

// PoorFit is the float32 held-out error of a profile past PoorFitMAPE, or
// 0 where it is within it (or has no float32 host, which Validate refuses).
func (p *Profile) PoorFit() float64 {
	if h := p.Host(HostFloat32); h != nil && h.HeldOutMAPE > PoorFitMAPE {
		return h.HeldOutMAPE
	}
	return 0
}

// GEMMUse is a chip a run's fleets run on and a format its GEMMs multiply
// in there (the resident shard's compute formats), or, with Attention, a
// format only its attention core multiplies in (the activations' format,
// where the GEMMs use another, as with fp8 weights): hw prices attention by
// the same GEMM efficiency, so imported timings of that format price it.
type GEMMUse struct {
	Chip      string
	DType     llm.DType
	Attention bool
}

// Summary says what the profile is, for a run on chips (the chips its
// fleets run on) whose GEMMs multiply in the formats uses gives, as
// phrases joined by "; ": the host fit that prices every chip and dtype
// without device timings (its CPU, when it was timed, shapes and held-out
// error), then each imported device calibration (chip, dtype, shapes, file
// and date) and whether this run's GEMMs use it, per format. With uses nil
// (formats unknown, as for validate's rows) it says only whether the chip
// is one of the run's. It said "used by this run" of every imported
// calibration of a run's chip, so of the fp8 timings of a bf16 run.
func (p *Profile) Summary(chips []string, uses []GEMMUse) string {
	var ps []string
	if h := p.Host(HostFloat32); h != nil {
		ps = append(ps, fmt.Sprintf("host-measured: float32 GEMMs timed on %s (%d cores) %s, %d shapes, held-out MAPE %.1f%%, transferred to chips without device timings",
			p.Machine.CPUModel, p.Machine.Cores, p.HostTimed(h).UTC().Format(time.DateOnly), len(h.Measurements), 100*h.HeldOutMAPE))
	}
	for i := range p.Imported {
		c := &p.Imported[i]
		ps = append(ps, fmt.Sprintf("device timings: %s %s GEMMs priced by %s (%s, %s)", c.Chip, c.DType, shapes(len(c.Measurements)), c.Source, p.importedUse(c, chips, uses)))
	}
	return strings.Join(ps, "; ")
}

// importedUse says whether a run on chips multiplying in uses' formats is
// priced by the imported calibration c, and in which of its formats (fp16
// by bf16 timings where the chip's peaks are equal, ImportedPricing).
func (p *Profile) importedUse(c *ImportedCalibration, chips []string, uses []GEMMUse) string {
	switch {
	case !usesChip(chips, c.Chip):
		return "not a chip of this run"
	case uses == nil:
		return "a chip of this run"
	}
	var used, attn, other []string
	stand := ""
	for _, u := range uses {
		if !strings.EqualFold(u.Chip, c.Chip) {
			continue
		}
		switch {
		case p.ImportedPricing(u.Chip, u.DType) != c:
			if !u.Attention {
				other = appendNew(other, string(u.DType))
			}
		case u.Attention:
			attn = appendNew(attn, string(u.DType))
		default:
			used = appendNew(used, string(u.DType))
		}
		if p.ImportedPricing(u.Chip, u.DType) == c && u.DType != c.DType {
			stand = fmt.Sprintf(", %s priced by the %s timings as %s runs both at one peak", u.DType, c.DType, c.Chip)
		}
	}
	switch {
	case len(used) > 0 || len(attn) > 0:
		return "used by this run's " + usedFormats(used, attn, other) + stand
	case len(other) > 0:
		return fmt.Sprintf("not used: this run's %s GEMMs multiply in %s", c.Chip, strings.Join(other, " and "))
	}
	return "a chip of this run"
}

// usedFormats names what a calibration prices of a run: its GEMMs of the
// used formats and its attention of the attn ones, and, where it prices
// only attention, the GEMM formats (other) it does not.
func usedFormats(used, attn, other []string) string {
	var ps []string
	if len(used) > 0 {
		ps = append(ps, strings.Join(used, " and ")+" GEMMs")
	}
	if len(attn) > 0 {
		ps = append(ps, strings.Join(attn, " and ")+" attention")
	}
	s := strings.Join(ps, " and ")
	if len(used) == 0 && len(other) > 0 {
		s += ", not its " + strings.Join(other, " and ") + " GEMMs"
	}
	return s
}

// appendNew appends s to xs unless xs holds it.
func appendNew(xs []string, s string) []string {
	if slices.Contains(xs, s) {
		return xs
	}
	return append(xs, s)
}

// Caveats are the warnings a run on chips repeats about its profile,
// each led by its label in capitals as the run report's warnings are: an
// imported calibration of one of its chips thinner than ThinImport, a
// host fit past PoorFitMAPE, and serving constants of its chips' families
// fitted under another structure of their graphs (staleServing).
func (p *Profile) Caveats(chips []string) []string {
	ws := p.staleServing(chips)
	for i := range p.Imported {
		if c := &p.Imported[i]; usesChip(chips, c.Chip) && len(c.Measurements) < ThinImport {
			ws = append(ws, "THIN DEVICE CALIBRATION: "+c.Thin()+".")
		}
	}
	if e := p.PoorFit(); e > 0 {
		ws = append(ws, fmt.Sprintf("POORLY FITTED CALIBRATION: the profile's float32 host fit misses its held-out shapes by %.0f%% (mean absolute error, past the %.0f%% bound), "+
			"so the GEMM efficiency it prices chips without device timings by is not to be trusted (a busy machine or a --quick grid); rerun aiecon calibrate on a quieter machine. "+
			"--calibration latest passes over such a profile.", 100*e, 100*PoorFitMAPE))
	}
	return ws
}

// Thin says what an imported calibration thinner than ThinImport means (""
// where it is not): one sentence, without a label, for calibrate import's
// warning and the run report's.
func (c *ImportedCalibration) Thin() string {
	n := len(c.Measurements)
	if n >= ThinImport {
		return ""
	}
	return fmt.Sprintf("only %s for %s %s (%s): every %s GEMM on it is priced by the nearest of them "+
		"(a blend of the %d nearest in log shape), however far its shape; time the serving grid "+
		"(scripts/gpu-kernel-timings.py times about 2,200 shapes) before trusting runs with this profile",
		shapes(n), c.Chip, c.DType, c.Source, c.DType, idwNeighbours)
}

// usesChip says whether chips holds chip, ignoring case as ImportedFor does.
func usesChip(chips []string, chip string) bool {
	for _, c := range chips {
		if strings.EqualFold(c, chip) {
			return true
		}
	}
	return false
}

// shapes is "1 imported shape" or "N imported shapes".
func shapes(n int) string {
	if n == 1 {
		return "1 imported shape"
	}
	return fmt.Sprintf("%d imported shapes", n)
}
