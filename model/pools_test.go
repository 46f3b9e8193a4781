package model

import (
	"maps"
	"strings"
	"testing"
)

// mixScenario is an 8B pool beside the main 70B fleet, routed small-first.
const mixScenario = `name: mix
model: llama-3.3-70b
fleet: {instance: trn2.48xlarge, replica: {tp: 32}}
pools:
  - model: llama-3.1-8b
    fleet: {instance: p5.48xlarge, count: 2, replica: {tp: 1}, autoscale: {}}
routing: {rule: small-first, small: llama-3.1-8b, large: llama-3.3-70b, escalation: 0.2}
workloads:
  - {name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 10, output_tokens: 10}
  - {name: code, class: api, arrivals: {rate: 1/s}, prompt_tokens: 10, output_tokens: 10}
`

// A pool resolves like the main fleet: its name defaults to its model's,
// its fleet gets the same defaults (scheduler, per-instance replicas,
// autoscale bounds, max_model_len from its own model).
func TestPoolDefaults(t *testing.T) {
	sc, _, err := Load("mix.yaml", []byte(mixScenario), testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	pools := sc.ServingPools()
	if len(pools) != 2 || pools[0].Name != "llama-3.3-70b" || pools[1].Name != "llama-3.1-8b" {
		t.Fatalf("pools %+v", pools)
	}
	f := pools[1].Fleet
	if f.Replica.Scheduler != "vllm" || f.Replica.PerInstance != 8 || f.Replica.MaxModelLen != 131072 ||
		f.Replica.MemoryReserve != 0.1 || f.Autoscale.Max != 4 || f.Pricing != "on-demand" {
		t.Errorf("pool fleet %+v, autoscale %+v", f.Replica, f.Autoscale)
	}
	if pools[0].Fleet.Replica.Scheduler != "neuron" || pools[0].Fleet.Count != 1 {
		t.Errorf("main fleet %+v", pools[0].Fleet)
	}
	// A Go-built scenario with the constructors resolves as its YAML does.
	esc := 0.2
	rt := Routing{Rule: RuleSmallFirst, Small: "llama-3.1-8b", Large: "llama-3.3-70b", Escalation: &esc}
	as := NewAutoscale()
	goSc := &Scenario{Name: "mix", Model: ModelRef{Name: "llama-3.3-70b"}, Routing: &rt,
		Fleet: Fleet{Instance: "trn2.48xlarge", Replica: Replica{TP: 32, MemoryReserve: 0.1}},
		Pools: []Pool{{Model: ModelRef{Name: "llama-3.1-8b"}, Fleet: Fleet{Instance: "p5.48xlarge", Count: 2,
			Replica: NewReplica(), Autoscale: &as}}},
		Workloads: sc.Workloads}
	goSc.Pools[0].Fleet.Replica.TP = 1
	if errs := Resolve(goSc, nil, testCatalog{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	if g, y := goSc.Pools[0].Fleet, sc.Pools[0].Fleet; g.Replica.MaxModelLen != y.Replica.MaxModelLen || *g.Autoscale != *y.Autoscale {
		t.Errorf("Go-built pool %+v, YAML %+v", g, y)
	}
}

// Bad pools and routing name the field, at its line.
func TestBadPoolsAndRouting(t *testing.T) {
	for _, tt := range []struct{ old, new, want string }{
		{"count: 2, replica: {tp: 1}", "count: 0, replica: {tp: 1}", "mix.yaml:6:43: pools[0].fleet.count: 0 is not a value here"},
		{"replica: {tp: 1}, autoscale", "replica: {tp: 3}, autoscale", "pools[0].fleet.replica.tp: 3 is not a supported degree on p5.48xlarge"},
		{"- model: llama-3.1-8b", "- model: llama-9", "pools[0].model: unknown model"},
		{"- model: llama-3.1-8b", "- model: llama-3.3-70b", `pools[0].name: "llama-3.3-70b" is taken by the main fleet`},
		{"escalation: 0.2", "escalation: 1.5", "routing.escalation: 1.5 is out of range"},
		{", escalation: 0.2", "", "routing.escalation: required with rule small-first"},
		{"small: llama-3.1-8b", "small: tiny", `routing.small: no pool named "tiny" (pools: llama-3.3-70b, llama-3.1-8b)`},
		{"large: llama-3.3-70b", "large: llama-3.1-8b", `routing.large: "llama-3.1-8b" is also the small pool`},
		{"rule: small-first", "rule: prompt-length", "routing.threshold: 0 is out of range"},
		{"rule: small-first", "rule: biggest", `routing.rule: unknown rule "biggest"`},
		{"routing: {rule: small-first, small: llama-3.1-8b, large: llama-3.3-70b, escalation: 0.2}", "routing: {workloads: {chat: llama-3.1-8b, code: llama-3.1-8b}}",
			`fleet: pool "llama-3.3-70b" receives no traffic under routing rule workload`},
		{"routing: {rule: small-first, small: llama-3.1-8b, large: llama-3.3-70b, escalation: 0.2}", "routing: {workloads: {chats: llama-3.1-8b}}",
			`routing.workloads: no workload named "chats"`},
		{"routing: {rule: small-first, small: llama-3.1-8b, large: llama-3.3-70b, escalation: 0.2}", "routing: {workloads: {chat: x}, threshold: 9}",
			"routing.threshold: only meaningful with rule prompt-length, not workload"},
		{"routing: {rule: small-first, small: llama-3.1-8b, large: llama-3.3-70b, escalation: 0.2}", "", "pools: routing is required with pools"},
		{"workloads:", "training: {tokens: 1e9, where: fleet-idle}\nworkloads:", "training.where: fleet-idle lends replicas of one model's fleet"},
	} {
		src := strings.Replace(mixScenario, tt.old, tt.new, 1)
		if src == mixScenario {
			t.Fatalf("%q is not in the scenario", tt.old)
		}
		_, _, err := Load("mix.yaml", []byte(src), testCatalog{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q -> %q: %v\nwant %q", tt.old, tt.new, err, tt.want)
		}
	}
	noPools := strings.Replace(validScenario, "workloads:", "routing: {rule: workload}\nworkloads:", 1)
	if _, _, err := Load("t.yaml", []byte(noPools), testCatalog{}); err == nil || !strings.Contains(err.Error(), "routing: routing sends requests between pools") {
		t.Errorf("routing without pools: %v", err)
	}
}

// An unnamed pool is selected by the name it is given, its model's, as
// routing and the reports call it: the forecast's remedies print
// pools[llama-3.1-8b].fleet.pricing, which --set refused with "no element
// named". Its index still selects it, and a name no pool has is refused.
func TestUnnamedPoolSelectedByItsModel(t *testing.T) {
	tests := []struct {
		path string
		want string // the error, or "" for count 5
	}{
		{"pools[llama-3.1-8b].fleet.count", ""},
		{"pools[0].fleet.count", ""},
		{"pools[llama-3.3-70b].fleet.count", `no element named "llama-3.3-70b" (names: llama-3.1-8b)`},
		// An inline architecture's name (review287 L1).
		{"pools[tiny].fleet.count", ""},
	}
	inline := strings.Replace(mixScenario, "  - model: llama-3.1-8b\n",
		"  - model: {name: tiny, hidden: 64, layers: 2, heads: 4, kv_heads: 4, ffn: 128, vocab: 100, max_context: 512}\n", 1)
	inline = strings.Replace(inline, "small: llama-3.1-8b", "small: tiny", 1)
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			src := mixScenario
			if strings.Contains(tt.path, "tiny") {
				src = inline
			}
			out, err := ApplyOverrides([]byte(src), []Override{{Path: tt.path, Value: "5"}})
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error %v, want %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			sc, _, err := Load("mix.yaml", out, testCatalog{})
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.Pools[0].Fleet.Count; got != 5 {
				t.Errorf("pool count %d, want 5", got)
			}
		})
	}
}

// TestSetRoutedWorkload: --set routing.workloads.WORKLOAD moves one
// workload to another pool, or routes one the file leaves to the main
// fleet; errors name that path, which was an unknown field to --set, so
// no sweep or variant could move one workload.
func TestSetRoutedWorkload(t *testing.T) {
	const src = `name: t
model: llama-3.1-8b
fleet: {instance: p5.48xlarge, replica: {tp: 1}}
workloads:
  - {name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 100, output_tokens: 20}
  - {name: chat2, class: api, arrivals: {rate: 1/s}, prompt_tokens: 100, output_tokens: 20}
  - {name: chat3, class: api, arrivals: {rate: 1/s}, prompt_tokens: 100, output_tokens: 20}
pools:
  - {name: small, model: llama-3.2-1b, fleet: {instance: p5.48xlarge, replica: {tp: 1}}}
routing: {rule: workload, workloads: {chat: small}}
`
	for _, tt := range []struct {
		set  Override
		want map[string]string
	}{
		{Override{Path: "routing.workloads.chat2", Value: "small"}, map[string]string{"chat": "small", "chat2": "small"}},
		{Override{Path: "routing.workloads.chat", Value: "llama-3.1-8b"}, nil}, // small then receives nothing
	} {
		merged, err := ApplyOverridesIn("t.yaml", []byte(src), []Override{tt.set})
		if err != nil {
			t.Fatalf("--set %s: %v", tt.set, err)
		}
		sc, _, err := Load("t.yaml", merged, testCatalog{})
		if tt.want == nil {
			if err == nil || !strings.Contains(err.Error(), `pool "small" receives no traffic`) {
				t.Errorf("--set %s: %v; want small to receive no traffic", tt.set, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("--set %s: %v", tt.set, err)
		}
		if got := sc.Routing.PoolWorkloads(); !maps.Equal(got, tt.want) {
			t.Errorf("--set %s: routing %v, want %v", tt.set, got, tt.want)
		}
	}
	for _, bad := range []string{"routing.workloads.chat.x", "routing.workloads[0]"} {
		if _, err := ApplyOverridesIn("t.yaml", []byte(src), []Override{{Path: bad, Value: "small"}}); err == nil {
			t.Errorf("--set %s=small: applied", bad)
		}
	}
}
