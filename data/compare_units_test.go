package data

import (
	"context"
	"math"
	"strings"
	"testing"

	"aiecon/model/kpi"
	"aiecon/sim"
)

// TestCompareBidScaleUnits: ad_bid_scale between a cpc and a cpm run is
// in two units (a multiplier of bids per click, and of bids converted to
// per thousand impressions), so compare gives it no change and says the
// units differ, where it printed +300% for baseline's switch of pricing;
// runs of one pricing, or whose pricing is unknown, keep their change.
func TestCompareBidScaleUnits(t *testing.T) {
	s, _ := openTemp(t)
	const ads = "name: x\nseed: 1\nhorizon: 1h\nads:\n  pricing: %s\n"
	cpc := storeBidScale(t, s, strings.Replace(ads, "%s", "cpc", 1), 0.6582)
	cpm := storeBidScale(t, s, strings.Replace(ads, "%s", "cpm", 1), 2.633)
	cpc2 := storeBidScale(t, s, strings.Replace(ads, "%s", "cpc", 1), 0.7)
	unset := storeBidScale(t, s, "name: x\nseed: 1\nhorizon: 1h\nads:\n  slots: 2\n", 0.7) // cpc, the default
	unknown := storeBidScale(t, s, "", 2.633)
	for _, tt := range []struct {
		name string
		ids  []string
		note string // "" where the change stands
	}{
		{"cpc against cpm", []string{cpc, cpm}, "units differ: per click under cpc, per thousand impressions under cpm"},
		{"cpm against cpc", []string{cpm, cpc}, "units differ: per thousand impressions under cpm, per click under cpc"},
		{"cpc against cpc", []string{cpc, cpc2}, ""},
		{"cpc against the default", []string{cpc, unset}, ""},
		{"unknown pricing", []string{cpc, unknown}, ""},
	} {
		c, err := s.Compare(context.Background(), tt.ids)
		if err != nil {
			t.Fatal(err)
		}
		var row *CompareRow
		for i := range c.Rows {
			if c.Rows[i].Name == kpi.AdBidScale {
				row = &c.Rows[i]
			}
		}
		if row == nil {
			t.Fatalf("%s: no %s row", tt.name, kpi.AdBidScale)
		}
		got := row.RelNote(1)
		changed := !math.IsNaN(row.Delta[1]) && !math.IsNaN(row.RelDelta[1])
		if got != tt.note || changed != (tt.note == "") {
			t.Errorf("%s: note %q, delta %v (%v), want note %q and a change only without one", tt.name, got, row.Delta[1], row.RelDelta[1], tt.note)
		}
	}
}

// storeBidScale stores a short synthetic run of the resolved scenario
// whose ad_bid_scale KPI is scale, and returns its id.
func storeBidScale(t *testing.T, s *Store, resolved string, scale float64) string {
	t.Helper()
	r := newSynthRun(1, 10)
	r.Summary.KPIs = append(r.Summary.KPIs, sim.KPI{Name: kpi.AdBidScale, Value: scale, Unit: "factor"})
	w, err := s.BeginRun(context.Background(), RunInfo{Name: "x", ScenarioYAML: "name: x\n", ResolvedYAML: resolved, Seed: 1, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.play(w, 1000, true); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(1); err != nil {
		t.Fatal(err)
	}
	return w.ID()
}
