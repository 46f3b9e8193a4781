package forecast

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
)

// poolTrack is one pool of a model mix as reservations reads it: its rent
// steps, the instances it reserves in each period at the reserved rate
// (poolCount) and the fewest it may run there (poolFloor).
type poolTrack struct {
	steps  []RentStep
	counts []float64
	floors []float64
	// scaled: the least autoscale.min and the most autoscale.max of the
	// periods in which the pool's own autoscaler moves it at the reserved
	// rate; zero where it never does. bounds are each period's, zero in a
	// period where it does not.
	scaled [2]int
	bounds [][2]int
	// names are the pool's name in each period, "" where it is absent:
	// a roadmap may rename it (pools[NAME].name), and its runs give its
	// instances under the name it runs under (paid).
	names []string
}

// nameIn is the pool's name in period k, "" where it is absent.
func (tr *poolTrack) nameIn(k int) string {
	if k < 1 || k > len(tr.names) {
		return ""
	}
	return tr.names[k-1]
}

// track is the pool's fleetTrack, named name, of a variant and sample (at:
// their indexes in paid's keys). On demand, a reservation of its instance
// covers what the runs paid for: their mean of the pool's instances
// (paid, poolsPaid). An autoscaled pool reserves autoscale.max, but its
// runs pay for its mean count, so taking back the on-demand rent of
// autoscale.max instances took back rent the runs never paid, and a pool
// stepping to on-demand read a negative RENT. Where the runs do not say
// (a period's runs without the pool's figure), it is the fewest the pool
// may run (poolFloor), so that no more is taken back than was paid.
func (tr *poolTrack) track(name string, paid map[[3]int]map[string]float64, at [2]int) fleetTrack {
	return fleetTrack{name: name, steps: tr.steps,
		reserve: func(k int) float64 { return tr.counts[k-1] },
		paid: func(k int) float64 {
			if n, ok := paid[[3]int{at[0], at[1], k}][tr.nameIn(k)]; ok {
				return n
			}
			return tr.floors[k-1]
		}}
}

// poolsPaid are, by (variant, sample, period) and pool, the instances the
// period's runs paid for in each pool of a model mix: the runs' means
// (RunResult.PoolInstances) weighted by their simulated hours. A pool is
// left out of a period where any of its runs lacks the figure.
func poolsPaid(groups map[groupKey][]RunResult) map[[3]int]map[string]float64 {
	out := map[[3]int]map[string]float64{}
	for g, runs := range groups {
		if len(runs) == 0 {
			continue
		}
		var hours float64
		sum := map[string]float64{}
		for name := range runs[0].PoolInstances {
			sum[name] = 0
		}
		for _, r := range runs {
			hours += r.SimHours
			for name := range sum {
				n, ok := r.PoolInstances[name]
				if !ok {
					delete(sum, name)
					continue
				}
				sum[name] += n * r.SimHours
			}
		}
		if len(sum) == 0 || hours <= 0 {
			continue
		}
		for name := range sum {
			sum[name] /= hours
		}
		out[[3]int{g.v, g.s, g.k}] = sum
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
// nothing, and its reservation is idle to its term's end. A pool the
// roadmap renames (pools[NAME].name, or its model where it has no name)
// keeps its track, under the name it had first (poolKeys), so that what
// it reserved under its old name is its own: as two pools, its old name
// was charged with every instance it had reserved and the renamed pool
// ran nothing of it, so a period's idle instances were split wrongly
// between it and the other fleets that reserved the type.
func (f *Forecast) poolTracks(vp *VariantPlan) map[string]*poolTrack {
	tracks := map[string]*poolTrack{}
	keep := func(set string) bool { return strings.HasPrefix(set, "pools") || strings.HasPrefix(set, "routing") }
	var keys poolKeys
	for k := 1; k <= f.Spec.Periods.Count; k++ {
		sc := f.scenarioIn(vp, k, keep)
		for _, tr := range tracks {
			tr.counts, tr.floors, tr.names = append(tr.counts, 0), append(tr.floors, 0), append(tr.names, "")
			tr.bounds = append(tr.bounds, [2]int{})
			if sc == nil && k > 1 {
				tr.counts[k-1], tr.floors[k-1], tr.names[k-1] = tr.counts[k-2], tr.floors[k-2], tr.names[k-2]
				tr.bounds[k-1] = tr.bounds[k-2]
			}
		}
		if sc == nil {
			continue
		}
		seen := map[string]bool{}
		for i, key := range keys.of(sc.Pools) {
			p := sc.Pools[i]
			tr := tracks[key]
			if tr == nil {
				tr = &poolTrack{counts: make([]float64, k), floors: make([]float64, k), names: make([]string, k), bounds: make([][2]int, k)}
				tracks[key] = tr
			}
			seen[key] = true
			tr.names[k-1] = p.Name
			usd, _ := fleetRentOK(&p.Fleet)
			tr.steps = appendStep(tr.steps, fleetStep(k, p.Fleet, usd))
			tr.counts[k-1], tr.floors[k-1] = poolCount(p.Fleet), poolFloor(p.Fleet)
			tr.scale(p.Fleet, tr.steps[len(tr.steps)-1], k)
		}
		for name, tr := range tracks {
			if !seen[name] {
				tr.steps = appendStep(tr.steps, RentStep{From: k})
			}
		}
	}
	return tracks
}

// poolKeys names each pool's track over the periods: the first name of
// the pool in its place. A plan's sets set a field of a pool, never a
// whole list or pool (setEntries refuses them), so the pools keep the
// base's number and order in every period, and the pool in a place is one
// pool throughout, whatever names it takes: by pools[NAME].name or
// pools[PLACE].name, or, unnamed, by a set of its model (a pool is named
// after its model by default). Renames read from the sets missed the
// last: an unnamed pool given another model became a new pool, its
// reservation idle under the old name; and a pool that took, so, a
// renamed pool's old name in a later period took the renamed pool's
// track, by that name, with its reservations.
type poolKeys struct {
	keys []string        // by place, the track of the pool there
	used map[string]bool // every track named so far
}

// of are the tracks of a period's pools, by place. A list of another
// length than the period before's (which no plan can set today) is set
// anew: its pools start tracks of their own, under their names, "NAME
// (new)" where an earlier pool's track has it.
func (pk *poolKeys) of(pools []model.Pool) []string {
	if pk.keys == nil || len(pools) != len(pk.keys) {
		if pk.used == nil {
			pk.used = map[string]bool{}
		}
		pk.keys = make([]string, len(pools))
		for i, p := range pools {
			key := p.Name
			for pk.used[key] {
				key += " (new)"
			}
			pk.keys[i], pk.used[key] = key, true
		}
	}
	return slices.Clone(pk.keys)
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

// poolFloor is the fewest instances a pool may run in a period: its count,
// or its autoscaler's least (autoscale.min).
func poolFloor(fl model.Fleet) float64 {
	if fl.Autoscale != nil {
		return float64(min(fl.Count, fl.Autoscale.Min))
	}
	return float64(fl.Count)
}

// scale widens the pool's scaled bounds by fleet fl's autoscaler where it
// moves the pool at the reserved rate (st, the step in force) in period k,
// and keeps them as period k's.
func (tr *poolTrack) scale(fl model.Fleet, st RentStep, k int) {
	a := fl.Autoscale
	if a == nil || a.Min >= a.Max || st.Pricing != hw.PricingReserved {
		return
	}
	tr.bounds[k-1] = [2]int{a.Min, a.Max}
	if tr.scaled[1] == 0 || a.Min < tr.scaled[0] {
		tr.scaled[0] = a.Min
	}
	tr.scaled[1] = max(tr.scaled[1], a.Max)
}

// AutoscaledPool is a model mix's pool at the reserved rate whose own
// autoscaler moves it within a slice, between Min and Max instances (the
// least autoscale.min and the most autoscale.max of those periods).
// MinByPeriod and MaxByPeriod are each period's autoscale.min and .max, 0
// in a period where the autoscaler does not move it at the reserved rate:
// a roadmap may change them, and the note gave the most alone, as if the
// forecast reserved it from period 1. A report stored before they were
// kept has none.
type AutoscaledPool struct {
	Pool        string `json:"pool"`
	Min         int    `json:"min"`
	Max         int    `json:"max"`
	MinByPeriod []int  `json:"min_by_period,omitempty"`
	MaxByPeriod []int  `json:"max_by_period,omitempty"`
}

// maxSteps is the pool's autoscale.max by period where a roadmap changes
// it, one part a run of periods alike ("5", "in quarters 1-2"; "8", "in
// quarter 3"), so that no comma mixes with the list of pools it sits in;
// nil where it is one throughout (or a stored report does not say).
func (r *Report) maxSteps(p AutoscaledPool) [][2]string {
	var parts [][2]string
	seen := map[int]bool{}
	for i := 0; i < len(p.MaxByPeriod); {
		j, n := i, p.MaxByPeriod[i]
		for j+1 < len(p.MaxByPeriod) && p.MaxByPeriod[j+1] == n {
			j++
		}
		if n > 0 {
			seen[n] = true
			parts = append(parts, [2]string{strconv.Itoa(n), "in " + r.periodList(periodRange(i+1, j+1))})
		}
		i = j + 1
	}
	if len(seen) < 2 {
		return nil
	}
	return parts
}

// joinSteps writes maxSteps's parts, the first's count followed by what:
// "5 in pool small in quarters 1-2 then 8 in quarter 3".
func joinSteps(steps [][2]string, what string) string {
	var b strings.Builder
	for i, st := range steps {
		if i > 0 {
			b.WriteString(" then ")
		}
		b.WriteString(st[0])
		if i == 0 && what != "" {
			b.WriteString(" " + what)
		}
		b.WriteString(" " + st[1])
	}
	return b.String()
}

// periodRange is periods from to to, ascending.
func periodRange(from, to int) []int {
	var out []int
	for k := from; k <= to; k++ {
		out = append(out, k)
	}
	return out
}

// unrunPeak is the most reserved instances the autoscaler may leave unrun
// below the peak an hour in one period: the largest max - min of a
// period, which Max - Min overstates where the two come from different
// periods; Max - Min for a stored report that does not say.
func (p AutoscaledPool) unrunPeak() int {
	if len(p.MaxByPeriod) == 0 || len(p.MinByPeriod) != len(p.MaxByPeriod) {
		return p.Max - p.Min
	}
	most := 0
	for k, hi := range p.MaxByPeriod {
		most = max(most, hi-p.MinByPeriod[k])
	}
	return most
}

// reservedAutoscaled are a variant's AutoscaledPools, from its pools'
// tracks (poolTracks), in name order; nil where none.
func reservedAutoscaled(tracks map[string]*poolTrack) []AutoscaledPool {
	var out []AutoscaledPool
	for _, name := range slices.Sorted(maps.Keys(tracks)) {
		if sc := tracks[name].scaled; sc[1] > 0 {
			ap := AutoscaledPool{Pool: name, Min: sc[0], Max: sc[1]}
			for _, b := range tracks[name].bounds {
				ap.MinByPeriod, ap.MaxByPeriod = append(ap.MinByPeriod, b[0]), append(ap.MaxByPeriod, b[1])
			}
			out = append(out, ap)
		}
	}
	return out
}

// PoolRename is a model mix's pool that the roadmap renames (pools[NAME].name):
// its first name (Pool), under which its reservations are kept and
// reported, since the reservations were bought under it and the remedy
// "from the start" prices pools[Pool], and the name it takes (Name) from
// period From.
type PoolRename struct {
	Pool string `json:"pool"`
	Name string `json:"name"`
	From int    `json:"from"`
}

// poolRenames are a variant's PoolRenames, from its pools' tracks
// (poolTracks), by first name and period; nil where none.
func poolRenames(tracks map[string]*poolTrack) []PoolRename {
	var out []PoolRename
	for _, pool := range slices.Sorted(maps.Keys(tracks)) {
		was := pool
		for k, name := range tracks[pool].names {
			if name != "" && name != was {
				out = append(out, PoolRename{Pool: pool, Name: name, From: k + 1})
				was = name
			}
		}
	}
	return out
}

// poolLabel names pool (its first name) as the report does, with the
// names a roadmap gives it ("small (tiny from quarter 2)"), so that a pool
// known by its new name in the periods it reads is recognised.
func (r *Report) poolLabel(variant, pool string) string {
	fe := r.fleet(variant)
	if fe == nil {
		return pool
	}
	var then []string
	for _, rn := range fe.PoolRenames {
		if rn.Pool == pool {
			then = append(then, fmt.Sprintf("%s from %s %d", rn.Name, r.PeriodLen, rn.From))
		}
	}
	if len(then) == 0 {
		return pool
	}
	return pool + " (" + strings.Join(then, ", ") + ")"
}

// reservedPoolsNote is RESERVED FLEET SIZED BY SLICE for the pools whose
// own autoscaler moves them at the reserved rate. A reservation is bought
// for a count fixed ahead of the day, and the only count the plan fixes
// that covers every instance the autoscaler may start at the rate the
// runs were priced at is autoscale.max, so the forecast reserves that and
// keeps each reservation for its term (poolCount): only what it holds above
// a later period's autoscale.max is idle. RENT pays, in those periods,
// the instances the runs paid for on average, so the reserved instances
// the autoscaler leaves unrun below the peak (as many as max - min an
// hour) are left out. The note said it "reserves autoscale.max" without
// the count or why, and named a renamed pool by its first name alone
// (poolLabel names it as the other notes do). after is whether it follows
// the main fleet's note.
func (r *Report) reservedPoolsNote(fe *FleetEconomy, after bool) string {
	if fe == nil || len(fe.ReservedAutoscaled) == 0 {
		return ""
	}
	var which, held, unrun, peak, hourly []string
	for i, p := range fe.ReservedAutoscaled {
		moved := ""
		if i == 0 {
			moved = ", moved by its own autoscaler, runs"
		}
		which = append(which, fmt.Sprintf("pool %s%s %d to %d instances", r.poolLabel(fe.Variant, p.Pool), moved, p.Min, p.Max))
		unrun = append(unrun, fmt.Sprintf("%d in pool %s", p.unrunPeak(), p.Pool))
		hourly = append(hourly, fmt.Sprintf("pools[%s].fleet.pricing", p.Pool))
		if steps := r.maxSteps(p); steps != nil {
			held = append(held, joinSteps(steps, "in pool "+p.Pool))
			peak = append(peak, fmt.Sprintf("pools[%s].fleet.autoscale.min: %s", p.Pool, joinSteps(steps, "")))
			continue
		}
		held = append(held, fmt.Sprintf("%d in pool %s", p.Max, p.Pool))
		peak = append(peak, fmt.Sprintf("pools[%s].fleet.autoscale.min: %d", p.Pool, p.Max))
	}
	head := "RESERVED FLEET SIZED BY SLICE: "
	if after {
		head = "Likewise, "
	}
	return fmt.Sprintf("%s%s at the reserved rate as each slice of the day needs them, but a reservation is bought ahead of the day "+
		"for a fixed count, so following the day's curve means reserving its peak: the forecast reserves autoscale.max (%s), the "+
		"fewest that cover every instance the autoscaler may start at the reserved rate, and keeps each reservation for its term (only "+
		"what it holds above a later period's autoscale.max is idle), but %s pays only the instances the runs paid for on average, "+
		"not the reserved instances the autoscaler leaves unrun below the peak (up to %s an hour), so it is understated. "+
		"Reserve the peak (%s), or price the pool by the hour (%s: on-demand or spot).",
		head, format.ListAnd(which), format.ListAnd(held), r.words().rent, format.ListAnd(unrun), strings.Join(peak, ", "),
		strings.Join(hourly, ", "))
}
