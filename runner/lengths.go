package runner

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"

	"aiecon/model"
	"aiecon/model/stats"
	"aiecon/sim"
)

// Lengths are how far a fleet's model calls reach, in tokens, for the
// comparison with the lengths its step-time constants were fitted to
// (hw.Serving.LengthExtrapolation): Prompt, what a prefill attends over
// (cached tokens included), and Context, prompt plus output, what the last
// decode step of a call reads. Each is about the 99th percentile over the
// calls, not the longest: a tail that a few calls reach does not move a
// fleet's cost per token. 0 is unknown, and never flagged.
type Lengths struct {
	Prompt, Context int
}

// fleetLengths are the lengths of the pool at index i (EachFleet's order,
// the main fleet first) of a run: what the run served (sim.PoolLengths)
// where calls were routed to the pool in res, else scenarioLengths.
func fleetLengths(sc *model.Scenario, res *sim.Result, i int) Lengths {
	if res != nil && i < len(res.Lengths) && res.Lengths[i].Calls > 0 {
		l := res.Lengths[i]
		return Lengths{Prompt: int(math.Round(l.PromptP99)), Context: int(math.Round(l.ContextP99))}
	}
	return scenarioLengths(sc, i)
}

// scenarioLengths estimates, before any run, the lengths of the pool at index
// i from the workloads the routing can send it: the longest over them of
// each workload's calls (workloadLengths), cut to the pool's max_model_len
// as the simulator cuts every call (a prompt keeps at least one token of
// output beside it), and, on the small pool of prompt-length routing, to
// the threshold. A workload whose lengths come from a trace is unknown
// here (its run's lengths, served, are known).
func scenarioLengths(sc *model.Scenario, i int) Lengths {
	pools := sc.ServingPools()
	if i >= len(pools) {
		return Lengths{}
	}
	pool, limit := pools[i], pools[i].Fleet.Replica.MaxModelLen
	var out Lengths
	for _, w := range sc.Workloads {
		if !routedTo(sc, w, pool.Name, i == 0) {
			continue
		}
		prompt, context := workloadLengths(w)
		if rt := sc.Routing; rt != nil && rt.Rule == model.RulePromptLength && rt.Small == pool.Name && rt.Threshold > 0 {
			context = min(context, float64(rt.Threshold)+(context-prompt))
			prompt = min(prompt, float64(rt.Threshold))
		}
		if limit > 0 {
			prompt, context = min(prompt, float64(limit-1)), min(context, float64(limit))
		}
		out.Prompt, out.Context = max(out.Prompt, int(math.Round(prompt))), max(out.Context, int(math.Round(context)))
	}
	return out
}

// routedTo says whether the routing can send workload w's calls to the
// pool named pool (main: the main pool): under rule workload, the pool
// routing.workloads names for it (the main pool when none); under
// prompt-length and small-first, either pool, by length or by escalation.
func routedTo(sc *model.Scenario, w model.Workload, pool string, main bool) bool {
	rt := sc.Routing
	if rt == nil || len(sc.Pools) == 0 || rt.Rule != model.RuleWorkload {
		return true
	}
	to, ok := rt.PoolWorkloads()[w.Name]
	if !ok {
		return main
	}
	return to == pool
}

// workloadLengths are about the 99th percentiles of a workload's prompt
// and context (prompt plus output) in tokens, before max_model_len: an api
// or batch request's prompt_tokens and output_tokens at their 99th
// percentiles; an agent's last call of a session of the 99th percentile of
// steps, whose context holds the system prompt, the first message at its
// 99th percentile, and for each earlier call its mean output (tool_call_tokens
// where given) and mean tool result, plus each call's mean retrieved
// documents (as the simulator grows it, sim/agent.go), and whose output is
// at output_tokens' 99th percentile. Past the median session the growth
// is many draws summed, so its mean holds; with the steps and the first
// message at their percentiles it estimates the calls' 99th percentile,
// not bounds it: heavy-tailed tool results summed over a session reach
// further than steps x their mean (about 2x for lognormal 200 / p99 2,000
// over 9 steps). 0 (unknown) where the lengths come from a trace.
func workloadLengths(w model.Workload) (prompt, context float64) {
	if a := w.Arrivals; a.Process == "trace" && a.Trace != nil && a.Trace.Lengths == "trace" {
		return 0, 0
	}
	first, out := distP99(w.PromptTokens), distP99(w.OutputTokens)
	if first == 0 || out == 0 {
		return 0, 0
	}
	ag := w.Agent
	if w.Class != model.ClassAgent || ag == nil {
		return first, first + out
	}
	steps := min(max(math.Ceil(distP99(ag.Steps)), 1), 1000) // sim's maxSessionSteps
	callOut := w.OutputTokens
	if !ag.ToolCallTokens.IsZero() {
		callOut = ag.ToolCallTokens
	}
	docs := 0.0
	if r := ag.Retrieval; r != nil {
		docs = r.Probability * float64(r.DocsPerStep*r.TokensPerDoc)
	}
	grow := distMean(callOut) + distMean(ag.ToolResultTokens)
	prompt = float64(ag.SystemPromptTokens) + first + (steps-1)*grow + steps*docs
	return prompt, prompt + out
}

// distP99 is the 99th percentile of a distribution's draws, after its
// min and max; 0 where it cannot be known without reading a trace.
func distP99(d model.Dist) float64 {
	var x float64
	switch d.Kind {
	case "fixed":
		return d.Value
	case "lognormal":
		x = d.Median * math.Exp(d.LognormalSigma()*model.Z99)
	case "exponential":
		x = d.Mean * math.Log(100)
	case "poisson":
		x = d.Mean + model.Z99*math.Sqrt(d.Mean) + 1 // the normal approximation, rounded up
	case "geometric":
		if p := 1 / d.Mean; p < 1 {
			x = math.Ceil(math.Log(0.01) / math.Log1p(-p))
		} else {
			x = 1
		}
	case "gamma":
		if d.CV > 0 && d.Mean > 0 {
			x = distuv.Gamma{Alpha: 1 / (d.CV * d.CV), Beta: 1 / (d.Mean * d.CV * d.CV)}.Quantile(0.99)
		}
	case "normal":
		x = d.Mean + model.Z99*d.Std
	case "uniform":
		return d.Min + 0.99*(d.Max-d.Min)
	case "empirical":
		if d.Trace != "" || len(d.Values) == 0 {
			return 0
		}
		vs := slices.Clone(d.Values)
		slices.Sort(vs)
		return stats.Quantile(vs, 0.99)
	default:
		return 0
	}
	return clampDraw(d, x)
}

// distMean is a distribution's mean, its max cutting it where the mean
// lies above (the draws' mean is below both); 0 for a trace's column.
func distMean(d model.Dist) float64 {
	m := d.ExpectedValue()
	if d.Kind == "uniform" {
		return m
	}
	return clampDraw(d, m)
}

// clampDraw applies a distribution's min and max to x, as the sampler
// does to each draw (max 0: none).
func clampDraw(d model.Dist, x float64) float64 {
	x = max(x, d.Min)
	if d.Max > 0 {
		x = min(x, d.Max)
	}
	return x
}
