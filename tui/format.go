package tui

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"aiecon/model"
)

// Numbers on screen carry their unit and three significant digits: enough
// to compare runs at a glance, few enough to fit a table cell. An undefined
// value (NaN, e.g. a latency with no completed request) shows as a dash.

const dash = "—"

func undefined(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }

// fmtSig prints v with three significant digits below 1000 (4.93, 78.7,
// 218) and with thousands separators from 1000 to 999,999; beyond that it
// uses SI suffixes (1.23M, 4.56G, ...).
func fmtSig(v float64) string {
	if undefined(v) {
		return dash
	}
	a := math.Abs(v)
	switch {
	case a == 0:
		return "0"
	case a < 1000:
		return trimZeros(strconv.FormatFloat(v, 'f', decimalsFor(a), 64))
	case a < 999_999.5:
		return groupThousands(int64(math.Round(v)))
	}
	for _, u := range []struct {
		div    float64
		suffix string
	}{{1e18, "E"}, {1e15, "P"}, {1e12, "T"}, {1e9, "G"}, {1e6, "M"}} {
		if a >= u.div*0.9995 {
			return trimZeros(strconv.FormatFloat(v/u.div, 'f', decimalsFor(a/u.div), 64)) + u.suffix
		}
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
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

// trimZeros keeps a number's trailing zeros: "2.50" reads as three
// significant digits. It only removes a lone trailing point.
func trimZeros(s string) string { return strings.TrimSuffix(s, ".") }

func groupThousands(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
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

// fmtCount prints a count: 0, 1,480, 8.98M.
func fmtCount(v float64) string {
	if undefined(v) {
		return dash
	}
	if math.Abs(v) < 999_999.5 {
		return groupThousands(int64(math.Round(v)))
	}
	return fmtSig(v)
}

// fmtUSD prints money: $1.54, -$27.12, $12,345, $1.23M, and small amounts
// with three significant digits ($0.00420).
func fmtUSD(v float64) string {
	if undefined(v) {
		return dash
	}
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	switch {
	case v == 0:
		return "$0.00"
	case v < 0.01:
		return sign + "$" + strconv.FormatFloat(v, 'f', decimalsFor(v), 64)
	case v < 999.995:
		return sign + "$" + strconv.FormatFloat(v, 'f', 2, 64)
	}
	return sign + "$" + fmtSig(v)
}

// fmtPct prints a fraction as a percentage: 99.9%, 4.1%, -1,761%.
func fmtPct(frac float64) string {
	if undefined(frac) {
		return dash
	}
	p := frac * 100
	a := math.Abs(p)
	switch {
	case a == 0:
		return "0%"
	case a < 99.95:
		return strconv.FormatFloat(p, 'f', 1, 64) + "%"
	}
	return groupThousands(int64(math.Round(p))) + "%"
}

// fmtSeconds prints a latency: 420 µs, 24.8 ms, 2.48 s, 218 s, 1.52 h.
func fmtSeconds(s float64) string {
	if undefined(s) {
		return dash
	}
	a := math.Abs(s)
	switch {
	case a == 0:
		return "0 s"
	case a < 1e-3:
		return fmtSig(s*1e6) + " µs"
	case a < 1:
		return fmtSig(s*1e3) + " ms"
	case a < 3600:
		return fmtSig(s) + " s"
	}
	return fmtSig(s/3600) + " h"
}

// fmtUnit prints a KPI value in its unit (the units of sim/kpi.go).
func fmtUnit(v float64, unit string) string {
	if undefined(v) {
		return dash
	}
	switch unit {
	case "USD":
		return fmtUSD(v)
	case "USD/h":
		return fmtUSD(v) + "/h"
	case "USD/Mtok":
		return fmtUSD(v) + "/Mtok"
	case "s":
		return fmtSeconds(v)
	case "fraction":
		return fmtPct(v)
	case "1/s":
		return fmtSig(v) + "/s"
	case "tok/s":
		return fmtSig(v) + " tok/s"
	case "count", "requests":
		if v == math.Trunc(v) {
			return fmtCount(v)
		}
		return fmtSig(v)
	case "h":
		return fmtSig(v) + " h"
	case "":
		return fmtSig(v)
	}
	return fmtSig(v) + " " + unit
}

// fmtDelta prints the change of a value against a baseline: relative when
// the baseline is not zero (+12.3%), otherwise absolute in the unit.
func fmtDelta(delta, rel float64, unit string) string {
	if undefined(delta) {
		return dash
	}
	if delta == 0 {
		return "="
	}
	sign := "+"
	if delta < 0 {
		sign = ""
	}
	if !undefined(rel) {
		return sign + fmtPct(rel)
	}
	return sign + fmtUnit(delta, unit)
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

// shortID cuts an id to n characters (at least 10, the whole id when n
// is larger).
func shortID(id string, n int) string {
	n = max(n, minIDLen)
	if len(id) > n {
		return id[:n]
	}
	return id
}

// minIDLen is the shortest id shown: the 9 characters of the creation time
// and one random one.
const minIDLen = 10

// abbrevLen is the shortest prefix length (at least minIDLen) that tells
// every id apart. Ids made in the same millisecond (a sweep on several
// workers) share more than ten characters, so a fixed cut would show two
// runs with one id.
func abbrevLen(ids []string) int {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	n := minIDLen
	for i := 1; i < len(sorted); i++ {
		a, b := sorted[i-1], sorted[i]
		k := 0
		for k < len(a) && k < len(b) && a[k] == b[k] {
			k++
		}
		n = max(n, min(k+1, max(len(a), len(b))))
	}
	return n
}

func nan() float64 { return math.NaN() }
