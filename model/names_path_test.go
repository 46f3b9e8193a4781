package model

import (
	"strings"
	"testing"
)

// TestNumberSelectorNamingAnElement: workloads[1] is refused, not read as
// index 1, where a workload is named "1": it set the workload named "0" at
// index 1 without a word, through --set, a variant's set and a sweep's
// parameter alike (all apply overrides here). A number no element is
// named stays an index.
func TestNumberSelectorNamingAnElement(t *testing.T) {
	src := []byte(`name: t
model: llama-3.3-70b
fleet: {instance: trn2.48xlarge, count: 2, replica: {tp: 32}}
workloads:
  - {name: "1", class: api, arrivals: {rate: 1/s}, prompt_tokens: 10, output_tokens: 10}
  - {name: "0", class: api, arrivals: {rate: 1/s}, prompt_tokens: 10, output_tokens: 10}
  - {name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 10, output_tokens: 10}
`)
	for _, sel := range []string{"1", "0"} {
		_, err := ApplyOverrides(src, []Override{{Path: "workloads[" + sel + "].arrivals.rate", Value: "5/s"}})
		if err == nil || !strings.Contains(err.Error(), "["+sel+"] is both an index and the name of the element at index") {
			t.Errorf("workloads[%s]: error %v, want the ambiguity named", sel, err)
		}
		if v, ok := LookupPath(DecodeTree(src), "workloads["+sel+"].name"); ok {
			t.Errorf("LookupPath workloads[%s] found %v in an ambiguous list", sel, v)
		}
	}
	out, err := ApplyOverrides(src, []Override{{Path: "workloads[2].arrivals.rate", Value: "5/s"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := LookupPath(DecodeTree(out), "workloads[chat].arrivals.rate"); got != "5/s" {
		t.Errorf("workloads[2] (named by no element) set chat's rate to %v, want 5/s", got)
	}
}

// TestNamesAPathCannotSelect: a workload's or a pool's name that a path
// could not select (brackets end a selector, = ends a --set's path, a
// number is an index) is refused at load, at its line and column, naming
// the characters; it loaded, and every --set of it blamed the path.
func TestNamesAPathCannotSelect(t *testing.T) {
	cases := []struct {
		name string
		edit func(string) string
		want []string
	}{
		{"workload with ]", func(s string) string { return strings.Replace(s, "name: chat", "name: a]b", 1) },
			[]string{"t.yaml:8:11: workloads[0].name", `"a]b" holds ']'`, "may not hold [, ] or ="}},
		{"workload with [ and =", func(s string) string { return strings.Replace(s, "name: chat", "name: a[b=c", 1) },
			[]string{"t.yaml:8:11: workloads[0].name", `holds '[' and '='`}},
		{"workload named a number", func(s string) string { return strings.Replace(s, "name: chat", `name: "1"`, 1) },
			[]string{"t.yaml:8:11: workloads[0].name", `"1" reads as a number`, "e.g. tier1"}},
		{"workload named a signed number", func(s string) string { return strings.Replace(s, "name: chat", `name: "-3"`, 1) },
			[]string{"t.yaml:8:11: workloads[0].name", `"-3" reads as a number`}},
		{"pool named a number", func(string) string {
			return strings.Replace(mixScenario, "  - model: llama-3.1-8b\n", "  - model: llama-3.1-8b\n    name: \"7\"\n", 1)
		},
			[]string{"t.yaml:6:11: pools[0].name", `"7" reads as a number`}},
		{"pool with =", func(string) string {
			return strings.Replace(mixScenario, "  - model: llama-3.1-8b\n", "  - model: llama-3.1-8b\n    name: a=b\n", 1)
		},
			[]string{"t.yaml:6:11: pools[0].name", `"a=b" holds '='`}},
	}
	for _, c := range cases {
		_, _, err := Load("t.yaml", []byte(c.edit(validScenario)), testCatalog{})
		if err == nil {
			t.Errorf("%s: loaded", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", c.name, err, w)
			}
		}
	}
}

// TestDottedNamesAreSelectable: a dot in a selector is part of the name,
// so workloads[chat.v2] and pools[llama-3.1-8b] (a pool named after its
// model) are reachable; a split at every dot made them "bad path
// segment"s.
func TestDottedNamesAreSelectable(t *testing.T) {
	src := strings.Replace(validScenario, "name: chat", "name: chat.v2", 1)
	out, err := ApplyOverrides([]byte(src), []Override{{Path: "workloads[chat.v2].arrivals.rate", Value: "3/s"}})
	if err != nil {
		t.Fatal(err)
	}
	sc, _, err := Load("t.yaml", out, testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Workloads[0].Arrivals.Rate != 3 {
		t.Errorf("workloads[chat.v2].arrivals.rate=3/s gave %v", sc.Workloads[0].Arrivals.Rate)
	}
	mix := strings.Replace(mixScenario, "  - model: llama-3.1-8b\n", "  - model: llama-3.1-8b\n    name: llama-3.1-8b\n", 1)
	if out, err = ApplyOverrides([]byte(mix), []Override{{Path: "pools[llama-3.1-8b].fleet.count", Value: "3"}}); err != nil {
		t.Fatal(err)
	}
	if sc, _, err = Load("mix.yaml", out, testCatalog{}); err != nil {
		t.Fatal(err)
	}
	if sc.Pools[0].Fleet.Count != 3 {
		t.Errorf("pools[llama-3.1-8b].fleet.count=3 gave %d", sc.Pools[0].Fleet.Count)
	}
	for path, want := range map[string]bool{
		"workloads[chat.v2].arrivals.rate": true,
		"pools[a.b].fleet.count":           true,
		"workloads[a]b].arrivals.rate":     false,
		"workloads[a[b]].arrivals.rate":    false,
		"workloads[chat.arrivals.rate":     false,
	} {
		if err := CheckOverridePath(path); (err == nil) != want {
			t.Errorf("CheckOverridePath(%q) = %v, want ok %v", path, err, want)
		}
	}
}
