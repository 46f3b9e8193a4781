package hw

import (
	"fmt"
	"strings"
)

// servingStructures is each family's history of how it structures its step
// graphs, oldest first: version v is entry v-1, and a change that moves
// what the constants absorb (a fit under one structure is not a fit under
// the next) appends one. Constants saved to a profile under an older
// version are then applied to graphs they were not fitted to, which
// Profile.Caveats says. A profile's constants that record no version
// (Serving.Structure 0) were saved under version 1 or later, before the
// version was recorded.
var servingStructures = map[string][]string{
	StepGPU:       {"norms and residual adds sequence parallel", "norms and residual adds replicated on every TP rank (since 2026-12-06)"},
	StepGPUAmpere: {"norms and residual adds sequence parallel", "norms and residual adds replicated on every TP rank (since 2026-12-06)"},
	StepNeuronV2:  {"norms and residual adds sequence parallel", "norms and residual adds replicated on every core (since 2026-12-07)"},
	StepNeuronV3:  {"norms and residual adds sequence parallel"},
}

// ServingStructure is the version of family's step graphs this aiecon
// prices (0 for an unknown family): what `hw fit --save` records in the
// constants it saves (Serving.Structure).
func ServingStructure(family string) int { return len(servingStructures[family]) }

// staleStructure says why a profile's constants s were fitted under
// another structure of their family's graphs than this aiecon prices,
// or "" where they were not (or may not have been: a family whose graphs
// never changed).
func staleStructure(s Serving) string {
	hist := servingStructures[s.Family]
	now := len(hist)
	if now == 0 || s.Structure == now || (now == 1 && s.Structure == 0) {
		return ""
	}
	switch {
	case s.Structure == 0:
		return fmt.Sprintf("record no step-graph structure (saved before aiecon recorded one), so they may have been fitted with %s and be applied to graphs they were not fitted to (this aiecon prices its graphs with %s)",
			strings.Join(hist[:now-1], ", then "), hist[now-1])
	case s.Structure > now:
		return fmt.Sprintf("were fitted under step-graph structure %d, newer than this aiecon's %d (%s), so they may be applied to graphs they were not fitted to", s.Structure, now, hist[now-1])
	default:
		return fmt.Sprintf("were fitted with %s (structure %d), so they are applied to graphs they were not fitted to (this aiecon prices its graphs with %s, structure %d)",
			hist[s.Structure-1], s.Structure, hist[now-1], now)
	}
}

// staleServing are the warnings for the profile's constants of the
// families of chips that were fitted under another structure than this
// aiecon prices (staleStructure), one per family, led by a label in
// capitals as Caveats' are.
func (p *Profile) staleServing(chips []string) []string {
	var ws []string
	for _, s := range p.Serving {
		if !familyOfChips(chips, s.Family) {
			continue
		}
		if why := staleStructure(s); why != "" {
			ws = append(ws, fmt.Sprintf("SERVING CONSTANTS FROM ANOTHER STRUCTURE: the profile's %s constants %s; "+
				"refit them with aiecon hw fit --save (or use a profile without them: the committed constants then apply).", s.Family, why))
		}
	}
	return ws
}

// familyOfChips says whether one of chips (catalog names; an unknown one
// is passed over) belongs to step family.
func familyOfChips(chips []string, family string) bool {
	for _, name := range chips {
		if c, err := ChipByName(name); err == nil && c.StepFamily == family {
			return true
		}
	}
	return false
}
