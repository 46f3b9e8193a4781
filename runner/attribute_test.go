package runner

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/model"
)

// TestRenameErrorsNameTheSet: an error a --set causes by changing a list
// element's name names the --set, not the base file's line: the element
// is found by the name the file gives it (workloads[chat].name=... was
// "built-in baseline:22:11: workloads[0].name: ..."), a pool by its name as
// a workload is (pools[small] was never matched), and an error quoting the
// name given or taken away (a duplicate, a reference to the old name) is
// the rename's.
func TestRenameErrorsNameTheSet(t *testing.T) {
	checkSetErrors(t, []setErrorCase{
		{"baseline", []string{`workloads[chat].name=""`}, []string{`--set workloads[chat].name="": workloads[0].name: required`}},
		{"baseline", []string{"workloads[chat].name=" + strings.Repeat("x", 201)},
			[]string{"--set workloads[chat].name=xxx"}},
		{"baseline", []string{"workloads[chat].name=shopping-assistant"}, []string{
			`--set workloads[chat].name=shopping-assistant: workloads[1].name: duplicate workload name "shopping-assistant"`,
			`--set workloads[chat].name=shopping-assistant: ads.workloads[0]: "shopping-assistant" is class api`}},
		{"baseline", []string{"workloads[chat].name=x", "workloads[x].arrivals.rate=-1"},
			[]string{"--set workloads[x].arrivals.rate=-1: workloads[0].arrivals.rate:"}},
		{"model-mix", []string{"pools[small].fleet.count=-1"}, []string{"--set pools[small].fleet.count=-1: pools[0].fleet.count:"}},
		{"model-mix", []string{"pools[small].name=tiny"}, []string{`--set pools[small].name=tiny: routing.small: no pool named "small"`}},
		{"model-mix", []string{"pools[0].name=tiny"}, []string{`--set pools[0].name=tiny: routing.small: no pool named "small"`}},
	})
}

// TestCausedErrorsNameTheSet: an error on a field no --set gave, that a
// --set of another field causes, names that --set: --set
// fleet.pricing=owned was "built-in baseline:15:11:
// fleet.price_usd_per_hour: required with pricing: owned", the file's
// instance line, and said nothing of the --set. A --set of the field
// itself is still the one named.
func TestCausedErrorsNameTheSet(t *testing.T) {
	const owned = "fleet.price_usd_per_hour: required with pricing: owned"
	checkSetErrors(t, []setErrorCase{
		{"baseline", []string{"fleet.pricing=owned"}, []string{"--set fleet.pricing=owned: " + owned}},
		{"baseline", []string{"fleet.pricing=owned", "fleet.count=2"}, []string{"--set fleet.pricing=owned: " + owned}},
		{"baseline", []string{"fleet.pricing=owned", "fleet.price_usd_per_hour=null"},
			[]string{"--set fleet.price_usd_per_hour=null: " + owned}},
		{"model-mix", []string{"pools[small].fleet.pricing=owned"},
			[]string{"--set pools[small].fleet.pricing=owned: pools[0]." + owned}},
		{"inferentia-small", []string{"fleet.instance=trn2.48xlarge"},
			[]string{"--set fleet.instance=trn2.48xlarge: fleet.pricing: the catalog has no on-demand price for trn2.48xlarge"}},
		// A horizon under the file's window, a fleet too small for its
		// fleet-idle training: the --set, not the file's window or where.
		{"retrain-weekly", []string{"horizon=3m"}, []string{"--set horizon=3m: window: 10m is longer than the horizon 3m"}},
		{"retrain-weekly", []string{"fleet.count=1"}, []string{"--set fleet.count=1: training.where: the training job does not fit"}},
		// An instance whose schedulers exclude the file's: the --set of
		// the instance, not the file's scheduler line.
		{"baseline", []string{"fleet.instance=p5.48xlarge", "fleet.replica.tp=8"},
			[]string{`--set fleet.instance=p5.48xlarge: fleet.replica.scheduler: scheduler "neuron" does not run on p5.48xlarge`}},
		{"baseline", []string{"fleet.instance=p5.48xlarge", "fleet.replica.scheduler=vllm"},
			[]string{"--set fleet.instance=p5.48xlarge: fleet.replica.tp: 32 exceeds the 8 devices of p5.48xlarge"}},
		{"baseline", []string{"fleet.replica.tp=32", "fleet.instance=p5.48xlarge", "fleet.replica.scheduler=vllm"},
			[]string{"--set fleet.replica.tp=32: fleet.replica.tp: 32 exceeds the 8 devices of p5.48xlarge"}},
	})
	// The message says how to give the price.
	_, err := Load("baseline", []string{"fleet.pricing=owned"})
	if err == nil || !strings.Contains(err.Error(), "--set fleet.price_usd_per_hour=N") {
		t.Errorf("owned without a price: %v, want it to say --set fleet.price_usd_per_hour=N", err)
	}
}

// TestPaidCPCErrorNamesTheSet: a paid_cpc the file gives that a --set of
// the ctr, the pricing or the reserve puts below the reserve's price per
// click is that --set's error, not the file's ads line's, and it says how
// to use the bids as written.
func TestPaidCPCErrorNamesTheSet(t *testing.T) {
	text, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ads.yaml")
	text = bytes.Replace(text, []byte("  reserve: 0.2\n"), []byte("  reserve: 0.2\n  paid_cpc: 1.5\n"), 1)
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	const msg = "ads.paid_cpc: 1.5 is below the reserve 0.2 per mille ($2 per click at ctr 0.0001)"
	checkSetErrors(t, []setErrorCase{
		{path, []string{"ads.pricing=cpm", "ads.ctr=0.0001"}, []string{"--set ads.ctr=0.0001: " + msg}},
		{path, []string{"ads.ctr=0.0001", "ads.pricing=cpm"}, []string{"--set ads.pricing=cpm: " + msg}},
		{path, []string{"ads.reserve=2"}, []string{"--set ads.reserve=2: ads.paid_cpc: 1.5 is below the reserve 2,"}},
	})
	if _, err := Load(path, []string{"ads.reserve=2"}); err == nil || !strings.Contains(err.Error(), "give paid_cpc: 0") {
		t.Errorf("%v, want it to say paid_cpc: 0 uses the bids as written", err)
	}
}

// TestVariantSetErrorsNameTheSet: an error a variant's set causes is that
// set's, not a --set nobody typed ("variant own: --set
// fleet.pricing=owned: ..."), and the advice to --set the owned price,
// which would price every variant (the rented one at $N, not the
// catalog's), is to add it to the variant's set.
func TestVariantSetErrorsNameTheSet(t *testing.T) {
	text, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "own.yaml")
	text = append(text, "variants:\n  - {name: rented, set: {fleet.count: 2}}\n  - {name: own, set: {fleet.pricing: owned}}\n"...)
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	want := "variant own: set {fleet.pricing: owned}: fleet.price_usd_per_hour: required with pricing: owned: "
	advice := "; give it, e.g. add fleet.price_usd_per_hour: N to this variant's set (USD per server-hour)"
	for _, sets := range [][]string{nil, {"horizon=1m"}} {
		_, err := LoadVariants(path, sets, "")
		if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), advice) {
			t.Errorf("%v: %v, want %q ... %q", sets, err, want, advice)
		}
	}
}

type setErrorCase struct {
	scenario string
	sets     []string
	want     []string // each line of the error starts with one
}

// checkSetErrors loads each case's scenario with its sets and checks the
// lines of the error.
func checkSetErrors(t *testing.T, tests []setErrorCase) {
	t.Helper()
	for _, tt := range tests {
		_, err := Load(tt.scenario, tt.sets)
		if err == nil {
			t.Errorf("%s %v: loaded", tt.scenario, tt.sets)
			continue
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != len(tt.want) {
			t.Errorf("%s %v: %q, want %d lines", tt.scenario, tt.sets, err, len(tt.want))
			continue
		}
		for i, w := range tt.want {
			if !strings.HasPrefix(lines[i], w) {
				t.Errorf("%s %v: line %d %q, want it to start %q", tt.scenario, tt.sets, i+1, lines[i], w)
			}
		}
	}
}
