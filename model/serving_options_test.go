package model

import (
	"strings"
	"testing"
)

// TestServingOptionErrors checks that the closed-loop arrivals, speculative
// decoding, admission and bucket options reject bad input with the file, line and field.
func TestServingOptionErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(string) string
		want []string
	}{
		{"closed without clients", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {process: closed}", 1)
		}, []string{"t.yaml:10:", "workloads[0].arrivals.clients", "closed arrivals need clients"}},
		{"closed with a rate", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {process: closed, clients: 4, rate: 10/s}", 1)
		}, []string{"t.yaml:10:", "workloads[0].arrivals", "take clients, think_time and ramp only"}},
		{"think time without unit", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {process: closed, clients: 4, think_time: 3}", 1)
		}, []string{"t.yaml:10:", "workloads[0].arrivals.think_time", "need a unit"}},
		{"clients on poisson", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {rate: 10/s, clients: 4}", 1)
		}, []string{"t.yaml:10:", "workloads[0].arrivals.clients", "only meaningful with process: closed"}},
		{"negative ramp", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {process: closed, clients: 4, ramp: -2s}", 1)
		}, []string{"t.yaml:10:", "workloads[0].arrivals.ramp", "negative"}},
		{"ramp on poisson", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {rate: 10/s, ramp: 2s}", 1)
		}, []string{"t.yaml:10:", "workloads[0].arrivals.ramp", "only meaningful with process: closed"}},
		{"count on closed", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {process: closed, clients: 4, count: 10}", 1)
		}, []string{"t.yaml:10:", "workloads[0].arrivals.count", "only meaningful with process: burst", "poisson or gamma"}},
		{"negative count on poisson", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {rate: 10/s, count: -3}", 1)
		}, []string{"t.yaml:10:", "workloads[0].arrivals.count", "-3 is out of range"}},
		{"at on poisson", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {rate: 10/s, at: 2s}", 1)
		}, []string{"t.yaml:10:", "workloads[0].arrivals.at", "only meaningful with process: burst"}},
		{"burst at the horizon", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {process: burst, count: 4, at: 1h}", 1)
		}, []string{"t.yaml:10:", "workloads[0].arrivals.at", "1h is out of range", "not at, the horizon 1h"}},
		{"speculative without draft", func(s string) string {
			return strings.Replace(s, "tp: 32}", "tp: 32, speculative: {k: 4, acceptance: 0.7}}", 1)
		}, []string{"t.yaml:6:", "fleet.replica.speculative.draft", "required"}},
		{"speculative unknown draft", func(s string) string {
			return strings.Replace(s, "tp: 32}", "tp: 32, speculative: {draft: tiny-9b, acceptance: 0.7}}", 1)
		}, []string{"t.yaml:6:", "fleet.replica.speculative.draft", "tiny-9b", "eagle"}},
		{"speculative acceptance 1", func(s string) string {
			return strings.Replace(s, "tp: 32}", "tp: 32, speculative: {draft: eagle, acceptance: 1}}", 1)
		}, []string{"t.yaml:6:", "fleet.replica.speculative.acceptance", "out of range"}},
		{"speculative without acceptance", func(s string) string {
			return strings.Replace(s, "tp: 32}", "tp: 32, speculative: {draft: eagle}}", 1)
		}, []string{"t.yaml:6:", "fleet.replica.speculative.acceptance", "required"}},
		{"speculative k", func(s string) string {
			return strings.Replace(s, "tp: 32}", "tp: 32, speculative: {draft: eagle, k: 40, acceptance: 0.5}}", 1)
		}, []string{"t.yaml:6:", "fleet.replica.speculative.k", "1 to 16"}},
		{"speculative static", func(s string) string {
			return strings.Replace(s, "tp: 32}", "tp: 32, scheduler: static, speculative: {draft: eagle, acceptance: 0.5}}", 1)
		}, []string{"t.yaml:6:", "fleet.replica.speculative", "not static"}},
		{"unknown admission", func(s string) string {
			return strings.Replace(s, "tp: 32}", "tp: 32, admission: reserve}", 1)
		}, []string{"t.yaml:6:", "fleet.replica.admission", `"reserve"`, "on-demand, reserve-max"}},
		{"kv memory fraction above 1", func(s string) string {
			return strings.Replace(s, "tp: 32}", "tp: 32, kv_memory_fraction: 1.2}", 1)
		}, []string{"t.yaml:6:", "fleet.replica.kv_memory_fraction", "out of range"}},
		{"kv memory fraction 0", func(s string) string {
			return strings.Replace(s, "tp: 32}", "tp: 32, kv_memory_fraction: 0}", 1)
		}, []string{"t.yaml:6:", "fleet.replica.kv_memory_fraction", "0 is not a value here"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Load("t.yaml", []byte(c.edit(validScenario)), testCatalog{})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestSpeculativeDefaults checks k's default.
func TestSpeculativeDefaults(t *testing.T) {
	src := strings.Replace(validScenario, "tp: 32}", "tp: 32, speculative: {draft: llama-3.1-8b, acceptance: 0.6}}", 1)
	sc, _, err := Load("t.yaml", []byte(src), testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	if sp := sc.Fleet.Replica.Speculative; sp == nil || sp.K != 4 || sp.Draft != "llama-3.1-8b" || sp.Acceptance == nil || *sp.Acceptance != 0.6 {
		t.Errorf("speculative = %+v", sp)
	}
}

// TestAdmissionDefaults: a replica admits on demand into all of the KV
// memory unless the scenario says otherwise, and keeps what it says.
func TestAdmissionDefaults(t *testing.T) {
	for _, c := range []struct {
		set       string
		admission string
		fraction  float64
	}{
		{"", AdmissionOnDemand, 1},
		{", admission: reserve-max, kv_memory_fraction: 0.9", AdmissionReserveMax, 0.9},
	} {
		src := strings.Replace(validScenario, "tp: 32}", "tp: 32"+c.set+"}", 1)
		sc, _, err := Load("t.yaml", []byte(src), testCatalog{})
		if err != nil {
			t.Fatal(err)
		}
		if rp := sc.Fleet.Replica; rp.Admission != c.admission || rp.KVMemoryFraction != c.fraction {
			t.Errorf("%q: admission %q, kv_memory_fraction %g; want %q, %g", c.set, rp.Admission, rp.KVMemoryFraction, c.admission, c.fraction)
		}
	}
}

// TestClosedArrivalsDefaults checks that a closed loop without think_time
// resolves to a zero think time.
func TestClosedArrivalsDefaults(t *testing.T) {
	src := strings.Replace(validScenario, "arrivals: {rate: 10/s}", "arrivals: {process: closed, clients: 16}", 1)
	sc, _, err := Load("t.yaml", []byte(src), testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	a := sc.Workloads[0].Arrivals
	if a.Clients != 16 || a.ThinkTime.Kind != "fixed" || a.ThinkTime.Value != 0 || !a.ThinkTime.Seconds {
		t.Errorf("arrivals = %+v", a)
	}
}

// TestBucketingOff checks that enable_bucketing: false leaves one context
// bucket (the prefill segment) and one sequence bucket (max_model_len), and
// that it refuses explicit buckets.
func TestBucketingOff(t *testing.T) {
	src := strings.Replace(validScenario, "tp: 32}", "tp: 32, max_model_len: 8192, max_batched_tokens: 2048, enable_bucketing: false}", 1)
	sc, _, err := Load("t.yaml", []byte(src), testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	rp := sc.Fleet.Replica
	if len(rp.ContextBuckets) != 1 || rp.ContextBuckets[0] != 2048 || len(rp.SequenceBuckets) != 1 || rp.SequenceBuckets[0] != 8192 {
		t.Errorf("buckets %v / %v, want [2048] / [8192]", rp.ContextBuckets, rp.SequenceBuckets)
	}
	src = strings.Replace(validScenario, "tp: 32}", "tp: 32, enable_bucketing: false, sequence_buckets: [1024, 8192]}", 1)
	if _, _, err := Load("t.yaml", []byte(src), testCatalog{}); err == nil || !strings.Contains(err.Error(), "fleet.replica.enable_bucketing") {
		t.Errorf("explicit buckets with bucketing off: error %v", err)
	}
}
