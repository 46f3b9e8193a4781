package sim

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"aiecon/model/llm"
)

// scheduler plans a replica's iterations: which requests run, how many
// tokens each processes, and what the iteration costs. Each scheduler lives
// in its own file (sched_*.go) and registers itself by the name scenarios use
// (fleet.replica.scheduler), so a new one is one new file.
type scheduler interface {
	// plan builds the replica's next iteration into p.plan (admitting and
	// preempting as it decides) and returns its cost; false when there is
	// nothing to run. A decode-only plan that may be extended into a leap
	// sets p.leapDecode and p.leapCtx (see leap.go).
	plan(p *replica) (stepCost, bool)
	// leapCost prices iteration i of a decode leap whose first iteration
	// the last plan described.
	leapCost(p *replica, i int) stepCost
	// aloneSec is how long one model call takes alone on an idle replica:
	// the latency it would have seen with no queueing and no batching.
	aloneSec(env *replicaEnv, prompt, cached, output int) float64
	// implicitDecoders reports whether every decoding request gains exactly
	// one token in every iteration, so decoders may be kept implicit
	// (epoch.go).
	implicitDecoders() bool
	// joinsRunningBatch reports whether a new request's prefill runs in
	// the same iterations as the running requests' decodes (chunked
	// prefill into a continuous batch), so that a request joins a busy
	// replica without stopping it. Then packing a fleet's traffic onto
	// fewer replicas costs their fuller batches, and a replica's spare
	// capacity is its free batch slots and KV blocks, not the time it
	// spends not iterating (training.go, mayLend).
	joinsRunningBatch() bool
}

// schedulerKind is a registered scheduler.
type schedulerKind struct {
	// family is the accelerator family the scheduler needs (hw.Family*),
	// "" when it runs anywhere.
	family string
	// new returns a scheduler for one replica (it may keep per-replica state).
	new func() scheduler
}

var schedulers = map[string]schedulerKind{}

// registerScheduler adds a scheduler under its scenario name.
func registerScheduler(name string, k schedulerKind) {
	if _, dup := schedulers[name]; dup {
		panic("sim: scheduler " + name + " registered twice")
	}
	schedulers[name] = k
}

// Schedulers returns the names of the schedulers a scenario may name, sorted.
func Schedulers() []string { return slices.Sorted(maps.Keys(schedulers)) }

// SchedulersFor returns the schedulers that run on an accelerator family,
// first the family's default (defaultName), then the others sorted.
func SchedulersFor(family, defaultName string) []string {
	names := []string{defaultName}
	for _, n := range Schedulers() {
		if k := schedulers[n]; n != defaultName && (k.family == "" || k.family == family) {
			names = append(names, n)
		}
	}
	return names
}

// schedulerNamed looks a scheduler up for a replica on an accelerator family.
func schedulerNamed(name, family string) (schedulerKind, error) {
	k, ok := schedulers[name]
	if !ok {
		return k, fmt.Errorf("sim: unknown scheduler %q (known: %s)", name, strings.Join(Schedulers(), ", "))
	}
	if k.family != "" && k.family != family {
		return k, fmt.Errorf("sim: scheduler %q needs a %s instance, not %s", name, k.family, family)
	}
	return k, nil
}

// alonePrefillSec prices a prompt's prefill alone on a replica, in segments
// of at most max_batched_tokens, each of pad(n) tokens for n new ones.
func alonePrefillSec(env *replicaEnv, prompt, cached int, pad func(int) int) float64 {
	c := env.coster
	var total float64
	for off := cached; off < prompt; {
		n := min(prompt-off, env.maxBatched)
		last := off+n == prompt
		tokens := pad(n)
		logits := 0
		if last {
			logits = 1
		}
		c.chunks = append(c.chunks[:0], llm.PrefillChunk{Tokens: tokens, Offset: off, Last: last})
		total += c.iteration(tokens, logits, 0, 0).sec
		off += n
	}
	c.chunks = c.chunks[:0]
	return total
}

// aloneContinuousSec is a model call alone under continuous batching
// (vLLM): its prefill, then output-1 decode steps of a batch of one,
// priced at the mean context.
func aloneContinuousSec(env *replicaEnv, prompt, cached, output int) float64 {
	total := alonePrefillSec(env, prompt, cached, func(n int) int { return n })
	if env.spec != nil {
		return total + env.spec.aloneDecodeSec(env, prompt, output)
	}
	if output > 1 {
		mid := prompt + (output-2)/2
		total += float64(output-1) * env.coster.iteration(1, 1, 1, mid).sec
	}
	return total
}

// planChunk adds the next n prompt tokens of r to the iteration's plan and
// cost, and reports whether they finish its prompt (the iteration then
// produces a logit for it).
func (p *replica) planChunk(r *request, n int32) (last bool) {
	p.plan = append(p.plan, planItem{r: r, id: r.id, n: n, prefill: true})
	last = r.prefilled+n == r.target
	p.env.coster.chunks = append(p.env.coster.chunks, llmChunk(n, r.prefilled, last))
	return last
}
