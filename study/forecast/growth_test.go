package forecast

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"aiecon/runner"
)

// growthPlan is a forecast of the baseline whose chat grows at %[2]s over
// periods of %[1]s.
const growthPlan = `name: growth
base: baseline
periods: {count: 13, length: %s}
day: {slices: 1, horizon: 1m}
workloads:
  chat: {growth: %s}
variants:
  - name: rented
    procurement: {mode: rented, min: 1, max: 4}
`

// chatGrowth is chat's demand multiplier in period k under a growth draw.
func chatGrowth(t *testing.T, f *Forecast, draw float64, k int) float64 {
	t.Helper()
	w := f.workload("chat")
	if w == nil {
		t.Fatal("no chat workload")
	}
	return f.demand(*w, Inputs{Growth: draw, Price: 1, CTR: 1, Conversion: 1}, k).Growth
}

// TestGrowthKeepsItsUnit: a growth stated with its span compounds over
// that span whatever periods.length is, so switching a plan from quarters
// to months keeps its demand (0.1/quarter is 1.1 at month 4 as at quarter
// 2). A bare number keeps its old meaning, a rate per period: over months
// it compounds monthly, which the report then says (TestGrowthNote).
func TestGrowthKeepsItsUnit(t *testing.T) {
	for _, tt := range []struct {
		length, growth string
		draw           float64
		k              int
		want           float64
	}{
		{"quarter", "0.1/quarter", 1, 2, 1.1},
		{"month", "0.1/quarter", 1, 4, 1.1},
		{"month", "0.1/quarter", 1, 2, math.Pow(1.1, 1.0/3)},
		{"month", "10%/quarter", 1, 7, 1.21},
		{"quarter", "0.02/month", 1, 2, math.Pow(1.02, 3)},
		{"month", "0.5/year", 1, 13, 1.5},
		{"quarter", "0.5/year", 1, 5, 1.5},
		{"month", "0.1/quarter", 1.5, 4, 1.15}, // the draw multiplies the stated rate
		{"quarter", "0.1", 1, 2, 1.1},          // bare: per period, as before
		{"month", "0.1", 1, 4, math.Pow(1.1, 3)},
		{"month", "0.1", 1.5, 2, 1.15},
	} {
		t.Run(tt.length+" "+tt.growth, func(t *testing.T) {
			f := parse(t, fmt.Sprintf(growthPlan, tt.length, tt.growth))
			if got := chatGrowth(t, f, tt.draw, tt.k); math.Abs(got/tt.want-1) > 1e-12 {
				t.Errorf("%s over %ss, draw %g: period %d demand x%.6f, want x%.6f", tt.growth, tt.length, tt.draw, tt.k, got, tt.want)
			}
		})
	}
}

// TestGrowthRefused: a growth with an unknown span, a percentage without
// one, or one whose rate per period leaves the bounds is refused at its
// line.
func TestGrowthRefused(t *testing.T) {
	for _, tt := range []struct{ length, growth, want string }{
		{"quarter", "0.1/week", `test.yaml:6:18: workloads.chat.growth: growth "0.1/week": unknown span "week" (want month, quarter or year)`},
		{"quarter", "10%", `test.yaml:6:18: workloads.chat.growth: growth "10%": want a rate and its span`},
		{"quarter", "fast/quarter", `growth "fast/quarter": want a rate and its span`},
		{"quarter", "-1/year", "test.yaml:6:18: workloads.chat.growth: growth -1/year must be more than -1 and at most 100"},
		{"quarter", "4/month", "test.yaml:6:18: workloads.chat.growth: growth 4/month compounds to 124 a quarter, which must be more than -1 and at most 100"},
		{"quarter", "[0.1]", "want a growth rate such as 0.1"},
	} {
		t.Run(tt.growth, func(t *testing.T) {
			_, err := Parse("test.yaml", []byte(fmt.Sprintf(growthPlan, tt.length, tt.growth)), "")
			var ie *runner.InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("growth %s: got %v, want an input error containing %q", tt.growth, err, tt.want)
			}
		})
	}
}

// TestGrowthNote: the report states each growth with its unit, in the text
// and in --json, and says of a growth without one that it is a rate per
// period, with the unit that keeps its meaning.
func TestGrowthNote(t *testing.T) {
	for _, stored := range []string{"", "{", `{"period_length": "quarter"}`} {
		if got := StoredGrowth(stored); got != "" {
			t.Errorf("StoredGrowth(%q) = %q: a report without growth states none", stored, got)
		}
	}
	for _, tt := range []struct {
		length, growth string
		want           []string
		per            string
		perPeriod      float64
	}{
		{"month", "0.1", []string{"chat +10% a month (0.1, no unit given: a rate per period)", "write 0.1/month to keep its meaning"}, "period", 0.1},
		{"month", "0.1/quarter", []string{"chat +10% a quarter (0.1/quarter), +3.23% a month"}, "quarter", math.Pow(1.1, 1.0/3) - 1},
		{"quarter", "0.12/quarter", []string{"chat +12% a quarter (0.12/quarter)"}, "quarter", 0.12},
	} {
		t.Run(tt.length+" "+tt.growth, func(t *testing.T) {
			r := NewReport(parse(t, fmt.Sprintf(growthPlan, tt.length, tt.growth)), nil, 0)
			var text strings.Builder
			if err := r.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.want {
				if !strings.Contains(text.String(), want) {
					t.Errorf("report lacks %q:\n%s", want, text.String())
				}
			}
			if strings.Contains(text.String(), "no unit given") != (tt.per == "period") {
				t.Errorf("the no-unit note is owed to a bare growth alone:\n%s", text.String())
			}
			body, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var back Report
			if err := json.Unmarshal(body, &back); err != nil {
				t.Fatal(err)
			}
			if len(back.Growth) != 1 {
				t.Fatalf("demand_growth %+v, want chat's", back.Growth)
			}
			g := back.Growth[0]
			if g.Workload != "chat" || g.Growth != tt.growth || g.Per != tt.per || g.UnitGiven != (tt.per != "period") || math.Abs(g.PerPeriod-tt.perPeriod) > 1e-12 {
				t.Errorf("demand_growth %+v, want chat %s per %s, %g a period", g, tt.growth, tt.per, tt.perPeriod)
			}
			// The dashboard words the stored report's growth as the
			// text's GROWTH line does.
			stored := StoredGrowth(string(body))
			if stored == "" || !strings.Contains(text.String(), "GROWTH (compound, before price response and Monte Carlo draws): "+stored) ||
				!strings.Contains(stored, tt.want[0]) {
				t.Errorf("StoredGrowth %q is not the GROWTH line's %q:\n%s", stored, tt.want[0], text.String())
			}
		})
	}
}
