package hw

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"aiecon/model/llm"
)

// testModel is a plausible host model (the numbers are illustrative).
var testModel = GEMMModel{
	OverheadS: 10e-6, PerProductS: 2e-6, ComputeEff: 0.85,
	M0: 6, MExp: 1.1, N0: 96, NExp: 1.4, K0: 48, KExp: 0.9,
	MemEff: 0.4, Blend: 2,
}

func testProfile(created time.Time) *Profile {
	return &Profile{
		Version: ProfileVersion,
		Created: created,
		Command: "aiecon calibrate --quick",
		Machine: Machine{CPUModel: "Test CPU", Cores: 2, GOMAXPROCS: 2, L3Bytes: 32 << 20, OS: "linux", Arch: "amd64", GoVersion: "go1.26", BLAS: "gonum"},
		Hosts: []HostCalibration{
			{DType: HostFloat32, PeakFLOPSPerS: 25e9, BytesPerS: 35e9, Model: testModel, HeldOutMAPE: 0.08, TrainMAPE: 0.07,
				Measurements: []Measurement{{Batch: 1, M: 1, N: 256, K: 256, Seconds: 40e-6, Spread: 0.02}, {Batch: 1, M: 64, N: 768, K: 768, Seconds: 5e-3, HeldOut: true}}},
			{DType: HostFloat64, PeakFLOPSPerS: 15e9, BytesPerS: 35e9, Model: testModel, HeldOutMAPE: 0.09, TrainMAPE: 0.08},
		},
		Imported: []ImportedCalibration{{
			Chip: "Trainium2", DType: llm.BF16, PeakFLOPSPerS: 166.75e12, BytesPerS: 725e9, Source: "trn2.csv",
			Measurements: []Measurement{
				{Batch: 1, M: 128, N: 4096, K: 4096, Seconds: 60e-6, Line: 2},
				{Batch: 1, M: 1024, N: 4096, K: 4096, Seconds: 600e-6, Line: 3},
				{Batch: 1, M: 1, N: 4096, K: 4096, Seconds: 100e-6, Line: 4},
			},
		}},
		Serving: []Serving{{Family: StepNeuronV3, PrefillS: 1e-3, LayerS: 1e-5, CollectiveS: 2e-5, HBMFrac: 0.2, KVFrac: 0.3, GEMMScale: 1, AttnScale: 1, LinkFrac: 0.8, Source: "test", Label: Estimate}},
	}
}

// TestGEMMModelHandComputed checks TimeS and Eta against arithmetic done by
// hand for one shape (relative tolerance 1e-12).
func TestGEMMModelHandComputed(t *testing.T) {
	g := GEMMModel{OverheadS: 1e-5, PerProductS: 1e-6, ComputeEff: 0.5, M0: 2, MExp: 1, N0: 4, NExp: 2, K0: 0, KExp: 1, MemEff: 0.25, Blend: 1}
	// batch 3, 2 x 8 x 4: flops = 2*3*2*8*4 = 384, bytes = 3*4*(8+32+16) = 672.
	// tc = 384/(1000*0.5) * (1+1) * (1+(4/8)^2) * (1+0) = 0.768*2*1.25 = 1.92
	// tm = 672/(100*0.25) = 26.88; blend 1 sums them: 28.8.
	// t = 1e-5 + 2e-6 + 28.8
	got := g.TimeS(3, 2, 8, 4, 1000, 100, 4)
	want := 1e-5 + 2e-6 + 28.8
	if math.Abs(got/want-1) > 1e-12 {
		t.Errorf("TimeS = %.15g, want %.15g", got, want)
	}
	// Roofline: max(384/1000, 672/100) = 6.72; eta = 6.72 / t.
	if e, w := g.Eta(3, 2, 8, 4, 1000, 100, 4), 6.72/want; math.Abs(e/w-1) > 1e-12 {
		t.Errorf("Eta = %.15g, want %.15g", e, w)
	}
	// A large blend approaches the max of the two terms.
	g.Blend, g.OverheadS, g.PerProductS = 60, 0, 0
	if got := g.TimeS(3, 2, 8, 4, 1000, 100, 4); math.Abs(got/26.88-1) > 1e-9 {
		t.Errorf("blend 60: TimeS = %g, want about max(1.92, 26.88)", got)
	}
}

func TestEtaRangeAndClamp(t *testing.T) {
	h := testProfile(time.Now()).Host(HostFloat32)
	for _, s := range [][4]int{{1, 1, 1, 1}, {1, 1, 4096, 4096}, {8, 64, 1024, 128}, {1, 8192, 8192, 8192}, {64, 3, 5, 7}} {
		e := h.Eta(s[0], s[1], s[2], s[3])
		if !(e > 0 && e <= 1) {
			t.Errorf("eta%v = %g, want in (0, 1]", s, e)
		}
	}
	if e := h.Eta(1, 0, 4, 4); e != 0 {
		t.Errorf("eta of an empty shape = %g, want 0", e)
	}
	// A measured time faster than the roofline clamps to 1.
	if e := MeasuredEta(1, 1024, 1024, 1024, 1e-9, 25e9, 35e9, 4); e != 1 {
		t.Errorf("MeasuredEta faster than the roofline = %g, want 1", e)
	}
}

// TestImportedEtaInterpolates checks that a measured shape returns its own
// efficiency and a shape between two measured ones a value between theirs.
func TestImportedEtaInterpolates(t *testing.T) {
	c := &testProfile(time.Now()).Imported[0]
	eb := c.DType.Bytes()
	at := func(m Measurement) float64 {
		return MeasuredEta(m.Batch, m.M, m.N, m.K, m.Seconds, c.PeakFLOPSPerS, c.BytesPerS, eb)
	}
	for _, m := range c.Measurements {
		if got, want := c.Eta(m.Batch, m.M, m.N, m.K), at(m); got != want {
			t.Errorf("eta at measured %dx%dx%d = %g, want its measurement %g", m.M, m.N, m.K, got, want)
		}
	}
	lo, hi := at(c.Measurements[0]), at(c.Measurements[1])
	mid := c.Eta(1, 362, 4096, 4096) // halfway between M=128 and M=1024 in log2
	if mid < min(lo, hi) || mid > max(lo, hi) {
		t.Errorf("eta at M=362 = %g, not between its neighbours %g and %g", mid, lo, hi)
	}
}

// TestProfileEfficiencyNoAlloc: the simulator calls GEMM on cache misses.
func TestProfileEfficiencyNoAlloc(t *testing.T) {
	p := testProfile(time.Now())
	var e Efficiency = p
	trn := p.ForChip("trainium2")
	var sink float64
	if n := testing.AllocsPerRun(100, func() { sink += e.GEMM(8, 64, 4096, 1024, llm.BF16) }); n != 0 {
		t.Errorf("Profile.GEMM allocates %v times per call", n)
	}
	if n := testing.AllocsPerRun(100, func() { sink += trn.GEMM(1, 300, 4096, 4096, llm.BF16) }); n != 0 {
		t.Errorf("ForChip(...).GEMM allocates %v times per call", n)
	}
	_ = sink
}

// TestForChipPrecedence: imported timings win for their chip and dtype only.
func TestForChipPrecedence(t *testing.T) {
	p := testProfile(time.Now())
	host := p.GEMM(1, 128, 4096, 4096, llm.BF16)
	ic := p.ImportedFor("TRAINIUM2", llm.BF16)
	if ic == nil {
		t.Fatal("ImportedFor is not case-insensitive")
	}
	if got, want := p.ForChip("Trainium2").GEMM(1, 128, 4096, 4096, llm.BF16), ic.Eta(1, 128, 4096, 4096); got != want || got == host {
		t.Errorf("Trainium2 bf16 = %g, want the imported %g (host %g)", got, want, host)
	}
	// The catalog runs Trainium2's fp16 at its bf16 peak, so its bf16
	// timings price fp16 too: fp16 fell to the host curve.
	if got, want := p.ForChip("Trainium2").GEMM(1, 128, 4096, 4096, llm.FP16), ic.Eta(1, 128, 4096, 4096); got != want {
		t.Errorf("Trainium2 fp16 = %g, want the imported bf16 %g (host %g)", got, want, host)
	}
	if got := p.ImportedPricing("trainium2", llm.FP16); got != ic {
		t.Errorf("ImportedPricing(trainium2, fp16) = %v, want the bf16 calibration", got)
	}
	if got := p.ForChip("Trainium2").GEMM(1, 128, 4096, 4096, llm.FP8); got != host {
		t.Errorf("Trainium2 fp8 (not imported) = %g, want the host's %g", got, host)
	}
	if got := p.ForChip("Inferentia2").GEMM(1, 128, 4096, 4096, llm.BF16); got != host {
		t.Errorf("Inferentia2 = %g, want the host's %g", got, host)
	}
	if s, ok := p.ServingFor(StepNeuronV3); !ok || s.HBMFrac != 0.2 {
		t.Errorf("ServingFor(neuron) = %+v, %v", s, ok)
	}
	if _, ok := p.ServingFor(StepGPU); ok {
		t.Error("ServingFor(gpu) found constants the profile does not have")
	}
}

func TestProfileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	p := testProfile(time.Date(2026, 11, 25, 12, 0, 0, 123, time.UTC))
	path, err := SaveProfile(dir, p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filepath.Base(path), "profile-20261125T120000") {
		t.Errorf("file name %s does not start with the creation time", path)
	}
	got, gotPath, err := LoadNewestProfile(dir)
	if err != nil {
		t.Fatal(err)
	}
	if gotPath != path {
		t.Errorf("loaded %s, saved %s", gotPath, path)
	}
	if !got.Created.Equal(p.Created) {
		t.Errorf("created %v, want %v", got.Created, p.Created)
	}
	got.Created = p.Created
	if !reflect.DeepEqual(got, p) {
		t.Errorf("round trip changed the profile:\n got %+v\nwant %+v", got, p)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".profile-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

// rawProfile is a test profile as the generic JSON map it is saved as, for
// tests that edit fields before decoding it.
func rawProfile(t *testing.T) map[string]any {
	t.Helper()
	data, err := json.Marshal(testProfile(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestDecodeProfileVersion(t *testing.T) {
	raw := rawProfile(t)
	for _, c := range []struct {
		version any
		want    string
	}{{2, "newer"}, {0, "not supported"}, {nil, "not supported"}} {
		raw["version"] = c.version
		if c.version == nil {
			delete(raw, "version")
		}
		_, err := DecodeProfile(mustJSON(t, raw))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("version %v: err = %v, want one saying %q", c.version, err, c.want)
		}
	}
	if _, err := DecodeProfile([]byte("{not json")); err == nil {
		t.Error("broken JSON accepted")
	}
}

// TestDecodeProfileBeforeLinkFrac: serving constants saved before link_frac
// existed were fitted with all-reduces at the full link rate, so they read
// back with link_frac 1 instead of failing validation (0 is out of range).
func TestDecodeProfileBeforeLinkFrac(t *testing.T) {
	raw := rawProfile(t)
	serving := raw["serving"].([]any)[0].(map[string]any)
	delete(serving, "link_frac")
	p, err := DecodeProfile(mustJSON(t, raw))
	if err != nil {
		t.Fatalf("profile without link_frac: %v", err)
	}
	if s, ok := p.ServingFor(StepNeuronV3); !ok || s.LinkFrac != 1 {
		t.Errorf("link_frac of a profile saved without it = %v (found %v), want 1", s.LinkFrac, ok)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestProfileValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Profile)
		want   string
	}{
		{"no float32", func(p *Profile) { p.Hosts = p.Hosts[1:] }, "no float32"},
		{"zero peak", func(p *Profile) { p.Hosts[0].PeakFLOPSPerS = 0 }, "peak"},
		{"nan model", func(p *Profile) { p.Hosts[0].Model.ComputeEff = math.NaN() }, "compute_eff"},
		{"zero exponent", func(p *Profile) { p.Hosts[1].Model.MExp = 0 }, "m_exp"},
		// k_exp 1e308 priced every GEMM at +Inf: runs read as overloaded.
		{"huge exponent", func(p *Profile) { p.Hosts[0].Model.KExp = 1e308 }, "k_exp = 1e+308 must be a finite number > 0, at most 8.05"},
		{"efficiency past the peak", func(p *Profile) { p.Hosts[0].Model.ComputeEff = 3 }, "compute_eff = 3"},
		{"bad host dtype", func(p *Profile) { p.Hosts[1].DType = "float16" }, "float16"},
		{"empty import", func(p *Profile) { p.Imported[0].Measurements = nil }, "Trainium2"},
		{"bad serving", func(p *Profile) { p.Serving[0].HBMFrac = 2 }, "hbm_frac"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := testProfile(time.Now())
			c.mutate(p)
			err := p.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one naming %q", err, c.want)
			}
		})
	}
}

func TestLoadNewestProfile(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := LoadNewestProfile(dir); !errors.Is(err, ErrNoProfile) {
		t.Fatalf("empty dir: err = %v, want ErrNoProfile", err)
	}
	old := testProfile(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	old.Note = "old"
	newer := testProfile(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	newer.Note = "new"
	for _, p := range []*Profile{newer, old} { // save order must not matter
		if _, err := SaveProfile(dir, p); err != nil {
			t.Fatal(err)
		}
	}
	p, _, err := LoadNewestProfile(dir)
	if err != nil || p.Note != "new" {
		t.Fatalf("newest = %v, %v; want the June profile", p, err)
	}
	// A broken newest profile is an error naming it, not a silent fallback.
	broken := filepath.Join(dir, "profile-20270101T000000.000000000Z.json")
	if err := os.WriteFile(broken, []byte(`{"version": 1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadNewestProfile(dir); err == nil || !strings.Contains(err.Error(), broken) {
		t.Errorf("broken newest: err = %v, want one naming %s", err, broken)
	}
}

func TestProfileDir(t *testing.T) {
	d := t.TempDir()
	got, err := ProfileDir(d)
	if err != nil || got != filepath.Join(d, "calibration") {
		t.Errorf("ProfileDir = %q, %v; want %s/calibration", got, err, d)
	}
	// With nothing saved there, the newest profile is the built-in one.
	p, src, err := NewestProfileOrBuiltin(got)
	if err != nil || src != BuiltinProfileSource || p == nil {
		t.Fatalf("NewestProfileOrBuiltin = %v, %q, %v; want the built-in profile", p, src, err)
	}
	saved := testProfile(time.Now())
	path, err := SaveProfile(got, saved)
	if err != nil {
		t.Fatal(err)
	}
	if _, src, err := NewestProfileOrBuiltin(got); err != nil || src != path {
		t.Errorf("after saving: source %q, %v; want %s", src, err, path)
	}
}

// TestBuiltinProfile checks the embedded profile: it decodes, validates, was
// made by the full calibration (not --quick), has both host formats and
// the serving constants, and gives sensible efficiencies: low for a decode
// GEMV, high for a large prefill GEMM.
func TestBuiltinProfile(t *testing.T) {
	p, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(p.Command, "--quick") {
		t.Errorf("built-in profile made with %q: regenerate it with the full grid", p.Command)
	}
	if p.Host(HostFloat32) == nil || p.Host(HostFloat64) == nil {
		t.Error("built-in profile lacks a host format")
	}
	if len(p.Serving) != 0 {
		t.Errorf("built-in profile carries serving constants %+v: the step families' committed constants must apply", p.Serving)
	}
	gemv, gemm := p.GEMM(1, 1, 4096, 4096, llm.BF16), p.GEMM(1, 2048, 4096, 4096, llm.BF16)
	if !(gemv > 0 && gemv < gemm && gemm > 0.5 && gemm <= 1) {
		t.Errorf("built-in eta: decode GEMV %g, prefill GEMM %g; want 0 < GEMV < GEMM, GEMM in (0.5, 1]", gemv, gemm)
	}
	q, _ := BuiltinProfile()
	q.Hosts[0].Model.ComputeEff = 0.01
	if r, _ := BuiltinProfile(); r.Hosts[0].Model.ComputeEff == 0.01 {
		t.Error("BuiltinProfile returns shared state")
	}
}

// TestImportedRowsCheckedOnLoad: a saved profile's imported rows get the
// checks calibrate import gives them. A hand-edited seconds of -1 loaded
// and the run then failed blaming the step constants ("decode step would
// take +Inf s"); seconds 0 ran silently.
func TestImportedRowsCheckedOnLoad(t *testing.T) {
	for _, tt := range []struct {
		name string
		edit func(c *ImportedCalibration)
		want string // "" for a profile that loads
	}{
		{"as imported", func(c *ImportedCalibration) {}, ""},
		{"negative seconds", func(c *ImportedCalibration) { c.Measurements[0].Seconds = -1 }, "imported[0] (Trainium2 bf16): measurements[0]: seconds -1 must be a positive number"},
		{"zero seconds", func(c *ImportedCalibration) { c.Measurements[1].Seconds = 0 }, "measurements[1]: seconds 0 must be a positive number"},
		{"implausibly slow", func(c *ImportedCalibration) { c.Measurements[2].Seconds = 1e300 }, "measurements[2]: seconds 1e+300 is implausibly slow"},
		{"faster than peak", func(c *ImportedCalibration) { c.Measurements[0].Seconds = 1e-12 }, "measurements[0]: seconds 1e-12 is faster than the device's peak allows"},
		{"m zero", func(c *ImportedCalibration) { c.Measurements[0].M = 0 }, "measurements[0]: batch 1, m 0, n 4096, k 4096: each must be >= 1"},
		{"batch zero", func(c *ImportedCalibration) { c.Measurements[2].Batch = 0 }, "measurements[2]: batch 0, m 1, n 4096, k 4096: each must be >= 1"},
		{"negative k", func(c *ImportedCalibration) { c.Measurements[1].K = -4 }, "each must be >= 1"},
		{"unknown chip", func(c *ImportedCalibration) { c.Chip = "Nope" }, `imported[0] (Nope bf16): chip: unknown chip "Nope"`},
		{"unknown dtype", func(c *ImportedCalibration) { c.DType = "fp5" }, `dtype "fp5": Trainium2 has no catalogued peak for it`},
		// calibrate import refuses a repeated shape; a hand-merged profile
		// carried two timings of one shape and the first silently won.
		{"duplicate shape", func(c *ImportedCalibration) {
			c.Measurements = append(c.Measurements, Measurement{Batch: 1, M: 1024, N: 4096, K: 4096, Seconds: 700e-6})
		}, "measurements[3]: bf16 1x(1024x4096x4096) repeats measurements[1] (one timing per shape)"},
		// The stored figures convert the times to efficiencies, which are
		// priced at the catalog's: a differing one rescaled every timing.
		{"peak edited", func(c *ImportedCalibration) { c.PeakFLOPSPerS = 1e30 },
			"peak_flops_per_s 1e+30 FLOP/s is not the catalog's Trainium2 bf16 peak per device, 1.6675e+14 FLOP/s"},
		{"bandwidth edited", func(c *ImportedCalibration) { c.BytesPerS = 362e9 },
			"bytes_per_s 3.62e+11 B/s is not the catalog's Trainium2 HBM bandwidth per device, 7.25e+11 B/s"},
		// %.6g printed an edit past the sixth digit as the catalog's own
		// figure ("9.89e+14 is not the catalog's 9.89e+14").
		{"peak edited past the sixth digit", func(c *ImportedCalibration) { c.PeakFLOPSPerS = 1.66750001e14 },
			"peak_flops_per_s 1.66750001e+14 FLOP/s is not the catalog's Trainium2 bf16 peak per device, 1.6675e+14 FLOP/s: " +
				"the timings are turned into efficiencies with the stored figure and priced at the catalog's, so they would no longer be reproduced; " +
				"set it back to 1.6675e+14 or"},
		{"peak rounded in the last digit", func(c *ImportedCalibration) { c.PeakFLOPSPerS *= 1 + 1e-12 }, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := testProfile(time.Now())
			tt.edit(&p.Imported[0])
			path, err := loadWritten(t, p)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("want it to load: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path)):
				t.Fatalf("got %v, want an error naming %s and %q", err, path, tt.want)
			}
		})
	}
}

// TestDuplicateCalibrationsRefused: a profile with two calibrations of one
// host dtype (or chip and dtype, or serving family) loaded, and the first
// silently won; the error names the file and the duplicate.
func TestDuplicateCalibrationsRefused(t *testing.T) {
	for _, tt := range []struct {
		name string
		edit func(p *Profile)
		want string
	}{
		{"two float32 hosts", func(p *Profile) { p.Hosts = append(p.Hosts, p.Hosts[0]) },
			"profile hosts[2]: a second float32 host calibration (hosts[0] is one); keep one per dtype"},
		{"two imported, chip in another case", func(p *Profile) {
			c := p.Imported[0]
			c.Chip = strings.ToLower(c.Chip)
			p.Imported = append(p.Imported, c)
		}, "profile imported[1]: a second trainium2 bf16 calibration (imported[0] is one)"},
		{"two serving sets of a family", func(p *Profile) { p.Serving = append(p.Serving, p.Serving[0]) },
			"profile serving[1]: a second set of " + StepNeuronV3 + " serving constants (serving[0] is one)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := testProfile(time.Now())
			tt.edit(p)
			path, err := loadWritten(t, p)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("got %v, want an error naming %s and %q", err, path, tt.want)
			}
		})
	}
}

// loadWritten writes p to a profile file and loads it back: its path and
// LoadProfile's error.
func loadWritten(t *testing.T, p *Profile) (string, error) {
	t.Helper()
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadProfile(path)
	return path, err
}

// TestDecodeProfileUnknownKeys: a key the format lacks is refused, named
// with where it is. Ignored, a typo'd "seconds" in a hand-edited row loaded
// as 0. Legacy serving entries (two-constant model) still load, dropped.
func TestDecodeProfileUnknownKeys(t *testing.T) {
	good := string(mustJSON(t, rawProfile(t)))
	for _, tt := range []struct {
		name, old, new string
		want           string // "" for a profile that loads
	}{
		{"as saved", "", "", ""},
		{"top-level key", `"version":`, "\n  \"future_field\": 1,\n\"version\":", `unknown key "future_field" at line 2 col 3`},
		{"typo in a host measurement", `"seconds":`, `"s}}}econds":`, `unknown key "s}}}econds" at line 1 col `},
		{"key in a serving entry", `"prefill_s":`, `"prefil_s":1,"prefill_s":`, `unknown key "prefil_s"`},
		{"legacy serving entry", `"serving":[`, `"serving":[{"family":"neuron","overhead_s":0.01,"bw_frac":0.5,"source":"old"},`, ""},
		{"data after the profile", "", "", "data after the closing brace"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := good
			if tt.old != "" {
				if !strings.Contains(data, tt.old) {
					t.Fatalf("test profile has no %s", tt.old)
				}
				data = strings.Replace(data, tt.old, tt.new, 1)
			}
			if tt.name == "data after the profile" {
				data += "}"
			}
			p, err := DecodeProfile([]byte(data))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("want it to load: %v", err)
			case tt.want == "" && len(p.Serving) != 1:
				t.Errorf("serving = %+v, want the one step-family entry (legacy ones dropped)", p.Serving)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

// TestEmbeddedProfilesLoad: every profile shipped in hw/profiles decodes
// under the strict rules (no unknown key, host rows within their checks).
func TestEmbeddedProfilesLoad(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("profiles", "*.json"))
	if err != nil || !slices.Contains(paths, filepath.Join("profiles", "builtin.json")) {
		t.Fatalf("profiles/*.json = %v, %v; want builtin.json among them", paths, err)
	}
	for _, path := range paths {
		if _, err := LoadProfile(path); err != nil {
			t.Errorf("%v", err)
		}
	}
	if _, err := BuiltinProfile(); err != nil {
		t.Error(err)
	}
}

// TestHostMeasurementsCheckedOnLoad: a saved profile's host rows get the
// checks calibrate's timings pass. Unchecked, seconds -1 loaded and
// `calibrate refit` failed late without naming the file; 1e308 fitted to
// NaN and failed at save.
func TestHostMeasurementsCheckedOnLoad(t *testing.T) {
	for _, tt := range []struct {
		name string
		edit func(h *HostCalibration)
		want string // "" for a profile that loads
	}{
		{"as saved", func(h *HostCalibration) {}, ""},
		{"negative seconds", func(h *HostCalibration) { h.Measurements[0].Seconds = -1 }, "profile hosts[0].measurements[0].seconds: -1 must be a positive number"},
		{"zero seconds", func(h *HostCalibration) { h.Measurements[1].Seconds = 0 }, "hosts[0].measurements[1].seconds: 0 must be a positive number"},
		{"implausibly slow", func(h *HostCalibration) { h.Measurements[0].Seconds = 1e308 }, "hosts[0].measurements[0].seconds: 1e+308 is implausibly slow"},
		{"faster than the peak", func(h *HostCalibration) { h.Measurements[1].Seconds = 1e-300 }, "hosts[0].measurements[1].seconds: 1e-300 is faster than the host's peak allows"},
		{"at the peak", func(h *HostCalibration) { h.Measurements[1].Seconds = 2 * 64 * 768 * 768 / h.PeakFLOPSPerS }, ""},
		{"m zero", func(h *HostCalibration) { h.Measurements[0].M = 0 }, "hosts[0].measurements[0]: batch 1, m 0, n 256, k 256: each must be >= 1"},
		{"negative batch", func(h *HostCalibration) { h.Measurements[1].Batch = -1 }, "each must be >= 1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := testProfile(time.Now())
			tt.edit(&p.Hosts[0])
			path, err := loadWritten(t, p)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("want it to load: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path)):
				t.Fatalf("got %v, want an error naming %s and %q", err, path, tt.want)
			}
		})
	}
}
