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
	tpot := func(hardware string) float64 { return kpiWithHardware(t, hardware, kpicat.TPOTP50S) }
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

// TestLinkFracOverride: hardware.link_frac replaces the family's fitted
// fraction of the link bandwidth, and moves prefill the way it says on a TP8
// replica, whose all-reduces carry a prompt's activations: a slower link,
// a later first token.
func TestLinkFracOverride(t *testing.T) {
	ttft := func(hardware string) float64 { return kpiWithHardware(t, hardware, kpicat.TTFTP50S) }
	base := ttft("")
	if slow := ttft("hardware: {link_frac: 0.05}\n"); !(slow > base) {
		t.Errorf("link_frac 0.05: TTFT p50 %.4g s, want above %.4g s with the fitted fraction", slow, base)
	}
	if fast := ttft("hardware: {link_frac: 1}\n"); !(fast < base) {
		t.Errorf("link_frac 1: TTFT p50 %.4g s, want below %.4g s with the fitted fraction", fast, base)
	}
	for _, bad := range []string{"1.5", "-0.2"} {
		if _, _, err := model.Load("bad.yaml", []byte(small8b+"hardware: {link_frac: "+bad+"}\n"), Catalog()); err == nil ||
			!strings.Contains(err.Error(), "hardware.link_frac") {
			t.Errorf("link_frac %s: want an error naming hardware.link_frac, got %v", bad, err)
		}
	}
}

// kpiWithHardware runs the small 8B scenario with a hardware section added
// ("" for none) and returns the fleet-wide KPI name.
func kpiWithHardware(t *testing.T, hardware, name string) float64 {
	t.Helper()
	res, _ := run(t, scenario(t, small8b+hardware))
	return kpi(t, res, name, "")
}

// TestHardwareFractionsBounded: a fraction of a peak or a factor on the
// calibrated efficiency below 0.001 describes no hardware, and smaller ones
// ran step times off the nanosecond clock (negative times, an engine
// panic): each is refused naming its field and the range.
func TestHardwareFractionsBounded(t *testing.T) {
	for _, field := range []string{"hbm_frac", "kv_frac", "gemm_scale", "attn_scale", "link_frac", "gemm_efficiency"} {
		_, _, err := model.Load("bad.yaml", []byte(small8b+"hardware: {"+field+": 1e-12}\n"), Catalog())
		if err == nil || !strings.Contains(err.Error(), "hardware."+field+": 1e-12 is out of range (allowed: 0.001 to") {
			t.Errorf("%s 1e-12: %v, want refused", field, err)
		}
		if _, _, err := model.Load("ok.yaml", []byte(small8b+"hardware: {"+field+": 0.001}\n"), Catalog()); err != nil {
			t.Errorf("%s 0.001: %v", field, err)
		}
	}
}
