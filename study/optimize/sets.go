package optimize

import (
	"slices"
	"strings"

	"aiecon/model"
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
