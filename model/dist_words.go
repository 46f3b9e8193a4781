package model

import (
	"math"

	"aiecon/model/format"
)

// Words is the distribution in a few words, for the lines that state a
// scenario's assumptions (run's agent line, a forecast's abandonment
// note): its value (fixed); its median and 99th percentile (lognormal,
// the percentile from sigma where sigma is given), as the spread decides
// as much as the median how many users wait past a patience; its range
// (uniform); the trace it is read from (empirical); else its mean. Each
// number is followed by unit: "s" writes it as a duration (300 ms, 8 s),
// "" leaves it bare, any other is appended ("150 tok").
func (d Dist) Words(unit string) string {
	num := func(v float64) string {
		switch unit {
		case "s":
			return format.SecondsShort(v)
		case "":
			return format.Short(v)
		}
		return format.Short(v) + " " + unit
	}
	switch d.Kind {
	case "fixed":
		return num(d.Value)
	case "lognormal":
		return "median " + num(d.Median) + ", p99 " + num(d.lognormalP99())
	case "uniform":
		return num(d.Min) + " to " + num(d.Max)
	case "empirical":
		if d.Trace != "" {
			return "from " + format.Visible(d.Trace)
		}
	}
	return "mean " + num(d.ExpectedValue())
}

// lognormalP99 is a lognormal's 99th percentile: the one given, else the
// one its median and sigma give.
func (d Dist) lognormalP99() float64 {
	if d.P99 > 0 {
		return d.P99
	}
	return d.Median * math.Exp(d.Sigma*Z99)
}
