package model

import (
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// FuzzLoadWithSet feeds the scenario loader a YAML text and one --set, as
// `aiecon run FILE --set PATH=VALUE` does. It must never panic, and a
// scenario it accepts must load again from its resolved YAML (what a stored
// run keeps) to the same resolved YAML. Seeds: every built-in scenario and
// the hostile inputs of issue 15, and the tags that crashed go-yaml.
func FuzzLoadWithSet(f *testing.F) {
	sets := []string{"fleet.count=8", "workloads[0].arrivals.rate=10000/s", "seed=18446744073709551616",
		"workloads[chat].prompt_tokens={dist: gamma, mean: 1000, cv: 1e300}", "description=[[[[[[", "horizon=0s", "name=\xff"}
	for i, n := range BuiltinNames() {
		src, err := Builtin(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, sets[i%len(sets)])
	}
	f.Add([]byte(agentScenario), "workloads[shop].agent.prefix_cache_hit=.nan")
	f.Add([]byte(validScenario+"variants:\n  - name: v\n    set: {fleet.count: 3}\n    description:\n"+aliasBomb("      ")), "seed=2")
	f.Add([]byte("\xEF\xBB\xBF"+validScenario), "fleet.replica.tp=0")
	for i, tc := range tagCrashers { // go-yaml's nil dereference (review F0)
		if !tc.models {
			f.Add([]byte(tc.src), sets[i%len(sets)])
		}
	}
	f.Add([]byte(validScenario), "workloads=!!str 6")
	f.Fuzz(func(t *testing.T, src []byte, set string) {
		var ovs []Override
		if o, err := ParseOverride(set); err == nil {
			ovs = append(ovs, o)
		}
		merged, err := ApplyOverridesIn("fuzz.yaml", src, ovs)
		if err != nil {
			return
		}
		sc, _, err := Load("fuzz.yaml", merged, testCatalog{})
		if err != nil {
			return
		}
		resolved, err := yaml.Marshal(sc)
		if err != nil {
			t.Fatalf("resolved scenario does not marshal: %v", err)
		}
		again, _, err := Load("resolved.yaml", resolved, testCatalog{})
		if err != nil {
			t.Fatalf("resolved YAML does not load again: %v\n%s", err, resolved)
		}
		twice, err := yaml.Marshal(again)
		if err != nil || !strings.EqualFold(string(twice), string(resolved)) {
			t.Fatalf("resolving twice changed the scenario:\n%s\nvs\n%s", resolved, twice)
		}
	})
}

// FuzzReadModels feeds the models file reader (validate --models FILE) any
// text: it must return architectures or an error, never panic. Seeds: a
// valid file and the tags that crashed go-yaml's decoder (review F0,
// found by fuzzing this reader).
func FuzzReadModels(f *testing.F) {
	f.Add([]byte(tinyLlama))
	for _, tc := range tagCrashers {
		if tc.models {
			f.Add([]byte(tc.src))
		}
	}
	f.Add([]byte("- !x 6\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		archs, err := ReadModels("fuzz.yaml", src)
		if err == nil && len(archs) == 0 {
			t.Fatal("no error and no architecture")
		}
	})
}
