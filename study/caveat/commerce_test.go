package caveat

import (
	"strings"
	"testing"

	"aiecon/model"
)

// TestGrossCommerceShareFloor: COMMERCE COUNTED GROSS is silent where the
// commerce line rounds to 0% of revenue: an overloaded run warned of "the
// commerce line (0% of revenue)" ($0.27 of $185.74), and optimize and
// sweep repeated it.
func TestGrossCommerceShareFloor(t *testing.T) {
	sc := &model.Scenario{Workloads: []model.Workload{{Name: "shop", Class: "agent",
		Agent: &model.Agent{Value: model.Value{Conversion: 0.03, OrderValue: 150, TakeRate: 0.15}}}}}
	for _, tt := range []struct {
		commerce, revenue float64
		want              string // "" = no warning
	}{
		{0.27, 185.74, ""}, // 0.15%
		{0.9, 185.74, ""},  // 0.48%
		{1.2, 185.74, "(1% of revenue)"},
		{585, 596.34, "(98% of revenue)"},
		{0, 11, ""},
		{5, 0, ""},
	} {
		got := GrossCommerce(sc, tt.commerce, tt.revenue)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("commerce %v of revenue %v: got %q, want %q", tt.commerce, tt.revenue, got, tt.want)
		}
	}
}
