package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"aiecon/model/econ"
)

// calibrationAuctions is how many auctions the bid scale is solved on: the
// click-weighted paid CPC of 20,000 auctions has a Monte Carlo error well
// under 1% at the default bid spread.
const calibrationAuctions = 20000

// bidCalibration is the outcome of solving the bid scale.
type bidCalibration struct {
	scale     float64 // every drawn bid is multiplied by it
	medianUSD float64 // median of the scaled bids
	paidCPC   float64 // the click-weighted paid CPC the scale gives on the calibration draws
}

// calibrateBids finds the factor by which the configured bid distribution
// must be scaled so that, under generalized second price with the scenario's
// slots, bidders, reserve, relevance and position decay, the average price
// per click equals target. Paying the next bid, a winner pays well below its
// own bid: setting the bid median to a published *paid* CPC overstates what
// clicks pay by half. The draws come from a fixed stream, so the solved scale
// depends on the ads configuration only, never on the run's seed; they are
// drawn once and reused for every trial scale (common random numbers), which
// makes the paid CPC a non-decreasing step function of the scale that
// bisection solves to a relative 1e-9.
func (a *adsModel) calibrateBids(target float64) (bidCalibration, error) {
	spec := a.spec
	r := rand.New(rand.NewPCG(0x61647362, 0x63616c69)) // "adsb", "cali": fixed on purpose
	n := spec.Bidders
	bids := make([]float64, calibrationAuctions*n)
	quality := make([]float64, calibrationAuctions*n)
	for i := range bids {
		bids[i], quality[i] = a.bid.draw(r), a.relevance.draw(r)
	}
	scaled := make([]float64, n)
	winners := make([]econ.Winner, 0, spec.Slots)
	paid := func(k float64) float64 {
		var priced, clicks float64
		for au := 0; au < calibrationAuctions; au++ {
			b, q := bids[au*n:(au+1)*n], quality[au*n:(au+1)*n]
			for i := range scaled {
				scaled[i] = k * b[i]
			}
			winners = econ.GSP(scaled, q, spec.Reserve, spec.Slots, winners[:0])
			for slot, win := range winners {
				// The latency and freshness multipliers scale every slot of an
				// auction alike and are independent of the bids: they cancel.
				ctr := econ.CTR(spec.CTR, slot, spec.PositionDecay, q[win.Bidder], 1, 1)
				priced += win.Price * ctr
				clicks += ctr
			}
		}
		if clicks == 0 {
			return 0
		}
		return priced / clicks
	}
	lo, hi := 1e-6, 1.0
	for paid(hi) < target {
		if hi *= 2; hi > 1e9 {
			return bidCalibration{}, fmt.Errorf("ads.paid_cpc: no bid scale reaches $%g per click (bids, relevance or slots leave no paying winner)", target)
		}
	}
	for hi/lo-1 > 1e-9 {
		mid := math.Sqrt(lo * hi)
		if paid(mid) < target {
			lo = mid
		} else {
			hi = mid
		}
	}
	cal := bidCalibration{scale: hi, paidCPC: paid(hi)}
	slices.Sort(bids) // last: the draws lose their pairing with quality
	cal.medianUSD = hi * bids[len(bids)/2]
	return cal, nil
}
