package format

import (
	"fmt"
	"math"
	"strconv"
)

// maxPlainPct is the largest percentage printed digit by digit; past it a
// percentage takes Sig's form (-1.23M%, 4.56e+302%), so no percentage is
// wider than a dozen characters: a margin on a revenue of 1e-300 USD
// printed as a 300-digit number, and PctCompact's int64 overflowed.
const maxPlainPct = 999_999.5

// Pct prints a fraction as a percentage for a line of text: 99.9%, 0.0%,
// -123456.7%, -1.23M%.
func Pct(frac float64) string {
	if !Defined(frac) {
		return Undefined
	}
	p := 100 * frac
	if math.Abs(p) >= maxPlainPct {
		return Sig(p) + "%"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// PctDelta prints a relative change with its sign and the given decimals:
// +4.1%, -12.0%, and past a million percent +1.23M% rather than a number of
// hundreds of digits (a change from next to zero).
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
	return fmt.Sprintf("%+.*f%%", decimals, p)
}

// PctCompact prints a fraction as a percentage for a cell: 0%, 4.1%, 99.9%,
// -1,761%, -1.23M%.
func PctCompact(frac float64) string {
	if !Defined(frac) {
		return Undefined
	}
	p := frac * 100
	switch a := math.Abs(p); {
	case a == 0:
		return "0%"
	case a < 99.95:
		return strconv.FormatFloat(p, 'f', 1, 64) + "%"
	case a >= maxPlainPct:
		return Sig(p) + "%"
	}
	return Thousands(int64(math.Round(p))) + "%"
}

// Units of KPI values (sim/kpi.go emits them; model/kpi lists each KPI's).
const (
	UnitUSD        = "USD"
	UnitUSDPerHour = "USD/h"
	UnitUSDPerMTok = "USD/Mtok"
	UnitSeconds    = "s"
	UnitHours      = "h"
	UnitFraction   = "fraction"
	UnitCount      = "count"
	UnitRequests   = "requests"
	UnitPerSecond  = "1/s"
	UnitTokPerS    = "tok/s"
	UnitFLOP       = "FLOP"
	UnitTokens     = "tok"
	UnitFactor     = "factor"
)

// Unit prints a value in its unit for a line of text.
func Unit(v float64, unit string) string {
	return inUnit(v, unit, USD, Seconds, Pct, Count, Sig)
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
