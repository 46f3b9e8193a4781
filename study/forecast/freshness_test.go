package forecast

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestFreshnessNote: the report warns when some variants or periods model
// the model's freshness (a training block) and others do not, naming them
// and the mean multiplier; it says nothing when they agree.
func TestFreshnessNote(t *testing.T) {
	type inert float64 // a training block's multiplier over nothing it earns
	fresh := func(x float64) *float64 { return &x }
	summary := func(cells ...[3]any) []PeriodSummary { // variant, period, freshness
		var out []PeriodSummary
		for _, c := range cells {
			p := Period{Variant: c[0].(string), Period: c[1].(int)}
			switch f := c[2].(type) {
			case float64:
				p.Freshness = fresh(f)
			case inert:
				p.Freshness, p.FreshnessMultipliesNothing = fresh(float64(f)), true
			}
			out = append(out, PeriodSummary{Variant: p.Variant, Period: p.Period, Periods: []Period{p}})
		}
		return out
	}
	tests := []struct {
		name    string
		summary []PeriodSummary
		want    []string // "" alone: no note
	}{
		{"training from period 3", summary([3]any{"a", 1, nil}, [3]any{"a", 2, nil}, [3]any{"a", 3, 0.94}, [3]any{"b", 1, nil},
			[3]any{"b", 2, nil}, [3]any{"b", 3, 0.96}),
			[]string{"with a training block (quarter 3 of every variant)", "(by 0.950 on average)", "without one (quarters 1-2 of every variant)",
				"change of model, not by an effect of retraining"}},
		{"one variant trains", summary([3]any{"a", 1, 0.9}, [3]any{"a", 2, 0.9}, [3]any{"b", 1, nil}, [3]any{"b", 2, nil}),
			[]string{"with a training block (a quarters 1-2)", "without one (b quarters 1-2)"}},
		{"every period trains", summary([3]any{"a", 1, 0.9}, [3]any{"b", 1, 0.95}), []string{""}},
		{"no period trains", summary([3]any{"a", 1, nil}, [3]any{"b", 1, nil}), []string{""}},
		// A training block over no ads and no conversion earns what it
		// would without one: no change of model, as compare has it.
		{"the training variant sells no ads or orders", summary([3]any{"a", 1, inert(0.9)}, [3]any{"b", 1, nil}), []string{""}},
		{"one side of the mix multiplies nothing", summary([3]any{"a", 1, inert(0.9)}, [3]any{"a", 2, 0.95}, [3]any{"b", 1, nil}),
			[]string{"with a training block (a quarter 2)", "(by 0.950 on average)", "without one (b quarter 1)"}},
	}
	for _, tt := range tests {
		r := &Report{PeriodLen: "quarter", Summary: tt.summary}
		got := r.FreshnessNote()
		for _, want := range tt.want {
			if (want == "" && got != "") || !strings.Contains(got, want) {
				t.Errorf("%s: note %q, want %q in it", tt.name, got, want)
			}
		}
	}
}

// TestPeriodFreshness: a period whose scenario has a training block
// carries the runs' mean freshness multiplier (the built-in's monthly
// retrain at mid-cadence: 0.8 + 0.2 x 2^(-15/30)); one without has none,
// and the report warns of the mix.
func TestPeriodFreshness(t *testing.T) {
	src := strings.Replace(small, "variants:\n", "roadmap:\n  - {from: 2, set: {training.every: 30d, training.tokens: 2e9, training.where: dedicated}}\nvariants:\n", 1)
	f := parse(t, src)
	runs, periods := execute(t, f)
	for _, p := range periods {
		switch {
		case p.Period == 1 && p.Freshness != nil:
			t.Errorf("%s period 1 (no training): freshness %v, want none", p.Variant, *p.Freshness)
		case p.Period == 2 && (p.Freshness == nil || math.Abs(*p.Freshness-(0.8+0.2*math.Sqrt(0.5))) > 1e-3):
			t.Errorf("%s period 2 (monthly retrain): freshness %v, want about 0.941", p.Variant, p.Freshness)
		}
	}
	var b strings.Builder
	if err := NewReport(f, periods, len(runs)).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "FRESHNESS MODELLED IN PART: with a training block (quarter 2 of every variant)") {
		t.Errorf("report without the freshness note:\n%s", b.String())
	}
}

// TestFreshnessOverNothingEarned: a variant whose training block
// multiplies nothing it earns (research-licensing sells no ads and
// converts no orders) beside one with no training block is no mix of
// models: their revenue is the same either way. The forecast warned of
// it on the training block alone, where compare and run's variant
// comparison ask model.Scenario.FreshnessMultiplies.
func TestFreshnessOverNothingEarned(t *testing.T) {
	f, err := Parse("test.yaml", []byte(`name: cadence
base: research-licensing.yaml
periods: {count: 1, length: month}
day: {slices: 2, horizon: 3m}
variants:
  - {name: trains, procurement: {mode: rented, min: 3, max: 3}}
  - {name: untrained, set: {training: null}, procurement: {mode: rented, min: 3, max: 3}}
`), filepath.Join("..", "..", "examples", "scenarios"))
	if err != nil {
		t.Fatal(err)
	}
	runs, periods := execute(t, f)
	for _, p := range periods {
		trains := p.Variant == "trains"
		if (p.Freshness != nil) != trains || p.FreshnessMultipliesNothing != trains {
			t.Errorf("%s: freshness %v, multiplies nothing %v; want a multiplier over nothing only where it trains",
				p.Variant, p.Freshness, p.FreshnessMultipliesNothing)
		}
	}
	var b strings.Builder
	if err := NewReport(f, periods, len(runs)).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "FRESHNESS MODELLED IN PART") {
		t.Errorf("report warns of a change of model that changes no revenue:\n%s", b.String())
	}
}
