package tui

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/kpi"
)

// Numbers on screen carry their unit and three significant digits: enough
// to compare runs at a glance, few enough to fit a table cell. They are
// model/format's compact forms, so the dashboard, the CLI and charts agree
// on zero, minus and undefined (NaN: format.Undefined); the short names keep
// screen code readable. dash marks what is absent rather than undefined (a
// time never set, an empty cell of a heatmap).

const dash = "—"

func undefined(v float64) bool { return !format.Defined(v) }

var (
	fmtSig     = format.Sig            // 4.93, 1,386, 8.98M
	fmtCount   = format.CountCompact   // 0, 1,480, 8.98M
	fmtUSD     = format.USDCompact     // $1.54, -$27.12, $1.23M, $0.0042
	fmtPct     = format.PctCompact     // 99.9%, 4.1%, -1,761%
	fmtSeconds = format.SecondsCompact // 420 µs, 24.8 ms, 2.48 s, 1.52 h
	fmtUnit    = format.UnitCompact    // a KPI value in its unit (sim/kpi.go's units)
)

// fmtUnitCost prints a cost per unit sold (a completed request or
// session) with three significant digits under a dollar, where fmtUSD's
// cents read a cost per request of $0.0125 as $0.01, a fifth off; as
// fmtUSD elsewhere (under a cent it gives three digits already).
func fmtUnitCost(v float64) string {
	a := math.Abs(v)
	if undefined(v) || a < 0.01 || a >= 0.9995 {
		return fmtUSD(v)
	}
	exp := int(math.Floor(math.Log10(a)))
	if strconv.FormatFloat(a, 'f', 2-exp, 64) == strconv.FormatFloat(math.Pow10(exp+1), 'f', 2-exp, 64) {
		exp++ // rounding reaches the next decade: 0.09999 is $0.100, not $0.1000 (four digits)
	}
	digits := strconv.FormatFloat(a, 'f', 2-exp, 64)
	if v < 0 {
		return "-$" + digits
	}
	return "$" + digits
}

// fmtAttain prints an SLO attainment in a cell against the target sloTone
// colours it by (kpi.DefaultSLOTarget): never as 99.0% when it is not it,
// where an attainment of 98.99% showed 99.0% in the colour of a miss
// (format.PctCompactAgainst).
func fmtAttain(v float64) string { return format.PctCompactAgainst(v, kpi.DefaultSLOTarget) }

// fmtKPI prints a KPI's value in its unit for a cell (fmtUnit), an SLO
// attainment against its target (fmtAttain).
func fmtKPI(name string, v float64, unit string) string {
	if name == kpi.SLOAttainment {
		return fmtAttain(v)
	}
	return fmtUnit(v, unit)
}

// fmtDelta prints the change of a value against a baseline: relative when
// the baseline is not zero (+12.3%), otherwise absolute in the unit. A
// fraction (a margin, an SLO attainment, busy time) changes in percentage
// points, as in aiecon compare: a gross margin from 86.0% to 84.0% is
// -2.0 pp, where a relative -2.3% reads as if it had lost 2.3 points.
func fmtDelta(delta, rel float64, unit string) string {
	if undefined(delta) {
		return format.Undefined
	}
	if delta == 0 {
		return "="
	}
	sign := "+"
	if delta < 0 {
		sign = ""
	}
	if unit == format.UnitFraction {
		return sign + strings.TrimSuffix(fmtPct(delta), "%") + " pp"
	}
	if !undefined(rel) {
		return sign + fmtPct(rel)
	}
	return format.SignedUnitCompact(delta, unit)
}

// deltaShown is a change's text (fmtDelta) and the change its arrow and
// tone go by: none where the text rounds it to zero, as format.Change
// makes rounding noise none. Busy time 100% against 100% read "▼ -0.0 pp",
// an arrow (and a colour) for a change the screen shows as nothing.
func deltaShown(delta, rel float64, unit string) (string, float64) {
	text := fmtDelta(delta, rel, unit)
	if num, _, _ := strings.Cut(text, " "); !strings.ContainsAny(num, "123456789") {
		return text, 0 // "=", "-0.0 pp", "+0.0%"
	}
	return text, delta
}

// fmtSimTime prints a simulated duration in nanoseconds: 5m, 1h, 90s.
func fmtSimTime(ns int64) string { return model.Duration(ns).String() }

// fmtClock prints simulated seconds as an axis label: 0, 30s, 5m, 1h30m.
func fmtClock(s float64) string {
	if undefined(s) || s < 0 {
		return ""
	}
	d := time.Duration(math.Round(s)) * time.Second
	switch {
	case d == 0:
		return "0"
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		m, sec := int(d/time.Minute), int(d%time.Minute/time.Second)
		if sec == 0 {
			return strconv.Itoa(m) + "m"
		}
		return strconv.Itoa(m) + "m" + strconv.Itoa(sec) + "s"
	}
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	if m == 0 {
		return strconv.Itoa(h) + "h"
	}
	return strconv.Itoa(h) + "h" + strconv.Itoa(m) + "m"
}

// fmtWhen prints a wall-clock time relative to now: 14:03 today, Nov 24
// 14:03 this year, 2025-11-24 otherwise.
func fmtWhen(t, now time.Time, loc *time.Location) string {
	if t.IsZero() {
		return dash
	}
	t, now = t.In(loc), now.In(loc)
	switch {
	case t.Year() == now.Year() && t.YearDay() == now.YearDay():
		return t.Format("15:04:05")
	case t.Year() == now.Year():
		return t.Format("Jan 02 15:04")
	}
	return t.Format("2006-01-02")
}

// fmtStarted prints when a run started for the runs list, with its date
// whatever the day (Mar 14 09:05, 2025-11-24 another year), in fmtWhen's
// 12 cells: runs of different days showed one time of day (09:05:07 today,
// the date only for the rows of other days), and read alike.
func fmtStarted(t, now time.Time, loc *time.Location) string {
	if !t.IsZero() && t.In(loc).Year() == now.In(loc).Year() {
		return t.In(loc).Format("Jan 02 15:04")
	}
	return fmtWhen(t, now, loc)
}

// shortID cuts an id to n characters (at least minIDLen, the whole id
// when n is larger).
func shortID(id string, n int) string {
	n = max(n, minIDLen)
	if len(id) > n {
		return id[:n]
	}
	return id
}

// minIDLen is the shortest id shown, as git abbreviates a commit: 8 of
// the 9 characters of the creation time tell apart ids made 32 ms apart
// or more, and an id shows longer only where another shares its prefix.
const minIDLen = 8

// maxIDLen is the widest a list's ID column grows (table column
// maxWidth): runs made in the same millisecond share up to 14 of their 15
// characters, and one such pair widened the column to 15 for good,
// squeezing every name; an id cut there loses its middle (cutMiddle),
// keeping the end that tells it from its twin.
const maxIDLen = 12

// uniqueLens is, for each id, the length of its shortest prefix (at least
// minIDLen) that no other of ids shares: each id as long as it needs, as
// git abbreviates, not every id as long as the two closest need.
func uniqueLens(ids []string) map[string]int {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	out := make(map[string]int, len(sorted))
	for i, id := range sorted {
		n := 0
		if i > 0 {
			n = commonPrefix(sorted[i-1], id)
		}
		if i+1 < len(sorted) {
			n = max(n, commonPrefix(id, sorted[i+1]))
		}
		out[id] = min(max(n+1, minIDLen), len(id))
	}
	return out
}

// commonPrefix is how many leading bytes a and b share.
func commonPrefix(a, b string) int {
	k := 0
	for k < len(a) && k < len(b) && a[k] == b[k] {
		k++
	}
	return k
}

// abbrevLen is the longest of the ids' unique prefixes (uniqueLens): an
// id the store lists later is shown so long.
func abbrevLen(ids []string) int {
	n := minIDLen
	for _, l := range uniqueLens(ids) {
		n = max(n, l)
	}
	return n
}

func nan() float64 { return math.NaN() }
