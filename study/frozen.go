package study

import (
	"strings"

	"aiecon/model"
)

// storedValue is v, a value a specification gives the scenario field of
// field (set.PATH, parameters.PATH, zip.PATH), read the way the build that
// stored the specification read it. Earlier builds read an empty list on
// some fields as the default (model.EmptyListMeantDefault): the optimizer
// wrote fleet.replica.context_buckets: [] for candidates off the Neuron
// family. This build refuses [] there, so a stored sweep's points would no
// longer load (sweep --show would skip its overload check, --resume would
// refuse); its [] reads as null, which is what it ran with. A file being
// read now keeps its [], and the refusal.
//
// Likewise a stored 0 on a price field (model.ZeroPriceMeantDefault): the
// optimizer wrote fleet.price_usd_per_hour: 0 for candidates of another
// instance type, which earlier builds billed at the catalog's price and
// this build refuses, so the stored 0 reads as null.
func (r *reader) storedValue(field string, v any) any {
	section, path, _ := strings.Cut(field, ".")
	if !r.stored || section == "montecarlo" {
		return v
	}
	if list, isList := v.([]any); isList && len(list) == 0 && model.EmptyListMeantDefault(path) {
		return nil
	}
	if isZeroNumber(v) && model.ZeroPriceMeantDefault(path) {
		return nil
	}
	return v
}

// isZeroNumber reports whether v, a decoded YAML value, is the number 0.
func isZeroNumber(v any) bool {
	switch n := v.(type) {
	case int:
		return n == 0
	case int64:
		return n == 0
	case uint64:
		return n == 0
	case float64:
		return n == 0
	}
	return false
}
