package hw

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"aiecon/model/llm"
)

// ProfileVersion is the version of the calibration profile format this code
// writes and reads. Decoding ignores fields it does not know, so additions do
// not bump it; a change of meaning does, and then older code refuses the file.
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
	// Serving are the per-family serving constants fitted with this profile's
	// efficiency (FitServing on the published points).
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

// Validate checks that every parameter is finite and in range.
func (g GEMMModel) Validate() error {
	for _, p := range []struct {
		name string
		v    float64
		pos  bool // strictly positive, else >= 0
	}{
		{"overhead_s", g.OverheadS, false}, {"per_product_s", g.PerProductS, false},
		{"compute_eff", g.ComputeEff, true}, {"m0", g.M0, false}, {"m_exp", g.MExp, true},
		{"n0", g.N0, false}, {"n_exp", g.NExp, true}, {"k0", g.K0, false}, {"k_exp", g.KExp, true},
		{"mem_eff", g.MemEff, true}, {"blend", g.Blend, true},
	} {
		if math.IsNaN(p.v) || math.IsInf(p.v, 0) || p.v < 0 || (p.pos && p.v == 0) {
			return fmt.Errorf("gemm model: %s = %g must be a finite number %s", p.name, p.v, map[bool]string{true: "> 0", false: ">= 0"}[p.pos])
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
func (p *Profile) ForChip(chip string) Efficiency { return chipEfficiency{p: p, chip: chip} }

type chipEfficiency struct {
	p    *Profile
	chip string
}

func (c chipEfficiency) GEMM(batch, m, n, k int, dt llm.DType) float64 {
	if ic := c.p.ImportedFor(c.chip, dt); ic != nil {
		return ic.Eta(batch, m, n, k)
	}
	return c.p.GEMM(batch, m, n, k, dt)
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
	for i := range p.Hosts {
		h := &p.Hosts[i]
		if h.ElemBytes() == 0 {
			return fmt.Errorf("profile hosts[%d]: unknown host dtype %q (allowed: float32, float64)", i, h.DType)
		}
		if !(h.PeakFLOPSPerS > 0) || !(h.BytesPerS > 0) {
			return fmt.Errorf("profile host %s: peak %g FLOP/s and bandwidth %g B/s must be positive", h.DType, h.PeakFLOPSPerS, h.BytesPerS)
		}
		if err := h.Model.Validate(); err != nil {
			return fmt.Errorf("profile host %s: %w", h.DType, err)
		}
	}
	for i := range p.Imported {
		c := &p.Imported[i]
		if !c.DType.Valid() || !(c.PeakFLOPSPerS > 0) || !(c.BytesPerS > 0) || len(c.Measurements) == 0 {
			return fmt.Errorf("profile imported[%d] (%s %s): needs a known dtype, positive peak and bandwidth and at least one measurement", i, c.Chip, c.DType)
		}
	}
	for _, s := range p.Serving {
		if err := s.Validate(); err != nil {
			return fmt.Errorf("profile: %w", err)
		}
	}
	return nil
}

// dropLegacyServing removes serving constants written by an aiecon older
// than the step-time model (family "neuron" or "gpu", with overhead_s and
// bw_frac): they describe a model that no longer exists, and the family's
// committed constants apply instead.
func (p *Profile) dropLegacyServing() {
	kept := p.Serving[:0]
	for _, s := range p.Serving {
		if _, err := stepFamilyByName(s.Family); err == nil {
			kept = append(kept, s)
		}
	}
	p.Serving = kept
}

// DecodeProfile reads a profile from JSON and validates it. Unknown fields are
// ignored (forward compatibility); a different version is an error.
func DecodeProfile(data []byte) (*Profile, error) {
	var p Profile
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("decode profile: %w", err)
	}
	p.dropLegacyServing()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// ProfileDirEnv overrides DefaultProfileDir (tests set it to a temporary directory).
const ProfileDirEnv = "AIECON_CONFIG_DIR"

// DefaultProfileDir is where profiles are saved and looked up:
// $AIECON_CONFIG_DIR/calibration if that is set, else
// os.UserConfigDir()/aiecon/calibration.
func DefaultProfileDir() (string, error) {
	if d := os.Getenv(ProfileDirEnv); d != "" {
		return filepath.Join(d, "calibration"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("locate the calibration directory (set %s to choose one): %w", ProfileDirEnv, err)
	}
	return filepath.Join(d, "aiecon", "calibration"), nil
}

// profileFilePattern matches saved profiles; their names sort by creation time.
const profileFilePattern = "profile-*.json"

// SaveProfile validates p and writes it to dir as profile-<created, UTC>.json,
// creating dir if needed. The file is written to a temporary name and renamed,
// so a reader never sees half a profile. It returns the path.
func SaveProfile(dir string, p *Profile) (string, error) {
	if err := p.Validate(); err != nil {
		return "", fmt.Errorf("save profile: %w", err)
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return "", fmt.Errorf("save profile: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("save profile: %w", err)
	}
	name := "profile-" + p.Created.UTC().Format("20060102T150405.000000000Z") + ".json"
	path := filepath.Join(dir, name)
	tmp, err := os.CreateTemp(dir, ".profile-*.tmp")
	if err != nil {
		return "", fmt.Errorf("save profile: %w", err)
	}
	_, werr := tmp.Write(append(data, '\n'))
	cerr := tmp.Close()
	perr := os.Chmod(tmp.Name(), 0o644) // CreateTemp makes it 0600; a profile is not a secret
	if err := errors.Join(werr, cerr, perr); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("save profile %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("save profile %s: %w", path, err)
	}
	return path, nil
}

// ErrNoProfile is returned by LoadNewestProfile when dir holds no profile.
var ErrNoProfile = errors.New("no calibration profile")

// LoadProfile reads and validates one profile file.
func LoadProfile(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load profile: %w", err)
	}
	p, err := DecodeProfile(data)
	if err != nil {
		return nil, fmt.Errorf("load profile %s: %w", path, err)
	}
	return p, nil
}

// LoadNewestProfile loads the newest profile in dir (by file name, which
// encodes the creation time). It returns ErrNoProfile (wrapped, naming dir)
// when there is none, and an error naming the file when the newest is broken:
// silently falling back to an older profile would hide the problem.
func LoadNewestProfile(dir string) (*Profile, string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, profileFilePattern))
	if err != nil {
		return nil, "", fmt.Errorf("list profiles in %s: %w", dir, err)
	}
	if len(paths) == 0 {
		return nil, "", fmt.Errorf("%w in %s", ErrNoProfile, dir)
	}
	newest := paths[len(paths)-1] // Glob sorts
	p, err := LoadProfile(newest)
	if err != nil {
		return nil, "", err
	}
	return p, newest, nil
}

//go:embed profiles/builtin.json
var builtinProfileJSON []byte

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

// ActiveProfile is the profile the simulator uses: the newest in
// DefaultProfileDir, else the built-in one. It returns where it came from
// ("built-in" or the file path).
func ActiveProfile() (*Profile, string, error) {
	dir, err := DefaultProfileDir()
	if err == nil {
		p, path, err := LoadNewestProfile(dir)
		if err == nil {
			return p, path, nil
		}
		if !errors.Is(err, ErrNoProfile) {
			return nil, "", err
		}
	}
	p, err := BuiltinProfile()
	if err != nil {
		return nil, "", err
	}
	return p, "built-in", nil
}
