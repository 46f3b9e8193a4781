package tui

import (
	"math"

	"aiecon/model/format"
)

// secondsColumn is a formatter of durations in seconds that prints every
// value of one column in one unit: the unit fmtSeconds gives the column's
// largest value (µs, ms, s or h). A column of latencies read "2,242 s"
// beside "1.31 h", which took mental conversion to compare; the CLI prints
// seconds throughout. Hours are taken only where every value is an hour or
// more, as a value below one in hours (0.000203 h for 730 ms) cannot be
// read at a glance; seconds then, as the CLI. Undefined values print as
// fmtSeconds prints them.
func secondsColumn(vals []float64) func(float64) string {
	hi, lo := math.Inf(-1), math.Inf(1)
	for _, v := range vals {
		if !undefined(v) {
			hi, lo = max(hi, math.Abs(v)), min(lo, math.Abs(v))
		}
	}
	unit, div := "s", 1.0
	switch {
	case math.IsInf(hi, -1) || hi == 0:
		return fmtSeconds
	case hi < 1e-3:
		unit, div = "µs", 1e-6
	case hi < 1:
		unit, div = "ms", 1e-3
	case hi >= 3600 && lo >= 3600:
		unit, div = "h", 3600
	}
	return func(v float64) string {
		switch {
		case undefined(v):
			return fmtSeconds(v)
		case v == 0:
			return "0 " + unit
		}
		return format.Sig(v/div) + " " + unit
	}
}

// latencyColumns are the formatters of a table's cols latency columns,
// each from secondsColumn over its rows' values (get(row, col)), so that
// a column of the Run screen's tables keeps one unit down its rows as the
// Runs and Sweep screens' do: a workload's TTFT p99 of 372 ms read above
// another's 1.18 s.
func latencyColumns(rows, cols int, get func(row, col int) float64) []func(float64) string {
	out := make([]func(float64) string, cols)
	for j := range out {
		vals := make([]float64, rows)
		for i := range vals {
			vals[i] = get(i, j)
		}
		out[j] = secondsColumn(vals)
	}
	return out
}
