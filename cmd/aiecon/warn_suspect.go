package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/econ"
	"aiecon/model/format"
	"aiecon/runner"
)

// Thresholds of the SUSPECT VALUE checks: values that load (each is in
// range) but make a run that describes nothing a scenario means.
// docs/scenarios.md, "Suspect values", gives each with its reason.
const (
	// suspectInstancePrice: an instance price over this many times the
	// instance's on-demand list price. EC2's other options for one
	// instance (reserved, Capacity Blocks, spot) are priced at or below
	// on-demand in the catalog, and owned servers cost less an hour than
	// their rent, so ten times it is no price of that instance.
	suspectInstancePrice = 10.0
	// suspectTokenPrice: a token price over this many times the dearest
	// list price in the catalog (econ.DearestListPriceUSDPerMTok): three
	// orders of magnitude leaves room for models dearer than the catalog's,
	// and a price far above it is a unit or a digit gone wrong.
	suspectTokenPrice = 1000.0
	// suspectFewArrivals: a workload whose rate, over the horizon, gives
	// fewer arrivals than this expected: it likely sends nothing, and its
	// figures describe no traffic.
	suspectFewArrivals = 1.0
)

// suspectValues are the run's SUSPECT VALUE warnings: values a scenario
// may give, but which make its run describe nothing it means, each with
// its field path, its value and why it is suspect. They read the scenario
// alone (and the step times it prices), so a stored run gives them too;
// none must fire on a shipped scenario (TestSuspectValuesQuietOnShipped).
func suspectValues(sc *model.Scenario) []string {
	out := suspectInstancePrices(sc)
	out = append(out, suspectTokenPrices(sc)...)
	out = append(out, suspectArrivals(sc)...)
	out = append(out, suspectFleetSize(sc)...)
	return append(out, suspectAgainstSteps(sc)...)
}

// suspect is one SUSPECT VALUE warning: path is value, then why.
func suspect(path, value, why string) string {
	return fmt.Sprintf("SUSPECT VALUE: %s is %s, %s", path, value, why)
}

// suspectInstancePrices says where a fleet's, a pool's or the training
// cluster's own instance price is more than suspectInstancePrice times
// the instance's on-demand list price (the catalog's dearest where the
// instance has none).
func suspectInstancePrices(sc *model.Scenario) []string {
	var out []string
	check := func(path, instance string, usd float64) {
		ref, what := instancePriceRef(instance)
		if ref > 0 && usd > suspectInstancePrice*ref {
			out = append(out, suspect(path, fmtPlainUSD(usd)+" an instance-hour", fmt.Sprintf("%s times %s ($%.2f/h), which no "+
				"pricing of an instance comes near (the catalog's reserved, Capacity Blocks and spot prices are all at or below "+
				"on-demand); the cost and every cost per token rest on it: check the digits and the unit (USD per instance-hour).",
				fmtTimes(usd/ref), what, ref)))
		}
	}
	sc.EachFleet(func(pool string, _ model.ModelRef, f model.Fleet) bool {
		if usd, given := f.OwnPrice(); given {
			check(fleetPath(sc, pool)+".price_usd_per_hour", f.Instance, usd)
		}
		return true
	})
	if t := sc.Training; t != nil && t.PriceUSDPerHour != nil {
		check("training.price_usd_per_hour", t.Instance, *t.PriceUSDPerHour)
	}
	return out
}

// instancePriceRef is the price an instance's own price is measured
// against, in USD an hour, and what it is: its on-demand list price; where
// the catalog has none, its dearest catalog price (trn2.48xlarge lists a
// Capacity Blocks rate alone); for an instance with no price at all, the
// dearest on-demand list price of the catalog.
func instancePriceRef(instance string) (usd float64, what string) {
	in, err := hw.InstanceByName(instance)
	if err == nil && in.OnDemand.SI() > 0 {
		return in.OnDemand.SI(), instance + "'s on-demand list price"
	}
	if err == nil {
		for _, f := range []hw.Fact{in.RIEffective, in.CapacityBlock, in.Spot} {
			usd = max(usd, f.SI())
		}
		if usd > 0 {
			return usd, instance + "'s dearest catalog price"
		}
	}
	for _, in := range hw.Instances() {
		usd = max(usd, in.OnDemand.SI())
	}
	return usd, "the dearest on-demand list price in the catalog"
}

// fleetPath is the path of a pool's fleet block as --set writes it.
func fleetPath(sc *model.Scenario, pool string) string {
	if pool == "" || len(sc.Pools) == 0 {
		return "fleet"
	}
	return "pools[" + pool + "].fleet"
}

// suspectTokenPrices says where a workload's price per million tokens is
// more than suspectTokenPrice times the dearest list price in the catalog.
func suspectTokenPrices(sc *model.Scenario) []string {
	dearest := econ.DearestListPriceUSDPerMTok()
	var out []string
	type price struct {
		field string
		usd   float64
	}
	for _, w := range sc.Workloads {
		prices := []price{{"input_per_mtok", w.Price.InputPerMTok}, {"output_per_mtok", w.Price.OutputPerMTok}}
		if c := w.Price.CachedInputPerMTok; c != nil {
			prices = append(prices, price{"cached_input_per_mtok", *c})
		}
		for _, p := range prices {
			if p.usd > suspectTokenPrice*dearest {
				out = append(out, suspect(fmt.Sprintf("workloads[%s].price.%s", w.Name, p.field), fmtPlainUSD(p.usd)+" per million tokens",
					fmt.Sprintf("%s times the dearest list price in the catalog ($%.2f per million, docs/hardware.md); the revenue and margin "+
						"rest on it: check the digits and the unit (USD per million tokens).", fmtTimes(p.usd/dearest), dearest)))
			}
		}
	}
	return out
}

// suspectArrivals says where an open-loop workload's rate gives fewer than
// suspectFewArrivals arrivals expected over the horizon, and where a
// closed loop's mean think time is at least the horizon: a client's first
// request goes after one think time, so the average client sends at most
// one in the run, and the loop never closes.
func suspectArrivals(sc *model.Scenario) []string {
	var out []string
	for _, w := range sc.Workloads {
		a := w.Arrivals
		if n, ok := workloadExpectedArrivals(sc, w); ok && n < suspectFewArrivals {
			out = append(out, suspect(fmt.Sprintf("workloads[%s].arrivals.rate", w.Name), a.Rate.String(), fmt.Sprintf(
				"which gives about %s arrivals expected over the %v horizon, fewer than one: the workload likely sends nothing, and "+
					"its figures describe no traffic; check the rate's unit (/s, /min, /h) or lengthen the horizon.",
				fmtFewExpected(n), sc.Horizon)))
		}
		if a.Process != "closed" {
			continue
		}
		if think := a.ThinkTime.ExpectedValue(); think > 0 && think >= sc.Horizon.Seconds() {
			out = append(out, suspect(fmt.Sprintf("workloads[%s].arrivals.think_time", w.Name), "a mean of "+secondsText(think),
				fmt.Sprintf("at least the %v horizon: each client's first request goes after one think time, so the average client "+
					"sends its first no sooner than the horizon's end and its loop never closes; check the think time's unit or lengthen "+
					"the horizon.",
					sc.Horizon)))
		}
	}
	return out
}

// workloadExpectedArrivals is expectedOpenArrivals for one workload: its
// rate times the horizon times its diurnal profile's mean over the hours
// the horizon covers, at most its count; ok is false for a workload that
// arrives otherwise than at a rate.
func workloadExpectedArrivals(sc *model.Scenario, w model.Workload) (n float64, ok bool) {
	a := w.Arrivals
	if a.Process != "poisson" && a.Process != "gamma" {
		return 0, false
	}
	n = a.Rate.PerSecond() * sc.Horizon.Seconds() * diurnalMean(a.Diurnal, a.StartHour, sc.Horizon.Seconds()/3600)
	if a.Count > 0 {
		n = min(n, float64(a.Count)) // the process stops after count arrivals
	}
	return n, true
}

// secondsText is a duration given in seconds, in model.Duration's words
// (1y where it is years).
func secondsText(s float64) string {
	if s >= math.MaxInt64/1e9 {
		return strconv.FormatFloat(s, 'g', 3, 64) + "s"
	}
	return model.Duration(int64(s * 1e9)).String()
}

// fmtTimes prints a ratio above 1 as "12", "3,400" or "1e+12".
func fmtTimes(x float64) string {
	if x >= 1e9 {
		return strconv.FormatFloat(x, 'g', 2, 64)
	}
	return fmtCount(math.Round(x))
}

// fmtPlainUSD prints a price with every digit given, however large: $250,
// $5,000.5, $1e+15. From a thousand to below a trillion the whole dollars
// are grouped in thousands, as every other figure of the report is ("$5000
// an instance-hour" stood out among them); beyond, the exponent says more
// than fifteen digits would.
func fmtPlainUSD(usd float64) string {
	if a := math.Abs(usd); a < 1e3 || a >= 1e12 {
		return "$" + strconv.FormatFloat(usd, 'g', -1, 64)
	}
	whole, frac, _ := strings.Cut(strconv.FormatFloat(usd, 'f', -1, 64), ".")
	n, _ := strconv.ParseInt(whole, 10, 64) // below 1e12: fits
	if frac != "" {
		frac = "." + frac
	}
	return "$" + format.Thousands(n) + frac
}

// suspectFleetSize says where a static fleet holds more replicas than the
// requests its open-loop traffic is expected to send over the horizon:
// most replicas then serve none, and the cost buys an idle fleet. An
// agent session counts its mean model calls.
func suspectFleetSize(sc *model.Scenario) []string {
	requests := 0.0
	for _, w := range sc.Workloads {
		n, ok := workloadExpectedArrivals(sc, w)
		if !ok {
			return nil // a closed loop, a burst or a trace: no figure from rates
		}
		if w.Agent != nil {
			n *= max(w.Agent.Steps.ExpectedValue(), 1)
		}
		requests += n
	}
	if requests < suspectFewArrivals {
		return nil // suspectArrivals says so, by workload
	}
	var out []string
	sc.EachFleet(func(pool string, _ model.ModelRef, f model.Fleet) bool {
		replicas := float64(f.Count) * float64(max(f.Replica.PerInstance, 1))
		if f.Autoscale == nil && replicas > requests {
			out = append(out, suspect(fleetPath(sc, pool)+".count", strconv.Itoa(f.Count), fmt.Sprintf("%s replicas (%d an instance) for about "+
				"%s requests expected over the %v horizon: most replicas serve none, and the cost buys an idle fleet; check the count, "+
				"or size it with aiecon optimize.", fmtCount(replicas), max(f.Replica.PerInstance, 1), fmtExpected(requests), sc.Horizon)))
		}
		return true
	})
	return out
}

// suspectAgainstSteps says where a workload's SLO target is below the
// fastest step any fleet can take (runner.FastestStepSeconds: TTFT, or
// TPOT over the tokens a step can emit), so that no request can meet it,
// and where the horizon, without drain, is shorter than a request of the
// workload's mean output length takes at that pace on an idle replica.
func suspectAgainstSteps(sc *model.Scenario) []string {
	pace, ok := fastestPace(sc)
	if !ok {
		return nil
	}
	return suspectAgainstPace(sc, pace)
}

// suspectAgainstPace is suspectAgainstSteps at a given pace: the
// scenario's own, or the fastest of optimize's candidates.
func suspectAgainstPace(sc *model.Scenario, pace pace) []string {
	var out, short []string
	for _, w := range sc.Workloads {
		if t := w.SLO.TTFT; t > 0 && t.Seconds() < pace.first {
			out = append(out, suspect(fmt.Sprintf("workloads[%s].slo.ttft", w.Name), t.String(), fmt.Sprintf("below the fastest step "+
				"a replica can take (%s: %s, one token through every layer), so no request can meet it and SLO attainment "+
				"reads 0%%: check the unit (ms, s).", pace.fleet, fmtSec(pace.first))))
		}
		if t := w.SLO.TPOT; t > 0 && t.Seconds() < pace.next {
			out = append(out, suspect(fmt.Sprintf("workloads[%s].slo.tpot", w.Name), t.String(), fmt.Sprintf("below the fastest a "+
				"replica can emit a token (%s: %s%s), so no request of more than one output token can meet it and SLO attainment "+
				"reads 0%% for them: check the unit (ms, s).", pace.fleetNext, fmtSec(pace.next), pace.perStep)))
		}
		if mean := w.OutputTokens.ExpectedValue(); !sc.Drain && mean > 0 {
			need := pace.first + max(mean-1, 0)*pace.next
			if sc.Horizon.Seconds() < need {
				short = append(short, fmt.Sprintf("workloads[%s] (%s output tokens: %s)", w.Name, fmtNum(mean, 0), fmtSec(need)))
			}
		}
	}
	if len(short) > 0 {
		out = append(out, suspect("horizon", sc.Horizon.String(), "shorter than a request of mean output length takes on an idle "+
			"replica at its fastest step, "+strings.Join(short, ", ")+": few requests can finish in it, and the latency figures "+
			"count only the shortest; lengthen the horizon, or set drain: true to serve what arrived."))
	}
	return out
}

// pace is the fastest a scenario's fleets can serve: first, the fastest
// step of any (the soonest a first token can come once scheduled); next,
// the fastest a next token can come (a step over the tokens it can emit);
// fleet and fleetNext name the fleets that give them, perStep how many
// tokens a step of the latter emits at most, as a clause.
type pace struct {
	first, next               float64
	fleet, fleetNext, perStep string
}

// fastestPace is the scenario's pace over its serving pools; ok is false
// where a pool's step cannot be priced (the run says why elsewhere).
func fastestPace(sc *model.Scenario) (p pace, ok bool) {
	p.first, p.next = math.Inf(1), math.Inf(1)
	for _, sp := range sc.ServingPools() {
		step, err := runner.FastestStepSeconds(sc, sp)
		if err != nil || !(step > 0) {
			return pace{}, false
		}
		name := fmt.Sprintf("%s on %s at tp %d", sp.Model.Name, sp.Fleet.Instance, sp.Fleet.Replica.TP)
		if step < p.first {
			p.first, p.fleet = step, name
		}
		tokens := 1
		if s := sp.Fleet.Replica.Speculative; s != nil {
			tokens = s.K + 1 // every proposed token accepted, and the target's own
		}
		if next := step / float64(tokens); next < p.next {
			p.next, p.fleetNext, p.perStep = next, name, ""
			if tokens > 1 {
				p.perStep = fmt.Sprintf(", a step of %s over the %d tokens speculative decoding emits at most", fmtSec(step), tokens)
			}
		}
	}
	return p, !math.IsInf(p.first, 1)
}
