package format

import (
	"math"
	"strconv"
)

// USD prints money for a line of text with precision that suits its size:
// $0, $0.0042, $1.54, -$27.12, $12,346.
func USD(v float64) string {
	if !Defined(v) {
		return Undefined
	}
	sign, a := minus(v), math.Abs(v)
	switch {
	case a == 0:
		return "$0"
	case a >= 1000:
		return sign + "$" + thousandsFloat(a)
	case a >= 1:
		return sign + "$" + strconv.FormatFloat(a, 'f', 2, 64)
	}
	return sign + "$" + strconv.FormatFloat(a, 'f', 4, 64)
}

// USDCompact prints money for a cell or a chart label: $0, $0.00420, $1.54,
// -$27.12, $12,346, $1.23M.
func USDCompact(v float64) string {
	if !Defined(v) {
		return Undefined
	}
	sign, a := minus(v), math.Abs(v)
	switch {
	case a == 0:
		return "$0"
	case a < 0.01:
		return sign + "$" + strconv.FormatFloat(a, 'f', decimalsFor(a), 64)
	case a < 999.995:
		return sign + "$" + strconv.FormatFloat(a, 'f', 2, 64)
	}
	return sign + "$" + Sig(a)
}

func minus(v float64) string {
	if v < 0 {
		return "-"
	}
	return ""
}
