package format

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// maxPlainPct is the largest percentage printed digit by digit; past it a
// percentage takes Sig's form (-1.23M%, 4.56e+302%), so no percentage is
// wider than a dozen characters: a margin on a revenue of 1e-300 USD
// printed as a 300-digit number, and PctCompact's int64 overflowed.
const maxPlainPct = 999_999.5

// maxEdgeDecimals is the most decimals a percentage takes to stay off a
// bound it does not reach (pctDigits).
const maxEdgeDecimals = 4

// pctDigits prints a percentage with the given decimals, or with as many
// more as it takes (up to maxEdgeDecimals) not to print as one of bounds
// when it is not that bound: an SLO attainment of 13,050 requests met of
// 13,056 is 99.95%, where one decimal said 100.0%, all met; an abandonment
// of 1 session in 5,000 is 0.02%, not 0.0%. Past maxEdgeDecimals it prints
// the nearest number of that many decimals beside the bound (99.9999%). A
// fraction within noiseRel of a bound is that bound, floating-point
// rounding (a Wilson interval's low end at 0 of 6 was 1e-17), and a zero
// never has a sign: -1e-12 and -0 print as 0.0, not -0.0 (compare printed
// -0.0 pp).
func pctDigits(p float64, decimals int, bounds ...float64) string {
	for d := decimals; ; d++ {
		s := strconv.FormatFloat(p, 'f', d, 64)
		v, _ := strconv.ParseFloat(s, 64)
		if !slices.Contains(bounds, v) || math.Abs(p-v) <= 100*noiseRel {
			if v == 0 {
				s = strings.TrimPrefix(s, "-")
			}
			return s
		}
		if d >= maxEdgeDecimals {
			step := math.Pow10(-d)
			if p < v {
				step = -step
			}
			return strconv.FormatFloat(v+step, 'f', d, 64)
		}
	}
}

// Pct prints a fraction as a percentage for a line of text: 99.9%, 0.0%,
// -123456.7%, -1.23M%; a fraction next to 0 or 1 but not it takes the
// decimals that say so (99.95%, 0.02%: pctDigits).
func Pct(frac float64) string {
	if !Defined(frac) {
		return Undefined
	}
	p := 100 * frac
	if math.Abs(p) >= maxPlainPct {
		return Sig(p) + "%"
	}
	return pctDigits(p, 1, 0, 100) + "%"
}

// PctGiven prints a fraction that was given, not measured (an SLO target,
// a limit), as a percentage with every decimal it was given, at least one:
// 0.99 is 99.0%, 0.9985 is 99.85%, where Pct's one decimal read 99.9%, a
// target other than the one set, and a fleet at 99.86% seemed to meet
// ">= 99.9%". Past maxGivenDecimals it prints that many.
func PctGiven(frac float64) string {
	if !Defined(frac) {
		return Undefined
	}
	p := 100 * frac
	return strconv.FormatFloat(p, 'f', givenDecimals(p), 64) + "%"
}

// givenDecimals is the decimals PctGiven prints a percentage p with: as
// many as it was given, at least one, at most maxGivenDecimals.
func givenDecimals(p float64) int {
	d := 1
	for ; d < maxGivenDecimals; d++ {
		v, _ := strconv.ParseFloat(strconv.FormatFloat(p, 'f', d, 64), 64)
		if math.Abs(v-p) <= noiseRel*max(1, math.Abs(p)) {
			break
		}
	}
	return d
}

// maxGivenDecimals is the most decimals PctGiven prints.
const maxGivenDecimals = 6

// PctAgainst is Pct for a measured fraction that a reader compares with a
// target (an SLO attainment against optimize's --slo-target, a session
// abandonment against its limit): at least the decimals the target prints
// with (PctGiven), and as many more as it takes not to print as the target
// when it is not it. An attainment of 0.98992 under ">= 99.0%" printed
// 99.0%, a miss that read as a pass; it is 98.99%. With as many decimals
// as the target rounding keeps the order (a value at or above the target
// never prints below it), so only a print equal to the target can mislead.
// A target that is not a fraction in (0, 1] leaves Pct's form.
func PctAgainst(frac, target float64) string {
	d, t, ok := targetDigits(target)
	if !Defined(frac) || !ok || math.Abs(100*frac) >= maxPlainPct {
		return Pct(frac)
	}
	return pctDigits(100*frac, d, 0, 100, t) + "%"
}

// PctCompactAgainst is PctCompact for a measured fraction compared with a
// target (PctAgainst): a dashboard cell coloured as under the target
// printed 99.0% for an attainment of 98.99%.
func PctCompactAgainst(frac, target float64) string {
	d, t, ok := targetDigits(target)
	p := 100 * frac
	if !Defined(frac) || !ok || p == 0 || p == 100 || math.Abs(p) >= maxPlainPct {
		return PctCompact(frac)
	}
	return pctDigits(p, d, 0, 100, t) + "%"
}

// targetDigits is a target fraction's decimals as a percentage (PctGiven's)
// and the percentage those decimals print, the bound a measured value must
// not print as; ok is false for a target outside (0, 1].
func targetDigits(target float64) (decimals int, printed float64, ok bool) {
	if !Defined(target) || target <= 0 || target > 1 {
		return 0, 0, false
	}
	d := givenDecimals(100 * target)
	printed, _ = strconv.ParseFloat(strconv.FormatFloat(100*target, 'f', d, 64), 64)
	return d, printed, true
}

// PctDelta prints a relative change with its sign and the given decimals:
// +4.1%, -12.0%, and past a million percent +1.23M% rather than a number of
// hundreds of digits (a change from next to zero). A change that is not
// zero takes the decimals that say so (+0.05%, not +0.0%: pctDigits).
func PctDelta(frac float64, decimals int) string {
	if !Defined(frac) {
		return Undefined
	}
	p := 100 * frac
	if math.Abs(p) >= maxPlainPct {
		if p > 0 {
			return "+" + Sig(p) + "%"
		}
		return Sig(p) + "%"
	}
	s := pctDigits(p, decimals, 0)
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s + "%"
}

// PctCompact prints a fraction as a percentage for a cell: 0%, 4.1%, 99.9%,
// -1,761%, -1.23M%; a fraction next to 0 or 1 but not it takes the decimals
// that say so (99.95%, 0.02%: pctDigits).
func PctCompact(frac float64) string {
	if !Defined(frac) {
		return Undefined
	}
	p := frac * 100
	switch a := math.Abs(p); {
	case a == 0:
		return "0%"
	case a < 99.95:
		return pctDigits(p, 1, 0, 100) + "%"
	case a >= maxPlainPct:
		return Sig(p) + "%"
	case math.Round(p) == 100 && math.Abs(p-100) > 100*noiseRel:
		return pctDigits(p, 1, 100) + "%"
	}
	return Thousands(int64(math.Round(p))) + "%"
}

// Units of KPI values (sim/kpi.go emits them; model/kpi lists each KPI's).
const (
	UnitUSD        = "USD"
	UnitUSDPerHour = "USD/h"
	UnitUSDPerMTok = "USD/Mtok"
	// Prices per unit, so that no one adds them to totals in USD.
	UnitUSDPerSession = "USD/session"
	UnitUSDPerRequest = "USD/request"
	UnitUSDPerClick   = "USD/click"
	UnitUSDPerMille   = "USD/1k impressions" // eCPM: USD per 1,000 ad impressions
	UnitSeconds       = "s"
	UnitHours         = "h"
	UnitFraction      = "fraction"
	UnitCount         = "count"
	UnitRequests      = "requests"
	UnitPerSecond     = "1/s"
	UnitTokPerS       = "tok/s"
	UnitFLOP          = "FLOP"
	UnitTokens        = "tok"
	UnitFactor        = "factor"
)

// Unit prints a value in its unit for a line of text.
func Unit(v float64, unit string) string {
	return inUnit(v, unit, USD, Seconds, Pct, Count, Sig)
}

// SignedUnitCompact is a change in its unit with its sign, for a cell:
// +$95, -1.2s (UnitCompact, with a + before a rise).
func SignedUnitCompact(d float64, unit string) string {
	if d > 0 {
		return "+" + UnitCompact(d, unit)
	}
	return UnitCompact(d, unit)
}

// UnitCompact prints a value in its unit for a cell or a chart label.
func UnitCompact(v float64, unit string) string {
	return inUnit(v, unit, USDCompact, SecondsCompact, PctCompact, CountCompact, Sig)
}

func inUnit(v float64, unit string, usd, secs, pct, count, num func(float64) string) string {
	if !Defined(v) {
		return Undefined
	}
	switch unit {
	case UnitUSD:
		return usd(v)
	case UnitUSDPerHour:
		return usd(v) + "/h"
	case UnitUSDPerMTok:
		return usd(v) + "/Mtok"
	case UnitUSDPerSession, UnitUSDPerRequest, UnitUSDPerClick, UnitUSDPerMille:
		// The KPIs' labels say per what (revenue per session, ad paid CPC,
		// ad eCPM), and a suffix widened the value column past its cells.
		return usd(v)
	case UnitSeconds:
		return secs(v)
	case UnitFraction:
		return pct(v)
	case UnitPerSecond:
		return num(v) + "/s"
	case UnitTokPerS:
		return num(v) + " tok/s"
	case UnitCount, UnitRequests:
		if v == math.Trunc(v) {
			return count(v)
		}
		return num(v)
	case UnitHours:
		return num(v) + " h"
	case UnitTokens:
		if v == math.Trunc(v) {
			return count(v) + " tok"
		}
		return num(v) + " tok"
	case UnitFactor:
		return num(v) + "×"
	case "":
		return num(v)
	}
	return num(v) + " " + unit
}
