package optimize

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"aiecon/model"
	"aiecon/runner"
)

// RefuseIneffectiveSets refuses a --set the search would override
// without a word. fleet.count: the search sets the instance count of every
// evaluation itself (doubling then bisection, up to --max-count), and the
// scenario's count neither bounds nor seeds it, so --set fleet.count=3 ran
// the same search as without it. A field of the main fleet's autoscaler
// (fleet.autoscale.max=8): the optimizer sizes a static fleet, and removes
// fleet.autoscale from every fleet it evaluates after the user's sets.
// fleet.autoscale=null, which removes it too, agrees and passes; a pool's
// autoscaler, which the search does not size, is kept and may be set.
func RefuseIneffectiveSets(sets []string) error {
	for _, s := range sets {
		o, err := model.ParseOverride(s)
		if err != nil {
			continue // a malformed --set is reported where the sets are applied
		}
		switch {
		case o.Path == "fleet.count":
			return inputErr("%s: optimize searches the instance count itself (up to --max-count), and the scenario's "+
				"count neither bounds nor seeds the search, so the --set would have no effect; drop it (run and sweep take it)", o.Typed())
		case strings.HasPrefix(o.Path, "fleet.autoscale."):
			return inputErr("%s: optimize sizes a static fleet, removing the scenario's autoscaler (fleet.autoscale) "+
				"from every fleet it evaluates, so the --set would have no effect; drop it (run and sweep take it)", o.Typed())
		}
	}
	return nil
}

// ReplacedSets are notes on the sets of fields the search replaces on
// every candidate, which it takes all the same: the scenario the search
// starts from must load, and such a set may be what makes it load
// (fleet.instance=p5.48xlarge needs fleet.replica.tp=8 beside it, as run's
// own suggested optimize commands write it). Unsaid, each was dropped
// without a word: --set fleet.replica.tp=24 on inferentia-small searched
// TP 2 to 24 and chose TP 8, as without it. tp and seqs are the degrees
// and batch limits listed (Options.TP, Options.MaxNumSeqs; nil when not):
// a tp set beside listed degrees is not noted, the list saying what runs,
// and a max_num_seqs set only beside listed limits, since alone it seeds
// them. A reset to the default (path=null) asks for no degree or count of
// its own, so it is not noted: it is how run's every-type optimize command
// makes the scenario load on any instance (the default TP, all devices,
// is one every chip supports). Of a path set twice the later is noted, as
// the later applies.
func ReplacedSets(sets []string, tp, seqs []int) []string {
	last := map[string]model.Override{}
	var paths []string
	for _, s := range sets {
		o, err := model.ParseOverride(s)
		if err != nil {
			continue // a malformed --set is reported where the sets are applied
		}
		if _, ok := last[o.Path]; !ok {
			paths = append(paths, o.Path)
		}
		last[o.Path] = o
	}
	var notes []string
	for _, p := range paths {
		if n := replacedSet(last[p], tp, seqs); n != "" {
			notes = append(notes, n)
		}
	}
	return notes
}

// replacedSet is ReplacedSets' note on one set, "" where the search does
// not replace what it sets.
func replacedSet(o model.Override, tp, seqs []int) string {
	const starts = "changes the scenario the search starts from (which must load), but "
	switch {
	case o.Path == "fleet.replica.tp" && tp == nil && !runner.NullValue(o.Value):
		return fmt.Sprintf("%s %seach candidate sets its own TP degree, every one its instance supports; --tp %s searches that degree alone",
			o.Typed(), starts, degreeArg(o.Value))
	case o.Path == "fleet.replica.per_instance" && !runner.NullValue(o.Value):
		return fmt.Sprintf("%s %seach candidate fills its instances with as many replicas of its TP degree as their devices hold", o.Typed(), starts)
	case o.Path == "fleet.replica.max_num_seqs" && seqs != nil:
		return fmt.Sprintf("%s %sthe candidates run the batch limits --max-num-seqs lists (%s); without it, the --set would seed them (it, half and twice it)",
			o.Typed(), starts, model.JoinInts(seqs))
	}
	return ""
}

// degreeArg is how the note on a set of fleet.replica.tp writes the --tp
// that searches its degree: the degree where it is one, DEGREES where it
// is not, which the set's own value would misstate.
func degreeArg(value string) string {
	if n, err := strconv.Atoi(strings.TrimSpace(value)); err == nil && n >= 1 {
		return strconv.Itoa(n)
	}
	return "DEGREES"
}

// sweepSet is the set of the sweep the evaluations are stored as: the
// user's sets, a later one of a path replacing an earlier (as run and
// sweep apply them: the later wins), then the evaluation horizon and, where
// the base has an autoscaler, its removal. Two of one path froze into a
// mapping with the key twice, which failed to plan ("optimize-baseline:71:3:
// mapping key "ads.ctr" already defined", a file the user never wrote).
func sweepSet(sets []string, horizon model.Duration, autoscaled bool) []model.Override {
	var out []model.Override
	for _, s := range sets {
		o, _ := model.ParseOverride(s) // the base loaded with them: each parses
		out = slices.DeleteFunc(out, func(prev model.Override) bool { return prev.Path == o.Path })
		out = append(out, o)
	}
	out = append(out, model.Override{Path: "horizon", Value: horizon.String()})
	if autoscaled {
		out = append(out, model.Override{Path: "fleet.autoscale", Value: "null"})
	}
	return out
}

// VariantSets are a variant's overrides as path=value, less those of the
// fields the search sets on every candidate (its layout and count, and the
// settings it resets with them): what a --set must give for the search to
// size that variant rather than the base (p5's fleet.pricing=on-demand on
// gpu-vs-trainium). The search itself applies no variant.
func VariantSets(v model.Variant) ([]string, error) {
	ovs, err := v.Overrides()
	if err != nil {
		return nil, fmt.Errorf("variant %s: %w", v.Name, err)
	}
	var out []string
	for _, o := range ovs {
		if o.Path == "fleet.count" || slices.Contains(optPaths, o.Path) || slices.Contains(optResetPaths, o.Path) {
			continue
		}
		out = append(out, o.String())
	}
	return out, nil
}
