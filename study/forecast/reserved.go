package forecast

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"aiecon/hw"
	"aiecon/model/format"
)

// reservedTermYears is the term a reserved rate commits to unless the
// variant's procurement.term_years says otherwise. AWS sells Reserved
// Instances for 1 or 3 years and bills every hour of the term, whether or
// not an instance runs (AWS EC2 User Guide, "Reserved Instances" and "How
// Reserved Instances are applied", apply_ri.html). The catalog's reserved
// rates are the Neuron SDK's "RI-effective" rates, which state no term; at
// 38-43% of on-demand they fit 3-year terms (hw's riNote, an estimate), so
// a reservation at them is held 3 years; no 1-year rate at today's prices
// is public, so a 1-year term needs the plan's own rate (checkTerm,
// model.ReservedTerm).
const reservedTermYears = 3

// termYears is the variant's reservation term in years (reservedTermYears
// where procurement.term_years is unset).
func (vp *VariantPlan) termYears() int {
	if vp.Procurement.TermYears > 0 {
		return vp.Procurement.TermYears
	}
	return reservedTermYears
}

// IdleReservation is what a rented fleet at the reserved rate pays in a
// period for instances reserved earlier in their term and not needed now
// (Instances, an average over the period like INST; USD, what they cost,
// never below 0). RepricedUSD is apart: what billing, at the reserved
// rate, the instances the runs paid for at another rate (on demand) and
// ran on a reservation changes RENT by (below 0 where on-demand is
// dearer). RENT adds both; USD held both once, and read as a negative
// cost of idle instances after a step to on-demand. With a model mix, a
// reservation covers any matching instances of the main fleet and the
// pools (reservations), and Pools holds each pool's part, by name, where
// it has any: the idle instances it reserved and the repricing of its own
// instances (the main fleet's part is the rest).
type IdleReservation struct {
	Instances   float64                    `json:"instances"`
	USD         float64                    `json:"usd"`
	RepricedUSD float64                    `json:"repriced_usd,omitempty"`
	Pools       map[string]IdleReservation `json:"pools,omitempty"`
	// UpfrontUSD is, under procurement.payment: all-upfront, what paying
	// the reservations up front changes RENT by in the period: the terms
	// of those bought in it, less the hourly charges of those held, which
	// were paid when bought (upfront.go). The variant's, not split by pool.
	UpfrontUSD float64 `json:"upfront_usd,omitempty"`
	// BeyondUSD is the part of UpfrontUSD that pays for periods after the
	// forecast's last: a term bought in the period runs past the end.
	BeyondUSD float64 `json:"beyond_usd,omitempty"`
}

// add adds a fleet's part (the main fleet's: pool ""), naming a pool's.
func (r *IdleReservation) add(pool string, part IdleReservation) {
	if part.Instances <= 1e-9 && part.USD == 0 && part.RepricedUSD == 0 {
		return
	}
	r.Instances += part.Instances
	r.USD += part.USD
	r.RepricedUSD += part.RepricedUSD
	if pool == "" {
		return
	}
	if r.Pools == nil {
		r.Pools = map[string]IdleReservation{}
	}
	r.Pools[pool] = part
}

// reservation is a block of instances reserved together: N of Instance
// from period From, held termPeriods periods. Owners are the fleets that
// reserved it (the main fleet "", pools by name), their shares adding up
// to N: the fleets whose own reserved count outgrew what they had reserved
// before.
type reservation struct {
	Instance string
	N        float64
	From     int
	Owners   map[string]float64
}

// fleetTrack is one fleet a reservation may cover, the main fleet (name
// "") or a pool of a model mix: its rent steps, the count it reserves in
// period k at the reserved rate (reserve: the plan's, so that every shard
// reserves alike), and the instances its runs paid for in period k at
// another rate (paid: on demand, which a reservation of its instance
// covers).
type fleetTrack struct {
	name    string
	steps   []RentStep
	reserve func(k int) float64
	paid    func(k int) float64
	// commit is a fleet on demand's procurement.reserved (overflow.go):
	// commit.N of commit.Instance reserved in every period at
	// commit.USDPerHour whatever the fleet's pricing, which its instances
	// on demand run on first (paid: those that fit under it, slice by
	// slice).
	commit  *RentStep
	commitN float64
}

// reservedIdle is, by (variant, sample, period), what the rented fleets
// of a variant pay for reservations they do not use (reservations): the
// main fleet, where it is rented, and each pool of a model mix. paid holds
// the instances each pool's runs paid for, by (variant, sample, period)
// and pool (poolsPaid). A reservation is bought on the plan's counts
// alone (capacitySets, the pools' own), and a period's cover reads only
// its own runs, which a shard takes whole, so every shard of a split
// forecast computes the same figure for the periods it stores.
func (f *Forecast) reservedIdle(paid map[[3]int]map[string]float64) map[[3]int]IdleReservation {
	out := map[[3]int]IdleReservation{}
	for v, vp := range f.Variants {
		pools := f.poolTracks(vp)
		steps := f.rentSteps(vp)
		reserved := vp.Owned == nil && (reservedIn(steps) || vp.Procurement.Reserved > 0)
		for _, tr := range pools {
			reserved = reserved || reservedIn(tr.steps)
		}
		if !reserved {
			continue
		}
		for _, in := range f.samples() {
			var tracks []fleetTrack
			if vp.Owned == nil {
				tracks = append(tracks, f.mainTrack(vp, in, steps))
			}
			for _, name := range slices.Sorted(maps.Keys(pools)) {
				tracks = append(tracks, pools[name].track(name, paid, [2]int{v, in.Sample}))
			}
			for k, idle := range f.reservations(tracks, vp.termYears(), vp.Procurement.Payment == PaymentAllUpfront) {
				out[[3]int{v, in.Sample, k + 1}] = idle
			}
		}
	}
	return out
}

// reservedIn says whether any of a fleet's rent steps is at the reserved
// rate.
func reservedIn(steps []RentStep) bool {
	return slices.ContainsFunc(steps, func(st RentStep) bool { return st.Pricing == hw.PricingReserved })
}

// reservations walks the periods of a variant's fleets (tracks) and gives
// each period's idle reservation. AWS applies a reservation as a billing
// discount to any matching instance the account runs (AWS EC2 User Guide,
// "How Reserved Instances are applied", apply_ri.html), so reservations
// are kept by instance type across the main fleet and the pools, not by
// fleet: a pool renamed, or instances moved between a pool and the main
// fleet, run on what is already reserved. (The plan prices every fleet in
// one region, so the type is the whole match.) In a period, the fleets at
// the reserved rate reserve their counts (reserve); where these exceed
// what is still reserved of their instance, the rest is reserved from that
// period for the variant's term (years). The reservations cover those fleets first,
// then the instances the fleets on demand on the same instance paid for
// (paid), whose on-demand rent is taken back for the reserved rate. What
// is held and not covered is paid on top, at the instance's reserved rate
// in force (a roadmap price step on the same instance reprices the
// reservation). A step to another instance, or to spot or Capacity
// Blocks, leaves the old reservation paid to its term's end. A period
// without a step (a pool the roadmap removed: Pricing "") runs nothing.
func (f *Forecast) reservations(tracks []fleetTrack, years int, upfront bool) []IdleReservation {
	term := max(1, int(math.Round(float64(years)/f.PeriodYears)))
	out := make([]IdleReservation, f.Spec.Periods.Count)
	var held []reservation
	rate := map[string]float64{} // an instance's reserved rate, the latest in force
	for k := 1; k <= f.Spec.Periods.Count; k++ {
		held = slices.DeleteFunc(held, func(r reservation) bool { return k >= r.From+term })
		w := f.reservePeriod(tracks, k, held, rate)
		held = append(held, w.bought...)
		out[k-1] = f.coverPeriod(tracks, k, held, rate, w.reserved)
		if upfront {
			out[k-1].UpfrontUSD, out[k-1].BeyondUSD = f.upfrontShift(k, w.bought, held, rate, term)
		}
	}
	return out
}

// reserving is what a period's fleets at the reserved rate reserve: by
// track, its instance and count (reserved), and the blocks bought.
type reserving struct {
	reserved map[int]float64
	bought   []reservation
}

// reservePeriod sets each instance's reserved rate in period k (the mean
// of its fleets' rates at the reserved rate, weighted by their counts) and
// reserves, from k, what their counts need beyond what is held of it; the
// new block's owners are the fleets whose count outgrew what they had
// reserved, in proportion to it.
func (f *Forecast) reservePeriod(tracks []fleetTrack, k int, held []reservation, rate map[string]float64) reserving {
	w := reserving{reserved: map[int]float64{}}
	need := map[string]float64{}
	short := map[string]map[string]float64{} // by instance, each fleet's count beyond what it reserved
	usd := map[string][3]float64{}           // by instance: the rates weighted by count, the counts, the last rate
	for i, tr := range tracks {
		st, ok := stepAt(tr.steps, k)
		n := 0.0
		switch {
		case tr.commit != nil && ok && st.Instance != tr.commit.Instance:
			// The roadmap moved the fleet off the instance reserved: what is
			// held stays paid to its term's end, idle, but none is bought
			// again (it renewed a reservation no instance of the fleet ran).
			continue
		case tr.commit != nil:
			st, n = *tr.commit, tr.commitN // reserved, run or not; not at the rate in the runs (w.reserved)
		case !ok || st.Pricing != hw.PricingReserved:
			continue
		default:
			n = tr.reserve(k)
			w.reserved[i] = n
		}
		need[st.Instance] += n
		u := usd[st.Instance]
		usd[st.Instance] = [3]float64{u[0] + n*st.USDPerHour, u[1] + n, st.USDPerHour}
		if s := n - ownedOf(held, st.Instance, tr.name); s > 0 {
			if short[st.Instance] == nil {
				short[st.Instance] = map[string]float64{}
			}
			short[st.Instance][tr.name] += s
		}
	}
	for inst, u := range usd {
		rate[inst] = u[2]
		if u[1] > 0 {
			rate[inst] = u[0] / u[1]
		}
	}
	for _, inst := range slices.Sorted(maps.Keys(need)) {
		if n := need[inst] - heldOf(held, inst); n > 1e-9 {
			w.bought = append(w.bought, reservation{Instance: inst, N: n, From: k, Owners: shares(short[inst], n)})
		}
	}
	return w
}

// shares splits n over the owners in proportion to their weights.
func shares(weights map[string]float64, n float64) map[string]float64 {
	var sum float64
	for _, name := range slices.Sorted(maps.Keys(weights)) {
		sum += weights[name]
	}
	out := make(map[string]float64, len(weights))
	for name, wt := range weights {
		out[name] = n * wt / sum
	}
	return out
}

// coverPeriod is period k's idle reservation: the reservations held cover
// the fleets at the reserved rate (reserved, by track), then the
// instances the fleets on demand on a reserved instance paid for, whose
// rent is repriced from the on-demand price to the reserved rate; what is
// left of each instance's reservations is idle at its rate, each owner's
// part in proportion to what it reserved and does not run on it.
func (f *Forecast) coverPeriod(tracks []fleetTrack, k int, held []reservation, rate map[string]float64, reserved map[int]float64) IdleReservation {
	left := map[string]float64{}
	for _, r := range held {
		left[r.Instance] += r.N
	}
	parts := map[string]IdleReservation{}
	runs := map[[2]string]float64{} // by (instance, fleet), the instances covered
	for pass := range 2 {           // the fleets at the reserved rate first, then those on demand
		for i, tr := range tracks {
			st, ok := stepAt(tr.steps, k)
			n, atRate := reserved[i]
			if !ok || atRate != (pass == 0) || (!atRate && st.Pricing != hw.PricingOnDemand) || left[st.Instance] <= 1e-9 {
				continue
			}
			if !atRate {
				n = tr.paid(k)
			}
			cover := min(n, left[st.Instance])
			left[st.Instance] -= cover
			runs[[2]string{st.Instance, tr.name}] += cover
			if !atRate {
				p := parts[tr.name]
				usd := cover * (rate[st.Instance] - st.USDPerHour) * f.PeriodHours
				p.RepricedUSD += usd
				parts[tr.name] = p
			}
		}
	}
	for inst, n := range left {
		if n <= 1e-9 {
			continue
		}
		for name, idle := range shares(unrun(held, inst, runs), n) {
			p := parts[name]
			p.Instances += idle
			p.USD += idle * rate[inst] * f.PeriodHours
			parts[name] = p
		}
	}
	var out IdleReservation
	for _, name := range slices.Sorted(maps.Keys(parts)) {
		out.add(name, parts[name])
	}
	return out
}

// unrun is, by owner, what it reserved of inst and does not run on it
// (runs: the instances covered, by instance and fleet).
func unrun(held []reservation, inst string, runs map[[2]string]float64) map[string]float64 {
	owned := map[string]float64{}
	for _, r := range held {
		if r.Instance == inst {
			for name, n := range r.Owners {
				owned[name] += n
			}
		}
	}
	out := map[string]float64{}
	for name, n := range owned {
		if d := n - runs[[2]string{inst, name}]; d > 0 {
			out[name] = d
		}
	}
	return out
}

// stepAt is the rent step in force in period k; false before the first.
func stepAt(steps []RentStep, k int) (RentStep, bool) {
	var at RentStep
	ok := false
	for _, st := range steps {
		if st.From <= k {
			at, ok = st, true
		}
	}
	return at, ok
}

// heldOf counts the instances of inst still reserved.
func heldOf(held []reservation, inst string) float64 {
	var n float64
	for _, r := range held {
		if r.Instance == inst {
			n += r.N
		}
	}
	return n
}

// ownedOf counts the instances of inst still reserved by fleet name.
func ownedOf(held []reservation, inst, name string) float64 {
	var n float64
	for _, r := range held {
		if r.Instance == inst {
			n += r.Owners[name]
		}
	}
	return n
}

// meanRentedCount is a rented fleet's count in period k under sample
// inputs in, averaged over the day's slices (which run alike long), as
// capacitySets sets it.
func (f *Forecast) meanRentedCount(vp *VariantPlan, in Inputs, k int) float64 {
	_, volumes := f.periodSets(vp, in, k)
	var sum float64
	for s := 0; s < f.Spec.Day.Slices; s++ {
		n, _ := f.rentedCount(vp, k, volumes, s)
		sum += float64(n)
	}
	return sum / float64(f.Spec.Day.Slices)
}

// reservedIdleNote says in which periods RENT pays for reserved instances
// the fleet no longer uses, how many and what they cost (P50 over the
// samples): a reservation is paid to the end of its term, so a fleet at
// the reserved rate that shrank between periods kept paying, while the
// table counted only the instances it ran (30% of a seasonal year's rent
// in TestReservedIdleInRentAndNote's fleet). A model mix's pools at the
// reserved rate are paid alike, and each period names the pools' parts.
// The remedy names the pricing of the fleets that reserved the idle
// instances only: it named fleet.pricing where only a pool reserved. The
// cost is the idle instances' alone; the rent of instances run on demand
// on a reservation, billed at its rate, is said apart: folded in, it read
// as a negative cost of the idle instances after a step to on-demand. The
// stored lines are apart as well: reserved_idle_usd the idle instances'
// cost, reserved_repriced_usd the repricing.
func (r *Report) reservedIdleNote(variant string) string {
	parts, total, paths := r.reservedIdle(variant)
	if len(parts) == 0 {
		return r.coveredNote(variant)
	}
	what, whom := "the fleet shrinks", "the fleet"
	switch main := slices.Contains(paths, "fleet.pricing"); {
	case main && len(paths) > 1:
		what, whom = "the fleet or a pool shrinks", "the fleet or the pool"
	case !main && len(paths) > 1:
		what, whom = "a pool shrinks", "the pools"
	case !main:
		what, whom = "a pool shrinks", "the pool"
	}
	repriced := r.repricedWords(variant)
	stored := []string{"reserved_idle_instances", "reserved_idle_usd"}
	if repriced != "" && !r.idleStoredNet {
		stored = append(stored, "reserved_repriced_usd")
	}
	if fe := r.fleet(variant); fe != nil && fe.Reserved > 0 {
		return r.overflowIdleNote(variant, fe.Reserved, parts, total, repriced, stored)
	}
	return fmt.Sprintf("RESERVED INSTANCES IDLE: the reserved rate is a committed price, paid for every hour of the reservation's "+
		"term (%s) whether the instance runs or not, "+
		"so instances reserved for a busier period earlier in the term stay paid when %s: %s "+
		"instances held and not run, %s; $%s in all.%s Price %s by the hour from the start (%s: on-demand), as a step to on-demand "+
		"where demand falls ends no reservation, or compare with it.%s", r.termWords(variant), what, r.idlePaidWords(variant), strings.Join(parts, ", "),
		money(total), repriced, whom, strings.Join(paths, ", "), r.storedAs(stored...))
}

// idlePaidWords say where RENT holds the idle reserved instances' cost,
// before "instances held and not run": in the period they are held, or,
// paid all up front (upfrontNote), in the period each term was bought,
// where the note said RENT included them in periods whose RENT was $0.
func (r *Report) idlePaidWords(variant string) string {
	if len(r.periodP50s(variant, func(p Period) float64 { return p.ReservedUpfrontUSD })) > 0 {
		return fmt.Sprintf("%s, in the %s each term was bought (procurement.payment: all-upfront), paid for the reserved",
			r.words().rent, r.PeriodLen)
	}
	return r.words().rent + " includes the reserved"
}

// coveredNote is RESERVED INSTANCES RUN ON DEMAND, where the fleets on
// demand on a reserved instance type run every instance reserved, none
// idle: RENT bills them at the reserved rate, not the on-demand price the
// runs paid, as RESERVED INSTANCES IDLE says where some are idle, and
// where none was, nothing said why RENT was not what the runs paid. The
// repricing is stored as reserved_repriced_usd (reserved_idle_usd is 0
// here: nothing is idle). "" where nothing is repriced.
func (r *Report) coveredNote(variant string) string {
	repriced := r.repricedWords(variant)
	if repriced == "" {
		return ""
	}
	if fe := r.fleet(variant); fe != nil && fe.Reserved > 0 {
		return fmt.Sprintf("RESERVED INSTANCES RUN ON DEMAND: every instance reserved runs, none idle.%s procurement.reserved (%d) holds "+
			"them reserved%s every hour of the term (%s), and the demand above them runs on demand.%s", repriced, fe.Reserved,
			reservedAt(fe), r.termWords(variant), r.storedAs("reserved_repriced_usd"))
	}
	return fmt.Sprintf("RESERVED INSTANCES RUN ON DEMAND: every instance reserved runs, none idle.%s A step to on-demand ends no "+
		"reservation: what was reserved stays billed at the reserved rate to its term's end (%s), run or not.%s",
		repriced, r.termWords(variant), r.storedAs("reserved_repriced_usd"))
}

// termWords say how long a variant's reservations are held: the term its
// procurement.term_years gives, or, unset, the 3 years the catalog's
// rates fit.
func (r *Report) termWords(variant string) string {
	fe := r.fleet(variant)
	switch {
	case fe != nil && fe.TermYears > 0:
		return format.Plural(fe.TermYears, "year") + ", procurement.term_years"
	case fe != nil && fe.ReservedRateSource == "procurement.reserved_usd_per_hour":
		// The plan's rate: the catalog's say nothing of its term.
		return fmt.Sprintf("%d years, procurement.term_years unset", reservedTermYears)
	}
	return fmt.Sprintf("taken as %d years: the catalog's RI-effective rates state none and fit 3-year terms", reservedTermYears)
}

// repricedWords say, after RESERVED INSTANCES IDLE's idle instances, what
// RENT takes off (or adds to) the runs' on-demand rent for the instances
// that ran on a reservation, by period (P50 over the samples); "" where
// none did.
func (r *Report) repricedWords(variant string) string {
	var parts []string
	for _, m := range r.periodP50s(variant, func(p Period) float64 { return p.ReservedRepricedUSD }) {
		more := "less"
		if m.usd > 0 {
			more = "more" // a plan's on-demand price below the reserved rate
		}
		parts = append(parts, fmt.Sprintf("$%s %s in %s %d", money(math.Abs(m.usd)), more, r.PeriodLen, m.period))
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf(" Instances run on demand on a reserved instance type use its reservations (a reservation is a billing "+
		"discount on matching instances), so %s bills them at the reserved rate, not the on-demand price the runs paid: %s.",
		r.words().rent, strings.Join(parts, ", "))
}

// fleetPricingPaths are the pricing paths of the fleets that hold idle
// reservations: fleet.pricing (main) and "pools[small].fleet.pricing".
func fleetPricingPaths(main bool, pools []string) []string {
	var paths []string
	if main {
		paths = append(paths, "fleet.pricing")
	}
	for _, p := range pools {
		paths = append(paths, "pools["+p+"].fleet.pricing")
	}
	return paths
}

// reservedIdle words, per period whose RENT pays for reserved instances
// not run, how many and what they cost (P50 over the samples; the idle
// instances' cost, without the repricing of instances run on them), with
// each pool's part where a model mix's pools reserved any ("5 in quarter
// 2 ($89.8k; pool small: 3, $53.9k)"), and sums the cost; no parts where
// there are none. paths are the pricing paths of the fleets with a part
// (fleetPricingPaths), the main fleet's first, then the pools' in name
// order.
func (r *Report) reservedIdle(variant string) (parts []string, total float64, paths []string) {
	var pools []string
	main := false
	for _, s := range r.Summary {
		if s.Variant != variant {
			continue
		}
		n := make([]float64, len(s.Periods))
		usd := make([]float64, len(s.Periods))
		own := make([]float64, len(s.Periods)) // the main fleet's part
		for i, p := range s.Periods {
			n[i], usd[i], own[i] = p.ReservedIdle, p.ReservedIdleUSD, p.ReservedIdle
			for _, pool := range p.ReservedIdlePools {
				own[i] -= pool.Instances
			}
		}
		if idle := float64(quantile(n, 0.5)); idle > 1e-9 {
			m := float64(quantile(usd, 0.5))
			total += m
			part := fmt.Sprintf("%s in %s %d ($%s", instances(idle), r.PeriodLen, s.Period, money(m))
			main = main || float64(quantile(own, 0.5)) > 1e-9
			for _, pool := range poolNames(s.Periods) {
				if pn, pusd := poolIdle(s.Periods, pool); pn > 1e-9 {
					part += fmt.Sprintf("; pool %s: %s, $%s", r.poolLabel(variant, pool), instances(pn), money(pusd))
					if !slices.Contains(pools, pool) {
						pools = append(pools, pool)
					}
				}
			}
			parts = append(parts, part+")")
		}
	}
	slices.Sort(pools)
	return parts, total, fleetPricingPaths(main || len(pools) == 0, pools)
}

// poolNames are the pools with an idle reservation in any of a period's
// samples, in name order.
func poolNames(ps []Period) []string {
	var names []string
	for _, p := range ps {
		for name := range p.ReservedIdlePools {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return names
}

// poolIdle is a pool's idle reservation in a period, its instances and
// what they cost (without the repricing of its instances run on a
// reservation), P50 over the samples (0 in a sample where it holds none).
func poolIdle(ps []Period, pool string) (n, usd float64) {
	ns := make([]float64, len(ps))
	usds := make([]float64, len(ps))
	for i, p := range ps {
		idle := p.ReservedIdlePools[pool]
		ns[i], usds[i] = idle.Instances, idle.USD
	}
	return float64(quantile(ns, 0.5)), float64(quantile(usds, 0.5))
}

// netIdle puts a report back in the form of one stored before
// reserved_idle_usd was split from the repricing (grossIdle's inverse):
// each period's ReservedIdleUSD (and each pool's USD) holds the sum
// again, and ReservedIdleGross is false, so that grossIdle, reading it,
// takes the repricing out once. The bands are the caller's to redo.
func (r *Report) netIdle() {
	if !r.ReservedIdleGross {
		return
	}
	for i := range r.Summary {
		for j := range r.Summary[i].Periods {
			p := &r.Summary[i].Periods[j]
			p.ReservedIdleUSD += p.ReservedRepricedUSD
			for name, pool := range p.ReservedIdlePools {
				pool.USD += pool.RepricedUSD
				p.ReservedIdlePools[name] = pool
			}
		}
	}
	r.ReservedIdleGross = false
}

// grossIdle makes a report stored before Report.ReservedIdleGross read as
// one stored after it: its periods' ReservedIdleUSD (and each pool's USD)
// held the repricing of the instances run on a reservation too, which
// samples_detail gives apart, so it is taken back out, and the bands of
// the two lines are banded anew from the samples. Its stored period rows
// keep the sum, and have no reserved_repriced_usd (idleStoredNet: the
// note names no such line; compare --forecast says so, netIdleCaveat).
func (r *Report) grossIdle() {
	if r.ReservedIdleGross {
		return
	}
	r.idleStoredNet = true
	for i := range r.Summary {
		s := &r.Summary[i]
		for j := range s.Periods {
			p := &s.Periods[j]
			p.ReservedIdleUSD -= p.ReservedRepricedUSD
			for name, pool := range p.ReservedIdlePools {
				pool.USD -= pool.RepricedUSD
				p.ReservedIdlePools[name] = pool
			}
		}
		if len(s.Periods) == 0 {
			continue
		}
		banded := Summarize(s.Periods)[0].Bands
		if s.Bands == nil {
			s.Bands = map[string]Band{}
		}
		for _, m := range []string{"reserved_idle_usd", "reserved_repriced_usd"} {
			s.Bands[m] = banded[m]
		}
	}
	r.ReservedIdleGross = true
}
