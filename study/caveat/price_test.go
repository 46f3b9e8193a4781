package caveat

import (
	"math"
	"strings"
	"testing"

	"aiecon/model"
)

// TestPricedBelowCost: PRICED BELOW COST names each priced workload whose
// tokens realise less per Mtok than the cost attributed to them, with both
// figures: p5-chat-api's target sold chat at $0.72 against $1.75 and said
// so only in a margin line. It is silent for a workload that sets no price
// (an agent paid by commerce and ads), one that covers its cost or falls
// short by under half a percent, and a run without the figures (stored
// before them); where the workload earns beside its tokens, or the run's
// margin is positive all the same, it says the token price is not the
// whole story.
func TestPricedBelowCost(t *testing.T) {
	priced := model.Price{InputPerMTok: 0.72, OutputPerMTok: 0.72}
	nan := math.NaN()
	for _, tt := range []struct {
		name   string
		price  model.Price
		fig    PriceFigures
		margin float64
		want   []string // nil = no warning
	}{
		{"chat below cost", priced, PriceFigures{Tokens: 0.72, All: 0.72, Cost: 1.7504}, -16.2,
			[]string{"PRICED BELOW COST: chat earns $0.72 per Mtok against $1.75 per Mtok of attributed cost, 41% of it.",
				"an attribution", "cost_per_mtok_attributed_usd", "raise workloads[chat].price"}},
		{"unpriced by design", model.Price{}, PriceFigures{Tokens: 0, All: 42.15, Cost: 2.02}, 500, nil},
		{"output priced only", model.Price{OutputPerMTok: 2}, PriceFigures{Tokens: 0.5, All: 0.5, Cost: 1}, -1,
			[]string{"chat earns $0.50 per Mtok against $1.00 per Mtok of attributed cost, 50% of it"}},
		{"covers its cost", priced, PriceFigures{Tokens: 0.72, All: 0.72, Cost: 0.48}, 5, nil},
		{"short by under half a percent", priced, PriceFigures{Tokens: 0.72, All: 0.72, Cost: 0.7225}, -0.1, nil},
		{"stored before the figures", priced, PriceFigures{Tokens: nan, All: nan, Cost: nan}, -16.2, nil},
		{"no call completed (PriceNotJudged says so)", priced, PriceFigures{Tokens: nan, All: nan, Cost: nan, Arrived: 40, Completed: 0}, -3, nil},
		{"earns beside its tokens", priced, PriceFigures{Tokens: 0.72, All: 1.39, Cost: 3.5628}, 930.12,
			[]string{"chat earns $0.72 per Mtok against $3.56 per Mtok of attributed cost, 20% of it, and $1.39 with its agent fees, commerce and ads, 39%",
				"its token price is not the whole story", "revenue_per_mtok_usd",
				"The run's margin is positive ($930.12) all the same"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sc := &model.Scenario{Workloads: []model.Workload{{Name: "chat", Class: "api", Price: tt.price}}}
			got := PricedBelowCost(sc, func(string) PriceFigures { return tt.fig }, tt.margin)
			if tt.want == nil {
				if got != "" {
					t.Errorf("got %q, want no warning", got)
				}
				return
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("got %q, want it to say %q", got, w)
				}
			}
			if tt.margin <= 0 && strings.Contains(got, "margin is positive") {
				t.Errorf("got %q at a margin of %v", got, tt.margin)
			}
		})
	}
}

// TestPricedBelowCostNamesEachWorkload: every workload below cost is named,
// each with its own figures and in the remedy its own price field (the
// remedy named the first workload's alone, as if the second's price were
// fine), and an unpriced one beside them is not.
func TestPricedBelowCostNamesEachWorkload(t *testing.T) {
	priced := model.Price{InputPerMTok: 0.72, OutputPerMTok: 0.72}
	sc := &model.Scenario{Workloads: []model.Workload{{Name: "chat", Price: priced}, {Name: "shop", Class: "agent"},
		{Name: "research", Class: "agent", Price: priced}}}
	figs := map[string]PriceFigures{"chat": {Tokens: 0.72, All: 0.72, Cost: 8.91}, "shop": {Tokens: 0, All: 42, Cost: 2.02}, "research": {Tokens: 0.72, All: 1.39, Cost: 3.56}}
	got := PricedBelowCost(sc, func(w string) PriceFigures { return figs[w] }, 507)
	for _, w := range []string{"chat earns $0.72 per Mtok against $8.91", "; research earns $0.72 per Mtok against $3.56",
		"raise workloads[chat].price and workloads[research].price,"} {
		if !strings.Contains(got, w) {
			t.Errorf("got %q, want it to say %q", got, w)
		}
	}
	if strings.Contains(got, "shop") {
		t.Errorf("got %q, which names the unpriced shop", got)
	}
}

// TestPriceNotJudged: a priced workload whose requests arrived but none
// completed billed no token, so its figures per Mtok are NaN and PRICED
// BELOW COST skipped it in silence (NaN < NaN is false), though its calls
// may have taken replica time; PRICE NOT JUDGED names it and its price
// field. It is silent for a workload that completed requests, one that
// sets no price, one that had no request, and a run stored before the
// figures.
func TestPriceNotJudged(t *testing.T) {
	priced := model.Price{InputPerMTok: 0.72, OutputPerMTok: 0.72}
	nan := math.NaN()
	none := PriceFigures{Tokens: nan, All: nan, Cost: nan, Arrived: 1234, Completed: 0}
	for _, tt := range []struct {
		name  string
		price model.Price
		fig   PriceFigures
		want  []string // nil = no warning
	}{
		{"no call completed", priced, none, []string{"PRICE NOT JUDGED: chat completed none of its 1,234 requests",
			"cost_per_mtok_attributed_usd is NaN", "to judge workloads[chat].price."}},
		{"completed some", priced, PriceFigures{Tokens: 0.72, All: 0.72, Cost: 1.75, Arrived: 1234, Completed: 1}, nil},
		{"unpriced by design", model.Price{}, none, nil},
		{"no request arrived", priced, PriceFigures{Tokens: nan, All: nan, Cost: nan, Arrived: 0, Completed: 0}, nil},
		{"stored before the figures", priced, PriceFigures{Tokens: nan, All: nan, Cost: nan, Arrived: nan, Completed: nan}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sc := &model.Scenario{Workloads: []model.Workload{{Name: "chat", Class: "api", Price: tt.price}}}
			fig := func(string) PriceFigures { return tt.fig }
			if got := PricedBelowCost(sc, fig, -3); got != "" && math.IsNaN(tt.fig.Cost) {
				t.Errorf("PRICED BELOW COST %q, want none for a workload without figures per Mtok", got)
			}
			got := PriceNotJudged(sc, fig)
			if tt.want == nil && got != "" {
				t.Errorf("got %q, want no warning", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("got %q, want it to say %q", got, w)
				}
			}
		})
	}
}
