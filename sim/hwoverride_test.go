package sim

import (
	"strings"
	"testing"

	"aiecon/model"
	kpicat "aiecon/model/kpi"
)

// TestKVGroupExpOverride: hardware.kv_group_exp replaces the family's fitted
// exponent, 0 included (a KV head read once), and moves decode time the way
// the exponent says on a grouped-query model (llama-3.1-8b: 4 query heads
// per KV head): a larger exponent, more re-reads, slower decoding.
func TestKVGroupExpOverride(t *testing.T) {
	tpot := func(hardware string) float64 {
		res, _ := run(t, scenario(t, small8b+hardware))
		return kpi(t, res, kpicat.TPOTP50S, "")
	}
	base := tpot("")
	cases := []struct {
		exp  string
		less bool // TPOT below the fitted exponent's
	}{
		{"0", true},
		{"1", false},
	}
	for _, c := range cases {
		got := tpot("hardware: {kv_group_exp: " + c.exp + "}\n")
		if got == base || (got < base) != c.less {
			t.Errorf("kv_group_exp %s: TPOT p50 %.4g s against %.4g s with the fitted exponent", c.exp, got, base)
		}
	}
	if _, _, err := model.Load("bad.yaml", []byte(small8b+"hardware: {kv_group_exp: 1.5}\n"), Catalog()); err == nil ||
		!strings.Contains(err.Error(), "hardware.kv_group_exp") {
		t.Errorf("kv_group_exp 1.5: want an error naming hardware.kv_group_exp, got %v", err)
	}
}
