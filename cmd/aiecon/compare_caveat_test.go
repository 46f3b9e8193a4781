package main

import (
	"bytes"
	"strings"
	"testing"

	"aiecon/data"
)

// TestCompareSaysGrossMarginIsBeforeTraining: compare's table names
// gross_margin as the margin before training: retrain-weekly/daily read
// "gross_margin 0.7632" beside "margin_usd -1840", training being 79% of
// its cost. CSV and JSON keep the bare name a script selects by.
func TestCompareSaysGrossMarginIsBeforeTraining(t *testing.T) {
	c := &data.Comparison{Runs: []data.RunSummary{{ID: "a"}, {ID: "b"}}, Rows: []data.CompareRow{
		{Name: "gross_margin", Unit: "fraction", Values: []float64{0.7632, 0.76}, Delta: []float64{0, -0.0032}, RelDelta: []float64{0, -0.004}},
		{Name: "margin_usd", Unit: "USD", Values: []float64{-1839.84, 30}, Delta: []float64{0, 1869.84}, RelDelta: []float64{0, 1.016}},
	}}
	var table, csv, js bytes.Buffer
	if err := printCompare(&table, c); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), "gross_margin (before training)") || strings.Contains(table.String(), "margin_usd (") {
		t.Errorf("the table does not say gross_margin alone is before training:\n%s", table.String())
	}
	if err := printCompareCSV(&csv, c); err != nil {
		t.Fatal(err)
	}
	if err := printCompareJSON(&js, c); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"csv": csv.String(), "json": js.String()} {
		if !strings.Contains(out, "gross_margin") || strings.Contains(out, "before training") {
			t.Errorf("--format %s does not keep the bare name:\n%s", name, out)
		}
	}
}
