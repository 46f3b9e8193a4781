package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"aiecon/data"
	"aiecon/model"
	"aiecon/model/kpi"
	"aiecon/runner"
	"aiecon/sim"
	"aiecon/study"
)

// A sweep's summary of margin_usd read as the assistant's earnings when
// nearly all of it was commerce counted gross: docs/sweeps.md's fleet-pair
// found the fourth instance "earns $2.18 more on every seed" from orders
// the shoppers would mostly have placed anyway, and neither the table nor
// the page said so, which run does (COMMERCE COUNTED GROSS). The summary
// now says it, with run's check and words (grossCommerceWarning), over the
// runs it counts, when it reports a revenue or margin KPI.

// grossTally adds up, over the runs a summary counts, the commerce and
// revenue of those whose point's scenario counts commerce gross. The
// overload check visits each such run with its point's scenario
// (study.OverloadCheck), so the tally rides on it: one resolution a point.
// Safe for concurrent use: points are checked in parallel.
type grossTally struct {
	mu                sync.Mutex
	sc                *model.Scenario // a gross run's scenario, the one whose warning sorts first (points are checked in any order)
	text              string          // its warning, to sort by
	gross, others     int             // runs whose commerce is gross, and runs with commerce that is not
	commerce, revenue float64         // over the gross runs
}

// add counts one run.
func (t *grossTally) add(l *runner.Loaded, kpis []sim.KPI) {
	res := &sim.Result{KPIs: kpis} // its KPI lookup: a whole-run KPI absent reads 0
	c, _ := res.KPI(kpi.RevenueCommerceUSD, "")
	r, _ := res.KPI(kpi.RevenueUSD, "")
	commerce, revenue := c.Value, r.Value
	if !(commerce > 0 && revenue > 0) {
		return
	}
	w := grossCommerceWarning(l.Scenario, 1, 1) // whose workloads, not what share
	t.mu.Lock()
	defer t.mu.Unlock()
	if w == "" {
		t.others++
		return
	}
	if t.sc == nil || w < t.text {
		t.sc, t.text = l.Scenario, w
	}
	t.gross++
	t.commerce += commerce
	t.revenue += revenue
}

// warning is run's COMMERCE COUNTED GROSS over the runs counted, its share
// the gross runs' commerce over their revenue, saying how many runs it
// holds for where some credit only incremental orders; "" where none is
// gross.
func (t *grossTally) warning() string {
	if t.sc == nil {
		return ""
	}
	w := grossCommerceWarning(t.sc, t.commerce, t.revenue)
	if t.others > 0 {
		w += fmt.Sprintf(" It holds for %d of the %d runs that earned commerce; the others credit only the orders value.incremental "+
			"says the assistant causes, so their margins differ from these by that as well as by the parameters swept.", t.gross, t.gross+t.others)
	}
	return w
}

// ranksRevenue says whether a sweep reports a KPI made of revenue (a
// revenue line, a margin): the ones gross commerce inflates.
func ranksRevenue(kpis []study.KPIRef) bool {
	return slices.ContainsFunc(kpis, func(k study.KPIRef) bool {
		return strings.HasPrefix(k.Name, "revenue") || strings.Contains(k.Name, "margin")
	})
}

// summarizeSweep is the sweep's summary with its runs checked for overload
// (sweepOverloadCheck), and the warnings to print with it: COMMERCE
// COUNTED GROSS where it reports revenue or a margin and its runs' commerce
// is gross. None where the check failed (the summary's note says so): the
// tally would be of some runs only.
func summarizeSweep(ctx context.Context, store *data.Store, id string, plan *study.Plan, shard study.ShardSpec) (*study.Summary, []string, error) {
	var tally grossTally
	overloaded := sweepOverloadCheck(ctx, store)
	check := func(l *runner.Loaded, runID string, kpis []sim.KPI) (bool, error) {
		tally.add(l, kpis)
		return overloaded(l, runID, kpis)
	}
	sum, err := study.SummarizeChecked(ctx, store, id, plan, shard, check)
	if err != nil {
		return nil, nil, err
	}
	warnings := []string{}
	if w := tally.warning(); w != "" && sum.OverloadErr == nil && ranksRevenue(sum.KPIs) {
		warnings = append(warnings, w)
	}
	return sum, warnings, nil
}
