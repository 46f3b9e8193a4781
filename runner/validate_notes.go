package runner

import (
	"fmt"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/llm"
	"aiecon/sim"
)

// closedLoopMaxSeqSteps bounds a closed loop's simulated work: clients x
// output tokens x request lifetimes run, the sequence-steps of decoding
// that dominate its cost. A loop is cut to fewer lifetimes to stay under
// it, and skipped where even closedLoopMinCycles pass it: the cap had cut
// no loop below 3 lifetimes, so it bounded nothing. Its cost is the
// engine's iterations, the steps over the batch the KV cache holds, so
// long contexts cost most (Llama-3.1-8B on one H100 over 3 lifetimes:
// 1,024 clients x 32,552 tokens, 100M steps, 4.9 s; 256 x 130,208, 100M,
// 24 s; 4,096 x 100,000, 1.2G, 90 s; the input limits allow ten times
// more). At 30M the slowest loop run, one client in the cache, takes some
// 20 s. The largest published loop (gpu-nim-a100.csv: 250 clients x 2,000
// tokens x 15 = 7.5M) stays well under it, so no published row is cut.
const closedLoopMaxSeqSteps = 30e6

// loopSkipSeqSteps is the hard bound on a loop's work: a row whose least
// work passes it is skipped (loopTooLong). It is ten times the closed
// loop's cap, not the cap, because a skipped row is a measurement left
// unchecked, where one that runs a minute or two (shown on the progress
// line) is only slow; 4,096 clients x 100,000 tokens, 1.2G steps over 3
// lifetimes, took 90 s and is skipped.
const loopSkipSeqSteps = 10 * closedLoopMaxSeqSteps

// closedLoopMinCycles is the fewest request lifetimes a cut loop runs, one
// of warm-up and two measured: with fewer nothing steady is measured.
const closedLoopMinCycles = 3

// closedLoopLifeSteps is one request lifetime of a closed loop in
// sequence-steps: every client decoding its output.
func closedLoopLifeSteps(pt hw.ServingPoint) float64 {
	return float64(max(pt.Concurrency, 1)) * float64(max(pt.OutputTokens, 1))
}

// closedLoopCycles are the request lifetimes a closed loop warms up and
// measures over: closedWarmCycles and closedMeasureCycles, or, where they
// would pass closedLoopMaxSeqSteps, fewer, down to closedLoopMinCycles
// (loopTooLong skips a loop past the bound even then). The clients of
// a forced-length loop start and stay close to lock step, so each measured
// lifetime repeats the last: two measure the steady state the usual twelve
// average over.
func closedLoopCycles(pt hw.ServingPoint) (warm, measure int) {
	perLife := closedLoopLifeSteps(pt)
	total := closedWarmCycles + closedMeasureCycles
	if perLife*float64(total) <= closedLoopMaxSeqSteps {
		return closedWarmCycles, closedMeasureCycles
	}
	allowed := max(int(closedLoopMaxSeqSteps/perLife), closedLoopMinCycles)
	warm = max(1, allowed*closedWarmCycles/total)
	return warm, allowed - warm
}

// loopTooLong says why a loop is skipped ("" if it is run): its least
// work passes loopSkipSeqSteps. A steady closed loop's least work is
// closedLoopMinCycles lifetimes of its clients; one measured in a cold
// window of windowS seconds (0: steady), the lifetimes in the window
// (coldWindowTooLong); an open loop's, every request it sends over each
// draw of its arrivals (openLoopWork), since it is not cut. --scenario
// still prints the scenario, to run for as long as it takes.
func loopTooLong(pt hw.ServingPoint, windowS float64) string {
	switch {
	case pt.ClosedLoop() && windowS > 0:
		return coldWindowTooLong(pt, windowS)
	case pt.ClosedLoop():
		least := closedLoopLifeSteps(pt) * closedLoopMinCycles
		return pastLoopBound(pt, least, fmt.Sprintf("%s clients x %s output tokens x %d request lifetimes, the fewest a loop is measured over,",
			format.Thousands(int64(pt.Concurrency)), format.Thousands(int64(pt.OutputTokens)), closedLoopMinCycles))
	case pt.OpenLoop():
		steps, what := openLoopWork(pt)
		return pastLoopBound(pt, steps, what)
	}
	return ""
}

// pastLoopBound is the reason a row whose work is steps sequence-steps,
// described by what, is skipped, or "" where steps is within
// loopSkipSeqSteps: the one bound and wording of every kind of loop.
func pastLoopBound(pt hw.ServingPoint, steps float64, what string) string {
	if steps <= loopSkipSeqSteps {
		return ""
	}
	file := pt.File
	if file == "" {
		file = "FILE"
	}
	return fmt.Sprintf("%s is %s sequence-steps of decoding, "+
		"past the %s a row may simulate (it could take minutes); aiecon validate %s --scenario %d prints its scenario and the aiecon run command to run it anyway",
		what, format.Thousands(int64(steps)), format.Thousands(int64(loopSkipSeqSteps)), file, pt.Line)
}

// simulatedEngine is the scheduler and admission a point's run simulated
// (ValidationRow.Scheduler, Admission): a GPU loop of TensorRT-LLM runs the
// vllm scheduler under reserve-max admission (loopEngine), and the
// admission, not a scheduler name the simulator lacks, says so.
func simulatedEngine(pt hw.ServingPoint, sc *model.Scenario) (scheduler, admission string) {
	rp := sc.Fleet.Replica
	if !pt.ClosedLoop() && !pt.OpenLoop() {
		return rp.Scheduler, ""
	}
	return rp.Scheduler, rp.Admission
}

// validationExtrapolation is what `aiecon run` prints under STEP TIMES
// EXTRAPOLATED for the point's scenario (fleetExtrapolation of the main
// fleet, its lengths as served), without the fleet's name, which the
// validation table's group gives.
func validationExtrapolation(sc *model.Scenario, res *sim.Result) string {
	if n, of := sc.Hardware.ConstantsSet(); n == of {
		return ""
	}
	_, _, s, err := hw.InstanceDefaults(sc.Fleet.Instance)
	if err != nil {
		return ""
	}
	return fleetExtrapolation(s, sc, sc.Model, sc.Fleet, fleetLengths(sc, res, 0))
}

// pastContext is ValidationRow.PastContext. A note, not a refusal: the
// Neuron tables compile Llama-2 past its 4,096 tokens on purpose, and the
// simulator runs whatever seq_len says (validationModel).
func pastContext(pt hw.ServingPoint) string {
	a, err := pt.Arch()
	if err != nil || a.MaxContext <= 0 || pt.SeqLen <= a.MaxContext {
		return ""
	}
	return fmt.Sprintf("seq_len %s is past %s's published context of %s tokens, simulated as if it reached that far",
		format.Thousands(int64(pt.SeqLen)), a.Name, format.Thousands(int64(a.MaxContext)))
}

// rowNotes are the notes a row's error needs (ValidationRow.Notes).
func rowNotes(pt hw.ServingPoint, row ValidationRow, sc *model.Scenario, span pointSpan) []string {
	var notes []string
	// A loop whose batch stays well under its clients queues them: its TTFT
	// is mostly waiting for a slot in the KV cache, not prefill.
	if pt.ClosedLoop() && row.PredBatch < 0.5*float64(pt.Concurrency) {
		if held, ok := kvClients(sc, pt); ok && held < pt.Concurrency {
			notes = append(notes, fmt.Sprintf("the KV cache holds about %d of %d clients (%s-token contexts); TTFT is mostly queueing",
				held, pt.Concurrency, format.Thousands(int64(pt.InputTokens+pt.OutputTokens))))
		}
	}
	if span.cycle > 0 {
		notes = append(notes, cutSpan(pt, span))
	}
	return notes
}

// replicaMemory sizes the point's replica as the simulator does
// (model.PlanReplicaMemory, the shard as its chips hold it).
func replicaMemory(sc *model.Scenario) (model.ReplicaMemory, llm.Arch, llm.Shard, error) {
	facts, err := sim.Catalog().Instance(sc.Fleet.Instance)
	if err != nil {
		return model.ReplicaMemory{}, llm.Arch{}, llm.Shard{}, err
	}
	arch, err := sc.Model.Arch()
	if err != nil {
		return model.ReplicaMemory{}, llm.Arch{}, llm.Shard{}, err
	}
	sh := facts.HeldShard(sc.ShardOf(&sc.Fleet, arch))
	m, err := model.PlanReplicaMemory(arch, sh, sc.Fleet.Replica, facts.DeviceMemoryBytes, facts.Compiled)
	return m, arch, sh, err
}

// kvClients is how many of a loop's requests, each at its full context
// (prompt plus output), the replica's KV cache holds at once.
func kvClients(sc *model.Scenario, pt hw.ServingPoint) (int, bool) {
	m, _, _, err := replicaMemory(sc)
	if err != nil {
		return 0, false
	}
	ctx := int32(pt.InputTokens + pt.OutputTokens)
	per := m.KV.Units(ctx, ctx, int32(sc.Fleet.Replica.KVBlockTokens))
	if per <= 0 || m.Units < 0 {
		return 0, false
	}
	return int(m.PoolUnits() / float64(per)), true
}

// explain sets the figures of a batch that did not fit: the KV cache it
// needs against what the weights leave per device, and the KV heads each
// device holds a copy of where TP exceeds them.
func (e *splitBatchError) explain(sc *model.Scenario, pt hw.ServingPoint) {
	m, arch, sh, err := replicaMemory(sc)
	if err != nil {
		return
	}
	bt := int32(sc.Fleet.Replica.KVBlockTokens)
	ctx := int32(pt.InputTokens + pt.OutputTokens)
	need := float64(pt.Batch) * float64(m.KV.Units(ctx, ctx, bt)) * m.UnitBytes(arch, sc.Fleet.Replica)
	e.why = fmt.Sprintf("it needs %.1f GB of KV cache per device, and %.1f GB is left per device beside %.1f GB of weights",
		need/1e9, max(m.KVBytes, 0)/1e9, m.WeightBytes/1e9)
	if arch.KVHeads > 0 && sh.TP > arch.KVHeads {
		e.why += fmt.Sprintf(" (TP %d over %s's %d KV heads: each copied %dx, so the cache per token does not shrink past TP %d)",
			sh.TP, arch.Name, arch.KVHeads, arch.KVHeadsPerDevice(sh)*sh.TP/arch.KVHeads, arch.KVHeads)
	}
}
