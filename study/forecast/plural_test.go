package forecast

import (
	"regexp"
	"strings"
	"testing"
)

// TestCountsAgreeWithTheirNumber: a forecast of one period printed
// "1 quarters" in its header (and "1 sample(s)"), and the messages that
// count periods, samples and runs said "has 1 periods" and "1 multipliers";
// each count now takes its noun's singular at 1 and plural otherwise.
func TestCountsAgreeWithTheirNumber(t *testing.T) {
	header := func(periods, samples, runs int) func() string {
		return func() string {
			r := &Report{Name: "p", PeriodLen: "quarter", Periods: periods, Samples: samples, Runs: runs}
			var b strings.Builder
			if err := r.WriteText(&b); err != nil {
				return err.Error()
			}
			return strings.SplitN(b.String(), "\n", 2)[0]
		}
	}
	truncate := func(count, n int) func() string {
		return func() string {
			f := &Forecast{Spec: &Spec{Name: "p", Periods: Periods{Count: count}}}
			if err := f.Truncate(n); err != nil {
				return err.Error()
			}
			return ""
		}
	}
	curve := func(periods, multipliers string) func() string {
		return func() string {
			src := strings.Replace(small, "periods: {count: 2,", "periods: {count: "+periods+",", 1)
			src = strings.Replace(src, "  chat: {growth: 0.5}", "  chat: {curve: ["+multipliers+"]}", 1)
			if _, err := Parse("test.yaml", []byte(src), ""); err != nil {
				return err.Error()
			}
			return ""
		}
	}
	tests := []struct {
		name string
		got  func() string
		want string
	}{
		{"header, one of each", header(1, 1, 1), "forecast p: 1 quarter, 1 sample, 1 run ("},
		{"header, several", header(4, 2, 8), "forecast p: 4 quarters, 2 samples, 8 runs ("},
		{"truncate past one period", truncate(1, 3), "--periods 3: forecast p has 1 period"},
		{"truncate past two periods", truncate(2, 3), "--periods 3: forecast p has 2 periods"},
		{"a curve for one period", curve("1", "1, 2"), "2 multipliers for 1 period"},
		{"a curve for two periods", curve("2", "1"), "1 multiplier for 2 periods"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// \b: "has 1 period" is also in "has 1 periods".
			if got := tt.got(); !regexp.MustCompile(regexp.QuoteMeta(tt.want) + `\b`).MatchString(got) {
				t.Errorf("got %q, want it to hold %q", got, tt.want)
			}
		})
	}
}
