package main

import (
	"bytes"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/model/format"
)

// TestCompareMoneyCells: compare's table prints a KPI in dollars, and its
// change, as run and show print money (kpiCell), where its four
// significant figures printed an instance cost of $143.04 as 143; other
// units keep their figures, and the CSV keeps full-precision numbers.
func TestCompareMoneyCells(t *testing.T) {
	tests := []struct {
		row  data.CompareRow
		want []string // the row's value and Δ cells, in order
	}{
		{data.CompareRow{Name: "cost_instances_usd", Unit: format.UnitUSD, Values: []float64{143.0432, 150.5}, Delta: []float64{0, 7.4568}},
			[]string{"$143.04", "$150.50", "+$7.46"}},
		{data.CompareRow{Name: "cost_per_mtok_usd", Unit: format.UnitUSDPerMTok, Values: []float64{5.19656, 4.9}, Delta: []float64{0, -0.29656}},
			[]string{"$5.20", "$4.90", "-$0.2966"}},
		{data.CompareRow{Name: "margin_usd", Unit: format.UnitUSD, Values: []float64{-12345.6, 0}, Delta: []float64{0, 12345.6}},
			[]string{"-$12,346", "$0", "+$12,346"}},
		{data.CompareRow{Name: "requests_completed", Unit: format.UnitCount, Values: []float64{143.0432, 150}, Delta: []float64{0, 6.9568}},
			[]string{"143", "150", "+6.957"}},
		{data.CompareRow{Name: "slo_attainment", Unit: format.UnitFraction, Values: []float64{0.77541, 0.8}, Delta: []float64{0, 0.02459}},
			[]string{"0.7754", "0.8", "+2.5 pp"}},
	}
	for _, tt := range tests {
		t.Run(tt.row.Name, func(t *testing.T) {
			tt.row.RelDelta = []float64{0, tt.row.Delta[1] / tt.row.Values[0]}
			c := &data.Comparison{Runs: []data.RunSummary{{ID: "a"}, {ID: "b"}}, Rows: []data.CompareRow{tt.row}}
			var tab bytes.Buffer
			if err := printCompare(&tab, c); err != nil {
				t.Fatal(err)
			}
			var line []string
			for _, l := range strings.Split(tab.String(), "\n") {
				if f := strings.Fields(l); len(f) > 1 && f[1] == tt.row.Name {
					line = f
				}
			}
			// SCOPE KPI UNIT, then BASELINE, RUN 2 and Δ, then Δ%
			if len(line) < 4 || !strings.HasPrefix(strings.Join(line[3:], " "), strings.Join(tt.want, " ")+" ") {
				t.Errorf("table row %q, want cells %q:\n%s", line, tt.want, tab.String())
			}
			var out bytes.Buffer
			if err := printCompareCSV(&out, c); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(out.String(), "$") {
				t.Errorf("CSV prints money as text, want numbers:\n%s", out.String())
			}
		})
	}
}
