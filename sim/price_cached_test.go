package sim

import (
	"math"
	"testing"
)

// TestCachedInputPriceBillsCachedTokens: an agent workload whose calls
// find their earlier context in the prefix cache bills each call's
// cached prompt tokens at price.cached_input_per_mtok and the rest at the
// input price, as its request rows show: every row's revenue is
// fresh x input + cached x cached price + output x output price, worked by
// hand from the row's own token counts, and the tokens KPI is their sum.
// Without the field cached tokens bill at the input price, as before it.
// A cached price moves no revenue between the worlds the lost-revenue
// KPIs compare (the cache hit is the run's, not its latency's), so with
// users who wait for ever nothing is lost to latency, whatever the price.
func TestCachedInputPriceBillsCachedTokens(t *testing.T) {
	const in, out = 1.0, 2.0 // USD per Mtok
	for _, c := range []struct {
		name, field string
		cached      float64 // what a cached token is billed, per Mtok
	}{
		{"absent: the input price", "", in},
		{"a tenth of the input price", ", cached_input_per_mtok: 0.1", 0.1},
		{"free", ", cached_input_per_mtok: 0", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := agentFleet("session-affinity", 8, "") + "    price: {input_per_mtok: 1, output_per_mtok: 2" + c.field + "}\n"
			res, sink := run(t, scenario(t, src))
			var cachedTok int64
			var sum float64
			for _, r := range sink.Reqs {
				if r.Status != StatusCompleted {
					continue
				}
				fresh := float64(r.PromptTokens - r.CachedTokens)
				want := (fresh*in + float64(r.CachedTokens)*c.cached + float64(r.OutputTokens)*out) / 1e6
				if math.Abs(r.RevenueUSD-want) > 1e-12*want {
					t.Fatalf("request %d (%d prompt tokens, %d cached, %d output): revenue $%v, want $%v",
						r.ID, r.PromptTokens, r.CachedTokens, r.OutputTokens, r.RevenueUSD, want)
				}
				cachedTok += int64(r.CachedTokens)
				sum += r.RevenueUSD
			}
			if cachedTok == 0 {
				t.Fatal("no prompt token served from the prefix cache: the test shows nothing")
			}
			if got := kpi(t, res, "revenue_api_usd", ""); math.Abs(got-sum) > 1e-9*sum {
				t.Errorf("revenue_api_usd %v, the rows sum to %v", got, sum)
			}
			if lost := kpi(t, res, "revenue_lost_to_latency_usd", ""); math.Abs(lost) > 1e-9 {
				t.Errorf("revenue lost to latency $%v with users who wait for ever, want 0", lost)
			}
			checkLostKPIs(t, res, "")
		})
	}
}

// TestCachedDiscountIsNotUnfinishedRevenue: a session still running at
// the end is worth its ceiling less what it already billed, and the
// ceiling bills every prompt whole at the input price, so the cached
// discount its completed calls were given is not revenue it can still
// earn: revenue_unfinished_usd with the field at the input price is the
// one without the field, to the bit, and a discount does not raise it
// (it counted exactly that discount, from the rows below, as unfinished).
// With users who wait for ever and a model that does not age, what the
// ceiling line leaves as its rest is the whole discount the run gave, as
// the completed request rows add it up.
func TestCachedDiscountIsNotUnfinishedRevenue(t *testing.T) {
	const in = 1.0 // USD per Mtok
	unfinished := map[string]float64{}
	for _, c := range []struct {
		name, field string
		cached      float64
	}{
		{"absent", "", in},
		{"at the input price", ", cached_input_per_mtok: 1", in},
		{"a tenth of the input price", ", cached_input_per_mtok: 0.1", 0.1},
	} {
		src := agentFleet("session-affinity", 8, "") + "    price: {input_per_mtok: 1, output_per_mtok: 2" + c.field + "}\n"
		res, sink := run(t, scenario(t, src))
		open := map[int64]bool{}
		for _, s := range sink.Sess {
			if s.Status == SessionUnfinished {
				open[s.ID] = true
			}
		}
		var discount, openDiscount float64 // the run's cached discount, and that on unfinished sessions' calls
		for _, r := range sink.Reqs {
			if r.Status == StatusCompleted {
				d := float64(r.CachedTokens) * (in - c.cached) / 1e6
				discount += d
				if open[r.Session] {
					openDiscount += d
				}
			}
		}
		if c.cached < in && !(openDiscount > 0) {
			t.Fatalf("%s: no unfinished session billed a cached token: the test shows nothing", c.name)
		}
		u := kpi(t, res, "revenue_unfinished_usd", "")
		unfinished[c.name] = u
		rest := kpi(t, res, "revenue_ceiling_usd", "") - kpi(t, res, "revenue_usd", "") - kpi(t, res, "revenue_lost_to_latency_usd", "") - u
		if math.Abs(rest-discount) > 1e-9*kpi(t, res, "revenue_ceiling_usd", "") {
			t.Errorf("%s: the ceiling's rest is $%v, want the run's cached discount $%v (of which $%v on unfinished sessions)",
				c.name, rest, discount, openDiscount)
		}
	}
	if a, b := unfinished["absent"], unfinished["at the input price"]; a != b {
		t.Errorf("revenue_unfinished_usd $%v with the cached price at the input price, $%v without the field", b, a)
	}
	if a, d := unfinished["absent"], unfinished["a tenth of the input price"]; d > a {
		t.Errorf("revenue_unfinished_usd rose from $%v to $%v with a cached discount", a, d)
	}
}
