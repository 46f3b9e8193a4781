package main

import (
	"fmt"
	"math"
	"strconv"

	"aiecon/model"
)

// noTraffic is the NO TRAFFIC warning of a run in which no request arrived
// (a rate's unit mistyped, a diurnal profile whose busy hours the horizon
// misses): its report is all zeros and an idle fleet's cost, which reads as
// a valid run unless something says otherwise. "" when requests arrived.
func (r runReport) noTraffic() string {
	if r.kpi("requests_arrived", "") != 0 {
		return ""
	}
	sc := r.l.Scenario
	expected := ""
	if n, ok := expectedOpenArrivals(sc); ok {
		rates := "the workloads' rates give"
		if anyDiurnal(sc) {
			rates = "the workloads' rates, by their diurnal profiles over the hours it covers, give"
		}
		expected = fmt.Sprintf("; %s about %s over it", rates, fmtFewExpected(n))
	}
	return fmt.Sprintf("NO TRAFFIC: no request arrived in the %v horizon%s. The cost above buys an idle fleet, and no latency or "+
		"per-token figure describes serving: check each workload's arrivals (a rate's unit: /s, /min, /h; a diurnal profile's "+
		"start_hour), or lengthen the horizon (--horizon).", sc.Horizon, expected)
}

// anyDiurnal reports whether a workload's rate follows a diurnal profile.
func anyDiurnal(sc *model.Scenario) bool {
	for _, w := range sc.Workloads {
		if d := w.Arrivals.Diurnal; !d.IsZero() && d.Name != "flat" {
			return true
		}
	}
	return false
}

// expectedOpenArrivals is the expected number of arrivals (requests, or
// agent sessions) over the horizon when every workload arrives as a rate
// (poisson or gamma): the rate times the horizon times the diurnal
// profile's mean over the hours of day the horizon covers. ok is false
// when a workload arrives otherwise (a burst, a closed loop, a trace),
// whose count the rates do not give.
func expectedOpenArrivals(sc *model.Scenario) (n float64, ok bool) {
	hours := sc.Horizon.Seconds() / 3600
	for _, w := range sc.Workloads {
		a := w.Arrivals
		if a.Process != "poisson" && a.Process != "gamma" {
			return 0, false
		}
		x := a.Rate.PerSecond() * sc.Horizon.Seconds() * diurnalMean(a.Diurnal, a.StartHour, hours)
		if a.Count > 0 {
			x = min(x, float64(a.Count)) // the process stops after count arrivals
		}
		n += x
	}
	return n, true
}

// diurnalMean is the profile's mean multiplier over hours hours from the
// hour of day start: whole days average 1 (a profile is normalised to mean
// 1), the rest is the profile's exact mean over its hours.
func diurnalMean(d model.Diurnal, start, hours float64) float64 {
	if !(hours > 0) {
		return d.Multiplier(start)
	}
	days := math.Floor(hours / 24)
	rest := hours - 24*days
	sum := 24 * days
	if rest > 0 {
		sum += rest * d.Mean(start, start+rest)
	}
	return sum / hours
}

// fmtFewExpected prints an expected count that may be far below one
// (1.2e-298 from a rate given per second that was meant per hour).
func fmtFewExpected(v float64) string {
	if v == 0 {
		return "0"
	}
	if v > 0 && v < 0.05 {
		return strconv.FormatFloat(v, 'g', 2, 64)
	}
	return fmtExpected(v)
}
