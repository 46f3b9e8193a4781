package model

import (
	"strings"
	"testing"
)

func TestOptionalBlock(t *testing.T) {
	for path, want := range map[string]bool{
		"ads": true, "training": true, "fleet.autoscale": true, "fleet.replica.speculative": true, "fleet.spot": true,
		"workloads[chat].agent.retrieval": true, "workloads[0].agent": true, "workloads[0].arrivals.trace": true,
		"pools[small].fleet.autoscale": true, "routing": true,
		// Blocks a scenario always has, list elements, lists and fields.
		"fleet": false, "fleet.replica": false, "workloads[chat]": false, "workloads": false, "pools": false,
		"fleet.count": false, "ads.bid": false, "ads.latency_penalty": false, "model": false,
		"workloads[0].arrivals.diurnal": false, "workloads[0].prompt_tokens": false, "nope": false, "ads..bid": false,
	} {
		if got := OptionalBlock(path); got != want {
			t.Errorf("OptionalBlock(%q) = %v, want %v", path, got, want)
		}
	}
}

// optionalBlocksScenario has ads, a retrieval block under an agent and a
// workload without an agent.
const optionalBlocksScenario = `name: t
model: llama-3.3-70b
fleet:
  instance: trn2.48xlarge
  count: 2
  replica: {tp: 32, speculative: {draft: llama-3.1-8b, acceptance: 0.7}}
workloads:
  - name: chat
    class: api
    arrivals: {rate: 10/s}
    prompt_tokens: 800
    output_tokens: 250
  - name: shop
    class: agent
    arrivals: {rate: 1/s}
    prompt_tokens: 800
    output_tokens: 250
    agent: {retrieval: {docs_per_step: 2}}
ads: {bid: 2}
`

// TestNullRemovesOptionalBlock: null (or ~) removes an optional block,
// which is how --set, a variant or a sweep switch ads, speculative
// decoding or retrieval off; they were refused as "a block of fields".
// Nothing is created on the way to a block that is not there, and any
// other value for a block is still refused.
func TestNullRemovesOptionalBlock(t *testing.T) {
	src := []byte(optionalBlocksScenario)
	for _, tt := range []struct {
		set      Override
		gone     string // path that must be absent after the set
		kept     string // path that must still be there
		notAdded string // path that must not have been created
	}{
		{Override{Path: "ads", Value: "null"}, "ads", "workloads[shop].agent.retrieval", ""},
		{Override{Path: "ads", Value: "~"}, "ads", "fleet.replica.speculative", ""},
		{Override{Path: "fleet.replica.speculative", Value: "null"}, "fleet.replica.speculative", "fleet.replica.tp", ""},
		{Override{Path: "workloads[shop].agent.retrieval", Value: "null"}, "workloads[1].agent.retrieval", "workloads[shop].agent", ""},
		{Override{Path: "workloads[chat].agent.retrieval", Value: "null"}, "training", "ads", "workloads[chat].agent"},
		{Override{Path: "training", Value: "null"}, "training", "ads", ""},
	} {
		out, err := ApplyOverrides(src, []Override{tt.set})
		if err != nil {
			t.Errorf("--set %s: %v", tt.set, err)
			continue
		}
		tree := DecodeTree(out)
		if _, ok := LookupPath(tree, tt.gone); ok {
			t.Errorf("--set %s left %s in\n%s", tt.set, tt.gone, out)
		}
		if _, ok := LookupPath(tree, tt.kept); !ok {
			t.Errorf("--set %s removed %s too", tt.set, tt.kept)
		}
		if _, ok := LookupPath(tree, tt.notAdded); ok && tt.notAdded != "" {
			t.Errorf("--set %s created %s:\n%s", tt.set, tt.notAdded, out)
		}
	}
	for _, o := range []Override{{Path: "ads", Value: "3"}, {Path: "ads", Value: "{bid: 1}"}, {Path: "fleet", Value: "null"},
		{Path: "workloads[chat]", Value: "null"}, {Path: "fleet.replica.speculative", Value: "[]"}} {
		if _, err := ApplyOverrides(src, []Override{o}); err == nil || !strings.Contains(err.Error(), "is a block of fields") {
			t.Errorf("--set %s: %v, want refused as a block of fields", o, err)
		}
	}
}

// TestBlockRefusalNamesItsSource: a block given a value by a variant's set
// or a sweep's parameter is refused naming that, not a --set nobody typed.
func TestBlockRefusalNamesItsSource(t *testing.T) {
	src := []byte(optionalBlocksScenario)
	for _, tt := range []struct {
		o    Override
		want string
	}{
		{Override{Path: "ads", Value: "3"}, "--set ads: ads is a block of fields"},
		{Override{Path: "ads", Value: "3", Variant: "noads"}, "set {ads: 3}: ads is a block of fields, and variant noads's set sets one field per entry, " +
			"not a whole block; set one of its fields, as ads.FIELD: VALUE, or ads: null to remove the block"},
		{Override{Path: "ads", Value: "3", From: "sw.yaml:4:9: parameter ads=3"}, "sw.yaml:4:9: parameter ads=3: ads is a block of fields, and each entry sets one field"},
	} {
		_, err := ApplyOverrides(src, []Override{tt.o})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) || tt.o.Variant+tt.o.From != "" && strings.Contains(err.Error(), "--set") {
			t.Errorf("%+v: %v, want it to start %q (and name a --set only if one gave it)", tt.o, err, tt.want)
		}
	}
}
