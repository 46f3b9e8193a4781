package format

import (
	"strconv"
	"strings"
)

// USD prints money for a line of text with precision that suits its size:
// $0, $0.0042, $1.54, -$27.12, $12,346, and from 1e16 in e-notation with
// the digits a float64 holds ($8.784e+23). An amount that four decimals
// round to zero prints the digits it needs, as USDCompact's ($0.0000095):
// "$0.0000" read as none, which $0 is kept for.
func USD(v float64) string {
	return money(v, func(a float64) string {
		switch {
		case a >= 1e16:
			// A float64 holds about 16 significant digits: past them
			// every digit printed was binary rounding read as exact
			// dollars (8.784e23 printed $878,400,000,000,000,050,331,648).
			return strconv.FormatFloat(a, 'g', 15, 64)
		case a >= 1000:
			return thousandsFloat(a)
		case a >= 1:
			return strconv.FormatFloat(a, 'f', 2, 64)
		}
		if s := strconv.FormatFloat(a, 'f', 4, 64); s != "0.0000" {
			return s
		}
		return subCent(a)
	})
}

// USDCompact prints money for a cell or a chart label: $0, $0.0042, $1.54,
// -$27.12, $12,346, $1.23M. Below a cent it prints the digits the amount
// needs, up to three significant, without zeros that pad it ($0.006, not
// $0.00600 beside $0.00109).
func USDCompact(v float64) string {
	return money(v, func(a float64) string {
		switch {
		case a < 0.01:
			return subCent(a)
		case a < 999.995:
			return strconv.FormatFloat(a, 'f', 2, 64)
		}
		return Sig(a)
	})
}

// subCent prints an amount under a cent with the digits it needs, up to
// three significant, without zeros that pad it.
func subCent(a float64) string {
	s := strconv.FormatFloat(a, 'f', decimalsFor(a), 64)
	if t := strings.TrimRight(s, "0"); !strings.HasSuffix(t, ".") {
		return t
	}
	return s // below a billionth: 0.000000000, not $0, which reads as none
}

// money applies the rules every amount follows (undefined, zero, minus
// sign before the dollar) and prints the digits of |v| with digits.
func money(v float64, digits func(a float64) string) string {
	switch {
	case !Defined(v):
		return Undefined
	case v == 0:
		return "$0"
	case v < 0:
		return "-$" + digits(-v)
	}
	return "$" + digits(v)
}
