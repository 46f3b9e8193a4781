package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/study/optimize"
)

// extrapResult is a search over trn2 and p5 as baseline's, its step times
// extrapolated as given: trn2 at TP 16 missed the target at $35.76/h, p5
// at TP 8 met it at $39.33/h (best is which evaluation is the best, -1
// none).
func extrapResult(objective string, trn2, p5 []hw.Gap, best int) *optimize.Result {
	cands := []*optimize.Candidate{
		{Layout: optimize.Layout{Instance: "trn2.48xlarge", TP: 16, MaxNumSeqs: 16}, PriceUSDPerHour: 35.76, Extrapolated: trn2, Outcome: "misses the target",
			ExtrapolatedFleet: "llama-3.3-70b at TP 16 on trn2.48xlarge (neuron-v3 constants)"},
		{Layout: optimize.Layout{Instance: "p5.48xlarge", TP: 8, MaxNumSeqs: 128}, PriceUSDPerHour: 39.33, Extrapolated: p5, Outcome: "meets the target",
			ExtrapolatedFleet: "llama-3.3-70b at TP 8 on p5.48xlarge (gpu constants)"},
		{Layout: optimize.Layout{Instance: "p5.48xlarge", TP: 1, MaxNumSeqs: 128}, Pruned: "does not fit",
			Extrapolated: []hw.Gap{{Axis: hw.AxisMoE, Brief: "MoE", Detail: "never shown: pruned"}}},
	}
	evs := []*optimize.Eval{
		{Candidate: 0, Layout: cands[0].Layout, Count: 1, Point: 0, FleetPerHourUSD: 35.76, CostPerHourUSD: 38.79, Attainment: 0.361,
			MarginUSD: 140, SessionAbandon: math.NaN(), Runs: 1},
		{Candidate: 1, Layout: cands[1].Layout, Count: 1, Point: 1, FleetPerHourUSD: 39.33, CostPerHourUSD: 44.65, Attainment: 1,
			MarginUSD: 130.71, SessionAbandon: math.NaN(), Runs: 1, Feasible: best >= 0},
	}
	res := &optimize.Result{Objective: objective, SLOTarget: 0.99, Replications: 1, Horizon: 10 * model.Minute,
		SLOs: []string{"chat"}, Candidates: cands, Evals: evs}
	if best >= 0 {
		res.Best = evs[best]
		cands[best].Best = evs[best]
	}
	return res
}

// TestOptimizeMarksExtrapolation: every candidate and frontier row carries
// the axes its step times are extrapolated on (letters in EXTRAP, with a
// legend; axis, brief and detail in JSON), and a WARNING names the axes
// when the best or a candidate rejected where it would otherwise have won
// rests on them, saying which choice of instance type it weighs on.
func TestOptimizeMarksExtrapolation(t *testing.T) {
	size := hw.Gap{Axis: hw.AxisSize, Brief: "4.4B per device", Detail: "4.4B active parameters per device (71B at TP 16), while ..."}
	batch := hw.Gap{Axis: hw.AxisBatch, Brief: "batches to 16", Detail: "batches of up to 16 sequences, while ..."}
	prompt := hw.Gap{Axis: hw.AxisPrompt, Brief: "prompts to 8,191 tokens", Detail: "prompts to 8,191 tokens, while the measurements they were fitted to reached 2,048"}
	chip := hw.Gap{Axis: hw.AxisChip, Brief: "carried over to B200", Detail: "constants carried over to B200 from ..."}
	const (
		bestWarn = "STEP TIMES EXTRAPOLATED for the best fleet: llama-3.3-70b at TP 8 on p5.48xlarge (gpu constants): prompts to 8,191 tokens, while the measurements they were fitted to reached 2,048 " +
			"(lengths estimated from the scenario's distributions, about their p99, as for every candidate; aiecon run of this fleet prints the p99 of the calls it served, which can differ); compare it"
		rivalWarn = "STEP TIMES EXTRAPOLATED for candidates rejected at a fleet cost below the best's $39.33/h: trn2.48xlarge at TP 16, max_num_seqs 16 (1 candidate) on size per device, batch (max_num_seqs). " +
			"Each missed the target on step times its constants do not cover, so the choice of p5.48xlarge over trn2.48xlarge rests partly on extrapolation"
	)
	tests := []struct {
		name      string
		objective string
		trn2, p5  []hw.Gap
		best      int
		marks     []string // in the CANDIDATES and FRONTIER rows, trn2 then p5
		legend    string
		want      []string // warnings, by prefix
	}{
		{"both sides extrapolated", optimize.ObjectiveCost, []hw.Gap{size, batch}, []hw.Gap{prompt}, 1, []string{"SB", "P"},
			"S size per device, P prompt length, B batch (max_num_seqs); - = within them", []string{bestWarn, rivalWarn}},
		{"only the rejected trn2", optimize.ObjectiveCost, []hw.Gap{batch, size}, nil, 1, []string{"SB", "-"},
			"S size per device, B batch (max_num_seqs); - = within", []string{rivalWarn}},
		{"only the best", optimize.ObjectiveCost, nil, []hw.Gap{chip, prompt}, 1, []string{"-", "XP"},
			"X chip carried over (constants fitted to other chips), P prompt length;",
			[]string{"STEP TIMES EXTRAPOLATED for the best fleet: llama-3.3-70b at TP 8 on p5.48xlarge (gpu constants): constants carried over to B200 from ...; prompts to 8,191 tokens"}},
		{"covered", optimize.ObjectiveCost, nil, nil, 1, []string{"-", "-"},
			"EXTRAP: - = step times within the measurements their constants were fitted to, for every candidate", nil},
		// Under margin trn2 missed while earning more than the best.
		{"margin", optimize.ObjectiveMargin, []hw.Gap{size}, nil, 1, []string{"S", "-"}, "S size per device;",
			[]string{"STEP TIMES EXTRAPOLATED for candidates rejected where they earned more than the best's $130.71 over 10m: trn2.48xlarge at TP 16, max_num_seqs 16 (1 candidate) on size per device. " +
				"Each missed the target on step times its constants do not cover, so the choice of p5.48xlarge over trn2.48xlarge"}},
		{"no best", optimize.ObjectiveCost, []hw.Gap{size}, []hw.Gap{prompt}, -1, []string{"S", "P"}, "S size per device, P prompt length;",
			[]string{"STEP TIMES EXTRAPOLATED for candidates rejected (no fleet met the target): trn2.48xlarge at TP 16, max_num_seqs 16 (1 candidate) on size per device; " +
				"p5.48xlarge at TP 8, max_num_seqs 128 (1 candidate) on prompt length. Each missed the target on step times its constants do not cover, so the finding that no fleet met it rests partly"}},
	}
	for _, tt := range tests {
		res := extrapResult(tt.objective, tt.trn2, tt.p5, tt.best)
		var out strings.Builder
		if err := printOptimize(&out, res, "x.duckdb", 0); err != nil {
			t.Fatal(err)
		}
		if err := printExtrapWarnings(&out, res, 0); err != nil {
			t.Fatal(err)
		}
		text := out.String()
		rows := extrapRowMarks(text)
		if len(rows) != 4 {
			t.Fatalf("%s: %d of the 4 rows (two candidates, two on the frontier) found:\n%s", tt.name, len(rows), text)
		}
		for row, mark := range rows {
			if want := tt.marks[map[bool]int{true: 0, false: 1}[strings.HasPrefix(row, "trn2")]]; mark != want {
				t.Errorf("%s: %s row marked %q, want %q:\n%s", tt.name, row, mark, want, text)
			}
		}
		if !strings.Contains(text, tt.legend) || strings.Contains(text, "M mixture") {
			t.Errorf("%s: legend lacks %q (or names the pruned candidate's axis):\n%s", tt.name, tt.legend, text)
		}
		ws := extrapWarnings(res)
		if len(ws) != len(tt.want) {
			t.Fatalf("%s: warnings %q, want %d", tt.name, ws, len(tt.want))
		}
		for i, w := range tt.want {
			if !strings.HasPrefix(ws[i], w) || !strings.Contains(text, "WARNING\n") || !strings.Contains(text, "  "+ws[i]+"\n") {
				t.Errorf("%s: warning %q, want it printed and to start %q", tt.name, ws[i], w)
			}
		}
		if len(ws) == 0 && strings.Contains(text, "WARNING") {
			t.Errorf("%s: a warning where nothing chosen or rejected is extrapolated:\n%s", tt.name, text)
		}
	}
}

// extrapRowMarks are the EXTRAP marks of the trn2 and p5 rows of
// CANDIDATES (after $/H EACH) and FRONTIER (before POINT), by row.
func extrapRowMarks(text string) map[string]string {
	rows := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		for _, in := range []string{"trn2.48xlarge", "p5.48xlarge"} {
			switch {
			case len(f) > 5 && f[0] == in && strings.HasPrefix(f[3], "$"):
				rows[in+" candidate"] = f[4]
			case len(f) > 5 && (f[1] == in || f[0] == "*" && f[2] == in):
				rows[in+" frontier"] = f[len(f)-2]
			}
		}
	}
	return rows
}

// TestOptimizeJSONExtrapolation: the JSON gives each candidate and each
// evaluation whether its step times are extrapolated and, per axis, the
// brief and the figures; the warnings beside the price notes.
func TestOptimizeJSONExtrapolation(t *testing.T) {
	size := hw.Gap{Axis: hw.AxisSize, Brief: "4.4B per device", Detail: "4.4B active parameters per device"}
	js, err := json.Marshal(optimizeJSON(extrapResult(optimize.ObjectiveCost, []hw.Gap{size}, nil, 1), "x.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Candidates []struct {
			Instance     string
			Extrapolated bool                                   `json:"step_times_extrapolated"`
			Gaps         []struct{ Axis, Brief, Detail string } `json:"step_times_extrapolations"`
		}
		Evaluations []struct {
			Instance     string
			Extrapolated bool `json:"step_times_extrapolated"`
		}
		Warnings []string `json:"extrapolation_warnings"`
	}
	if err := json.Unmarshal(js, &got); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"trn2 candidate extrapolated", got.Candidates[0].Extrapolated, true},
		{"trn2 candidate's axis", got.Candidates[0].Gaps, []struct{ Axis, Brief, Detail string }{{hw.AxisSize, size.Brief, size.Detail}}},
		{"p5 candidate covered", got.Candidates[1].Extrapolated, false},
		{"p5 candidate's axes", len(got.Candidates[1].Gaps), 0},
		{"trn2 evaluation extrapolated", got.Evaluations[0].Extrapolated, true},
		{"p5 evaluation covered", got.Evaluations[1].Extrapolated, false},
		{"one warning", len(got.Warnings), 1},
	}
	for _, tt := range tests {
		if a, b := mustJSON(t, tt.got), mustJSON(t, tt.want); a != b {
			t.Errorf("%s: %s, want %s", tt.name, a, b)
		}
	}
	if !strings.Contains(string(js), `"step_times_extrapolations":[]`) {
		t.Errorf("a covered candidate's extrapolations are not []: %s", js)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExtrapLettersDocumented: optimize's help and the optimizer's docs
// give every EXTRAP letter with its axis, as the legend prints it.
func TestExtrapLettersDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "sweeps.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, text string }{{"optimize --help", optimizeLong}, {"docs/sweeps.md", string(doc)}} {
		flat := strings.Join(strings.Fields(tt.text), " ")
		for _, a := range extrapAxes {
			if want := a.code + " " + a.axis; !strings.Contains(flat, want) {
				t.Errorf("%s does not give %q", tt.name, want)
			}
		}
	}
}

// TestOptimizeWarnsThinConstants: constants fitted to too few rows to
// cross-validate are within their measurements, so no EXTRAP letter marks
// them; the warnings name them once per instance type, for every
// candidate evaluated, the ones dearer than the best too (baseline's trn2
// candidates lost to 1 x p4de.24xlarge on neuron-v3 constants fitted to 2
// rows, and optimize named none of them), saying that the best's ranking
// above them rests on them; and not for a candidate never evaluated.
func TestOptimizeWarnsThinConstants(t *testing.T) {
	const thin = "STEP TIMES THINLY FITTED: the neuron-v3 constants were fitted to 2 published measurements of Trainium2"
	const below = " The ranking of p5.48xlarge, the best, above them rests on these constants."
	tests := []struct {
		name  string
		best  int     // the evaluation that is the best, -1 none
		p5    bool    // whether p5's constants are thin too (they are not)
		trn2  float64 // trn2's fleet cost per hour (35.76: cheaper than the best, a rival)
		evals int     // how many evaluations ran (2: both; 1: p5 alone)
		want  []string
	}{
		{"thin rival", 1, false, 35.76, 2, []string{"For the trn2.48xlarge candidates: " + thin + below}},
		{"no best: every evaluated candidate weighs", -1, false, 35.76, 2, []string{"For the trn2.48xlarge candidates: " + thin}},
		{"thin best and rival", 1, true, 35.76, 2, []string{"For the p5.48xlarge candidates: p5 thin", "For the trn2.48xlarge candidates: " + thin + below}},
		{"dearer than the best, ranked below it all the same", 1, false, 45, 2, []string{"For the trn2.48xlarge candidates: " + thin + below}},
	}
	for _, tt := range tests {
		res := extrapResult(optimize.ObjectiveCost, nil, nil, tt.best)
		res.Evals[0].FleetPerHourUSD = tt.trn2
		res.Candidates[0].Coverage = thin
		res.Candidates[2].Coverage = "pruned: never shown"
		if tt.p5 {
			res.Candidates[1].Coverage = "p5 thin"
		}
		got := extrapWarnings(res)
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s: warnings\n%q\nwant\n%q", tt.name, got, tt.want)
		}
	}
	res := extrapResult(optimize.ObjectiveCost, nil, nil, 1)
	res.Evals = res.Evals[1:] // trn2 never evaluated
	res.Candidates[0].Coverage = thin
	if got := extrapWarnings(res); len(got) != 0 {
		t.Errorf("a candidate never evaluated is warned on: %q", got)
	}
}
