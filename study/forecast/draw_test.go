package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestTruncatedNormalTerminates: a normal whose std is far wider than its
// [min, max] redrew until a value landed inside, for ever at std 1e12 on
// [0.5, 1.5]; it now returns a value inside the bounds at once.
func TestTruncatedNormalTerminates(t *testing.T) {
	lo, hi := 0.5, 1.5
	d := Draw{Dist: "normal", Mean: 1, Std: 1e12, Min: &lo, Max: &hi}
	r := rand.New(rand.NewPCG(1, 2))
	done := make(chan []float64, 1)
	go func() {
		var xs []float64
		for range 50 {
			xs = append(xs, d.sample(r))
		}
		done <- xs
	}()
	select {
	case xs := <-done:
		for _, x := range xs {
			if x < lo || x > hi {
				t.Fatalf("drew %g, outside [%g, %g]", x, lo, hi)
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("50 draws of a normal with std 1e12 on [0.5, 1.5] did not finish in 10 s")
	}
	// A narrow normal keeps its redrawn values: the same stream, the same draws.
	n := Draw{Dist: "normal", Mean: 1, Std: 0.1, Min: &lo, Max: &hi}
	a, b := rand.New(rand.NewPCG(3, 4)), rand.New(rand.NewPCG(3, 4))
	for range 100 {
		want := 0.0
		for {
			if x := 1 + 0.1*b.NormFloat64(); x >= lo && x <= hi {
				want = x
				break
			}
		}
		if got := n.sample(a); got != want {
			t.Fatalf("drew %g, want the redrawn %g", got, want)
		}
	}
}

// TestElasticityDrawKeepsInelasticWorkloads: the Monte Carlo elasticity
// draw replaces the elasticity of a workload the plan gives one, and
// leaves a workload left inelastic so: the price draw moved a shopping
// agent's sessions (and its commerce, most of the revenue) as it moved
// chat's when the draw replaced every workload's. The report names both.
func TestElasticityDrawKeepsInelasticWorkloads(t *testing.T) {
	src := strings.Replace(fmt.Sprintf(priceCut, "-1.11"), "variants:",
		"monte_carlo: {samples: 4, price: {dist: uniform, min: 0.7, max: 1.3}, elasticity: {dist: uniform, min: -1.5, max: -0.7}}\nvariants:", 1)
	f := parse(t, src)
	chat, shop := f.workload("chat").Arrivals.Rate.PerSecond(), f.workload("shopping-assistant").Arrivals.Rate.PerSecond()
	ins := f.samples()
	seen := 0
	for _, j := range f.Jobs() {
		if j.Period != 1 {
			continue
		}
		in := ins[j.Sample]
		if got := rateSet(t, j.Sets, "shopping-assistant"); !near(got, shop) {
			t.Errorf("sample %d (price x%.3f): shopping-assistant rate %v/s, want its base %v", j.Sample, in.Price, got, shop)
		}
		if got, want := rateSet(t, j.Sets, "chat"), chat*math.Pow(in.Price, *in.Elasticity); !near(got, want) {
			t.Errorf("sample %d: chat rate %v/s, want %v x %.3f^%.3f = %v", j.Sample, got, chat, in.Price, *in.Elasticity, want)
		}
		seen++
	}
	if seen != 4 {
		t.Fatalf("%d period-1 jobs, want 4", seen)
	}
	r := NewReport(f, nil, 0)
	if !slices.Equal(r.ElasticityDrawn, []string{"chat"}) || !slices.Equal(r.Inelastic, []string{"shopping-assistant"}) ||
		!strings.Contains(r.elasticityNote(), "replaces the elasticity of chat; shopping-assistant, left inelastic") {
		t.Errorf("report: drawn %v, inelastic %v, note %q", r.ElasticityDrawn, r.Inelastic, r.elasticityNote())
	}
	// A draw with no elasticity to replace is refused at its line.
	_, err := Parse("test.yaml", []byte(strings.Replace(src, "elasticity: -1.11", "elasticity: 0", 1)), "")
	if err == nil || !strings.Contains(err.Error(), "monte_carlo.elasticity") || !strings.Contains(err.Error(), "no workload has an elasticity") {
		t.Errorf("draw with nothing to replace: %v", err)
	}
}
