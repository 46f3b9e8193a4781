package hw

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
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

// PriceCaveat is what a known catalog price lacks that its date beside it
// does not say: "no public source" for a rate quoted only in notes with no
// author, title or URL (trn1's and p5en's Capacity Blocks rates), "undated"
// for a snapshot with no date (the SKY on-demand prices); "" otherwise.
// Printed as a price is, the first read exactly like a sourced price.
func PriceCaveat(f Fact) string {
	switch {
	case !f.Known:
		return ""
	case strings.Contains(f.Note, "no public dated source"):
		return "no public source"
	case strings.Contains(f.Date, "undated"):
		return "undated"
	}
	return ""
}

// DifferentDates warns when the dated prices among facts (names[i] words
// facts[i]: "p5.48xlarge's $39.33/h") are more than MaxPriceMonths apart,
// naming the oldest and the newest: "PRICES OF DIFFERENT DATES: A is of
// late 2024, B of 2026-10-08, about 23 months apart; prices move between
// such dates (...)". The caller says what follows for what it prints
// (optimize: fleets ranked at prices never on offer together; run: a cost
// resting on them). capacityBlock[i] says whether facts[i] is a Capacity
// Blocks rate (nil: none is), which PricesMoveWhy words apart. "" where
// they are close, or fewer than two are dated.
func DifferentDates(names []string, facts []Fact, capacityBlock []bool) string {
	oldest, newest := -1, -1
	var lo, hi int
	for i, f := range facts {
		m, ok := PriceMonth(f)
		if !ok {
			continue
		}
		if oldest < 0 || m < lo {
			oldest, lo = i, m
		}
		if newest < 0 || m > hi {
			newest, hi = i, m
		}
	}
	if oldest < 0 || hi-lo <= MaxPriceMonths {
		return ""
	}
	blocks := capacityBlock != nil && (capacityBlock[oldest] || capacityBlock[newest])
	return fmt.Sprintf("PRICES OF DIFFERENT DATES: %s is of %s, %s of %s, about %d months apart; %s", names[oldest],
		facts[oldest].Date, names[newest], facts[newest].Date, hi-lo, PricesMoveWhy(blocks))
}

// PricesMoveWhy is why catalog prices dated more than MaxPriceMonths apart
// differ by more than what they buy, saying only what the catalog's
// sources support: the AWS Price List snapshots (KARP 3c499175 and
// 1b59328e) show P5's on-demand price cut 44% in June 2025, while each
// Capacity Blocks rate is dated once (the late-2024 page as mirrored, CB;
// the 2026 quotes, CB26), so no source says whether such a rate moved,
// or which way. capacityBlock says whether a Capacity Blocks rate is among
// the prices compared: the on-demand cut cited beside p5's late-2024
// Capacity Blocks rate read as if that rate had fallen too, a direction
// no public source gives.
func PricesMoveWhy(capacityBlock bool) string {
	const cut = "prices move between such dates (the AWS Price List cut P5's on-demand price 44% in June 2025)"
	if !capacityBlock {
		return cut
	}
	return cut + ", and the catalog's sources date each Capacity Blocks rate once and do not say whether such a rate moved, or which way"
}
