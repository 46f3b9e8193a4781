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
// Paths resolve as the simulator resolves them. A trace of more rows than
// the budget's requests, or than its memory holds (traceRowCap), is refused
// before it is read whole. One already in
// reads is not read again; those read, or not, are added to it (reads may
// be nil).
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
			rd.t, rd.err = readTrace(full, budget)
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

func readTrace(path string, budget Budget) (*sim.Trace, error) {
	rows, why := traceRowCap(budget)
	t, err := model.ReadFileWith(path, func(r io.Reader) (*sim.Trace, error) {
		return sim.ReadTraceMax(r, path, rows)
	})
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return nil, fmt.Errorf("trace: %w", err) // it could not be opened or read, or a stop signal ended the wait on a pipe
	}
	if errors.Is(err, sim.ErrTraceTooLong) {
		return nil, fmt.Errorf("%w (%s, or replay part of the trace)", err, why)
	}
	return t, err
}

// traceRowCap is the most rows a trace may hold, and the budget that sets
// it with the override that raises it: a row is at least a request of the
// run (rate_scale aside), and a run past the request budget, or whose
// requests alone pass the memory budget at bytesPerRequest each, is refused
// by applyBudget once the trace is read. Bounding only by the request
// budget read a 20-million-row gzip trace whole (about 47 s and 1 GB) to be
// refused by the memory budget's 10.7 million.
func traceRowCap(b Budget) (int, string) {
	byRequests := min(b.MaxRequests, math.MaxInt32)
	byMemory := math.Floor(b.MaxMemoryBytes / bytesPerRequest)
	if byMemory < byRequests {
		return int(byMemory), fmt.Sprintf("the memory budget of %s holds about %.3g requests at %d bytes each; raise it with %s",
			bytesText(b.MaxMemoryBytes), byMemory, bytesPerRequest, EnvMaxMemory)
	}
	return int(byRequests), "the request budget; raise it with " + EnvMaxRequests
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
