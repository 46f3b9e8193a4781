package runner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/model"
	"aiecon/sim"
)

// Calibration is what prices operations for a scenario's chip: a profile's
// efficiency and, when it has them, its serving constants.
type Calibration struct {
	Eff     hw.Efficiency // the main pool's chip's
	Serving *hw.Serving   // the main pool's family's, if the profile fitted them
	Profile *hw.Profile   // every pool's, by its chip (sim.Config.Profile)
	Source  string        // hw.BuiltinProfileSource or the profile's path
	// Digest is hw.ProfileDigest of the file at Source as it was read
	// ("" for the built-in profile): the stored run records it, since the
	// file can be replaced at its path.
	Digest string
}

// LoadCalibration loads the profile the scenario names
// (hardware.calibration), else the built-in one: a profile calibrated on this
// host later never changes a run that did not ask for it.
func LoadCalibration(sc *model.Scenario) (Calibration, error) {
	inst, err := hw.InstanceByName(sc.Fleet.Instance)
	if err != nil {
		return Calibration{}, &InputError{Err: err}
	}
	chip, err := inst.ChipSpec()
	if err != nil {
		return Calibration{}, err
	}
	p, source, digest, err := scenarioProfile(sc)
	if err != nil {
		return Calibration{}, err
	}
	c := Calibration{Eff: p.ForChip(chip.Name), Profile: p, Source: source, Digest: digest}
	if s, ok := p.ServingFor(chip.StepFamily); ok {
		c.Serving = &s
	}
	return c, nil
}

// ScenarioChips are the chips a scenario's fleets run on, its main fleet's
// first, each once: those a profile's imported device timings can price
// (hw.Profile.Summary, Caveats). An unknown instance is left out (loading
// the scenario names it).
func ScenarioChips(sc *model.Scenario) []string {
	instances := []string{sc.Fleet.Instance}
	for _, pl := range sc.Pools {
		instances = append(instances, pl.Fleet.Instance)
	}
	return InstanceChips(instances)
}

// ScenarioGEMMUses are the chips a scenario's fleets run on with the
// formats their GEMMs multiply in there (the step family's resident
// shard's compute formats), then the formats only their attention core
// multiplies in (the activations', marked Attention), each once: what a
// profile's summary says its imported timings price (hw.Profile.Summary).
// It left attention out, so with fp8 weights the summary called bf16
// timings "not used" by a run they priced. An unknown instance is left
// out, as in ScenarioChips.
func ScenarioGEMMUses(sc *model.Scenario) []hw.GEMMUse {
	type fleet struct {
		f *model.Fleet
		m model.ModelRef
	}
	fleets := []fleet{{&sc.Fleet, sc.Model}}
	for i := range sc.Pools {
		fleets = append(fleets, fleet{&sc.Pools[i].Fleet, sc.Pools[i].Model})
	}
	var uses []hw.GEMMUse
	for _, fl := range fleets {
		inst, err := hw.InstanceByName(fl.f.Instance)
		if err != nil {
			continue
		}
		chip, err := inst.ChipSpec()
		if err != nil {
			continue
		}
		arch, _ := fl.m.Arch() // an unknown model: priced as dense
		sh, err := hw.ResidentShard(chip, sc.ShardOf(fl.f, arch))
		if err != nil {
			continue
		}
		uses = appendUse(uses, hw.GEMMUse{Chip: chip.Name, DType: sh.ComputeDType()})
		if arch.IsMoE() {
			uses = appendUse(uses, hw.GEMMUse{Chip: chip.Name, DType: sh.ExpertComputeDType()})
		}
		// The attention core multiplies in the activations' format
		// (model/llm OpAttention), priced by the GEMM efficiency too: with
		// fp8 weights, bf16 timings price it.
		uses = appendUse(uses, hw.GEMMUse{Chip: chip.Name, DType: sh.Activations, Attention: true})
	}
	// A format a fleet's GEMMs use needs no mention as another's attention.
	var out []hw.GEMMUse
	for _, u := range uses {
		if !u.Attention || !slices.Contains(uses, hw.GEMMUse{Chip: u.Chip, DType: u.DType}) {
			out = append(out, u)
		}
	}
	return out
}

// appendUse appends u to uses unless uses holds it.
func appendUse(uses []hw.GEMMUse, u hw.GEMMUse) []hw.GEMMUse {
	if slices.Contains(uses, u) {
		return uses
	}
	return append(uses, u)
}

// InstanceChips are the chips of the named instance types, in their order,
// each once; an unknown instance is left out. validate's header describes
// its profile for the chips of its rows' instances with them.
func InstanceChips(instances []string) []string {
	var chips []string
	for _, name := range instances {
		inst, err := hw.InstanceByName(name)
		if err != nil {
			continue
		}
		if chip, err := inst.ChipSpec(); err == nil && !slices.Contains(chips, chip.Name) {
			chips = append(chips, chip.Name)
		}
	}
	return chips
}

// scenarioProfile is the profile a scenario names, with its path and
// digest, or the built-in one.
func scenarioProfile(sc *model.Scenario) (*hw.Profile, string, string, error) {
	if path := sc.Hardware.Calibration; path != "" {
		p, digest, err := hw.LoadProfileDigest(path)
		if err != nil {
			return nil, "", "", &InputError{Err: fmt.Errorf("hardware.calibration: %w", err)}
		}
		return p, path, digest, nil
	}
	p, err := hw.BuiltinProfile()
	if err != nil {
		return nil, "", "", err
	}
	return p, hw.BuiltinProfileSource, "", nil
}

// used is what the stored run records of the profile that priced it
// (zero for the built-in one): a replaced file no longer says.
func (c *Calibration) used(sc *model.Scenario) data.CalibrationUsed {
	if c.Digest == "" || c.Profile == nil {
		return data.CalibrationUsed{}
	}
	return data.CalibrationUsed{SHA256: c.Digest, Created: c.Profile.Created,
		Summary: c.Profile.Summary(ScenarioChips(sc), ScenarioGEMMUses(sc))}
}

// Options control one run.
type Options struct {
	// Store receives the run; nil runs without storing.
	Store *data.Store
	// Name of the stored run; default the scenario's name.
	Name    string
	Version string // aiecon version recorded with the run
	// Sweep membership (empty SweepID: a standalone run).
	SweepID     string
	SweepPoint  int
	Replication int
	ParamsJSON  string
	// Progress is called from the simulation goroutine.
	Progress func(sim.Progress)
	// Tee also receives every record (e.g. a dashboard showing live windows).
	Tee sim.Sink
	// Registered, if set, is called with the run's id once its row is in
	// the store, before it is simulated: from then on a failure or a
	// cancel leaves the run there as failed, and before it nothing at all
	// (a dashboard says which). Called from Run's goroutine; not for a
	// run not stored.
	Registered func(id string)
	// Calibration overrides LoadCalibration (sweeps load it once).
	Calibration *Calibration
}

// Outcome is a finished run.
type Outcome struct {
	Result      *sim.Result
	RunID       string // "" when not stored
	Wall        time.Duration
	Calibration string
	// Profile is the calibration profile that priced the run, which its
	// report describes (hw.Profile.Summary, Caveats).
	Profile *hw.Profile
}

// Run simulates a loaded scenario, storing it when opts.Store is set. A run
// that fails or is cancelled is marked failed in the store, never complete.
// A run simulated in full whose storing failed returns its Outcome, with no
// RunID, beside the error (Finish).
func Run(ctx context.Context, l *Loaded, opts Options) (*Outcome, error) {
	s, err := Simulate(ctx, l, opts)
	if err != nil {
		return nil, err
	}
	return s.Finish()
}

// Simulated is a run whose simulation has ended and whose records may still
// be on their way into the store; Finish commits it. A sweep worker finishes
// one run while it simulates the next, so that the simulator and DuckDB's
// commit work at the same time.
type Simulated struct {
	out    *Outcome
	writer *data.RunWriter // nil when not stored
}

// Simulate is Run up to the commit: it registers the run, simulates it and
// streams its records into the store. A run that fails or is cancelled is
// marked failed here; one that succeeds is complete only after Finish.
func Simulate(ctx context.Context, l *Loaded, opts Options) (*Simulated, error) {
	cal := opts.Calibration
	if cal == nil {
		c, err := LoadCalibration(l.Scenario)
		if err != nil {
			return nil, err
		}
		cal = &c
	}
	sc := l.Scenario
	budget, err := DefaultBudget() // read before the run is registered: an error leaves nothing "running"
	if err != nil {
		return nil, &InputError{Err: err}
	}
	writer, err := beginRun(ctx, l, opts, cal.used(l.Scenario))
	if err != nil {
		return nil, err
	}
	if writer != nil && opts.Registered != nil {
		opts.Registered(writer.ID())
	}
	var sinks []sim.Sink
	if writer != nil {
		sinks = append(sinks, writer)
	}
	if opts.Tee != nil {
		sinks = append(sinks, opts.Tee)
	}
	est, err := EstimateRun(sc, l.Traces) // checked at load: this only sizes the cap
	if err != nil {
		return nil, &InputError{Err: err}
	}
	cfg := sim.Config{Scenario: sc, Efficiency: cal.Eff, Serving: cal.Serving, Profile: cal.Profile, TraceDir: l.TraceDir, Traces: l.Traces, Progress: opts.Progress,
		MaxRequests: int64(budget.MaxRequests), MaxHeld: int64(max(est.HeldCap(budget), 1))}
	switch len(sinks) {
	case 1:
		cfg.Sink = sinks[0]
	case 2:
		cfg.Sink = sim.Tee(sinks...)
	}
	started := time.Now()
	res, err := simulate(ctx, cfg)
	wall := time.Since(started)
	if err != nil {
		err = overBudget(err, budget, est)
		if writer != nil {
			if errors.Is(err, context.Canceled) && !errors.Is(err, model.ErrInterrupted) {
				err = fmt.Errorf("interrupted: %w", err) // the CLI's context says so itself
			}
			if ferr := writer.Fail(err); ferr != nil {
				err = errors.Join(err, ferr)
			}
		}
		return nil, fmt.Errorf("run %s: %w", sc.Name, err)
	}
	return &Simulated{out: &Outcome{Result: res, Wall: wall, Calibration: cal.Source, Profile: cal.Profile}, writer: writer}, nil
}

// Finish stores what is left of the run's records and marks it complete in
// one transaction (nothing to do for a run not stored). When that fails (a
// full disk) it returns the error and the Outcome too, its RunID empty: the
// simulation's results are whole, and `aiecon run` prints them.
func (s *Simulated) Finish() (*Outcome, error) {
	if s.writer != nil {
		if err := s.writer.Finish(s.out.Wall.Seconds()); err != nil {
			return s.out, fmt.Errorf("storing run %s: %w", s.writer.ID(), err)
		}
		s.out.RunID = s.writer.ID()
	}
	return s.out, nil
}

// DefaultRunName is the name a run of l is stored under when none is
// given: the scenario's name, and the user's overrides in brackets, so that
// runs of one scenario with different overrides tell apart in a list.
func (l *Loaded) DefaultRunName() string {
	if len(l.User) == 0 {
		return l.Scenario.Name
	}
	return l.Scenario.Name + " [" + l.User.String() + "]"
}

// beginRun registers the run in the store ("running"), or returns nil
// without a store.
func beginRun(ctx context.Context, l *Loaded, opts Options, cal data.CalibrationUsed) (*data.RunWriter, error) {
	if opts.Store == nil {
		return nil, nil
	}
	sc := l.Scenario
	name := opts.Name
	if strings.TrimSpace(name) == "" {
		// All spaces reads as no name, as "" does: stored, it listed as a
		// blank that no --name filter could tell apart.
		name = l.DefaultRunName()
	}
	params := opts.ParamsJSON
	if params == "" {
		params = l.Overrides.JSON()
	}
	return opts.Store.BeginRun(ctx, data.RunInfo{Name: name, Description: sc.Description,
		ScenarioYAML: string(l.Given), ResolvedYAML: string(l.Resolved), Seed: sc.Seed, Version: opts.Version,
		HorizonNs: int64(sc.Horizon), RequestSampleRate: sc.Output.RequestSampleRate,
		SweepID: opts.SweepID, SweepPoint: opts.SweepPoint, Replication: opts.Replication, ParamsJSON: params,
		Calibration: cal})
}

// lowerTraffic is the advice to send less traffic: a closed loop has no
// rate, its clients set its load.
func lowerTraffic(e Estimate) string {
	switch {
	case e.Clients > 0 && e.Requests > 0:
		return "lower the open workloads' rates or the closed loops' arrivals.clients"
	case e.Clients > 0:
		return "lower arrivals.clients"
	}
	return "lower the rate"
}

// simulate builds and runs the world. A panic inside the simulator (a bug,
// or an input the load checks missed) becomes this run's error, so that the
// run is stored as failed with the panic's message and a sweep or an
// optimizer carries on with its other runs.
func simulate(ctx context.Context, cfg sim.Config) (res *sim.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("simulator panic: %v (a bug: please report it with the scenario)", p)
		}
	}()
	world, err := sim.New(cfg)
	if err != nil {
		return nil, err
	}
	return world.Run(ctx)
}

// overBudget says what to change when a run stopped at the request budget,
// or at the requests the memory budget lets it hold at once, as an input
// error (exit 2); other errors pass unchanged.
func overBudget(err error, b Budget, e Estimate) error {
	if _, ok := errors.AsType[*sim.HeldCapError](err); ok {
		return &InputError{Err: fmt.Errorf("%w, what the memory budget of %s leaves room for at %.0f bytes a request (%s): "+
			"a fleet that keeps up holds about its batch slots (%.0f here) and a short queue, so this one does not keep up with its traffic: "+
			"add replicas (aiecon optimize sizes the fleet) or %s; or, on a machine with the memory, raise the budget with %s",
			err, bytesText(b.MaxMemoryBytes), max(e.BytesPerHeld, bytesPerRequest), EnvMaxMemory, e.Slots, lowerTraffic(e), EnvMaxMemory)}
	}
	var capped *sim.RequestCapError
	if !errors.As(err, &capped) {
		return err
	}
	return &InputError{Err: fmt.Errorf("%w: past the budget of %.3g requests (%s); a closed loop's request count is known only as it runs: "+
		"shorten the horizon (--horizon), give its clients a think_time, or raise the budget", err, b.MaxRequests, EnvMaxRequests)}
}
