package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"aiecon/model/format"
	"aiecon/study/optimize"
)

// reportOptimize prints the search's report, as JSON or as the text
// report with its extrapolation warnings.
func reportOptimize(e *env, f optimizeFlags, res *optimize.Result) error {
	if f.format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(optimizeJSON(res, storedAt(e)))
	}
	width := reportWidth(e, f.width)
	if err := printOptimize(e.stdout, res, storedAt(e), width); err != nil {
		return err
	}
	return printExtrapWarnings(e.stdout, res, width)
}

// optimizeGoal is what the search looked for, as the first line says it.
func optimizeGoal(res *optimize.Result) string {
	var cons []string
	if res.SLOTarget > 0 || res.Objective == optimize.ObjectiveCost {
		cons = append(cons, fmt.Sprintf("SLO attainment >= %s for %s", fmtTarget(res.SLOTarget), strings.Join(res.SLOs, ", ")))
	}
	if l := res.MaxSessionAbandon; l != nil {
		cons = append(cons, fmt.Sprintf("session abandonment <= %s for %s", fmtTarget(*l), strings.Join(res.Agents, ", ")))
	}
	if res.Objective == optimize.ObjectiveCost {
		return "the cheapest fleet with " + strings.Join(cons, " and ")
	}
	if len(cons) == 0 {
		return "the fleet with the highest margin"
	}
	return "the fleet with the highest margin among those with " + strings.Join(cons, " and ")
}

// printBest prints the BEST line and the notes under it (optimizeNotes),
// or says that no fleet met the target and which flags widen it, wrapped
// to width (wrapWriter; 0: one line each).
func printBest(w io.Writer, res *optimize.Result, width int) {
	pw := newWrapWriter(w, width)
	defer pw.Flush()
	b := res.Best
	if b != nil {
		abandon := ""
		if len(res.Agents) > 0 {
			abandon = ", session abandonment " + abandonPct(res, b.SessionAbandon) + worstAgent(res, b.SessionAbandonWorkload)
		}
		fmt.Fprintf(pw, "BEST  %s: %s/h (%s/h with %s), SLO attainment %s%s%s, margin %s over %s\n", b.Describe(),
			fmtUSD(b.FleetPerHourUSD), fmtUSD(b.CostPerHourUSD), totalAdds(res), attainPct(res, b.Attainment), worstWorkload(res, b), abandon, fmtUSD(b.MarginUSD), res.Horizon)
	}
	for _, note := range optimizeNotes(res) {
		fmt.Fprintln(pw, note)
	}
	if b != nil {
		fmt.Fprintln(pw)
	}
}

// optimizeNotes are the lines the table prints under its BEST line (the
// noise, margin, free-fleet, same-price, abandonment (run's check, then
// the fleets that abandoned fewer), gross-commerce and
// price notes, and the schedulers the candidates ran under), or in its
// place where no fleet met the target (noFleetNote, and the schedulers);
// --format json gives them as "notes", from here, so that it says what
// the table says.
func optimizeNotes(res *optimize.Result) []string {
	if res.Best == nil {
		return slices.DeleteFunc([]string{noFleetNote(res), schedulerNote(res)}, func(n string) bool { return n == "" })
	}
	notes := []string{noiseNote(res), marginNote(res), freeNote(res), samePriceNote(res), bestAbandonedNote(res), abandonNote(res), commerceNote(res),
		optimize.BestPriceNote(res)}
	notes = append(notes, optimize.PriceNotes(res.Prices())...)
	notes = append(notes, schedulerNote(res))
	return slices.DeleteFunc(notes, func(n string) bool { return n == "" })
}

// storedAt is the store a command's runs are kept in: "" with --no-store.
func storedAt(e *env) string {
	if e.noStore {
		return ""
	}
	return e.dbPath
}

// printOptimize prints the search's text report, its prose wrapped to
// width (wrapWriter; 0: one line each), its tables never; dbPath "": the
// evaluations were not stored (--no-store).
func printOptimize(w io.Writer, res *optimize.Result, dbPath string, width int) error {
	fprintWrapped(w, width, "optimize: %s; %s simulated per evaluation%s\n", optimizeGoal(res), res.Horizon, replicationsPhrase(res))
	nPruned := 0
	for _, c := range res.Candidates {
		if c.Pruned != "" {
			nPruned++
		}
	}
	stored := fmt.Sprintf("stored as sweep %s in %s", res.SweepID, dbPath)
	if dbPath == "" {
		stored = "not stored (--no-store)"
	}
	fprintWrapped(w, width, "%d candidates (instance x tp x max_num_seqs), %d pruned before running; %s in %s, %s\n",
		len(res.Candidates), nPruned, plural(len(res.Evals), "evaluation"), plural(res.Rounds, "round"), stored)
	for _, n := range scopeNotes(res) {
		fprintWrapped(w, width, "%s\n", n)
	}
	fmt.Fprintln(w)
	printBest(w, res, width)

	if err := printFrontier(w, res, width); err != nil {
		return err
	}

	fmt.Fprintln(w, "\nCANDIDATES")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  INSTANCE\tTP\tSEQS\t$/H EACH\tEXTRAP\tEVALS\tOUTCOME")
	evals := map[int]int{}
	for _, e := range res.Evals {
		evals[e.Candidate]++
	}
	for i, c := range res.Candidates {
		if c.Pruned == "" {
			outcome := c.Outcome
			if c.Best != nil {
				outcome += fmt.Sprintf(" (%s/h)", fmtUSD(c.Best.FleetPerHourUSD))
			}
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%s\t%s\t%d\t%s\n", c.Instance, c.TP, c.MaxNumSeqs, fmtUSD(c.PriceUSDPerHour), extrapMark(c), evals[i], outcome)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fprintWrapped(w, width, "%s\n", extrapLegend(res))
	if err := printPrices(w, res, width); err != nil {
		return err
	}
	if pruned := optimize.PrunedSummary(res.Candidates); len(pruned) > 0 {
		fmt.Fprintln(w, "\nPRUNED (never run)")
		for _, line := range pruned {
			fprintWrapped(w, width, "  %s\n", line)
		}
	}
	return nil
}

// printPrices says where each instance type's price comes from and of
// when: the search ranks fleets by prices whose sources differ in date
// (a Capacity Blocks rate of 2026 beside one of late 2024).
func printPrices(w io.Writer, res *optimize.Result, width int) error {
	fprintWrapped(w, width, "%s\n", "\nPRICES (per instance-hour, as the search compared them; aiecon hw show INSTANCE gives each source)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, p := range res.Prices() {
		when := p.When()
		if when == "" {
			when = "fleet.price_usd_per_hour"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", p.Instance, fmtUSD(p.USDPerHour), p.From, when)
	}
	return tw.Flush()
}

func optimizeJSON(res *optimize.Result, dbPath string) any {
	num := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	eval := func(e *optimize.Eval) any {
		if e == nil {
			return nil
		}
		return map[string]any{"instance": e.Layout.Instance, "tp": e.Layout.TP, "max_num_seqs": e.Layout.MaxNumSeqs, "count": e.Count,
			"fleet_cost_per_hour_usd": num(e.FleetPerHourUSD), "cost_per_hour_usd": num(e.CostPerHourUSD), "slo_attainment_min": num(e.Attainment),
			"slo_attainment_min_workload": nullIfEmpty(e.AttainmentWorkload), "margin_usd": num(e.MarginUSD),
			"revenue_usd": num(e.RevenueUSD), "revenue_ceiling_usd": num(e.RevenueCeilingUSD), "session_abandon_rate_max": num(e.SessionAbandon),
			"session_abandon_rate_max_workload": nullIfEmpty(e.SessionAbandonWorkload), "session_fail_rate_workload": nullIfEmpty(e.SessionFailWorkload),
			"session_fail_rate": num(e.SessionFail), "sessions_failed": num(e.SessionsFailed), "feasible": e.Feasible, "sweep_point": e.Point, "runs": e.Runs,
			"slo_attainment_min_ci95_half_width": num(e.AttainmentHalfWidth), "slo_attainment_min_ci95_low": num(e.AttainmentLow),
			"slo_attainment_min_ci95_high": num(e.AttainmentHigh), "margin_usd_ci95_half_width": num(e.MarginHalfWidth),
			"held_pools_cost_per_hour_usd": num(e.HeldPerHourUSD), "step_times_extrapolated": len(gapsJSON(candidateOf(res, e))) > 0,
			"step_times_extrapolations": gapsJSON(candidateOf(res, e))}
	}
	var front, evs, cands []any
	for _, e := range res.Frontier() {
		front = append(front, eval(e))
	}
	for _, e := range res.Evals {
		evs = append(evs, eval(e))
	}
	for _, c := range res.Candidates {
		cands = append(cands, map[string]any{"instance": c.Instance, "tp": c.TP, "max_num_seqs": c.MaxNumSeqs,
			"price_per_instance_hour_usd": num(c.PriceUSDPerHour), "price_source": c.Price.From, "price_date": c.Price.When(),
			"pruned": c.Pruned, "outcome": c.Outcome, "best": eval(c.Best),
			"step_times_extrapolated": len(c.Extrapolated) > 0, "step_times_extrapolations": gapsJSON(c)})
	}
	notes := optimize.PriceNotes(res.Prices())
	if n := optimize.BestPriceNote(res); n != "" {
		notes = append(notes, n)
	}
	if notes == nil {
		notes = []string{}
	}
	var maxAbandon any
	if l := res.MaxSessionAbandon; l != nil {
		maxAbandon = *l
	}
	var store any = dbPath
	if dbPath == "" {
		store = nil // --no-store: nothing was stored
	}
	return map[string]any{"sweep_id": res.SweepID, "store": store, "objective": res.Objective, "slo_target": res.SLOTarget,
		"slo_workloads": res.SLOs, "agent_workloads": res.Agents, "max_session_abandon": maxAbandon, "horizon": res.Horizon.String(), "rounds": res.Rounds, "best": eval(res.Best),
		"frontier": front, "evaluations": evs, "candidates": cands, "price_notes": notes, "notes": optimizeNotes(res),
		"scope_notes": nonNil(scopeNotes(res)), "replications": res.Replications,
		"extrapolation_warnings": extrapNotes(res)}
}

// nullIfEmpty is s, or JSON null for "" (the worst workload of an
// evaluation where no request, or no session, ended, or where several
// share the worst figure).
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// printFrontier prints the cost/attainment frontier of the evaluations,
// the best marked (and listed even where it is off the frontier).
func printFrontier(w io.Writer, res *optimize.Result, width int) error {
	legend := newWrapWriter(w, width) // the heading's lines, wrapped
	fmt.Fprintln(legend, "FRONTIER (fleet cost against the lowest SLO attainment of the workloads; * = best, listed even off the frontier;")
	fleet, adds := "the instances", "training and content licensing"
	if heldPools(res) != nil {
		fleet, adds = "the main pool's instances", "the held pools (POOLS HELD), training and content licensing"
	}
	fmt.Fprintf(legend, "FLEET/H is what %s cost, which the search ranks; TOTAL/H adds %s;\n"+
		"MARGIN is each evaluation's over its %s horizon, not per hour;\n", fleet, adds, res.Horizon)
	fmt.Fprintln(legend, "EXTRAP marks step times extrapolated beyond their constants' measurements, as under CANDIDATES)")
	agents := len(res.Agents) > 0
	keys := workloadKeys(append(slices.Clone(res.SLOs), res.Agents...))
	sloLegend(legend, res, keys)
	abandonLegend(legend, res, keys)
	if err := legend.Flush(); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "  COUNT\tINSTANCE\tTP\tSEQS\tFLEET/H\tTOTAL/H\tSLO\t"
	if agents {
		head += "ABANDON\t"
	}
	fmt.Fprintln(tw, head+"MARGIN\tEXTRAP\tPOINT")
	rows := res.Frontier()
	if res.Best != nil && !slices.Contains(rows, res.Best) {
		// The best margin need not be on the cost/attainment frontier: show
		// it where its cost puts it, marked, all the same.
		i := 0
		for i < len(rows) && rows[i].FleetPerHourUSD <= res.Best.FleetPerHourUSD {
			i++
		}
		rows = slices.Insert(rows, i, res.Best)
	}
	for _, e := range rows {
		mark := " "
		if e == res.Best {
			mark = "*"
		}
		abandon := ""
		if agents {
			abandon = abandonPct(res, e.SessionAbandon) + keyed(keys, res.Agents, e.SessionAbandonWorkload) + "\t"
		}
		slo := attainPct(res, e.Attainment) + keyed(keys, res.SLOs, e.AttainmentWorkload)
		fmt.Fprintf(tw, "%s %d\t%s\t%d\t%d\t%s\t%s\t%s\t%s%s\t%s\t%d\n", mark, e.Count, e.Layout.Instance, e.Layout.TP, e.Layout.MaxNumSeqs,
			fmtUSD(e.FleetPerHourUSD), fmtUSD(e.CostPerHourUSD), slo, abandon, fmtUSD(e.MarginUSD), evalMark(res, e), e.Point)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return nil
}

// keyed is the key that follows a FRONTIER figure, " " and the key of the
// workload whose figure it is, where the column covers several workloads
// (names) and one is known to be the worst; "" otherwise, the figure read
// bare as every workload's.
func keyed(keys map[string]string, names []string, worst string) string {
	if len(names) < 2 || worst == "" || keys[worst] == "" {
		return ""
	}
	return " " + keys[worst]
}

// sloLegend writes FRONTIER's line on SLO where several workloads have an
// SLO: the attainment shown is the lowest of theirs, and the key after it
// (keys, workloadKeys) names the workload whose it is, as ABANDON's does,
// since --format json named it (slo_attainment_min_workload) while the
// table read as every workload's.
func sloLegend(legend io.Writer, res *optimize.Result, keys map[string]string) {
	if len(res.SLOs) < 2 {
		return
	}
	fmt.Fprintf(legend, "SLO is the lowest SLO attainment of the workloads; after it, whose it is: %s (none where several share it "+
		"or no request ended)\n", keyList(keys, res.SLOs))
}

// abandonLegend writes FRONTIER's lines on ABANDON, where the scenario has
// agent workloads, with the key that follows a rate in the column (keys,
// workloadKeys) by the name of the workload whose rate it is, none with
// one agent workload. The rate is the highest of theirs, and read bare as
// every agent's; --format json names the workload, and a whole name a row
// would widen the table past what the other columns already take.
func abandonLegend(legend io.Writer, res *optimize.Result, keys map[string]string) {
	if len(res.Agents) == 0 {
		return
	}
	fmt.Fprint(legend, "ABANDON is the highest session abandon rate of the agent workloads: users who gave up on a slow session, "+
		"and sessions the fleet failed (a call dropped or timed out)")
	if len(res.Agents) > 1 {
		fmt.Fprintf(legend, "; after it, whose it is: %s (none where several share it or no session ended)", keyList(keys, res.Agents))
	}
	fmt.Fprintln(legend)
	if res.MaxSessionAbandon != nil {
		// The limit makes abandonment a dimension of the front: the
		// larger fleets that abandon fewer sessions are listed too.
		fmt.Fprintln(legend, "with --max-session-abandon the frontier ranks it too: a fleet is listed unless another is no costlier, no lower in SLO and no higher in ABANDON")
	}
}

// keyList lists names each after its key: "c chat, s shopping".
func keyList(keys map[string]string, names []string) string {
	named := make([]string, len(names))
	for i, n := range names {
		named[i] = keys[n] + " " + n
	}
	return strings.Join(named, ", ")
}

// workloadKeys gives each workload the shortest prefix of its name (in
// characters) that starts no other's, or its whole name where that is the
// start of another's (chat beside chat-pro): a key a letter or two long,
// as EXTRAP's, where workload names run to 200 characters. A key never
// ends in a space, which the table would show as nothing (x beside x y).
// FRONTIER keys its SLO and ABANDON columns from one call over both
// columns' workloads, so that a key names one workload wherever it stands.
func workloadKeys(names []string) map[string]string {
	keys := make(map[string]string, len(names))
	for _, name := range names {
		r := []rune(name)
		n := 1
		for ; n < len(r); n++ {
			p := string(r[:n])
			if !strings.HasSuffix(p, " ") && !slices.ContainsFunc(names, func(o string) bool { return o != name && strings.HasPrefix(o, p) }) {
				break
			}
		}
		keys[name] = string(r[:min(n, len(r))])
	}
	return keys
}

// attainPct prints an evaluation's SLO attainment against the search's
// target (format.PctAgainst): at 0.98992 under ">= 99.0%" the FRONTIER
// printed 99.0%, a miss that read as meeting it.
func attainPct(res *optimize.Result, v float64) string { return format.PctAgainst(v, res.SLOTarget) }

// abandonPct prints an evaluation's session abandonment against the
// search's limit, as attainPct does its attainment; Pct's form where
// there is no limit.
func abandonPct(res *optimize.Result, v float64) string {
	if res.MaxSessionAbandon == nil {
		return fmtPct(v)
	}
	return format.PctAgainst(v, *res.MaxSessionAbandon)
}
