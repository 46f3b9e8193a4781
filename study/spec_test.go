package study

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"aiecon/model"
)

func parse(t *testing.T, src string, sets ...string) *Spec {
	t.Helper()
	sp, err := ParseSpec("sweep.yaml", []byte(src), t.TempDir(), sets)
	if err != nil {
		t.Fatalf("ParseSpec: %v", err)
	}
	return sp
}

func axisValues(a Axis) []string {
	var out []string
	for _, v := range a.Values {
		out = append(out, v.YAML)
	}
	return out
}

func TestParseSpecValuesAndRanges(t *testing.T) {
	sp := parse(t, `name: grid
base: baseline
set: {horizon: 10m}
parameters:
  fleet.count: [2, 3, 4]
  workloads[chat].arrivals.rate: {from: 5/s, to: 20/s, step: 5/s}
  workloads[chat].price.input_per_mtok: {from: 0.1, to: 0.3, step: 0.1}
`)
	if sp.Name != "grid" || sp.Replications != 1 || string(sp.Base.Source) == "" || sp.Base.Name != "baseline" {
		t.Fatalf("spec %+v", sp)
	}
	if len(sp.Set) != 1 || sp.Set[0].String() != "horizon=10m" {
		t.Errorf("set %v", sp.Set)
	}
	want := [][]string{{"2", "3", "4"}, {"5/s", "10/s", "15/s", "20/s"}, {"0.1", "0.2", "0.3"}}
	for i, a := range sp.Parameters {
		if got := axisValues(a); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("%s = %v, want %v", a.Path, got, want[i])
		}
	}
	if !reflect.DeepEqual(sp.KPIs, DefaultKPIs()) {
		t.Errorf("default KPIs %v", sp.KPIs)
	}
}

func TestRangeKinds(t *testing.T) {
	tests := []struct {
		rng  string
		want []string
	}{
		{"{from: 5m, to: 20m, step: 5m}", []string{"5m", "10m", "15m", "20m"}},
		{"{from: 2, to: 16, factor: 2}", []string{"2", "4", "8", "16"}},
		{"{from: 60/min, to: 3/s, step: 1/s}", []string{"1/s", "2/s", "3/s"}},
		{"{from: 1, to: 2.5, step: 1}", []string{"1", "2"}},
		{"{from: 300ms, to: 1s, step: 350ms}", []string{"300ms", "650ms", "1s"}},
	}
	for _, tt := range tests {
		sp := parse(t, "name: r\nbase: baseline\nparameters:\n  horizon: "+tt.rng+"\n")
		if got := axisValues(sp.Parameters[0]); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s -> %v, want %v", tt.rng, got, tt.want)
		}
	}
}

func TestParseSpecErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // substrings of the error, including its location
	}{
		{"unknown top key", "name: x\nbase: baseline\nparamters: {}\n", []string{"sweep.yaml:3:1: paramters: unknown field", "allowed here: name"}},
		{"unknown path", "name: x\nbase: baseline\nparameters:\n  fleet.cnt: [1, 2]\n", []string{"sweep.yaml:4:3: parameters.fleet.cnt: unknown field fleet.cnt; nearest valid paths: fleet.count"}},
		{"no base", "name: x\n", []string{"base: required"}},
		{"unknown base", "name: x\nbase: nope\n", []string{"sweep.yaml:2:7: base:", `no built-in scenario "nope"`}},
		{"missing base file", "name: x\nbase: nope.yaml\n", []string{"sweep.yaml:2:7: base: scenario file", "does not exist"}},
		{"zip lengths", "name: x\nbase: baseline\nzip:\n  fleet.count: [1, 2]\n  fleet.replica.tp: [8]\n", []string{"zip.fleet.replica.tp: has 1 values but zip.fleet.count has 2"}},
		{"varied twice", "name: x\nbase: baseline\nzip:\n  fleet.count: [1, 2]\nparameters:\n  fleet.count: [3]\n", []string{"parameters.fleet.count: is also varied under zip"}},
		{"bad range", "name: x\nbase: baseline\nparameters:\n  horizon: {from: 5m, to: 1m, step: 1m}\n", []string{"sweep.yaml:4:27: parameters.horizon.to: is below from"}},
		{"mixed units", "name: x\nbase: baseline\nparameters:\n  horizon: {from: 5m, to: 10/s, step: 1m}\n", []string{"same unit"}},
		// The step was the odd one out, yet the message named the ends only.
		{"step's unit", "name: x\nbase: baseline\nparameters:\n  workloads[chat].arrivals.rate: {from: 1/s, to: 5/s, step: 1m}\n",
			[]string{"same unit (from is a rate, to is a rate, step is a duration)"}},
		{"range in zip", "name: x\nbase: baseline\nzip:\n  horizon: {from: 5m, to: 10m, step: 1m}\n", []string{"zip takes lists"}},
		{"seed varied", "name: x\nbase: baseline\nparameters:\n  seed: [1, 2]\n", []string{"seeds come from replications"}},
		{"replications", "name: x\nbase: baseline\nreplications: 0\n", []string{"sweep.yaml:3:15: replications: want an integer from 1"}},
		{"bad kpi", "name: x\nbase: baseline\nkpis: [Cost]\n", []string{"kpis: KPI \"Cost\""}},
		{"duplicate value", "name: x\nbase: baseline\nparameters:\n  fleet.count: [2, 2]\n", []string{"value 2 is listed twice"}},
		// Compared as text, [2, 2.0] and [1/s, 60/min] ran one point twice.
		{"duplicate number", "name: x\nbase: baseline\nparameters:\n  fleet.count: [2, 2.0]\n",
			[]string{"sweep.yaml:4:20: parameters.fleet.count: value 2.0 is listed twice: it is 2, listed before"}},
		{"duplicate rate", "name: x\nbase: baseline\nparameters:\n  workloads[chat].arrivals.rate: [1/s, 2/s, 60/min]\n",
			[]string{"sweep.yaml:4:45: parameters.workloads[chat].arrivals.rate: value 60/min is listed twice: it is 1/s"}},
		{"duplicate duration", "name: x\nbase: baseline\nparameters:\n  horizon: [60s, 1m]\n", []string{"sweep.yaml:4:18: parameters.horizon: value 1m is listed twice: it is 60s"}},
		{"repeated zip row", "name: x\nbase: baseline\nzip:\n  workloads[chat].arrivals.rate: [1/s, 2/s, 60/min]\n  ads.ctr: [0.001, 0.002, 0.0010]\n",
			[]string{"sweep.yaml:4:45: zip: row 3 (workloads[chat].arrivals.rate=60/min, ads.ctr=0.001) repeats row 1: it would run the same points twice"}},
		// goccy read 010 as octal 8 and 08 as 8: [08, 010, 012] ran 8, 8, 10.
		// A step below the values' rounding printed ~148 "listed twice" at
		// generated locations; a step of 1e-300 built a million values first.
		{"step below precision", "name: x\nbase: baseline\nparameters:\n  ads.ctr: {from: 0.1, to: 0.1000000000001, step: 0.00000000000001}\n",
			[]string{"sweep.yaml:4:51: parameters.ads.ctr.step: step 0.00000000000001 is finer than the 12 significant digits"}},
		{"factor below precision", "name: x\nbase: baseline\nparameters:\n  ads.ctr: {from: 0.1, to: 0.1000000000001, factor: 1.00000000000001}\n",
			[]string{"sweep.yaml:4:53: parameters.ads.ctr.factor: factor 1.00000000000001 is finer"}},
		{"step of 1e-300", "name: x\nbase: baseline\nparameters:\n  ads.ctr: {from: 0, to: 0.5, step: 1e-300}\n",
			[]string{"sweep.yaml:4:12: parameters.ads.ctr: step from 0 to 0.5 is about 5e+299 values, more than 1000000"}},
		{"leading zero in a list", "name: x\nbase: baseline\nparameters:\n  fleet.count: [08, 010, 012]\n", []string{"sweep.yaml:4:17: 08 has a leading zero"}},
		{"leading zero in a range", "name: x\nbase: baseline\nparameters:\n  fleet.count: {from: 1, to: 010, step: 1}\n", []string{"sweep.yaml:4:30: 010 has a leading zero", "write 10 (decimal) or 0o10 (octal)"}},
		{"bad --set", "name: x\nbase: baseline\n", []string{"--set fleet.cnt=2"}},
		// A name or description with an escape rewrote the terminal of
		// whoever printed the sweep, as a scenario's did.
		{"escape in name", "name: \"s\\e[2J\"\nbase: baseline\n", []string{"sweep.yaml:1:7: name:", "holds the invisible character U+001B"}},

		{"not yaml", "name: [x\n", []string{"sweep.yaml:"}},
		{"mc without samples", "name: x\nbase: baseline\nmontecarlo:\n  parameters:\n    fleet.count: {dist: uniform, min: 1, max: 4, round: true}\n", []string{"montecarlo.samples: required"}},
		// A draw into an integer field needs round: true; without it every
		// draw with a fraction was refused at its point, once truncated.
		{"mc integer without round", "name: x\nbase: baseline\nmontecarlo:\n  samples: 5\n  parameters:\n    fleet.count: {dist: uniform, min: 2, max: 6}\n",
			[]string{"sweep.yaml:6:18: montecarlo.parameters.fleet.count: fleet.count takes whole numbers: add round: true"}},
		{"mc bad dist", "name: x\nbase: baseline\nmontecarlo:\n  samples: 5\n  parameters:\n    fleet.count: {dist: weibull}\n", []string{"sweep.yaml:6:18: montecarlo.parameters.fleet.count.dist: unknown or missing dist \"weibull\""}},
		{"mc missing param", "name: x\nbase: baseline\nmontecarlo:\n  samples: 5\n  parameters:\n    ads.ctr: {dist: normal, mean: 0.004}\n", []string{"dist normal needs mean, std"}},
		{"mc unit mix", "name: x\nbase: baseline\nmontecarlo:\n  samples: 5\n  parameters:\n    horizon: {dist: normal, mean: 10m, std: 2}\n", []string{"mean is a duration but std is a plain number"}},
		// Weights each finite but summing to +Inf panicked in gonum's
		// Categorical at the first draw.
		{"mc weights sum to inf", "name: x\nbase: baseline\nmontecarlo:\n  samples: 3\n  parameters:\n    fleet.count: {dist: choice, values: [1, 2], weights: [1e308, 1e308]}\n",
			[]string{"sweep.yaml:6:58: montecarlo.parameters.fleet.count.weights: the weights add up to more than"}},
		{"mc weight inf", "name: x\nbase: baseline\nmontecarlo:\n  samples: 3\n  parameters:\n    fleet.count: {dist: choice, values: [1, 2], weights: [1, .inf]}\n",
			[]string{"sweep.yaml:6:62: montecarlo.parameters.fleet.count.weights: want a positive number"}},
		{"mc weight zero", "name: x\nbase: baseline\nmontecarlo:\n  samples: 3\n  parameters:\n    fleet.count: {dist: choice, values: [1, 2], weights: [0, 1]}\n",
			[]string{"sweep.yaml:6:59: montecarlo.parameters.fleet.count.weights: want a positive number"}},
		// Distribution parameters out of their domain, and supports that
		// reach values the scenario refuses at the drawn path: each failed
		// only at its points, naming an internal --set, or ran degenerate.
		{"mc sigma huge", "name: x\nbase: baseline\nmontecarlo:\n  samples: 3\n  parameters:\n    ads.ctr: {dist: lognormal, median: 0.01, sigma: 1e14, max: 1}\n",
			[]string{"sweep.yaml:6:14: montecarlo.parameters.ads.ctr: sigma must be above 0 and at most 5"}},
		{"mc beta alpha tiny", "name: x\nbase: baseline\nmontecarlo:\n  samples: 3\n  parameters:\n    ads.ctr: {dist: beta, alpha: 1e-300, beta: 2}\n",
			[]string{"sweep.yaml:6:14: montecarlo.parameters.ads.ctr: alpha and beta must be at least 0.05"}},
		{"mc param beyond magnitude", "name: x\nbase: baseline\nmontecarlo:\n  samples: 3\n  parameters:\n    ads.ctr: {dist: normal, mean: 0.5, std: 1e300}\n",
			[]string{"sweep.yaml:6:45: montecarlo.parameters.ads.ctr.std: 1e300: want a finite number"}},
		{"mc uniform below field", "name: x\nbase: baseline\nmontecarlo:\n  samples: 3\n  parameters:\n    workloads[chat].arrivals.rate: {dist: uniform, min: -1/s, max: 0/s}\n",
			[]string{"sweep.yaml:6:36: montecarlo.parameters.workloads[chat].arrivals.rate: dist uniform draws from -1/s to 0/s, and workloads[chat].arrivals.rate=-1/s is refused"}},
		{"mc beta past field", "name: x\nbase: baseline\nmontecarlo:\n  samples: 3\n  parameters:\n    ads.ctr: {dist: beta, alpha: 2, beta: 2, min: 0.5, max: 1.5}\n",
			[]string{"sweep.yaml:6:14: montecarlo.parameters.ads.ctr: dist beta draws from 0.5 to 1.5", "at most 1"}},
		{"mc normal untruncated", "name: x\nbase: baseline\nmontecarlo:\n  samples: 3\n  parameters:\n    workloads[chat].arrivals.rate: {dist: normal, mean: 4/s, std: 1.5/s}\n",
			[]string{"sweep.yaml:6:36: montecarlo.parameters.workloads[chat].arrivals.rate: dist normal draws from -5/s to 13/s", "truncate it with min and max"}},
		{"mc threshold", "name: x\nbase: baseline\nmontecarlo:\n  samples: 5\n  thresholds: [margin_usd <> 0]\n  parameters:\n    ads.ctr: {dist: beta, alpha: 4, beta: 996}\n", []string{"threshold"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sets []string
			if tt.name == "bad --set" {
				sets = []string{"fleet.cnt=2"}
			}
			_, err := ParseSpec("sweep.yaml", []byte(tt.src), t.TempDir(), sets)
			if err == nil {
				t.Fatal("accepted")
			}
			var me model.Errors
			if !errors.As(err, &me) {
				t.Errorf("error %T is not model.Errors (the CLI exits 2 for those)", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nlacks %q", err, w)
				}
			}
		})
	}
}

// TestBaseFileRelativeToSweep: a base file is read next to the sweep file,
// with a .yaml suffix or without one (base: fleet read ./fleet, from
// wherever the sweep ran, or was told there was no built-in "fleet").
func TestBaseFileRelativeToSweep(t *testing.T) {
	dir := t.TempDir()
	base, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "s"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"fleet.yaml", "fleet"} {
		if err := os.WriteFile(filepath.Join(dir, "s", ref), base, 0o644); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "s", "sweep.yaml")
		if err := os.WriteFile(path, []byte("name: f\nbase: "+ref+"\nparameters: {fleet.count: [1, 2]}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		sp, err := LoadSpec(path, nil)
		if err != nil {
			t.Fatalf("base %s: %v", ref, err)
		}
		if string(sp.Base.Source) != string(base) || sp.Base.Ref != ref || sp.Base.Name != filepath.Join(dir, "s", ref) {
			t.Errorf("base %q from %q", sp.Base.Ref, sp.Base.Name)
		}
	}
	if _, err := LoadSpec(filepath.Join(dir, "missing.yaml"), nil); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing sweep file: %v", err)
	}
}

func TestParseKPIRef(t *testing.T) {
	for in, want := range map[string]KPIRef{
		"margin_usd":           {Name: "margin_usd"},
		"slo_attainment[chat]": {Name: "slo_attainment", Scope: "chat"},
		" ttft_p99_s ":         {Name: "ttft_p99_s"},
	} {
		got, err := ParseKPIRef(in)
		if err != nil || got != want {
			t.Errorf("ParseKPIRef(%q) = %+v, %v", in, got, err)
		}
		if again, _ := ParseKPIRef(got.String()); again != got {
			t.Errorf("%+v does not round-trip through String", got)
		}
	}
	for _, bad := range []string{"", "Margin", "x[", "x[]", "a b"} {
		if _, err := ParseKPIRef(bad); err == nil {
			t.Errorf("ParseKPIRef(%q) accepted", bad)
		}
	}
}

// TestMonteCarloChecksSpareStoredAndOrdinarySweeps: the range checks took
// an untruncated side 10 standard deviations out, which refused ordinary
// uncertainty (a price of mean 0.72 and std 0.1; a lognormal rate of sigma
// 1.5), and they ran on the specification stored with a sweep too, so a
// sweep stored before them could no longer be shown or resumed.
func TestMonteCarloChecksSpareStoredAndOrdinarySweeps(t *testing.T) {
	for _, param := range []string{
		"workloads[chat].price.input_per_mtok: {dist: normal, mean: 0.72, std: 0.1}",
		"workloads[chat].arrivals.rate: {dist: lognormal, median: 4/s, sigma: 1.5}",
	} {
		src := "name: x\nbase: baseline\nmontecarlo:\n  samples: 3\n  parameters:\n    " + param + "\n"
		if _, err := ParseSpec("sweep.yaml", []byte(src), "", nil); err != nil {
			t.Errorf("%s: %v", param, err)
		}
	}
	// A stored sweep drew a rate from an untruncated normal and a ctr from
	// a beta of shape 0.01, both refused now in a file: it still expands.
	src := "name: x\nbase: baseline\nmontecarlo:\n  samples: 3\n  parameters:\n" +
		"    workloads[chat].arrivals.rate: {dist: normal, mean: 4/s, std: 1.5/s}\n" +
		"    ads.ctr: {dist: beta, alpha: 0.01, beta: 2}\n"
	if _, err := ParseSpec("sweep.yaml", []byte(src), "", nil); err == nil {
		t.Fatal("the file is accepted; the test needs one the checks refuse")
	}
	sp, err := parseSpec(&reader{file: "x", frozen: true}, []byte(src), "", nil)
	if err != nil {
		t.Fatalf("a spec the checks refuse: %v", err)
	}
	frozen, err := sp.Freeze(1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := PlanFromFrozen("sweep 1", frozen); err != nil {
		t.Errorf("a stored sweep that ran before the checks: %v", err)
	}
}
