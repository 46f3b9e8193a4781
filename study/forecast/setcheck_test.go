package forecast

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"aiecon/runner"
)

// TestSetEntriesRefusedAtTheirLine: an entry of a set (the forecast's, a
// variant's, a roadmap step's) that no run could apply, a block or a list
// given whole or a value of the wrong shape for its field, is refused when
// the file is read, at the entry's line, naming it and the set's owner. It
// was accepted, and refused when the runs were prepared, without a line
// ("forecast small, variant rented, period 1 (...): --set fleet: fleet is
// a block of fields, and --set sets one field"); the forecast's set's
// problem was placed at base:. A forecast-wide step's is named once.
func TestSetEntriesRefusedAtTheirLine(t *testing.T) {
	const rented = "    procurement: {mode: rented, min: 1, max: 6}\n"
	for _, tt := range []struct {
		name, edit, with string
		entry, want      string // entry: the text of the line it is refused at
	}{
		{"variant block", rented, "    set:\n      fleet: {count: 2}\n" + rented, "fleet: {count: 2}",
			"variants[1].set.fleet: fleet is a block of fields, and variant rented's set sets one field per entry, not a whole block"},
		{"variant list", rented, "    set:\n      workloads: [{name: chat}]\n" + rented, "workloads: [{name: chat}]",
			"variants[1].set.workloads: workloads is a list, and variant rented's set sets one field per entry"},
		{"variant scalar for a block", rented, "    set:\n      fleet.replica: 8\n" + rented, "fleet.replica: 8",
			"variants[1].set.fleet.replica: fleet.replica is a block of fields"},
		{"variant list for a number", rented, "    set:\n      fleet.replica.tp: [8]\n" + rented, "fleet.replica.tp: [8]",
			"variants[1].set.fleet.replica.tp: want an integer, got a list"},
		{"variant mapping for a rate", rented, "    set:\n      workloads[chat].arrivals.rate: {per: s}\n" + rented,
			"workloads[chat].arrivals.rate: {per: s}", "variants[1].set.workloads[chat].arrivals.rate: want a rate such as 40/s"},
		{"forecast block", "  workloads[chat].arrivals.diurnal: default\n", "  workloads[chat].arrivals.diurnal: default\n  fleet: {count: 2}\n",
			"  fleet: {count: 2}", "set.fleet: fleet is a block of fields, and the forecast's set sets one field per entry"},
		{"forecast list for a name", "  workloads[chat].arrivals.diurnal: default\n", "  workloads[chat].arrivals.diurnal: default\n  model: [a, b]\n",
			"  model: [a, b]", "set.model: model is a catalog name"},
		{"forecast roadmap", "variants:\n", "roadmap:\n  - {from: 2, set: {fleet.replica.tp: [8]}}\nvariants:\n",
			"  - {from: 2, set: {fleet.replica.tp: [8]}}", "roadmap[0].set.fleet.replica.tp: want an integer, got a list"},
		{"variant roadmap", rented, rented + "    roadmap:\n      - from: 2\n        set:\n          workloads[chat]: {name: chat}\n",
			"workloads[chat]: {name: chat}",
			"variants[1].roadmap[0].set.workloads[chat]: workloads[chat] is a block of fields, and a roadmap step's set sets one field per entry"},
		{"good", rented, "    set:\n      fleet.autoscale: null\n      fleet.count: 2\n      workloads[chat].arrivals.rate: 3/s\n" + rented, "", ""},
	} {
		src := strings.Replace(small, tt.edit, tt.with, 1)
		if src == small {
			t.Fatalf("%s: edit %q not found", tt.name, tt.edit)
		}
		_, err := Parse("test.yaml", []byte(src), "")
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		line := lineOf(src, tt.entry)
		var ie *runner.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), fmt.Sprintf("test.yaml:%d:", line)) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v\nwant an input error at test.yaml:%d with %q", tt.name, err, line, tt.want)
			continue
		}
		if n := strings.Count(err.Error(), "test.yaml:"); n != 1 {
			t.Errorf("%s: named %d times:\n%v", tt.name, n, err)
		}
	}
}

// lineOf is the 1-based line of src that is line (after its indentation).
func lineOf(src, line string) int {
	for i, l := range strings.Split(src, "\n") {
		if strings.TrimSpace(l) == strings.TrimSpace(line) {
			return i + 1
		}
	}
	return 0
}

// TestResolvedSetEntriesNamedAtTheirLine: an entry of the file's sets
// that the scenario's checks refuse only once it is resolved (an unknown
// pricing or instance) is named, before any run, as the file writes it:
// the set and entry at its line. It was named as a --set nobody typed
// ("--set fleet.pricing=bogus"), without a line, and its advice to --set
// a field would have reached every variant.
func TestResolvedSetEntriesNamedAtTheirLine(t *testing.T) {
	const rented = "    procurement: {mode: rented, min: 1, max: 6}\n"
	for _, tt := range []struct {
		name, edit, with string
		entry, want      string // entry: the text of the line the value is on
	}{
		{"forecast roadmap", "variants:\n", "roadmap:\n  - {from: 2, set: {fleet.pricing: bogus}}\nvariants:\n",
			"  - {from: 2, set: {fleet.pricing: bogus}}",
			`variant rented, period 2 (its demand from growth, price and elasticity, its roadmap and contracts): test.yaml:%d:36: roadmap[0].set {fleet.pricing: bogus}: fleet.pricing: unknown pricing "bogus"`},
		{"variant set", rented, "    set:\n      fleet.instance: nosuch.48xlarge\n" + rented, "fleet.instance: nosuch.48xlarge",
			`variant rented, period 1 (its demand from growth, price and elasticity, its roadmap and contracts): test.yaml:%d:23: variants[1].set {fleet.instance: nosuch.48xlarge}: fleet.instance: unknown instance "nosuch.48xlarge"`},
		{"variant roadmap", rented, rented + "    roadmap:\n      - from: 2\n        set: {fleet.pricing: bogus}\n", "set: {fleet.pricing: bogus}",
			`variant rented, period 2 (its demand from growth, price and elasticity, its roadmap and contracts): test.yaml:%d:30: variants[1].roadmap[0].set {fleet.pricing: bogus}: fleet.pricing: unknown pricing`},
		// The advice is to add the field to the set that needs it.
		{"advice", rented, "    set:\n      fleet.pricing: owned\n" + rented, "fleet.pricing: owned",
			`test.yaml:%d:22: variants[1].set {fleet.pricing: owned}: fleet.price_usd_per_hour: required with pricing: owned: ` +
				`what an owned server costs its owner per hour (depreciation, power, facility and operations) has no catalog figure; ` +
				`give it, e.g. add fleet.price_usd_per_hour: N to variants[1].set (USD per server-hour)`},
	} {
		src := strings.Replace(small, tt.edit, tt.with, 1)
		if src == small {
			t.Fatalf("%s: edit %q not found", tt.name, tt.edit)
		}
		f := parse(t, src)
		err := f.preflight(context.Background(), f.Jobs(), 1, nil)
		var ie *runner.InputError
		want := fmt.Sprintf(tt.want, lineOf(src, tt.entry))
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "--set") {
			t.Errorf("%s: got %v\nwant an input error with %q, and no --set", tt.name, err, want)
		}
	}
}
