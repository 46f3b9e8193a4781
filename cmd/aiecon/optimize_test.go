package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/runner"
	"aiecon/study/optimize"
)

// TestOptimizeNotesMaskedValues: optimize, as run, notes a scenario file's
// own invalid value that its --set or --horizon replaces, so that the file
// does not fail only later, run without the flags.
func TestOptimizeNotesMaskedValues(t *testing.T) {
	src, err := model.Builtin("inferentia-small")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(src), "\nhorizon: 1h\n", "\nhorizon: banana\n", 1)
	if bad == string(src) {
		t.Fatal("inferentia-small no longer sets horizon: 1h")
	}
	p := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(p, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	name, text, dir, err := runner.ReadSource(p)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	noteMasked(&out, name, text, dir, nil, "20s")
	if got := out.String(); !strings.Contains(got, "bad.yaml:") || !strings.Contains(got, "replaced in this run by horizon=20s") {
		t.Errorf("notes %q, want one on the file's horizon replaced by --horizon 20s", got)
	}
	out.Reset()
	noteMasked(&out, name, text, dir, []string{"seed=2"}, "")
	if out.Len() != 0 {
		t.Errorf("notes %q for a run that does not replace the broken value; want none", out.String())
	}
}

// TestOptimizeNotesTheAutoscalerItRemoves: the search sizes a static
// fleet and removes the scenario's autoscaler; a note says so, which the
// help alone did, and none is printed where --set fleet.autoscale=null
// removed it already, or the scenario has none.
func TestOptimizeNotesTheAutoscalerItRemoves(t *testing.T) {
	src, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	scaled := strings.Replace(string(src), "\n  count: 4\n", "\n  count: 4\n  autoscale: {max: 8}\n", 1)
	if scaled == string(src) {
		t.Fatal("baseline no longer has count: 4 in its fleet")
	}
	const note = "aiecon: note: the scenario's autoscaler (fleet.autoscale) is removed: optimize sizes a static fleet"
	for _, c := range []struct {
		name string
		src  string
		sets []string
		want bool
	}{
		{"an autoscaler", scaled, nil, true},
		{"an autoscaler a --set removes", scaled, []string{"fleet.autoscale=null"}, false},
		{"none", string(src), nil, false},
		// The --set that gives it one is refused, which says why.
		{"one a --set gives", string(src), []string{"fleet.autoscale.max=8"}, false},
	} {
		var out strings.Builder
		noteMasked(&out, "s.yaml", []byte(c.src), "", c.sets, "")
		if got := strings.Contains(out.String(), note); got != c.want {
			t.Errorf("%s: notes %q; want the autoscaler's note: %v", c.name, out.String(), c.want)
		}
	}
}

// TestOptimizeNotesTheSetsItReplaces: a --set of a field every candidate
// replaces is noted on stderr before the search (the store, a directory
// here, stops it there): --set fleet.replica.tp=8 searched every degree
// without a word. Beside --tp, which lists the degrees run (as run's
// suggested optimize commands write it), it is not; a refused --set says
// why itself.
func TestOptimizeNotesTheSetsItReplaces(t *testing.T) {
	t.Parallel()
	const note = "aiecon: note: --set fleet.replica.tp=8 changes the scenario the search starts from (which must load), but each candidate sets its own TP degree"
	for _, c := range []struct {
		name string
		args []string
		want bool
	}{
		{"a TP degree", []string{"--set", "fleet.replica.tp=8"}, true},
		{"a TP degree beside --tp", []string{"--set", "fleet.replica.tp=8", "--tp", "8"}, false},
		{"beside a refused --set", []string{"--set", "fleet.replica.tp=8", "--set", "fleet.count=2"}, false},
	} {
		code, _, errs := hwRun(t, "", append([]string{"optimize", "baseline", "--db", t.TempDir()}, c.args...)...)
		if code == 0 {
			t.Fatalf("%s: the search ran on a directory as its store", c.name)
		}
		if got := strings.Contains(errs, note); got != c.want {
			t.Errorf("%s: stderr %q; want the note on the TP degree: %v", c.name, errs, c.want)
		}
	}
}

// TestOptimizeFlagsSessionAbandon: --max-session-abandon outside 0..1, or
// NaN (which pflag parses), is refused naming the flag; unset, its zero is
// no limit rather than "no session may be abandoned".
func TestOptimizeFlagsSessionAbandon(t *testing.T) {
	tests := []struct {
		v       float64
		set     bool
		wantErr bool
	}{
		{0, false, false}, {0, true, false}, {0.4, true, false}, {1, true, false},
		{-0.1, true, true}, {1.5, true, true}, {math.NaN(), true, true}, {math.Inf(1), true, true},
	}
	for _, tt := range tests {
		f := optimizeFlags{format: "table", jobs: 1, maxCount: 8, replications: 1, maxAbandon: tt.v, abandonSet: tt.set}
		err := checkOptimizeFlags(f)
		if got := err != nil; got != tt.wantErr || err != nil && !strings.Contains(err.Error(), "--max-session-abandon") {
			t.Errorf("%v (set %v): error %v, want one naming the flag: %v", tt.v, tt.set, err, tt.wantErr)
		}
	}
}

// abandonResult is baseline's search on trn2 at TP 32 as a reviewer ran
// it (--horizon 5m): 2 instances meet every SLO but lose 48.2% of the agent
// sessions, 4 lose 33.3%.
func abandonResult(agents []string) *optimize.Result {
	trn2 := func(count, point int, att, ab float64) *optimize.Eval {
		return &optimize.Eval{Count: count, Point: point, Layout: optimize.Layout{Instance: "trn2.48xlarge", TP: 32, MaxNumSeqs: 32},
			FleetPerHourUSD: 35.76 * float64(count), CostPerHourUSD: 38 * float64(count), Attainment: att, SessionAbandon: ab,
			MarginUSD: 70, Runs: 1, Feasible: att >= 0.99}
	}
	evs := []*optimize.Eval{trn2(1, 0, 0.184, 0.792), trn2(2, 1, 1, 0.482), trn2(4, 2, 1, 0.333)}
	return &optimize.Result{Objective: optimize.ObjectiveCost, SLOTarget: 0.99, Replications: 1, Horizon: 5 * model.Minute,
		SLOs: []string{"chat", "shopping-assistant"}, Agents: agents, Evals: evs, Best: evs[1]}
}

// TestOptimizeShowsSessionAbandon: a scenario with agent workloads shows
// each fleet's session abandonment beside its SLO attainment (BEST line,
// FRONTIER column, JSON) with a note that a larger fleet abandoned far
// fewer; one without agents shows no column.
func TestOptimizeShowsSessionAbandon(t *testing.T) {
	var out strings.Builder
	if err := printOptimize(&out, abandonResult([]string{"shopping-assistant"}), "x.duckdb", 0); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SLO attainment 100.0%, session abandonment 48.2%, margin",
		"SLO     ABANDON  MARGIN", "100.0%  48.2%", "FEWER SESSIONS ABANDONED: 2 x trn2.48xlarge tp 32 max_num_seqs 32 abandons 48.2%",
		"4 x trn2.48xlarge tp 32 max_num_seqs 32 abandons 33.3% at $143.04/h"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	js, err := json.Marshal(optimizeJSON(abandonResult([]string{"shopping-assistant"}), "x.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"session_abandon_rate_max":0.482`) || !strings.Contains(string(js), `"max_session_abandon":null`) {
		t.Errorf("JSON lacks the abandonment: %s", js)
	}
	out.Reset()
	res := abandonResult(nil)
	for _, e := range res.Evals {
		e.SessionAbandon = math.NaN()
	}
	if err := printOptimize(&out, res, "x.duckdb", 0); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "ABANDON") || strings.Contains(out.String(), "session abandonment") {
		t.Errorf("no agent workload, yet abandonment shown:\n%s", out.String())
	}
}

// TestAbandonNote: the note needs a larger fleet that abandoned 5 points
// fewer under the cost objective, and is left out once abandonment is
// limited (the user chose).
func TestAbandonNote(t *testing.T) {
	res := abandonResult([]string{"shopping-assistant"})
	if got := abandonNote(res); !strings.Contains(got, "SESSIONS ABANDONED") {
		t.Errorf("14.9 points fewer at 4: %q", got)
	}
	res.Evals[2].SessionAbandon = 0.445
	if got := abandonNote(res); got != "" {
		t.Errorf("3.7 points fewer at 4: %q", got)
	}
	res.Evals[2].SessionAbandon = 0.333
	res.Objective = optimize.ObjectiveMargin
	if got := abandonNote(res); got != "" {
		t.Errorf("margin objective, which counts the lost revenue: %q", got)
	}
	res.Objective = optimize.ObjectiveCost
	limit := 0.5
	res.MaxSessionAbandon = &limit
	if got := abandonNote(res); got != "" {
		t.Errorf("limited: %q", got)
	}
	if got := optimizeGoal(res); !strings.HasSuffix(got, "and session abandonment <= 50.0% for shopping-assistant") {
		t.Errorf("goal %q", got)
	}
}

// TestSamePriceNotes: a fleet of the best's price that met the target
// too, with far fewer sessions abandoned and a higher margin (a layout
// that lost to the best on SLO attainment), is named under BEST: the
// FEWER SESSIONS ABANDONED note looked only at dearer fleets and the frontier
// lists one fleet per price, so it went unseen. One that missed the
// target is no alternative at that price.
func TestSamePriceNotes(t *testing.T) {
	res := abandonResult([]string{"shopping-assistant"})
	res.Evals = res.Evals[:2] // no larger fleet
	tp16 := &optimize.Eval{Count: 2, Point: 3, Layout: optimize.Layout{Instance: "trn2.48xlarge", TP: 16, MaxNumSeqs: 32},
		FleetPerHourUSD: res.Best.FleetPerHourUSD, CostPerHourUSD: 76, Attainment: 0.995, SessionAbandon: 0.3, MarginUSD: 95,
		Runs: 1, Feasible: true}
	res.Evals = append(res.Evals, tp16)
	var out strings.Builder
	printBest(&out, res, 0)
	for _, want := range []string{
		"FEWER SESSIONS ABANDONED: 2 x trn2.48xlarge tp 32 max_num_seqs 32 abandons 48.2% of its agent sessions, " +
			"2 x trn2.48xlarge tp 16 max_num_seqs 32 abandons 30.0% at the same $71.52/h, meeting the target too (SLO attainment 99.5%)",
		"SAME PRICE, HIGHER MARGIN: 2 x trn2.48xlarge tp 16 max_num_seqs 32 costs the same $71.52/h and meets the target too, " +
			"with SLO attainment 99.5% against the best's 100.0%, and earns $95.00 against $70.00 over 5m, " +
			"session abandonment 30.0% against 48.2%",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	tp16.Feasible, tp16.Attainment = false, 0.98
	out.Reset()
	printBest(&out, res, 0)
	if strings.Contains(out.String(), "SESSIONS ABANDONED") || strings.Contains(out.String(), "SAME PRICE") {
		t.Errorf("a fleet of the same price that missed the target is named:\n%s", out.String())
	}
}

// TestFreeFleetNote: where the best fleet is free (fleet.price_usd_per_hour:
// 0) and other free fleets met the target too, BEST says that cost broke
// no tie and how the tie was broken: under the cost objective the fewest
// instances (the search's pick, which the note once said was not the
// smallest while naming the smallest), naming a larger free fleet that
// earned more, and no SAME PRICE note claiming attainment ranked it out;
// under the margin objective the margin, naming the smallest free fleet
// that met the target; not for a priced best, nor a free best alone at $0.
func TestFreeFleetNote(t *testing.T) {
	free := func(res *optimize.Result) *optimize.Result {
		for _, e := range res.Evals {
			e.FleetPerHourUSD, e.CostPerHourUSD = 0, 2
		}
		return res
	}
	byMargin := func(res *optimize.Result) *optimize.Result {
		res.Objective = optimize.ObjectiveMargin
		return res
	}
	richer := free(abandonResult(nil)) // the 4 instances earned more than the 2 chosen
	richer.Evals[2].MarginUSD = 90
	byMarginLarger := byMargin(free(abandonResult(nil)))
	byMarginLarger.Best = byMarginLarger.Evals[2] // 4 instances, at 100% as 2 are
	const head = "FREE FLEET: 2 evaluated fleets met the target at $0/h (the scenario's price of 0), so cost breaks no tie: "
	const byCost = "the cost objective takes the fewest instances among them, then SLO attainment, then margin, then session abandonment, " +
		"then the candidates' order; it is the smallest that did, and "
	tests := []struct {
		name string
		res  *optimize.Result
		want string // "" for no note
	}{
		{"free, a larger one earned more", richer, head + byCost + "a larger one earned more: 4 x trn2.48xlarge tp 32 max_num_seqs 32, " +
			"$90.00 against $70.00 over 5m (--objective margin ranks free fleets by what they earn)"},
		{"free, the smallest", free(abandonResult(nil)), head + byCost + "no larger one earned more"},
		{"priced", abandonResult(nil), ""},
		// Under --objective margin the search ranks margin first.
		{"free, by margin", byMargin(free(abandonResult(nil))), head +
			"the search ranks margin (the objective), then SLO attainment, then session abandonment, then the candidates' order and fewer instances; " +
			"it is also the smallest that did"},
		{"free, by margin, a smaller one met it", byMarginLarger, head +
			"the search ranks margin (the objective), then SLO attainment, then session abandonment, then the candidates' order and fewer instances; " +
			"the smallest that did is 2 x trn2.48xlarge tp 32 max_num_seqs 32, at SLO attainment 100.0%"},
	}
	for _, tt := range tests {
		var out strings.Builder
		printBest(&out, tt.res, 0)
		if tt.want == "" && strings.Contains(out.String(), "FREE FLEET") || tt.want != "" && !strings.Contains(out.String(), tt.want) {
			t.Errorf("%s: output\n%s\nwant %q", tt.name, out.String(), tt.want)
		}
		if strings.Contains(out.String(), "SAME PRICE") {
			t.Errorf("%s: a free best's larger rival is named as ranked out by attainment:\n%s", tt.name, out.String())
		}
	}
}

// TestOptimizePrintsPrices: the output says where each instance type's
// price comes from and of when, and warns under BEST when the prices
// compared are far apart in date or one is read from a mirror (trn2's
// Capacity Blocks rate of 2026-10-08 against p5's of late 2024).
func TestOptimizePrintsPrices(t *testing.T) {
	res := abandonResult([]string{"shopping-assistant"})
	cb := func(v float64, src, date string) hw.Fact {
		return hw.Fact{Value: v, Unit: "USD/h", Known: true, Date: date, Ref: hw.Ref{Source: src, Label: hw.ThirdParty}}
	}
	for _, c := range []struct {
		inst string
		usd  float64
		fact hw.Fact
	}{{"trn2.48xlarge", 35.76, cb(35.76, "CB26", "2026-10-08")}, {"p5.48xlarge", 39.33, cb(39.33, "CB", "late 2024")}} {
		res.Candidates = append(res.Candidates, &optimize.Candidate{Layout: optimize.Layout{Instance: c.inst, TP: 8, MaxNumSeqs: 16},
			PriceUSDPerHour: c.usd, Price: optimize.Price{Instance: c.inst, USDPerHour: c.usd, From: "catalog capacity-block", Fact: c.fact}})
	}
	var out strings.Builder
	if err := printOptimize(&out, res, "x.duckdb", 0); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\nPRICES (per instance-hour, as the search compared them; aiecon hw show INSTANCE gives each source)\n" +
			"  trn2.48xlarge  $35.76  catalog capacity-block  2026-10-08; CB26 [3P]\n" +
			"  p5.48xlarge    $39.33  catalog capacity-block  late 2024; CB [3P mirror]\n",
		"\nPRICES OF DIFFERENT DATES: p5.48xlarge's $39.33/h is of late 2024, trn2.48xlarge's $35.76/h of 2026-10-08",
		"\nPRICES OF DIFFERENT SOURCES: trn2.48xlarge's $35.76/h (2026-10-08; CB26 [3P]) is a third party's quote of the vendor's rate; " +
			"p5.48xlarge's $39.33/h (late 2024; CB [3P mirror]) is read from a third-party copy of the vendor's price page",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	js, err := json.Marshal(optimizeJSON(res, "x.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"price_date":"late 2024; CB [3P mirror]"`, `"price_source":"catalog capacity-block"`, `"price_notes":["PRICES OF DIFFERENT DATES: `} {
		if !strings.Contains(string(js), want) {
			t.Errorf("JSON lacks %s: %s", want, js)
		}
	}
}

// TestOptimizeFrontierRanksAbandon: with --max-session-abandon the
// FRONTIER lists the larger fleets that abandon fewer sessions at the same
// attainment (4 instances, 33.3%, was left out: 2 attained 100% for less).
func TestOptimizeFrontierRanksAbandon(t *testing.T) {
	res := abandonResult([]string{"shopping-assistant"})
	eight := &optimize.Eval{Count: 8, Point: 3, Layout: res.Evals[0].Layout, FleetPerHourUSD: 286.08, CostPerHourUSD: 304,
		Attainment: 1, SessionAbandon: 0.267, MarginUSD: 70, Runs: 1, Feasible: true}
	res.Evals = append(res.Evals, eight)
	res.Best = eight
	limit := 0.3
	res.MaxSessionAbandon = &limit
	var out strings.Builder
	if err := printOptimize(&out, res, "x.duckdb", 0); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"the frontier ranks it too", "$143.04  $152.00  100.0%  33.3%"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestNoFleetAdvice: when no fleet is feasible, the advice names what
// kept them out: with the abandonment limit binding (fleets met the SLO
// target) it gives the lowest abandonment evaluated and says the limit
// must be at least that, as users abandon sessions at any fleet size;
// "raise --max-count" alone misled. Where the fleet failed some of those
// sessions (a call dropped or timed out), a larger fleet does bring that
// part lower, and the advice says so rather than "may not bring it lower".
func TestNoFleetAdvice(t *testing.T) {
	tests := []struct {
		name    string
		limit   float64 // < 0: none
		target  float64
		failed  float64 // the least abandoning fleet's session fail rate
		want    string
		notWant string
	}{
		{"abandonment binds", 0, 0.99, 0, "the lowest session abandonment evaluated was 33.3% (4 x trn2.48xlarge tp 32 max_num_seqs 32, at $143.04/h), " +
			"above the limit 0.0%; users abandon some sessions at any fleet size (their patience)", "raise --max-count"},
		{"tiny limit", 1e-300, 0.99, 0, "--max-session-abandon should be at least 33.3%", "raise --max-count"},
		{"unknown failed", 0, 0.99, math.NaN(), "may not bring it lower: --max-session-abandon should be at least 33.3%", "raise --max-count"},
		{"some failed", 0, 0.99, 0.2, "above the limit 0.0%; 20.0% of the sessions that ended there the fleet failed (a call dropped at " +
			"queue_limit or timed out past queue_timeout), which a larger fleet (--max-count) or more queue room does bring lower; the other " +
			"13.3%, users out of patience, a larger fleet may not: raise --max-count, or --max-session-abandon", "may not bring it lower"},
		{"attainment binds", 0.5, 1.01, 0, "raise --max-count or --max-session-abandon, or lower --slo-target", "patience"},
		{"no limit", -1, 1.01, 0, "raise --max-count or lower --slo-target", "patience"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := abandonResult([]string{"shopping-assistant"})
			res.Best, res.SLOTarget = nil, tt.target
			res.Evals[2].SessionFail = tt.failed
			if tt.limit >= 0 {
				res.MaxSessionAbandon = &tt.limit
			}
			var out strings.Builder
			printBest(&out, res, 0)
			if got := out.String(); !strings.Contains(got, tt.want) || strings.Contains(got, tt.notWant) {
				t.Errorf("%q, want %q and not %q", got, tt.want, tt.notWant)
			}
		})
	}
}

// TestBestNamesWorstWorkload: the BEST line's SLO attainment is the lowest
// workload's, which the search ranks, so with several workloads under an
// SLO it names that workload: "SLO attainment 99.3%" read as the run's,
// where show of the same point read 99.5%. With one workload under an SLO
// the figure is the run's and needs no name; --format json carries it.
func TestBestNamesWorstWorkload(t *testing.T) {
	for _, tt := range []struct {
		name  string
		slos  []string
		worst string // optimize.Eval.AttainmentWorkload: "" where the lowest is shared
		want  string
	}{
		{"two workloads", []string{"chat", "shopping-assistant"}, "shopping-assistant", "SLO attainment 100.0% (worst workload: shopping-assistant), margin"},
		{"one workload", []string{"shopping-assistant"}, "shopping-assistant", "SLO attainment 100.0%, margin"},
		{"two workloads tied", []string{"chat", "shopping-assistant"}, "", "SLO attainment 100.0%, margin"},
	} {
		res := abandonResult(nil)
		res.SLOs = tt.slos
		res.Best.AttainmentWorkload = tt.worst
		var out strings.Builder
		printBest(&out, res, 0)
		if !strings.Contains(out.String(), tt.want) {
			t.Errorf("%s: BEST line lacks %q:\n%s", tt.name, tt.want, out.String())
		}
	}
	res := abandonResult(nil)
	res.Best.AttainmentWorkload = "shopping-assistant"
	js, err := json.Marshal(optimizeJSON(res, "x.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"slo_attainment_min_workload":"shopping-assistant"`) {
		t.Errorf("--format json lacks the worst workload:\n%s", js)
	}
}

// TestOptimizeJSONSessionFail: --format json gives each evaluation's
// session_fail_rate and sessions_failed, of the agent workload whose
// abandonment is session_abandon_rate_max, beside it (null where unknown),
// as NO FLEET MET THE TARGET reads the share in the table; the JSON gave
// neither, so a program could not tell the sessions the fleet failed from
// the users' patience.
func TestOptimizeJSONSessionFail(t *testing.T) {
	tests := []struct {
		name                string
		rate, count         float64
		wantRate, wantCount any // as encoding/json decodes them
	}{
		{"some failed", 0.2, 9, 0.2, 9.0},
		{"unknown", math.NaN(), math.NaN(), nil, nil},
	}
	for _, tt := range tests {
		res := abandonResult([]string{"shopping-assistant"})
		for _, e := range res.Evals {
			e.SessionFail, e.SessionsFailed = tt.rate, tt.count
		}
		js, err := json.Marshal(optimizeJSON(res, "x.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Best        map[string]any   `json:"best"`
			Evaluations []map[string]any `json:"evaluations"`
		}
		if err := json.Unmarshal(js, &got); err != nil {
			t.Fatal(err)
		}
		for i, e := range append([]map[string]any{got.Best}, got.Evaluations...) {
			rate, hasRate := e["session_fail_rate"]
			count, hasCount := e["sessions_failed"]
			if !hasRate || !hasCount || rate != tt.wantRate || count != tt.wantCount {
				t.Errorf("%s: entry %d (0 is best) session_fail_rate %v (present %v), sessions_failed %v (present %v); want %v and %v",
					tt.name, i, rate, hasRate, count, hasCount, tt.wantRate, tt.wantCount)
			}
		}
	}
}

// TestOptimizeJSONNotesMatchTable: --format json's notes are the lines the
// table prints under BEST, or in its place (--format json gave the price
// notes alone: not FEWER SESSIONS ABANDONED, FREE FLEET, SAME PRICE, HIGHER
// MARGIN or NO FLEET MET THE TARGET).
func TestOptimizeJSONNotesMatchTable(t *testing.T) {
	abandoned := abandonResult([]string{"shopping-assistant"})
	free := abandonResult(nil)
	for _, e := range free.Evals {
		e.FleetPerHourUSD, e.CostPerHourUSD = 0, 2
	}
	samePrice := abandonResult([]string{"shopping-assistant"})
	samePrice.Evals = append(samePrice.Evals[:2], &optimize.Eval{Count: 2, Point: 3, Layout: optimize.Layout{Instance: "trn2.48xlarge", TP: 16, MaxNumSeqs: 32},
		FleetPerHourUSD: samePrice.Best.FleetPerHourUSD, CostPerHourUSD: 76, Attainment: 0.995, SessionAbandon: 0.3, MarginUSD: 95, Runs: 1, Feasible: true})
	none := abandonResult([]string{"shopping-assistant"})
	none.Best, none.SLOTarget = nil, 1.01
	for _, tt := range []struct {
		name  string
		res   *optimize.Result
		label string // a note the case must give
	}{
		{"fewer sessions abandoned", abandoned, "FEWER SESSIONS ABANDONED:"},
		{"free fleet", free, "FREE FLEET:"},
		{"same price", samePrice, "SAME PRICE, HIGHER MARGIN:"},
		{"no fleet", none, "NO FLEET MET THE TARGET"},
	} {
		var out strings.Builder
		printBest(&out, tt.res, 0)
		var table []string
		for _, l := range strings.Split(out.String(), "\n") {
			if l != "" && !strings.HasPrefix(l, "BEST ") {
				table = append(table, l)
			}
		}
		js, err := json.Marshal(optimizeJSON(tt.res, "x.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Notes []string `json:"notes"`
		}
		if err := json.Unmarshal(js, &got); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Notes, table) || !slices.ContainsFunc(table, func(n string) bool { return strings.HasPrefix(n, tt.label) }) {
			t.Errorf("%s: JSON notes\n%s\nthe table's, with %s:\n%s", tt.name, strings.Join(got.Notes, "\n"), tt.label, strings.Join(table, "\n"))
		}
	}
}

// TestOptimizeNotesGrossCommerce: a search whose best earns gross commerce
// (baseline's shopping-assistant, value.incremental unset) says so under
// BEST with run's COMMERCE COUNTED GROSS and its share of the best's
// revenue, under either objective (the margin objective ranks on it, the
// cost objective breaks ties at one price on it), in the table and the
// JSON notes alike; one that sets value.incremental, or earns no
// commerce, does not.
func TestOptimizeNotesGrossCommerce(t *testing.T) {
	for _, tt := range []struct {
		name      string
		objective string
		sets      []string
		commerce  float64
		want      string // the note's start; "" none
	}{
		{"margin, gross", optimize.ObjectiveMargin, nil, 98, "COMMERCE COUNTED GROSS: the commerce line (98% of revenue) is the take on every order of a converted shopping-assistant session"},
		{"cost, gross", optimize.ObjectiveCost, nil, 49, "COMMERCE COUNTED GROSS: the commerce line (49% of revenue)"},
		{"incremental", optimize.ObjectiveMargin, []string{"workloads[shopping-assistant].agent.value.incremental=0.25"}, 98, ""},
		{"no commerce earned", optimize.ObjectiveMargin, nil, math.NaN(), ""},
	} {
		l, err := runner.Load("baseline", tt.sets)
		if err != nil {
			t.Fatal(err)
		}
		res := abandonResult([]string{"shopping-assistant"})
		res.Objective, res.Scenario = tt.objective, l.Scenario
		res.Best.RevenueUSD, res.Best.CommerceUSD = 100, tt.commerce
		var out strings.Builder
		printBest(&out, res, 0)
		js, err := json.Marshal(optimizeJSON(res, "x.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		for where, text := range map[string]string{"table": out.String(), "JSON": string(js)} {
			if got := strings.Contains(text, "COMMERCE COUNTED GROSS"); got != (tt.want != "") || tt.want != "" && !strings.Contains(text, tt.want) {
				t.Errorf("%s: the %s says\n%s\nwant the note %q", tt.name, where, text, tt.want)
			}
		}
	}
}

// TestOptimizeNotesSchedulers: where the candidates evaluated ran under
// different schedulers (each family's own: neuron on trn2, vllm on GPUs),
// a note names each instance type's, with the best or without one; one
// scheduler for all, or a candidate never evaluated, gives none.
func TestOptimizeNotesSchedulers(t *testing.T) {
	const note = "SCHEDULERS DIFFER: trn2.48xlarge ran under neuron (one prefill at a time, decoding paused while it runs); " +
		"p5.48xlarge under vllm (continuous batching with chunked prefill); the scenario's scheduler settings apply to its own " +
		"accelerator family, the others run their family's defaults, so the ranking compares each chip with its scheduler, not the chips alone."
	for _, tt := range []struct {
		name        string
		best        int
		trn2, p5    string
		onlyP5Evals bool
		want        string
	}{
		{"differ", 1, "neuron", "vllm", false, note},
		{"differ, no best", -1, "neuron", "vllm", false, note},
		{"alike", 1, "vllm", "vllm", false, ""},
		{"the other never evaluated", 1, "neuron", "vllm", true, ""},
	} {
		res := extrapResult(optimize.ObjectiveCost, nil, nil, tt.best)
		res.Candidates[0].Scheduler, res.Candidates[1].Scheduler, res.Candidates[2].Scheduler = tt.trn2, tt.p5, "static" // [2] is pruned
		if tt.onlyP5Evals {
			res.Evals = res.Evals[1:]
		}
		notes := optimizeNotes(res)
		got := ""
		for _, n := range notes {
			if strings.HasPrefix(n, "SCHEDULERS") {
				got = n
			}
		}
		if got != tt.want {
			t.Errorf("%s: scheduler note\n%q\nwant\n%q", tt.name, got, tt.want)
		}
	}
}

// TestBestAbandonedNote: optimize's notes apply run's SESSIONS ABANDONED
// check to the best fleet's own workloads: baseline's best on p4de
// abandoned 44.7% of its shopping sessions while meeting its SLOs, and
// optimize said nothing where no rival abandoned 5 points fewer (its
// FEWER SESSIONS ABANDONED, another check under another label). Under a
// tenth, or with the workload's SLO missed, it says nothing, as run does.
func TestBestAbandonedNote(t *testing.T) {
	for _, tt := range []struct {
		name     string
		ab, slo  float64
		want     string // "" for no SESSIONS ABANDONED line
		withRest bool   // a larger fleet abandons far fewer: FEWER SESSIONS ABANDONED too
	}{
		{"alone", 0.447, 1, "SESSIONS ABANDONED: shopping-assistant abandons 44.7% of its agent sessions while its SLO is met on 100.0% of its calls: ", false},
		{"beside a rival", 0.482, 1, "SESSIONS ABANDONED: shopping-assistant abandons 48.2% of its agent sessions while its SLO", true},
		{"a tenth", 0.1, 1, "", false},
		{"SLO missed", 0.447, 0.5, "", false},
	} {
		res := abandonResult([]string{"shopping-assistant"})
		if !tt.withRest {
			res.Evals = res.Evals[:2]
		}
		res.Scenario = &model.Scenario{Workloads: []model.Workload{{Name: "chat", Class: model.ClassAPI},
			{Name: "shopping-assistant", Class: model.ClassAgent, Agent: &model.Agent{}}}}
		res.Best.Abandons = map[string]float64{"shopping-assistant": tt.ab}
		res.Best.Attainments = map[string]float64{"chat": 0.997, "shopping-assistant": tt.slo}
		var out strings.Builder
		printBest(&out, res, 0)
		got := out.String()
		if tt.want == "" && strings.Contains(strings.ReplaceAll(got, "FEWER SESSIONS", ""), "SESSIONS ABANDONED") {
			t.Errorf("%s: warned:\n%s", tt.name, got)
		}
		if tt.want != "" && !strings.Contains(got, "\n"+tt.want) {
			t.Errorf("%s: lacks %q:\n%s", tt.name, tt.want, got)
		}
		if fewer := strings.Contains(got, "FEWER SESSIONS ABANDONED: "); fewer != tt.withRest {
			t.Errorf("%s: FEWER SESSIONS ABANDONED %v, want %v:\n%s", tt.name, fewer, tt.withRest, got)
		}
	}
}

// TestOptimizeFlagsBoundsNamed: a count past the search's bound or an SLO
// target outside 0..1 is refused naming the flag, before the scenario is
// read (here a file that does not exist); the search's checks came after
// loading it and said "max count 1000000000: want 1 to 100000", naming no
// flag, where --max-count 0 named it (hostile-input review F7).
func TestOptimizeFlagsBoundsNamed(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--max-count", "1000000000"}, "--max-count 1000000000: want 1 to 100000"},
		{[]string{"--replications", "1000000000"}, "--replications 1000000000: want 1 to 10000"},
		{[]string{"--slo-target", "2"}, "--slo-target 2: want a fraction from 0 to 1"},
		{[]string{"--slo-target", "NaN"}, "--slo-target NaN: want a fraction from 0 to 1"},
	}
	for _, tc := range tests {
		code, _, errs := hwRun(t, "", append([]string{"optimize", filepath.Join(t.TempDir(), "none.yaml")}, tc.args...)...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with %q", tc.args, code, errs, tc.want)
		}
	}
}

// TestOptimizeHelpSaysPooled: --replications pools the runs of a
// configuration (SLO attainment is the ratio of their totals, as a sweep
// pools it), which the help called "averaged": a mean of attainments
// weights a quiet seed as much as a busy one.
func TestOptimizeHelpSaysPooled(t *testing.T) {
	_, out, errs := hwRun(t, "", "optimize", "--help")
	for _, line := range strings.Split(out+errs, "\n") {
		if strings.Contains(line, "--replications") {
			if !strings.Contains(line, "pooled") || strings.Contains(line, "averaged") {
				t.Errorf("--replications help: %q", line)
			}
			return
		}
	}
	t.Errorf("optimize --help has no --replications:\n%s", out)
}

// TestOptimizeAttainmentAgainstTarget: an attainment that misses the
// target by less than its last printed decimal never prints as the target
// (review293 ran 2 x p5.48xlarge to 0.98992 and its FRONTIER row said
// 99.0% under ">= 99.0%"), nor one that meets it by a hair.
func TestOptimizeAttainmentAgainstTarget(t *testing.T) {
	p5 := func(count, point int, att float64) *optimize.Eval {
		return &optimize.Eval{Count: count, Point: point, Layout: optimize.Layout{Instance: "p5.48xlarge", TP: 4, MaxNumSeqs: 128},
			FleetPerHourUSD: 39.33 * float64(count), CostPerHourUSD: 39.33 * float64(count), Attainment: att,
			MarginUSD: -1, Runs: 1, Feasible: att >= 0.99}
	}
	evs := []*optimize.Eval{p5(2, 0, 0.98992), p5(3, 1, 0.990004)}
	res := &optimize.Result{Objective: optimize.ObjectiveCost, SLOTarget: 0.99, Replications: 1, Horizon: 10 * model.Minute,
		SLOs: []string{"chat"}, Evals: evs, Best: evs[1]}
	var out strings.Builder
	if err := printOptimize(&out, res, "x.duckdb", 0); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, want string }{
		{"goal", "SLO attainment >= 99.0% for chat"},
		{"BEST line", "SLO attainment 99.0004%, margin"},
		{"FRONTIER miss", "$78.66   $78.66   98.99%"},
		{"FRONTIER best", "$117.99  $117.99  99.0004%"},
	} {
		if !strings.Contains(out.String(), tt.want) {
			t.Errorf("%s: output lacks %q:\n%s", tt.name, tt.want, out.String())
		}
	}
}
