package study

import (
	"bytes"
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"aiecon/runner"
)

const gridSpec = `name: grid
description: two fleets at three loads
base: baseline   # the embedded default
set: {horizon: 2m}
zip:
  fleet.instance: [trn2.48xlarge, p5.48xlarge]
  fleet.replica.tp: [32, 8]
  fleet.replica.scheduler: [neuron, vllm]
parameters:
  fleet.count: [1, 2]
  workloads[chat].arrivals.rate: {from: 5/s, to: 15/s, step: 5/s}
replications: 2
kpis: [cost_per_mtok_usd, "slo_attainment[chat]"]
`

func plan(t *testing.T, src string, sets ...string) *Plan {
	t.Helper()
	sp, err := ParseSpec("sweep.yaml", []byte(src), t.TempDir(), sets)
	if err != nil {
		t.Fatalf("ParseSpec: %v", err)
	}
	p, err := NewPlan(sp)
	if err != nil {
		t.Fatalf("NewPlan: %v", err)
	}
	return p
}

func TestPlanExpansionOrder(t *testing.T) {
	p := plan(t, gridSpec)
	if p.Groups != 12 || p.Samples != 1 || len(p.Points) != 12 {
		t.Fatalf("%d groups x %d samples = %d points, want 12", p.Groups, p.Samples, len(p.Points))
	}
	// The zip row varies slowest, then the parameters in file order, the last fastest.
	wantFirst := []string{"fleet.instance=trn2.48xlarge", "fleet.replica.tp=32", "fleet.replica.scheduler=neuron", "fleet.count=1", "workloads[chat].arrivals.rate=5/s"}
	if got := strings.Fields(p.Points[0].Describe()); !reflect.DeepEqual(got, wantFirst) {
		t.Errorf("point 0 = %v, want %v", got, wantFirst)
	}
	if got := p.Points[1].Describe(); !strings.HasSuffix(got, "fleet.count=1 workloads[chat].arrivals.rate=10/s") {
		t.Errorf("point 1 = %s", got)
	}
	if got := p.Points[3].Describe(); !strings.HasSuffix(got, "fleet.count=2 workloads[chat].arrivals.rate=5/s") {
		t.Errorf("point 3 = %s", got)
	}
	if got := p.Points[6].Describe(); !strings.HasPrefix(got, "fleet.instance=p5.48xlarge fleet.replica.tp=8") {
		t.Errorf("point 6 = %s", got)
	}
	if got := p.Points[4].ParamsJSON(); got != `{"fleet.instance":"trn2.48xlarge","fleet.replica.tp":32,"fleet.replica.scheduler":"neuron","fleet.count":2,"workloads[chat].arrivals.rate":"10/s"}` {
		t.Errorf("params JSON %s", got)
	}
	// Common random numbers: replication r has the same seed at every point.
	for _, pt := range p.Points {
		for rep := 0; rep < 2; rep++ {
			if s := p.RunSeed(pt, rep); s != 1+uint64(rep) {
				t.Errorf("point %d rep %d seed %d, want %d", pt.Index, rep, s, 1+rep)
			}
		}
	}
	if err := p.Validate(context.Background(), nil); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	l, err := p.Load(p.Points[7], 1)
	if err != nil {
		t.Fatal(err)
	}
	sc := l.Scenario
	if sc.Fleet.Instance != "p5.48xlarge" || sc.Fleet.Count != 1 || sc.Workloads[0].Arrivals.Rate != 10 || sc.Seed != 2 || sc.Horizon.Seconds() != 120 {
		t.Errorf("point 7 rep 1 loads %s x%d, rate %v, seed %d, horizon %v", sc.Fleet.Instance, sc.Fleet.Count, sc.Workloads[0].Arrivals.Rate, sc.Seed, sc.Horizon)
	}
	if !strings.Contains(string(l.Given), "# the embedded default") && !bytes.Equal(l.Given, p.Spec.Base.Source) {
		t.Error("runs do not store the base scenario as given")
	}
}

func TestFreezeIsSelfContainedAndStable(t *testing.T) {
	p := plan(t, gridSpec, "fleet.pricing=spot", "horizon=5m", "fleet.pricing=on-demand", "fleet.pricing=capacity-block")
	// The frozen text alone gives the same plan, and freezes to itself.
	q, err := PlanFromFrozen("stored", p.Frozen)
	if err != nil {
		t.Fatalf("PlanFromFrozen: %v\n%s", err, p.Frozen)
	}
	if !reflect.DeepEqual(pointsText(p), pointsText(q)) || p.Seed != q.Seed || p.DerivedID() != q.DerivedID() {
		t.Errorf("the frozen spec expands differently")
	}
	again, err := q.Spec.Freeze(q.Seed)
	if err != nil || !bytes.Equal(again, p.Frozen) {
		t.Errorf("freezing is not stable:\n%s\n---\n%s", p.Frozen, again)
	}
	if !bytes.Equal(q.Spec.Base.Source, p.Spec.Base.Source) {
		t.Errorf("the base text changed through the frozen spec")
	}
	// The command line's --set comes after the file's set; a path set twice
	// keeps its last value.
	if got := q.Overrides(q.Points[0], 0); !reflect.DeepEqual(got[:2], []string{"horizon=5m", "fleet.pricing=capacity-block"}) || strings.Count(strings.Join(got, " "), "fleet.pricing") != 1 {
		t.Errorf("overrides %v", got)
	}
	if other := plan(t, strings.Replace(gridSpec, "[1, 2]", "[1, 3]", 1)); other.DerivedID() == p.DerivedID() {
		t.Error("two different sweeps derive one id")
	}
	if len(p.SweepInfo().Points) != 12 || p.SweepInfo().Replications != 2 || p.SweepInfo().SpecYAML != string(p.Frozen) {
		t.Errorf("sweep info %+v", p.SweepInfo())
	}
}

func pointsText(p *Plan) []string {
	var out []string
	for _, pt := range p.Points {
		out = append(out, pt.ParamsJSON())
	}
	return out
}

// TestSweepSizeBounds: points x replications past MaxRuns is refused before
// anything expands (10^10 runs would be listed), and Validate, minutes long
// for a million points, stops when its context is cancelled (Ctrl-C and
// SIGTERM went unheard until it was done).
func TestSweepSizeBounds(t *testing.T) {
	sp, err := ParseSpec("s.yaml", []byte("name: big\nbase: baseline\nreplications: 10000\nparameters:\n  fleet.count: {from: 1, to: 200, step: 1}\n"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewPlan(sp)
	var ie *runner.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "200 points x 10000 replications = 2000000 runs, more than the 1000000") {
		t.Fatalf("NewPlan: %v, want an input error on the number of runs", err)
	}
	p := plan(t, "name: ok\nbase: baseline\nparameters:\n  fleet.count: {from: 1, to: 2000, step: 1}\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Validate(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Validate with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestValidateRefusesBadPoints(t *testing.T) {
	p := plan(t, "name: bad\nbase: baseline\nparameters:\n  fleet.count: [2, -1, -2]\n")
	err := p.Validate(context.Background(), nil)
	var ie *runner.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("Validate: %v (want an input error)", err)
	}
	for _, want := range []string{"2 of 3 points are invalid; nothing was run", "point 1 (fleet.count=-1): sweep.yaml:4:20: parameter fleet.count=-1: fleet.count: -1 is out of range", "point 2 (fleet.count=-2): sweep.yaml:4:24: parameter fleet.count=-2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	// An invalid base (with the sweep's set) is reported against the base.
	sp, err := ParseSpec("s.yaml", []byte("name: b\nbase: baseline\nset: {fleet.instance: nope}\n"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewPlan(sp); err == nil || !strings.Contains(err.Error(), "s.yaml:3:23: set {fleet.instance: nope}: fleet.instance: unknown instance") {
		t.Errorf("invalid base: %v", err)
	}
}

// TestPointErrorsNameTheSweep: a point's error named "--set
// fleet.count=-3", which nobody typed, for a value of the sweep file's;
// it names the parameter at its line now (a range's at the parameter's,
// a stored sweep's without a line), and a --set typed on the command line
// is still the --set's.
func TestPointErrorsNameTheSweep(t *testing.T) {
	const head = "name: s\nbase: baseline\nset: {horizon: 1m}\n"
	cases := []struct {
		name, spec string
		sets       []string
		want       string
	}{
		{"a listed value", head + "parameters:\n  fleet.count: [1, -3]\n", nil,
			"point 1 (fleet.count=-3): sweep.yaml:5:20: parameter fleet.count=-3: fleet.count: -3 is out of range"},
		{"a zipped value", head + "zip:\n  fleet.count: [1, -3]\n  fleet.replica.max_num_seqs: [8, 16]\n", nil,
			"point 1 (fleet.count=-3 fleet.replica.max_num_seqs=16): sweep.yaml:5:20: parameter fleet.count=-3: fleet.count: -3 is out of range"},
		{"a range", head + "parameters:\n  fleet.replica.max_num_seqs: {from: 4000, to: 5000, step: 1000}\n", nil,
			"point 1 (fleet.replica.max_num_seqs=5000): sweep.yaml:5:3: parameter fleet.replica.max_num_seqs=5000: fleet.replica.max_num_seqs: 5000 is out of range"},
		{"a typed --set", head + "parameters:\n  fleet.replica.max_num_seqs: [8, 16]\n", []string{"fleet.count=-3"},
			"--set fleet.count=-3: fleet.count: -3 is out of range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sp, err := ParseSpec("sweep.yaml", []byte(c.spec), t.TempDir(), c.sets)
			if err != nil {
				t.Fatal(err)
			}
			p, err := NewPlan(sp)
			if err == nil {
				err = p.Validate(context.Background(), nil)
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v\nwant it to contain %q", err, c.want)
			}
		})
	}
	// A sweep read back from the store has no file to point into.
	p := plan(t, head+"parameters:\n  fleet.count: [1, -3]\n")
	stored, err := PlanFromFrozen("sweep s", p.Frozen)
	if err != nil {
		t.Fatal(err)
	}
	want := "point 1 (fleet.count=-3): parameter fleet.count=-3: fleet.count: -3 is out of range"
	if err := stored.Validate(context.Background(), nil); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("stored sweep: %v\nwant it to contain %q", err, want)
	}
}

// TestSetLeftToThePoints: a set may leave a field for the points to give
// (owned pricing whose price is a parameter, a zip column or a draw), and
// the sweep is then valid; a price no point gives is still refused with
// the base's error, once, and a point that gives a bad one with the
// point's, as Validate reports every point's. An error of the set's own is
// the set's, though point 0 mends the price. set: {fleet.pricing: owned} with the price a parameter was
// refused as "fleet.price_usd_per_hour: required with pricing: owned".
func TestSetLeftToThePoints(t *testing.T) {
	const head = "name: s\nbase: baseline\nset: {horizon: 1m, fleet.pricing: owned}\n"
	const invalid = "sweep s: 1 of 2 points are invalid; nothing was run:\n"
	const setAdvice = ": what an owned server costs its owner per hour (depreciation, power, facility and operations) has no catalog figure; " +
		"give it, e.g. add fleet.price_usd_per_hour: N to the sweep's set or its parameters (USD per server-hour)"
	tests := []struct {
		name, spec string
		seed       uint64 // the sweep's, or the base's when 0
		want       string // the error, "" when the plan is valid
	}{
		{"price a parameter", head + "parameters:\n  fleet.price_usd_per_hour: [10, 20]\n", 1, ""},
		{"price in a zip", head + "zip:\n  fleet.price_usd_per_hour: [10, 20]\n  fleet.count: [1, 2]\n", 1, ""},
		{"price drawn", head + "montecarlo:\n  samples: 3\n  parameters:\n    fleet.price_usd_per_hour: {dist: uniform, min: 10, max: 20}\n", 1, ""},
		{"the sweep's seed", head + "seed: 7\nparameters:\n  fleet.price_usd_per_hour: [10, 20]\n", 7, ""},
		{"the base's seed", strings.Replace(head, "horizon: 1m", "horizon: 1m, seed: 5", 1) + "parameters:\n  fleet.price_usd_per_hour: [10, 20]\n", 5, ""},
		// A --set would mend outside the file what its set left out.
		{"no price", head + "parameters:\n  fleet.count: [1, 2]\n", 0,
			"s.yaml:3:35: set {fleet.pricing: owned}: fleet.price_usd_per_hour: required with pricing: owned" + setAdvice},
		{"no parameter", head, 0, "s.yaml:3:35: set {fleet.pricing: owned}: fleet.price_usd_per_hour: required with pricing: owned" + setAdvice},
		// A point's own error is Validate's, in point 0 as in point 1.
		{"a bad price", head + "parameters:\n  fleet.price_usd_per_hour: [-1, 10]\n", 0,
			invalid + "point 0 (fleet.price_usd_per_hour=-1): s.yaml:5:30: parameter fleet.price_usd_per_hour=-1: fleet.price_usd_per_hour: -1 is not a price"},
		{"a bad price in point 1", head + "parameters:\n  fleet.price_usd_per_hour: [10, -1]\n", 0,
			invalid + "point 1 (fleet.price_usd_per_hour=-1): s.yaml:5:34: parameter fleet.price_usd_per_hour=-1: fleet.price_usd_per_hour: -1 is not a price"},
		// 0 is a price: servers already paid for.
		{"a price of 0", head + "parameters:\n  fleet.price_usd_per_hour: [0, 10]\n", 1, ""},
		// The set's own error is the set's, not point 0's, though the
		// point gives the price the set leaves out.
		{"a bad count in the set", strings.Replace(head, "owned}", "owned, fleet.count: -3}", 1) + "parameters:\n  fleet.price_usd_per_hour: [10, 20]\n", 0,
			"s.yaml:3:55: set {fleet.count: -3}: fleet.count: -3 is out of range"},
		{"a bad count in the set, a bad price", strings.Replace(head, "owned}", "owned, fleet.count: -3}", 1) + "parameters:\n  fleet.price_usd_per_hour: [-1, 20]\n", 0,
			"s.yaml:3:55: set {fleet.count: -3}: fleet.count: -3 is out of range (allowed: 1 to 100000)\nsweep s: point 0 (fleet.price_usd_per_hour=-1): s.yaml:5:30: parameter fleet.price_usd_per_hour=-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp, err := ParseSpec("s.yaml", []byte(tt.spec), t.TempDir(), nil)
			if err != nil {
				t.Fatalf("ParseSpec: %v", err)
			}
			p, err := NewPlan(sp)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("NewPlan: %v", err)
				}
				if err := p.Validate(context.Background(), nil); err != nil {
					t.Fatalf("Validate: %v", err)
				}
				if p.Seed != tt.seed {
					t.Errorf("seed %d, want %d", p.Seed, tt.seed)
				}
				return
			}
			if err == nil {
				err = p.Validate(context.Background(), nil)
			}
			var ie *runner.InputError
			if !errors.As(err, &ie) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("NewPlan and Validate: %v, want an input error starting %q", err, tt.want)
			}
		})
	}
}

func TestShard(t *testing.T) {
	s, err := ParseShard("1/3")
	if err != nil || s != (ShardSpec{1, 3}) {
		t.Fatalf("ParseShard: %v %v", s, err)
	}
	var got []int
	for p := 0; p < 8; p++ {
		if s.Has(p) {
			got = append(got, p)
		}
	}
	if !reflect.DeepEqual(got, []int{1, 4, 7}) {
		t.Errorf("shard 1/3 of 8 points: %v", got)
	}
	if !(ShardSpec{}).Has(5) {
		t.Error("the zero shard is not everything")
	}
	for _, bad := range []string{"3/3", "-1/2", "1", "a/b", "0/0"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}

const mcSpec = `name: mc
base: baseline
zip: {fleet.count: [3, 4]}
replications: 2
kpis: [margin_usd, slo_attainment]
montecarlo:
  samples: 4
  parameters:
    workloads[chat].arrivals.rate: {dist: normal, mean: 12/s, std: 2/s, min: 1/s}
    fleet.replica.max_num_seqs: {dist: uniform, min: 16, max: 64, round: true}
    ads.ctr: {dist: beta, alpha: 4, beta: 996}
`

func TestMonteCarloPlan(t *testing.T) {
	p := plan(t, mcSpec)
	if p.Groups != 2 || p.Samples != 4 || len(p.Points) != 8 {
		t.Fatalf("%d x %d = %d points", p.Groups, p.Samples, len(p.Points))
	}
	// Every grid row sees the same draws; the seeds differ per sample and
	// replication and are shared across rows.
	for s := 0; s < 4; s++ {
		a, b := p.Points[s], p.Points[4+s]
		if !reflect.DeepEqual(a.Params[1:], b.Params[1:]) {
			t.Errorf("sample %d differs between rows: %v / %v", s, a.Describe(), b.Describe())
		}
		if p.RunSeed(a, 1) != p.RunSeed(b, 1) || p.RunSeed(a, 1) != 1+uint64(2*s+1) {
			t.Errorf("sample %d seeds %d / %d", s, p.RunSeed(a, 1), p.RunSeed(b, 1))
		}
	}
	if p.Points[0].Describe() == p.Points[1].Describe() {
		t.Error("two samples drew the same values")
	}
	if err := p.Validate(context.Background(), nil); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if got := p.Points[0].Params[2].Value.YAML; strings.Contains(got, ".") {
		t.Errorf("round: true drew %s", got)
	}
	// Same spec, same draws; another seed, other draws.
	if q := plan(t, mcSpec); !reflect.DeepEqual(pointsText(p), pointsText(q)) {
		t.Error("Monte Carlo draws are not reproducible")
	}
	if q := plan(t, mcSpec+"  seed: 9\n"); reflect.DeepEqual(pointsText(p), pointsText(q)) {
		t.Error("the Monte Carlo seed changes nothing")
	}
	// Adding a parameter leaves the others' draws unchanged (one stream per path).
	q := plan(t, mcSpec+"    workloads[chat].price.input_per_mtok: {dist: triangular, min: 0.5, mode: 0.7, max: 1}\n")
	for i := range p.Points {
		if !reflect.DeepEqual(p.Points[i].Params, q.Points[i].Params[:4]) {
			t.Fatalf("point %d: adding a parameter changed the others' draws", i)
		}
	}
}

// Draws match their distributions: sample moments within about four
// standard errors (n = 20000).
func TestDistributions(t *testing.T) {
	const n = 20000
	tests := []struct {
		path, spec     string
		mean, sd       float64
		meanTol, sdTol float64
	}{
		{"workloads[chat].arrivals.rate", "{dist: normal, mean: 12/s, std: 2/s, min: 0.1/s}", 12, 2, 4 * 2 / math.Sqrt(n), 0.05},
		{"ads.ctr", "{dist: beta, alpha: 4, beta: 996}", 0.004, math.Sqrt(4 * 996 / (1000.0 * 1000 * 1001)), 4e-5, 1e-4},
		{"workloads[chat].price.input_per_mtok", "{dist: uniform, min: 10, max: 20}", 15, 10 / math.Sqrt(12), 0.06, 0.05},
		{"workloads[chat].price.input_per_mtok", "{dist: triangular, min: 0, mode: 3, max: 6}", 3, math.Sqrt(36.0 / 24), 0.04, 0.03},
		{"horizon", "{dist: lognormal, median: 1m, sigma: 0.5, min: 1s}", 60 * math.Exp(0.125), 60 * math.Sqrt((math.Exp(0.25)-1)*math.Exp(0.25)), 4 * 36.2 / math.Sqrt(n), 1.5},
	}
	for _, tt := range tests {
		sp, err := ParseSpec("s.yaml", []byte("name: d\nbase: baseline\nmontecarlo:\n  samples: 1\n  parameters:\n    "+tt.path+": "+tt.spec+"\n"), "", nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.spec, err)
		}
		d := sp.MonteCarlo.Params[0].Dist
		src := streamSource(7, "test")
		xs := make([]float64, n)
		for i := range xs {
			v, err := d.sample(src)
			if err != nil {
				t.Fatal(err)
			}
			q, err := parseQuantity(v.YAML)
			if err != nil {
				t.Fatalf("%s drew %q: %v", tt.spec, v.YAML, err)
			}
			xs[i] = q.v
		}
		m, s := stat.MeanStdDev(xs, nil)
		if math.Abs(m-tt.mean) > tt.meanTol || math.Abs(s-tt.sd) > tt.sdTol {
			t.Errorf("%s: mean %v sd %v, want %v ± %v and %v ± %v", tt.spec, m, s, tt.mean, tt.meanTol, tt.sd, tt.sdTol)
		}
	}
	// Truncation keeps draws inside min/max; choice follows its weights.
	sp, err := ParseSpec("s.yaml", []byte("name: d\nbase: baseline\nmontecarlo:\n  samples: 1\n  parameters:\n    fleet.count: {dist: normal, mean: 3, std: 5, min: 1, max: 6, round: true}\n    fleet.instance: {dist: choice, values: [a, b], weights: [3, 1]}\n"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	src := streamSource(1, "x")
	countA := 0
	for range n {
		v, _ := sp.MonteCarlo.Params[0].Dist.sample(src)
		if x := v.JSON.(float64); x < 1 || x > 6 || x != math.Round(x) {
			t.Fatalf("truncated rounded normal drew %v", x)
		}
		c, _ := sp.MonteCarlo.Params[1].Dist.sample(src)
		if c.YAML == "a" {
			countA++
		}
	}
	if f := float64(countA) / n; math.Abs(f-0.75) > 4*math.Sqrt(0.75*0.25/n) {
		t.Errorf("choice drew a %v of the time, want 0.75", f)
	}
	bad, _ := ParseSpec("s.yaml", []byte("name: d\nbase: baseline\nmontecarlo:\n  samples: 1\n  parameters:\n    fleet.count: {dist: normal, mean: 0, std: 1, min: 50, round: true}\n"), "", nil)
	if _, err := bad.MonteCarlo.Params[0].Dist.sample(streamSource(1, "x")); err == nil {
		t.Error("a truncation that excludes everything drew a value")
	}
}

// TestBetaRounds: a beta draw into an integer field rounds like the others
// (without round: true such a spec is refused, so beta must accept it).
func TestBetaRounds(t *testing.T) {
	p := plan(t, "name: b\nbase: baseline\nmontecarlo:\n  samples: 3\n  parameters:\n    fleet.replica.max_model_len: {dist: beta, alpha: 2, beta: 2, min: 2048, max: 4096, round: true}\n")
	for _, pt := range p.Points {
		if got := pt.Params[0].Value.YAML; strings.ContainsAny(got, ".e") {
			t.Errorf("round: true drew %s", got)
		}
	}
}

// TestValidateRefusesSeedsPastTheLimit: a sweep whose last replication's
// seed passes 2^63-1 is refused before anything runs (Validate loads
// replication 0 only; the runs above the limit used to fail one by one).
func TestValidateRefusesSeedsPastTheLimit(t *testing.T) {
	src := "name: s\nbase: baseline\nreplications: 3\nparameters:\n  fleet.count: [1, 2]\n"
	for _, tt := range []struct {
		seed string
		ok   bool
	}{{"seed: 9223372036854775805", true}, {"seed: 9223372036854775806", false}} {
		p := plan(t, src+tt.seed+"\n")
		err := p.Validate(context.Background(), nil)
		var ie *runner.InputError
		if tt.ok != (err == nil) || (err != nil && (!errors.As(err, &ie) || !strings.Contains(err.Error(), "past 2^63-1"))) {
			t.Errorf("%s: %v", tt.seed, err)
		}
	}
}
