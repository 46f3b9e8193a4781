package sim

import (
	"math"
	"math/rand/v2"

	"aiecon/model"
	"aiecon/model/econ"
)

// adsModel runs generalized second-price auctions for sponsored slots on
// agent turns with commercial intent.
type adsModel struct {
	w              *World
	spec           *model.Ads
	bid, relevance sampler
	winners        []econ.Winner
	bids, quality  []float64
	cal            bidCalibration // scale 1 when bids are used as written
}

func newAdsModel(w *World) (*adsModel, error) {
	a := &adsModel{w: w, spec: w.sc.Ads}
	var err error
	if a.bid, err = newSampler(a.spec.Bid, &w.traces); err != nil {
		return nil, err
	}
	if a.relevance, err = newSampler(a.spec.Relevance, &w.traces); err != nil {
		return nil, err
	}
	a.cal = bidCalibration{scale: 1, paidCPC: math.NaN(), medianUSD: math.NaN()}
	if a.spec.PaidCPC > 0 {
		if a.cal, err = a.calibrateBids(a.spec.PaidCPC); err != nil {
			return nil, err
		}
	}
	a.winners = make([]econ.Winner, 0, a.spec.Slots)
	a.bids = make([]float64, a.spec.Bidders)
	a.quality = make([]float64, a.spec.Bidders)
	return a, nil
}

// draw appends one auction's random draws.
func (a *adsModel) draw(dst []float64, r *rand.Rand) []float64 {
	for i := 0; i < a.spec.Bidders; i++ {
		dst = append(dst, a.cal.scale*a.bid.draw(r), a.relevance.draw(r))
	}
	for i := 0; i < a.spec.Slots; i++ {
		dst = append(dst, r.Float64())
	}
	return dst
}

// run clears the auction of a session step with its pre-drawn bids and
// returns the revenue, impressions, clicks drawn and clicks expected.
// latMult is the latency penalty of the turn and fresh the model-freshness
// multiplier, both multiplying click-through; a counterfactual run (cf)
// records nothing.
//
// A slot sold per click earns its expected revenue, price x click-through,
// not the price of a drawn click: at a 0.4% click-through an hour's few
// hundred impressions draw a handful of clicks, and a drawn line (often $0)
// would tell a strategist more about the seed than about the ads. The
// expectation given the auction is an unbiased estimate of the same revenue
// with less variance (conditioning). The click is still drawn, from the
// pre-drawn uniform, for the records (a counterfactual click, latMult 1,
// happens whenever the actual one does).
func (a *adsModel) run(s *session, step int, latMult, fresh float64, cf bool) (revUSD float64, shown, clicks int32, expClicks float64) {
	w := a.w
	d := s.draws[s.plan[step].adDraws:]
	for i := range a.bids {
		a.bids[i], a.quality[i] = d[2*i], d[2*i+1]
	}
	clickU := d[2*a.spec.Bidders:]
	a.winners = econ.GSP(a.bids, a.quality, a.spec.Reserve, a.spec.Slots, a.winners[:0])
	var auctionID int64
	if !cf {
		auctionID = w.nextAuction
		w.nextAuction++
		s.am.wl.stats.auctions++
	}
	for slot, win := range a.winners {
		ctr := econ.CTR(a.spec.CTR, slot, a.spec.PositionDecay, a.quality[win.Bidder], latMult, fresh)
		clicked := clickU[slot] < ctr
		var rev float64
		if a.spec.Pricing == "cpm" {
			rev = econ.CPMRevenueUSD(win.Price, 1)
		} else {
			rev = econ.ExpectedCPCRevenueUSD(win.Price, ctr)
		}
		revUSD += rev
		expClicks += ctr
		shown++
		if clicked {
			clicks++
		}
		if !cf {
			w.out.auction(AuctionRecord{Auction: auctionID, Session: s.id, Step: int32(step), AtNs: w.eng.Now(),
				Slot: int32(slot), Bidders: int32(a.spec.Bidders), BidUSD: win.Bid, PriceUSD: win.Price,
				CTR: ctr, Clicked: clicked, RevenueUSD: rev, LatencyMult: latMult}, w)
		}
	}
	return revUSD, shown, clicks, expClicks
}
