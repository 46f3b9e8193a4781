package econ_test

import (
	"fmt"

	"aiecon/model/econ"
)

// Four advertisers bid per click for two sponsored slots next to an agent
// answer; the slots' click-through rates fall with position and latency.
func ExampleGSP() {
	bids := []float64{0.90, 1.40, 0.15, 1.10}
	quality := []float64{1.0, 0.7, 1.0, 1.0}
	for slot, w := range econ.GSP(bids, quality, 0.20, 2, nil) {
		fmt.Printf("slot %d: bidder %d bids $%.2f, pays $%.4f per click\n", slot, w.Bidder, w.Bid, w.Price)
	}
	lat := econ.LatencyPenalty(0.8, econ.DefaultLatencyThresholdS, econ.DefaultLatencyLossPer100ms, 0)
	ctrs := []float64{
		econ.CTR(econ.DefaultCTR, 0, 0.7, 1, lat, 1),
		econ.CTR(econ.DefaultCTR, 1, 0.7, 1, lat, 1),
	}
	fmt.Printf("latency multiplier %.2f, CTRs %.5f %.5f\n", lat, ctrs[0], ctrs[1])
	fmt.Printf("expected revenue per 1000 answers with ads: $%.3f\n", 1000*econ.ExpectedGSPRevenueUSD(bids, quality, 0.20, 2, ctrs))
	// Output:
	// slot 0: bidder 3 bids $1.10, pays $0.9800 per click
	// slot 1: bidder 1 bids $1.40, pays $1.2857 per click
	// latency multiplier 0.95, CTRs 0.00380 0.00266
	// expected revenue per 1000 answers with ads: $7.144
}
