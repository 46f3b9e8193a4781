package tui

import (
	"errors"
	"strings"
	"testing"

	"aiecon/data"
)

func TestForecastScreen(t *testing.T) {
	s := newForecastScreen(testShared(), "")
	if s.ref != "last" {
		t.Fatalf("ref %q, want last", s.ref)
	}
	s.resize(140, 20)
	if v := s.view(140, 20); !strings.Contains(v, "loading forecast") {
		t.Fatalf("before loading:\n%s", v)
	}
	var bands []data.ForecastBand
	for _, v := range []string{"owned-trn2", "rented-p5en"} {
		for p := 1; p <= 2; p++ {
			x := 1000.0 * float64(p)
			if v == "rented-p5en" {
				x *= 3
			}
			bands = append(bands,
				data.ForecastBand{Variant: v, Period: p, Metric: "revenue_usd", Unit: "USD", P10: x, P50: x, P90: x},
				data.ForecastBand{Variant: v, Period: p, Metric: "operating_margin", Unit: "fraction", P10: 0.1, P50: 0.2, P90: 0.3})
		}
	}
	f := &data.Forecast{ID: "1m90abcdefghjkm", Name: "plan", PeriodLength: "quarter", Periods: 2, Samples: 3}
	s.update(forecastLoadedMsg{addr: addr{s.sid}, forecast: f, bands: bands})
	v := s.view(140, 20)
	for _, want := range []string{"plan", "2 quarters · 3 samples", "variant owned-trn2 (1 of 2", "$2,000", "20.0%", "10.0%..30.0%"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	s.update(keyMsg("v"))
	if v := s.view(140, 20); !strings.Contains(v, "variant rented-p5en (2 of 2") || !strings.Contains(v, "$6,000") {
		t.Errorf("after v:\n%s", v)
	}
	// A store without forecasts says how to make one.
	e := newForecastScreen(testShared(), "zz")
	e.update(forecastLoadedMsg{addr: addr{e.sid}, err: errors.New(`forecast "zz": no such forecast`)})
	if v := e.view(100, 20); !strings.Contains(v, "aiecon forecast") {
		t.Errorf("error view:\n%s", v)
	}
}
