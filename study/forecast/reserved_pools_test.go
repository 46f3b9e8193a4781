package forecast

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	kpicat "aiecon/model/kpi"
)

// poolRuns are one run a period of variant v with the pool small's mean
// instances n[k] (nil: the runs do not say) paid at rate[k] an hour, and
// nothing else paid.
func poolRuns(f *Forecast, v int, n []float64, rate []float64, say bool) []RunResult {
	var runs []RunResult
	for k := range n {
		r := RunResult{Job: Job{Variant: v, Period: k + 1}, SimHours: f.SimHoursPerPeriod(), KPIs: map[string]float64{
			kpicat.CostInstancesUSD: n[k] * rate[k] * f.SimHoursPerPeriod(), kpicat.InstancesAvg: n[k]}}
		if say {
			r.PoolInstances = map[string]float64{"small": n[k]}
		}
		runs = append(runs, r)
	}
	return runs
}

// TestAutoscaledPoolOnDemandPaysItsReservation: an autoscaled pool at the
// reserved rate reserves autoscale.max (5); stepping to on-demand on the
// same instance, the 5 reserved cover what its runs paid for on demand,
// their mean (1.5), and the rest is idle, so RENT is the 5 reserved at
// their rate, 5 x 2,190 h x $8.197. The walk covered autoscale.max, taking
// back on-demand rent for 5 instances the runs paid 1.5 of: RENT read
// -$75,040. Where the runs do not give the pool's mean, it covers the
// fewest the pool may run (autoscale.min, 1), never more than was paid.
func TestAutoscaledPoolOnDemandPaysItsReservation(t *testing.T) {
	ri, _ := catalogPrice(t, "trn1.32xlarge", hw.PricingReserved)
	od, _ := catalogPrice(t, "trn1.32xlarge", hw.PricingOnDemand)
	const h = 2190.0
	src := strings.Replace(strings.Replace(reservedPool, "pools[small].fleet.count: 5",
		"pools[small].fleet.count: 1\n  pools[small].fleet.autoscale.min: 1\n  pools[small].fleet.autoscale.max: 5", 1),
		"      pools[small].fleet.count: 2", "      pools[small].fleet.pricing: on-demand", 1)
	f := mixForecast(t, src)
	for _, tt := range []struct {
		name     string
		say      bool
		rent     float64 // quarter 2's
		idle     float64
		repriced float64
	}{
		{"runs' mean", true, 5 * h * ri, 3.5, 1.5 * h * (ri - od)},
		{"runs silent", false, 1.5*h*od + 1*h*(ri-od) + 4*h*ri, 4, 1 * h * (ri - od)},
	} {
		periods := Aggregate(f, poolRuns(f, 0, []float64{3, 1.5}, []float64{ri, od}, tt.say))
		p := periods[1]
		if !near(p.CostRentUSD, tt.rent) || !near(p.ReservedIdle, tt.idle) || !near(p.ReservedRepricedUSD, tt.repriced) {
			t.Errorf("%s: quarter 2 RENT $%.2f, idle %v, repriced $%.2f; want $%.2f, %v, $%.2f", tt.name, p.CostRentUSD,
				p.ReservedIdle, p.ReservedRepricedUSD, tt.rent, tt.idle, tt.repriced)
		}
		if p.CostRentUSD < 0 || periods[0].CostRentUSD != 3*h*ri {
			t.Errorf("%s: RENT $%.2f, $%.2f; want quarter 1's the runs' 3 x %v x %v h, quarter 2's never below 0", tt.name,
				periods[0].CostRentUSD, p.CostRentUSD, ri, h)
		}
	}
}

// TestAutoscaledReservedPoolNoted: a pool at the reserved rate that its
// own autoscaler moves reserves autoscale.max while RENT pays its runs'
// mean, as a main fleet sized slice by slice does, which RESERVED FLEET
// SIZED BY SLICE said of the main fleet only; it says which count was
// reserved (5) and how many reserved instances RENT may leave out (up to
// 5 - 1 an hour). A pool the roadmap renames is named as the other notes
// name it: the note gave its first name alone. A pool that holds its
// count, or moves on demand, gets no such note. Where the roadmap changes
// autoscale.max, the count reserved is given by period (the note gave the
// most alone, as if reserved from quarter 1), and the reserved instances
// RENT may leave out are a period's max - min at most, not the most max
// less the least min of two periods.
func TestAutoscaledReservedPoolNoted(t *testing.T) {
	autoscaled := strings.Replace(reservedPool, "pools[small].fleet.count: 5",
		"pools[small].fleet.count: 2\n  pools[small].fleet.autoscale.min: 1\n  pools[small].fleet.autoscale.max: 5", 1)
	onDemand := strings.Replace(autoscaled, "pools[small].fleet.pricing: reserved", "pools[small].fleet.pricing: on-demand", 1)
	renamed := strings.Replace(autoscaled, "      pools[small].fleet.count: 2",
		"      pools[small].fleet.count: 2\n      pools[small].name: tiny\n      routing.small: tiny", 1)
	grown := strings.Replace(autoscaled, "      pools[small].fleet.count: 2",
		"      pools[small].fleet.count: 4\n      pools[small].fleet.autoscale.min: 4\n      pools[small].fleet.autoscale.max: 8", 1)
	for _, tt := range []struct {
		name, src string
		want      []string
	}{
		{"autoscaled", autoscaled, []string{"RESERVED FLEET SIZED BY SLICE: pool small, moved by its own autoscaler, runs 1 to 5 instances at the reserved rate",
			"the forecast reserves autoscale.max (5 in pool small), the fewest that cover every instance the autoscaler may start",
			"and keeps each reservation for its term (only what it holds above a later period's autoscale.max is idle)",
			"RENT pays only the instances the runs paid for on average, not the reserved instances the autoscaler leaves unrun below the peak " +
				"(up to 4 in pool small an hour), so it is understated",
			"Reserve the peak (pools[small].fleet.autoscale.min: 5), or price the pool by the hour (pools[small].fleet.pricing: on-demand or spot)."}},
		{"renamed", renamed, []string{"RESERVED FLEET SIZED BY SLICE: pool small (tiny from quarter 2), moved by its own autoscaler, runs 1 to 5 instances"}},
		{"max grown", grown, []string{"pool small, moved by its own autoscaler, runs 1 to 8 instances at the reserved rate",
			"the forecast reserves autoscale.max (5 in pool small in quarter 1 then 8 in quarter 2), the fewest",
			"(up to 4 in pool small an hour)",
			"Reserve the peak (pools[small].fleet.autoscale.min: 5 in quarter 1 then 8 in quarter 2), " +
				"or price the pool by the hour (pools[small].fleet.pricing: on-demand or spot)."}},
		{"held", reservedPool, []string{""}},
		{"on demand", onDemand, []string{""}},
	} {
		f := mixForecast(t, tt.src)
		r := NewReport(f, Aggregate(f, poolRuns(f, 0, []float64{3, 2}, []float64{8.197, 8.197}, true)), 2)
		checkNote(t, tt.name, r.reservedNote("rented"), tt.want)
	}
}

// TestReservedPoolsNoteNamesEachPool: with two autoscaled pools at the
// reserved rate, the note gives each pool's span, count reserved and
// reserved instances RENT may leave out, a renamed one with its names.
func TestReservedPoolsNoteNamesEachPool(t *testing.T) {
	r := &Report{PeriodLen: "quarter", Fleets: []FleetEconomy{{Variant: "v",
		ReservedAutoscaled: []AutoscaledPool{{Pool: "big", Min: 2, Max: 8}, {Pool: "small", Min: 1, Max: 5}},
		PoolRenames:        []PoolRename{{Pool: "small", Name: "tiny", From: 2}}}}}
	checkNote(t, "two pools", r.reservedPoolsNote(r.fleet("v"), true), []string{
		"Likewise, pool big, moved by its own autoscaler, runs 2 to 8 instances and pool small (tiny from quarter 2) 1 to 5 instances at the reserved rate",
		"the forecast reserves autoscale.max (8 in pool big and 5 in pool small)",
		"(up to 6 in pool big and 4 in pool small an hour)",
		"Reserve the peak (pools[big].fleet.autoscale.min: 8, pools[small].fleet.autoscale.min: 5)"})
	// By period, as a report gives them: big's max steps down and back
	// (periods alike run together), small's is one throughout.
	r.Fleets[0].ReservedAutoscaled = []AutoscaledPool{
		{Pool: "big", Min: 2, Max: 8, MinByPeriod: []int{2, 2, 2, 3}, MaxByPeriod: []int{8, 8, 4, 8}},
		{Pool: "small", Min: 1, Max: 5, MinByPeriod: []int{1, 0, 1, 1}, MaxByPeriod: []int{5, 0, 5, 5}}}
	checkNote(t, "two pools by period", r.reservedPoolsNote(r.fleet("v"), true), []string{
		"runs 2 to 8 instances and pool small (tiny from quarter 2) 1 to 5 instances at the reserved rate",
		"the forecast reserves autoscale.max (8 in pool big in quarters 1-2 then 4 in quarter 3 then 8 in quarter 4 and 5 in pool small)",
		"(up to 6 in pool big and 4 in pool small an hour)",
		"Reserve the peak (pools[big].fleet.autoscale.min: 8 in quarters 1-2 then 4 in quarter 3 then 8 in quarter 4, pools[small].fleet.autoscale.min: 5), " +
			"or price the pool by the hour (pools[big].fleet.pricing, pools[small].fleet.pricing: on-demand or spot)."})
}

// TestReservationsMatchInstancesNotPools: a reservation is a billing
// discount on matching instances (apply_ri.html), whichever fleet runs
// them. A pool renamed from quarter 2 runs its 5 trn1.32xlarge on the
// reservation the old name bought; the main fleet on demand on trn1 runs
// on a pool's spare reservation; and instances moved from a pool to the
// main fleet, both reserved, reserve nothing anew. Each was billed as
// idle reservations beside new ones, the pools being tracked by name.
func TestReservationsMatchInstancesNotPools(t *testing.T) {
	ri, _ := catalogPrice(t, "trn1.32xlarge", hw.PricingReserved)
	od, _ := catalogPrice(t, "trn1.32xlarge", hw.PricingOnDemand)
	const h = 2190.0
	rentedOnly := reservedPool[:strings.Index(reservedPool, "  - name: owned")] // no owned trn1's power is public
	renamed := strings.Replace(rentedOnly, "      pools[small].fleet.count: 2", "      pools[small].name: tiny\n      routing.small: tiny", 1)
	trn1Main := "  fleet.instance: trn1.32xlarge\n  fleet.replica.tp: 32\n"
	mainOD := strings.Replace(rentedOnly, "set:\n", "set:\n"+trn1Main+"  fleet.pricing: on-demand\n", 1)
	// The main fleet grows from 1 to 2 with chat's demand as the pool
	// shrinks from 5 to 4.
	moved := strings.Replace(strings.Replace(rentedOnly, "set:\n", "set:\n"+trn1Main+"  fleet.pricing: reserved\n", 1),
		"      pools[small].fleet.count: 2", "      pools[small].fleet.count: 4", 1) + "workloads:\n  chat: {curve: [0.5, 1]}\n"
	for _, tt := range []struct {
		name, src string
		idle      float64 // quarter 2's
		usd       float64 // the idle instances' cost
		repriced  float64
		pools     map[string]float64 // each pool's idle part
	}{
		{"renamed pool", renamed, 0, 0, 0, nil},
		// The pool's 5 cover its 2 and the main fleet's 2 on demand: 1 idle,
		// the pool's, and the main fleet's on-demand rent repriced.
		{"main fleet on demand on a pool's reservation", mainOD, 1, 1 * h * ri, 2 * h * (ri - od), map[string]float64{"small": 1}},
		{"moved from a pool to the main fleet", moved, 0, 0, 0, nil},
	} {
		f := mixForecast(t, tt.src)
		if tt.name != "renamed pool" {
			m1, m2 := f.meanRentedCount(f.Variants[0], f.samples()[0], 1), f.meanRentedCount(f.Variants[0], f.samples()[0], 2)
			if want := map[bool][2]float64{false: {1, 2}, true: {2, 2}}[tt.src == mainOD]; m1 != want[0] || m2 != want[1] {
				t.Fatalf("%s: the main fleet runs %v, %v; the figures below assume %v", tt.name, m1, m2, want)
			}
		}
		got := f.reservedIdle(nil)[[3]int{0, 0, 2}]
		if !near(got.Instances, tt.idle) || !near(got.USD, tt.usd) || !near(got.RepricedUSD, tt.repriced) {
			t.Errorf("%s: quarter 2 idle %v instances, $%.2f, repriced $%.2f; want %v, $%.2f, $%.2f", tt.name, got.Instances, got.USD,
				got.RepricedUSD, tt.idle, tt.usd, tt.repriced)
		}
		for pool, n := range tt.pools {
			if !near(got.Pools[pool].Instances, n) {
				t.Errorf("%s: quarter 2 pool %s's idle %+v; want %v", tt.name, pool, got.Pools[pool], n)
			}
		}
	}
}

// TestReservedIdleNoteNamesItsFleetsAndCosts: RESERVED INSTANCES IDLE's
// remedy names the pricing of the fleets that reserved the idle instances
// (it named fleet.pricing beside an owned fleet, whose pricing is no
// lever), and its cost is the idle instances': after a step to on-demand
// it gave the net of their cost and the repricing of the instances run on
// the reservation ("3 in quarter 2 ($-4.41k ...)"), which it now says
// apart.
func TestReservedIdleNoteNamesItsFleetsAndCosts(t *testing.T) {
	ri, _ := catalogPrice(t, "trn1.32xlarge", hw.PricingReserved)
	od, _ := catalogPrice(t, "trn1.32xlarge", hw.PricingOnDemand)
	odStep := strings.Replace(reservedPool, "      pools[small].fleet.count: 2",
		"      pools[small].fleet.count: 2\n      pools[small].fleet.pricing: on-demand", 1)
	for _, tt := range []struct {
		name, src, variant string
		rate               []float64
		want               []string
		not                []string
	}{
		{"owned fleet", reservedPool, "owned", []float64{ri, ri}, []string{"when a pool shrinks",
			"Price the pool by the hour from the start (pools[small].fleet.pricing: on-demand)"}, []string{"fleet.pricing,", "Instances run on demand"}},
		{"pool to on-demand", odStep, "rented", []float64{ri, od}, []string{
			"3 in quarter 2 ($53.9k; pool small: 3, $53.9k); $53.9k in all.",
			"so RENT bills them at the reserved rate, not the on-demand price the runs paid: $58.3k less in quarter 2.",
			"as a step to on-demand where demand falls ends no reservation"}, []string{"$-"}},
	} {
		f := mixForecast(t, tt.src)
		runs := append(poolRuns(f, 0, []float64{5, 2}, tt.rate, true), poolRuns(f, 1, []float64{5, 2}, tt.rate, true)...)
		r := NewReport(f, Aggregate(f, runs), len(runs))
		note := r.reservedIdleNote(tt.variant)
		checkNote(t, tt.name, note, tt.want)
		for _, s := range tt.not {
			if strings.Contains(note, s) {
				t.Errorf("%s: the note says %q:\n%s", tt.name, s, note)
			}
		}
		if tt.name == "covered in full" {
			r := NewReport(f, Aggregate(f, runs), len(runs))
			r.metricNames = true
			if got, want := r.reservedIdleNote("rented"), "forecast_periods stores them by period: reserved_repriced_usd."; !strings.HasSuffix(got, want) {
				t.Errorf("%s: named by its stored lines, the note ends\n%s\nwant it to end %q", tt.name, got, want)
			}
		}
	}
}

// TestResumeKeepsPoolInstances: a resumed forecast reads each pool's
// instances from what its runs kept, as the whole one reads them from the
// runs: without them an on-demand pool's cover fell to autoscale.min.
func TestResumeKeepsPoolInstances(t *testing.T) {
	body, err := json.Marshal(keptOf(&RunResult{PoolInstances: map[string]float64{"small": 3.6666666666666665}}))
	if err != nil {
		t.Fatal(err)
	}
	var kr keptResult
	if err := json.Unmarshal(body, &kr); err != nil {
		t.Fatal(err)
	}
	if got := kr.result(Job{}, "r").PoolInstances; got["small"] != 3.6666666666666665 {
		t.Errorf("kept %s, read back %v", body, got)
	}
}

// TestRenamedShrunkPoolKeepsItsReservations: a pool reserved at 5
// trn1.32xlarge, renamed tiny and sized 2 in one roadmap step, runs 2 of
// its own reservation and leaves 3 idle, which the report gives under the
// name the pool reserved them under, with the name it runs under ("pool
// small (tiny from quarter 2)"): the remedy prices pools[small] from the
// start. Tracked as two pools, the old name had run nothing of what it
// reserved, so beside a main fleet on trn1 that shrank from 2 to 1, the
// 4 idle were split 3.33 to the pool and 0.67 to the main fleet, where
// each leaves 3 and 1 of its own reservation unrun.
func TestRenamedShrunkPoolKeepsItsReservations(t *testing.T) {
	ri, _ := catalogPrice(t, "trn1.32xlarge", hw.PricingReserved)
	const h = 2190.0
	rentedOnly := reservedPool[:strings.Index(reservedPool, "  - name: owned")]
	renamed := strings.Replace(rentedOnly, "      pools[small].fleet.count: 2",
		"      pools[small].fleet.count: 2\n      pools[small].name: tiny\n      routing.small: tiny", 1)
	mainToo := strings.Replace(renamed, "set:\n", "set:\n  fleet.instance: trn1.32xlarge\n  fleet.replica.tp: 32\n  fleet.pricing: reserved\n", 1) +
		"workloads:\n  chat: {curve: [1, 0.5]}\n"
	for _, tt := range []struct {
		name, src string
		idle      float64 // quarter 2's, the pool's part 3
		note      []string
	}{
		{"renamed and shrunk", renamed, 3, []string{"3 in quarter 2 ($53.9k; pool small (tiny from quarter 2): 3, $53.9k)",
			"Price the pool by the hour from the start (pools[small].fleet.pricing: on-demand)"}},
		{"beside a main fleet that shrinks", mainToo, 4, []string{"4 in quarter 2 ($71.8k; pool small (tiny from quarter 2): 3, $53.9k)",
			"Price the fleet or the pool by the hour from the start (fleet.pricing, pools[small].fleet.pricing: on-demand)"}},
	} {
		f := mixForecast(t, tt.src)
		got := f.reservedIdle(nil)[[3]int{0, 0, 2}]
		if !near(got.Instances, tt.idle) || !near(got.USD, tt.idle*h*ri) || len(got.Pools) != 1 || !near(got.Pools["small"].Instances, 3) {
			t.Errorf("%s: quarter 2 idle %+v; want %v instances, the pool small's 3", tt.name, got, tt.idle)
		}
		runs := poolRuns(f, 0, []float64{5, 2}, []float64{ri, ri}, false)
		checkNote(t, tt.name, NewReport(f, Aggregate(f, runs), len(runs)).reservedIdleNote("rented"), tt.note)
	}
}

// TestPoolKeys: the pool in a place keeps the track of its first name
// whatever names it takes later, one another's included; a list of
// another length is set anew, and its pools start their own tracks, "NAME
// (new)" where an earlier track has the name.
func TestPoolKeys(t *testing.T) {
	pools := func(names ...string) []model.Pool {
		var out []model.Pool
		for _, n := range names {
			out = append(out, model.Pool{Name: n})
		}
		return out
	}
	for _, tt := range []struct {
		name  string
		lists [][]string // the pools' names, period by period
		want  []string   // the last period's tracks
	}{
		{"renamed", [][]string{{"small", "big"}, {"tiny", "huge"}}, []string{"small", "big"}},
		{"names swapped", [][]string{{"small", "big"}, {"big", "small"}}, []string{"small", "big"}},
		{"renamed, its old name taken later", [][]string{{"small", "big"}, {"tiny", "big"}, {"tiny", "small"}}, []string{"small", "big"}},
		{"renamed back", [][]string{{"small"}, {"tiny"}, {"small"}}, []string{"small"}},
		{"set anew", [][]string{{"small"}, {"tiny", "small"}}, []string{"tiny", "small (new)"}},
	} {
		var pk poolKeys
		var got []string
		for _, names := range tt.lists {
			got = pk.of(pools(names...))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: tracks %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestCoveredOnDemandNoted: a pool reserved at 5 that steps to on-demand
// and runs all 5 there runs them on its reservation, none idle, and RENT
// bills them at the reserved rate, below what its runs paid on demand.
// Where some of the reservation went idle, RESERVED INSTANCES IDLE said
// so; covered in full, no note said why RENT was not what the runs paid.
// Named by the stored lines (compare --forecast), the note points at
// reserved_repriced_usd, which holds the repricing (reserved_idle_usd is 0).
// Held at the reserved rate, nothing is repriced and nothing is said.
func TestCoveredOnDemandNoted(t *testing.T) {
	ri, _ := catalogPrice(t, "trn1.32xlarge", hw.PricingReserved)
	od, _ := catalogPrice(t, "trn1.32xlarge", hw.PricingOnDemand)
	const h = 2190.0
	toOD := func(n string) string {
		return strings.Replace(reservedPool, "      pools[small].fleet.count: 2",
			"      pools[small].fleet.count: "+n+"\n      pools[small].fleet.pricing: on-demand", 1)
	}
	for _, tt := range []struct {
		name, src string
		n         float64 // the pool's instances in quarter 2
		rate      float64
		want, not []string
	}{
		{"covered in full", toOD("5"), 5, od, []string{"RESERVED INSTANCES RUN ON DEMAND: every instance reserved runs, none idle.",
			"so RENT bills them at the reserved rate, not the on-demand price the runs paid: $" + money(5*h*(od-ri)) + " less in quarter 2.",
			"A step to on-demand ends no reservation"}, []string{"RESERVED INSTANCES IDLE"}},
		{"covered in part", toOD("2"), 2, od, []string{"RESERVED INSTANCES IDLE: ", "$" + money(2*h*(od-ri)) + " less in quarter 2."},
			[]string{"RUN ON DEMAND"}},
		{"held reserved", strings.Replace(reservedPool, "fleet.count: 2\n", "fleet.count: 5\n", 1), 5, ri, []string{""}, nil},
	} {
		f := mixForecast(t, tt.src)
		runs := poolRuns(f, 0, []float64{5, tt.n}, []float64{ri, tt.rate}, true)
		note := NewReport(f, Aggregate(f, runs), len(runs)).reservedIdleNote("rented")
		checkNote(t, tt.name, note, tt.want)
		for _, s := range tt.not {
			if strings.Contains(note, s) {
				t.Errorf("%s: the note says %q:\n%s", tt.name, s, note)
			}
		}
		if tt.name == "covered in full" {
			r := NewReport(f, Aggregate(f, runs), len(runs))
			r.metricNames = true
			if got, want := r.reservedIdleNote("rented"), "forecast_periods stores them by period: reserved_repriced_usd."; !strings.HasSuffix(got, want) {
				t.Errorf("%s: named by its stored lines, the note ends\n%s\nwant it to end %q", tt.name, got, want)
			}
		}
	}
}

// twoPools parses a forecast of three quarters, with roadmap's steps
// after its own, over a model mix of two unnamed pools, each named after
// its model (a pool's default name; a set selects it by place):
// llama-3.2-3b, serving bulk, and llama-3.1-8b, serving chat, both at the
// reserved rate on trn1.32xlarge, 2 instances and 1 from quarter 2; the
// main fleet serves long.
func twoPools(t *testing.T, roadmap string) *Forecast {
	t.Helper()
	pool := func(m, count string) string {
		return "  - model: " + m + "\n    fleet: {instance: trn1.32xlarge, count: " + count + ", pricing: reserved, " +
			"replica: {tp: 8, scheduler: neuron, max_num_seqs: 32, max_model_len: 8192}}\n"
	}
	base := "model: llama-3.3-70b\nfleet: {instance: trn2.48xlarge, count: 2, pricing: capacity-block, " +
		"replica: {tp: 32, scheduler: neuron, max_num_seqs: 16, max_model_len: 8192}}\npools:\n" + pool("llama-3.2-3b", "2") +
		pool("llama-3.1-8b", "2") + "routing: {workloads: {chat: llama-3.1-8b, bulk: llama-3.2-3b}}\nworkloads:\n" +
		"  - {name: chat, class: api, arrivals: {process: poisson, rate: 1/s}, prompt_tokens: 800, output_tokens: 250}\n" +
		"  - {name: bulk, class: api, arrivals: {process: poisson, rate: 1/s}, prompt_tokens: 800, output_tokens: 250}\n" +
		"  - {name: long, class: api, arrivals: {process: poisson, rate: 1/s}, prompt_tokens: 800, output_tokens: 250}\n"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "two.yaml"), []byte("name: two\nseed: 1\nhorizon: 3m\n"+base), 0o644); err != nil {
		t.Fatal(err)
	}
	plan := "name: two\nbase: two.yaml\nperiods: {count: 3, length: quarter}\nday: {slices: 1, horizon: 3m}\nroadmap:\n" +
		"  - from: 2\n    set:\n      pools[0].fleet.count: 1\n      pools[1].fleet.count: 1\n" + roadmap +
		"variants:\n  - name: rented\n    procurement: {mode: rented, min: 1, max: 20}\n"
	f, err := Parse(filepath.Join(dir, "f.yaml"), []byte(plan), dir)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestPoolTrackIsItsPlace: a plan's sets set a field of a pool, never a
// whole list or pool (they are refused), so the pool in a place is one
// pool in every period, whatever names it takes, and keeps the track of
// its first name. Read from the sets, a rename was only one that set
// pools[NAME].name or pools[PLACE].name: an unnamed pool whose model a
// step changes takes the new model's name, and was a new pool, its
// reservation idle under the old name; and a pool given, so, a renamed
// pool's old name in a later period took the renamed pool's track, with
// its reservations, leaving the renamed pool a new one.
func TestPoolTrackIsItsPlace(t *testing.T) {
	for _, tt := range []struct {
		name, roadmap string
		want          map[string][]string // each track's pool names by quarter
		idle          map[string]float64  // quarter 3's idle by pool
	}{
		{"renamed by its model", "  - from: 2\n    set:\n      pools[0].model: llama-3.2-1b\n      routing.workloads: {chat: llama-3.1-8b, bulk: llama-3.2-1b}\n",
			map[string][]string{"llama-3.2-3b": {"llama-3.2-3b", "llama-3.2-1b", "llama-3.2-1b"}, "llama-3.1-8b": {"llama-3.1-8b", "llama-3.1-8b", "llama-3.1-8b"}},
			map[string]float64{"llama-3.2-3b": 1, "llama-3.1-8b": 1}},
		{"given a renamed pool's old name later", "  - from: 2\n    set:\n      pools[1].name: tiny\n      routing.workloads: {chat: tiny, bulk: llama-3.2-3b}\n" +
			"  - from: 3\n    set:\n      pools[0].model: llama-3.1-8b\n      routing.workloads: {chat: tiny, bulk: llama-3.1-8b}\n",
			map[string][]string{"llama-3.2-3b": {"llama-3.2-3b", "llama-3.2-3b", "llama-3.1-8b"}, "llama-3.1-8b": {"llama-3.1-8b", "tiny", "tiny"}},
			map[string]float64{"llama-3.2-3b": 1, "llama-3.1-8b": 1}},
	} {
		f := twoPools(t, tt.roadmap)
		got := map[string][]string{}
		for key, tr := range f.poolTracks(f.Variants[0]) {
			got[key] = tr.names
		}
		if !maps.EqualFunc(got, tt.want, slices.Equal[[]string]) {
			t.Errorf("%s: tracks %v, want %v", tt.name, got, tt.want)
		}
		idle := map[string]float64{}
		for pool, part := range f.reservedIdle(nil)[[3]int{0, 0, 3}].Pools {
			idle[pool] = part.Instances
		}
		if !maps.EqualFunc(idle, tt.idle, near) {
			t.Errorf("%s: quarter 3 idle by pool %v; want %v", tt.name, idle, tt.idle)
		}
	}
}
