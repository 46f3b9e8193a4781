package chart

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"aiecon/data"
)

func TestRenderForecast(t *testing.T) {
	ctx := context.Background()
	s, err := data.Open(filepath.Join(t.TempDir(), "f.duckdb"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var values []data.ForecastValue
	for _, v := range []string{"owned", "rented"} {
		for sample := range 3 {
			for p := 1; p <= 4; p++ {
				x := float64(p*1e6 + sample*1e5) // a quarter's margin reaches millions
				values = append(values,
					data.ForecastValue{Variant: v, Sample: sample, Period: p, Metric: "operating_margin_usd", Unit: "USD", Value: x},
					data.ForecastValue{Variant: v, Sample: sample, Period: p, Metric: "revenue_api_usd", Unit: "USD", Value: 10 * x},
					data.ForecastValue{Variant: v, Sample: sample, Period: p, Metric: "revenue_ads_usd", Unit: "USD", Value: 0})
			}
		}
	}
	id, err := s.SaveForecast(ctx, data.ForecastInfo{Name: "fan", SpecYAML: "x", PeriodLength: "quarter", Periods: 4, Samples: 3,
		ReportJSON: "{}"}, values, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := RenderForecast(ctx, s, id, Options{})
	if err != nil {
		t.Fatal(err)
	}
	legends := c.Legends()
	if len(legends) != 2 || strings.Join(legends[0], ",") != "owned,rented" {
		t.Fatalf("legends %v: want the margin fans of owned and rented on top", legends)
	}
	// Ads revenue is zero throughout: no point on a log axis.
	if !contains(legends[1], "ads, rented (no data)") || !contains(legends[1], "tokens, owned") {
		t.Errorf("revenue legend %v", legends[1])
	}
	// The axes say the values are per period (here a quarter) and read as
	// money: $1.5M, $20M, not 1500000 or 2e+07.
	_, _, texts := svgRoot(t, c)
	for _, want := range []string{"operating margin", "USD per quarter", "USD per quarter, log scale", "$1.5M", "$20M"} {
		if !contains(strings.Split(texts, "\n"), want) {
			t.Errorf("SVG text lacks %q:\n%s", want, texts)
		}
	}
	for _, d := range strings.Split(texts, "\n") {
		if _, err := strconv.ParseFloat(d, 64); err == nil && len(d) > 3 {
			t.Errorf("tick %q is a raw number, want a compact amount", d)
		}
	}
	for _, f := range Formats() {
		var buf bytes.Buffer
		if err := c.Encode(&buf, f); err != nil || buf.Len() < 1000 {
			t.Errorf("%s: %d bytes, %v", f, buf.Len(), err)
		}
	}
	empty, err := s.SaveForecast(ctx, data.ForecastInfo{Name: "empty", SpecYAML: "x", PeriodLength: "month", Periods: 1, Samples: 1, ReportJSON: "{}"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RenderForecast(ctx, s, empty, Options{}); !errors.Is(err, ErrNoData) {
		t.Errorf("a forecast without periods: %v, want ErrNoData", err)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestRenderForecastFlatLines: a forecast whose lines are each one value
// draws, whatever the value. gonum widens a flat axis by ±1, which at 1e16
// and above leaves its ends equal (the spacing of such floats exceeds 1),
// and `plot --kind forecast` then panicked with "illegal range" (an annual
// licence of 1e22, or a rented price of 1e15 an hour, made the margin one
// constant).
func TestRenderForecastFlatLines(t *testing.T) {
	ctx := context.Background()
	s, err := data.Open(filepath.Join(t.TempDir(), "f.duckdb"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, x := range []float64{0, 7, -2.5e6, 1e16, -1e22, 1e22, 1.7e308, -1.7e308} {
		var values []data.ForecastValue
		for p := 1; p <= 2; p++ {
			values = append(values,
				data.ForecastValue{Variant: "rented", Sample: 0, Period: p, Metric: "operating_margin_usd", Unit: "USD", Value: x},
				data.ForecastValue{Variant: "rented", Sample: 0, Period: p, Metric: "revenue_api_usd", Unit: "USD", Value: math.Abs(x)})
		}
		id, err := s.SaveForecast(ctx, data.ForecastInfo{Name: "flat", SpecYAML: "x", PeriodLength: "quarter", Periods: 2, Samples: 1,
			ReportJSON: "{}"}, values, nil)
		if err != nil {
			t.Fatal(err)
		}
		c, err := RenderForecast(ctx, s, id, Options{})
		if err != nil {
			t.Fatalf("%g: %v", x, err)
		}
		for _, f := range Formats() {
			var buf bytes.Buffer
			if err := encodeNoPanic(c, &buf, f); err != nil || buf.Len() < 1000 {
				t.Errorf("margin %g, %s: %d bytes, %v", x, f, buf.Len(), err)
			}
		}
	}
}

// encodeNoPanic is c.Encode with a panic returned as an error, so that one
// value's failure does not hide the others'.
func encodeNoPanic(c *Chart, buf *bytes.Buffer, f Format) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return c.Encode(buf, f)
}
