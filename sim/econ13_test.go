package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/model/econ"
)

// agentsAdsNoAds is agentsAds without its ads line, for tests that set their own.
var agentsAdsNoAds = agentsAds[:strings.LastIndex(agentsAds, "ads:")]

// Ads are shown with the answer the user reads, never on a tool-calling
// step: a session holds at most one auction, on its last model call.
func TestAuctionsOnlyOnUserFacingAnswers(t *testing.T) {
	sc := scenario(t, agentsAds)
	sc.Ads.IntentProbability = 1 // every answer auctions: the bound is tight
	res, sink := run(t, sc)
	auctions := kpi(t, res, "ad_auctions", "")
	answers := kpi(t, res, "answers_delivered", "")
	if answers == 0 {
		t.Fatal("no answers delivered: the test shows nothing")
	}
	if auctions > answers {
		t.Errorf("%v auctions for %v user-facing answers", auctions, answers)
	}
	steps := map[int64]int32{}
	for _, s := range sink.Sess {
		steps[s.ID] = s.StepsPlanned
	}
	for _, a := range sink.Auct {
		if want := steps[a.Session] - 1; a.Step != want {
			t.Fatalf("auction %d on step %d of session %d, want its last step %d", a.Auction, a.Step, a.Session, want)
		}
	}
}

// Under generalized second price a winner pays the next bid, so bids whose
// median is the benchmark's paid CPC make clicks pay half as much again. The
// bids are scaled at start-up so that what a click pays in the run
// reproduces ads.paid_cpc.
func TestPaidCPCReproducesBenchmark(t *testing.T) {
	tests := []struct {
		name, ads string
	}{
		{"default bids", "ads: {intent_probability: 1, ctr: 0.6}\n"},
		{"wide bids, high reserve", "ads: {intent_probability: 1, ctr: 0.6, paid_cpc: 1.5, reserve: 0.5, bidders: 4, slots: 3, bid: {dist: lognormal, median: 2, p99: 20}}\n"},
		{"relevance", "ads: {intent_probability: 1, ctr: 0.6, relevance: {dist: uniform, min: 0.5, max: 1.5}}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Patient users, so that enough answers (and clicks) are delivered.
			src := strings.NewReplacer("horizon: 10m", "horizon: 30m", "patience: {dist: lognormal, median: 2s, p99: 15s}", "patience: 1h").Replace(agentsAdsNoAds)
			sc := scenario(t, src+tt.ads)
			res, _ := run(t, sc)
			got, want := kpi(t, res, "ad_paid_cpc_usd", ""), sc.Ads.PaidCPC
			clicks := kpi(t, res, "ad_clicks", "")
			t.Logf("paid CPC $%.4f over %v clicks, benchmark $%.2f, bid median $%.3f", got, clicks, want, kpi(t, res, "ad_bid_median_usd", ""))
			if clicks < 3000 {
				t.Fatalf("%v clicks: too few for a 5%% check (standard error about 1.2%% at 3000)", clicks)
			}
			if math.Abs(got/want-1) > 0.05 {
				t.Errorf("paid CPC $%.4f is more than 5%% from the benchmark $%.2f", got, want)
			}
		})
	}
}

// A drained run is billed for, and its rates divided by, the interval it
// actually served: from 0 to its last request or session, not to the next
// window boundary.
func TestDrainedRunBilledForServedDuration(t *testing.T) {
	tests := []struct{ name, src string }{
		{"api", small8b + "drain: true\nwindow: 7m\n"},
		{"agents", agentsAds + "drain: true\nwindow: 7m\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := scenario(t, tt.src)
			res, sink := run(t, sc)
			var last int64
			for _, r := range sink.Reqs {
				last = max(last, r.FinishNs)
			}
			for _, s := range sink.Sess {
				last = max(last, s.EndNs)
			}
			if last <= int64(sc.Horizon) {
				t.Fatalf("nothing in flight at the horizon (last work at %d ns): the test shows nothing", last)
			}
			if res.SimNs != last {
				t.Errorf("run ends at %.3f s, its last work at %.3f s", float64(res.SimNs)/1e9, float64(last)/1e9)
			}
			price := kpi(t, res, "price_per_instance_hour_usd", "")
			want := float64(sc.Fleet.Count) * price * float64(last) / 3.6e12
			if got := kpi(t, res, "cost_instances_usd", ""); math.Abs(got-want) > 1e-9*want {
				t.Errorf("instance cost $%.6f, want %d instances x $%.2f/h x %.3f s = $%.6f", got, sc.Fleet.Count, price, float64(last)/1e9, want)
			}
			done := kpi(t, res, "requests_completed", "")
			if got, want := kpi(t, res, "throughput_rps", ""), done/(float64(last)/1e9); math.Abs(got-want) > 1e-9*want {
				t.Errorf("throughput %v req/s, want %v completed over the served %v s", got, want, float64(last)/1e9)
			}
		})
	}
}

// The calibration's one-pass pricing of pre-ranked auctions must agree with
// econ.GSP on the same draws, at scales where the reserve binds and where it
// does not.
func TestCalibrationPricesLikeGSP(t *testing.T) {
	sc := scenario(t, agentsAdsNoAds+"ads: {bidders: 5, slots: 3, reserve: 0.3, relevance: {dist: uniform, min: 0.2, max: 2}}\n")
	w, err := New(Config{Scenario: sc})
	if err != nil {
		t.Fatal(err)
	}
	d := w.ads.calibrationDraws()
	sp := d.spec
	for _, k := range []float64{0.05, 0.3, 1, 4} {
		var priced, clicks float64
		scaled := make([]float64, d.n)
		for au := 0; au*d.n < len(d.bids); au++ {
			b, q := d.bids[au*d.n:(au+1)*d.n], d.quality[au*d.n:(au+1)*d.n]
			for i := range b {
				scaled[i] = k * b[i]
			}
			for slot, win := range econ.GSP(scaled, q, sp.reserve, sp.slots, nil) {
				ctr := econ.CTR(sp.ctr, slot, sp.posDecay, q[win.Bidder], 1, 1)
				priced += win.Price * ctr
				clicks += ctr
			}
		}
		want := 0.0
		if clicks > 0 {
			want = priced / clicks
		}
		if got := d.paidCPC(k); math.Abs(got-want) > 1e-12*math.Max(want, 1) {
			t.Errorf("scale %v: paid CPC %v, econ.GSP gives %v", k, got, want)
		}
	}
}

// Cost per Mtok divides every cost line by the tokens billed: every prompt
// token of the completed requests, those found in the prefix cache too, plus
// output, as the token revenue bills them, so that it compares with a token
// price. agents-heavy read $9.30 over the tokens computed (cached prompt
// apart) where its cost per token billed is $2.78. The input split is over
// every prompt token too, so the split averages to the instances figure;
// cost per Mtok computed keeps the cached prompt apart.
func TestCostPerMTokAllCostLines(t *testing.T) {
	sc := scenario(t, agentsAds+"training: {tokens: 1e9, where: dedicated}\n")
	res, _ := run(t, sc)
	prefilled, cached := kpi(t, res, "input_tokens_prefilled", ""), kpi(t, res, "input_tokens_cached", "")
	if cached == 0 || kpi(t, res, "cost_training_usd", "") == 0 || kpi(t, res, "cost_licensing_usd", "") == 0 {
		t.Fatal("no cached tokens, training or licensing cost: the test shows nothing")
	}
	simS := float64(res.SimNs) / 1e9
	prompt := kpi(t, res, "input_tokens_per_s", "") * simS
	if math.Abs(prefilled+cached-prompt) > 1e-6*prompt {
		t.Errorf("prefilled %v + cached %v != prompt tokens %v", prefilled, cached, prompt)
	}
	output := kpi(t, res, "output_tokens_per_s", "") * simS
	if got, want := kpi(t, res, "revenue_api_usd", ""), (prompt+output)*0.22/1e6; math.Abs(got-want) > 1e-6*want {
		t.Fatalf("token revenue %v, want every prompt and output token at $0.22/Mtok = %v: the tokens billed are not these", got, want)
	}
	instances := kpi(t, res, "cost_instances_usd", "")
	inUSD := kpi(t, res, "cost_per_mtok_input_usd", "") * prompt / 1e6
	outUSD := kpi(t, res, "cost_per_mtok_output_usd", "") * output / 1e6
	for _, c := range []struct {
		kpi         string
		cost, mtok  float64
		denominator string
	}{
		{"cost_per_mtok_usd", kpi(t, res, "cost_usd", ""), (prompt + output) / 1e6, "tokens billed"},
		{"cost_per_mtok_instances_usd", instances, (prompt + output) / 1e6, "tokens billed"},
		{"cost_per_mtok_computed_usd", kpi(t, res, "cost_usd", ""), (prefilled + output) / 1e6, "tokens computed"},
	} {
		want := c.cost / c.mtok
		if got := kpi(t, res, c.kpi, ""); math.Abs(got-want) > 1e-6*want {
			t.Errorf("%s = %v, want cost %v / %s = %v", c.kpi, got, c.cost, c.denominator, want)
		}
	}
	if math.Abs(inUSD+outUSD-instances) > 1e-6*instances {
		t.Errorf("input %v + output %v of the split, over the tokens billed, != instance cost %v", inUSD, outUSD, instances)
	}
}

// SLO attainment leaves abandoned requests out (with no queue limit or
// timeout, it is over the served ones), so slow decoding or abandonment do
// not cap it; abandonment has its own rate and the good-experience rate
// combines both: requests that ended within their SLO over all that ended.
func TestSLOOverServedGoodExperienceOverEnded(t *testing.T) {
	sc := scenario(t, strings.Replace(agentsAds, "rate: 3/s", "rate: 12/s", 1))
	sc.Workloads[1].SLO = model.SLO{TTFT: 300 * model.Millisecond, TPOT: 20 * model.Millisecond}
	res, sink := run(t, sc)
	slo := sc.Workloads[1].SLO
	var served, met, ended, abandoned float64
	for _, r := range sink.Reqs {
		if r.Workload != 1 || r.Status == StatusUnfinished {
			continue
		}
		ended++
		if r.Status == StatusAbandoned {
			abandoned++
		}
		if r.Status != StatusCompleted {
			continue
		}
		served++
		ttft := float64(r.FirstTokenNs-r.ArrivalNs) / 1e9
		tpot := float64(r.FinishNs-r.FirstTokenNs) / 1e9 / float64(max(r.OutputTokens-1, 1))
		if ttft <= slo.TTFT.Seconds() && (r.OutputTokens <= 1 || tpot <= slo.TPOT.Seconds()) {
			met++
		}
	}
	if abandoned == 0 || met == served {
		t.Fatalf("%v abandoned, %v of %v served met the SLO: the test shows nothing", abandoned, met, served)
	}
	converted := 0.0
	for _, s := range sink.Sess {
		if s.Workload == 1 && s.Converted {
			converted++
		}
	}
	if got := kpi(t, res, "sessions_converted", "shop"); got != converted || converted == 0 {
		t.Errorf("sessions_converted %v, the session records say %v", got, converted)
	}
	for _, c := range []struct {
		kpi  string
		want float64
	}{{"slo_attainment", met / served}, {"good_experience_rate", met / ended}, {"abandon_rate", abandoned / ended}} {
		if got := kpi(t, res, c.kpi, "shop"); math.Abs(got-c.want) > 1e-3 {
			t.Errorf("%s = %.4f, want %.4f", c.kpi, got, c.want)
		}
	}
}

// Switching ads.pricing to cpm keeps what a click is worth to the
// advertisers: the bids are solved per click for ads.paid_cpc as under cpc,
// then bid per mille at the top slot's click-through (ctr x 1000). Bids read
// as written cut baseline's eCPM from $3.27 to $1.43 on switching, per-click
// bids read as USD per thousand impressions.
func TestCPMBidsKeepPerClickValue(t *testing.T) {
	src := strings.NewReplacer("horizon: 10m", "horizon: 30m", "patience: {dist: lognormal, median: 2s, p99: 15s}", "patience: 1h").Replace(agentsAdsNoAds)
	got := map[string]map[string]float64{}
	for _, pricing := range []string{"cpc", "cpm"} {
		sc := scenario(t, src+"ads: {intent_probability: 1, pricing: "+pricing+"}\n")
		res, _ := run(t, sc)
		got[pricing] = map[string]float64{}
		for _, k := range []string{"ad_bid_median_usd", "ad_bid_scale", "ad_ecpm_usd", "ad_paid_cpc_target_usd"} {
			got[pricing][k] = kpi(t, res, k, "")
		}

		t.Logf("%s: %v", pricing, got[pricing])
	}
	perMille := econ.DefaultCTR * 1000
	if r := got["cpm"]["ad_bid_scale"] / (got["cpc"]["ad_bid_scale"] * perMille); math.Abs(r-1) > 0.01 {
		t.Errorf("ad_bid_scale: cpm %.4g is %.3f x the cpc %.4g x ctr x 1000", got["cpm"]["ad_bid_scale"], r, got["cpc"]["ad_bid_scale"])
	}
	// ad_bid_median_usd is stored in USD/click: per click under both, so
	// comparing the two runs compares like with like (it read 2.37
	// "USD/click" under cpm, the bid per mille, 4x the cpc run's 0.59, for
	// the same advertisers).
	if c, m := got["cpc"]["ad_bid_median_usd"], got["cpm"]["ad_bid_median_usd"]; math.Abs(m/c-1) > 0.01 {
		t.Errorf("ad_bid_median_usd (USD/click): cpm %.4g, cpc %.4g: the same advertisers' per-click bids differ", m, c)
	}
	// Every slot is priced at the top slot's click-through and the advertiser
	// bears latency and freshness: cpm earns at least what cpc does.
	if c, m := got["cpc"]["ad_ecpm_usd"], got["cpm"]["ad_ecpm_usd"]; !(m >= 0.95*c) {
		t.Errorf("eCPM $%.2f under cpm against $%.2f under cpc", m, c)
	}
	if v := got["cpm"]["ad_paid_cpc_target_usd"]; v != model.DefaultPaidCPCUSD {
		t.Errorf("cpm: ad_paid_cpc_target_usd %v, want the paid CPC the bids were solved for, %v", v, model.DefaultPaidCPCUSD)
	}
}

// Slots sold per impression have no price per click: their revenue over
// the expected clicks is no CPC an advertiser paid, so the KPI is undefined
// (stored as NULL) under cpm pricing while it is defined under cpc.
func TestPaidCPCUndefinedUnderCPM(t *testing.T) {
	for _, tt := range []struct {
		pricing string
		defined bool
	}{{"cpc", true}, {"cpm", false}} {
		t.Run(tt.pricing, func(t *testing.T) {
			sc := scenario(t, agentsAdsNoAds+"ads: {intent_probability: 1, ctr: 0.6, pricing: "+tt.pricing+"}\n")
			res, _ := run(t, sc)
			if kpi(t, res, "ad_impressions", "") == 0 {
				t.Fatal("no ad shown: the test shows nothing")
			}
			for _, scope := range []string{"", "shop"} {
				got := kpi(t, res, "ad_paid_cpc_usd", scope)
				if math.IsNaN(got) == tt.defined {
					t.Errorf("pricing %s, scope %q: ad_paid_cpc_usd = %v, defined %v", tt.pricing, scope, got, tt.defined)
				}
			}
			// The target is a setting either way: under cpm the per-click bids
			// are solved for it before they are bid per mille.
			if got := kpi(t, res, "ad_paid_cpc_target_usd", ""); got != sc.Ads.PaidCPC {
				t.Errorf("pricing %s: ad_paid_cpc_target_usd = %v, want %v", tt.pricing, got, sc.Ads.PaidCPC)
			}
		})
	}
}

// A paid CPC above the reserve is out of reach with one bidder, whatever
// the slots (the lone winner pays the reserve), and within reach with two,
// even when every bidder wins a slot (the top one pays the next bid): the
// rule model's resolver refuses at load, checked against the auction here.
func TestCalibrationAboveReserveNeedsTwoBidders(t *testing.T) {
	for _, c := range []struct{ bidders, slots int }{{1, 1}, {1, 20}, {2, 1}, {2, 2}, {2, 20}, {8, 2}} {
		ads := fmt.Sprintf("ads: {paid_cpc: 0, reserve: 0.2, bidders: %d, slots: %d}\n", c.bidders, c.slots)
		sc := scenario(t, agentsAdsNoAds+ads)
		a := &adsModel{spec: sc.Ads}
		var err error
		if a.bid, err = newSampler(sc.Ads.Bid, nil); err != nil {
			t.Fatal(err)
		}
		if a.relevance, err = newSampler(sc.Ads.Relevance, nil); err != nil {
			t.Fatal(err)
		}
		_, err = a.calibrateBids(0.5)
		if (err != nil) != (c.bidders == 1) {
			t.Errorf("%d bidders, %d slots: calibrating to $0.50 over a $0.20 reserve: %v", c.bidders, c.slots, err)
		}
	}
}

// A relevance that leaves no calibration auction two bidders above 0 fails
// the search for a bid scale naming ads.relevance and its chance of a
// draw above 0, the likely cause, where the error said "bids, relevance or slots"
// (review102 B4: normal(-3, 1), 0 in 99.87% of draws; model's load check
// now refuses it, so the resolved scenario is edited here); bids that
// leave no paying winner otherwise keep the general message.
func TestCalibrationNamesRelevance(t *testing.T) {
	for _, c := range []struct {
		ads, want string
	}{
		{"ads: {paid_cpc: 0, bidders: 4}\n", "ads.relevance draws above 0 with chance 2.87e-07 per draw"},
		{"ads: {paid_cpc: 0, bidders: 4, reserve: 0.2, bid: {dist: fixed, value: 0}}\n", "(bids, relevance or slots leave no paying winner)"},
	} {
		sc := scenario(t, agentsAdsNoAds+c.ads)
		if strings.Contains(c.want, "relevance draws") {
			sc.Ads.Relevance = model.Dist{Kind: "normal", Mean: -5, Std: 1}
		}
		a := &adsModel{spec: sc.Ads}
		var err error
		if a.bid, err = newSampler(sc.Ads.Bid, nil); err != nil {
			t.Fatal(err)
		}
		if a.relevance, err = newSampler(sc.Ads.Relevance, nil); err != nil {
			t.Fatal(err)
		}
		if _, err = a.calibrateBids(0.5); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.ads, err, c.want)
		}
	}
}
