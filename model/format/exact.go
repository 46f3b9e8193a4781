package format

import "strconv"

// Exact prints v in the fewest digits that read back as v exactly
// (strconv's 'g' with precision -1): 40, 0.25, 11.250413596244188, 1e+06.
// It is for text that is read again, such as a resolved scenario, where
// Sig's three digits (or any fixed count) changed the number a rerun read.
func Exact(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// ExactPer prints v in a unit per of it (v*per: 60 for a rate per minute
// of a rate per second) in the fewest significant digits whose reading,
// divided by per, is v again: 40 for 40/min, where v*per computes
// 40.00000000000001. ok is false where no text does (v*per rounds away
// from every number that divides back to v); the caller then writes v in
// its own unit with Exact.
func ExactPer(v, per float64) (text string, ok bool) {
	for prec := 1; prec <= 17; prec++ {
		back, err := strconv.ParseFloat(strconv.FormatFloat(v*per, 'g', prec, 64), 64)
		if err == nil && back/per == v {
			return Exact(back), true // 40, not 'g' 1's 4e+01
		}
	}
	return "", false
}
