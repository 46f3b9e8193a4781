package runner

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strings"

	"aiecon/model"
	"aiecon/sim"
)

// traceRef is one trace a scenario names, and the field that names it.
type traceRef struct {
	field, path string
}

// traceRefs lists the traces a scenario reads: replayed arrivals and
// empirical distributions drawn from a trace column.
func traceRefs(sc *model.Scenario) []traceRef {
	var out []traceRef
	dist := func(field string, d model.Dist) {
		if d.Trace != "" {
			out = append(out, traceRef{field + ".trace", d.Trace})
		}
	}
	for i, w := range sc.Workloads {
		p := fmt.Sprintf("workloads[%d]", i)
		if t := w.Arrivals.Trace; t != nil && w.Arrivals.Process == "trace" {
			out = append(out, traceRef{p + ".arrivals.trace.path", t.Path})
		}
		dist(p+".prompt_tokens", w.PromptTokens)
		dist(p+".output_tokens", w.OutputTokens)
		if a := w.Agent; a != nil {
			dist(p+".agent.steps", a.Steps)
			dist(p+".agent.tool_latency", a.ToolLatency)
			dist(p+".agent.tool_result_tokens", a.ToolResultTokens)
			dist(p+".agent.patience", a.Patience)
		}
	}
	if ad := sc.Ads; ad != nil {
		dist("ads.bid", ad.Bid)
		dist("ads.relevance", ad.Relevance)
	}
	return out
}

// traceReads are the traces one command's loads have read, or failed to,
// by the path each was read from: a scenario loaded more than once (its
// base, then with --set; once per variant) reads each trace once, as a
// named pipe can give it only once.
type traceReads map[string]traceRead

type traceRead struct {
	t   *sim.Trace
	err error
}

// readTraces reads every trace a scenario names, at load, so that a missing
// or malformed trace is an input error naming the scenario's field (exit 2)
// rather than a failed run; the run replays what it read (Loaded.Traces).
// Paths resolve as the simulator resolves them. A trace whose rows pass
// what the budget allows (traceRowCheck) is refused before it is read
// whole. One already in reads is not read again (the first load's uses
// bound it); those read, or not, are added to it (reads may be nil).
func readTraces(sc *model.Scenario, src *model.Source, dir string, budget Budget, reads traceReads) (map[string]*sim.Trace, error) {
	out := map[string]*sim.Trace{}
	var errs model.Errors
	for _, ref := range traceRefs(sc) {
		full := ref.path
		if dir != "" && !strings.HasPrefix(full, "/") {
			full = dir + "/" + full
		}
		if _, ok := out[ref.path]; ok {
			continue
		}
		rd, ok := reads[full]
		if !ok {
			rd.t, rd.err = readTrace(full, budget, arrivalUses(sc, ref.path))
			if reads != nil {
				reads[full] = rd
			}
		}
		t, err := rd.t, rd.err
		if err == nil {
			err = checkTraceClock(t, sc, ref)
		}
		if err != nil {
			line, col := src.Position(ref.field)
			errs = append(errs, model.FieldError{File: src.File, Line: line, Col: col, Field: ref.field, Msg: err.Error(), Err: err})
			continue
		}
		out[ref.path] = t
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

func readTrace(path string, budget Budget, uses []traceUse) (*sim.Trace, error) {
	t, err := model.ReadFileWith(path, func(r io.Reader) (*sim.Trace, error) {
		return sim.ReadTraceCheck(r, path, traceRowCheck(budget, uses))
	})
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return nil, fmt.Errorf("trace: %w", err) // it could not be opened or read, or a stop signal ended the wait on a pipe
	}
	return t, err
}

// traceUse is a workload replaying a trace's arrivals: the rows whose
// offsets, stretched by timeScale, fall before the horizon are replayed,
// each rateScale times on average (a looped trace's later periods replay
// them again; EstimateRun counts those).
type traceUse struct {
	timeScale, rateScale float64
	horizon              int64
}

// arrivalUses lists the workloads of sc that replay the trace at path (none
// for a trace read only for an empirical distribution's column).
func arrivalUses(sc *model.Scenario, path string) []traceUse {
	var out []traceUse
	for _, w := range sc.Workloads {
		if t := w.Arrivals.Trace; t != nil && w.Arrivals.Process == "trace" && t.Path == path {
			out = append(out, traceUse{t.TimeScale, t.RateScale, int64(sc.Horizon)})
		}
	}
	return out
}

// traceRowCheck bounds a trace as it is read, before it is held whole: its
// rows by the memory budget, at traceRowBytes each, and the requests its
// rows before the horizon give, times rate_scale, by the request budget, a
// floor on the estimate that refuses the run once the trace is read. It
// counted every row against the request budget, and against the memory
// budget at a request's 400 bytes: replaying the first hour of a longer
// trace was refused, and rate_scale 0.5 refused half the rows it replays.
func traceRowCheck(b Budget, uses []traceUse) func(row int, offsetNs int64) error {
	maxRows := math.Floor(b.MaxMemoryBytes / traceRowBytes)
	requests := 0.0
	return func(row int, offsetNs int64) error {
		if float64(row) > maxRows {
			return fmt.Errorf("more than %.0f rows: the memory budget of %s holds about %.3g trace rows at %d bytes each; "+
				"raise it with %s, or cut the trace", maxRows, bytesText(b.MaxMemoryBytes), maxRows, traceRowBytes, EnvMaxMemory)
		}
		for _, u := range uses {
			if int64(float64(offsetNs)*u.timeScale) < u.horizon {
				requests += u.rateScale
			}
		}
		if requests > b.MaxRequests {
			return fmt.Errorf("its rows before the horizon, times rate_scale, pass the request budget of %.3g; "+
				"shorten the horizon (--horizon) or lower rate_scale, or raise the budget with %s", b.MaxRequests, EnvMaxRequests)
		}
		return nil
	}
}

// checkTraceClock refuses a replay whose stretched times leave the
// simulator's int64 nanosecond clock.
func checkTraceClock(t *sim.Trace, sc *model.Scenario, ref traceRef) error {
	for _, w := range sc.Workloads {
		tr := w.Arrivals.Trace
		if tr == nil || tr.Path != ref.path || !strings.HasSuffix(ref.field, "arrivals.trace.path") {
			continue
		}
		if span := float64(t.SpanNs()) * tr.TimeScale; span >= math.MaxInt64/2 {
			return fmt.Errorf("trace %s spans %v; at time_scale %g that is beyond the simulator's clock (about 146 years)",
				t.Path, model.Duration(t.SpanNs()), tr.TimeScale)
		}
	}
	return nil
}
