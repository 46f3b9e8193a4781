package kernels

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"aiecon/hw"
)

// Options configures Calibrate. Zero fields take the documented defaults.
type Options struct {
	// Grid is the shapes to time (default FullGrid).
	Grid []Shape
	// DTypes are the host formats to calibrate (default float32 and float64).
	// float32 is required: it is the one the transfer assumption uses.
	DTypes []HostDType
	// Passes is how many times the grid is timed, each pass in a fresh random
	// order; a shape keeps its fastest pass (default 2). On a shared machine
	// another process slows whole stretches of a pass, and the fastest of
	// two passes in different orders is much less often the slowed one.
	Passes int
	// Timing controls each grid shape's timing (defaults: TimingOptions, with
	// a 0.5 s budget per shape).
	Timing TimingOptions
	// ProbeTiming controls the roofline probes (defaults: TimingOptions).
	ProbeTiming TimingOptions
	// PeakSizes are the square sizes ProbePeak tries (default DefaultPeakSizes).
	PeakSizes []int
	// TriadBytes is the size of each triad array (default: a third of 4 x
	// the L3 size, at least DefaultTriadBytes and at most 512 MiB;
	// DefaultTriadBytes when the L3 size is unknown).
	TriadBytes int64
	// ColdBytes is how much memory each shape cycles through so that its
	// inputs come from DRAM (default: 4 x the L3 size, at least 64 MiB and
	// at most 2 GiB; 128 MiB when the L3 size is unknown).
	ColdBytes int64
	// HoldOutFrac is the fraction of shapes kept out of the fit (default 0.2).
	HoldOutFrac float64
	// Seed seeds the operand values, the pass orders and the hold-out split (default 1).
	Seed uint64
	// Command and Note are recorded in the profile.
	Command, Note string
	// Progress, if set, is called before each step and once per phase.
	Progress func(Progress)
}

// Progress reports Calibrate's advance: Done of Total steps (one per probe
// and per grid shape per pass), the phase, and a one-line message when a
// phase starts or ends.
type Progress struct {
	Phase       string // "probe", "grid", "fit", "serving"
	DType       HostDType
	Done, Total int
	Shape       Shape  // the shape about to be timed (grid phase)
	Message     string // set once per phase, empty on per-step calls
}

// QuickOptions is the --quick calibration: QuickGrid, one pass, short
// budgets, small probes. It runs in under a minute even on a busy 2-core
// machine (about 15 s on a quiet one, both formats).
func QuickOptions() Options {
	return Options{
		Grid:        QuickGrid(),
		Passes:      1,
		Timing:      TimingOptions{Warmup: 1, MinReps: 3, MaxReps: 10, Budget: 100 * time.Millisecond, MinSample: time.Millisecond},
		ProbeTiming: TimingOptions{Warmup: 1, MinReps: 3, MaxReps: 10, Budget: 300 * time.Millisecond},
		PeakSizes:   []int{384, 512},
		TriadBytes:  32 << 20,
		ColdBytes:   64 << 20,
	}
}

// Caps on the probe sizes taken from the L3. A VM can report its host
// socket's L3 (480 MiB on one), which its own share of the cache is far
// from, and 4 x that is 1.9 GiB per format; the caps keep both the triad
// (3 x 512 MiB) and the rotation within a small machine's memory, and still
// 3x and 4x past such an L3.
const (
	maxTriadBytes = 512 << 20
	maxColdBytes  = 2 << 30
)

func (o Options) withDefaults(m hw.Machine) Options {
	if len(o.Grid) == 0 {
		o.Grid = FullGrid()
	}
	if len(o.DTypes) == 0 {
		o.DTypes = HostDTypes
	}
	if o.Passes <= 0 {
		o.Passes = 2
	}
	if o.Timing.Budget == 0 {
		o.Timing.Budget = 500 * time.Millisecond
	}
	if o.TriadBytes <= 0 {
		// Three arrays that together span 4 x the L3, as the rotation does,
		// so the bandwidth the host efficiencies are defined against is DRAM's.
		o.TriadBytes = DefaultTriadBytes
		if m.L3Bytes > 0 {
			o.TriadBytes = min(max((4*m.L3Bytes+2)/3, DefaultTriadBytes), maxTriadBytes)
		}
	}
	if o.ColdBytes <= 0 {
		o.ColdBytes = 128 << 20
		if m.L3Bytes > 0 {
			o.ColdBytes = min(max(4*m.L3Bytes, 64<<20), maxColdBytes)
		}
	}
	if o.HoldOutFrac <= 0 {
		o.HoldOutFrac = 0.2
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// Calibrate runs the probes and the grid in every requested format, fits
// the efficiency model per format, and fits the serving constants of every
// family with published points using the new efficiency. It returns a
// complete, validated profile, or an error and no profile: a cancelled
// context stops it between two timings and nothing is returned half-done.
func Calibrate(ctx context.Context, opt Options) (*hw.Profile, error) {
	machine := DescribeMachine()
	opt = opt.withDefaults(machine)
	if !slices.Contains(opt.DTypes, Float32) {
		return nil, fmt.Errorf("calibrate: float32 must be among the formats (%v): the transfer assumption uses it", opt.DTypes)
	}
	for _, s := range opt.Grid {
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("calibrate: grid: %w", err)
		}
	}
	p := &hw.Profile{
		Version: hw.ProfileVersion,
		Created: time.Now().UTC(),
		Command: opt.Command,
		Note:    opt.Note,
		Machine: machine,
	}
	total := len(opt.DTypes) * (2 + opt.Passes*len(opt.Grid))
	done := 0
	report := func(pr Progress) {
		if opt.Progress != nil {
			pr.Done, pr.Total = done, total
			opt.Progress(pr)
		}
	}
	ar := NewArena(opt.Seed)
	for _, dt := range opt.DTypes {
		h, err := calibrateHost(ctx, ar, dt, opt, &done, report)
		if err != nil {
			return nil, err
		}
		h.Timed = p.Created // the shapes were timed from now on, whatever later copies say
		p.Hosts = append(p.Hosts, h)
	}
	// The step families' serving constants are not refitted here: they are
	// fitted to the public measurement files with `aiecon hw fit`, which a
	// calibration run does not have (docs/calibration.md).
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("calibrate: %w", err)
	}
	return p, nil
}

func calibrateHost(ctx context.Context, ar *Arena, dt HostDType, opt Options, done *int, report func(Progress)) (hw.HostCalibration, error) {
	h := hw.HostCalibration{DType: string(dt)}
	report(Progress{Phase: "probe", DType: dt, Message: fmt.Sprintf("%s: probing peak GEMM rate and triad bandwidth", dt)})
	peak, err := ProbePeak(ctx, ar, dt, opt.PeakSizes, opt.ProbeTiming)
	if err != nil {
		return h, err
	}
	*done++
	report(Progress{Phase: "probe", DType: dt})
	bw, err := ProbeBandwidth(ctx, dt, opt.TriadBytes, opt.ProbeTiming)
	if err != nil {
		return h, err
	}
	*done++
	h.PeakFLOPSPerS, h.BytesPerS = peak.FLOPSPerS, bw.BytesPerS
	report(Progress{Phase: "grid", DType: dt, Message: fmt.Sprintf("%s: peak %.1f GFLOP/s (%d^3), triad %.1f GB/s; timing %d shapes x %d pass(es)",
		dt, peak.FLOPSPerS/1e9, peak.Size, bw.BytesPerS/1e9, len(opt.Grid), opt.Passes)})

	best := make([]Timing, len(opt.Grid))
	dropped := 0
	rng := rand.New(rand.NewPCG(opt.Seed, 0x6f72646572)) // "order"
	for range opt.Passes {
		for _, i := range rng.Perm(len(opt.Grid)) {
			s := opt.Grid[i]
			report(Progress{Phase: "grid", DType: dt, Shape: s})
			w, err := ar.Workload(s, dt, opt.ColdBytes)
			if err != nil {
				return h, err
			}
			t, err := Measure(ctx, w.Run, opt.Timing)
			if err != nil {
				return h, fmt.Errorf("calibrate %s %v: %w", dt, s, err)
			}
			dropped += t.Dropped
			if better(t, best[i]) {
				best[i] = t
			}
			*done++
		}
	}
	contended := 0
	for i, s := range opt.Grid {
		h.Measurements = append(h.Measurements, hw.Measurement{
			Batch: s.Batch, M: s.M, N: s.N, K: s.K, Seconds: best[i].MedianS, Spread: best[i].Spread, Contended: best[i].Contended,
		})
		if best[i].Contended {
			contended++
		}
	}
	report(Progress{Phase: "fit", DType: dt, Message: fmt.Sprintf("%s: %d samples dropped as slowed by other processes, %d shapes without a clean sample; fitting the efficiency model to %d shapes, %.0f%% held out",
		dt, dropped, contended, len(opt.Grid), 100*opt.HoldOutFrac)})
	if err := fitHostCalibration(&h, opt.HoldOutFrac, opt.Seed); err != nil {
		return h, err
	}
	return h, nil
}

// better reports whether timing a should replace b as a shape's result: a
// clean timing beats a contended one, then the faster wins.
func better(a, b Timing) bool {
	switch {
	case b.MedianS == 0:
		return true
	case a.Contended != b.Contended:
		return !a.Contended
	}
	return a.MedianS < b.MedianS
}

// fitHostCalibration raises the peak to the fastest grid shape if one beat
// the probe, then fits the model (FitHost).
//
// The peak is the ceiling efficiencies are measured against, so it must be
// the best GEMM rate the host showed, whichever run showed it: on a shared
// machine the probe's few seconds can be slowed by another process while a
// grid shape ran in a quiet moment, and a peak below an achieved rate would
// put efficiencies above 1.
func fitHostCalibration(h *hw.HostCalibration, holdOutFrac float64, seed uint64) error {
	for _, m := range h.Measurements {
		rate := 2 * float64(m.Batch) * float64(m.M) * float64(m.N) * float64(m.K) / m.Seconds
		h.PeakFLOPSPerS = max(h.PeakFLOPSPerS, rate)
	}
	_, err := FitHost(h, holdOutFrac, seed)
	return err
}

// Refit fits every host calibration of p again from its stored
// measurements (with a new seeded hold-out split), refits the serving
// constants with the result, and returns the new profile, created now. p is
// not modified. Use it after changing the fit, or to try another split.
func Refit(p *hw.Profile, holdOutFrac float64, seed uint64, note string) (*hw.Profile, error) {
	if holdOutFrac <= 0 {
		holdOutFrac = 0.2
	}
	np := *p.Successor(time.Now().UTC()) // the hosts keep when they were timed
	np.Note = note
	for i, h := range np.Hosts {
		h.Measurements = slices.Clone(h.Measurements)
		if err := fitHostCalibration(&h, holdOutFrac, seed); err != nil {
			return nil, err
		}
		np.Hosts[i] = h
	}
	if err := np.Validate(); err != nil {
		return nil, fmt.Errorf("refit: %w", err)
	}
	return &np, nil
}
