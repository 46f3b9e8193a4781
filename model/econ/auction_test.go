package econ

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestGSPExamples(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name    string
		bids    []float64
		quality []float64
		reserve float64
		slots   int
		want    []Winner
	}{
		{"two slots", []float64{1, 3, 2}, nil, 0.5, 2,
			[]Winner{{1, 3, 2}, {2, 2, 1}}},
		{"last winner has no runner-up: pays reserve", []float64{1, 3, 2}, nil, 0.5, 3,
			[]Winner{{1, 3, 2}, {2, 2, 1}, {0, 1, 0.5}}},
		// Scores 1, 1.5, 2: bidder 1 (bid 3, quality 0.5) ranks second and pays
		// bidder 0's score over its own quality, 1/0.5 = 2.
		{"quality reorders", []float64{1, 3, 2}, []float64{1, 0.5, 1}, 0.5, 2,
			[]Winner{{2, 2, 1.5}, {1, 3, 2}}},
		{"tie goes to the lower index, pays its bid", []float64{2, 2, 1}, nil, 0, 1,
			[]Winner{{0, 2, 2}}},
		{"all below reserve", []float64{0.1, 0.4}, nil, 0.5, 2, nil},
		{"single bidder above reserve pays reserve", []float64{0.3, 1.2}, nil, 0.5, 2,
			[]Winner{{1, 1.2, 0.5}}},
		{"runner-up below reserve does not set the price", []float64{0.3, 1.2}, nil, 0.5, 1,
			[]Winner{{1, 1.2, 0.5}}},
		{"no slots", []float64{1, 2}, nil, 0, 0, nil},
		{"no bidders", nil, nil, 0, 2, nil},
		{"NaN bid and zero quality do not take part", []float64{nan, 5, 4, 1}, []float64{1, 0, 1, 1}, 0, 1,
			[]Winner{{2, 4, 1}}},
		{"negative reserve counts as 0", []float64{-1, 0.5}, nil, -2, 2,
			[]Winner{{1, 0.5, 0}}},
		{"bid at the reserve wins", []float64{0.5}, nil, 0.5, 1,
			[]Winner{{0, 0.5, 0.5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := GSP(tt.bids, tt.quality, tt.reserve, tt.slots, nil)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("GSP = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// referenceGSP is an independent implementation: sort the participants, then
// price each winner against the next one in the sorted list.
func referenceGSP(bids, quality []float64, reserve float64, slots int) []Winner {
	reserve = max(reserve, 0)
	q := func(i int) float64 {
		if quality == nil {
			return 1
		}
		return quality[i]
	}
	var idx []int
	for i, b := range bids {
		if b >= reserve && q(i) > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		sa, sb := bids[a]*q(a), bids[b]*q(b)
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return a - b
	})
	var out []Winner
	for r := 0; r < len(idx) && r < slots; r++ {
		i := idx[r]
		price := reserve
		if r+1 < len(idx) {
			j := idx[r+1]
			price = max(reserve, bids[j]*q(j)/q(i))
		}
		out = append(out, Winner{Bidder: i, Bid: bids[i], Price: min(price, bids[i])})
	}
	return out
}

func randomAuction(r *rand.Rand) (bids, quality []float64, reserve float64, slots int) {
	n := r.IntN(13)
	bids = make([]float64, n)
	for i := range bids {
		bids[i] = math.Round(r.ExpFloat64()*100) / 100 // cents, so ties happen
	}
	if r.IntN(2) == 0 {
		quality = make([]float64, n)
		for i := range quality {
			quality[i] = float64(1+r.IntN(8)) / 4 // 0.25 .. 2 in quarters
		}
	}
	return bids, quality, float64(r.IntN(150)) / 100, r.IntN(6)
}

func TestGSPProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	dst := make([]Winner, 0, 8)
	for trial := range 20000 {
		bids, quality, reserve, slots := randomAuction(r)
		ws := GSP(bids, quality, reserve, slots, dst[:0])
		if want := referenceGSP(bids, quality, reserve, slots); !(len(ws) == 0 && len(want) == 0) && !reflect.DeepEqual(ws, want) {
			t.Fatalf("trial %d bids %v quality %v reserve %v slots %d:\n GSP       %+v\n reference %+v", trial, bids, quality, reserve, slots, ws, want)
		}
		q := func(i int) float64 {
			if quality == nil {
				return 1
			}
			return quality[i]
		}
		above := 0
		for _, b := range bids {
			if b >= reserve {
				above++
			}
		}
		if len(ws) > slots || len(ws) > above {
			t.Fatalf("trial %d: %d winners for %d slots and %d bids above reserve", trial, len(ws), slots, above)
		}
		if above == 1 && slots >= 1 && (len(ws) != 1 || ws[0].Price != reserve) {
			t.Fatalf("trial %d: single bidder above reserve %v: %+v, want it to pay the reserve", trial, reserve, ws)
		}
		seen := map[int]bool{}
		for k, w := range ws {
			if seen[w.Bidder] {
				t.Fatalf("trial %d: bidder %d wins twice", trial, w.Bidder)
			}
			seen[w.Bidder] = true
			if w.Price > w.Bid || w.Price < reserve || w.Bid != bids[w.Bidder] {
				t.Fatalf("trial %d winner %+v: want reserve %v <= price <= bid", trial, w, reserve)
			}
			if k > 0 {
				prev := ws[k-1]
				if bids[prev.Bidder]*q(prev.Bidder) < w.Bid*q(w.Bidder) {
					t.Fatalf("trial %d: winners out of rank order: %+v", trial, ws)
				}
			}
			// Bidding the price keeps the rank against the next participant: a
			// bid any lower by a cent would drop below the next score (or the reserve).
			if k+1 < len(ws) {
				next := ws[k+1]
				if (w.Price-0.01)*q(w.Bidder) >= bids[next.Bidder]*q(next.Bidder) && w.Price-0.01 >= reserve {
					t.Fatalf("trial %d winner %+v pays more than it needs to stay above %+v", trial, w, next)
				}
			}
		}
	}
}

func FuzzGSP(f *testing.F) {
	f.Add(1.0, 3.0, 2.0, 0.5, 1.0, 0.5, 0.5, 2)
	f.Add(2.0, 2.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1)
	f.Add(0.3, 1.2, 0.0, 1.0, 1.0, 1.0, 0.5, 3)
	f.Fuzz(func(t *testing.T, b0, b1, b2, q0, q1, q2, reserve float64, slots int) {
		bids, quality := []float64{b0, b1, b2}, []float64{q0, q1, q2}
		slots = slots % 5
		ws := GSP(bids, quality, reserve, slots, nil)
		if want := referenceGSP(bids, quality, reserve, slots); !(len(ws) == 0 && len(want) == 0) && !reflect.DeepEqual(ws, want) {
			t.Fatalf("GSP %+v, reference %+v", ws, want)
		}
		for _, w := range ws {
			if !(w.Price <= w.Bid) || !(w.Price >= max(reserve, 0)) {
				t.Fatalf("winner %+v with reserve %v", w, reserve)
			}
		}
	})
}

func TestGSPDoesNotAllocate(t *testing.T) {
	bids := []float64{0.9, 1.4, 0.2, 2.1, 1.1, 0.7, 1.8, 0.4}
	quality := []float64{1, 0.8, 1.2, 0.5, 1, 1.1, 0.9, 1}
	dst := make([]Winner, 0, 4)
	var rev float64
	allocs := testing.AllocsPerRun(200, func() {
		dst = GSP(bids, quality, 0.3, 3, dst[:0])
		rev = ExpectedGSPRevenueUSD(bids, quality, 0.3, 3, []float64{0.004, 0.003, 0.002})
	})
	if allocs != 0 || len(dst) != 3 || rev <= 0 {
		t.Errorf("%v allocations, %d winners, revenue %v; want 0 allocations", allocs, len(dst), rev)
	}
}

func TestExpectedGSPRevenue(t *testing.T) {
	// Winners pay 2 and 1 per click (see TestGSPExamples).
	if got := ExpectedGSPRevenueUSD([]float64{1, 3, 2}, nil, 0.5, 2, []float64{0.01, 0.005}); !near(got, 2*0.01+1*0.005) {
		t.Errorf("revenue = %v, want 0.025", got)
	}
	if got := ExpectedGSPRevenueUSD([]float64{0.1}, nil, 0.5, 1, []float64{0.01}); got != 0 {
		t.Errorf("no winner: revenue %v", got)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "1 CTRs for 2 slots") {
			t.Errorf("panic %v, want one naming the CTR count", r)
		}
	}()
	ExpectedGSPRevenueUSD([]float64{1}, nil, 0, 2, []float64{0.01})
}

func TestGSPQualityLengthMismatchPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "2 qualities for 3 bids") {
			t.Errorf("panic %v", r)
		}
	}()
	GSP([]float64{1, 2, 3}, []float64{1, 1}, 0, 1, nil)
}
