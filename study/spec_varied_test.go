package study

import (
	"errors"
	"strings"
	"testing"

	"aiecon/model"
)

// TestFieldVariedOnce: a field varied twice is refused whether its list
// element is named by name or by index, or one path holds the other: the
// points of workloads[chat].arrivals.rate x workloads[0].arrivals.rate
// were labelled with rates of the first that never ran.
func TestFieldVariedOnce(t *testing.T) {
	const head = "name: x\nbase: baseline\n"
	for _, tt := range []struct{ name, src, want string }{
		{"two spellings", head + "parameters:\n  workloads[chat].arrivals.rate: [1/s, 8/s]\n  workloads[0].arrivals.rate: [2/s, 3/s]\n",
			"parameters.workloads[0].arrivals.rate: is also varied under parameters, as workloads[chat].arrivals.rate (both name workloads[0].arrivals.rate)"},
		{"zip and parameters", head + "zip:\n  workloads[chat].prompt_tokens: [100, 200]\nparameters:\n  workloads[0].prompt_tokens: [300]\n",
			"parameters.workloads[0].prompt_tokens: is also varied under zip, as workloads[chat].prompt_tokens"},
		{"montecarlo", head + "parameters:\n  workloads[0].arrivals.rate: [1/s]\nmontecarlo:\n  samples: 2\n  parameters:\n" +
			"    workloads[chat].arrivals.rate: {dist: uniform, min: 1/s, max: 2/s}\n",
			"montecarlo.parameters.workloads[chat].arrivals.rate: is also varied under parameters, as workloads[0].arrivals.rate"},
		{"a block and a field in it", head + "parameters:\n  ads: [null]\n  ads.bid: [1, 2]\n",
			"parameters.ads.bid: overlaps parameters.ads, also varied (one holds the other)"},
	} {
		_, err := ParseSpec("sweep.yaml", []byte(tt.src), t.TempDir(), nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v\nwant it to contain %q", tt.name, err, tt.want)
		}
	}
	// Two workloads' one field are two fields.
	parse(t, head+"parameters:\n  workloads[chat].arrivals.rate: [1/s, 2/s]\n  workloads[1].arrivals.rate: [1/s, 2/s]\n")
	// A sweep stored before the check ran as it is, and still reads back.
	if _, err := PlanFromFrozen("sweep s", []byte(head+"parameters:\n  workloads[chat].arrivals.rate: [1/s]\n  workloads[0].arrivals.rate: [2/s]\n")); err != nil {
		t.Errorf("stored sweep: %v", err)
	}
}

// TestSetOnVariedField: a --set of a field the sweep varies, or of a block
// holding one, or of a field in a varied block, is refused naming both;
// each point set the field after the --set, which was dropped silently.
func TestSetOnVariedField(t *testing.T) {
	const spec = "name: x\nbase: baseline\nparameters:\n  fleet.count: [1, 4]\n  ads: [null]\nzip:\n  workloads[chat].arrivals.rate: [1/s, 2/s]\n" +
		"montecarlo:\n  samples: 2\n  parameters:\n    training.every: {dist: choice, values: [1d, 2d]}\n"
	for _, tt := range []struct{ set, want string }{
		{"fleet.count=2", "--set fleet.count=2: changes fleet.count, which the sweep varies (parameters.fleet.count at sweep.yaml:4:3)"},
		{"workloads[0].arrivals.rate=3/s", "which the sweep varies (zip.workloads[chat].arrivals.rate at sweep.yaml:7:3)"},
		{"ads.bid=2", "--set ads.bid=2: changes ads.bid, which the sweep varies (parameters.ads at sweep.yaml:5:3)"},
		{"training=null", "which the sweep varies (montecarlo.parameters.training.every at sweep.yaml:11:5)"},
	} {
		_, err := ParseSpec("sweep.yaml", []byte(spec), t.TempDir(), []string{"horizon=1m", tt.set})
		var me model.Errors
		if !errors.As(err, &me) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("--set %s: %v\nwant model.Errors containing %q", tt.set, err, tt.want)
		}
	}
	sp := parse(t, spec, "fleet.replica.max_num_seqs=8", "workloads[1].arrivals.rate=1/s")
	if len(sp.Set) != 2 {
		t.Errorf("set %v, want the two --set of fields no point varies", sp.Set)
	}
}

// TestFileSetOnVariedField: the sweep file's own set of a field the sweep
// varies (or of a block holding one, or a field in a varied block),
// however its list element is named, is refused at the set's line, as a
// --set of it is: every point set the varied field after it, silently.
func TestFileSetOnVariedField(t *testing.T) {
	const varied = "parameters:\n  fleet.count: [1, 4]\n  ads: [null]\nzip:\n  workloads[chat].arrivals.rate: [1/s, 2/s]\n" +
		"montecarlo:\n  samples: 2\n  parameters:\n    training.every: {dist: choice, values: [1d, 2d]}\n"
	for _, tt := range []struct{ set, want string }{
		{"fleet.count: 2", "sweep.yaml:4:3: set.fleet.count: changes fleet.count, which the sweep varies (parameters.fleet.count at sweep.yaml:7:3): " +
			"each point sets it after the set, which would have no effect"},
		{"workloads[0].arrivals.rate: 3/s", "sweep.yaml:4:3: set.workloads[0].arrivals.rate: changes workloads[0].arrivals.rate, which the sweep varies (zip.workloads[chat].arrivals.rate at sweep.yaml:10:3)"},
		{"ads.bid: 2", "sweep.yaml:4:3: set.ads.bid: changes ads.bid, which the sweep varies (parameters.ads at sweep.yaml:8:3)"},
		{"training: null", "which the sweep varies (montecarlo.parameters.training.every at sweep.yaml:14:5)"},
	} {
		src := "name: x\nbase: baseline\nset:\n  " + tt.set + "\n  horizon: 1m\n" + varied
		_, err := ParseSpec("sweep.yaml", []byte(src), t.TempDir(), nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("set {%s}: %v\nwant it to contain %q", tt.set, err, tt.want)
		}
	}
	sp := parse(t, "name: x\nbase: baseline\nset:\n  fleet.replica.max_num_seqs: 8\n  workloads[1].arrivals.rate: 1/s\n"+varied)
	if len(sp.Set) != 2 {
		t.Errorf("set %v, want the two fields no point varies", sp.Set)
	}
	// A sweep stored with such a set ran as it is, and still reads back.
	if _, err := PlanFromFrozen("sweep s", []byte("name: x\nbase: baseline\nset: {fleet.count: 2}\nparameters:\n  fleet.count: [1, 4]\n")); err != nil {
		t.Errorf("stored sweep: %v", err)
	}
}
