package kernels

import (
	"context"
	"errors"
	"testing"
	"time"

	"aiecon/hw"
)

// tinyOptions is a calibration small enough for a unit test (about a second).
func tinyOptions() Options {
	var g []Shape
	for _, m := range []int{1, 4, 16, 64} {
		for _, nk := range []int{64, 128, 256} {
			g = append(g, Shape{Batch: 1, M: m, N: nk, K: nk})
		}
	}
	g = append(g, Shape{Batch: 4, M: 8, N: 256, K: 128}, Shape{Batch: 4, M: 1, N: 512, K: 128})
	t := TimingOptions{Warmup: 1, MinReps: 2, MaxReps: 3, Budget: 20 * time.Millisecond, MinSample: 200 * time.Microsecond}
	return Options{
		Grid: g, Passes: 1, Timing: t, ProbeTiming: t,
		PeakSizes: []int{128}, TriadBytes: 1 << 20, ColdBytes: 1 << 20, Command: "test",
	}
}

func TestCalibrateTiny(t *testing.T) {
	opt := tinyOptions()
	opt.DTypes = []HostDType{Float32}
	var phases []string
	last := Progress{}
	opt.Progress = func(p Progress) {
		if p.Message != "" {
			phases = append(phases, p.Phase)
		}
		if p.Done < last.Done || (last.Total != 0 && p.Total != last.Total) {
			t.Errorf("progress went from %d/%d to %d/%d", last.Done, last.Total, p.Done, p.Total)
		}
		last = p
	}
	p, err := Calibrate(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	h := p.Host(hw.HostFloat32)
	if h == nil || len(h.Measurements) != len(opt.Grid) {
		t.Fatalf("host calibration %+v, want %d measurements", h, len(opt.Grid))
	}
	held := 0
	for _, m := range h.Measurements {
		if !(m.Seconds > 0) {
			t.Errorf("measurement %+v has no time", m)
		}
		if m.HeldOut {
			held++
		}
	}
	if held != 3 { // 20% of 14
		t.Errorf("%d shapes held out of %d, want 3", held, len(h.Measurements))
	}
	if !(h.PeakFLOPSPerS > 1e8 && h.BytesPerS > 1e8) {
		t.Errorf("probes: peak %g FLOP/s, bandwidth %g B/s", h.PeakFLOPSPerS, h.BytesPerS)
	}
	if !(h.HeldOutMAPE >= 0 && h.TrainMAPE >= 0) {
		t.Errorf("MAPE train %g held-out %g", h.TrainMAPE, h.HeldOutMAPE)
	}
	// The step families' constants are fitted by 'aiecon hw fit' to the
	// public measurements, not by a host calibration.
	if len(p.Serving) != 0 {
		t.Errorf("calibration fitted serving constants %+v", p.Serving)
	}
	if want := []string{"probe", "grid", "fit"}; len(phases) != len(want) {
		t.Errorf("phase lines %v, want %v", phases, want)
	}
	if last.Total != 2+len(opt.Grid) || last.Done != last.Total {
		t.Errorf("last progress %d/%d, want %d/%d", last.Done, last.Total, 2+len(opt.Grid), 2+len(opt.Grid))
	}
	if p.Machine.Cores < 1 || p.Machine.GOMAXPROCS < 1 || p.Version != hw.ProfileVersion {
		t.Errorf("machine %+v version %d", p.Machine, p.Version)
	}
}

// TestCalibrateCancel: Ctrl-C in the middle of the grid returns the
// context's error and no profile.
func TestCalibrateCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := tinyOptions()
	opt.Progress = func(p Progress) {
		if p.Phase == "grid" && p.Done == 5 {
			cancel()
		}
	}
	p, err := Calibrate(ctx, opt)
	if !errors.Is(err, context.Canceled) || p != nil {
		t.Errorf("Calibrate after cancel = %v, %v; want nil, context.Canceled", p, err)
	}
}

func TestCalibrateNeedsFloat32(t *testing.T) {
	opt := tinyOptions()
	opt.DTypes = []HostDType{Float64}
	if _, err := Calibrate(context.Background(), opt); err == nil {
		t.Error("calibration without float32 accepted")
	}
	opt = tinyOptions()
	opt.Grid = append(opt.Grid, Shape{Batch: 1, M: 0, N: 1, K: 1})
	if _, err := Calibrate(context.Background(), opt); err == nil {
		t.Error("grid with an empty shape accepted")
	}
}

func TestProbes(t *testing.T) {
	ar := NewArena(1)
	opt := TimingOptions{Warmup: 1, MinReps: 2, MaxReps: 2}
	for _, dt := range HostDTypes {
		pk, err := ProbePeak(context.Background(), ar, dt, []int{32, 96}, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !(pk.FLOPSPerS > 0) || (pk.Size != 32 && pk.Size != 96) {
			t.Errorf("%s peak %+v", dt, pk)
		}
		bw, err := ProbeBandwidth(context.Background(), dt, 1<<20, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !(bw.BytesPerS > 0) || bw.ArrayBytes != 1<<20 {
			t.Errorf("%s bandwidth %+v", dt, bw)
		}
	}
	if _, err := ProbeBandwidth(context.Background(), Float64, 4, opt); err == nil {
		t.Error("a triad array smaller than one element accepted")
	}
}

// TestTriad checks the triad computes a = b + 3c over every element, whatever the split.
func TestTriad(t *testing.T) {
	n := 1001
	a, b, c := make([]float64, n), filled[float64](n, 1), filled[float64](n, 2)
	triad(a, b, c)()
	for i, v := range a {
		if v != 7 {
			t.Fatalf("a[%d] = %g, want 1 + 3*2 = 7", i, v)
		}
	}
}

func TestParseCacheSize(t *testing.T) {
	for in, want := range map[string]int64{"32768K": 32 << 20, "32M": 32 << 20, "1G": 1 << 30, "512": 512, "x": 0, "-1K": 0, "": 0} {
		if got := parseCacheSize(in); got != want {
			t.Errorf("parseCacheSize(%q) = %d, want %d", in, got, want)
		}
	}
	m := DescribeMachine()
	if m.Cores < 1 || m.GOMAXPROCS < 1 || m.CPUModel == "" || m.GoVersion == "" {
		t.Errorf("DescribeMachine = %+v", m)
	}
}
