package forecast

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	kpicat "aiecon/model/kpi"
	"aiecon/runner"
)

// TestOwnedRunsPayTheOwnedCost: an owned fleet's runs are priced at the
// period's owned cost per server-hour, so that what a reader of the stored
// runs sees agrees with the forecast: over each period's runs, scaled by
// period hours over simulated hours (to 1e-9, relative), the instance cost
// is the period's infrastructure (rent, depreciation, power, facility and
// operations), the cost is the period's cost less the licensing the
// simulator does not see (the guarantee's top-up and the flat fee), and
// the margin the operating margin plus that licensing. They paid the
// fleet's rental price instead (trn2's Capacity Blocks rate, $35.76/h
// against an owned $13/h), so the stored runs read as if owning cost what
// renting does. A rented fleet's runs pay the rent. So with servers that
// cost no capital (server_usd: 0, already owned: refused before) and with
// servers that cost nothing at all, whose 0 a server-hour is a price as
// fleet.price_usd_per_hour's is: their runs paid the rental price.
func TestOwnedRunsPayTheOwnedCost(t *testing.T) {
	const ownership = "ownership: {server_usd: 200000, facility_usd_per_kw_month: 100, ops_usd_per_year: 10000}"
	for _, c := range []struct{ name, ownership string }{
		{"bought", ownership},
		{"no capital", "ownership: {server_usd: 0, facility_usd_per_kw_month: 100, ops_usd_per_year: 10000}"},
		{"free", "ownership: {server_usd: 0, power_kw: 0, facility_usd_per_kw_month: 0, ops_usd_per_year: 0}"},
	} {
		t.Run(c.name, func(t *testing.T) {
			// Trued up every quarter, the guarantee tops up each one: every
			// period has licensing the runs do not see.
			src := strings.Replace(seasonal(2, ", true_up: period"), ownership, c.ownership, 1)
			if !strings.Contains(src, c.ownership) {
				t.Fatal("the owned variant's ownership not found")
			}
			checkOwnedRunsPay(t, parse(t, src))
		})
	}
}

// checkOwnedRunsPay is TestOwnedRunsPayTheOwnedCost for one forecast.
func checkOwnedRunsPay(t *testing.T, f *Forecast) {
	t.Helper()
	runs, periods := execute(t, f)
	scale := f.Scale()
	rent := f.rentPrice(f.Variants[1].Variant)
	for _, p := range periods {
		var instances, cost, margin, licensing float64
		for _, r := range runs {
			if f.Variants[r.Variant].Name != p.Variant || r.Period != p.Period {
				continue
			}
			instances += r.KPIs[kpicat.CostInstancesUSD]
			cost += r.KPIs[kpicat.CostUSD]
			margin += r.KPIs[kpicat.MarginUSD]
			licensing += r.KPIs[kpicat.CostLicensingUSD]
			price := rent
			if p.Variant == "owned" {
				price = (p.CostDepreciationUSD + p.CostPowerUSD + p.CostFacilityOpsUSD) / (float64(p.OwnedServers) * f.PeriodHours)
			}
			if got := r.KPIs[kpicat.PricePerInstanceHourUSD]; !near(got, price) {
				t.Errorf("%s: %v per instance-hour, want %v", f.jobName(r.Job), got, price)
			}
		}
		infra := p.CostRentUSD + p.CostDepreciationUSD + p.CostPowerUSD + p.CostFacilityOpsUSD
		if !near(instances*scale, infra) {
			t.Errorf("%s period %d: runs' instance cost %v x %v, want the period's infrastructure %v", p.Variant, p.Period, instances, scale, infra)
		}
		// The guarantee's top-up, the flat fee and what is counted for the
		// steps the sessions still running at the slices' ends had left.
		unseen := p.CostLicensingUSD - licensing*scale
		if unseen <= 0 {
			t.Fatalf("%s period %d: no licensing beyond the runs' (%v): the test needs some", p.Variant, p.Period, unseen)
		}
		if !near(cost*scale+unseen, p.CostUSD) {
			t.Errorf("%s period %d: runs' cost %v x %v + %v, want the period's %v", p.Variant, p.Period, cost, scale, unseen, p.CostUSD)
		}
		// Revenue adds what is counted for those sessions (unfinished.go).
		if !near(margin*scale-unseen+p.RevenueUnfinishedUSD, p.OperatingMarginUSD) {
			t.Errorf("%s period %d: runs' margin %v x %v - %v + %v, want the period's operating margin %v", p.Variant, p.Period, margin, scale, unseen,
				p.RevenueUnfinishedUSD, p.OperatingMarginUSD)
		}
	}
}

// TestOwnedRunsThatRentPayTheRent: a run has one price per instance-hour,
// so an owned fleet with rented burst capacity keeps the fleet's rental
// price in its runs, and so does one priced as spot (in the variant's set
// or a roadmap step), whose runs simulate the interruptions; the forecast
// still charges the servers their owned cost, and each run's description
// says so.
func TestOwnedRunsThatRentPayTheRent(t *testing.T) {
	const owned = "    procurement: {mode: owned, initial: 2, lead_time: 1, orders: [{period: 1, servers: 1}]}\n"
	const p5en = "    set: {fleet.instance: p5en.48xlarge, fleet.replica.tp: 8, fleet.replica.scheduler: vllm, fleet.pricing: spot}\n"
	burst := strings.Replace(owned, "lead_time: 1,", "lead_time: 1, burst: 2,", 1)
	od, _ := catalogPrice(t, "p5en.48xlarge", hw.PricingOnDemand)
	for _, c := range []struct{ name, edit, pricing, why string }{
		{"burst", burst, "capacity-block", "its runs add rented burst instances, and a run has one price per instance-hour"},
		{"burst at the catalog's on-demand price", strings.Replace(p5en, "fleet.pricing: spot", "fleet.price_usd_per_hour: "+fmt.Sprint(od), 1) + burst,
			"on-demand", "its runs add rented burst instances, and a run has one price per instance-hour"},
		{"spot", p5en + owned, "spot", "its fleet.pricing is spot (in some periods or all), whose interruptions its runs simulate"},
		{"spot from period 2", strings.Replace(p5en, ", fleet.pricing: spot", "", 1) + owned +
			"    roadmap: [{from: 2, set: {fleet.pricing: spot}}]\n", "capacity-block", "its fleet.pricing is spot (in some periods or all), whose interruptions its runs simulate"},
	} {
		f := parse(t, strings.Replace(small, owned, c.edit, 1))
		for _, j := range f.Jobs() {
			if f.Variants[j.Variant].Name != "owned" {
				continue
			}
			if j.OwnedUSDPerHour != 0 || strings.Contains(strings.Join(j.Sets, " "), "fleet.pricing=owned") {
				t.Fatalf("%s: %s: owned price %v, sets %v: want the fleet's rental pricing", c.name, f.jobName(j), j.OwnedUSDPerHour, j.Sets)
			}
			if j.Period != 1 || j.Slice != 0 {
				continue
			}
			l, err := runner.LoadSource(f.baseName, f.baseSrc, f.baseDir, append(mustSets(t, f), j.Sets...))
			if err != nil {
				t.Fatal(err)
			}
			want := fmt.Sprintf("owned, but priced at the rental price (%s) as %s: the forecast charges the owned servers $%.2f a server-hour",
				c.pricing, c.why, f.ownedUSDPerHour(f.Variants[j.Variant], 1))
			if got := f.jobDescription(j, l.Scenario); !strings.Contains(got, want) {
				t.Errorf("%s: %q, want it to say %q", c.name, got, want)
			}
		}
	}
}

// TestOwnedFleetBesidePools: a pool of a model mix is rented beside an
// owned main fleet, and the rent line is what the pool cost. It was the
// run's instance cost less the owned servers' hours at the run's mean price
// over the pools: one $10/h pool instance beside two trn2 on Capacity
// Blocks read $59.5k of rent in a quarter, not its $21.9k.
func TestOwnedFleetBesidePools(t *testing.T) {
	src, err := model.Builtin("model-mix")
	if err != nil {
		t.Fatal(err)
	}
	base := string(src)
	base = base[:strings.Index(base, "\nvariants:")+1] // a forecast's base has no variants of its own
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mix.yaml"), []byte(base), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Parse(filepath.Join(dir, "f.yaml"), []byte(`name: mix
base: mix.yaml
set:
  pools[small].fleet.price_usd_per_hour: 10
periods: {count: 1, length: quarter}
day: {slices: 2, horizon: 2m}
variants:
  - name: owned
    procurement: {mode: owned, initial: 2}
    ownership: {server_usd: 250000, facility_usd_per_kw_month: 150, ops_usd_per_year: 15000}
`), dir)
	if err != nil {
		t.Fatal(err)
	}
	_, periods := execute(t, f)
	if want := 10 * 2190.0; !near(periods[0].CostRentUSD, want) { // the pool's one instance, a quarter
		t.Errorf("rent %v, want the pool's %v", periods[0].CostRentUSD, want)
	}
}

// TestBurstAtARentalPriceOfZero: rented burst capacity at a rental price
// of 0 (fleet.price_usd_per_hour: 0, capacity already paid for) is priced
// at 0; it was refused as having no rental price, whose 0 it shared. A
// burst left at the catalog's price keeps it.
func TestBurstAtARentalPriceOfZero(t *testing.T) {
	const owned = "    procurement: {mode: owned, initial: 2, lead_time: 1, orders: [{period: 1, servers: 1}]}\n"
	burst := strings.Replace(owned, "lead_time: 1,", "lead_time: 1, burst: 2,", 1)
	cb, _ := catalogPrice(t, "trn2.48xlarge", hw.PricingCapacityBlock)
	for _, c := range []struct {
		name, edit string
		want       float64
	}{
		{"at 0", burst + "    set: {fleet.price_usd_per_hour: 0}\n", 0},
		{"at the catalog's", burst, cb},
	} {
		f, err := Parse("test.yaml", []byte(strings.Replace(small, owned, c.edit, 1)), "")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, vp := range f.Variants {
			if vp.Name == "owned" && (vp.Owned == nil || vp.Owned.ListUSDPerHour != c.want) {
				t.Errorf("%s: the burst's rental price %+v, want %v", c.name, vp.Owned, c.want)
			}
		}
	}
}
