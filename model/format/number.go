package format

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Undefined is what every function here prints for NaN and the infinities.
const Undefined = "-"

// Defined reports whether v is a number to print (not NaN, not infinite).
func Defined(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// noiseRel is the largest difference, relative to the larger of two
// values, that is floating-point rounding rather than a change: the same
// terms summed in another order differ by about 1e-16 of their size.
const noiseRel = 1e-9

// Change is v - base, or 0 where that is rounding noise, at most 1e-9 of
// the larger magnitude: one revenue lost summed in another order came out
// 1.7e-13 below $128.3, and compare printed -0.0% for it. NaN where either
// is. compare, run's variant comparison and the dashboard take every
// change of a value from it.
func Change(v, base float64) float64 {
	d := v - base
	if math.IsInf(v, 0) || math.IsInf(base, 0) {
		return d // an infinite change is one (Inf <= 1e-9 x Inf read as none)
	}
	if math.Abs(d) <= noiseRel*math.Max(math.Abs(v), math.Abs(base)) {
		return 0
	}
	return d
}

// Sig prints v with three significant digits below 1000 (4.93, 78.7, 218)
// and with thousands separators from 1000 to 999,999; beyond that it uses
// SI suffixes (1.23M, 4.56G, 1000E) up to a million E, and an exponent
// past that (1e+300), so it is never wider than a dozen characters.
func Sig(v float64) string {
	if !Defined(v) {
		return Undefined
	}
	a := math.Abs(v)
	switch {
	case a == 0:
		return "0"
	case a < 1000:
		return trimPoint(strconv.FormatFloat(v, 'f', decimalsFor(a), 64))
	case a < 999_999.5:
		return Thousands(int64(math.Round(v)))
	}
	for _, u := range []struct {
		div    float64
		suffix string
	}{{1e18, "E"}, {1e15, "P"}, {1e12, "T"}, {1e9, "G"}, {1e6, "M"}} {
		if a >= 999_999.5e18 {
			break // 1e300 printed all 283 digits before its E
		}
		if a >= u.div*0.9995 {
			return trimPoint(strconv.FormatFloat(v/u.div, 'f', decimalsFor(a/u.div), 64)) + u.suffix
		}
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// Short is Sig for a number in a line of words, without the trailing
// zeros that show a cell's precision: 3, 2.5, 150, 1,200; a suffixed value
// keeps them (1.20M), which tell its precision.
func Short(v float64) string {
	s := Sig(v)
	if strings.Contains(s, ".") && s[len(s)-1] >= '0' && s[len(s)-1] <= '9' {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// decimalsFor gives the decimals that show three significant digits of a
// positive number below 1000.
func decimalsFor(a float64) int {
	switch {
	case a >= 99.95:
		return 0
	case a >= 9.995:
		return 1
	case a >= 0.9995:
		return 2
	}
	// Below 1: as many decimals as needed for three significant digits.
	d := 2 - int(math.Floor(math.Log10(a)))
	return min(d, 9)
}

// trimPoint keeps a number's trailing zeros ("2.50" reads as three
// significant digits); it only removes a lone trailing point.
func trimPoint(s string) string { return strings.TrimSuffix(s, ".") }

// Thousands prints a whole number with comma separators: -1,234,567.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Num prints v with prec decimals.
func Num(v float64, prec int) string {
	if !Defined(v) {
		return Undefined
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// Count prints a whole number in full with thousands separators: 12,345,678.
func Count(v float64) string {
	if !Defined(v) {
		return Undefined
	}
	return thousandsFloat(v)
}

// thousandsFloat rounds v to a whole number and groups its digits; unlike
// Thousands it has no int64 limit.
func thousandsFloat(v float64) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', 0, 64)
	var b strings.Builder
	if v < 0 && s != "0" {
		b.WriteByte('-')
	}
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// CountCompact prints a count for a cell: 0, 1,480, 8.98M.
func CountCompact(v float64) string {
	if !Defined(v) {
		return Undefined
	}
	if math.Abs(v) < 999_999.5 {
		return Thousands(int64(math.Round(v)))
	}
	return Sig(v)
}

// AvgCount prints a time-averaged count: whole when it is (a fixed fleet),
// with one decimal when autoscaling or interruptions moved it.
func AvgCount(v float64) string {
	if Defined(v) && math.Abs(v-math.Round(v)) < 1e-9 {
		return Count(v)
	}
	return Num(v, 1)
}

// Sig4 prints four significant digits for tables of statistics (a sweep's
// means and confidence intervals), with an exponent beyond 1e7 or below
// 1e-4: 1234, 0.1235, 1.235e+07.
func Sig4(v float64) string {
	if !Defined(v) {
		return Undefined
	}
	if a := math.Abs(v); a != 0 && (a >= 1e7 || a < 1e-4) {
		return strconv.FormatFloat(v, 'e', 3, 64)
	}
	s := strconv.FormatFloat(v, 'g', 4, 64)
	if strings.Contains(s, "e") {
		s = strconv.FormatFloat(v, 'f', 0, 64)
	}
	return s
}

// Sig4Against is Sig4 for a value a reader compares with a target (a sweep
// cell's SLO attainment against the default 0.99): with as many more
// significant digits as it takes not to print as the target when it is
// not it, where Sig4 printed 0.98996 as 0.99, a miss that read as met. Past
// eight digits it prints the shortest form that reads back as the value.
func Sig4Against(v, target float64) string {
	s := Sig4(v)
	if !Defined(v) || !Defined(target) || math.Abs(v-target) <= noiseRel*max(math.Abs(v), math.Abs(target)) {
		return s
	}
	for digits := 5; ; digits++ {
		if got, err := strconv.ParseFloat(s, 64); err != nil || got != target {
			return s
		}
		if digits > maxAgainstDigits {
			return strconv.FormatFloat(v, 'g', -1, 64)
		}
		s = strconv.FormatFloat(v, 'g', digits, 64)
	}
}

// maxAgainstDigits is the most significant digits Sig4Against rounds to.
const maxAgainstDigits = 8

// SizeLimit writes a limit of n bytes in MiB, or in bytes when it is not a
// whole number of them (1 MiB; 1,000 bytes).
func SizeLimit(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return Thousands(n) + " bytes"
}

// maxRelChange is the largest relative change, as a multiple of the
// baseline's size, that RelChange gives: past 100x (+10,000%) the
// percentage says how small the baseline was more than how much the value
// moved, and the absolute change says the latter.
const maxRelChange = 100

// Why a relative change is not given (RelChange); each reads after "n/a".
const (
	RelFromZero        = "from zero"
	RelOverHundredfold = "over 100x"
	RelSignChange      = "sign change"
)

// RelChange is the change from base to v as a fraction of |base|
// (Change(v, base) / |base|), or NaN with the reason it means nothing: a
// baseline of zero (RelFromZero), a change over maxRelChange times the
// baseline (RelOverHundredfold: a baseline near zero, or a value that
// grew a thousandfold, as a TTFT P99 from 348 ms to 378 s), or a value on the other side of
// zero from the baseline (RelSignChange). A margin from -$10 to +$85 printed
// as +950%, a number no reader can use. why is "" where the change is given
// or where v or base is undefined (NaN, with no reason to print beyond
// Undefined). compare, run's variant comparison, optimize's ties and the
// dashboard take every relative change from it.
func RelChange(v, base float64) (rel float64, why string) {
	d := Change(v, base)
	switch {
	case math.IsNaN(d) || math.IsNaN(base):
		return math.NaN(), ""
	case base == 0 && d == 0:
		return math.NaN(), "" // nothing changed: no reason to print, and 0 of 0 is no fraction
	case d == 0:
		return 0, ""
	case base == 0:
		return math.NaN(), RelFromZero
	case v != 0 && (v < 0) != (base < 0):
		return math.NaN(), RelSignChange
	case math.Abs(d) > maxRelChange*math.Abs(base):
		return math.NaN(), RelOverHundredfold
	}
	return d / math.Abs(base), ""
}
