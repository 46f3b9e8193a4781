package hw

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aiecon/model/llm"
)

// describedProfile is the built-in profile with an imported Trainium2 bf16
// calibration of n shapes and the float32 held-out error mape.
func describedProfile(t *testing.T, n int, mape float64) *Profile {
	t.Helper()
	b, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	p := *b
	p.Hosts = append([]HostCalibration(nil), b.Hosts...)
	p.Host(HostFloat32).HeldOutMAPE = mape
	if n > 0 {
		ic := ImportedCalibration{Chip: "Trainium2", DType: llm.BF16, PeakFLOPSPerS: 166.75e12, BytesPerS: 725e9, Source: "t.csv, imported 2026-01-02T03:04:05Z"}
		for i := range n {
			ic.Measurements = append(ic.Measurements, Measurement{Batch: 1, M: 1 << i, N: 1024, K: 1024, Seconds: 1e-4})
		}
		p.Imported = []ImportedCalibration{ic}
	}
	return &p
}

// TestProfileSummaryAndCaveats: what a run's report says of its profile:
// the host fit and its held-out error, each device calibration with its
// shapes and whether this run's chips use it; a thin import of a chip the
// run uses and a poor host fit are warned of, a thin import of another
// chip and a good profile are not.
func TestProfileSummaryAndCaveats(t *testing.T) {
	tests := []struct {
		name        string
		p           *Profile
		chips       []string
		uses        []GEMMUse // the run's GEMM formats (nil: unknown)
		summary     []string
		caveats     []string // each a substring of one caveat, in order
		summaryLack string
	}{
		{"thin import used", describedProfile(t, 1, 0.06), []string{"trainium2"}, []GEMMUse{{"trainium2", llm.BF16, false}},
			[]string{"host-measured: float32 GEMMs", "held-out MAPE 6.0%", "device timings: Trainium2 bf16 GEMMs priced by 1 imported shape (t.csv, imported 2026-01-02T03:04:05Z, used by this run's bf16 GEMMs)"},
			[]string{"THIN DEVICE CALIBRATION: only 1 imported shape for Trainium2 bf16 (t.csv"}, ""},
		{"thin import of another chip", describedProfile(t, 3, 0.06), []string{"H100"}, []GEMMUse{{"H100", llm.BF16, false}},
			[]string{"priced by 3 imported shapes", "not a chip of this run"}, nil, "used by this run"},
		{"enough shapes", describedProfile(t, ThinImport, 0.06), []string{"Trainium2"}, nil,
			[]string{"priced by 16 imported shapes", "(t.csv, imported 2026-01-02T03:04:05Z, a chip of this run)"}, nil, "used by"},
		// fp16 runs at the bf16 peak on Trainium2, so bf16 timings price it;
		// fp8 GEMMs do not use them, and the summary said "used" anyway.
		{"fp16 priced by the bf16 timings", describedProfile(t, ThinImport, 0.06), []string{"Trainium2"}, []GEMMUse{{"Trainium2", llm.FP16, false}},
			[]string{"used by this run's fp16 GEMMs, fp16 priced by the bf16 timings as Trainium2 runs both at one peak)"}, nil, ""},
		{"fp8 run", describedProfile(t, ThinImport, 0.06), []string{"Trainium2"}, []GEMMUse{{"Trainium2", llm.FP8, false}},
			[]string{"(t.csv, imported 2026-01-02T03:04:05Z, not used: this run's Trainium2 GEMMs multiply in fp8)"}, nil, "used by"},
		// W8A8: the GEMMs multiply in fp8, the attention core in bf16, which
		// the bf16 timings price (the summary said "not used").
		{"fp8 GEMMs, bf16 attention", describedProfile(t, ThinImport, 0.06), []string{"Trainium2"},
			[]GEMMUse{{"Trainium2", llm.FP8, false}, {"Trainium2", llm.BF16, true}},
			[]string{"(t.csv, imported 2026-01-02T03:04:05Z, used by this run's bf16 attention, not its fp8 GEMMs)"}, nil, "not used"},
		{"bf16 GEMMs and fp16 attention", describedProfile(t, ThinImport, 0.06), []string{"Trainium2"},
			[]GEMMUse{{"Trainium2", llm.BF16, false}, {"Trainium2", llm.FP16, true}},
			[]string{"used by this run's bf16 GEMMs and fp16 attention, fp16 priced by the bf16 timings"}, nil, "not used"},
		{"host only, poorly fitted", describedProfile(t, 0, 1.37), []string{"Trainium2"}, nil,
			[]string{"held-out MAPE 137.0%"}, []string{"POORLY FITTED CALIBRATION: the profile's float32 host fit misses its held-out shapes by 137% (mean absolute error, past the 30% bound)"}, "device timings:"},
		{"host only, at the bound", describedProfile(t, 0, PoorFitMAPE), []string{"Trainium2"}, nil, []string{"held-out MAPE 30.0%"}, nil, ""},
	}
	for _, tt := range tests {
		s := tt.p.Summary(tt.chips, tt.uses)
		for _, w := range tt.summary {
			if !strings.Contains(s, w) {
				t.Errorf("%s: summary %q lacks %q", tt.name, s, w)
			}
		}
		if tt.summaryLack != "" && strings.Contains(s, tt.summaryLack) {
			t.Errorf("%s: summary %q says %q", tt.name, s, tt.summaryLack)
		}
		cs := tt.p.Caveats(tt.chips)
		if len(cs) != len(tt.caveats) {
			t.Errorf("%s: caveats %q, want %d", tt.name, cs, len(tt.caveats))
			continue
		}
		for i, w := range tt.caveats {
			if !strings.Contains(cs[i], w) {
				t.Errorf("%s: caveat %q lacks %q", tt.name, cs[i], w)
			}
		}
	}
}

// TestNewestFitProfile: --calibration latest takes the newest profile
// within PoorFitMAPE, naming the newer ones it passed over; where every
// one is poor it fails naming the newest, and with none it is ErrNoProfile.
func TestNewestFitProfile(t *testing.T) {
	dir := t.TempDir()
	if _, _, _, err := NewestFitProfile(dir); !errors.Is(err, ErrNoProfile) {
		t.Fatalf("empty directory: %v, want ErrNoProfile", err)
	}
	save := func(mape float64, at time.Time) string {
		p := describedProfile(t, 0, mape)
		p.Created = at
		path, err := SaveProfile(dir, p)
		if err != nil {
			t.Fatal(err)
		}
		return path
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	poor := save(1.37, t0)
	if _, _, passed, err := NewestFitProfile(dir); err == nil || !strings.Contains(err.Error(), "every calibration profile in "+dir+" misses its held-out shapes by more than 30%") ||
		len(passed) != 0 || !strings.Contains(err.Error(), filepath.Base(poor)+" (held-out MAPE 137%)") {
		t.Errorf("only a poor profile: %v (passed %v); want an error naming it", err, passed)
	}
	good := save(0.06, t0.Add(time.Hour))
	newer := save(0.75, t0.Add(2*time.Hour))
	_, path, passed, err := NewestFitProfile(dir)
	if err != nil || path != good || len(passed) != 1 || passed[0] != newer+" (held-out MAPE 75%)" {
		t.Errorf("got %s, passed %v, %v; want %s, passing over %s", path, passed, err, good, newer)
	}
}

// TestHostTimedSurvivesCopies: the summary dates the host fit by when its
// shapes were timed. It printed Created, which every import, refit and
// fit --save resets, so a profile imported onto the built-in one on
// 2026-12-07 said its host GEMMs were timed that day (they were timed on
// 2026-11-25), and so did every later copy of it.
func TestHostTimedSurvivesCopies(t *testing.T) {
	b, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	timed := b.Created.UTC().Format(time.DateOnly)
	imported := b.Successor(time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC))
	again := imported.Successor(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))
	path, err := SaveProfile(t.TempDir(), again)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*Profile{"built-in": b, "one copy": imported, "a copy of a copy, saved and loaded": loaded} {
		if s := p.Summary(nil, nil); !strings.Contains(s, "(2 cores) "+timed+",") {
			t.Errorf("%s: summary %q does not date the host timings %s", name, s, timed)
		}
	}
	if b.Hosts[0].Timed != (time.Time{}) {
		t.Error("Successor changed the profile it copies")
	}
}
