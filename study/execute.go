package study

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/runner"
)

// ShardSpec selects a deterministic slice of a sweep's points: point p
// belongs to shard i of n when p mod n == i (0-based, the index a Kubernetes
// Indexed Job gives its pods in JOB_COMPLETION_INDEX). The zero ShardSpec is
// the whole sweep. (The name keeps it apart from llm.Shard, a model's
// split over tensor-parallel devices.)
type ShardSpec struct {
	Index, Count int
}

// ParseShard reads "i/n" with 0 <= i < n.
func ParseShard(s string) (ShardSpec, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return ShardSpec{}, fmt.Errorf("shard %q: want i/n with 0 <= i < n (0-based), e.g. 0/4 ... 3/4", s)
	}
	return ShardSpec{Index: i, Count: n}, nil
}

// Has reports whether the point belongs to the shard.
func (s ShardSpec) Has(point int) bool { return s.Count <= 1 || point%s.Count == s.Index }

func (s ShardSpec) String() string {
	if s.Count <= 1 {
		return "all points"
	}
	return fmt.Sprintf("shard %d/%d", s.Index, s.Count)
}

// Options control Execute.
type Options struct {
	Store   *data.Store // required: the runs and the sweep go here
	SweepID string      // the registered sweep (Register)
	Workers int         // parallel runs; default 1
	Shard   ShardSpec
	// Points, when set, restricts the runs to these points (of the shard).
	Points  []int
	Version string // aiecon version recorded with each run
	// Progress is called after each run ends, from one goroutine at a time.
	Progress func(Progress)
	// MaxConsecutiveFailures stops dispatching new runs after this many runs
	// in a row failed (a broken store fails them all); 0 means
	// DefaultMaxConsecutiveFailures.
	MaxConsecutiveFailures int
}

// DefaultMaxConsecutiveFailures is Options.MaxConsecutiveFailures' default.
const DefaultMaxConsecutiveFailures = 20

// RunEvent is one finished (or failed) run.
type RunEvent struct {
	Point, Replication int
	RunID              string
	Err                error // nil for a complete run
	Wall               time.Duration
}

// Progress is the state of an Execute after a run ended.
type Progress struct {
	Total   int // runs this Execute has to do (complete ones excluded)
	Done    int
	Failed  int
	Skipped int // runs already complete in the store
	Started time.Time
	Last    RunEvent
}

// Outcome is what an Execute did.
type Outcome struct {
	Total, Done, Failed, Skipped int
	// Interrupted is set when the context was cancelled: runs in flight were
	// marked failed in the store and the rest not started.
	Interrupted bool
	// Stopped is set when MaxConsecutiveFailures stopped the dispatch.
	Stopped  bool
	Failures []RunEvent
	Wall     time.Duration
}

// Register records the plan's sweep under id (a fresh data.NewID, or the
// plan's DerivedID for shards). Registering the same plan again is a no-op
// and returns false.
func Register(ctx context.Context, store *data.Store, p *Plan, id string) (bool, error) {
	return store.EnsureSweep(ctx, id, p.SweepInfo())
}

type job struct {
	pt  Point
	rep int
}

// Pending lists the (point, replication) runs of the shard that have no
// complete run in the store, in point then replication order, and how many
// do.
func Pending(ctx context.Context, store *data.Store, sweepID string, p *Plan, shard ShardSpec) (pending []RunEvent, complete int, err error) {
	runs, err := store.SweepRuns(ctx, sweepID)
	if err != nil {
		return nil, 0, err
	}
	done := map[[2]int]bool{}
	for _, r := range runs {
		if r.Status == data.StatusComplete {
			done[[2]int{r.Point, r.Replication}] = true
		}
	}
	for _, pt := range p.Points {
		if !shard.Has(pt.Index) {
			continue
		}
		for rep := 0; rep < p.Spec.Replications; rep++ {
			if done[[2]int{pt.Index, rep}] {
				complete++
				continue
			}
			pending = append(pending, RunEvent{Point: pt.Index, Replication: rep})
		}
	}
	return pending, complete, nil
}

// Execute runs every run of the shard that is not complete in the store on
// opts.Workers goroutines, each run streamed into the store by runner.Run.
// A failed run is recorded (failed in the store, in Outcome.Failures) and
// the others go on. Cancelling ctx stops cleanly: runs in flight end as
// failed ("interrupted"), finished ones stay, and a later Execute (resume)
// runs exactly the rest. The error is for problems outside the runs.
func Execute(ctx context.Context, p *Plan, opts Options) (*Outcome, error) {
	if opts.Store == nil || opts.SweepID == "" {
		return nil, errors.New("executing a sweep: no store or sweep id")
	}
	workers := max(opts.Workers, 1)
	maxFail := opts.MaxConsecutiveFailures
	if maxFail <= 0 {
		maxFail = DefaultMaxConsecutiveFailures
	}
	pending, complete, err := Pending(ctx, opts.Store, opts.SweepID, p, opts.Shard)
	if err != nil {
		return nil, err
	}
	pending = onlyPoints(pending, opts.Points)
	workers = min(workers, max(len(pending), 1)) // an idle worker only costs memory
	out := &Outcome{Total: len(pending), Skipped: complete}
	started := time.Now()
	var cals Calibrations
	if complete > 0 && opts.Store != nil {
		files, err := opts.Store.SweepCalibrationFiles(ctx, opts.SweepID)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			cals.Earlier = append(cals.Earlier, f.SHA256)
		}
	}

	jobs := make(chan job)
	var mu sync.Mutex // guards out, streak and the Progress calls
	streak := 0
	stop := make(chan struct{})
	var stopOnce sync.Once
	report := func(ev RunEvent) {
		mu.Lock()
		defer mu.Unlock()
		if ev.Err == nil {
			out.Done++
			streak = 0
		} else if ctx.Err() == nil {
			out.Failed++
			out.Failures = append(out.Failures, ev)
			if streak++; streak >= maxFail {
				out.Stopped = true
				stopOnce.Do(func() { close(stop) })
			}
		}
		if opts.Progress != nil && (ev.Err == nil || ctx.Err() == nil) {
			opts.Progress(Progress{Total: out.Total, Done: out.Done, Failed: out.Failed, Skipped: out.Skipped, Started: started, Last: ev})
		}
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(ctx, p, jobs, stop, &cals, opts, report)
		}()
	}
dispatch:
	for _, ev := range pending {
		j := job{pt: p.Points[ev.Point], rep: ev.Replication}
		select {
		case jobs <- j:
		case <-ctx.Done():
			break dispatch
		case <-stop:
			break dispatch
		}
	}
	close(jobs)
	wg.Wait()
	out.Interrupted = ctx.Err() != nil
	out.Wall = time.Since(started)
	return out, nil
}

// onlyPoints keeps the pending runs of the given points (all when nil).
func onlyPoints(pending []RunEvent, points []int) []RunEvent {
	if points == nil {
		return pending
	}
	only := map[int]bool{}
	for _, pt := range points {
		only[pt] = true
	}
	kept := pending[:0]
	for _, ev := range pending {
		if only[ev.Point] {
			kept = append(kept, ev)
		}
	}
	return kept
}

// work is one worker: it simulates the jobs it receives one after the
// other, and commits each run while it simulates the next (the simulator
// needs a core, DuckDB's commit mostly the disk and its own threads), then
// reports it. At most one commit is in flight per worker, so a worker holds
// at most two runs' records.
func work(ctx context.Context, p *Plan, jobs <-chan job, stop <-chan struct{}, cals *Calibrations, opts Options, report func(RunEvent)) {
	var committing chan RunEvent
	wait := func() {
		if committing != nil {
			report(<-committing)
			committing = nil
		}
	}
	for j := range jobs {
		// The dispatcher's select may hand out one more job after the
		// streak closed stop: drop it rather than run it.
		select {
		case <-stop:
			continue
		default:
		}
		ev, sim := simulateOne(ctx, p, j, cals, opts)
		wait()
		if sim == nil {
			report(ev)
			continue
		}
		committing = make(chan RunEvent, 1)
		go func(ev RunEvent, started time.Time) {
			ev = finishOne(ev, sim)
			ev.Wall += time.Since(started)
			committing <- ev
		}(ev, time.Now())
	}
	wait()
}

// simulateOne simulates one replication of a point into the store; a run
// that failed comes back without a Simulated to finish.
func simulateOne(ctx context.Context, p *Plan, j job, cals *Calibrations, opts Options) (ev RunEvent, s *runner.Simulated) {
	ev = RunEvent{Point: j.pt.Index, Replication: j.rep}
	started := time.Now()
	defer func() {
		ev.Wall = time.Since(started)
		// runner.Simulate stores a simulator panic as the run's failure;
		// this catches one in loading, so that one point never ends the study.
		if r := recover(); r != nil {
			ev.Err, s = fmt.Errorf("point %d: panic: %v", j.pt.Index, r), nil
		}
	}()
	l, err := p.Load(j.pt, j.rep)
	if err != nil {
		ev.Err = err
		return ev, nil
	}
	cal, err := cals.Get(l)
	if err != nil {
		ev.Err = err
		return ev, nil
	}
	s, err = runner.Simulate(ctx, l, runner.Options{Store: opts.Store, Name: p.RunName(j.pt, j.rep), Version: opts.Version,
		SweepID: opts.SweepID, SweepPoint: j.pt.Index, Replication: j.rep, ParamsJSON: p.RunParamsJSON(j.pt), Calibration: cal})
	if err != nil {
		ev.Err = err
		return ev, nil
	}
	return ev, s
}

// finishOne commits a simulated run.
func finishOne(ev RunEvent, s *runner.Simulated) RunEvent {
	res, err := s.Finish()
	if err != nil {
		ev.Err = err
		return ev
	}
	ev.RunID = res.RunID
	return ev
}

// Calibrations loads the calibration of each instance type and profile
// once per study, for the workers of a sweep or a forecast alike. Safe for
// concurrent use; the zero value is ready.
type Calibrations struct {
	mu  sync.Mutex
	got map[string]*runner.Calibration
	// Earlier are the profile digests (hw.ProfileDigest) the sweep's
	// complete runs recorded, set when it resumes: a profile file whose
	// bytes are none of them is refused, so that the rest of the sweep is
	// not priced by another profile than its first part.
	Earlier []string
}

// Get returns the calibration scenario l runs with, loading it on first use.
// It is keyed by instance and profile: points and variants may name their
// own profile (hardware.calibration), and one keyed by instance alone would
// run them on whichever profile was loaded first.
func (c *Calibrations) Get(l *runner.Loaded) (*runner.Calibration, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := l.Scenario.Fleet.Instance + "|" + l.Scenario.Hardware.Calibration
	if cal, ok := c.got[key]; ok {
		return cal, c.unchanged(cal)
	}
	cal, err := runner.LoadCalibration(l.Scenario)
	if err != nil {
		return nil, err
	}
	if len(c.Earlier) > 0 && cal.Digest != "" && !slices.Contains(c.Earlier, cal.Digest) {
		return nil, fmt.Errorf("calibration profile %s (sha256 %.12s) is not the file this sweep's complete runs were priced by (sha256 %s): "+
			"it has changed since, so its remaining points would be priced by another profile; put that file back at the path, or start the sweep anew",
			cal.Source, cal.Digest, shortDigests(c.Earlier))
	}
	if c.got == nil {
		c.got = map[string]*runner.Calibration{}
	}
	c.got[key] = &cal
	return &cal, nil
}

// unchanged refuses a profile file that changed since it was loaded: the
// points run so far were priced by the bytes loaded (each stored run
// records their digest), and the cache would go on pricing the rest by
// them while the file says otherwise.
func (c *Calibrations) unchanged(cal *runner.Calibration) error {
	if cal.Digest == "" {
		return nil
	}
	now, err := hw.ProfileFileDigest(cal.Source)
	switch {
	case err != nil:
		return fmt.Errorf("calibration profile %s: it was read when the sweep started (sha256 %.12s) and cannot be read now: %w", cal.Source, cal.Digest, err)
	case now != cal.Digest:
		return fmt.Errorf("calibration profile %s changed while the sweep ran (sha256 %.12s when it started, %.12s now): the points run so far were priced by the first; "+
			"refusing to price the rest by either, put the file back or start the sweep anew", cal.Source, cal.Digest, now)
	}
	return nil
}

// shortDigests is digests' first 12 hex digits each, joined by ", ".
func shortDigests(ds []string) string {
	short := make([]string, len(ds))
	for i, d := range ds {
		short[i] = d[:min(12, len(d))]
	}
	return strings.Join(short, ", ")
}
