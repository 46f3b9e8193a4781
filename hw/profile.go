package hw

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"aiecon/model/llm"
)

// ProfileVersion is the version of the calibration profile format this code
// writes and reads. A change of meaning bumps it, and then older code refuses
// the file. Decoding refuses keys it does not know (a typo'd key once loaded
// as 0), so an older aiecon refuses a newer one's added field, naming it.
const ProfileVersion = 1

// Host formats of a profile's host calibrations.
const (
	HostFloat32 = "float32"
	HostFloat64 = "float64"
)

// Profile is a calibration: the GEMM efficiency measured on a host with real
// batched matmuls (and optionally on real accelerators, imported), and the
// serving constants fitted with that efficiency. It implements Efficiency: the
// fraction of the roofline a shape reaches on the host in float32 is assumed
// to carry over to an accelerator's bf16/fp16/fp8 engine once the shape is
// padded to its tiles (the transfer assumption, docs/calibration.md). A
// Profile is read-only once built; its methods do not allocate.
type Profile struct {
	Version int       `json:"version"`
	Created time.Time `json:"created"`
	// Command is how the profile was produced (so it can be reproduced).
	Command string  `json:"command,omitempty"`
	Note    string  `json:"note,omitempty"`
	Machine Machine `json:"machine"`
	// Hosts holds one calibration per host format; float32 is the one that
	// stands in for the accelerators, float64 is a second data point.
	Hosts []HostCalibration `json:"hosts"`
	// Imported are measurements from real devices (aiecon calibrate import):
	// for their chip and dtype they take precedence over the transfer assumption.
	Imported []ImportedCalibration `json:"imported,omitempty"`
	// Serving are step-family constants fitted with this profile's
	// efficiency ('aiecon hw fit' writes none here today; a profile that
	// carries them overrides the family's committed constants). Legacy
	// entries of the two-constant model are dropped on decoding.
	Serving []Serving `json:"serving,omitempty"`
}

// Machine describes the host a calibration ran on.
type Machine struct {
	CPUModel   string `json:"cpu_model"`
	Cores      int    `json:"cores"` // logical CPUs the OS reports
	GOMAXPROCS int    `json:"gomaxprocs"`
	L3Bytes    int64  `json:"l3_bytes,omitempty"` // 0 when the OS does not say
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	GoVersion  string `json:"go_version"`
	BLAS       string `json:"blas"` // the BLAS implementation that ran the GEMMs
}

// Measurement is one timed batched GEMM: Batch products of (M x K)(K x N).
type Measurement struct {
	Batch   int     `json:"batch"`
	M       int     `json:"m"`
	N       int     `json:"n"`
	K       int     `json:"k"`
	Seconds float64 `json:"seconds"` // median wall time of one batched GEMM
	// Spread is the relative interquartile range of the timing samples (0 if unknown).
	Spread float64 `json:"spread,omitempty"`
	// HeldOut marks the shapes kept out of the fit to measure its error.
	HeldOut bool `json:"held_out,omitempty"`
	// Contended marks a time taken while another process held a CPU this
	// one wanted (no clean sample could be had): it overstates the time.
	Contended bool `json:"contended,omitempty"`
	// Line is the CSV line an imported measurement came from.
	Line int `json:"line,omitempty"`
}

// HostCalibration is the measured roofline of the host in one format, the
// fitted shape-efficiency model and the measurements it was fitted to.
type HostCalibration struct {
	DType string `json:"dtype"` // HostFloat32 or HostFloat64
	// Timed is when the host's shapes were timed. A profile's Created is
	// reset by every import, refit and fit that copies it, so it dates the
	// copy, not the timings. Absent in profiles written before it was
	// recorded: HostTimed then reads Created.
	Timed time.Time `json:"timed,omitzero"`
	// PeakFLOPSPerS is the best rate of a large square GEMM; BytesPerS the
	// STREAM-triad bandwidth. Efficiencies are relative to these two.
	PeakFLOPSPerS float64   `json:"peak_flops_per_s"`
	BytesPerS     float64   `json:"bytes_per_s"`
	Model         GEMMModel `json:"model"`
	// HeldOutMAPE is the mean absolute percentage error (as a fraction) of the
	// model's time against measured time on the held-out shapes; TrainMAPE the
	// same on the shapes it was fitted to.
	HeldOutMAPE  float64       `json:"held_out_mape"`
	TrainMAPE    float64       `json:"train_mape"`
	Measurements []Measurement `json:"measurements"`
}

// ElemBytes is the width of one element of the host format.
func (h *HostCalibration) ElemBytes() float64 {
	switch h.DType {
	case HostFloat32:
		return 4
	case HostFloat64:
		return 8
	}
	return 0
}

// Eta is the fitted efficiency of a shape on the host: roofline time over the
// model's time, in (0, 1].
func (h *HostCalibration) Eta(batch, m, n, k int) float64 {
	return h.Model.Eta(batch, m, n, k, h.PeakFLOPSPerS, h.BytesPerS, h.ElemBytes())
}

// GEMM implements Efficiency with the host float32 calibration (the transfer
// assumption), whatever the dtype: host float32 stands in for the
// accelerators' bf16, fp16 and fp8 engines. It returns 0 for an empty shape
// or a profile without a float32 calibration.
func (p *Profile) GEMM(batch, m, n, k int, dt llm.DType) float64 {
	h := p.Host(HostFloat32)
	if h == nil {
		return 0
	}
	return h.Eta(batch, m, n, k)
}

// HostTimed is when host calibration h of p was timed: h.Timed, else (a
// profile written before hosts recorded it) p.Created.
func (p *Profile) HostTimed(h *HostCalibration) time.Time {
	if !h.Timed.IsZero() {
		return h.Timed
	}
	return p.Created
}

// Successor is a copy of p to be saved as a new profile created at now
// (an import, a refit, a fit's constants): its hosts keep the time they
// were timed (HostTimed), which the new Created no longer says. The hosts
// are copied; their measurements and the rest are shared with p.
func (p *Profile) Successor(now time.Time) *Profile {
	np := *p
	np.Hosts = slices.Clone(p.Hosts)
	for i := range np.Hosts {
		np.Hosts[i].Timed = p.HostTimed(&p.Hosts[i])
	}
	np.Created = now
	return &np
}

// Host returns the calibration of a host format, or nil.
func (p *Profile) Host(dtype string) *HostCalibration {
	for i := range p.Hosts {
		if p.Hosts[i].DType == dtype {
			return &p.Hosts[i]
		}
	}
	return nil
}

// String summarises the profile for reports (and serving-constant sources).
func (p *Profile) String() string {
	mape := "n/a"
	if h := p.Host(HostFloat32); h != nil {
		mape = fmt.Sprintf("%.1f%%", 100*h.HeldOutMAPE)
	}
	s := fmt.Sprintf("calibration profile of %s (%d cores), %s, float32 held-out MAPE %s",
		p.Machine.CPUModel, p.Machine.Cores, p.Created.UTC().Format(time.RFC3339), mape)
	if len(p.Imported) > 0 {
		s += fmt.Sprintf(", %d imported device calibration(s)", len(p.Imported))
	}
	return s
}

// ForChip returns the efficiency to use on a chip: the imported measurements
// for that chip and the op's dtype where they exist, the host transfer
// assumption (p.GEMM) otherwise. The chip name is compared ignoring case.
func (p *Profile) ForChip(chip string) Efficiency {
	return chipEfficiency{p: p, chip: chip, halfSwap: halfPeaksEqual(chip)}
}

type chipEfficiency struct {
	p        *Profile
	chip     string
	halfSwap bool // halfPeaksEqual(chip), looked up once
}

func (c chipEfficiency) GEMM(batch, m, n, k int, dt llm.DType) float64 {
	if ic := c.p.importedPricing(c.chip, dt, c.halfSwap); ic != nil {
		return ic.Eta(batch, m, n, k)
	}
	return c.p.GEMM(batch, m, n, k, dt)
}

// ImportedPricing is the imported calibration that prices dt's GEMMs on
// chip (ForChip): the chip's own dt timings, else, for fp16 or bf16 on a
// chip DeviceOf gives equal fp16 and bf16 peaks, the other format's; nil
// where the host transfer assumption prices them. The script times bf16
// and fp8 only, so fp16 GEMMs fell to the host curve on an H100 whose bf16
// timings were imported, while its fp16 runs at the bf16 rate.
func (p *Profile) ImportedPricing(chip string, dt llm.DType) *ImportedCalibration {
	return p.importedPricing(chip, dt, halfPeaksEqual(chip))
}

func (p *Profile) importedPricing(chip string, dt llm.DType, halfSwap bool) *ImportedCalibration {
	if ic := p.ImportedFor(chip, dt); ic != nil || !halfSwap {
		return ic
	}
	switch dt {
	case llm.BF16:
		return p.ImportedFor(chip, llm.FP16)
	case llm.FP16:
		return p.ImportedFor(chip, llm.BF16)
	}
	return nil
}

// halfPeaksEqual says whether DeviceOf gives chip (any case) the same
// fp16 and bf16 peak, so that timings of one format stand for the other;
// false for a chip the catalog lacks.
func halfPeaksEqual(chip string) bool {
	c, err := ChipByName(chip)
	if err != nil {
		return false
	}
	d := DeviceOf(c)
	return d.Peak(llm.BF16) > 0 && d.Peak(llm.BF16) == d.Peak(llm.FP16)
}

func (c chipEfficiency) String() string {
	return fmt.Sprintf("%v for %s", c.p, c.chip)
}

// ImportedFor returns the imported calibration of a chip (any case) and dtype, or nil.
func (p *Profile) ImportedFor(chip string, dt llm.DType) *ImportedCalibration {
	for i := range p.Imported {
		if p.Imported[i].DType == dt && strings.EqualFold(p.Imported[i].Chip, chip) {
			return &p.Imported[i]
		}
	}
	return nil
}

// ServingFor returns the fitted serving constants of a family, if the profile has them.
func (p *Profile) ServingFor(family string) (Serving, bool) {
	for _, s := range p.Serving {
		if s.Family == family {
			return s, true
		}
	}
	return Serving{}, false
}

// Validate checks the version and that every calibration is usable.
func (p *Profile) Validate() error {
	if p.Version != ProfileVersion {
		if p.Version > ProfileVersion {
			return fmt.Errorf("profile version %d is newer than this aiecon reads (%d): upgrade aiecon or recalibrate", p.Version, ProfileVersion)
		}
		return fmt.Errorf("profile version %d is not supported (this aiecon reads version %d): recalibrate", p.Version, ProfileVersion)
	}
	if p.Host(HostFloat32) == nil {
		return errors.New("profile has no float32 host calibration, which the transfer assumption needs")
	}
	// One calibration per host dtype, chip and dtype, and family: the
	// look-ups take the first, so a second one (two float32 hosts in a
	// hand-edited file) was silently ignored. aiecon never writes one.
	for i := range p.Hosts {
		h := &p.Hosts[i]
		if h.ElemBytes() == 0 {
			return fmt.Errorf("profile hosts[%d]: unknown host dtype %q (allowed: float32, float64)", i, h.DType)
		}
		if j := slices.IndexFunc(p.Hosts[:i], func(o HostCalibration) bool { return o.DType == h.DType }); j >= 0 {
			return fmt.Errorf("profile hosts[%d]: a second %s host calibration (hosts[%d] is one); keep one per dtype", i, h.DType, j)
		}
		if !(h.PeakFLOPSPerS > 0) || !(h.BytesPerS > 0) {
			return fmt.Errorf("profile host %s: peak %g FLOP/s and bandwidth %g B/s must be positive", h.DType, h.PeakFLOPSPerS, h.BytesPerS)
		}
		if err := h.Model.Validate(); err != nil {
			return fmt.Errorf("profile host %s: %w", h.DType, err)
		}
		if err := h.validateMeasurements(); err != nil {
			return fmt.Errorf("profile hosts[%d].%w", i, err)
		}
	}
	for i := range p.Imported {
		c := &p.Imported[i]
		if err := c.validate(); err != nil {
			return fmt.Errorf("profile imported[%d] (%s %s): %w", i, c.Chip, c.DType, err)
		}
		if j := slices.IndexFunc(p.Imported[:i], func(o ImportedCalibration) bool {
			return o.DType == c.DType && strings.EqualFold(o.Chip, c.Chip)
		}); j >= 0 {
			return fmt.Errorf("profile imported[%d]: a second %s %s calibration (imported[%d] is one); keep one per chip and dtype", i, c.Chip, c.DType, j)
		}
	}
	for i, s := range p.Serving {
		if err := s.Validate(); err != nil {
			return fmt.Errorf("profile: %w", err)
		}
		if j := slices.IndexFunc(p.Serving[:i], func(o Serving) bool { return o.Family == s.Family }); j >= 0 {
			return fmt.Errorf("profile serving[%d]: a second set of %s serving constants (serving[%d] is one); keep one per family", i, s.Family, j)
		}
	}
	return nil
}

// validateMeasurements checks each stored timing as calibrate would have
// taken it: dims >= 1, and seconds positive, finite, no faster than the
// host's peak (calibrate raises the peak to the best measured rate, so a
// profile it wrote always passes) and not absurdly slower. Unchecked, a
// hand-edited -1 loaded and `calibrate refit` failed late without naming
// the file, and 1e308 fitted to NaN and failed at save. The error starts
// with the JSON path below the host ("measurements[j].seconds: ...").
func (h *HostCalibration) validateMeasurements() error {
	for j, m := range h.Measurements {
		if min(m.Batch, m.M, m.N, m.K) < 1 {
			return fmt.Errorf("measurements[%d]: batch %d, m %d, n %d, k %d: each must be >= 1", j, m.Batch, m.M, m.N, m.K)
		}
		if !(m.Seconds > 0) || math.IsInf(m.Seconds, 0) {
			return fmt.Errorf("measurements[%d].seconds: %g must be a positive number", j, m.Seconds)
		}
		flops, _ := gemmWork(m.Batch, m.M, m.N, m.K, h.ElemBytes())
		least := flops / h.PeakFLOPSPerS
		work := fmt.Sprintf("2 x batch %d x m %d x n %d x k %d = %.4g FLOP at the host's %s peak of %.4g FLOP/s (peak_flops_per_s) takes at least %.3g s",
			m.Batch, m.M, m.N, m.K, flops, h.DType, h.PeakFLOPSPerS, least)
		if m.Seconds < least*(1-1e-9) {
			return fmt.Errorf("measurements[%d].seconds: %g is faster than the host's peak allows: %s", j, m.Seconds, work)
		}
		if most := MaxImportOverheadS + MaxImportSlowdown*least; m.Seconds > most {
			return fmt.Errorf("measurements[%d].seconds: %g is implausibly slow: %s; more than %d s of overhead plus %dx that (%.3g s) is not a GEMM timing",
				j, m.Seconds, work, MaxImportOverheadS, MaxImportSlowdown, most)
		}
	}
	return nil
}

// dropLegacyServing removes serving constants written by an aiecon older
// than the step-time model (family "neuron" or "gpu", with overhead_s and
// bw_frac): they describe a model that no longer exists, and the family's
// committed constants apply instead. Constants saved before link_frac
// existed were fitted with all-reduces at the full link rate, so a missing
// link_frac reads as 1.
func (p *Profile) dropLegacyServing() {
	kept := p.Serving[:0]
	for _, s := range p.Serving {
		if _, err := stepFamilyByName(s.Family); err == nil {
			if s.LinkFrac == 0 {
				s.LinkFrac = 1
			}
			kept = append(kept, s)
		}
	}
	p.Serving = kept
}

// profileWire is a profile as decoded: the serving entries are kept raw
// so that legacy ones (two-constant model, keys overhead_s and bw_frac) can
// be dropped before the strict decoding of the rest.
type profileWire struct {
	Profile
	Serving []json.RawMessage `json:"serving,omitempty"`
}

// DecodeProfile reads a profile from JSON and validates it. A key the
// profile format does not have is an error naming it (and its line:col):
// ignored, a typo'd "seconds" in a hand-edited row loaded as 0. A different
// version is an error too.
func DecodeProfile(data []byte) (*Profile, error) {
	var w profileWire
	if err := decodeStrict(data, data, &w); err != nil {
		return nil, fmt.Errorf("decode profile: %w", err)
	}
	p := w.Profile
	for i, raw := range w.Serving {
		var fam struct {
			Family string `json:"family"`
		}
		if err := json.Unmarshal(raw, &fam); err != nil {
			return nil, servingError(i, placeJSON(data, raw, err))
		}
		if _, err := stepFamilyByName(fam.Family); err != nil {
			continue // legacy constants: dropLegacyServing's rule, keys and all
		}
		var s Serving
		if err := decodeStrict(data, raw, &s); err != nil {
			return nil, servingError(i, err)
		}
		p.Serving = append(p.Serving, s)
	}
	p.dropLegacyServing()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// servingError is err of serving entry i: a placed one names its field
// from the profile's top (serving[i].prefill_s).
func servingError(i int, err error) error {
	if pe, ok := errors.AsType[*ProfilePlaceError](err); ok {
		return &ProfilePlaceError{Line: pe.Line, Col: pe.Col, Msg: fmt.Sprintf("serving[%d].%s", i, pe.Msg)}
	}
	return fmt.Errorf("decode profile serving[%d]: %w", i, err)
}

// decodeStrict unmarshals part (a slice of whole, or whole itself) into v,
// refusing unknown keys and trailing data. An unknown key's error says where
// in whole it first appears as a key: encoding/json gives only its name.
func decodeStrict(whole, part []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(part))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if _, end := dec.Token(); err == nil && end != io.EOF {
		err = errors.New("data after the closing brace")
	}
	if err == nil || !strings.HasPrefix(err.Error(), "json: unknown field ") {
		return placeJSON(whole, part, err)
	}
	key := strings.TrimPrefix(err.Error(), "json: unknown field ")
	where := ""
	if at := keyOffset(whole, key); at >= 0 {
		line, col := jsonLineCol(whole, at)
		where = fmt.Sprintf(" at line %d col %d", line, col)
	}
	return fmt.Errorf("unknown key %s%s: a calibration profile has no such field (a typo, or a profile from a newer aiecon)", key, where)
}

// keyOffset is the byte offset of the first `"key":` (key as encoding/json
// quotes it, blanks allowed before the colon) in data, or -1.
func keyOffset(data []byte, quotedKey string) int {
	for from := 0; ; {
		i := bytes.Index(data[from:], []byte(quotedKey))
		if i < 0 {
			return -1
		}
		at := from + i
		rest := bytes.TrimLeft(data[at+len(quotedKey):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			return at
		}
		from = at + len(quotedKey)
	}
}

//go:embed profiles/builtin.json
var builtinProfileJSON []byte

// BuiltinProfileSource is how a run that used the built-in profile records it.
const BuiltinProfileSource = "built-in"

// BuiltinProfile is the profile shipped in the binary, measured with
// `aiecon calibrate` on the machine its Machine field describes. Each call
// decodes a fresh copy, so callers may not share state through it.
func BuiltinProfile() (*Profile, error) {
	p, err := DecodeProfile(bytes.Clone(builtinProfileJSON))
	if err != nil {
		return nil, fmt.Errorf("built-in profile: %w", err)
	}
	return p, nil
}
