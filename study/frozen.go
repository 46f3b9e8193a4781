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
func (r *reader) storedValue(field string, v any) any {
	list, isList := v.([]any)
	if !r.stored || !isList || len(list) > 0 {
		return v
	}
	if section, path, _ := strings.Cut(field, "."); section != "montecarlo" && model.EmptyListMeantDefault(path) {
		return nil
	}
	return v
}
