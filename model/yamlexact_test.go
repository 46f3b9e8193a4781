package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"aiecon/internal/fielddiff"

	"github.com/goccy/go-yaml"
)

// logUniform draws a number between lo and hi, uniform in its logarithm,
// so that every magnitude between them is tried.
func logUniform(r *rand.Rand, lo, hi float64) float64 {
	return math.Exp(math.Log(lo) + r.Float64()*(math.Log(hi)-math.Log(lo)))
}

// TestRateYAMLExact: a rate is written in its readable unit in the fewest
// digits that read back as it. A forecast slice's scaled rate,
// 11.250413596244188/s, was written 11.2504/s, and the slice's resolved
// scenario reran another rate ($1,042 of revenue for the run's $1,046).
func TestRateYAMLExact(t *testing.T) {
	for _, c := range []struct {
		given, want string
	}{
		{"40/s", "40/s"}, {"2400/min", "40/s"}, {"30/min", "30/min"}, {"5/h", "5/h"}, {"90/d", "3.75/h"},
		{"11.250413596244188/s", "11.250413596244188/s"}, {"0.1/s", "6/min"}, {"1e6/s", "1e+06/s"}, {"0/s", "0/s"},
	} {
		r, err := ParseRate(c.given)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := r.MarshalYAML(); string(got) != c.want {
			t.Errorf("%s written %s, want %s", c.given, got, c.want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		r := Rate(logUniform(rng, 1e-7, 1e7))
		text, _ := r.MarshalYAML()
		if back, err := ParseRate(string(text)); err != nil || back != r {
			t.Fatalf("rate %v (%.17g/s) written %s reads back %.17g/s, %v", r, float64(r), text, float64(back), err)
		}
	}
}

// TestDurationYAMLExact: a duration is written in whole units where it is
// one (7d, 300ms) and to the nanosecond otherwise, and reads back as it.
func TestDurationYAMLExact(t *testing.T) {
	for d, want := range map[Duration]string{7 * Day: "7d", Hour: "1h", 300 * Millisecond: "300ms", 1500 * Millisecond: "1.5s", 25*Hour + 1: "25h0m0.000000001s"} {
		if got, _ := d.MarshalYAML(); string(got) != want {
			t.Errorf("%d ns written %s, want %s", int64(d), got, want)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		d := Duration(rng.Int64N(int64(2*MaxDuration)+1)) - MaxDuration
		if rng.IntN(2) == 0 { // short ones too: sub-second and minutes
			d = Duration(logUniform(rng, 1, float64(Hour)))
		}
		text, _ := d.MarshalYAML()
		if back, err := ParseDuration(string(text)); err != nil || back != d {
			t.Fatalf("%d ns written %s reads back %d ns, %v", int64(d), text, int64(back), err)
		}
	}
}

// TestDistYAMLExact: a distribution's parameters read back as they were,
// durations in their unit and sigma and cv as the plain numbers they are
// (a sigma of 0.8123456789123 in a duration's distribution was written
// 812.345679ms, rounded to the nanosecond).
func TestDistYAMLExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 5000 {
		secs := i%2 == 0
		val := func() float64 {
			if secs { // a duration is a whole number of nanoseconds
				return Duration(logUniform(rng, 1, float64(Hour))).Seconds()
			}
			return logUniform(rng, 1e-6, 1e9)
		}
		ds := []Dist{
			{Kind: "fixed", Value: val()},
			{Kind: "lognormal", Median: val(), P99: val(), Min: val(), Max: val()},
			{Kind: "lognormal", Median: val(), Sigma: logUniform(rng, 1e-3, 3)},
			{Kind: "gamma", Mean: val(), CV: logUniform(rng, 1e-3, 10)},
			{Kind: "normal", Mean: val(), Std: val()},
			{Kind: "empirical", Values: []float64{val(), val(), val()}},
		}
		for _, d := range ds {
			d.Seconds = secs
			text, err := MarshalYAML(d, yaml.Flow(true))
			if err != nil {
				t.Fatal(err)
			}
			var back Dist
			if err := yaml.Unmarshal(text, &back); err != nil || !back.Same(d) || back.Seconds != d.Seconds {
				t.Fatalf("%+v written %s reads back %+v, %v", d, text, back, err)
			}
		}
	}
	text, _ := MarshalYAML(Dist{Kind: "lognormal", Median: 0.3, Sigma: 0.8, Seconds: true}, yaml.Flow(true))
	if want := "{dist: lognormal, median: 300ms, sigma: 0.8}"; strings.TrimSpace(string(text)) != want {
		t.Errorf("written %s, want %s", text, want)
	}
}

// TestResolvedScenarioRoundTrips: a resolved scenario, written and loaded
// again, is the same scenario, field for field, under random rates,
// durations, prices and fractions: what `aiecon show --yaml=resolved`
// prints reruns the run it stored.
func TestResolvedScenarioRoundTrips(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	exact := func(v float64) string { return fmt.Sprint(v) }
	for range 200 {
		rate := Rate(logUniform(rng, 1e-4, 1e4))
		ns := Duration(logUniform(rng, float64(Millisecond), float64(10*Second)))
		src := strings.NewReplacer(
			"{rate: 10/s}", "{rate: "+exact(float64(rate))+"/s, diurnal: default}",
			"{rate: 1/s}", "{rate: "+exact(float64(rate)*3600)+"/h}",
			"output_tokens: 250", fmt.Sprintf("output_tokens: 250\n    price: {input_per_mtok: %s, output_per_mtok: %s}\n    slo: {ttft: %dns}",
				exact(logUniform(rng, 1e-3, 100)), exact(logUniform(rng, 1e-3, 100)), int64(ns)),
			"prefix_cache_hit: 0.5", "prefix_cache_hit: "+exact(rng.Float64()),
			"replica: {tp: 32}", "replica: {tp: 32, memory_reserve: "+exact(rng.Float64()*0.5)+"}\n  price_usd_per_hour: "+exact(logUniform(rng, 1, 500)),
		).Replace(agentScenario)
		sc, _, err := Load("t.yaml", []byte(src), testCatalog{})
		if err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		out, err := MarshalYAML(sc)
		if err != nil {
			t.Fatal(err)
		}
		back, _, err := Load("resolved.yaml", out, testCatalog{})
		if err != nil {
			t.Fatalf("the resolved scenario does not load: %v\n%s", err, out)
		}
		if diff := fielddiff.First(sc, back); diff != "" {
			t.Fatalf("the resolved scenario reads back otherwise: %s\n%s", diff, out)
		}
	}
}
