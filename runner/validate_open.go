package runner

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"aiecon/hw"
	"aiecon/model/format"
	"aiecon/sim"
)

// An open-loop row (hw.ServingPoint.OpenLoop) sent requests at a rate with
// exponential gaps, as `vllm bench serve --request-rate R` does, or all at
// once (rate inf), without waiting for answers. validate runs it on the
// chip's continuous-batching scheduler, as a closed loop, with the
// benchmark's own protocol where the row gives its prompt count (N
// requests from a cold start, statistics over all of them, averaged over
// openLoopSeeds draws of the arrival times, since one run of a few hundred
// Poisson arrivals is itself a sample), and otherwise as a steady state,
// warmed up and measured, which exists only below the replica's capacity.
const openLoopSeeds = 5

// openWarmLifetimes, openMeasureLifetimes and openMinArrivals size a steady
// open loop: a warm-up of at least 3 request lifetimes and 30 arrivals, a
// measurement of at least 12 lifetimes and 300 arrivals.
const openWarmLifetimes, openMeasureLifetimes, openMinArrivals = 3, 12, 300

// unstableBacklog is the share of a steady open loop's measured arrivals
// still unfinished at the end of its horizon above which its queue is
// growing: a stable loop leaves about one lifetime's arrivals in flight,
// 1/openMeasureLifetimes of them.
const unstableBacklog = 0.25

// writeOpenLoop writes the replica and workload of an open-loop point.
func writeOpenLoop(b *strings.Builder, pt hw.ServingPoint, sched string) {
	fmt.Fprintf(b, "  replica: {tp: %d, per_instance: 1, scheduler: %s, max_model_len: %d%s}\n",
		pt.TP, sched, pt.SeqLen, loopEngine(pt, sched))
	b.WriteString("workloads:\n  - name: open-loop\n    class: api\n")
	switch {
	case pt.AllAtOnce:
		fmt.Fprintf(b, "    arrivals: {process: burst, count: %d}\n", pt.Prompts)
	case pt.Prompts > 0:
		fmt.Fprintf(b, "    arrivals: {process: poisson, rate: %s/s, count: %d}\n", strconv.FormatFloat(pt.RequestRate, 'g', -1, 64), pt.Prompts)
	default:
		fmt.Fprintf(b, "    arrivals: {process: poisson, rate: %s/s}\n", strconv.FormatFloat(pt.RequestRate, 'g', -1, 64))
	}
	fmt.Fprintf(b, "    prompt_tokens: %d\n    output_tokens: %d\n", pt.InputTokens, pt.OutputTokens)
}

// loopEngine is the memory reserve and engine options of a loop's replica
// (a closed or an open loop, on any chip).
// On a GPU whose row's framework is vLLM: vLLM's defaults, its KV cache in
// what is left of 90% of the GPU memory after the weights
// (gpu_memory_utilization 0.9, vllm-project/vllm vllm/engine/arg_utils.py),
// so a 10% reserve. On other GPU rows: TensorRT-LLM's admission and budget
// (closedLoopGPUReplica, closedLoopTokenBudget), which the published GPU
// loops ran, and a 2% reserve as for every other row (the benchmarks ran the
// replica alone on its devices).
func loopEngine(pt hw.ServingPoint, sched string) string {
	switch {
	case sched != "vllm":
		return fmt.Sprintf(", memory_reserve: %g", hw.ValidationReserve)
	case strings.Contains(strings.ToLower(pt.Framework), "vllm"):
		return ", memory_reserve: 0.1"
	}
	return fmt.Sprintf(", memory_reserve: %g, max_batched_tokens: %d, %s", hw.ValidationReserve, closedLoopTokenBudget, closedLoopGPUReplica)
}

// openLoopSpan is the warm-up and horizon of an open loop: with a prompt
// count, no warm-up and a horizon well past the last arrival (drain
// finishes the rest); without one, a steady state's warm-up and
// measurement.
func openLoopSpan(pt hw.ServingPoint) (warmNs, horizonNs int64, err error) {
	if pt.AllAtOnce {
		return 0, 0, nil
	}
	if pt.Prompts > 0 {
		span := float64(pt.Prompts) / pt.RequestRate
		return 0, int64(max(4*span, span+60) * 1e9), nil
	}
	alone := pt
	alone.RequestRate, alone.Batch = 0, 1
	life, err := closedLoopLifetime(alone)
	if err != nil {
		return 0, 0, err
	}
	warm := max(openWarmLifetimes*life, 30/pt.RequestRate)
	measure := max(openMeasureLifetimes*life, openMinArrivals/pt.RequestRate)
	return int64(warm * 1e9), int64((warm + measure) * 1e9), nil
}

// loopDraws is how many runs a point's statistic is averaged over: an
// open loop's openLoopSeeds draws of its arrival times, one for a burst,
// which has none to draw, and for every other load.
func loopDraws(pt hw.ServingPoint) int {
	if pt.OpenLoop() && !pt.AllAtOnce {
		return openLoopSeeds
	}
	return 1
}

// openLoopWork is an open loop's simulated work in sequence-steps, every
// request it sends decoding its output over each draw of its arrivals,
// and what it is (for pastLoopBound): a counted loop sends its prompts, a
// steady one its rate over its warm-up and measurement (openLoopSpan); 0
// where that span has no closed form (the run names the error).
func openLoopWork(pt hw.ServingPoint) (steps float64, what string) {
	out := format.Thousands(int64(pt.OutputTokens))
	draws := loopDraws(pt)
	switch {
	case pt.AllAtOnce:
		return float64(pt.Prompts) * float64(pt.OutputTokens),
			fmt.Sprintf("%s requests at once x %s output tokens", format.Thousands(int64(pt.Prompts)), out)
	case pt.Prompts > 0:
		return float64(draws) * float64(pt.Prompts) * float64(pt.OutputTokens),
			fmt.Sprintf("%d draws of the arrivals x %s requests (num-prompts) x %s output tokens", draws, format.Thousands(int64(pt.Prompts)), out)
	}
	_, horizonNs, err := openLoopSpan(pt)
	if err != nil {
		return 0, ""
	}
	spanS := float64(horizonNs) / 1e9
	arrivals := pt.RequestRate * spanS
	return float64(draws) * arrivals * float64(pt.OutputTokens),
		fmt.Sprintf("%d draws of the arrivals x about %s requests (%g/s over its %s s of warm-up and measurement) x %s output tokens",
			draws, format.Thousands(int64(arrivals)), pt.RequestRate, format.Thousands(int64(spanS)), out)
}

// openLatencies are the TTFT and TPOT of an open loop's requests: every
// request of a counted run, or, in a steady one, those that arrived after
// the warm-up. A steady run whose backlog grows is an error: its latencies
// would only say how long the simulation ran.
func openLatencies(pt hw.ServingPoint, reqs []sim.RequestRecord, warmNs int64) (ttft, tpot []float64, err error) {
	var measured, unfinished int
	for _, r := range reqs {
		if r.ArrivalNs < warmNs {
			continue
		}
		measured++
		if r.Status != sim.StatusCompleted {
			unfinished++
			continue
		}
		ttft, tpot = appendLatencies(ttft, tpot, &r)
	}
	switch {
	case pt.Prompts > 0 && unfinished > 0:
		return nil, nil, fmt.Errorf("%d of the %d requests did not complete", unfinished, measured)
	case pt.Prompts == 0 && float64(unfinished) > unstableBacklog*float64(measured):
		return nil, nil, &unstableLoadError{rate: pt.RequestRate, share: float64(unfinished) / float64(measured)}
	case len(ttft) == 0:
		return nil, nil, errors.New("no request of the open loop completed")
	}
	return ttft, tpot, nil
}

// unstableLoadError is a steady open loop above the simulated replica's
// capacity: its queue grows for as long as it runs, so without the row's
// prompt count nothing says how long the measurement ran.
type unstableLoadError struct{ rate, share float64 }

func (e *unstableLoadError) Error() string {
	return fmt.Sprintf("%g requests/s is more than the simulated replica serves (%.0f%% of the measured arrivals still waiting at the end), and the row gives no prompt count (num-prompts) to say how long the benchmark's queue grew", e.rate, 100*e.share)
}

// statistic is the function of a sample the point's stat column names:
// the median (the mean of the middle two of an even count), the mean, or
// a percentile with linear interpolation between order statistics (as
// numpy's percentile, which vLLM's benchmark reports).
func statistic(pt hw.ServingPoint) func([]float64) float64 {
	q, ok := pt.Quantile()
	switch {
	case !ok:
		return mean
	case q == 0.5:
		return median
	}
	return func(xs []float64) float64 { return quantile(xs, q) }
}

func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}

// ReproduceScenario is the scenario validate runs for a point under the
// protocol and the overrides its run adds (the seed of its first run, and
// for a loop the horizon that sets its warm-up and measurement, or its cold
// window), so that the row can be run, inspected and varied with `aiecon
// run FILE --set ...`. windowS is the cold window it is measured over, 0
// for a steady state (ClosedLoopProtocol.WindowFor).
func ReproduceScenario(pt hw.ServingPoint, windowS float64) (yamlText string, sets []string, err error) {
	if err := pt.Validate(); err != nil {
		return "", nil, &InputError{Err: err}
	}
	if reason := cannotValidate(pt); reason != "" {
		return "", nil, &InputError{Err: fmt.Errorf("validate skips this row, so there is no scenario to print: %s", reason)}
	}
	if yamlText, err = validationScenario(pt, windowS > 0); err != nil {
		return "", nil, &InputError{Err: err}
	}
	span, err := runSpan(pt, windowS)
	if err != nil {
		return "", nil, err
	}
	return yamlText, append([]string{"seed=1"}, span.sets...), nil
}
