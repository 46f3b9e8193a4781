package model

import (
	"strings"
	"testing"
)

// TestBillAbandonedChoices: price.bill_abandoned is nothing (the default,
// left out and not filled in, so a resolved scenario reads as before) or
// streamed, on an agent workload alone (only its calls are abandoned);
// anything else is refused at its line.
func TestBillAbandonedChoices(t *testing.T) {
	agent := strings.Replace(validScenario, "class: api\n    arrivals: {rate: 10/s}", "class: agent\n    arrivals: {rate: 1/s}", 1)
	for _, tt := range []struct {
		name, src, bill string
		want            []string // nil: loads
	}{
		{"agent, left out", agent, "", nil},
		{"agent, nothing", agent, "nothing", nil},
		{"agent, streamed", agent, "streamed", nil},
		{"agent, unknown", agent, "partial", []string{"t.yaml:", "price.bill_abandoned", `unknown "partial"`, "allowed: nothing, the default, or streamed"}},
		{"api, streamed", validScenario, "streamed", []string{"price.bill_abandoned", "only an agent's calls are abandoned", "class api"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src + "    price: {input_per_mtok: 1, output_per_mtok: 2}\n"
			if tt.bill != "" {
				src = tt.src + "    price: {input_per_mtok: 1, output_per_mtok: 2, bill_abandoned: " + tt.bill + "}\n"
			}
			sc, _, err := Load("t.yaml", []byte(src), testCatalog{})
			if tt.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if got := sc.Workloads[0].Price.BillsAbandoned(); got != (tt.bill == "streamed") {
					t.Errorf("bills abandoned %v, want %v", got, tt.bill == "streamed")
				}
				resolved, err := MarshalYAML(sc)
				if err != nil {
					t.Fatal(err)
				}
				if tt.bill == "" && strings.Contains(string(resolved), "bill_abandoned") {
					t.Errorf("the default was filled in:\n%s", resolved)
				}
				return
			}
			if err == nil {
				t.Fatal("loaded; want a refusal")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
		})
	}
}
