package main

import (
	"aiecon/model/format"
	"aiecon/model/kpi"
)

// The CLI prints numbers in model/format's report forms (one rule for zero,
// minus and undefined, "-", across the CLI, the dashboard and charts); the
// short names keep the commands' printing code readable.
var (
	fmtWall     = format.Wall     // 420 ms, 12.3 s
	fmtSec      = format.Seconds  // 420 us, 25 ms, 2.48 s
	fmtPct      = format.Pct      // 99.9%
	fmtTarget   = format.PctGiven // 99.85%: a target or limit as it was given
	fmtNum      = format.Num      // fixed decimals
	fmtCount    = format.Count    // 12,345,678
	fmtUSD      = format.USD      // $0, $0.0042, -$27.12, $12,346
	fmtAvgCount = format.AvgCount // 4, or 3.5 when the fleet size moved
)

// fmtAttain prints a run's SLO attainment against the default target
// (kpi.DefaultSLOTarget, optimize's --slo-target and the share under which
// a forecast flags SLO AT RISK and the dashboard colours it as missed):
// never as 99.0% when it is not, as Pct printed 0.98992 (format.PctAgainst).
func fmtAttain(v float64) string { return format.PctAgainst(v, kpi.DefaultSLOTarget) }

// fmtExpected prints an expected count (conversions, clicks): one decimal
// below 100, where it tells 2.2 clicks from none, whole above.
func fmtExpected(v float64) string {
	if format.Defined(v) && v < 100 {
		return fmtNum(v, 1)
	}
	return fmtCount(v)
}

// fmtCountOf prints a stored count with its noun, singular at exactly one:
// "1 interruption", "1,480 preemptions". Counts come back from the store
// as float64, so format.Plural's int form does not fit them.
func fmtCountOf(n float64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmtCount(n) + " " + noun + "s"
}
