package forecast

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"aiecon/data"
	"aiecon/model"
	kpicat "aiecon/model/kpi"
	"aiecon/runner"
	"aiecon/sim"
	"aiecon/study"
)

// Options control how a forecast runs.
type Options struct {
	Workers int         // parallel runs; default 1
	Store   *data.Store // nil runs without storing
	Version string
	// Shard runs only that shard's periods (shard.go); the zero value runs all.
	Shard study.ShardSpec
	// ID is the id the forecast will be stored under: with a Store, each
	// run it finishes keeps its results under it (forecast_checkpoints),
	// for a resume; "" keeps none.
	ID string
	// Reuse are the results of the runs a stopped forecast finished
	// (Resumed), by job: Execute runs only the other jobs.
	Reuse map[JobKey]RunResult
	// Progress is called after each run, from the worker that finished it.
	Progress func(Progress)
	// Checked is called after each group's scenario is checked, before any
	// run (preflight), with the groups checked and their number: at
	// --samples 1000 that takes minutes, which printed nothing.
	Checked func(done, total int)
}

// Progress is where a forecast's execution stands after a run.
type Progress struct {
	Done, Total int // runs finished, of those this Execute runs (reused ones excluded)
	Reused      int // runs a stopped forecast finished, not run again
	Started     time.Time
	Last        Job           // the run just finished
	Variant     string        // its variant's name
	Wall        time.Duration // how long it took
}

// RunResult is what a forecast keeps of one run: its whole-run KPIs and
// the licensing cost of each workload's sessions.
type RunResult struct {
	Job
	RunID     string
	KPIs      map[string]float64 // whole-run KPIs by name
	Licensing map[string]float64 // USD by workload, from the session records
	// AgentRequestsArrived are the agent workloads' requests that arrived
	// (their sessions' model calls, served or not), over which per-use
	// licensing is counted per request (Period.LicensingPerReq): a call's
	// documents are licensed as it is sent, so one that then times out, is
	// dropped or is abandoned is billed too. Over the completed requests,
	// the same contract read dearer on a fleet whose users gave up more.
	AgentRequestsArrived float64
	// RequestsLostUSD is what the API and batch workloads' requests dropped
	// or timed out would have billed (their revenue_lost_to_latency_usd),
	// which the abandonment note leaves out of the run's (Period.
	// SessionsLostToLatencyUSD).
	RequestsLostUSD float64
	SimHours        float64
	// Unfinished is what the run's agent sessions still running at its end
	// are counted for (unfinishedEstimate).
	Unfinished Unfinished
	// Freshness is the run's mean freshness multiplier on click-through and
	// conversion (sim.MeanFreshness); nil where its scenario has no
	// training block, so that freshness is not modelled.
	Freshness *float64
	// FreshnessInert says the run's training block multiplies nothing it
	// earns (model.Scenario.FreshnessMultiplies false: no ads, no
	// conversion), so its revenue is what it would be without one and
	// FRESHNESS MODELLED IN PART leaves it out, as compare and run's
	// variant comparison do.
	FreshnessInert bool
	// PoolInstances are, by pool of a model mix, the instances the run paid
	// for on average (the pool's model:NAME instances_avg): what an
	// on-demand pool's reservation covers (poolsPaid). Nil without pools.
	PoolInstances map[string]float64
}

// Execute runs every job of the forecast (of opts.Shard) on opts.Workers
// workers, but those opts.Reuse holds, and returns the results in job
// order. The first failure cancels the rest.
func Execute(ctx context.Context, f *Forecast, opts Options) ([]RunResult, error) {
	if err := f.CheckShard(opts.Shard); err != nil {
		return nil, &runner.InputError{Err: err}
	}
	jobs := f.ShardJobs(opts.Shard)
	out := make([]RunResult, len(jobs))
	var todo []int // indexes into jobs of those to run
	for i, j := range jobs {
		if r, ok := opts.Reuse[f.Key(j)]; ok {
			out[i] = r
		} else {
			todo = append(todo, i)
		}
	}
	pending := make([]Job, len(todo))
	for n, i := range todo {
		pending[n] = jobs[i]
	}
	if opts.Store != nil && len(todo) > 0 {
		// Before the preflight, which takes minutes at 1000 samples: a store
		// that takes no run was refused only at the first run, after it.
		if err := opts.Store.CheckTakesRuns(); err != nil {
			return nil, err
		}
	}
	if err := f.preflight(ctx, pending, max(1, opts.Workers), opts.Checked); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		done     int
		cals     study.Calibrations // one load per instance and profile, shared by the workers
	)
	started := time.Now()
	study.Each(ctx, len(todo), min(max(1, opts.Workers), max(len(todo), 1)), func(n int) {
		i := todo[n]
		t0 := time.Now()
		r, err := f.runJob(ctx, jobs[i], opts, cals.Get)
		mu.Lock()
		if err != nil {
			if firstErr == nil {
				firstErr = err
				cancel()
			}
			mu.Unlock()
			return
		}
		out[i] = *r
		done++
		p := Progress{Done: done, Total: len(todo), Reused: len(jobs) - len(todo), Started: started, Last: jobs[i],
			Variant: f.Variants[jobs[i].Variant].Name, Wall: time.Since(t0)}
		mu.Unlock()
		if opts.Progress != nil {
			opts.Progress(p)
		}
	})
	if firstErr != nil {
		return nil, firstErr
	}
	return out, ctx.Err()
}

// preflight loads the scenario of each group's first job (a variant,
// sample and period: its demand, prices, roadmap and contracts) before
// anything runs, so that a period the base scenario cannot take (a growth
// or an elasticity that drives a rate past its limit) is refused up front
// rather than after the periods before it were simulated and stored.
// A slice's own overrides (its hour, its capacity) are checked as it runs.
// The loads run on the forecast's workers; the first group's error (in
// job order) is the one reported, whatever finished first. checked, if
// not nil, is called after each load with the loads done and their number.
func (f *Forecast) preflight(ctx context.Context, jobs []Job, workers int, checked func(done, total int)) error {
	var firsts []Job
	seen := map[int]bool{}
	for _, j := range jobs {
		if !seen[j.Group] {
			seen[j.Group] = true
			firsts = append(firsts, j)
		}
	}
	errs := make([]error, len(firsts))
	var (
		mu   sync.Mutex
		done int
	)
	study.Each(ctx, len(firsts), workers, func(i int) {
		_, errs[i] = f.loadJob(firsts[i])
		if checked == nil {
			return
		}
		mu.Lock() // in order: a bar or a log line never goes back
		defer mu.Unlock()
		done++
		checked(done, len(firsts))
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	return firstNonNil(errs)
}

func firstNonNil(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// decodedBase is the base scenario decoded once for every load of it, as
// runner.LoadOverrides(f.baseName, f.baseSrc, f.baseDir, ...) would load
// it: reading the file, planning the jobs and running them all derive
// their scenarios from it. Preflight loads a job of each group before
// anything runs, tens of thousands under --samples 1000, and each parsed
// the base again, as did each check and plan of a variant or period.
func (f *Forecast) decodedBase() *runner.SourceCheck { return f.decoded }

// loadJob is job j's scenario: the base with the forecast's, the period's
// and the slice's overrides.
func (f *Forecast) loadJob(j Job) (*runner.Loaded, error) {
	ovs, setOf, err := f.jobOverrides(j)
	if err != nil {
		return nil, &runner.InputError{Err: err}
	}
	l, err := f.decodedBase().Load(ovs)
	if err != nil {
		// A roadmap or demand override the base cannot take: the file's fault.
		var ie *runner.InputError
		if errors.As(err, &ie) {
			adviseSets(err, setOf)
			sample := ""
			if f.Spec.MonteCarlo != nil {
				sample = fmt.Sprintf(", sample %d", j.Sample)
			}
			return nil, &runner.InputError{Err: fmt.Errorf("forecast %s, variant %s%s, period %d (its demand from growth, price and elasticity, its roadmap and contracts): %w",
				f.Spec.Name, f.Variants[j.Variant].Name, sample, j.Period, err)}
		}
		return nil, err
	}
	return l, nil
}

// jobOverrides are the forecast's set and then job j's sets, as
// overrides. Those the file writes (the forecast's set, the variant's, its
// roadmap steps so far: where j.Sets starts, periodSets) name their entry
// and line (From), so that an error one causes names it; the forecast's own
// (demand, capacity, the slice's hour) stay as they are. setOf maps each
// From to the set that writes it (variants[0].set).
func (f *Forecast) jobOverrides(j Job) (ovs []model.Override, setOf map[string]string, err error) {
	base, _ := setStrings(f.Spec.Set) // checked in loadBase
	sets := append(base, j.Sets...)
	written := append(entriesOf("set", f.Spec.Set), f.roadmapEntries(f.Variants[j.Variant], j.Period)...)
	ovs, setOf = make([]model.Override, len(sets)), map[string]string{}
	for i, s := range sets {
		o, err := model.ParseOverride(s)
		if err != nil {
			return nil, nil, err
		}
		if i < len(written) && written[i].String() == s {
			o.From = f.entryFrom(written[i])
			setOf[o.From] = written[i].at
		}
		ovs[i] = o
	}
	return ovs, setOf, nil
}

// adviseSets turns, in the errors of err that an entry of the file's sets
// causes (setOf: its From, runner's FieldError.File), advice to --set a
// field into advice to add it to that set: a --set would reach every
// variant, and mends outside the file what its set left out.
func adviseSets(err error, setOf map[string]string) {
	var errs model.Errors
	if !errors.As(err, &errs) {
		return
	}
	for i, e := range errs {
		if at, ok := setOf[e.File]; ok {
			errs[i].Msg = runner.AdviseSet(e, at)
		}
	}
}

// describedJob is job j's scenario as its run stores it: loaded, with the
// job's description, and its resolved YAML (what show --yaml=resolved
// prints) written again with that description.
func (f *Forecast) describedJob(j Job) (*runner.Loaded, error) {
	l, err := f.loadJob(j)
	if err != nil {
		return nil, err
	}
	l.Scenario.Description = f.jobDescription(j, l.Scenario)
	if l.Resolved, err = model.MarshalYAML(l.Scenario); err != nil {
		return nil, err
	}
	return l, nil
}

func (f *Forecast) runJob(ctx context.Context, j Job, opts Options, cal func(*runner.Loaded) (*runner.Calibration, error)) (*RunResult, error) {
	l, err := f.describedJob(j)
	if err != nil {
		return nil, err
	}
	c, err := cal(l)
	if err != nil {
		return nil, err
	}
	lic := &licensingSink{}
	out, err := runner.Run(ctx, l, runner.Options{Store: opts.Store, Name: f.jobName(j), Version: opts.Version,
		Calibration: c, Tee: lic})
	if err != nil {
		return nil, err
	}
	r := &RunResult{Job: j, RunID: out.RunID, KPIs: map[string]float64{}, Licensing: lic.byWorkload,
		SimHours: float64(out.Result.SimNs) / 3.6e12}
	r.addScoped(l.Scenario, out.Result.KPIs)
	r.Unfinished = unfinishedEstimate(l.Scenario, out.Result.KPIs, lic.edges)
	if t := l.Scenario.Training; t != nil {
		fresh := sim.MeanFreshness(t, r.KPIs[kpicat.TrainingRetrainHours], out.Result.SimNs)
		r.Freshness = &fresh
		r.FreshnessInert = !l.Scenario.FreshnessMultiplies()
	}
	if opts.Store != nil && opts.ID != "" {
		// The run is stored: keep it for a resume even if a stop signal
		// came as it finished (one short insert).
		if err := f.saveCheckpoint(context.WithoutCancel(ctx), opts, r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// addScoped keeps the whole-run KPIs and each pool's instances, and adds up the agent workloads'
// requests arrived and what the other workloads lost to latency.
func (r *RunResult) addScoped(sc *model.Scenario, kpis []sim.KPI) {
	agent := map[string]bool{}
	for _, w := range sc.Workloads {
		agent[w.Name] = w.Class == model.ClassAgent
	}
	for _, k := range kpis {
		isAgent, workload := agent[k.Scope]
		pool, isPool := kpicat.ModelOf(k.Scope)
		switch {
		case k.Scope == "":
			r.KPIs[k.Name] = k.Value
		case isPool && k.Name == kpicat.InstancesAvg && pool != sc.MainPoolName():
			if r.PoolInstances == nil {
				r.PoolInstances = map[string]float64{}
			}
			r.PoolInstances[pool] = k.Value
		case !workload:
		case isAgent && k.Name == kpicat.RequestsArrived:
			r.AgentRequestsArrived += k.Value
		case !isAgent && k.Name == kpicat.RevenueLostToLatencyUSD:
			r.RequestsLostUSD += nanZero(k.Value)
		}
	}
}

// licensingSink adds up each workload's licensing cost from the session
// records (the whole-run KPI has only the total), and what its sessions
// say of the run's end (sessionEdge).
type licensingSink struct {
	names      []string
	byWorkload map[string]float64
	edges      map[string]*sessionEdge
}

func (s *licensingSink) Begin(meta sim.RunMeta) error {
	s.byWorkload, s.edges = map[string]float64{}, map[string]*sessionEdge{}
	for _, w := range meta.Workloads {
		s.names = append(s.names, w.Name)
	}
	return nil
}

func (s *licensingSink) Sessions(batch []sim.SessionRecord) error {
	for _, r := range batch {
		name := s.names[r.Workload]
		s.byWorkload[name] += r.LicensingUSD
		if s.edges[name] == nil {
			s.edges[name] = &sessionEdge{}
		}
		s.edges[name].add(r)
	}
	return nil
}

func (s *licensingSink) Requests([]sim.RequestRecord) error { return nil }
func (s *licensingSink) Auctions([]sim.AuctionRecord) error { return nil }
func (s *licensingSink) Windows([]sim.WindowRecord) error   { return nil }
func (s *licensingSink) End(sim.Summary) error              { return nil }

// jobDescription is what a forecast run is, for the runs list: the
// forecast, variant and period, and the fleet the run actually simulates.
// The base scenario's own description names its fleet, which a variant or
// a roadmap step may have replaced (a p5en variant of a trn2 baseline).
func (f *Forecast) jobDescription(j Job, sc *model.Scenario) string {
	v := f.Variants[j.Variant]
	name := sc.Model.Name
	if name == "" {
		if a, err := sc.Model.Arch(); err == nil {
			name = a.Name
		}
	}
	d := fmt.Sprintf("forecast %s, variant %s, period %d: %s on %d x %s", f.Spec.Name, v.Name, j.Period, name, sc.Fleet.Count, sc.Fleet.Instance)
	d += f.ownedPricing(j, sc)
	if v.Description != "" {
		d += " (" + v.Description + ")"
	}
	return d
}

// ownedPricing says what an owned fleet's run pays for its servers: their
// owned cost per server-hour in the period, or, where the run could not
// be priced so (ownedRunPrice), the rental price it pays instead and the
// owned cost the forecast charges, so that the run's cost is not read as
// the owned fleet's. "" for a rented fleet.
func (f *Forecast) ownedPricing(j Job, sc *model.Scenario) string {
	vp := f.Variants[j.Variant]
	if vp.Owned == nil {
		return ""
	}
	if j.OwnedPriced {
		return fmt.Sprintf(" owned at $%.2f a server-hour, the period's depreciation, power, facility and operations", j.OwnedUSDPerHour)
	}
	why := vp.rentedRuns
	// The pricing the forecast's RENT note names (rentPricing), not
	// fleet.pricing alone: a set on-demand price over a base at the
	// Capacity Blocks rate read "(capacity-block)".
	pricing, _ := rentPricing(sc.Fleet, scenarioRent(sc))
	return fmt.Sprintf(" owned, but priced at the rental price (%s) as %s: the forecast charges the owned servers $%.2f a server-hour, not this run's price",
		pricing, why, f.ownedUSDPerHour(vp, j.Period))
}
