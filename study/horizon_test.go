package study

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"aiecon/data"
)

// TestSummaryGivesTheHorizon: a sweep's summary says what simulated time
// its totals cover: one horizon for all its runs, or each of a horizon
// varied by point (qt-sweep's 20m revenue and margin read as per nothing).
func TestSummaryGivesTheHorizon(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name, spec string
		horizons   []float64
		horizon    any // JSON horizon_s
		line       string
	}{
		{"one horizon", "name: h\nbase: baseline\nset: {horizon: 1m}\nparameters:\n  fleet.count: [1, 2]\nkpis: [revenue_usd]\n",
			[]float64{60}, 60.0,
			"each run simulated 1m: totals such as revenue_usd, margin_usd and the counts are over that horizon, not per hour"},
		{"varied horizon", "name: h\nbase: baseline\nparameters:\n  horizon: [2m, 1m]\nkpis: [revenue_usd]\n",
			[]float64{60, 120}, nil,
			"the runs simulated different horizons (1m, 2m, by point): totals such as revenue_usd, margin_usd and the counts are over each run's, not per hour"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := plan(t, tt.spec)
			s := openStore(t)
			id := data.NewID()
			if _, err := Register(ctx, s, p, id); err != nil {
				t.Fatal(err)
			}
			if _, err := Execute(ctx, p, Options{Store: s, SweepID: id, Workers: 2}); err != nil {
				t.Fatal(err)
			}
			sum, err := Summarize(ctx, s, id, p, ShardSpec{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(sum.HorizonsS, tt.horizons) {
				t.Errorf("horizons %v, want %v", sum.HorizonsS, tt.horizons)
			}
			if got := sum.HorizonLine(); got != tt.line {
				t.Errorf("horizon line %q, want %q", got, tt.line)
			}
			b, err := json.Marshal(sum.JSONView())
			if err != nil {
				t.Fatal(err)
			}
			var v map[string]any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			if h, ok := v["horizon_s"]; !ok || h != tt.horizon {
				t.Errorf("JSON horizon_s %v (present %v), want %v", h, ok, tt.horizon)
			}
			if _, several := v["horizons_s"]; several != (len(tt.horizons) > 1) {
				t.Errorf("JSON horizons_s present %v with horizons %v", several, tt.horizons)
			}
		})
	}
	// No run counts: nothing to say.
	var empty Summary
	if empty.HorizonLine() != "" || !math.IsNaN(empty.Horizon()) {
		t.Errorf("an empty summary: %q, %v", empty.HorizonLine(), empty.Horizon())
	}
}
