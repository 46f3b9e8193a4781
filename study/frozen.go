package study

import (
	"slices"
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
// builds that refused a 0 price never stored one, so a stored 0 reads as
// null, unless the specification says its 0 prices are prices
// (zero_prices: priced, which Freeze writes where one is 0: capacity
// already paid for, or free).
func (r *reader) storedValue(field string, v any) any {
	section, path, _ := strings.Cut(field, ".")
	if !r.stored || section == "montecarlo" {
		return v
	}
	if list, isList := v.([]any); isList && len(list) == 0 && model.EmptyListMeantDefault(path) {
		return nil
	}
	if isZeroNumber(v) && model.ZeroPriceMeantDefault(path) && !r.zeroPriced {
		return nil
	}
	return v
}

// zeroPricesPriced is the value of a frozen specification's zero_prices:
// its 0 prices are prices, not "not given".
const zeroPricesPriced = "priced"

// hasZeroPrice reports whether the specification gives 0 for a price
// field (set, parameters or zip), so that its frozen text must say that
// 0 is a price (zero_prices) for a later build to read it as one.
func (sp *Spec) hasZeroPrice() bool {
	zero := func(path, text string) bool {
		x, err := parseYAMLValue(text)
		return err == nil && isZeroNumber(x) && model.ZeroPriceMeantDefault(path)
	}
	for _, o := range sp.Set {
		if zero(o.Path, o.Value) {
			return true
		}
	}
	for _, a := range slices.Concat(sp.Parameters, sp.Zip) {
		for _, v := range a.Values {
			if zero(a.Path, v.YAML) {
				return true
			}
		}
	}
	return false
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
