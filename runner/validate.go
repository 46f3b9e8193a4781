package runner

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/llm"
	"aiecon/sim"
)

// ValidationRow is one published serving point against the simulator.
type ValidationRow struct {
	Point                hw.ServingPoint
	PredTTFTS, PredTPOTS float64 // the simulated statistic the point reports (median or mean)
	TTFTErr, TPOTErr     float64 // signed relative errors: predicted/measured - 1; 0 for a metric the row does not publish
	// Scheduler is the scheduler simulated: "static", "neuron" or "vllm";
	// Admission is the loop's KV admission ("on-demand", or "reserve-max"
	// where a GPU loop runs the vllm scheduler under TensorRT-LLM's
	// admission, token budget and KV fraction, loopEngine; "" for a static
	// batch). A TensorRT-LLM loop is named by the two together, not by a
	// scheduler the simulator does not have.
	Scheduler, Admission string
	// Extrapolated says where the row's layout lies outside the
	// measurements its family's step-time constants were fitted to (the
	// run report's STEP TIMES EXTRAPOLATED); "" when they cover it.
	Extrapolated string
	// PastContext says that the row's seq_len is past the model's
	// published context ("" when it is not): a layout the model as released
	// does not serve, which some benchmarks compile on purpose.
	PastContext string
	// Heads says that the row's attention heads are not divisible by its
	// TP degree on a chip whose serving stack requires them to be
	// (HeadsNotes: Trainium); the simulator pads them. "" otherwise (on a
	// GPU such a row is refused, as a scenario is).
	Heads string
	// Notes are what else a reader needs to weigh the row's error: a loop
	// whose KV cache holds only some of its clients, a run cut short
	// (rowNotes).
	Notes []string
	// PredBatch is, for a closed loop, the simulated mean number of
	// sequences decoding over the measurement (0 for a static batch), to
	// set beside the batch the measurement implies (Point.DecodingBatch).
	PredBatch float64
	// WindowS is, for a closed loop measured by ProtocolColdWindow, its
	// window in seconds; 0 for one measured in its steady state, and for
	// any other row.
	WindowS float64
}

// ValidationGroup is the error of one (instance, model, TP, weights) group:
// mean absolute and mean signed relative errors of each metric.
type ValidationGroup = hw.CVGroup

// ValidationReport is every row, the groups, the rows left out and the
// overall mean absolute percentage errors (as fractions).
type ValidationReport struct {
	Rows     []ValidationRow
	Groups   []ValidationGroup
	Skipped  []hw.SkippedPoint
	MAPETTFT float64
	MAPETPOT float64
	MAPE     float64 // the mean of the two metrics' (of the one, where no row publishes the other)
	// TTFTRows and TPOTRows count the rows that publish each metric (the
	// MAPE of a metric no row publishes is 0 and means nothing).
	TTFTRows, TPOTRows int
	Calibration        string
	// ReadAs maps each model name of the file that is not a catalog name
	// to the catalog release it was read as (a Hugging Face id, a chat or
	// instruct fine-tune: llm.Lookup).
	ReadAs map[string]string
}

// ValidateOptions control a validation.
type ValidateOptions struct {
	// Sets override fields of every point's scenario (--calibration names
	// the profile this way).
	Sets []string
	// SkipUnknown skips rows of models or instances the catalog lacks (listed with the
	// reason) instead of failing on the first.
	SkipUnknown bool
	// Progress, when set, is called after each point with the points done
	// and their total: a file of long closed loops can take minutes.
	Progress func(done, total int)
	// Starting, when set, is called as a point's simulation begins (a
	// skipped point has none): one closed loop can take a minute.
	Starting func(pt hw.ServingPoint)
	// Protocol is how the closed loops are measured: by default, in their
	// steady state, or in a cold window where a row states its window_s.
	Protocol ClosedLoopProtocol
}

// Validate simulates each serving point as its benchmark ran it and compares
// the statistic the point reports (median or mean TTFT and TPOT) with the
// measurement. A static batch is `batch` identical requests arriving
// together on one replica of the point's TP degree, batched statically (the
// whole batch's prompts in one context pass; on Neuron, padded to the
// compiled buckets as transformers-neuronx does); docs/calibration.md says
// how each kind of row is run. Rows aiecon cannot express yet are skipped
// with the reason.
func Validate(ctx context.Context, points []hw.ServingPoint, opts ValidateOptions) (*ValidationReport, error) {
	rep := &ValidationReport{}
	if err := opts.Protocol.Check(); err != nil {
		return nil, err
	}
	if err := opts.Protocol.CheckPoints(points); err != nil {
		return nil, err
	}
	if err := opts.Protocol.CheckWork(points); err != nil {
		return nil, err
	}
	for i, pt := range points {
		if opts.Progress != nil && i > 0 {
			opts.Progress(i, len(points))
		}
		if err := ctx.Err(); err != nil { // a stop signal between rows (one during a row is below)
			return nil, fmt.Errorf("validate: %w; stopped by a signal before %s", err, pointWhere(pt))
		}
		ok, err := rep.admit(pt, opts)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if opts.Starting != nil {
			opts.Starting(pt)
		}
		row, source, err := validatePoint(ctx, pt, opts.Sets, opts.Protocol.WindowFor(pt))
		if err != nil && ctx.Err() != nil {
			// A signal during the row's run: its error is the cancellation
			// seen somewhere inside, which does not say a signal stopped it.
			return nil, fmt.Errorf("validate: %w; stopped by a signal while simulating %s", ctx.Err(), pointWhere(pt))
		}
		var split *splitBatchError
		var unstable *unstableLoadError
		var noSteady *noSteadyCompletionError
		if errors.As(err, &split) || errors.As(err, &unstable) || errors.As(err, &noSteady) || isSkippedWindow(err) {
			rep.Skipped = append(rep.Skipped, hw.SkippedPoint{Point: pt, Reason: err.Error()})
			continue
		}
		if layout := (*layoutRefusal)(nil); errors.As(err, &layout) {
			if err := rep.skipLayout(pt, layout.msg, opts); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pointWhere(pt), err)
		}
		rep.Calibration = source
		rep.Rows = append(rep.Rows, row)
	}
	if opts.Progress != nil {
		opts.Progress(len(points), len(points))
	}
	rep.summarise()
	return rep, nil
}

// admit says whether pt is to be simulated. A row aiecon cannot express, a
// loop too long to run (loopTooLong), or (under --skip-unknown) a row
// of an unknown model, instance or layout, is
// added to the skipped rows, and without --skip-unknown an unknown one is
// the error; a model read as a catalog release is noted in ReadAs.
func (rep *ValidationReport) admit(pt hw.ServingPoint, opts ValidateOptions) (bool, error) {
	if reason := cannotValidate(pt); reason != "" {
		rep.Skipped = append(rep.Skipped, hw.SkippedPoint{Point: pt, Reason: reason})
		return false, nil
	}
	arch, err := pt.Arch()
	if err != nil {
		if opts.SkipUnknown {
			rep.Skipped = append(rep.Skipped, hw.SkippedPoint{Point: pt, Reason: "unknown model (--skip-unknown)"})
			return false, nil
		}
		return false, &InputError{Err: fmt.Errorf("%s: %w; or give its shape in a --models file, or pass --skip-unknown", pointWhere(pt), err)}
	}
	if _, err := hw.InstanceByName(pt.Instance); err != nil {
		if opts.SkipUnknown {
			rep.Skipped = append(rep.Skipped, hw.SkippedPoint{Point: pt, Reason: "unknown instance (--skip-unknown)"})
			return false, nil
		}
		return false, &InputError{Err: fmt.Errorf("%s: %w; or pass --skip-unknown", pointWhere(pt), err)}
	}
	if reason := unrunnableLayout(pt, arch); reason != "" {
		return false, rep.skipLayout(pt, reason, opts)
	}
	if reason := loopTooLong(pt, opts.Protocol.WindowFor(pt)); reason != "" {
		rep.Skipped = append(rep.Skipped, hw.SkippedPoint{Point: pt, Reason: reason})
		return false, nil
	}
	if arch.Name != strings.ToLower(strings.TrimSpace(pt.Model)) {
		if rep.ReadAs == nil {
			rep.ReadAs = map[string]string{}
		}
		rep.ReadAs[pt.Model] = arch.Name
	}
	return true, nil
}

// pointWhere names a point by its file and line where it has them.
func pointWhere(pt hw.ServingPoint) string {
	switch {
	case pt.File != "" && pt.Line > 0:
		return fmt.Sprintf("%s:%d (%s)", pt.File, pt.Line, pt)
	case pt.Line > 0:
		return fmt.Sprintf("line %d (%s)", pt.Line, pt)
	}
	return pt.String()
}

// skipLayout lists pt as skipped for a layout aiecon cannot run (reason)
// under --skip-unknown; otherwise it is the error that names the row.
func (rep *ValidationReport) skipLayout(pt hw.ServingPoint, reason string, opts ValidateOptions) error {
	if !opts.SkipUnknown {
		return &InputError{Err: fmt.Errorf("%s: %s; or pass --skip-unknown", pointWhere(pt), reason)}
	}
	rep.Skipped = append(rep.Skipped, hw.SkippedPoint{Point: pt, Reason: reason + " (--skip-unknown)"})
	return nil
}

// unrunnableLayout says why aiecon cannot lay the row's model out on its
// instance ("" if it can): a TP degree the instance's serving stacks do not
// support (the catalog's, from the vendor's documentation), weights that
// do not fit in its devices' memory at that degree, or on a compiled chip a
// static batch whose compiled KV cache does not fit beside them.
func unrunnableLayout(pt hw.ServingPoint, arch llm.Arch) string {
	inst, err := hw.InstanceByName(pt.Instance)
	if err != nil {
		return err.Error()
	}
	if degrees, err := inst.TPDegrees(); err == nil && !slices.Contains(degrees, pt.TP) {
		return fmt.Sprintf("tp %d is not a degree %s supports (allowed: %s)", pt.TP, pt.Instance, model.JoinInts(degrees))
	}
	chip, err := inst.ChipSpec()
	if err != nil {
		return err.Error()
	}
	if reason := hw.WeightsDoNotFit(pt, arch, chip); reason != "" {
		return reason
	}
	return hw.StaticKVDoesNotFit(pt, arch, chip)
}

// cannotValidate says why a row is not simulated ("" if it is).
func cannotValidate(pt hw.ServingPoint) string {
	if reason := pt.UnmodelledWeights(); reason != "" {
		return reason
	}
	if pt.Speculative() {
		// The simulator prices speculation (fleet.replica.speculative) from
		// an acceptance rate, which these rows do not publish; fitting it to
		// the row would make the comparison circular.
		return "speculative decoding (" + pt.SpecDecode + "): the row publishes no acceptance rate to simulate it with"
	}
	if pt.UnknownLoad != "" {
		return fmt.Sprintf("metric_kind %q is none of the loads aiecon simulates (a static batch, a closed loop of concurrency=N clients, an open loop at request-rate=R)", pt.UnknownLoad)
	}
	if pt.AllAtOnce && pt.Prompts == 0 {
		return "request rate inf sends every prompt at once, and the row does not say how many (num-prompts)"
	}
	return ""
}

// validationScenario is the scenario YAML that reproduces a serving point
// as the protocol measures it; cold says that a closed loop
// is measured in a cold window (ProtocolColdWindow), whose clients all
// start at 0 whatever the row says of its lengths (no closedLoopRamp).
func validationScenario(pt hw.ServingPoint, cold bool) (string, error) {
	inst, err := hw.InstanceByName(pt.Instance)
	if err != nil {
		return "", err
	}
	sh := pt.Shard()
	model, err := validationModel(pt)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "name: validate-%s-%s-tp%d-bs%d\n", pt.Model, pt.Instance, pt.TP, pt.Batch)
	fmt.Fprintf(&b, "horizon: 1h\ndrain: true\nmodel: %s\n", model)
	fmt.Fprintf(&b, "precision: {weights: %s, kv_cache: %s}\n", sh.Weights, sh.KV)
	fmt.Fprintf(&b, "fleet:\n  instance: %s\n  count: 1\n", pt.Instance)
	if !inst.OnDemand.Known {
		b.WriteString("  price_usd_per_hour: 1 # cost plays no part in validation\n")
	}
	// The benchmarks ran the whole batch at once: leave the replica all its
	// memory (a 2% reserve) so that the batch's KV cache fits beside the
	// weights where it did on the hardware.
	if pt.ClosedLoop() {
		ramp := "" // a cold window starts every client at 0
		if !cold {
			if ramp, err = closedLoopRamp(pt); err != nil {
				return "", err
			}
		}
		writeClosedLoop(&b, pt, chipScheduler(inst), ramp)
		return b.String(), nil
	}
	if pt.OpenLoop() {
		writeOpenLoop(&b, pt, chipScheduler(inst))
		return b.String(), nil
	}
	fmt.Fprintf(&b, "  replica: {tp: %d, per_instance: 1, scheduler: static, max_num_seqs: %d, max_model_len: %d, memory_reserve: %g}\n", pt.TP, pt.Batch, pt.SeqLen, hw.ValidationReserve)
	fmt.Fprintf(&b, "workloads:\n  - name: static-batch\n    class: api\n    arrivals: {process: burst, count: %d}\n", pt.Batch)
	fmt.Fprintf(&b, "    prompt_tokens: %d\n    output_tokens: %d\n", pt.InputTokens, pt.OutputTokens)
	return b.String(), nil
}

// chipScheduler is the continuous-batching scheduler a closed loop runs on:
// the chip's default (neuron on Neuron, vllm on GPUs).
func chipScheduler(inst *hw.Instance) string {
	chip, err := inst.ChipSpec()
	if err != nil {
		return "vllm"
	}
	s, err := hw.DefaultScheduler(chip.Family)
	if err != nil {
		return "vllm"
	}
	return s
}

// closedLoopCycles are how many request lifetimes a closed loop runs before
// measuring (the clients all start at once) and then measures over.
const closedWarmCycles, closedMeasureCycles = 3, 12

// closedLoopTokenBudget is the per-iteration token budget of a GPU closed
// loop: how many prompt and decode tokens one in-flight-batching iteration may
// carry. The published closed loops (NVIDIA NIM on TensorRT-LLM, an older
// release) do not state their engine's limit, and no public source at hand
// gives NIM's default, so this is a fitted assumption, said plainly in
// docs/calibration.md: over powers of two on gpu-nim-a100.csv, under
// reserve-max admission with kv_memory_fraction 0.8 (closedLoopGPUReplica),
// 32,768 gave the smallest mean error (TTFT / TPOT: 8,192, vLLM's default,
// 34.3% / 13.5%; 16,384: 24.8% / 13.5%; 32,768: 16.4% / 14.2%; 65,536:
// 18.5% / 15.7%; 131,072: 28.6% / 17.3%; the same minimum before link_frac,
// with the GPUs' memory read as GB, and with on-demand admission).
// With all the clients of a loop sending at once, a larger budget prefills
// more of their prompts in one pass, and each waits for the pass.
const closedLoopTokenBudget = 32768

// closedLoopGPUReplica is how a GPU closed loop's engine admits and sizes
// its KV cache. The published loops ran TensorRT-LLM, whose batch manager's
// default capacity scheduler policy, GUARANTEED_NO_EVICT, admits a request
// only when KV blocks for its prompt plus its maximum output can be reserved
// (NVIDIA/TensorRT-LLM cpp/include/tensorrt_llm/executor/executor.h,
// SchedulerConfig), and which gives the KV cache a fraction of the memory
// free after the engine loads, documented as 0.9 by default
// (kv_cache_free_gpu_mem_fraction, docs/source/reference/memory.md). Neither
// default could be checked against a copy at hand, so the fraction was
// fitted over 0.75 to 1 (TTFT / TPOT MAPE 17.1 / 14.2, 16.4 / 14.2 at 0.8,
// 16.9 / 14.2, 17.4 / 14.5 at 0.9, 17.7 / 14.4, 18.1 / 14.4 at 1). 0.8 fits
// best: the engines keep less KV cache than the documented 0.9 of their free
// memory gives (13-22% less for Llama-3-8B, 30-37% for Llama-3-70B), memory
// the rows do not account for, and 0.8 is the one fraction that serves both
// (docs/calibration.md). With the GPUs' memory read as GB (80e9 bytes, not
// 80 GiB) 0.9 had fitted best, by the same margin of memory.
const closedLoopGPUReplica = "admission: reserve-max, kv_memory_fraction: 0.8"

// writeClosedLoop writes the replica and workload of a closed-loop point:
// Concurrency clients with no think time on the chip's continuous-batching
// scheduler, run for warm-up plus measurement (see closedLoopSpan); the
// horizon line is rewritten by the caller.
func writeClosedLoop(b *strings.Builder, pt hw.ServingPoint, sched, ramp string) {
	fmt.Fprintf(b, "  replica: {tp: %d, per_instance: 1, scheduler: %s, max_num_seqs: %d, max_model_len: %d%s}\n",
		pt.TP, sched, max(pt.Concurrency, 1), pt.SeqLen, loopEngine(pt, sched))
	fmt.Fprintf(b, "workloads:\n  - name: closed-loop\n    class: api\n    arrivals: {process: closed, clients: %d, think_time: 0s%s}\n", pt.Concurrency, ramp)
	fmt.Fprintf(b, "    prompt_tokens: %d\n    output_tokens: %d\n", pt.InputTokens, pt.OutputTokens)
}

// closedLoopRamp is the arrivals' ramp field of a closed loop (", ramp:
// D", or ""). Clients that start together and send requests of one length
// stay in step for ever in the simulator: with two clients on Neuron's
// scheduler one waits for the other's prefill every time, a TTFT half
// again a prefill. That is how a benchmark forcing the output length runs
// (GenAI-Perf, the NIM rows), but where the row says the lengths were left
// to the model (VaryingLengths), its clients drift apart; the clients then
// join over one predicted request lifetime, which starts them out of step
// without inventing a length distribution the row does not give.
func closedLoopRamp(pt hw.ServingPoint) (string, error) {
	if !pt.VaryingLengths() || pt.Concurrency < 2 {
		return "", nil
	}
	life, err := closedLoopLifetime(pt)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(", ramp: %dms", max(int64(life*1e3), 1)), nil
}

// closedLoopSpan is the warm-up and the whole horizon of a closed-loop
// point's run: a request's lifetime as the closed form predicts it, times
// warm and warm plus measure (closedLoopCycles).
func closedLoopSpan(pt hw.ServingPoint, warm, measure int) (warmNs, horizonNs int64, err error) {
	life, err := closedLoopLifetime(pt)
	if err != nil {
		return 0, 0, err
	}
	warmNs = int64(float64(warm) * life * 1e9)
	return warmNs, warmNs + int64(float64(measure)*life*1e9), nil
}

// closedLoopLifetime is a request's lifetime in seconds, TTFT plus its
// decode steps, as the closed form predicts it for the point.
func closedLoopLifetime(pt hw.ServingPoint) (float64, error) {
	arch, err := pt.Arch()
	if err != nil {
		return 0, err
	}
	inst, _, s, err := hw.InstanceDefaults(pt.Instance)
	if err != nil {
		return 0, err
	}
	perf, err := hw.NewPerf(inst, pt.TP, hw.AssumedEfficiency, s)
	if err != nil {
		return 0, err
	}
	pr, err := hw.Predict(pt, arch, perf)
	if err != nil {
		return 0, err
	}
	return pr.TTFTS + float64(pt.OutputTokens-1)*pr.TPOTS, nil
}

// validationModel is the model field of a point's scenario: the catalog
// name, or the shape inline: a models file's (hw.ServingPoint.Inline), or,
// where the benchmark ran past the model's published context (the Neuron
// tables run Llama-2-7B at 8,192 and Llama-2-13B at 16,384 tokens), the
// catalog's with max_context raised to the point's seq_len.
func validationModel(pt hw.ServingPoint) (string, error) {
	a, err := pt.Arch()
	if err != nil {
		return "", err
	}
	if pt.Inline == nil && pt.SeqLen <= a.MaxContext {
		return a.Name, nil
	}
	if pt.SeqLen > a.MaxContext {
		a.MaxContext = pt.SeqLen
		a.Name += "-ctx" + strconv.Itoa(pt.SeqLen)
	}
	b, err := yaml.MarshalWithOptions(a, yaml.Flow(true))
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// validatePoint simulates pt and compares it; windowS is the cold window a
// closed loop is measured over (ClosedLoopProtocol.WindowFor), 0 for its
// steady state.
func validatePoint(ctx context.Context, pt hw.ServingPoint, sets []string, windowS float64) (ValidationRow, string, error) {
	row := ValidationRow{Point: pt, WindowS: windowS}
	if err := pt.Validate(); err != nil {
		return row, "", &InputError{Err: err}
	}
	yamlText, err := validationScenario(pt, windowS > 0)
	if err != nil {
		return row, "", &InputError{Err: err}
	}
	span, err := runSpan(pt, windowS)
	if err != nil {
		return row, "", err
	}
	seeds := loopDraws(pt)
	stat := statistic(pt)
	var run simulated
	for seed := 1; seed <= seeds; seed++ {
		all := append(append([]string{"seed=" + strconv.Itoa(seed)}, span.sets...), sets...)
		if run, err = simulatePoint(ctx, yamlText, all); err != nil {
			return row, "", err
		}
		var ttft, tpot []float64
		switch {
		case pt.ClosedLoop():
			ttft, tpot, row.PredBatch, err = closedLatencies(pt, run, span)
		case pt.OpenLoop():
			ttft, tpot, err = openLatencies(pt, run.sink.Reqs, span.warmNs)
		default:
			ttft, tpot, err = latencies(run.sink.Reqs, pt.Batch)
		}
		if split := (*splitBatchError)(nil); errors.As(err, &split) {
			split.explain(run.sc, pt)
		}
		if err != nil {
			return row, "", err
		}
		// Over several seeds, the mean of each run's statistic.
		row.PredTTFTS += stat(ttft) / float64(seeds)
		row.PredTPOTS += stat(tpot) / float64(seeds)
	}
	row.Scheduler, row.Admission = simulatedEngine(pt, run.sc)
	row.Extrapolated = validationExtrapolation(run.sc, run.res)
	row.PastContext = pastContext(pt)
	row.Heads = headsNote(run.sc.Model, run.sc.Fleet)
	row.Notes = rowNotes(pt, row, run.sc, span)
	if pt.HasTTFT() {
		row.TTFTErr = row.PredTTFTS/(pt.TTFTMs/1e3) - 1
	}
	if pt.HasTPOT() {
		row.TPOTErr = row.PredTPOTS/(pt.TPOTMs/1e3) - 1
	}
	return row, run.source, nil
}

// pointSpan is how long a point's run is: the warm-up its statistics
// leave out, the overrides that set its run's length, for a closed loop
// cut short (closedLoopCycles), the cycles it ran instead of the usual, and
// for one measured in a cold window, the window.
type pointSpan struct {
	warmNs      int64
	sets        []string
	warm, cycle int   // a cut closed loop's warm-up and measured lifetimes; 0 if not cut
	windowNs    int64 // a cold-window loop's window (ProtocolColdWindow); 0 for a steady one
}

// runSpan is a point's pointSpan: a closed loop and a steady open loop run
// for warm-up plus measurement and stop (no drain), a cold-window loop
// (windowS above 0) for its window and stop; a static batch and a counted
// open loop run until every request is done.
func runSpan(pt hw.ServingPoint, windowS float64) (pointSpan, error) {
	var sp pointSpan
	var horizonNs int64
	var err error
	switch {
	case pt.ClosedLoop() && windowS > 0:
		// whole milliseconds, as the horizon below is set
		sp.windowNs = int64(math.Round(windowS*1e3)) * 1e6
		horizonNs = sp.windowNs
	case pt.ClosedLoop():
		warm, measure := closedLoopCycles(pt)
		if warm != closedWarmCycles || measure != closedMeasureCycles {
			sp.warm, sp.cycle = warm, measure
		}
		sp.warmNs, horizonNs, err = closedLoopSpan(pt, warm, measure)
	case pt.OpenLoop():
		sp.warmNs, horizonNs, err = openLoopSpan(pt)
	}
	if err != nil || horizonNs == 0 {
		return sp, err
	}
	h := fmt.Sprintf("%dms", max(horizonNs/1e6, 1000))
	sp.sets = []string{"horizon=" + h, "window=" + h}
	if pt.ClosedLoop() || pt.Prompts == 0 {
		sp.sets = append(sp.sets, "drain=false")
	}
	return sp, nil
}

// simulated is what one run of a point's scenario gave: its records, its
// resolved scenario and result (for the notes on the row), and the
// calibration's source.
type simulated struct {
	sink   *sim.MemorySink
	sc     *model.Scenario
	res    *sim.Result
	source string
}

// simulatePoint runs a point's scenario.
func simulatePoint(ctx context.Context, yamlText string, sets []string) (simulated, error) {
	l, err := LoadSource("validation point", []byte(yamlText), "", sets)
	if err != nil {
		return simulated{}, unlocated(err)
	}
	cal, err := LoadCalibration(l.Scenario)
	if err != nil {
		return simulated{}, err
	}
	sink := &sim.MemorySink{}
	world, err := sim.New(sim.Config{Scenario: l.Scenario, Efficiency: cal.Eff, Serving: cal.Serving, Profile: cal.Profile, Sink: sink})
	if err != nil {
		return simulated{}, err
	}
	res, err := world.Run(ctx)
	if err != nil {
		return simulated{}, err
	}
	return simulated{sink, l.Scenario, res, cal.Source}, nil
}

// appendLatencies appends a completed request's TTFT, and its TPOT where
// it has more than one output token, in seconds.
func appendLatencies(ttft, tpot []float64, r *sim.RequestRecord) ([]float64, []float64) {
	ttft = append(ttft, float64(r.FirstTokenNs-r.ArrivalNs)/1e9)
	if r.OutputTokens > 1 {
		tpot = append(tpot, float64(r.FinishNs-r.FirstTokenNs)/1e9/float64(r.OutputTokens-1))
	}
	return ttft, tpot
}

// latencies returns each request's TTFT and TPOT; it fails if a request did
// not complete or the batch did not run as one (its KV cache too small).
func latencies(reqs []sim.RequestRecord, batch int) (ttft, tpot []float64, err error) {
	if len(reqs) != batch {
		return nil, nil, fmt.Errorf("%d of %d requests recorded", len(reqs), batch)
	}
	for _, r := range reqs {
		if r.Status != sim.StatusCompleted {
			return nil, nil, fmt.Errorf("request %d ended %v", r.ID, r.Status)
		}
		if r.StartNs != reqs[0].StartNs {
			return nil, nil, &splitBatchError{batch: batch}
		}
		ttft, tpot = appendLatencies(ttft, tpot, &r)
	}
	return ttft, tpot, nil
}

// splitBatchError is a static batch that did not fit the replica's KV cache
// in aiecon's memory budget, so the simulator ran it as several batches;
// why is the figures explain adds.
type splitBatchError struct {
	batch int
	why   string
}

func (e *splitBatchError) Error() string {
	msg := fmt.Sprintf("the batch of %d does not fit the KV cache beside the weights in aiecon's memory budget", e.batch)
	if e.why != "" {
		msg += ": " + e.why
	}
	return msg
}

// steadyLatencies are the TTFT and TPOT of the requests of a closed loop
// that arrived after the warm-up and completed.
func steadyLatencies(reqs []sim.RequestRecord, warmNs int64) (ttft, tpot []float64, err error) {
	for _, r := range reqs {
		if r.Status != sim.StatusCompleted || r.ArrivalNs < warmNs {
			continue
		}
		ttft, tpot = appendLatencies(ttft, tpot, &r)
	}
	if len(ttft) == 0 {
		return nil, nil, &noSteadyCompletionError{warmS: float64(warmNs) / 1e9}
	}
	return ttft, tpot, nil
}

// noSteadyCompletionError is a steady closed loop none of whose requests
// that arrived after the warm-up completed before its run stopped: each
// outlived the lifetimes the closed form predicted (the run's length, set
// by closedLoopSpan), so there is nothing to score. The row is skipped,
// saying so, as an empty cold window is (emptyWindowError); the rest of the
// file is still scored. runS and lifeS are 0 where unknown.
type noSteadyCompletionError struct{ warmS, runS, lifeS float64 }

func (e *noSteadyCompletionError) Error() string {
	msg := fmt.Sprintf("no request of the closed loop that arrived after its %.1f s warm-up completed", e.warmS)
	if e.runS > e.warmS {
		msg += fmt.Sprintf(" by the end of its %.1f s run", e.runS)
	}
	msg += ", so it has nothing to score"
	if e.lifeS > 0 {
		msg += fmt.Sprintf(" (the run was sized by a request's lifetime as the closed form predicts it, %.1f s; the simulated loop's requests took longer)", e.lifeS)
	}
	return msg
}

func (rep *ValidationReport) summarise() {
	rows := make([]hw.FitRow, len(rep.Rows))
	for i, r := range rep.Rows {
		rows[i] = hw.FitRow{Point: r.Point, TTFTRelErr: r.TTFTErr, TPOTRelErr: r.TPOTErr}
	}
	rep.Groups, rep.MAPETTFT, rep.MAPETPOT = hw.GroupErrors(rows)
	rep.TTFTRows, rep.TPOTRows = hw.MetricRows(rep.Groups)
	switch {
	case rep.TTFTRows == 0:
		rep.MAPE = rep.MAPETPOT
	case rep.TPOTRows == 0:
		rep.MAPE = rep.MAPETTFT
	default:
		rep.MAPE = (rep.MAPETTFT + rep.MAPETPOT) / 2
	}
}

// Worst returns the n rows with the largest absolute log error of either metric.
func (rep *ValidationReport) Worst(n int) []ValidationRow {
	return hw.WorstBy(rep.Rows, n, func(r ValidationRow) (float64, float64) { return r.TTFTErr, r.TPOTErr })
}

// median of xs (the mean of the middle two for an even count); NaN if empty.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// unlocated drops the file, line and column of errors in a generated
// scenario: they point into text the user never saw ("built-in validation
// point:9:71"); the field and the message remain.
func unlocated(err error) error {
	var errs model.Errors
	if !errors.As(err, &errs) {
		return err
	}
	msgs := make([]string, len(errs))
	layout := true
	for i, e := range errs {
		msgs[i] = e.Field + ": " + e.Msg
		if e.Field == "fleet.replica.max_model_len" {
			// The row's seq_len set it: say so in the row's own terms.
			msgs[i] = "seq_len (the replica's max_model_len): " + strings.ReplaceAll(e.Msg, "lower max_model_len or raise tp", "use a shorter seq_len or a larger tp")
		}
		layout = layout && (e.Field == "fleet.replica.tp" || e.Field == "fleet.replica.max_model_len")
	}
	msg := strings.Join(msgs, "; ")
	if layout {
		return &InputError{Err: &layoutRefusal{msg}}
	}
	return &InputError{Err: errors.New(msg)}
}

// layoutRefusal is a point's scenario refused for its layout alone: weights
// that leave no room beside the memory reserve, or no room for one request
// of the row's length (the scenario's memory check), which --skip-unknown
// skips as it skips the layouts unrunnableLayout finds first.
type layoutRefusal struct{ msg string }

func (e *layoutRefusal) Error() string { return e.msg }
