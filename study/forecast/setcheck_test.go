package forecast

import (
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
