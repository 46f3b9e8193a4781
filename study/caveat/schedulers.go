package caveat

import (
	"fmt"
	"slices"
	"strings"
)

// SchedulerWords say how each scheduler batches, for the note on
// schedulers that differ between fleets.
var SchedulerWords = map[string]string{
	"vllm":           "continuous batching with chunked prefill",
	"neuron":         "one prefill at a time, decoding paused while it runs",
	"neuron-chunked": "continuous batching with chunked prefill on padded shapes",
	"static":         "static batches",
}

// FleetScheduler is one fleet that ran: its instance type and the
// scheduler it ran under, as resolved.
type FleetScheduler struct{ Instance, Scheduler string }

// Schedulers is SCHEDULERS DIFFER over fleets that ran, naming the
// scheduler each instance type ran under ("trn2.48xlarge ran under neuron
// (...); p5.48xlarge under vllm (...)") followed by why, tail; "" when one
// scheduler ran them all.
func Schedulers(fleets []FleetScheduler, tail string) string {
	var scheds []string
	types := map[string][]string{}
	for _, f := range fleets {
		if f.Scheduler == "" {
			continue
		}
		if _, ok := types[f.Scheduler]; !ok {
			scheds = append(scheds, f.Scheduler)
		}
		if !slices.Contains(types[f.Scheduler], f.Instance) {
			types[f.Scheduler] = append(types[f.Scheduler], f.Instance)
		}
	}
	if len(scheds) < 2 {
		return ""
	}
	parts := make([]string, len(scheds))
	for i, s := range scheds {
		verb := " under " // "trn2.48xlarge ran under neuron; p5.48xlarge under vllm"
		if i == 0 {
			verb = " ran under "
		}
		parts[i] = strings.Join(types[s], " and ") + verb + s
		if w, ok := SchedulerWords[s]; ok {
			parts[i] += " (" + w + ")"
		}
	}
	return fmt.Sprintf("SCHEDULERS DIFFER: %s; %s", strings.Join(parts, "; "), tail)
}
