package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"aiecon/hw"
	"aiecon/model"
	kpicat "aiecon/model/kpi"
	"aiecon/sim/engine"
)

// Config is everything a run needs besides the scenario's own fields.
type Config struct {
	// Scenario must be resolved (model.Load or model.Resolve).
	Scenario *model.Scenario
	// Efficiency prices GEMM shapes; nil uses hw.DefaultEfficiency.
	Efficiency hw.Efficiency
	// Serving overrides the family's default serving constants.
	Serving *hw.Serving
	// Profile, when set, prices each pool by its own chip: its imported
	// device timings (else the profile's host curve) and any serving
	// constants the profile fitted for its family; Efficiency and Serving
	// are then unused. The runner passes the profile the scenario names,
	// else the built-in one, so that a device calibration of one chip
	// never prices another pool's.
	Profile *hw.Profile
	// Sink receives the records; nil discards them (KPIs are still returned).
	Sink Sink
	// TraceDir resolves relative trace paths (the scenario file's folder).
	TraceDir string
	// Traces are traces already read, by the path the scenario gives
	// (runner.Loaded's, read at load): the run replays them rather than
	// reading the files again, which a named pipe could not give twice.
	// It reads any other itself.
	Traces map[string]*Trace
	// Progress is called from the simulation goroutine every few hundred
	// thousand events and at the end.
	Progress func(Progress)
	// MaxRequests, when above 0, stops the run with a *RequestCapError once
	// it has created that many requests: a closed loop's count is known only
	// as it runs (100 clients without think time over 366d would run for
	// hours), where an open workload's is estimated before it starts.
	MaxRequests int64
	// MaxHeld, when above 0, stops the run with a *HeldCapError once more
	// requests than that are in the system at once (queued or running): a
	// fleet that keeps up holds about its batch slots and a short queue
	// however long it runs (the runner's cap is never below them), and
	// one that does not holds every request it is sent until memory runs
	// out, so the runner sizes the cap by its memory budget and needs no
	// worst case over the whole horizon.
	MaxHeld int64
}

// HeldCapError is a run stopped at Config.MaxHeld: its fleet did not keep up.
type HeldCapError struct {
	Held  int64 // requests in the system when it stopped
	SimNs int64 // the simulated time reached
}

func (e *HeldCapError) Error() string {
	return fmt.Sprintf("overloaded: stopped with %d requests held at once (queued or running) at %v of simulated time, "+
		"the cap on requests a run holds", e.Held, model.Duration(e.SimNs/1e6*1e6))
}

// RequestCapError is a run stopped at Config.MaxRequests.
type RequestCapError struct {
	Requests int64 // created when it stopped
	SimNs    int64 // the simulated time reached
}

func (e *RequestCapError) Error() string {
	return fmt.Sprintf("stopped after %d requests at %v of simulated time, the cap on requests per run", e.Requests, model.Duration(e.SimNs/1e6*1e6))
}

// Progress reports how far a run has come.
type Progress struct {
	SimNs, HorizonNs int64
	Events           uint64
	Completed        int64
}

// Result is what Run returns: the KPIs and totals that also went to the sink.
type Result struct {
	Meta      RunMeta
	KPIs      []KPI
	Latencies []LatencySketch // as Summary.Latencies
	Replicas  []ReplicaRecord
	// Lengths are each pool's prompt and context lengths (sent to the sink
	// in Summary, which stores the main pool's).
	Lengths []PoolLengths
	// TraceCuts are the trace rows each workload's horizon left out (not
	// stored, not sent to the sink).
	TraceCuts []TraceCut
	Events    int64
	SimNs     int64
}

// KPI looks up a KPI by name and scope ("" = run).
func (r *Result) KPI(name, scope string) (KPI, bool) {
	for _, k := range r.KPIs {
		if k.Name == name && k.Scope == scope {
			return k, true
		}
	}
	return KPI{}, false
}

// MeanBatch is the mean number of sequences in a serving replica's running
// batch over the run (running_avg over replicas_up_avg, both whole-run, so
// every pool's together); false where either is absent or 0.
func (r *Result) MeanBatch() (float64, bool) {
	running, ok1 := r.KPI(kpicat.RunningAvg, "")
	up, ok2 := r.KPI(kpicat.ReplicasUpAvg, "")
	if !ok1 || !ok2 || !(running.Value > 0) || !(up.Value > 0) {
		return 0, false
	}
	return running.Value / up.Value, true
}

// World is one simulation run. Build it with New, run it once with Run.
type World struct {
	cfg     Config
	sc      *model.Scenario
	streams engine.Streams
	horizon int64

	// latSketches collects each scope's latency distributions as the
	// KPIs are computed at the end of the run (Result.Latencies).
	latSketches []LatencySketch

	// replicaEnv is what the main pool's replicas see: clock, pricing,
	// configuration and the run's gauges and totals they move
	// (replica_env.go); runGauges holds those gauges for every pool.
	replicaEnv
	runGauges *runGauges

	// pools are the models of the fleet, the main one first (pools.go);
	// models routes each request to one (modelrouter.go).
	pools  []*fleetPool
	models *modelRouter

	// holdKicks defers replicas' planning while a burst enters the queues;
	// held lists the replicas to kick afterwards.
	holdKicks bool
	held      []*replica

	instances []*instance // every pool's, by id
	replicas  []*replica  // every replica ever, by id

	workloads       []*workload
	prioLevels      int
	pool            reqPool
	sessions        sessionPool
	liveSessions    map[*session]struct{}
	nextReqID       int64
	nextSessID      int64
	nextAuction     int64
	sampleThreshold uint64 // request records are emitted when hash(id) < threshold

	// skipCounterfactuals leaves sessions unvalued in the counterfactual
	// worlds (a test shows that valuing them changes nothing else).
	skipCounterfactuals bool

	ads      *adsModel
	training *trainingModel

	// time-weighted gauges (those replicas move are in replicaEnv)
	upG, activeG, paidG, inSystem, trainingG gauge
	lender                                   *trainLender
	lat                                      latencyStats // whole run
	completedAll                             int64
	stall                                    stallWatch // a drained run past its horizon (served.go)

	noImplicit bool // keep every decoder explicit (tests check this changes nothing)
	out        emitter
	traces     traceCache
	progress   func(Progress)
	err        error // first sink error; stops the run
}

// New builds a run from a resolved scenario.
func New(cfg Config) (*World, error) {
	sc := cfg.Scenario
	if sc == nil {
		return nil, errors.New("sim: nil scenario")
	}
	w := &World{cfg: cfg, sc: sc, streams: engine.NewStreams(sc.Seed),
		horizon: int64(sc.Horizon), traces: traceCache{dir: cfg.TraceDir, given: cfg.Traces}, progress: cfg.Progress,
		liveSessions: map[*session]struct{}{}}
	w.eng, w.host = engine.New(1024), w
	w.runGauges = &runGauges{byWorkload: make([]workloadLoad, len(sc.Workloads))}
	w.replicaEnv.runGauges = w.runGauges
	if err := w.buildPools(); err != nil {
		return nil, err
	}
	var err error
	w.sampleThreshold = uint64(math.Min(sc.Output.RequestSampleRate*math.Exp2(64), math.MaxUint64))
	if sc.Output.RequestSampleRate >= 1 {
		w.sampleThreshold = math.MaxUint64
	}
	if err := w.buildWorkloads(); err != nil {
		return nil, err
	}
	for _, pl := range w.pools {
		if err := w.buildFleet(pl); err != nil {
			return nil, pl.wrap(err)
		}
	}
	if w.models, err = newModelRouter(w); err != nil {
		return nil, err
	}
	if sc.Ads != nil {
		if w.ads, err = newAdsModel(w); err != nil {
			return nil, err
		}
	}
	if sc.Training != nil {
		if w.training, err = newTrainingModel(w); err != nil {
			return nil, err
		}
	}
	w.lat = newLatencyStats()
	w.win.lat = newLatencyStats()
	w.out = emitter{sink: cfg.Sink}
	return w, nil
}

func (w *World) buildPerf(pl *fleetPool) error {
	chip, err := pl.inst.ChipSpec()
	if err != nil {
		return err
	}
	serving, err := hw.DefaultServing(chip.StepFamily)
	if err != nil {
		return err
	}
	eff := w.cfg.Efficiency
	switch p := w.cfg.Profile; {
	case p != nil:
		eff = p.ForChip(chip.Name)
		if s, ok := p.ServingFor(chip.StepFamily); ok {
			serving = s
		}
	case w.cfg.Serving != nil:
		serving = *w.cfg.Serving
	}
	if ApplyHardwareOverrides(&serving, w.sc.Hardware) {
		serving.Source = "scenario override of " + serving.Source
	}
	if eff == nil {
		eff = hw.DefaultEfficiency
	}
	if e := w.sc.Hardware.Efficiency; e > 0 {
		eff = hw.ConstantEfficiency(e)
	}
	if pl.perf, err = hw.NewPerf(pl.inst, pl.shard.TP, newEffCache(eff), serving); err != nil {
		return err
	}
	if pl.held, err = pl.perf.HeldShard(pl.shard); err != nil {
		return err
	}
	if pl.shard, err = pl.perf.ResidentShard(pl.shard); err != nil {
		return err
	}
	pl.env.coster = newStepCoster(pl.arch, pl.shard, pl.perf)
	return checkStepTime(pl.env.coster, serving.Source)
}

// maxStepSeconds bounds one iteration's time: a decode step of one sequence
// that takes longer is a set of constants (scenario overrides, a
// calibration profile) describing no hardware, whose times would also run
// off the nanosecond clock.
const maxStepSeconds = 3600

// checkStepTime refuses constants under which one sequence's decode step
// takes longer than maxStepSeconds, naming where they come from.
func checkStepTime(c *stepCoster, source string) error {
	sec := c.iteration(1, 1, 1, 1).sec
	if !(sec <= maxStepSeconds) {
		return fmt.Errorf("sim: one sequence's decode step would take %.3g s with the step constants (%s) and GEMM efficiency in use: check the scenario's hardware overrides or the calibration profile", sec, source)
	}
	return nil
}

// ApplyHardwareOverrides sets the constants a scenario overrides (non-zero
// fields) and reports whether it set any.
func ApplyHardwareOverrides(s *hw.Serving, h model.HardwareOverrides) bool {
	set := false
	for _, o := range []struct {
		dst *float64
		v   float64
	}{
		{&s.PrefillS, h.PrefillS}, {&s.LayerS, h.LayerS}, {&s.CollectiveS, h.CollectiveS}, {&s.HBMFrac, h.HBMFrac},
		{&s.KVFrac, h.KVFrac}, {&s.GEMMScale, h.GEMMScale}, {&s.AttnScale, h.AttnScale}, {&s.LinkFrac, h.LinkFrac},
	} {
		if o.v > 0 {
			*o.dst, set = o.v, true
		}
	}
	if h.KVGroupExp != nil {
		s.KVGroupExp, set = *h.KVGroupExp, true
	}
	return set
}

// configureReplicas sets what a pool's replicas share: the scheduler, the
// batch limits and the KV-cache budget that fits beside the weights.
func (w *World) configureReplicas(pl *fleetPool) error {
	rp := pl.spec.Replica
	kind, err := schedulerNamed(rp.Scheduler, pl.perf.Device.Family)
	if err != nil {
		return err
	}
	e := pl.env
	e.newSched = kind.new
	e.sched = kind.new()
	e.tp = pl.shard.TP
	e.maxBatched, e.maxNumSeqs = rp.MaxBatchedTokens, rp.MaxNumSeqs
	e.blockTokens, e.maxModelLen = int32(rp.KVBlockTokens), int32(rp.MaxModelLen)
	e.prefixCaching = rp.PrefixCaching == nil || *rp.PrefixCaching
	e.reserveMax = rp.Admission == model.AdmissionReserveMax
	e.ctxBuckets, e.seqBuckets = rp.ContextBuckets, rp.SequenceBuckets
	pl.queueLimit, pl.queueTimeout = rp.QueueLimit, int64(rp.QueueTimeout)
	if e.spec, err = w.newSpeculation(pl); err != nil {
		return err
	}
	if e.spec != nil {
		// Decoders gain a variable number of tokens per step: keep them
		// explicit and iterate one by one.
		w.noImplicit, e.noLeap = true, true
	}
	// The weights (a proposer's beside the target's), the KV cache's share
	// of what is left (kv_memory_fraction) and its layout: a paged server
	// frees windowed layers' blocks beyond their window (llm.KVLayout),
	// Neuron replicas and speculative ones keep every layer's whole context
	// (model.WindowedKV says why); a Neuron replica without prefix caching
	// holds a static cache of max_model_len per compiled batch slot
	// (model.ReplicaMemory.Slots). The load-time check counts the same.
	m, err := model.PlanReplicaMemory(pl.arch, pl.held, rp, pl.perf.Device.HBMBytes, pl.perf.Compiled())
	if err != nil {
		return err // the draft, which newSpeculation has already looked up
	}
	if m.Units > math.MaxInt32 && m.KV.Windowed() {
		// Units of a window's share of the layers are too many to count in
		// an int32: count whole blocks, holding every layer's context.
		m.KV = pl.arch.PlainKV()
		m.Units = m.KV.UnitsIn(m.KVBytes, m.KVBytesPerToken, pl.arch.Layers, e.blockTokens)
		m.NeedUnits = m.KV.Units(e.maxModelLen, e.maxModelLen, e.blockTokens)
	}
	e.kv = m.KV
	if m.FitsOne() && !m.Fits() {
		return fmt.Errorf("sim: fleet.replica.max_num_seqs: prefix_caching is off, so the compiled graphs' static KV cache of %d slots x max_model_len %d tokens (%.2f GB per device) does not fit in the %.2f GB left for it; lower max_num_seqs or max_model_len, raise tp, or turn prefix_caching on",
			m.Slots, rp.MaxModelLen, m.StaticUnits*m.UnitBytes(pl.arch, rp)/1e9, m.KVBytes/1e9)
	}
	if !m.Fits() {
		unit := m.UnitBytes(pl.arch, rp)
		return fmt.Errorf("sim: fleet.replica.max_model_len: the KV cache (%.2f GB per device) cannot hold one %d-token request (%.2f GB); lower max_model_len or raise tp",
			max(m.Units, 0)*unit/1e9, rp.MaxModelLen, float64(m.NeedUnits)*unit/1e9)
	}
	// A static cache (a compiled replica without the block layout) is its
	// slots, each a max_model_len request's units: memory never holds a
	// request back while the batch has room.
	e.kvBlocksPerReplica = int32(min(m.PoolUnits(), math.MaxInt32))
	return nil
}

// Run simulates up to the horizon (and, with drain, until the system empties),
// streaming records to the sink. It stops early, with ctx.Err(), when ctx is
// cancelled.
func (w *World) Run(ctx context.Context) (*Result, error) {
	if w.noImplicit {
		for _, p := range w.replicas {
			p.ep.on = false
		}
	}
	meta := w.meta()
	if err := w.out.begin(meta); err != nil {
		return nil, err
	}
	w.eng.OnProgress(1<<12, func(now int64, events uint64) {
		if w.progress != nil {
			// Someone watches the run (a dashboard's live cards): hand over
			// the windows closed so far, or a run of fewer windows than a
			// batch would show none until it ends.
			w.failRun(w.out.windows.flush())
			w.progress(Progress{SimNs: now, HorizonNs: w.horizon, Events: events, Completed: w.completedAll})
		}
	})
	w.start()
	if err := w.eng.RunUntil(ctx, w.horizon); err != nil {
		return nil, err
	}
	if w.err != nil {
		return nil, w.err
	}
	if w.sc.Drain && w.workLeft() { // see served.go
		if err := w.drain(ctx); err != nil {
			return nil, err
		}
	}
	if w.err != nil {
		return nil, w.err
	}
	res, err := w.finish(meta)
	if err == nil {
		res.TraceCuts = w.traceCuts()
	}
	return res, err
}

func (w *World) meta() RunMeta {
	m := RunMeta{Scenario: w.sc.Name, Seed: w.sc.Seed, HorizonNs: w.horizon, WindowNs: int64(w.sc.Window),
		RequestSampleRate: w.sc.Output.RequestSampleRate}
	for _, wl := range w.sc.Workloads {
		m.Workloads = append(m.Workloads, WorkloadMeta{Name: wl.Name, Class: wl.Class})
	}
	for _, p := range w.replicas {
		pl := p.inst.pool
		m.Replicas = append(m.Replicas, ReplicaMeta{ID: p.id, Instance: p.inst.id, Type: pl.inst.Name, TP: int32(pl.shard.TP)})
	}
	return m
}

// start schedules the first events: arrivals, windows and fleet dynamics.
func (w *World) start() {
	for _, wl := range w.workloads {
		wl.src.scheduleNext()
	}
	w.win.start = 0
	w.eng.Schedule(engine.NewEvent(windowTicker{w}, 0), int64(w.sc.Window))
	w.startFleet()
}

// submit hands a new request to a replica of its pool, or drops it.
func (w *World) submit(r *request) {
	now := w.eng.Now()
	wl := w.workloads[r.wl]
	pl := r.fp
	r.poolArrival = now
	pl.calls.arrivals++
	p := pl.route(r)
	if p == nil || (pl.queueLimit > 0 && p.waiting >= pl.queueLimit) {
		r.finish = now
		wl.stats.queueFull++
		pl.calls.queueFull++
		pl.calls.noSLO += noSLO(wl)
		w.win.dropped++
		w.emitRequest(r, StatusQueueFull)
		w.requestGone(r, StatusQueueFull)
		return
	}
	w.addInSystem(now, r, 1)
	if w.cfg.MaxHeld > 0 && w.inSystem.v > float64(w.cfg.MaxHeld) {
		w.failRun(&HeldCapError{Held: int64(w.inSystem.v), SimNs: now})
	}
	p.enqueue(r, false)
	if pl.queueTimeout > 0 {
		w.eng.Schedule(&r.timeout, engine.Later(now, pl.queueTimeout))
	}
	if w.holdKicks {
		w.held = append(w.held, p)
		return
	}
	p.kick()
}

// addInSystem counts requests entering (d 1) or leaving (d -1) the system,
// for the run and for r's workload.
func (w *World) addInSystem(now int64, r *request, d float64) {
	w.inSystem.add(now, d)
	w.byWorkload[r.wl].inSystem.add(now, d)
}

// kickHeld kicks the replicas that received requests while kicks were held
// (a burst arriving at one instant).
func (w *World) kickHeld() {
	for _, p := range w.held {
		p.kick()
	}
	w.held = w.held[:0]
}

// onTimeout drops a request that waited longer than the queue timeout.
func (w *World) onTimeout(r *request) {
	if r.state != reqWaiting {
		return
	}
	now := w.eng.Now()
	r.replica.unqueue(now, r)
	w.addInSystem(now, r, -1)
	r.state = reqDone
	r.finish = now
	wl := w.workloads[r.wl]
	wl.stats.timedOut++
	r.fp.calls.timedOut++
	r.fp.calls.noSLO += noSLO(wl)
	w.win.dropped++
	w.emitRequest(r, StatusTimedOut)
	w.requestGone(r, StatusTimedOut)
	w.stopIfDrained()
}

// cancelRequest removes a waiting or running request whose session was
// abandoned.
func (w *World) cancelRequest(r *request) {
	if r.state != reqWaiting && r.state != reqRunning {
		return
	}
	p := r.replica
	p.withdraw(r) // brings r.generated up to now (a leap or implicit decode cut short)
	r.sess.callEnded(r)
	now := w.eng.Now()
	w.addInSystem(now, r, -1)
	r.state = reqDone
	r.finish = now
	w.workloads[r.wl].stats.abandoned++
	r.fp.calls.abandoned++
	w.emitRequestRevenue(r, StatusAbandoned, w.abandonedStreamed(r))
	r.client.ended(true)
	w.pool.put(r)
	p.kick()
	w.checkDrained(p)
	w.stopIfDrained()
}

// completed records a request that generated its whole output (its replica
// has taken it out of its batch).
func (w *World) completed(r *request) {
	now := w.eng.Now()
	if w.models.escalates(r) {
		w.escalate(r)
		return
	}
	w.callDone(r)
	w.addInSystem(now, r, -1)
	r.state = reqDone
	r.finish = now
	wl := w.workloads[r.wl]
	st := &wl.stats
	st.completed++
	w.completedAll++
	st.inputTok += int64(r.prompt)
	st.cachedTok += int64(r.cached)
	st.outputTok += int64(r.output)
	w.win.completions++
	w.win.inputTok += int64(r.prompt)
	lat := latencyOf(r, r.arrival, r.start, now)
	for _, l := range []*latencyStats{&st.lat, &w.lat, &w.win.lat} {
		l.record(lat)
	}
	if lat.meets(wl.spec.SLO) {
		st.sloMet++
	}
	rev := wl.tokenRevenue(r)
	st.tokenRevenueUSD += rev
	w.win.revenueUSD += rev
	w.emitRequestRevenue(r, StatusCompleted, rev)
	if r.sess != nil {
		r.sess.onCallDone(r, rev)
	}
	r.client.ended(false)
	w.pool.put(r)
}

// requestGone notifies a request's session that it will not complete and
// returns it to the pool. An API or batch request (no session) counts what
// it would have billed as lost: served alone on an idle replica, as the
// counterfactual worlds serve every call, it fills no queue and waits in
// none (kpilost.go).
func (w *World) requestGone(r *request, status RequestStatus) {
	if r.sess != nil {
		r.sess.onCallFailed(r)
	} else {
		wl := w.workloads[r.wl]
		wl.stats.droppedUSD += wl.tokenRevenue(r)
	}
	r.client.ended(true)
	w.pool.put(r)
}

// emitRequest records a request that earned nothing.
func (w *World) emitRequest(r *request, status RequestStatus) { w.emitRequestRevenue(r, status, 0) }

func (w *World) emitRequestRevenue(r *request, status RequestStatus, rev float64) {
	if w.sampleThreshold != math.MaxUint64 && splitmixHash(uint64(r.id)^w.sc.Seed) >= w.sampleThreshold {
		return
	}
	rec := RequestRecord{ID: r.id, Workload: r.wl, Session: -1, Step: r.step, Replica: -1, Status: status,
		ArrivalNs: r.arrival, StartNs: r.start, FirstTokenNs: r.firstTok, FinishNs: r.finish,
		PromptTokens: r.prompt, CachedTokens: r.cached, OutputTokens: r.generated, Preemptions: r.preempts, RevenueUSD: rev}
	if r.sess != nil {
		rec.Session = r.sess.id
	}
	if r.replica != nil && r.start >= 0 {
		rec.Replica = r.replica.id
	}
	w.out.request(rec, w)
}

func splitmixHash(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// poolFor is the model pool a new request of workload wl with a prompt of
// prompt tokens goes to: the routing rule's, or the main pool without one.
func (w *World) poolFor(wl, prompt int) *fleetPool {
	if w.models != nil {
		return w.models.choose(wl, prompt)
	}
	return w.pools[0]
}

// newRequest takes a request from the pool, routes it to a model's pool
// and fits its lengths to that pool's max_model_len (see fleetPool.clamp;
// counted as truncated).
func (w *World) newRequest(wl *workload, prompt, output, cached int) *request {
	r := w.pool.get(w)
	r.id = w.nextReqID
	w.nextReqID++
	if w.cfg.MaxRequests > 0 && w.nextReqID > w.cfg.MaxRequests {
		w.failRun(&RequestCapError{Requests: w.nextReqID, SimNs: w.eng.Now()})
	}
	r.wl = int32(wl.idx)
	r.prio = wl.prio
	r.arrival = w.eng.Now()
	r.fp = w.poolFor(wl.idx, prompt)
	r.asked, r.askedOut = int32(min(max(prompt, 1), math.MaxInt32)), int32(min(max(output, 1), math.MaxInt32))
	p, o := r.fp.clamp(prompt, output, wl.agent != nil)
	if int32(p) != r.asked || int32(o) != r.askedOut {
		wl.stats.truncated++
		r.fp.calls.truncated++
	}
	cached = min(max(cached, 0), p-1)
	r.prompt, r.output, r.cached = int32(p), int32(o), int32(cached)
	r.target = r.prompt
	r.prefilled = r.cached
	r.fp.routed(r)
	wl.stats.arrivals++
	w.win.arrivals++
	return r
}

// randFor returns a named stream (kept by the caller).
func (w *World) randFor(name string) *rand.Rand { return w.streams.Get(name) }

// priorityLevels maps workload priorities to dense levels (0 = most urgent).
func priorityLevels(ws []model.Workload) (levels []int, index func(int) int) {
	for _, w := range ws {
		if !slices.Contains(levels, w.Priority) {
			levels = append(levels, w.Priority)
		}
	}
	slices.Sort(levels)
	return levels, func(p int) int { return slices.Index(levels, p) }
}
