package forecast

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"aiecon/model"
	"aiecon/model/econ"
	"aiecon/model/format"
	"aiecon/study"
)

// Procurement modes.
const (
	Owned  = "owned"
	Rented = "rented"
)

func (f *Forecast) resolveVariants(s *source) {
	seen := map[string]bool{}
	for i, v := range f.Spec.Variants {
		at := fmt.Sprintf("variants[%d]", i)
		if v.Name == "" {
			s.errf(at+".name", "missing: every variant needs a name")
		} else if msg := model.BadLabel(v.Name); msg != "" {
			s.errf(at+".name", "%s", msg)
		} else if seen[v.Name] {
			s.errf(at+".name", "%q: variant names must be unique", v.Name)
		}
		seen[v.Name] = true
		if msg := model.BadDescription(v.Description); msg != "" {
			s.errf(at+".description", "%s", msg)
		}
		if _, err := setStrings(v.Set); err != nil {
			s.errf(at+".set", "%v", err)
		}
		checkSliceFields(s, at+".set", v.Set)
		f.checkRoadmap(s, at+".roadmap", v.Roadmap)
		vp := &VariantPlan{Variant: v, Instance: f.instanceOf(v), BaseCount: f.Base.Scenario.Fleet.Count, at: at}
		if n, ok := fleetCount(s, at+".set", v.Set); ok {
			vp.BaseCount = n // an owned fleet's is its servers in service (a set shared with a rented variant may give one)
		}
		switch v.Procurement.Mode {
		case Owned:
			f.resolveOwned(s, at, vp)
		case Rented:
			f.checkRented(s, at, vp)
		default:
			s.errf(at+".procurement.mode", "%q: want owned or rented", v.Procurement.Mode)
		}
		f.Variants = append(f.Variants, vp)
	}
}

// hasKey says whether a set gives path.
func hasKey(set yaml.MapSlice, path string) bool {
	for _, it := range set {
		if fmt.Sprint(it.Key) == path {
			return true
		}
	}
	return false
}

// fleetCount is the fleet.count a variant's set gives
// (ok false when it gives none or a bad one, which is recorded at its
// line). A rented fleet scales this count with demand, and capacitySets
// overrides the value written, so no scenario load would ever see it:
// "abc" and 1e18 fell back to the base count and -5 was clamped to
// procurement.min, without a word.
func fleetCount(s *source, at string, set yaml.MapSlice) (n int, ok bool) {
	for _, it := range set {
		if fmt.Sprint(it.Key) != "fleet.count" {
			continue
		}
		x, err := strconv.Atoi(fmt.Sprint(it.Value))
		if err != nil || x < 1 || x > model.MaxInstances {
			s.errfAt(at+".'fleet.count'", at+".fleet.count", "%s: want a whole number of instances from 1 to %d", inlineValue(it.Value), model.MaxInstances)
			return 0, false
		}
		n, ok = x, true
	}
	return n, ok
}

// inlineValue is a value the file writes, as one line of YAML ({a: 1},
// [1, 2], null, "a\tb"), for a message that names it: Go's form of it read
// map[a:1], [1 2] and <nil>, notations the file does not use, and wrote a
// string's tab raw.
func inlineValue(v any) string {
	b, err := model.MarshalYAML(v, yaml.Flow(true))
	if text := strings.TrimSpace(string(b)); err == nil && !strings.Contains(text, "\n") {
		return text
	}
	return format.Typed(fmt.Sprint(v))
}

// resolveOwned works out the servers in service each period and the
// ownership economics of an owned fleet.
func (f *Forecast) resolveOwned(s *source, at string, vp *VariantPlan) {
	p := vp.Procurement
	pat := at + ".procurement"
	n := f.Spec.Periods.Count
	if p.Initial < 1 || p.Initial > model.MaxInstances {
		s.errf(pat+".initial", "%d: an owned fleet starts with 1 to %d servers in service", p.Initial, model.MaxInstances)
	}
	if p.LeadTime < 0 || p.Burst < 0 || s.given(pat+".min") || s.given(pat+".max") {
		s.errf(pat, "owned: lead_time and burst must be >= 0; min and max are for rented fleets (burst bounds the rented top-up)")
	}
	vp.Cohorts = []Order{{Period: 1, Servers: p.Initial}}
	total := max(p.Initial, 0) // servers bought so far, in the orders' order
	for j, o := range p.Orders {
		oat := fmt.Sprintf("%s.orders[%d]", pat, j)
		if o.Period < 1 || o.Period > n || o.Servers < 1 {
			s.errf(oat, "period %d, %d servers: want a period in 1..%d and at least one server", o.Period, o.Servers, n)
			continue
		}
		// The servers in service are a run's fleet.count, which a
		// scenario bounds: past it, a period's run failed naming an
		// internal --set of the sum.
		if o.Servers > model.MaxInstances-total {
			s.errf(oat+".servers", "%d: with the %d servers bought before it, past the %d a fleet may have (%s)",
				o.Servers, total, model.MaxInstances, serversLeft(total))
			continue
		}
		total += o.Servers
		if o.Period+p.LeadTime <= n { // later deliveries fall outside the forecast
			vp.Cohorts = append(vp.Cohorts, Order{Period: o.Period + p.LeadTime, Servers: o.Servers})
		}
	}
	if p.Burst > model.MaxInstances-total { // a run's fleet.autoscale.max is its servers and the burst
		s.errf(pat+".burst", "%d: beside the %d servers bought, past the %d instances a fleet may have (%s)",
			p.Burst, total, model.MaxInstances, serversLeft(total))
	}
	vp.Servers = make([]int, n)
	for k := 1; k <= n; k++ {
		for _, c := range vp.Cohorts {
			if c.Period <= k {
				vp.Servers[k-1] += c.Servers
			}
		}
	}
	spot := false // a roadmap step prices the fleet as spot
	for _, step := range append(slices.Clone(f.Spec.Roadmap), vp.Roadmap...) {
		for _, it := range step.Set {
			key := fmt.Sprint(it.Key)
			if key == "fleet.instance" {
				s.errf(at+".procurement", "an owned fleet keeps its servers: a roadmap step may not change fleet.instance (compare another owned variant instead)")
			}
			spot = spot || key == "fleet.pricing" && fmt.Sprint(it.Value) == "spot" || strings.HasPrefix(key, "fleet.spot.")
		}
	}
	nerrs := len(s.errs)
	eco := resolveOwnership(vp.Instance, vp.Ownership, at+".ownership", s)
	sc := f.variantScenario(vp.Variant)
	list, priced := scenarioRentOK(sc)
	eco.ListUSDPerHour = list
	vp.Owned = &eco
	// A fleet refused for starting without servers has none to divide its
	// cost among: its price per server-hour read NaN, a second error that
	// sent the user to check server_usd.
	if len(s.errs) == nerrs && p.Initial >= 1 {
		f.checkOwnedPrice(s, at, vp)
	}
	switch {
	case p.Burst > 0:
		vp.rentedRuns = "its runs add rented burst instances, and a run has one price per instance-hour"
	case spot || sc != nil && sc.Fleet.Pricing == "spot":
		vp.rentedRuns = "its fleet.pricing is spot (in some periods or all), whose interruptions its runs simulate"
	}
	if p.Burst > 0 && !priced {
		s.errf(pat+".burst", "rented burst capacity needs a rental price: %s has none under the variant's fleet.pricing; choose another pricing or set fleet.price_usd_per_hour in the variant", vp.Instance)
	}
	checkOwnedSets(s, at, vp)
}

// checkOwnedSets refuses, at its line, a fleet field an owned fleet's
// runs set for themselves, written in the variant's own set or roadmap
// (capacitySets): fleet.count, and its pricing and price where the runs
// pay the owned cost (not the rental price of burst or spot). They were
// replaced without a word. A set the variant shares with a rented one (a
// YAML alias or merge key, as the built-in's owned-p5en shares its rented
// twin's) may give them: they size and price that fleet.
func checkOwnedSets(s *source, at string, vp *VariantPlan) {
	check := func(sat string, set yaml.MapSlice, step bool) {
		written := s.writtenKeys(sat)
		for _, it := range set {
			key := strings.TrimSpace(fmt.Sprint(it.Key))
			if !written[key] {
				continue
			}
			switch {
			case key == "fleet.count" && !step: // checkRoadmap refuses it in any step
				s.errfAt(keyPos(sat, key), sat+"."+key, "an owned fleet serves with its servers in service, which %[1]s.procurement's initial, "+
					"orders and lead_time give period by period, and its runs set fleet.count to them; size it there (procurement.burst adds "+
					"rented instances above them)", at)
			case (key == "fleet.pricing" || key == "fleet.price_usd_per_hour") && vp.rentedRuns == "":
				s.errfAt(keyPos(sat, key), sat+"."+key, "an owned fleet's runs pay its owned cost per server-hour (fleet.pricing: owned, at the "+
					"period's depreciation, power, facility and operations), which %[1]s.ownership sets; a rental price is paid only by the "+
					"rented instances of %[1]s.procurement.burst, or by a spot fleet (fleet.pricing: spot)", at)
			}
		}
	}
	check(at+".set", vp.Set, false)
	for j, st := range vp.Roadmap {
		check(fmt.Sprintf("%s.roadmap[%d].set", at, j), st.Set, true)
	}
}

// serversLeft says how many more servers a fleet of total may add.
func serversLeft(total int) string {
	if total >= model.MaxInstances {
		return "allowed here: none"
	}
	return fmt.Sprintf("allowed here: up to %d", model.MaxInstances-total)
}

func (f *Forecast) checkRented(s *source, at string, vp *VariantPlan) {
	p := vp.Procurement
	pat := at + ".procurement"
	owned := false // a zero written for an owned fleet's field is still written
	for _, k := range []string{"initial", "lead_time", "orders", "burst"} {
		owned = owned || s.given(pat+"."+k)
	}
	if owned || p.Initial != 0 || p.LeadTime != 0 || len(p.Orders) > 0 || p.Burst != 0 || vp.Ownership != nil {
		s.errf(pat, "rented: initial, lead_time, orders, burst and ownership are for owned fleets")
	}
	// Only an absent bound takes its default: {min: 0, max: 0} and
	// {min: 2, max: 0} ran as the defaults.
	if p.Min == 0 && !s.given(pat+".min") {
		vp.Procurement.Min = 1
	}
	if p.Max == 0 && !s.given(pat+".max") {
		vp.Procurement.Max = 4 * f.Base.Scenario.Fleet.Count
	}
	if vp.Procurement.Min < 1 || vp.Procurement.Max < vp.Procurement.Min {
		// Point at the bound that is wrong (a default one falls back to
		// procurement's line): min when it is below 1, else max.
		field := pat + ".max"
		if vp.Procurement.Min < 1 {
			field = pat + ".min"
		}
		s.errfAt(field, pat, "min %d, max %d: want 1 <= min <= max", vp.Procurement.Min, vp.Procurement.Max)
	}
}

// perUse reports whether a contract kind is paid per retrieval (so the
// simulator prices it) rather than per period.
func perUse(kind string) bool {
	return kind == econ.ContractPerDocument || kind == econ.ContractRevenueShare || kind == econ.ContractMinimumGuarantee
}

func (f *Forecast) checkLicensing(s *source) {
	covered := map[string]string{}
	names := map[string]bool{}
	for i, c := range f.Spec.Licensing {
		at := fmt.Sprintf("licensing[%d]", i)
		if c.Name == "" || names[c.Name] {
			s.errf(at+".name", "%q: every contract needs a unique name", c.Name)
		}
		names[c.Name] = true
		if !slices.Contains(econ.ContractKinds(), c.Kind) {
			s.errf(at+".kind", "%q: want one of %v", c.Kind, econ.ContractKinds())
			continue
		}
		if c.From < 0 || c.From == 0 && s.given(at+".from") || c.From > f.Spec.Periods.Count { // absent: period 1
			s.errf(at+".from", "%d: want a period in 1..%d", c.From, f.Spec.Periods.Count)
		}
		checkContractTerms(s, at, c)
		f.Spec.Licensing[i].TrueUp = checkTrueUp(s, at, c, f.Spec.Periods.Length)
		if !perUse(c.Kind) {
			if c.Workload != "" || c.FeePerDoc != 0 || c.Share != 0 || c.ProvenanceTokens != 0 {
				s.errf(at, "a flat contract has annual_usd only (no workload, fee_per_doc, share or provenance_tokens)")
			}
			continue
		}
		w := f.workload(c.Workload)
		switch {
		case w == nil:
			s.errf(at+".workload", "%q: a %s contract covers one agent workload with retrieval (workloads: %s)", c.Workload, c.Kind, f.workloadNames())
		case w.Agent == nil || w.Agent.Retrieval == nil:
			s.errf(at+".workload", "%s has no agent.retrieval: a per-use contract prices retrieved documents", c.Workload)
		case covered[c.Workload] != "":
			s.errf(at+".workload", "%s is already covered by contract %s; one per-use contract per workload", c.Workload, covered[c.Workload])
		}
		covered[c.Workload] = c.Name
	}
}

// checkTrueUp returns a contract's true-up, the default (annual) for a
// minimum guarantee that gives none, and refuses one that is not a
// true-up, or given to a kind that has no minimum to true up. The public
// minimum guarantees are stated per year (docs/forecast.md).
func checkTrueUp(s *source, at string, c Contract, length string) string {
	field := at + ".true_up"
	switch {
	case c.Kind != econ.ContractMinimumGuarantee:
		if c.TrueUp != "" || s.given(field) {
			s.errf(field, "%q: a %s contract has no minimum to true up; true_up is a minimum-guarantee's", c.TrueUp, c.Kind)
		}
		return c.TrueUp
	case c.TrueUp == "" && !s.given(field):
		return econ.TrueUpAnnual
	case !slices.Contains(econ.TrueUps(), c.TrueUp):
		s.errf(field, "%q: want %s (the shortfall below the guarantee settled once a contract year, the default) "+
			"or %s (every %s)", c.TrueUp, econ.TrueUpAnnual, econ.TrueUpPeriod, length)
	}
	return c.TrueUp
}

// checkContractTerms refuses each number of a contract out of its range,
// at its line: the amounts within the scenario's bound on every number
// (model.MaxMagnitude), the share a fraction, the provenance tokens within
// a document's. A NaN, .inf or 1e308 passed a check of `< 0`; the
// forecast ran, printed +InfB, then failed at --json or the store after
// storing its runs, and a per-use fee was refused only when the runs were
// planned, as a --set nobody typed.
func checkContractTerms(s *source, at string, c Contract) {
	for _, a := range []struct {
		field string
		v     float64
	}{{"fee_per_doc", c.FeePerDoc}, {"annual_usd", c.AnnualUSD}} {
		if !(a.v >= 0 && a.v <= model.MaxMagnitude) { // NaN fails both
			s.errf(at+"."+a.field, "%g: want a finite amount from 0 to %g", a.v, model.MaxMagnitude)
		}
	}
	if !(c.Share >= 0 && c.Share <= 1) {
		s.errf(at+".share", "%g: want a fraction from 0 to 1", c.Share)
	}
	if c.ProvenanceTokens < 0 || c.ProvenanceTokens > model.MaxTokensPerDoc {
		s.errf(at+".provenance_tokens", "%d: want 0 to %d tokens a document", c.ProvenanceTokens, model.MaxTokensPerDoc)
	}
}

func (f *Forecast) checkMonteCarlo(s *source) {
	mc := f.Spec.MonteCarlo
	if mc == nil {
		return
	}
	if mc.Samples < 1 || mc.Samples > 1000 {
		s.errf("monte_carlo.samples", "%d: want 1..1000 samples", mc.Samples)
	}
	if mc.Seed == 0 {
		if s.given("monte_carlo.seed") {
			s.errf("monte_carlo.seed", "0: want a seed of at least 1 (leave the field out for the forecast's seed)")
		}
		mc.Seed = f.Spec.Seed
	}
	for _, d := range []struct {
		name string
		d    *Draw
	}{{"growth", mc.Growth}, {"price", mc.Price}, {"ctr", mc.CTR}, {"conversion", mc.Conversion}, {"elasticity", mc.Elasticity}} {
		if d.d != nil {
			if checkDrawFields(s, "monte_carlo."+d.name, d.d) && f.checkDrawNumbers(s, "monte_carlo."+d.name, d.d) {
				if err := d.d.check(); err != nil {
					s.errf("monte_carlo."+d.name, "%v", err)
				} else {
					f.checkDrawRange(s, d.name, d.d)
				}
			}
		}
	}
	if mc.CTR != nil && f.Base.Scenario.Ads == nil {
		s.errf("monte_carlo.ctr", "the base scenario has no ads")
	}
	if mc.Conversion != nil && len(f.Base.Scenario.AgentWorkloads()) == 0 {
		s.errf("monte_carlo.conversion", "the base scenario has no agent workloads")
	}
	if mc.Elasticity != nil && len(f.elasticWorkloads()) == 0 {
		s.errf("monte_carlo.elasticity", "no workload has an elasticity for the draw to replace (one left out is inelastic and stays so)")
	}
}

// checkDrawNumbers reports a NaN or infinite parameter of a draw (YAML's
// .nan passed every comparison of check and reached the runs as a rate of
// NaN/s).
func (f *Forecast) checkDrawNumbers(s *source, at string, d *Draw) bool {
	ok := true
	for _, p := range []struct {
		name string
		v    *float64
	}{{"min", d.Min}, {"max", d.Max}, {"mode", &d.Mode}, {"mean", &d.Mean}, {"std", &d.Std}} {
		if p.v != nil && (math.IsNaN(*p.v) || math.IsInf(*p.v, 0)) {
			s.errf(at+"."+p.name, "%g: want a finite number", *p.v)
			ok = false
		}
	}
	return ok
}

// checkDrawRange checks the range a draw can take against what its input
// accepts: a workload's plan bounds (growth more than -1 and at most
// maxGrowth, elasticity within ±maxElasticity, a price multiplier above 0
// and at most maxMultiplier), and ctr and conversion multipliers of at
// least 0 (above 1 the product is capped at 1). A normal's side without
// min or max is taken study.TailZ standard deviations out, as a sweep's is.
func (f *Forecast) checkDrawRange(s *source, name string, d *Draw) {
	at := "monte_carlo." + name
	lo, hi := math.Inf(-1), math.Inf(1)
	if d.Dist == "normal" {
		lo, hi = d.Mean-study.TailZ*d.Std, d.Mean+study.TailZ*d.Std
	}
	if d.Min != nil {
		lo = *d.Min
	}
	if d.Max != nil {
		hi = *d.Max
	}
	end := func(x float64) string {
		switch {
		case x == lo && d.Min != nil:
			return at + ".min"
		case x == hi && d.Max != nil:
			return at + ".max"
		}
		return at
	}
	// reach says how the draws reach x, and, for an end that is an
	// untruncated normal's tail rather than a bound the plan set, how to
	// keep them from it.
	reach := func(x float64) (what, fix string) {
		if d.Dist == "normal" && end(x) == at {
			return fmt.Sprintf("an untruncated normal reaches %.4g within %d standard deviations", x, study.TailZ), "truncate it with min and max"
		}
		return fmt.Sprintf("draws reach %g", x), ""
	}
	// bad reports the first end of [lo, hi] outside [min, max] (open
	// where the flags say so), saying what the input accepts.
	bad := func(min, max float64, openMin, openMax bool, accepts string) {
		for _, x := range []float64{lo, hi} {
			if x < min || x > max || openMin && x == min || openMax && x == max {
				what, fix := reach(x)
				if fix != "" {
					what += "; " + fix
				}
				s.errf(end(x), "%s: %s %s", what, name, accepts)
				return
			}
		}
	}
	switch name {
	case "price":
		bad(0, maxMultiplier, true, false, fmt.Sprintf("multiplies prices, and a price multiplier must be > 0 and at most %g", float64(maxMultiplier)))
	case "ctr", "conversion":
		bad(0, math.Inf(1), false, false, "multiplies a rate that must be at least 0 (want min >= 0)")
	case "elasticity":
		bad(-maxElasticity, maxElasticity, false, false, fmt.Sprintf("replaces the workloads' elasticities, which must lie from -%g to %g", float64(maxElasticity), float64(maxElasticity)))
	case "growth":
		bad(-maxMultiplier, maxMultiplier, false, false, fmt.Sprintf("multiplies growth rates and curves' growth, at most %g in magnitude", float64(maxMultiplier)))
		if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			return
		}
		for _, wn := range slices.Sorted(maps.Keys(f.Spec.Workloads)) {
			for _, x := range []float64{lo, hi} {
				if msg := growthDrawn(wn, f.Spec.Workloads[wn], x, f.PeriodHours, f.Spec.Periods.Length); msg != "" {
					what, fix := reach(x)
					if fix != "" {
						msg += "; " + fix
					}
					s.errf(end(x), "%s, which makes %s", what, msg)
					return
				}
			}
		}
	}
}

// growthDrawn says what a growth draw of x makes of workload wn's plan
// where that is out of range ("" where it is not): its growth times x
// must stay more than -1 and at most maxGrowth, and each of its curve's
// multipliers, 1 + (c - 1) x (curveGrowth), above 0 and at most
// maxMultiplier, as the plan's own must. Both are monotonic in x, so a
// range's two ends decide it. A curve taken to 0 or below ran at a
// multiplier of 0.01 without a word.
func growthDrawn(wn string, p WorkloadPlan, x, periodHours float64, periodLen string) string {
	if p.Growth.Rate != 0 {
		if msg := p.Growth.outOfRange(x, periodHours, periodLen); msg != "" {
			return fmt.Sprintf("workload %s's %s", wn, msg)
		}
	}
	for i, c := range p.Curve {
		if m := curveGrowth(c, x); !(m > 0 && m <= maxMultiplier) {
			return fmt.Sprintf("workload %s's curve[%d] 1 + (%g - 1) x %g = %.4g: demand multipliers must be > 0 and at most %g", wn, i, c, x, m,
				float64(maxMultiplier))
		}
	}
	return ""
}

// workloadsOf lists the base workloads in scenario order.
func (f *Forecast) workloadsOf() []model.Workload { return f.Base.Scenario.Workloads }

// elasticWorkloads are the base workloads the plan gives an elasticity, in
// the scenario's order: those whose elasticity monte_carlo.elasticity
// replaces (demand).
func (f *Forecast) elasticWorkloads() []string {
	var names []string
	for _, w := range f.workloadsOf() {
		if f.Spec.Workloads[w.Name].Elasticity != 0 {
			names = append(names, w.Name)
		}
	}
	return names
}

// checkOwnedPrice refuses, at the variant's ownership, an owned cost per
// server-hour no run can be priced at (past model.MaxMagnitude): its runs
// pay it (ownedRunPrice), and server_usd: 1e20 failed only as they ran, on
// an override the user never wrote. checkOwnershipIn now refuses such a
// figure at its own line; figures each within the bound can still combine
// past it (a network_share near 1 multiplies the capex), which this catches,
// both as the runs of a period pay it and as the report prints it, over the
// servers' life: servers written off within one period spread their capex
// over the period's hours, not their life's, and 1.41e+20 USD/h was printed.
func (f *Forecast) checkOwnedPrice(s *source, at string, vp *VariantPlan) {
	if usd := vp.Owned.LifetimeHourlyCost().TotalUSD(); !(usd <= model.MaxMagnitude) {
		s.errf(at+".ownership", "the owned servers cost %.4g USD a server-hour over their life, past the %g a fleet's price may be: check server_usd, life_years and the other figures",
			usd, model.MaxMagnitude)
		return
	}
	for k := 1; k <= len(vp.Servers); k++ {
		if usd := f.ownedUSDPerHour(vp, k); !(usd <= model.MaxMagnitude) {
			s.errf(at+".ownership", "the owned servers cost %.4g USD a server-hour in period %d, past the %g a fleet's price may be: check server_usd and the other figures",
				usd, k, model.MaxMagnitude)
			return
		}
	}
}
