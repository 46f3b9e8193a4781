package sim

import (
	"math"
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/model/econ"
)

// agentsAds is an agent workload with ads, retrieval and a fee on top of chat.
const agentsAds = small8b + `
  - name: shop
    class: agent
    arrivals: {process: poisson, rate: 3/s}
    prompt_tokens: {dist: lognormal, median: 60, p99: 300}
    output_tokens: {dist: lognormal, median: 120, p99: 600}
    price: {input_per_mtok: 0.22, output_per_mtok: 0.22}
    agent:
      steps: {dist: poisson, mean: 4}
      tool_result_tokens: 150
      patience: {dist: lognormal, median: 2s, p99: 15s}
      retrieval: {docs_per_step: 2, fee_per_doc: 0.001, revenue_share: 0.05}
      value: {fee: 0.002, conversion: 0.08, order_value: 45, take_rate: 0.15}
ads: {intent_probability: 0.4, slots: 2, bidders: 6}
`

func TestEconomicIdentities(t *testing.T) {
	sc := scenario(t, agentsAds+"training: {tokens: 1e9, where: dedicated}\n")
	res, sink := run(t, sc)
	simS := float64(res.SimNs) / 1e9
	revenue := kpi(t, res, "revenue_usd", "")
	cost := kpi(t, res, "cost_usd", "")
	if m := kpi(t, res, "margin_usd", ""); math.Abs(m-(revenue-cost)) > 1e-9*math.Abs(cost) {
		t.Errorf("margin %v != revenue %v - cost %v", m, revenue, cost)
	}
	parts := kpi(t, res, "revenue_api_usd", "") + kpi(t, res, "revenue_agent_fees_usd", "") + kpi(t, res, "revenue_commerce_usd", "") + kpi(t, res, "revenue_ads_usd", "")
	if math.Abs(parts-revenue) > 1e-9*revenue {
		t.Errorf("revenue lines sum to %v, revenue is %v", parts, revenue)
	}
	costParts := kpi(t, res, "cost_instances_usd", "") + kpi(t, res, "cost_training_usd", "") + kpi(t, res, "cost_licensing_usd", "")
	if math.Abs(costParts-cost) > 1e-9*cost {
		t.Errorf("cost lines sum to %v, cost is %v", costParts, cost)
	}
	// Fleet cost = instance-seconds x price: one p5.48xlarge, never scaled.
	price := kpi(t, res, "price_per_instance_hour_usd", "")
	if want := simS / 3600 * price; math.Abs(kpi(t, res, "cost_instances_usd", "")-want) > 1e-9*want {
		t.Errorf("instance cost %v, want %v instance-hours x $%v", kpi(t, res, "cost_instances_usd", ""), simS/3600, price)
	}
	// Window costs (instances, dedicated training, licensing) add up to the run's cost.
	var winCost, winRev float64
	for _, w := range sink.Wins {
		winCost += w.CostUSD
		winRev += w.RevenueUSD
	}
	if math.Abs(winCost-cost) > 1e-6*cost {
		t.Errorf("window costs sum to %v, run cost %v", winCost, cost)
	}
	if math.Abs(winRev-revenue) > 1e-6*revenue {
		t.Errorf("window revenue sums to %v, run revenue %v", winRev, revenue)
	}
	// Session and request records add up to the revenue lines.
	var fees, commerce, ads, lic float64
	for _, s := range sink.Sess {
		fees += s.FeeUSD
		commerce += s.CommerceUSD
		ads += s.AdUSD
		lic += s.LicensingUSD
	}
	var adRecords float64
	for _, a := range sink.Auct {
		adRecords += a.RevenueUSD
	}
	for name, c := range map[string][2]float64{
		"agent fees": {fees, kpi(t, res, "revenue_agent_fees_usd", "")},
		"commerce":   {commerce, kpi(t, res, "revenue_commerce_usd", "")},
		"ads":        {ads, kpi(t, res, "revenue_ads_usd", "")},
		"ad records": {adRecords, kpi(t, res, "revenue_ads_usd", "")},
		"licensing":  {lic, kpi(t, res, "cost_licensing_usd", "")},
	} {
		if math.Abs(c[0]-c[1]) > 1e-9*math.Max(1, c[1]) {
			t.Errorf("%s: records sum to %v, KPI %v", name, c[0], c[1])
		}
	}
	if kpi(t, res, "sessions_completed", "") == 0 || kpi(t, res, "ad_clicks", "") == 0 || ads == 0 {
		t.Fatalf("the scenario should complete sessions and sell ads")
	}
}

func TestAuctionRecords(t *testing.T) {
	sc := scenario(t, agentsAds)
	_, sink := run(t, sc)
	reserve := sc.Ads.Reserve
	lastAuction, lastSlot := int64(-1), int32(-1)
	for _, a := range sink.Auct {
		if a.PriceUSD > a.BidUSD+1e-12 || a.PriceUSD < reserve-1e-12 || a.BidUSD < reserve {
			t.Fatalf("auction %d slot %d: bid %v price %v reserve %v", a.Auction, a.Slot, a.BidUSD, a.PriceUSD, reserve)
		}
		if a.Auction == lastAuction && a.Slot != lastSlot+1 || a.Auction != lastAuction && a.Slot != 0 {
			t.Fatalf("auction %d: slot %d after slot %d", a.Auction, a.Slot, lastSlot)
		}
		if a.Slot >= int32(sc.Ads.Slots) || a.CTR < 0 || a.CTR > 1 || a.LatencyMult <= 0 || a.LatencyMult > 1 {
			t.Fatalf("auction %d slot %d out of range: %+v", a.Auction, a.Slot, a)
		}
		// A slot sold per click earns its expected revenue, clicked or not.
		if want := a.PriceUSD * a.CTR; math.Abs(a.RevenueUSD-want) > 1e-15 {
			t.Fatalf("cpc auction %d slot %d: revenue %v, want price x ctr %v", a.Auction, a.Slot, a.RevenueUSD, want)
		}
		lastAuction, lastSlot = a.Auction, a.Slot
	}
	if len(sink.Auct) < 100 {
		t.Fatalf("only %d filled slots", len(sink.Auct))
	}
}

// TestAdRevenueMatchesAnalytic: with fixed bids, relevance, step counts and
// no latency penalty, each auction's expected revenue is known in closed
// form (econ.ExpectedGSPRevenueUSD), so ad revenue per session has the
// expectation intent x per-auction revenue (one auction at most, on the
// user-facing answer). The simulated mean over
// sessions must lie within 4 standard errors of it, and the standard error
// must be below 5% of it for the check to mean something.
func TestAdRevenueMatchesAnalytic(t *testing.T) {
	sc := scenario(t, small8b+`
  - name: shop
    class: agent
    arrivals: {process: poisson, rate: 8/s}
    prompt_tokens: 50
    output_tokens: 50
    agent: {steps: 4, patience: 1h, tool_latency: 100ms}
ads:
  intent_probability: 0.5
  slots: 2
  bidders: 5
  bid: {dist: fixed, value: 1.2}
  paid_cpc: 0
  reserve: 0.5
  ctr: 0.2
  position_decay: 0.7
  latency_penalty: {threshold: 1h}
`)
	_, sink := run(t, sc)
	bids := []float64{1.2, 1.2, 1.2, 1.2, 1.2}
	ctrs := []float64{0.2, 0.2 * 0.7}
	perAuction := econ.ExpectedGSPRevenueUSD(bids, nil, 0.5, 2, ctrs)
	want := 0.5 * perAuction
	var xs []float64
	for _, s := range sink.Sess {
		if s.Status != SessionCompleted {
			continue
		}
		xs = append(xs, s.AdUSD)
	}
	mean, se := meanSE(xs)
	t.Logf("%d sessions: ad revenue per session %.5f +- %.5f (SE), analytic %.5f", len(xs), mean, se, want)
	if se > 0.05*want {
		t.Fatalf("standard error %.5f is above 5%% of %.5f: run more sessions", se, want)
	}
	if math.Abs(mean-want) > 4*se {
		t.Fatalf("simulated %.5f is %.1f standard errors from analytic %.5f", mean, math.Abs(mean-want)/se, want)
	}
}

// TestSessionContextGrowth: each model call's prompt is the previous call's
// prompt plus its output plus the tool result, and its prefix-cache hit is
// the configured share of the previous context.
func TestSessionContextGrowth(t *testing.T) {
	sc := scenario(t, small8b+`
  - name: shop
    class: agent
    arrivals: {process: poisson, rate: 2/s}
    prompt_tokens: {dist: lognormal, median: 60, p99: 300}
    output_tokens: {dist: lognormal, median: 100, p99: 500}
    agent: {steps: 5, tool_result_tokens: 150, patience: 1h, system_prompt_tokens: 700, prefix_cache_hit: 0.8}
`)
	_, sink := run(t, sc)
	bySession := map[int64][]RequestRecord{}
	for _, r := range sink.Reqs {
		if r.Session >= 0 {
			bySession[r.Session] = append(bySession[r.Session], r)
		}
	}
	checked := 0
	for id, calls := range bySession {
		for k := 1; k < len(calls); k++ {
			prev, cur := calls[k-1], calls[k]
			if cur.Step != prev.Step+1 {
				t.Fatalf("session %d: step %d follows %d", id, cur.Step, prev.Step)
			}
			if prev.Status != StatusCompleted {
				continue
			}
			if want := prev.PromptTokens + prev.OutputTokens + 150; cur.PromptTokens != want {
				t.Fatalf("session %d step %d: prompt %d, want %d + %d + 150", id, cur.Step, cur.PromptTokens, prev.PromptTokens, prev.OutputTokens)
			}
			if want := int32(math.Floor(0.8 * float64(prev.PromptTokens+prev.OutputTokens))); cur.CachedTokens != want {
				t.Fatalf("session %d step %d: cached %d, want %d", id, cur.Step, cur.CachedTokens, want)
			}
			checked++
		}
		if calls[0].Step == 0 && calls[0].CachedTokens != int32(math.Floor(0.8*700)) {
			t.Fatalf("session %d: first call cached %d, want 80%% of the 700-token system prompt", id, calls[0].CachedTokens)
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d transitions checked", checked)
	}
}

func meanSE(xs []float64) (mean, se float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1) / float64(len(xs)))
}

func TestRevenueByWorkloadAddsUp(t *testing.T) {
	res, _ := run(t, scenario(t, agentsAds))
	var sum float64
	for _, name := range []string{"chat", "shop"} {
		sum += kpi(t, res, "revenue_usd", name)
	}
	if total := kpi(t, res, "revenue_usd", ""); math.Abs(sum-total) > 1e-9*total {
		t.Fatalf("workload revenues sum to %v, run revenue %v", sum, total)
	}
}

// TestIncrementalCommerce: value.incremental credits that share of each
// converted order and changes nothing else (no draw depends on it): the
// commerce lines, actual and counterfactual, scale by it exactly.
func TestIncrementalCommerce(t *testing.T) {
	gross, _ := run(t, scenario(t, agentsAds))
	part, _ := run(t, scenario(t, strings.Replace(agentsAds, "take_rate: 0.15}", "take_rate: 0.15, incremental: 0.25}", 1)))
	for _, name := range []string{"revenue_commerce_usd", "revenue_lost_to_queueing_commerce_usd", "revenue_lost_to_service_time_commerce_usd"} {
		g, p := kpi(t, gross, name, ""), kpi(t, part, name, "")
		if math.Abs(p-0.25*g) > 1e-9*math.Max(1, g) {
			t.Errorf("%s: %v with incremental 0.25, want a quarter of %v", name, p, g)
		}
	}
	if g := kpi(t, gross, "revenue_commerce_usd", ""); g <= 0 {
		t.Fatalf("no commerce to scale: %v", g)
	}
	for _, name := range []string{"sessions_completed", "ad_clicks", "revenue_ads_usd", "requests_completed"} {
		if g, p := kpi(t, gross, name, ""), kpi(t, part, name, ""); g != p {
			t.Errorf("%s: %v with incremental 0.25, %v without", name, p, g)
		}
	}
}

// An ads knob (slots, bidders, intent) changes how many numbers an auction
// draws; it must not move any session's plan, so the sessions of two runs
// that differ only in it start, end and convert alike (an ads sweep would
// otherwise show effects on commerce that the knob does not cause).
func TestAdsKnobsKeepSessionDraws(t *testing.T) {
	base := scenario(t, agentsAds)
	_, a := run(t, base)
	for _, set := range []func(*model.Ads){
		func(ads *model.Ads) { ads.Slots = 3 },
		func(ads *model.Ads) { ads.Bidders = 9 },
		func(ads *model.Ads) { ads.IntentProbability = 0.9 },
	} {
		sc := scenario(t, agentsAds)
		set(sc.Ads)
		_, b := run(t, sc)
		if len(a.Sess) != len(b.Sess) {
			t.Fatalf("%d sessions, %d with the ads knob changed", len(a.Sess), len(b.Sess))
		}
		for i := range a.Sess {
			x, y := a.Sess[i], b.Sess[i]
			if x.ID != y.ID || x.StartNs != y.StartNs || x.StepsPlanned != y.StepsPlanned || x.Converted != y.Converted || x.Status != y.Status {
				t.Fatalf("session %d: %+v\nwith the ads knob changed: %+v", x.ID, x, y)
			}
		}
	}
}

// Commerce and per-click ads are counted at their expectations: with no
// latency or freshness multiplier every completed session converts with
// the same chance, so commerce is exactly completed x conversion x order
// value x take rate, worth as many effective events as sessions completed,
// and ad revenue is exactly the slots' price x click-through.
func TestRevenueIsExpected(t *testing.T) {
	res, sink := run(t, scenario(t, agentsAds))
	completed := kpi(t, res, "sessions_completed", "")
	if want := completed * 0.08 * 45 * 0.15; math.Abs(kpi(t, res, "revenue_commerce_usd", "")-want) > 1e-9*want {
		t.Errorf("commerce %v, want %v sessions x 0.08 x $45 x 0.15 = %v", kpi(t, res, "revenue_commerce_usd", ""), completed, want)
	}
	if got := kpi(t, res, "sessions_converted_expected", ""); math.Abs(got-0.08*completed) > 1e-9*completed {
		t.Errorf("expected conversions %v, want 0.08 x %v", got, completed)
	}
	if got := kpi(t, res, "revenue_commerce_effective_events", ""); math.Abs(got-completed) > 1e-6*completed {
		t.Errorf("commerce worth %v effective events, want the %v sessions completed", got, completed)
	}
	var rev, clicks float64
	for _, a := range sink.Auct {
		rev += a.PriceUSD * a.CTR
		clicks += a.CTR
	}
	if got := kpi(t, res, "revenue_ads_usd", ""); rev == 0 || math.Abs(got-rev) > 1e-9*rev {
		t.Errorf("ads revenue %v, want the slots' price x ctr %v", got, rev)
	}
	if got := kpi(t, res, "ad_clicks_expected", ""); math.Abs(got-clicks) > 1e-9*clicks {
		t.Errorf("expected clicks %v, want %v", got, clicks)
	}
	if n := kpi(t, res, "revenue_ads_effective_events", ""); !(n > 0 && n < kpi(t, res, "ad_auctions", "")) {
		t.Errorf("ads worth %v effective events over %v auctions: want between (prices vary)", n, kpi(t, res, "ad_auctions", ""))
	}
}

// auctionSessions returns the sessions that held an auction, failing when
// an auction filled no slot (it then leaves no record to find it by).
func auctionSessions(t *testing.T, res *Result, sink *MemorySink) map[int64]bool {
	t.Helper()
	sess, auctions := map[int64]bool{}, map[int64]bool{}
	for _, a := range sink.Auct {
		sess[a.Session], auctions[a.Auction] = true, true
	}
	if n := kpi(t, res, "ad_auctions", ""); float64(len(auctions)) != n || n == 0 {
		t.Fatalf("%d auctions filled a slot of %v held: the test needs every auction filled", len(auctions), n)
	}
	return sess
}

// Which answers have commercial intent is part of the sessions' plan: an
// auction setting (bidders, slots, relevance, bids) changes how many numbers
// an auction draws, and must not change which answers hold an auction, or an
// ads comparison would measure a different set of auctions (336 against 361
// on baseline at 8 and 12 bidders, with 125 sessions in common). A higher
// intent_probability keeps every auction of a lower one (a nested sweep).
func TestAdsKnobsKeepIntent(t *testing.T) {
	res, sink := run(t, scenario(t, agentsAds))
	base := auctionSessions(t, res, sink)
	for _, tc := range []struct {
		name   string
		set    func(*model.Ads)
		nested bool // base's sessions are a subset, not the whole set
	}{
		{"bidders 12", func(ads *model.Ads) { ads.Bidders = 12 }, false},
		{"bidders 3", func(ads *model.Ads) { ads.Bidders = 3 }, false},
		{"slots 1", func(ads *model.Ads) { ads.Slots = 1 }, false},
		{"intent 0.9", func(ads *model.Ads) { ads.IntentProbability = 0.9 }, true},
	} {
		sc := scenario(t, agentsAds)
		tc.set(sc.Ads)
		r, s := run(t, sc)
		got := auctionSessions(t, r, s)
		for id := range base {
			if !got[id] {
				t.Errorf("%s: session %d holds no auction, it does with the scenario as written", tc.name, id)
			}
		}
		if !tc.nested && len(got) != len(base) {
			t.Errorf("%s: %d sessions hold an auction, %d with the scenario as written", tc.name, len(got), len(base))
		}
	}
}

// ad_fill_rate is the slots filled over the slots offered; a reserve above
// every bid runs the auctions and fills none (0, not undefined), and
// without ads it is undefined.
func TestAdFillRate(t *testing.T) {
	res, _ := run(t, scenario(t, agentsAds))
	imp, n := kpi(t, res, "ad_impressions", ""), kpi(t, res, "ad_auctions", "")
	if got, want := kpi(t, res, "ad_fill_rate", ""), imp/(2*n); n == 0 || math.Abs(got-want) > 1e-12 {
		t.Errorf("fill rate %v, want %v impressions / (%v auctions x 2 slots) = %v", got, imp, n, want)
	}
	if got := kpi(t, res, "ad_fill_rate", "shop"); math.Abs(got-imp/(2*n)) > 1e-12 {
		t.Errorf("shop's fill rate %v, want the run's %v", got, imp/(2*n))
	}
	sc := scenario(t, agentsAds)
	sc.Ads.Reserve = 1000
	res, _ = run(t, sc)
	if n, got := kpi(t, res, "ad_auctions", ""), kpi(t, res, "ad_fill_rate", ""); n == 0 || got != 0 {
		t.Errorf("reserve above every bid: fill rate %v over %v auctions, want 0", got, n)
	}
	res, _ = run(t, scenario(t, small8b))
	if k, ok := res.KPI("ad_fill_rate", ""); ok && !math.IsNaN(k.Value) {
		t.Errorf("no ads: fill rate %v, want undefined", k.Value)
	}
}
