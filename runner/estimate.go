package runner

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/sim"
)

// Estimate is the size of a run, worked out from the scenario before it
// runs: 10,000/s over the default hour, a looped trace whose requests share
// one timestamp or a horizon of 366 days each ran out of memory or left
// millions of rows of a failed run.
type Estimate struct {
	Requests float64 // model calls over the horizon (agent sessions times their mean steps)
	Sessions float64 // agent sessions
	// Events is a floor on the simulator's events: arrivals, admissions,
	// completions and tool calls (scheduler iterations come on top).
	Events float64
	// RequestRows is the request rows stored at the scenario's sample rate.
	RequestRows float64
	// TraceBytes is what the traces read hold: every row read, at
	// traceRowBytes, however many of them the run replays.
	TraceBytes float64
	// Largest names the workload that contributes most requests.
	Largest string
	// Replicas is the most replicas the fleet can hold at once (autoscale's
	// max where it grows past fleet.count), over every pool; Fleet names
	// the pool with the most of them.
	Replicas float64
	Fleet    string
	// Slots is the requests the fleet runs at once when every batch is
	// full: each pool's replicas (as Replicas counts them) times its
	// max_num_seqs. A fleet that keeps up may fill them, so the held cap
	// is never below them (see HeldFloor).
	Slots float64
	// Clients is the closed loops' clients, over every workload: each holds
	// at most one request at once, already counted in HeldBytes.
	Clients float64
	// HeldBytes is what closed-loop clients hold at once before their
	// requests count: each client's session (or request) in flight, and an
	// agent session's plan of every step, drawn when it starts. HeldBy names
	// the workload that holds most of it.
	HeldBytes float64
	HeldBy    string
	// BytesPerHeld is what one request held at once costs, the most over
	// the workloads: bytesPerRequest, and for an agent's call the session
	// waiting on it with its plan of steps (an overloaded agent of 50 steps
	// held about 6.8 KB a call in the queue, measured).
	BytesPerHeld float64
}

// bytesPerRequest is what the simulator holds for one request in flight:
// the request (about 200 bytes), its event, its queue slot and its record
// awaiting the store (an estimate from the struct sizes in sim/request.go).
const bytesPerRequest = 400

// traceRowBytes is what a trace holds for one row read: its offset and two
// token counts (16 bytes in sim.Trace's columns), doubled for the slack of
// columns grown by appending.
const traceRowBytes = 32

// minHeldCap is the shortest queue the memory budget must leave room for
// beyond the fleet's batch slots (see Estimate.HeldFloor): a budget that
// the fleet, the closed loops and the traces fill all but this would stop,
// as overloaded, a fleet that keeps up.
const minHeldCap = 1000

// bytesPerReplica is what the simulator holds for one replica, idle: its
// queues, scheduler, KV accounting and gauges (measured: 100,000
// inf2.48xlarge of three replicas each held 460 MB; 100,000 trn2.48xlarge
// at tp 1 ran out of memory building the fleet).
const bytesPerReplica = 1500

// bytesPerClient is what a closed loop's client holds while its session
// runs: the client (48 bytes), an agent session (about 330 bytes and its
// entry in the live set) and the request in flight (bytesPerRequest).
const bytesPerClient = 800

// bytesPerSession is an agent session in flight, its plan apart: about 330
// bytes and its entry in the live set.
const bytesPerSession = 400

// bytesPerPlannedStep is one step of an agent session's plan (a 72-byte
// stepPlan in sim/agent.go), with the slack of a slice grown by appending:
// a session plans every step when it starts, so a million clients of 1,000
// steps held 72 GB before their first requests reached the request budget.
const bytesPerPlannedStep = 100

// maxPlannedSteps is sim's maxSessionSteps, the most steps a session plans.
const maxPlannedSteps = 1000

// Budget bounds what one run may cost. DefaultBudget reads it from the
// environment so that a machine with more memory can raise it.
type Budget struct {
	MaxRequests    float64 // a run estimated past it is refused
	MaxRequestRows float64 // past it, stored request rows are sampled
	MaxReplicas    float64 // a fleet that can hold more replicas is refused
	// MaxMemoryBytes bounds what a run holds: its fixed part
	// (Estimate.FixedBytes) at load, then the requests it holds at once
	// (Estimate.HeldCap) as it runs. The request count alone admitted 20
	// million requests, 7.6 GB measured, from a 1.5 MB gzip trace, and two
	// such runs exhaust a 24 GB laptop.
	MaxMemoryBytes float64
}

// Environment variables that override the default budget.
const (
	EnvMaxRequests    = "AIECON_MAX_REQUESTS"
	EnvMaxRequestRows = "AIECON_MAX_REQUEST_ROWS"
	EnvMaxReplicas    = "AIECON_MAX_REPLICAS"
	EnvMaxMemory      = "AIECON_MAX_MEMORY"
)

// defaultMaxMemory is the memory a run may hold by default: 4 GiB, about
// 10.7 million requests held at once, lets two runs (sweep -j 2) and the
// desktop share a 2-core, 24 GB laptop. What bounds a run's requests held
// at once is its fleet, not its horizon: a fleet that keeps up held a flat
// 47 MB (peak RSS) over 216,000 requests and over 864,000, one that does
// not grew about 360 bytes a request held, so the run is stopped at
// Estimate.HeldCap rather than refused for the worst case of every request
// of the horizon held at once (which refused well-sized runs past 10.7
// million requests).
const defaultMaxMemory = 4 << 30

// DefaultBudget is 20 million requests per run, 4 GiB of memory (a run
// holding more requests at once than it leaves room for is stopped as
// overloaded: about 10.7 million), 2 million stored request rows (about 100
// MB of store) and a million replicas (1.5 GB), unless the environment
// says otherwise.
func DefaultBudget() (Budget, error) {
	b := Budget{MaxRequests: 20e6, MaxRequestRows: 2e6, MaxReplicas: 1e6, MaxMemoryBytes: defaultMaxMemory}
	if s := os.Getenv(EnvMaxMemory); s != "" {
		x, err := parseBytes(s)
		if err != nil {
			return b, fmt.Errorf("%s=%q: %w", EnvMaxMemory, s, err)
		}
		b.MaxMemoryBytes = x
	}
	for _, v := range []struct {
		name string
		dst  *float64
	}{{EnvMaxRequests, &b.MaxRequests}, {EnvMaxRequestRows, &b.MaxRequestRows}, {EnvMaxReplicas, &b.MaxReplicas}} {
		s := os.Getenv(v.name)
		if s == "" {
			continue
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || !(x >= 1) || math.IsInf(x, 0) {
			return b, fmt.Errorf("%s=%q: want a number of at least 1", v.name, s)
		}
		*v.dst = x
	}
	return b, nil
}

// workloadError is EstimateRun's error about workload index (its trace
// arrivals), which checkSize places at the field.
type workloadError struct {
	index int
	name  string
	err   error
}

func (e *workloadError) Error() string {
	return fmt.Sprintf("workloads[%d] %s: %v", e.index, e.name, e.err)
}
func (e *workloadError) Unwrap() error { return e.err }

// parseBytes reads a size in bytes: a number with an optional unit, KB, MB,
// GB or TB (powers of 1024, as the refusals print them; KiB, MiB, GiB and
// TiB alike), at least 1 MB, since a smaller budget refuses every scenario.
func parseBytes(s string) (float64, error) {
	num, mult := strings.TrimSpace(s), 1.0
	for i, u := range []string{"K", "M", "G", "T"} {
		for _, suffix := range []string{u + "iB", u + "B"} {
			if strings.HasSuffix(num, suffix) {
				num, mult = strings.TrimSpace(strings.TrimSuffix(num, suffix)), math.Pow(1024, float64(i+1))
				break
			}
		}
		if mult != 1 {
			break
		}
	}
	x, err := strconv.ParseFloat(num, 64)
	if err != nil || !(x*mult >= 1<<20) || math.IsInf(x*mult, 0) {
		return 0, fmt.Errorf("want a size of at least 1 MB, as bytes or with a unit (512MB, 4GB)")
	}
	return x * mult, nil
}

// EstimateRun works out the size of a resolved scenario's run; traces are
// those readTraces returned, by the path the scenario gives.
func EstimateRun(sc *model.Scenario, traces map[string]*sim.Trace) (Estimate, error) {
	var e Estimate
	most := 0.0
	for i, w := range sc.Workloads {
		n, err := arrivals(w, sc.Horizon, traces)
		if err != nil {
			return e, &workloadError{index: i, name: w.Name, err: err}
		}
		calls := n
		if w.Agent != nil {
			e.Sessions += n
			calls = n * max(w.Agent.Steps.ExpectedValue(), 1)
			e.Events += calls - n // tool calls between model calls
		}
		e.Requests += calls
		if calls > most {
			most, e.Largest = calls, fmt.Sprintf("workloads[%d] %s", i, w.Name)
		}
	}
	e.Events += e.Sessions + 3*e.Requests
	e.HeldBytes, e.HeldBy, e.Clients = closedHeld(sc)
	e.BytesPerHeld = bytesPerHeld(sc)
	e.RequestRows = e.Requests * sc.Output.RequestSampleRate
	var err error
	if e.Replicas, e.Slots, e.Fleet, err = fleetReplicas(sc); err != nil {
		return e, err
	}
	for _, t := range traces {
		e.TraceBytes += float64(t.Len()) * traceRowBytes
	}
	return e, nil
}

// FixedBytes is what the run holds whatever its fleet keeps up with: the
// replicas, the closed loops' clients and the traces read.
func (e Estimate) FixedBytes() float64 {
	return e.Replicas*bytesPerReplica + e.HeldBytes + e.TraceBytes
}

// fixedParts names the parts of FixedBytes that hold any memory, with
// their sizes: "its replicas (4.3 MB) and traces (1 MB)".
func (e Estimate) fixedParts() string {
	var parts []string
	for _, p := range []struct {
		what  string
		bytes float64
	}{{"replicas", e.Replicas * bytesPerReplica}, {"closed-loop clients", e.HeldBytes}, {"traces", e.TraceBytes}} {
		if p.bytes > 0 {
			parts = append(parts, fmt.Sprintf("%s (%s)", p.what, bytesText(p.bytes)))
		}
	}
	if len(parts) > 1 {
		parts = append(parts[:len(parts)-2], parts[len(parts)-2]+" and "+parts[len(parts)-1])
	}
	return "its " + strings.Join(parts, ", ")
}

// HeldCap is the most requests the run may hold at once (sim.Config.MaxHeld):
// the closed loops' clients, whose requests FixedBytes already holds (one
// each at most: counted again they stopped, as overloaded, a loop that
// cannot grow), and the open workloads' requests the memory budget leaves
// room for after FixedBytes, at BytesPerHeld each. applyBudget refuses at
// load a budget whose room is under HeldFloor.
func (e Estimate) HeldCap(b Budget) float64 {
	return e.openRoom(b) + e.Clients
}

// openRoom is the open workloads' requests the memory budget leaves room to
// hold at once after FixedBytes.
func (e Estimate) openRoom(b Budget) float64 {
	return max(math.Floor((b.MaxMemoryBytes-e.FixedBytes())/max(e.BytesPerHeld, bytesPerRequest)), 0)
}

// queueMargin is the queue a fleet that keeps up may hold beyond its batch
// slots: a quarter of them, and at least minHeldCap (Poisson bursts and
// prefills waiting for a slot come and go).
func (e Estimate) queueMargin() float64 { return max(math.Ceil(e.Slots/4), minHeldCap) }

// HeldFloor is the fewest open requests the memory budget must leave room
// to hold at once: the fleet's batch slots and a queue margin, which a
// fleet that keeps up may hold (16 replicas of 512 slots held 3,600 at a
// quarter full), or the open requests of the whole run where fewer. A
// closed loop's requests are not among them: their clients hold them.
func (e Estimate) HeldFloor() float64 {
	return min(e.Requests, e.Slots+e.queueMargin())
}

// closedHeld is what the scenario's closed loops hold at once (see
// Estimate.HeldBytes), and the largest, described by its fields. A closed
// loop's requests are counted only as they run, but its clients all start
// at once, an agent's with every step of its session planned, so the
// memory is taken before the request budget can stop the run.
func closedHeld(sc *model.Scenario) (total float64, largest string, clients float64) {
	most := 0.0
	for i, w := range sc.Workloads {
		if w.Arrivals.Process != "closed" {
			continue
		}
		n := float64(w.Arrivals.Clients)
		clients += n
		b, what := n*bytesPerClient, fmt.Sprintf("workloads[%d] %s: %d clients", i, w.Name, w.Arrivals.Clients)
		if w.Agent != nil {
			steps := plannedSteps(w.Agent)
			b += n * steps * bytesPerPlannedStep
			what += fmt.Sprintf(" x %g planned agent.steps (the 99th percentile)", steps)
		}
		total += b
		if b > most {
			most, largest = b, what
		}
	}
	return total, largest, clients
}

// plannedSteps is the steps an agent session plans when it starts, at the
// 99th percentile of agent.steps (the cap where they are read from a trace).
func plannedSteps(a *model.Agent) float64 {
	steps := math.Ceil(distP99(a.Steps))
	if steps <= 0 { // read from a trace: plan for the cap
		steps = maxPlannedSteps
	}
	return min(max(steps, 1), maxPlannedSteps)
}

// bytesPerHeld is Estimate.BytesPerHeld: an overloaded agent holds a
// session and its plan behind each call queued, not 400 bytes (50 planned
// steps held 2 GB under a 256 MB cap sized by requests alone). A closed
// loop's agents are left out: their clients' bytes count their sessions.
func bytesPerHeld(sc *model.Scenario) float64 {
	most := float64(bytesPerRequest)
	for _, w := range sc.Workloads {
		if w.Agent != nil && w.Arrivals.Process != "closed" {
			most = max(most, bytesPerRequest+bytesPerSession+plannedSteps(w.Agent)*bytesPerPlannedStep)
		}
	}
	return most
}

// fleetReplicas is the most replicas the pools can hold at once, their
// batch slots (replicas x max_num_seqs), and the pool with the most
// replicas, described by its fields' values.
func fleetReplicas(sc *model.Scenario) (total, slots float64, largest string, err error) {
	most := 0.0
	for i, p := range sc.ServingPools() {
		path := "fleet"
		if i > 0 {
			path = fmt.Sprintf("pools[%d].fleet", i-1)
		}
		f := p.Fleet
		inst, err := hw.InstanceByName(f.Instance)
		if err != nil {
			return 0, 0, "", fmt.Errorf("%s.instance: %w", path, err)
		}
		per, err := sim.ReplicasPerInstance(inst, f.Replica.TP, f.Replica.PerInstance)
		if err != nil {
			return 0, 0, "", fmt.Errorf("%s.replica.tp: %w", path, err)
		}
		count, what := f.Count, path+".count"
		if f.Autoscale != nil && f.Autoscale.Max > count {
			count, what = f.Autoscale.Max, path+".autoscale.max"
		}
		n := float64(count) * float64(per)
		total += n
		slots += n * float64(f.Replica.MaxNumSeqs)
		if n > most {
			most = n
			largest = fmt.Sprintf("%s %d x %d replicas of tp %d per %s", what, count, per, f.Replica.TP, f.Instance)
		}
	}
	return total, slots, largest, nil
}

// arrivals is the expected number of arrivals (requests, or sessions for an
// agent workload) over the horizon.
func arrivals(w model.Workload, horizon model.Duration, traces map[string]*sim.Trace) (float64, error) {
	a := w.Arrivals
	switch a.Process {
	case "poisson", "gamma":
		n := a.Rate.PerSecond() * horizon.Seconds() // the diurnal profile has mean 1
		if a.Count > 0 {
			n = min(n, float64(a.Count)) // the process stops after count arrivals
		}
		return n, nil
	case "burst":
		return float64(a.Count), nil
	case "trace":
		t := traces[a.Trace.Path]
		if t == nil {
			return 0, nil
		}
		// Only the rows that arrive before the horizon run: replaying the
		// head of a long trace over a short horizon was counted whole, and
		// refused or its stored rows sampled.
		if !a.Trace.Loop {
			return float64(rowsBefore(t, a.Trace.TimeScale, int64(horizon))) * a.Trace.RateScale, nil
		}
		// The simulator restarts a looped trace after its span plus one mean
		// gap, both stretched by time_scale and truncated to nanoseconds.
		span := float64(t.SpanNs()) * a.Trace.TimeScale
		period := math.Trunc(span) + math.Trunc(span/float64(max(t.Len()-1, 1)))
		if period < 1 {
			return 0, fmt.Errorf("trace %s with loop: true repeats forever at one instant: its %d requests span %v at time_scale %g; drop loop or give the trace distinct timestamps",
				t.Path, t.Len(), model.Duration(t.SpanNs()), a.Trace.TimeScale)
		}
		// Whole periods, then the rows of the last, partial one.
		whole := math.Floor(float64(horizon) / period)
		rest := int64(horizon) - int64(whole*period)
		return (whole*float64(t.Len()) + float64(rowsBefore(t, a.Trace.TimeScale, rest))) * a.Trace.RateScale, nil
	}
	return 0, nil
}

// rowsBefore is the number of a trace's rows that arrive before limitNs
// from its start, their offsets stretched by timeScale and truncated to
// nanoseconds as the simulator schedules them.
func rowsBefore(t *sim.Trace, timeScale float64, limitNs int64) int {
	return sort.Search(t.Len(), func(i int) bool {
		return int64(float64(t.OffsetsNs[i])*timeScale) >= limitNs
	})
}

// sampling is what applyBudget did to a scenario's request sample rate:
// lowered from given to keep its stored rows within the row budget, with
// the note saying so; the zero value where it left the rate alone.
type sampling struct {
	given float64 // the rate the scenario asked for
	note  string
}

// applyBudget refuses a run past the budget, with the estimate and what to
// change, and samples stored request rows past the row budget; it returns
// what it sampled, with a note saying so.
func applyBudget(sc *model.Scenario, e Estimate, b Budget) (sampling, error) {
	if e.Replicas > b.MaxReplicas {
		what := e.Fleet
		if len(sc.Pools) > 0 { // the sum is over the pools; name the largest
			what = "the most from " + what
		}
		return sampling{}, fmt.Errorf("%s would build about %.3g replicas (%s), past the budget of %.3g (about %s of memory before "+
			"the first request); lower the instance count, raise fleet.replica.tp, or raise the budget with %s",
			sc.Name, e.Replicas, what, b.MaxReplicas, bytesText(e.Replicas*bytesPerReplica), EnvMaxReplicas)
	}
	if held := b.MaxRequests * bytesPerRequest; e.HeldBytes > held {
		return sampling{}, fmt.Errorf("%s: its closed-loop clients would hold about %s at once before their requests count (most from %s), "+
			"past the %s the request budget of %.3g allows; lower arrivals.clients or agent.steps, or raise the budget with %s",
			sc.Name, bytesText(e.HeldBytes), e.HeldBy, bytesText(held), b.MaxRequests, EnvMaxRequests)
	}
	if e.HeldBytes > b.MaxMemoryBytes {
		return sampling{}, fmt.Errorf("%s: its closed-loop clients would hold about %s at once before their requests count (most from %s), "+
			"past the memory budget of %s; lower arrivals.clients or agent.steps, or raise the budget with %s (e.g. %s=8GB)",
			sc.Name, bytesText(e.HeldBytes), e.HeldBy, bytesText(b.MaxMemoryBytes), EnvMaxMemory, EnvMaxMemory)
	}
	if e.Requests > b.MaxRequests {
		return sampling{}, fmt.Errorf("%s would simulate about %.3g requests over %v (most from %s), past the budget of %.3g; "+
			"shorten the horizon (--horizon) or lower the rate "+
			"(each run of a sweep is checked alone, so shards would not help); or raise the budget with %s",
			sc.Name, e.Requests, sc.Horizon, e.Largest, b.MaxRequests, EnvMaxRequests)
	}
	if err := checkHeldRoom(sc, e, b); err != nil {
		return sampling{}, err
	}
	if e.RequestRows <= b.MaxRequestRows {
		return sampling{}, nil
	}
	given, rate := sc.Output.RequestSampleRate, sampleRate(b.MaxRequestRows/e.Requests)
	sc.Output.RequestSampleRate = rate
	return sampling{given: given, note: fmt.Sprintf("%s: about %.3g requests would store %.3g request rows, past %.3g (%s); storing a sample of %g of them "+
		"(output.request_sample_rate %g; KPIs still count every request)",
		sc.Name, e.Requests, e.RequestRows, b.MaxRequestRows, EnvMaxRequestRows, rate, rate)}, nil
}

// checkHeldRoom refuses a run whose memory budget, after FixedBytes, leaves
// room for fewer open requests at once than HeldFloor: its fleet could keep
// up and still be stopped as overloaded (16 replicas of 512 slots at a
// quarter full were, under 1 MB).
func checkHeldRoom(sc *model.Scenario, e Estimate, b Budget) error {
	room, floor := e.openRoom(b), e.HeldFloor()
	if room >= floor {
		return nil
	}
	each := max(e.BytesPerHeld, bytesPerRequest)
	need := e.FixedBytes() + floor*each
	fleet := e.Fleet
	if len(sc.Pools) > 0 { // the sum is over the pools; name the largest
		fleet = "the most from " + fleet
	}
	what := fmt.Sprintf("its fleet's %.0f batch slots (replicas x max_num_seqs: %s) and a queue of %.0f", e.Slots, fleet, e.queueMargin())
	if floor < e.Slots+e.queueMargin() {
		what += fmt.Sprintf(", or the %.0f requests of its whole run where fewer,", floor)
	}
	return fmt.Errorf("%s: %s need room for %.0f requests at once at %.0f bytes each, %s of memory with %s; "+
		"the memory budget of %s (%s) leaves room for %.0f; lower fleet.count, fleet.replica.max_num_seqs, arrivals.clients, "+
		"the traces' rows or agent.steps; or, on a machine with the memory, raise the budget with %s (e.g. %s=%s)",
		sc.Name, what, floor, each, bytesText(need), e.fixedParts(), bytesText(b.MaxMemoryBytes), EnvMaxMemory, room, EnvMaxMemory, EnvMaxMemory, suggestBytes(need))
}

// suggestBytes is a budget of whole GB, or MB below one, at least need.
func suggestBytes(need float64) string {
	if need < 1<<30 {
		return strconv.FormatFloat(math.Ceil(need/(1<<20)), 'f', 0, 64) + "MB"
	}
	return strconv.FormatFloat(math.Ceil(need/(1<<30)), 'f', 0, 64) + "GB"
}

// sampleRate rounds a rate down to two significant digits, so the stored
// scenario reads well and stays under the row budget.
func sampleRate(x float64) float64 {
	e := math.Floor(math.Log10(x)) - 1
	if e >= 0 {
		p := math.Pow(10, e)
		return math.Floor(x/p) * p
	}
	// Divide by the power of ten, which is exact to the nearest double
	// (0.7, not 7 x 0.1 = 0.7000000000000001).
	p := math.Pow(10, -e)
	return math.Floor(x*p) / p
}

func bytesText(b float64) string {
	for _, u := range []struct {
		size float64
		name string
	}{{1 << 40, "TB"}, {1 << 30, "GB"}, {1 << 20, "MB"}} {
		if b >= u.size {
			return strings.TrimSuffix(strconv.FormatFloat(b/u.size, 'f', 1, 64), ".0") + " " + u.name
		}
	}
	return strconv.FormatFloat(b/1024, 'f', 0, 64) + " KB"
}
