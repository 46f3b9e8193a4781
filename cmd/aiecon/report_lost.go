package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/kpi"
)

// printLostToLatency prints the revenue lost to latency, to queueing and
// to service time, where the run has agent sessions or lost any API or
// batch request (docs/model.md, Revenue lost to latency), saying what it
// covers: the sessions that ended and the API and batch requests dropped or
// timed out, which would have billed their tokens without contention.
func (r runReport) printLostToLatency(tw io.Writer) {
	sessions := r.kpi(kpi.SessionsStarted, "") > 0
	if !sessions && !(r.kpi(kpi.RevenueLostToLatencyUSD, "") > 0) {
		return
	}
	lost := fmtUSD(r.kpi(kpi.RevenueLostToLatencyUSD, ""))
	if !sessions { // only tokens can be lost, and only to queueing
		fmt.Fprintf(tw, "  lost to latency\t%s, all to queueing (tokens): API/batch requests dropped or timed out, which the same fleet "+
			"without contention would have served; a token price does not move with latency\n", lost)
		return
	}
	fmt.Fprintf(tw, "  lost to latency\t%s against an instantaneous model, over %s\n", lost, r.lostCovers())
	r.printLost(tw, "to queueing", "same fleet without contention", kpi.RevenueLostToQueueingUSD, kpi.MarginLostToQueueingUSD,
		kpi.RevenueLostToQueueingAPIUSD, kpi.RevenueLostToQueueingAgentFeesUSD, kpi.RevenueLostToQueueingCommerceUSD, kpi.RevenueLostToQueueingAdsUSD)
	r.printLost(tw, "to service time", "instantaneous model against no contention", kpi.RevenueLostToServiceTimeUSD, kpi.MarginLostToServiceTimeUSD,
		kpi.RevenueLostToServiceTimeAPIUSD, kpi.RevenueLostToServiceTimeAgentFeesUSD, kpi.RevenueLostToServiceTimeCommerceUSD, kpi.RevenueLostToServiceTimeAdsUSD)
}

// lostCovers says what a run with sessions counts lost revenue over: the
// sessions that ended, and the API and batch requests dropped or timed out
// where it has such workloads.
func (r runReport) lostCovers() string {
	for _, w := range r.l.Scenario.Workloads {
		if w.Class != model.ClassAgent {
			return "sessions that ended and API/batch requests dropped or timed out"
		}
	}
	return "sessions that ended"
}

// printLost prints one cause of revenue lost to latency: the revenue with
// its lines (tokens, agent fees, commerce, ads) beside it, then the
// margin, which nets revenue shares and document fees and so is not the sum
// of those lines (docs/model.md, Revenue lost to latency).
func (r runReport) printLost(tw io.Writer, cause, against, revenue, margin, api, fees, commerce, ads string) {
	fmt.Fprintf(tw, "    %s\t%s (tokens %s, agent fees %s, commerce %s, ads %s), margin %s: %s\n", cause,
		fmtUSD(r.kpi(revenue, "")), fmtUSD(r.kpi(api, "")), fmtUSD(r.kpi(fees, "")),
		fmtUSD(r.kpi(commerce, "")), fmtUSD(r.kpi(ads, "")), fmtUSD(r.kpi(margin, "")), against)
}

// What the requests and sessions still running at the end would earn is
// material, and run prints it, from a hundredth of the ceiling and a tenth
// of the revenue: under that (baseline's hour: 0.4% and 0.6%; its ten
// minutes, 3.5% and 5.4%; a light minute's one request) the horizon's cut
// changes no reading, where an overloaded fleet's backlog (4.2% of the
// ceiling, five times the revenue) does.
const (
	unfinishedOfCeiling = 0.01
	unfinishedOfRevenue = 0.1
)

// printUnfinished prints the revenue ceiling beside what became of it,
// where the requests and sessions still running at the end hold a material
// share of it: an overloaded fleet's backlog earns nothing and is lost to
// nothing (it did not end), so without this line 9,551 of 11,992 chat
// requests left unserved read as $0 of tokens lost, and a cost per Mtok
// over the completed requests' tokens only as a cheap fleet.
func (r runReport) printUnfinished(tw io.Writer) {
	ceiling, unfinished := r.kpi(kpi.RevenueCeilingUSD, ""), r.kpi(kpi.RevenueUnfinishedUSD, "")
	if !(ceiling > 0) || !(unfinished >= unfinishedOfCeiling*ceiling) || !(unfinished >= unfinishedOfRevenue*r.kpi(kpi.RevenueUSD, "")) {
		return
	}
	var requests float64
	for _, w := range r.l.Scenario.Workloads {
		if w.Class != model.ClassAgent {
			requests += r.kpi(kpi.RequestsUnfinished, w.Name)
		}
	}
	var held []string
	if requests > 0 {
		held = append(held, countOf(requests, "request"))
	}
	if n := r.kpi(kpi.SessionsUnfinished, ""); n > 0 {
		held = append(held, countOf(n, "session"))
	}
	earned, lost := r.kpi(kpi.RevenueUSD, ""), r.kpi(kpi.RevenueLostToLatencyUSD, "")
	fmt.Fprintf(tw, "  ceiling\t%s the arrivals could earn served at once: earned %s, lost to latency %s, %s (%s of it) on the %s "+
		"still running at the end, counted neither as earned nor as lost, and not in cost per Mtok's tokens%s\n",
		fmtUSD(ceiling), fmtUSD(earned), fmtUSD(lost), fmtUSD(unfinished), fmtPct(unfinished/ceiling), strings.Join(held, " and "),
		ceilingRest(ceiling-earned-lost-unfinished, ceiling, cachedDiscount(r.l.Scenario.Workloads)))
}

// cachedDiscount reports whether an agent workload bills cached prompt
// tokens below its input price: the ceiling values every prompt at the
// input price (no replica has served it yet), and neither what was left
// unfinished nor what was earned or lost adds the discount back, so the
// discount on every call the run billed, and on the calls the
// instantaneous world bills for sessions that ended, is part of what the
// ceiling's three parts leave out. Only an agent's calls find cached
// tokens (cachedPriceNote), so no other workload's price makes one.
func cachedDiscount(ws []model.Workload) bool {
	return slices.ContainsFunc(ws, func(w model.Workload) bool {
		return w.Class == model.ClassAgent && w.Price.CachedInput() < w.Price.InputPerMTok
	})
}

// cachedPriceNote names, for the prefix cache's line, the workloads that
// bill a cached prompt token at a price of its own ("" where none does:
// every prompt token bills at the input price). Only an agent's calls
// carry a prefix a replica can hold (docs/model.md, Prefix cache and routing): an
// api or batch request never has cached tokens, so a price set on one
// bills nothing, and the line says so rather than name it beside the
// agents' hit rate as if it billed some.
func cachedPriceNote(ws []model.Workload) string {
	var at, none []string
	for _, w := range ws {
		c := w.Price.CachedInputPerMTok
		switch {
		case c == nil:
		case w.Class == model.ClassAgent:
			at = append(at, fmt.Sprintf("%s %s/Mtok (input %s)", w.Name, fmtUSD(*c), fmtUSD(w.Price.InputPerMTok)))
		default:
			none = append(none, w.Name)
		}
	}
	var note string
	if len(at) > 0 {
		note = "; cached prompt tokens billed at price.cached_input_per_mtok: " + strings.Join(at, ", ")
	}
	if len(none) > 0 {
		note += "; " + format.ListAnd(none) + " set price.cached_input_per_mtok, but an api or batch request has no cached tokens, so it bills none"
	}
	return note
}

// ceilingRest names what of the ceiling the line's three parts leave out:
// the ceiling values every session with the model as fresh as it gets and
// every request as if it fit the context window, so a model that ages
// between retrains, or requests refused for their length, leave a rest
// that would otherwise read as the three not adding up (retrain-weekly's
// weekly-dedicated, overloaded: $14.38 of $954.73). With cached, a cached
// input price below the input price is a third cause: the ceiling bills
// every prompt at the input price, what was billed and lost bill the
// cached tokens at the cached price, and what was left unfinished is
// valued net of what was billed at the input price (sim's endSession), so
// the whole discount lands here.
func ceilingRest(rest, ceiling float64, cached bool) string {
	if !(rest >= 0.005 && rest >= 1e-4*ceiling) {
		return ""
	}
	causes := "the model's ageing since its last retrain and requests over the context window"
	if cached {
		causes = "the model's ageing since its last retrain, requests over the context window and the cached input price's discount " +
			"(on the calls billed and on those lost to latency)"
	}
	return fmt.Sprintf("; the other %s (%s) is what %s cost", fmtUSD(rest), fmtPct(rest/ceiling), causes)
}

// countOf is a count with its noun, in the plural unless it is 1.
func countOf(n float64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmtCount(n) + " " + noun + "s"
}
