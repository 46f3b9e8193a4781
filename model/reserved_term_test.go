package model

import (
	"strings"
	"testing"
)

// TestReservedTermSaidWhereNoRate: a fleet at pricing: reserved on an
// instance with no reserved rate is refused with the term the reserved
// rate stands for (3 years) and why no 1-year rate is offered, so that a
// buyer with a 1-year quote knows what a forecast will bill it for; other
// pricings' refusals say nothing of it.
func TestReservedTermSaidWhereNoRate(t *testing.T) {
	tests := []struct {
		pricing string
		want    []string
		not     []string
	}{
		{"reserved", []string{"fleet.pricing", "no reserved price for trn2.48xlarge", "3-year commitment", "no 1-year reserved or Savings Plans rate",
			"predate the June 2025 price cut", "holds a reservation 3 years", "set price_usd_per_hour"}, nil},
		{"spot", nil, []string{"3-year"}},
	}
	for _, tt := range tests {
		t.Run(tt.pricing, func(t *testing.T) {
			sc := strings.Replace(validScenario, "count: 2", "count: 2\n  pricing: "+tt.pricing, 1)
			_, _, err := Load("t.yaml", []byte(sc), testCatalog{})
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			if tt.want != nil && err == nil {
				t.Fatal("loaded; want a refusal")
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error does not say %q:\n%s", w, msg)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(msg, w) {
					t.Errorf("error says %q:\n%s", w, msg)
				}
			}
		})
	}
}
