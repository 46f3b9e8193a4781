package forecast

import (
	"errors"
	"math"
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/runner"
)

// ownDemand is a forecast on the baseline whose second variant sets its
// own demand and prices; %s is that variant's set.
const ownDemand = `name: own
base: baseline
set:
  workloads[chat].arrivals.diurnal: default
periods: {count: 3, length: quarter}
day: {slices: 2, horizon: 3m}
workloads:
  chat: {growth: 0.5, prices: [{from: 2, multiplier: 0.5}]}
  shopping-assistant: {prices: [{from: 2, multiplier: 0.5}]}
variants:
  - name: base
    procurement: {mode: rented, min: 1, max: 6}
  - name: own
    set:
%s    procurement: {mode: rented, min: 1, max: 6}
`

// jobWorkload is workload name in the scenario job j runs.
func jobWorkload(t *testing.T, f *Forecast, j Job, name string) model.Workload {
	t.Helper()
	l, err := f.loadJob(j)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range l.Scenario.Workloads {
		if w.Name == name {
			return w
		}
	}
	t.Fatalf("no workload %s in job %+v", name, j)
	return model.Workload{}
}

// pairs calls check with every job of the first variant and the same job
// (sample, period, day, slice) of the second.
func pairs(t *testing.T, f *Forecast, check func(base, own Job)) {
	t.Helper()
	jobs := f.Jobs()
	n := len(jobs) / 2
	if n == 0 || len(jobs) != 2*n {
		t.Fatalf("%d jobs, want the same number for each of 2 variants", len(jobs))
	}
	for i := range n {
		check(jobs[i], jobs[n+i])
	}
}

// TestVariantSetsItsOwnRate: a variant's own arrival rate is the rate the
// plan's growth multiplies. The runs took every rate from the base
// scenario, after the variant's set, so a variant with ten times the
// traffic ran the base's.
func TestVariantSetsItsOwnRate(t *testing.T) {
	f := parse(t, strings.Replace(ownDemand, "%s", "      workloads[chat].arrivals.rate: 25/s\n", 1))
	pairs(t, f, func(base, own Job) {
		b, o := jobWorkload(t, f, base, "chat").Arrivals.Rate.PerSecond(), jobWorkload(t, f, own, "chat").Arrivals.Rate.PerSecond()
		if !near(o, 10*b) {
			t.Errorf("period %d slice %d: chat at %v/s in the variant of 25/s, %v/s in the base's 2.5/s: want 10 times", base.Period, base.Slice, o, b)
		}
	})
}

// TestVariantSetsItsOwnCurve: a variant's own diurnal curve decides its
// slices' correction: a flat curve runs every slice at its rate times the
// volume, where the base's default curve moves each slice's.
func TestVariantSetsItsOwnCurve(t *testing.T) {
	f := parse(t, strings.Replace(ownDemand, "%s", "      workloads[chat].arrivals.diurnal: flat\n", 1))
	pairs(t, f, func(base, own Job) {
		want := 2.5 * math.Pow(1.5, float64(own.Period-1)) * math.Pow(0.5, 0) // inelastic: the price step leaves the volume
		if got := jobWorkload(t, f, own, "chat").Arrivals.Rate.PerSecond(); !near(got, want) {
			t.Errorf("period %d slice %d: chat on a flat curve at %v/s, want 2.5 x 1.5^%d = %v", own.Period, own.Slice, got, own.Period-1, want)
		}
		if got := jobWorkload(t, f, base, "chat").Arrivals.Rate.PerSecond(); near(got, want) {
			t.Errorf("period %d slice %d: the base's default curve gives %v/s, the flat curve's rate", base.Period, base.Slice, got)
		}
	})
}

// TestVariantPricesTimesTheStep: a variant's own prices (token prices, a
// cached input price among them, and an agent's session fee) are what a
// price step multiplies. Once the step applied, the runs paid the base's
// prices times it (a cached price left as it was would be above the
// halved input price, and refused).
func TestVariantPricesTimesTheStep(t *testing.T) {
	f := parse(t, strings.Replace(ownDemand, "%s", "      workloads[chat].price.input_per_mtok: 3\n      workloads[chat].price.output_per_mtok: 5\n"+
		"      workloads[chat].price.cached_input_per_mtok: 2\n      workloads[shopping-assistant].agent.value.fee: 0.01\n", 1))
	pairs(t, f, func(_, own Job) {
		step := 1.0
		if own.Period >= 2 {
			step = 0.5
		}
		chat, shop := jobWorkload(t, f, own, "chat"), jobWorkload(t, f, own, "shopping-assistant")
		if !near(chat.Price.InputPerMTok, 3*step) || !near(chat.Price.OutputPerMTok, 5*step) || !near(shop.Agent.Value.Fee, 0.01*step) {
			t.Errorf("period %d: chat at $%v/$%v a Mtok, the session fee $%v; want the variant's $3/$5 and $0.01 times %v",
				own.Period, chat.Price.InputPerMTok, chat.Price.OutputPerMTok, shop.Agent.Value.Fee, step)
		}
		if !near(chat.Price.CachedInput(), 2*step) {
			t.Errorf("period %d: chat's cached input at $%v a Mtok, want the variant's $2 times %v", own.Period, chat.Price.CachedInput(), step)
		}
	})
}

// TestRoadmapSetsTheRate: a roadmap step's rate is the rate from its
// period on, growth applied on top; the runs went on at the base's.
func TestRoadmapSetsTheRate(t *testing.T) {
	plain := parse(t, strings.Replace(ownDemand, "%s", "      workloads[chat].arrivals.diurnal: default\n", 1))
	stepped := parse(t, strings.Replace(ownDemand, "%s", "      workloads[chat].arrivals.diurnal: default\n", 1)+
		"roadmap:\n  - from: 3\n    set:\n      workloads[chat].arrivals.rate: 10/s\n")
	before, after := plain.Jobs(), stepped.Jobs()
	for i, j := range after {
		want := 1.0
		if j.Period == 3 {
			want = 4 // 10/s over the base's 2.5/s
		}
		a, b := jobWorkload(t, plain, before[i], "chat").Arrivals.Rate.PerSecond(), jobWorkload(t, stepped, j, "chat").Arrivals.Rate.PerSecond()
		if !near(b, want*a) {
			t.Errorf("variant %d period %d slice %d: chat at %v/s with the step, %v/s without: want %v times", j.Variant, j.Period, j.Slice, b, a, want)
		}
	}
}

// TestDemandSetsRefused: what the plan cannot scale on top of a variant's
// or a roadmap step's set is refused at its line: a price of a workload
// the plan makes elastic (its volume answers the price steps alone), a
// planned workload that no longer arrives at a rate, a step the scenario
// refuses (without naming a --set nobody typed), and a forecast-wide
// step's problem once, not once per variant.
func TestDemandSetsRefused(t *testing.T) {
	elastic := strings.Replace(ownDemand, "chat: {growth: 0.5,", "chat: {growth: 0.5, elasticity: -1.11,", 1)
	for _, tt := range []struct{ name, src, want string }{
		{"elastic price", strings.Replace(elastic, "%s", "      workloads[chat].price.input_per_mtok: 3\n", 1),
			"test.yaml:15:45: variants[1].set.workloads[chat].price.input_per_mtok: changes the prices of workload chat, whose demand the plan makes elastic (elasticity -1.11)"},
		{"elastic cached price", strings.Replace(elastic, "%s", "      workloads[chat].price.cached_input_per_mtok: 0.1\n", 1),
			"test.yaml:15:52: variants[1].set.workloads[chat].price.cached_input_per_mtok: changes the prices of workload chat, whose demand the plan makes elastic"},
		{"closed arrivals", strings.Replace(ownDemand, "%s", "      workloads[chat].arrivals.process: closed\n      workloads[chat].arrivals.clients: 4\n      workloads[chat].arrivals.rate: null\n      workloads[chat].arrivals.diurnal: flat\n", 1),
			"test.yaml:15:41: variants[1].set.workloads[chat].arrivals.process: makes workload chat arrive by closed; the plan (workloads.chat) scales its demand"},
		{"renamed workload", strings.Replace(ownDemand, "%s", "      workloads[chat].name: talk\n", 1),
			"test.yaml:15:29: variants[1].set.workloads[chat].name: makes the workloads talk, shopping-assistant, where the base scenario has chat, shopping-assistant"},
		{"elastic price step", strings.Replace(elastic, "%s", "      workloads[chat].arrivals.rate: 3/s\n", 1) +
			"roadmap:\n  - from: 2\n    set:\n      workloads[chat].price.output_per_mtok: 3\n",
			"test.yaml:20:46: roadmap[0].set.workloads[chat].price.output_per_mtok: changes the prices of workload chat"},
		// The loader names the set a problem comes from as a --set, which
		// nobody typed here: the step is named at its line instead.
		{"a step the scenario refuses", strings.Replace(ownDemand, "%s", "      workloads[chat].arrivals.rate: 3/s\n", 1) +
			"roadmap:\n  - {from: 2, set: {ads.ctr: 5}}\n",
			"test.yaml:18:30: roadmap[0].set.ads.ctr: the scenario does not load with it: ads.ctr: 5 is out of range"},
	} {
		_, err := Parse("test.yaml", []byte(tt.src), "")
		var ie *runner.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an input error with %q", tt.name, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), "--set") {
			t.Errorf("%s: names a --set nobody typed:\n%v", tt.name, err)
		}
		if n := strings.Count(err.Error(), "test.yaml:"); n != 1 {
			t.Errorf("%s: named %d times:\n%v", tt.name, n, err)
		}
	}
	// Elastic demand with a rate of its own, and an inelastic workload's
	// own price, are scaled as they are.
	for _, set := range []string{"      workloads[chat].arrivals.rate: 3/s\n", "      workloads[shopping-assistant].agent.value.fee: 0.01\n"} {
		if _, err := Parse("test.yaml", []byte(strings.Replace(elastic, "%s", set, 1)), ""); err != nil {
			t.Errorf("%s: %v", strings.TrimSpace(set), err)
		}
	}
}

// TestCurveMultipliersAsWritten: a demand curve's multiplier is the rate's
// factor as written, however small, and under a growth draw 1 + (c - 1) x
// g; a draw that would take a curve to 0 or below is refused at its line,
// as one that takes a growth rate to -1 is. A multiplier was floored at
// 0.01 without a word: a curve of 1e-6 ran 10,000 times the traffic it
// asked for, and a draw to -0.25 ran at 0.01 too.
func TestCurveMultipliersAsWritten(t *testing.T) {
	curve := func(c, draw string) string {
		src := strings.Replace(small, "  chat: {growth: 0.5}", "  chat: {curve: [1, "+c+"]}", 1)
		if draw != "" {
			src += "monte_carlo: {samples: 3, growth: " + draw + "}\n"
		}
		return src
	}
	// ratio is each sample's chat rate in period 2 over period 1, slice by
	// slice (the slices' diurnal corrections cancel).
	ratio := func(f *Forecast, check func(sample int, got float64)) {
		t.Helper()
		p1 := map[[3]int]float64{}
		for _, j := range f.Jobs() {
			if j.Period == 1 {
				p1[[3]int{j.Variant, j.Sample, j.Slice}] = rateSet(t, j.Sets, "chat")
			}
		}
		for _, j := range f.Jobs() {
			if j.Period == 2 {
				check(j.Sample, rateSet(t, j.Sets, "chat")/p1[[3]int{j.Variant, j.Sample, j.Slice}])
			}
		}
	}
	same := func(a, b float64) bool { return math.Abs(a/b-1) <= 1e-12 }
	for _, c := range []float64{1e-6, 1e-17, 0.004} {
		ratio(parse(t, curve(num(c), "")), func(_ int, got float64) {
			if !same(got, c) {
				t.Errorf("curve %g, nominal inputs: chat rate x %g in period 2, want x %g", c, got, c)
			}
		})
	}
	f := parse(t, curve("0.5", "{dist: uniform, min: 0.5, max: 1.5}"))
	ins := f.samples()
	ratio(f, func(s int, got float64) {
		if want := 1 + (0.5-1)*ins[s].Growth; !same(got, want) {
			t.Errorf("curve 0.5, sample %d (growth x %.3f): chat rate x %g, want 1 + (0.5 - 1) x %.3f = %g", s, ins[s].Growth, got, ins[s].Growth, want)
		}
	})
	for _, tt := range []struct{ c, draw, want string }{
		{"0.5", "{dist: uniform, min: 2.5, max: 3}",
			"test.yaml:18:56: monte_carlo.growth.min: draws reach 2.5, which makes workload chat's curve[1] 1 + (0.5 - 1) x 2.5 = -0.25: demand multipliers must be > 0"},
		{"0.5", "{dist: uniform, min: 0.5, max: 2}", "monte_carlo.growth.max: draws reach 2, which makes workload chat's curve[1] 1 + (0.5 - 1) x 2 = 0"},
		{"3", "{dist: uniform, min: -1, max: 1}", "monte_carlo.growth.min: draws reach -1, which makes workload chat's curve[1] 1 + (3 - 1) x -1 = -1"},
		// An untruncated normal's tail, not a bound of the plan, reaches
		// 2.2: the message said "draws reach 2.2" and not how to fix it.
		{"0.5", "{dist: normal, mean: 1, std: 0.2}",
			"test.yaml:18:35: monte_carlo.growth: an untruncated normal reaches 2.2 within 6 standard deviations, which makes workload chat's curve[1] 1 + (0.5 - 1) x 2.2 = -0.1: demand multipliers must be > 0 and at most 1e+06; truncate it with min and max"},
		// Truncated, the bound it reaches is the plan's own.
		{"0.5", "{dist: normal, mean: 1, std: 0.2, max: 2.2}",
			"monte_carlo.growth.max: draws reach 2.2, which makes workload chat's curve[1]"},
	} {
		_, err := Parse("test.yaml", []byte(curve(tt.c, tt.draw)), "")
		var ie *runner.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("curve %s, growth %s: got %v, want an input error with %q", tt.c, tt.draw, err, tt.want)
		}
	}
}
