package forecast

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	kpicat "aiecon/model/kpi"
)

// seasonalReserved is review194 F3's forecast: a rented trn1 fleet at the
// reserved rate, sized 3 x a seasonal curve (1.6, 0.4, 0.4, 1.6): 5, 2, 2
// and 5 instances (4.8 and 1.2 rounded up), one slice a day.
const seasonalReserved = `name: ri
base: baseline
set:
  fleet.pricing: reserved
  fleet.instance: trn1.32xlarge
  fleet.replica.tp: 32
  fleet.count: 3
periods: {count: 4, length: quarter}
day: {slices: 1, horizon: 3m}
workloads:
  chat: {curve: [1.6, 0.4, 0.4, 1.6]}
  shopping-assistant: {curve: [1.6, 0.4, 0.4, 1.6]}
variants:
  - name: rented
    procurement: {mode: rented, min: 1, max: 20}
`

// TestReservedFleetPaysItsTerm: a reservation is paid for every hour of
// its term, so the 5 instances reserved for quarter 1 are paid in
// quarters 2 and 3, when the fleet runs 2: 3 x 2,190 h x $8.197 = $53,854
// a quarter, which RENT left out (30% of the year's rent, with no note).
// A roadmap step off the reserved rate or to another instance leaves the
// reservation paid to its term's end; a step to on-demand on the same
// instance runs on it first (a reservation is a discount on matching
// instances), so only the rest is idle and the on-demand rent of the
// instances it covers is taken back.
func TestReservedFleetPaysItsTerm(t *testing.T) {
	ri, _ := catalogPrice(t, "trn1.32xlarge", hw.PricingReserved)
	od, _ := catalogPrice(t, "trn1.32xlarge", hw.PricingOnDemand)
	if ri != 8.197 || od != 21.50 {
		t.Fatalf("catalog trn1.32xlarge reserved %v, on-demand %v: the hand figures below assume 8.197 and 21.50", ri, od)
	}
	const h = 2190.0 // a quarter's hours
	for _, tt := range []struct {
		name    string
		roadmap string
		idle    [4]float64 // instances held and not run, by quarter
		usd     [4]float64 // what they cost, never below 0
		// repriced is what billing the instances run on demand on the
		// reservation at its rate changes the runs' rent by; usd held it
		// too, and read -$4,412.85 and -$145,667.85 for idle instances.
		repriced [4]float64
	}{
		{"seasonal", "", [4]float64{0, 3, 3, 0}, [4]float64{0, 3 * h * 8.197, 3 * h * 8.197, 0}, [4]float64{}},
		// From quarter 3 on demand: the 5 reserved cover the 2 run, 3 idle;
		// the runs paid 2 on demand, so the reservation's 5 x 8.197 replace
		// them: 3 x 8.197 idle, and 2 x (8.197 - 21.50) an hour repriced.
		// Quarter 4 runs all 5 on it: none idle, 5 x (8.197 - 21.50).
		{"to on-demand", "{from: 3, set: {fleet.pricing: on-demand}}", [4]float64{0, 3, 3, 0},
			[4]float64{0, 3 * h * 8.197, 3 * h * 8.197, 0}, [4]float64{0, 0, 2 * h * (8.197 - 21.50), 5 * h * (8.197 - 21.50)}},
		// From quarter 3 on inf2.48xlarge: trn1's 5 are idle to the term's
		// end, on top of whatever inf2 rents.
		{"to another instance", "{from: 3, set: {fleet.instance: inf2.48xlarge, fleet.replica.tp: 24}}", [4]float64{0, 3, 5, 5},
			[4]float64{0, 3 * h * 8.197, 5 * h * 8.197, 5 * h * 8.197}, [4]float64{}},
	} {
		src := seasonalReserved
		if tt.roadmap != "" {
			src += "    roadmap:\n      - " + tt.roadmap + "\n"
		}
		f := parse(t, src)
		idle := f.reservedIdle(nil)
		for k := 1; k <= 4; k++ {
			got := idle[[3]int{0, 0, k}]
			if !near(got.Instances, tt.idle[k-1]) || !near(got.USD, tt.usd[k-1]) || !near(got.RepricedUSD, tt.repriced[k-1]) {
				t.Errorf("%s: quarter %d idle %v instances, $%.2f, repriced $%.2f; want %v, $%.2f, $%.2f", tt.name, k,
					got.Instances, got.USD, got.RepricedUSD, tt.idle[k-1], tt.usd[k-1], tt.repriced[k-1])
			}
		}
	}
}

// TestReservedIdleInRentAndNote: RENT (and every cost and margin on it)
// includes the idle reservation, and the note under the table names the
// periods, the instances and what they cost; the same note is a caveat,
// which compare --forecast and the dashboard repeat, naming the stored
// lines that hold them (a merged forecast's note covers every shard's
// periods: TestMergeReportsCoverEveryPeriod).
func TestReservedIdleInRentAndNote(t *testing.T) {
	f := parse(t, seasonalReserved)
	const h, rate = 2190.0, 8.197
	var runs []RunResult
	for k, n := range []float64{5, 2, 2, 5} {
		r := RunResult{Job: Job{Period: k + 1}, SimHours: f.SimHoursPerPeriod(), KPIs: map[string]float64{
			kpicat.CostInstancesUSD: n * rate * f.SimHoursPerPeriod(), kpicat.PricePerInstanceHourUSD: rate, kpicat.InstancesAvg: n}}
		runs = append(runs, r)
	}
	periods := Aggregate(f, runs)
	for i, want := range []float64{5 * h * rate, 5 * h * rate, 5 * h * rate, 5 * h * rate} {
		if p := periods[i]; !near(p.CostRentUSD, want) || !near(p.CostUSD, want) {
			t.Errorf("quarter %d: RENT $%.2f, cost $%.2f; want 5 reserved instances' $%.2f", i+1, p.CostRentUSD, p.CostUSD, want)
		}
	}
	r := NewReport(f, periods, len(runs))
	want := []string{"RESERVED INSTANCES IDLE", "term (taken as 3 years", "RENT includes the reserved instances held and not run, 3 in quarter 2 ($53.9k), " +
		"3 in quarter 3 ($53.9k); $108k in all"}
	checkNote(t, "seasonal", r.reservedIdleNote("rented"), want)
	if c := strings.Join(r.Caveats("rented"), "\n"); !strings.Contains(c, "RESERVED INSTANCES IDLE") {
		t.Errorf("caveats lack the note:\n%s", c)
	}
	// The stored report (compare --forecast, the dashboard's forecast
	// screen) gives the note as well, naming the stored metric.
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	stored := strings.Join(StoredCaveats(string(js), "rented"), "\n")
	checkNote(t, "stored", stored, []string{"RESERVED INSTANCES IDLE", "cost_rent_usd includes the reserved instances held and not run, 3 in quarter 2",
		"forecast_periods stores them by period: reserved_idle_instances and reserved_idle_usd."})
	if note := r.reservedIdleNote("rented"); strings.Contains(note, "forecast_periods") {
		t.Errorf("the report under the table names the stored lines: %q", note)
	}
}

// mixForecast parses a forecast over the built-in model mix (its chat
// answered by a small pool first) with body after its base line.
func mixForecast(t *testing.T, body string) *Forecast {
	t.Helper()
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
	f, err := Parse(filepath.Join(dir, "f.yaml"), []byte("name: mix\nbase: mix.yaml\n"+body), dir)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// reservedPool is a model mix whose small pool rents trn1.32xlarge at the
// reserved rate, 5 instances in quarter 1 and 2 from quarter 2, beside a
// main fleet on Capacity Blocks.
const reservedPool = `set:
  pools[small].fleet.instance: trn1.32xlarge
  pools[small].fleet.pricing: reserved
  pools[small].fleet.count: 5
periods: {count: 2, length: quarter}
day: {slices: 1, horizon: 3m}
roadmap:
  - from: 2
    set:
      pools[small].fleet.count: 2
variants:
  - name: rented
    procurement: {mode: rented, min: 1, max: 20}
  - name: owned
    procurement: {mode: owned, initial: 2}
    ownership: {server_usd: 250000, facility_usd_per_kw_month: 150, ops_usd_per_year: 15000}
`

// TestReservedPoolPaysItsTerm: a model mix's pool at the reserved rate
// pays its reservation's term as the main fleet does
// (TestReservedFleetPaysItsTerm): reserved at 5 in quarter 1 and sized 2
// in quarter 2, it pays for 3 idle there, 3 x 2,190 h x $8.197, beside a
// rented fleet and an owned one alike (a pool is rented either way). Its
// RENT left them out. A pool whose own autoscaler moves it within a slice
// reserves the most it may reach (autoscale.max), so only what it holds
// above that is idle.
func TestReservedPoolPaysItsTerm(t *testing.T) {
	const h, rate = 2190.0, 8.197
	autoscaled := strings.Replace(strings.Replace(reservedPool, "pools[small].fleet.count: 5",
		"pools[small].fleet.count: 2\n  pools[small].fleet.autoscale.min: 1\n  pools[small].fleet.autoscale.max: 5", 1),
		"      pools[small].fleet.count: 2", "      pools[small].fleet.autoscale.max: 2", 1)
	for _, tt := range []struct {
		name, src string
		variant   int
		idle      [2]float64
	}{
		{"rented fleet", reservedPool, 0, [2]float64{0, 3}},
		{"owned fleet", reservedPool, 1, [2]float64{0, 3}},
		{"autoscaled pool", autoscaled, 0, [2]float64{0, 3}},
		{"pool held", strings.Replace(reservedPool, "fleet.count: 2\n", "fleet.count: 6\n", 1), 0, [2]float64{0, 0}},
	} {
		idle := mixForecast(t, tt.src).reservedIdle(nil)
		for k := 1; k <= 2; k++ {
			got := idle[[3]int{tt.variant, 0, k}]
			want := IdleReservation{Instances: tt.idle[k-1], USD: tt.idle[k-1] * h * rate}
			if !near(got.Instances, want.Instances) || !near(got.USD, want.USD) || !near(got.Pools["small"].USD, want.USD) {
				t.Errorf("%s: quarter %d idle %+v; want %v instances, $%.2f, all the small pool's", tt.name, k, got, want.Instances, want.USD)
			}
		}
	}
}

// TestReservedPoolIdleInRentAndNote: RENT includes a pool's idle
// reservation, samples_detail gives it by pool, and the note names the
// pool's part and its pricing (TestReservedIdleInRentAndNote).
func TestReservedPoolIdleInRentAndNote(t *testing.T) {
	f := mixForecast(t, reservedPool)
	const h, rate = 2190.0, 8.197
	var runs []RunResult
	for k, n := range []float64{5, 2} {
		runs = append(runs, RunResult{Job: Job{Period: k + 1}, SimHours: f.SimHoursPerPeriod(), KPIs: map[string]float64{
			kpicat.CostInstancesUSD: n * rate * f.SimHoursPerPeriod(), kpicat.InstancesAvg: n}})
	}
	periods := Aggregate(f, runs)
	for i, want := range []float64{5 * h * rate, 5 * h * rate} {
		if p := periods[i]; !near(p.CostRentUSD, want) {
			t.Errorf("quarter %d: RENT $%.2f; want 5 reserved instances' $%.2f", i+1, p.CostRentUSD, want)
		}
	}
	if got := periods[1].ReservedIdlePools["small"]; !near(got.Instances, 3) || !near(got.USD, 3*h*rate) {
		t.Errorf("quarter 2's small pool idle %+v; want 3, $%.2f", got, 3*h*rate)
	}
	r := NewReport(f, periods, len(runs))
	// Only the pool reserved (the main fleet is on Capacity Blocks), so the
	// remedy names its pricing alone.
	checkNote(t, "pool", r.reservedIdleNote("rented"), []string{"RESERVED INSTANCES IDLE", "when a pool shrinks",
		"RENT includes the reserved instances held and not run, 3 in quarter 2 ($53.9k; pool small: 3, $53.9k); $53.9k in all",
		"Price the pool by the hour from the start (pools[small].fleet.pricing: on-demand)"})
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"reserved_idle_pools":{"small":{"instances":3,`) {
		t.Errorf("samples_detail lacks the pool's idle reservation:\n%s", js)
	}
}

// TestReservedIdleStoredGross: after a step to on-demand on the reserved
// instance (quarter 3), reserved_idle_usd is what the idle instances cost,
// 3 x 2,190 h x $8.197 = $53,854.29 in quarters 2 and 3, never below 0,
// and reserved_repriced_usd the runs' on-demand rent repriced at the
// reserved rate, 2 (then 5) x 2,190 h x ($8.197 - $21.50). RENT adds both
// to the runs' rent, so it stays the 5 reserved instances' $89,757.15 a
// quarter, and the margins rest on it. reserved_idle_usd held their sum
// (-$4,412.85, -$145,667.85), which compare --forecast read as the
// cheaper the better. A report stored so still gives the idle instances'
// cost in its note, the repricing taken back out of it.
func TestReservedIdleStoredGross(t *testing.T) {
	f := parse(t, seasonalReserved+"    roadmap:\n      - {from: 3, set: {fleet.pricing: on-demand}}\n")
	const h, ri, od = 2190.0, 8.197, 21.50
	var runs []RunResult
	for k, n := range []float64{5, 2, 2, 5} {
		rate := []float64{ri, ri, od, od}[k]
		runs = append(runs, RunResult{Job: Job{Period: k + 1}, SimHours: f.SimHoursPerPeriod(), KPIs: map[string]float64{
			kpicat.CostInstancesUSD: n * rate * f.SimHoursPerPeriod(), kpicat.PricePerInstanceHourUSD: rate, kpicat.InstancesAvg: n,
			kpicat.RevenueAPIUSD: 100_000 * f.SimHoursPerPeriod() / h}})
	}
	periods := Aggregate(f, runs)
	idle := [4]float64{0, 3 * h * ri, 3 * h * ri, 0}
	repriced := [4]float64{0, 0, 2 * h * (ri - od), 5 * h * (ri - od)}
	paid := [4]float64{5 * h * ri, 2 * h * ri, 2 * h * od, 5 * h * od} // the runs' rent
	for i, p := range periods {
		got := map[string]float64{}
		for _, m := range Metrics {
			got[m.Name] = m.Get(p)
		}
		want := map[string]float64{"reserved_idle_usd": idle[i], "reserved_repriced_usd": repriced[i], "cost_rent_usd": 5 * h * ri,
			"cost_usd": 5 * h * ri, "gross_margin_usd": 100_000 - 5*h*ri, "operating_margin_usd": 100_000 - 5*h*ri}
		for m, w := range want {
			if !near(got[m], w) {
				t.Errorf("quarter %d: %s $%.2f; want $%.2f", i+1, m, got[m], w)
			}
		}
		if sum := paid[i] + got["reserved_idle_usd"] + got["reserved_repriced_usd"]; !near(sum, got["cost_rent_usd"]) || got["reserved_idle_usd"] < 0 {
			t.Errorf("quarter %d: the runs' rent $%.2f + idle $%.2f + repriced $%.2f = $%.2f; RENT $%.2f (idle never below 0)", i+1,
				paid[i], got["reserved_idle_usd"], got["reserved_repriced_usd"], sum, got["cost_rent_usd"])
		}
	}
	r := NewReport(f, periods, len(runs))
	if b := r.Summary[2].Bands["reserved_repriced_usd"]; !near(float64(b.P50), repriced[2]) {
		t.Errorf("quarter 3's reserved_repriced_usd band %+v; want P50 $%.2f", b, repriced[2])
	}
	words := []string{"3 in quarter 2 ($53.9k), 3 in quarter 3 ($53.9k); $108k in all.", "$58.3k less in quarter 3, $146k less in quarter 4."}
	for _, tt := range []struct {
		name   string
		net    bool // as stored before reserved_repriced_usd was split out
		stored string
	}{
		{"stored", false, "forecast_periods stores them by period: reserved_idle_instances, reserved_idle_usd and reserved_repriced_usd."},
		{"stored net", true, "forecast_periods stores them by period: reserved_idle_instances and reserved_idle_usd."},
	} {
		old := *r
		old.Summary = Summarize(periods)
		if tt.net {
			old.ReservedIdleGross = false
			for i := range old.Summary {
				for j := range old.Summary[i].Periods {
					p := &old.Summary[i].Periods[j]
					p.ReservedIdleUSD += p.ReservedRepricedUSD
				}
			}
		}
		js, err := json.Marshal(&old)
		if err != nil {
			t.Fatal(err)
		}
		note := strings.Join(StoredCaveats(string(js), "rented"), "\n")
		checkNote(t, tt.name, note, append(words, tt.stored))
		if strings.Contains(note, "$-") {
			t.Errorf("%s: the note gives a negative cost: %s", tt.name, note)
		}
	}
}
