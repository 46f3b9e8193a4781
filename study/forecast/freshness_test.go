package forecast

import (
	"math"
	"strings"
	"testing"
)

// TestFreshnessNote: the report warns when some variants or periods model
// the model's freshness (a training block) and others do not, naming them
// and the mean multiplier; it says nothing when they agree.
func TestFreshnessNote(t *testing.T) {
	fresh := func(x float64) *float64 { return &x }
	summary := func(cells ...[3]any) []PeriodSummary { // variant, period, freshness
		var out []PeriodSummary
		for _, c := range cells {
			p := Period{Variant: c[0].(string), Period: c[1].(int)}
			if f, ok := c[2].(float64); ok {
				p.Freshness = fresh(f)
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
