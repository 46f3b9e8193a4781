package main

import (
	"fmt"
	"math"
	"time"
)

// Cell and report formats shared by run, runs, show and compare: readable
// units, "-" for a value that is undefined (NaN).

func fmtWall(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// fmtSec prints a latency with a readable unit.
func fmtSec(s float64) string {
	switch {
	case math.IsNaN(s):
		return "-"
	case s < 1e-3:
		return fmt.Sprintf("%.0f us", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.0f ms", s*1e3)
	case s < 100:
		return fmt.Sprintf("%.2f s", s)
	default:
		return fmt.Sprintf("%.0f s", s)
	}
}

func fmtPct(f float64) string {
	if math.IsNaN(f) {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*f)
}

func fmtNum(v float64, prec int) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.*f", prec, v)
}

// fmtCount prints a whole number with thousands separators.
func fmtCount(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	neg := v < 0
	s := fmt.Sprintf("%.0f", math.Abs(v))
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// fmtUSD prints money with precision that suits its size.
func fmtUSD(v float64) string {
	switch a := math.Abs(v); {
	case math.IsNaN(v):
		return "-"
	case a >= 1000:
		return sign(v) + "$" + fmtCount(a)
	case a >= 1:
		return fmt.Sprintf("%s$%.2f", sign(v), a)
	case a == 0:
		return "$0"
	default:
		return fmt.Sprintf("%s$%.4f", sign(v), a)
	}
}

func sign(v float64) string {
	if v < 0 {
		return "-"
	}
	return ""
}

// fmtAvgCount prints a time-averaged count: whole when it is (a fixed fleet),
// with one decimal when autoscaling or interruptions moved it.
func fmtAvgCount(v float64) string {
	if math.Abs(v-math.Round(v)) < 1e-9 {
		return fmtCount(v)
	}
	return fmtNum(v, 1)
}
