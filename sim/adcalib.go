package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"aiecon/model"
)

// calibrationAuctions is how many auctions the bid scale is solved on: the
// click-weighted paid CPC of 10,000 auctions has a Monte Carlo error well
// under 1% at the default bid spread. model's load check of ads.relevance
// counts on the same number (model.NoPayingWinnerChance).
const calibrationAuctions = model.AdsCalibrationAuctions

// bidCalibration is the outcome of solving the bid scale.
type bidCalibration struct {
	scale float64 // every drawn bid is multiplied by it
	// medianUSD is the median of the scaled bids per click, whatever the
	// pricing: the KPI's unit is USD/click (under cpm the bid per mille is
	// it x ctr x 1000), so two runs' medians compare like with like.
	medianUSD float64
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
// bisection solves to a relative 1e-6.
//
// Under cpm the bids are solved for per click all the same, as if the slots
// were sold per click (the reserve taken at its price per click), and then
// multiplied by model.Ads.BidPerClickFactor: each advertiser bids per mille
// what a thousand top-slot impressions are worth at its price per click, so
// switching the pricing does not change what a click is worth to it.
func (a *adsModel) calibrateBids(target float64) (bidCalibration, error) {
	d := a.calibrationDraws()
	lo, hi := 1e-6, 1.0
	for d.paidCPC(hi) < target {
		if hi *= 2; hi > 1e9 {
			return bidCalibration{}, a.unreachable(d, target)
		}
	}
	for hi/lo-1 > 1e-6 {
		mid := math.Sqrt(lo * hi)
		if d.paidCPC(mid) < target {
			lo = mid
		} else {
			hi = mid
		}
	}
	f := a.spec.BidPerClickFactor()
	cal := bidCalibration{scale: hi * f, paidCPC: d.paidCPC(hi)}
	bids := slices.Clone(d.bids)
	slices.Sort(bids)
	cal.medianUSD = hi * bids[len(bids)/2]
	return cal, nil
}

// unreachable is the error of a paid_cpc no bid scale reaches: naming
// ads.relevance, and the chance its draws are above 0, where no
// calibration auction had two bidders of relevance above 0 (a lone
// winner pays the reserve), the likely cause; it said "bids, relevance or
// slots" of a relevance that was 0 in 99.87% of its draws.
func (a *adsModel) unreachable(d *calibrationSet, target float64) error {
	msg := fmt.Sprintf("ads.paid_cpc: no bid scale reaches $%g per click", target)
	if d.n >= 2 && d.pairs() == 0 { // one bidder: the resolver refuses it (paidOneBidder)
		return fmt.Errorf("%s: ads.relevance draws above 0 with chance %.3g per draw (a bidder of relevance 0 takes no part in the auction), "+
			"so none of the %d auctions the bid scale is solved on has two bidders above 0, and a lone winner pays the reserve; "+
			"give ads.relevance a min above 0, draws above 0, or paid_cpc: 0 to use the bids as written",
			msg, 1-a.spec.Relevance.NonPositiveChance(), calibrationAuctions)
	}
	return fmt.Errorf("%s (bids, relevance or slots leave no paying winner)", msg)
}

// pairs counts the calibration auctions with at least two bidders of
// relevance above 0, the most a winner paying above the reserve needs of
// the relevance.
func (d *calibrationSet) pairs() int {
	n := 0
	for au := 0; au*d.n < len(d.quality); au++ {
		pos := 0
		for _, q := range d.quality[au*d.n : (au+1)*d.n] {
			if q > 0 {
				pos++
			}
		}
		if pos >= 2 {
			n++
		}
	}
	return n
}

// calibrationSet holds the calibration auctions, each with its bidders
// already in rank order: scaling every bid by one factor never changes the
// ranking by bid x quality, only who clears the reserve, so the order is
// computed once and each trial scale is one pass over it.
type calibrationSet struct {
	spec          adsSpecView
	bids, quality []float64 // per auction, n bidders in rank order
	n             int
}

// adsSpecView is what the calibration needs of the ads configuration, per
// click (the reserve included).
type adsSpecView struct {
	slots                  int
	reserve, ctr, posDecay float64
}

func (a *adsModel) calibrationDraws() *calibrationSet {
	spec := a.spec
	r := rand.New(rand.NewPCG(0x61647362, 0x63616c69)) // "adsb", "cali": fixed on purpose
	n := spec.Bidders
	d := &calibrationSet{n: n, bids: make([]float64, calibrationAuctions*n), quality: make([]float64, calibrationAuctions*n),
		spec: adsSpecView{slots: spec.Slots, reserve: max(spec.Reserve, 0) / spec.BidPerClickFactor(), ctr: spec.CTR, posDecay: spec.PositionDecay}}
	idx := make([]int, n)
	b, q := make([]float64, n), make([]float64, n)
	for au := 0; au < calibrationAuctions; au++ {
		for i := range b {
			b[i], q[i] = a.bid.draw(r), a.relevance.draw(r)
			idx[i] = i
		}
		// econ.GSP's order: score descending, ties to the lower index.
		slices.SortStableFunc(idx, func(x, y int) int {
			if sx, sy := b[x]*q[x], b[y]*q[y]; sx != sy {
				if sx > sy {
					return -1
				}
				return 1
			}
			return x - y
		})
		for k, i := range idx {
			d.bids[au*n+k], d.quality[au*n+k] = b[i], q[i]
		}
	}
	return d
}

// paidCPC is the click-weighted average price of the calibration auctions
// with every bid scaled by k, priced as econ.GSP does: winner i pays
// min(bid_i, max(reserve, score of the next participant / quality_i)), the
// reserve when none follows. The latency and freshness multipliers scale
// every slot of an auction alike and are independent of the bids: they cancel.
func (d *calibrationSet) paidCPC(k float64) float64 {
	sp := d.spec
	part := make([]int, 0, sp.slots+1)   // the first slots+1 participants in rank order
	slotCTR := make([]float64, sp.slots) // econ.CTR without its relevance factor, computed once
	for i := range slotCTR {
		slotCTR[i] = sp.ctr * math.Pow(sp.posDecay, float64(i))
	}
	var priced, clicks float64
	for au := 0; au*d.n < len(d.bids); au++ {
		b, q := d.bids[au*d.n:(au+1)*d.n], d.quality[au*d.n:(au+1)*d.n]
		part = part[:0]
		for i := 0; i < len(b) && len(part) <= sp.slots; i++ {
			if k*b[i] >= sp.reserve && q[i] > 0 {
				part = append(part, i)
			}
		}
		for slot := 0; slot < min(len(part), sp.slots); slot++ {
			w := part[slot]
			price := sp.reserve
			if slot+1 < len(part) {
				nx := part[slot+1]
				price = max(sp.reserve, k*b[nx]*q[nx]/q[w])
			}
			price = min(price, k*b[w])
			ctr := min(max(slotCTR[slot]*q[w], 0), 1) // econ.CTR at latency and freshness multipliers 1
			priced += price * ctr
			clicks += ctr
		}
	}
	if clicks == 0 {
		return 0
	}
	return priced / clicks
}
