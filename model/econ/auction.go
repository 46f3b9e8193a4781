package econ

import (
	"fmt"
	"math"
)

// Winner is one slot of a GSP auction, in rank order.
type Winner struct {
	Bidder int     // index into the bids
	Bid    float64 // the winner's bid, $ per click
	Price  float64 // what it pays per click: <= Bid, >= the reserve
}

// GSP runs a generalized second-price auction and appends the winners to dst
// in rank order (slot 0 first). With capacity in dst it does not allocate.
//
// Bidders are ranked by bid x quality (quality nil means all 1); equal scores
// go to the lower bidder index, so results never depend on anything but the
// input. Only bidders with bid >= reserve and quality > 0 take part (NaN bids
// or qualities never do; a negative reserve counts as 0). At most `slots` win.
// Winner i pays the smallest bid that keeps its rank (ignoring ties),
//
//	price_i = min(bid_i, max(reserve, bid_{i+1} x quality_{i+1} / quality_i))
//
// where i+1 is the next participating bidder in rank order, winning or not;
// with no such bidder, price_i = reserve. The min only guards rounding:
// ranking already makes the second term <= bid_i.
//
// It panics if quality is non-nil and not as long as bids.
func GSP(bids, quality []float64, reserve float64, slots int, dst []Winner) []Winner {
	if quality != nil && len(quality) != len(bids) {
		panic(fmt.Sprintf("econ: GSP: %d qualities for %d bids", len(quality), len(bids)))
	}
	reserve = max(reserve, 0)
	q := func(i int) float64 {
		if quality == nil {
			return 1
		}
		return quality[i]
	}
	// next returns the participant ranked right after (score s, index i).
	next := func(s float64, i int) (int, float64) {
		best, bestScore := -1, 0.0
		for j, b := range bids {
			qj := q(j)
			if !(b >= reserve) || !(qj > 0) {
				continue
			}
			sj := b * qj
			if sj > s || (sj == s && j <= i) {
				continue // ranked before (s, i), already placed
			}
			if best < 0 || sj > bestScore {
				best, bestScore = j, sj
			}
		}
		return best, bestScore
	}

	start := len(dst)
	s, i := math.Inf(1), -1
	for len(dst)-start < slots {
		j, sj := next(s, i)
		if j < 0 {
			break
		}
		dst = append(dst, Winner{Bidder: j, Bid: bids[j]})
		s, i = sj, j
	}
	runnerUp, runnerScore := -1, 0.0
	if n := len(dst) - start; n > 0 && n == slots {
		runnerUp, runnerScore = next(s, i)
	}
	for w := start; w < len(dst); w++ {
		price := reserve
		switch {
		case w+1 < len(dst):
			nb := dst[w+1].Bidder
			price = max(reserve, bids[nb]*q(nb)/q(dst[w].Bidder))
		case runnerUp >= 0:
			price = max(reserve, runnerScore/q(dst[w].Bidder))
		}
		dst[w].Price = min(price, dst[w].Bid)
	}
	return dst
}

// ExpectedGSPRevenueUSD is the expected per-impression revenue of a GSP
// auction with fixed bids sold per click: the sum over winners of
// price_i x ctrs[i], where ctrs[i] is the click-through rate of slot i.
// It panics if ctrs has fewer than `slots` entries.
func ExpectedGSPRevenueUSD(bids, quality []float64, reserve float64, slots int, ctrs []float64) float64 {
	if len(ctrs) < slots {
		panic(fmt.Sprintf("econ: ExpectedGSPRevenueUSD: %d CTRs for %d slots", len(ctrs), slots))
	}
	var buf [8]Winner
	var sum float64
	for i, w := range GSP(bids, quality, reserve, slots, buf[:0]) {
		sum += w.Price * ctrs[i]
	}
	return sum
}

// ExpectedCPCRevenueUSD is the expected revenue of one impression sold per
// click: priceUSD x ctr.
func ExpectedCPCRevenueUSD(priceUSD, ctr float64) float64 { return priceUSD * ctr }

// CPMRevenueUSD is what impressions pay at a price per thousand impressions:
// cpmUSD / 1000 x impressions.
func CPMRevenueUSD(cpmUSD float64, impressions int64) float64 {
	return cpmUSD / 1000 * float64(impressions)
}
