package forecast

import (
	"strings"

	"aiecon/model"
)

// poolTrack is one pool of a model mix as reservations reads it: its rent
// steps and the instances it runs in each period.
type poolTrack struct {
	steps  []RentStep
	counts []float64
}

// poolReservations are, by pool name, the idle reservations of each pool
// of a variant's model mix that pays the reserved rate in some period, by
// period (reservations, as for the main fleet); nil where none does. A
// pool keeps the count its scenario gives it (the variant's and the
// roadmap's sets of it), the same in every sample, so they are walked once.
func (f *Forecast) poolReservations(vp *VariantPlan) map[string][]IdleReservation {
	var out map[string][]IdleReservation
	for name, tr := range f.poolTracks(vp) {
		if !reservedIn(tr.steps) {
			continue
		}
		if out == nil {
			out = map[string][]IdleReservation{}
		}
		out[name] = f.reservations(tr.steps, func(k int) float64 { return tr.counts[k-1] })
	}
	return out
}

// poolTracks are the pools of a variant's scenario over the periods, by
// name: each period's instance, pricing and price (fleetStep) and count
// (poolCount), under the variant's sets and the pools' and routing's sets
// of its roadmap so far (a pool's count changes with
// pools[NAME].fleet.count). A period whose scenario does not load keeps
// the one before (Execute refuses it); one without the pool (a roadmap
// that replaced the pools) gives it a step without pricing: it runs
// nothing, and its reservation is idle to its term's end.
func (f *Forecast) poolTracks(vp *VariantPlan) map[string]*poolTrack {
	tracks := map[string]*poolTrack{}
	keep := func(set string) bool { return strings.HasPrefix(set, "pools") || strings.HasPrefix(set, "routing") }
	for k := 1; k <= f.Spec.Periods.Count; k++ {
		sc := f.scenarioIn(vp, k, keep)
		for _, tr := range tracks {
			tr.counts = append(tr.counts, 0)
			if sc == nil && k > 1 {
				tr.counts[k-1] = tr.counts[k-2]
			}
		}
		if sc == nil {
			continue
		}
		seen := map[string]bool{}
		for _, p := range sc.Pools {
			tr := tracks[p.Name]
			if tr == nil {
				tr = &poolTrack{counts: make([]float64, k)}
				tracks[p.Name] = tr
			}
			seen[p.Name] = true
			usd, _ := fleetRentOK(&p.Fleet)
			tr.steps = appendStep(tr.steps, fleetStep(k, p.Fleet, usd))
			tr.counts[k-1] = poolCount(p.Fleet)
		}
		for name, tr := range tracks {
			if !seen[name] {
				tr.steps = appendStep(tr.steps, RentStep{From: k})
			}
		}
	}
	return tracks
}

// poolCount is the instances a pool holds in a period: its count, or,
// where its own autoscaler moves it within a slice, the most it may reach
// (autoscale.max): a reservation is bought ahead of the day, so a pool
// that follows the day reserves its peak (RESERVED FLEET SIZED BY SLICE
// says as much of the main fleet); the instances the runs leave below it
// are not counted idle, only those held above it.
func poolCount(fl model.Fleet) float64 {
	if fl.Autoscale != nil {
		return float64(max(fl.Count, fl.Autoscale.Max))
	}
	return float64(fl.Count)
}
