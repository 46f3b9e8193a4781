package hw

import (
	"regexp"
	"strconv"
)

// MaxPriceMonths is how far apart, in months, the dates of two prices
// set side by side may be before they are warned of (optimize's
// candidates, compare's runs): cloud list prices change about yearly,
// and P5's on-demand price fell 44% in June 2025.
const MaxPriceMonths = 6

// priceDate finds a year, with its month where given, in a catalog date:
// "2026-10-08", "late 2024", "since 2024-09-16", "undated, pre-2025-06".
var priceDate = regexp.MustCompile(`\b(early|mid|late)?\s*(\d{4})(?:-(\d{2}))?`)

// PriceMonth is a catalog price's date in months (year x 12 + month - 1),
// and false where it has none (an unknown price, an undated fact). A year
// alone is taken at its middle, "early" at February, "late" at November;
// "pre-2025-06" at its bound, the latest it can be, so that a gap it
// shows is at least that; "since 2024-09-16" (a rate that held from then
// to its source's snapshot) at its start, which only reserved rates give,
// all of one date.
func PriceMonth(f Fact) (int, bool) {
	if !f.Known {
		return 0, false
	}
	m := priceDate.FindStringSubmatch(f.Date)
	if m == nil {
		return 0, false
	}
	year, _ := strconv.Atoi(m[2])
	month := map[string]int{"early": 2, "mid": 6, "late": 11, "": 6}[m[1]]
	if m[3] != "" {
		month, _ = strconv.Atoi(m[3])
	}
	if month < 1 || month > 12 {
		return 0, false
	}
	return year*12 + month - 1, true
}
