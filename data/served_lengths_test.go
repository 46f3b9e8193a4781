package data

import (
	"context"
	"testing"

	"aiecon/sim"
)

// TestServedLengthsStored: a complete run keeps its main pool's call
// lengths (the first of Summary.Lengths) in runs' served_* columns and
// Run reads them back, so that show prices the decode step run priced;
// none given reads as none kept (nil), and a pool no call reached keeps
// its count alone.
func TestServedLengthsStored(t *testing.T) {
	s, _ := openTemp(t)
	main := sim.PoolLengths{Pool: "m", Calls: 955, PromptP99: 6000, ContextP99: 8100.5, PromptMean: 1900.25, ContextMean: 2310.75}
	for _, tt := range []struct {
		name    string
		lengths []sim.PoolLengths
		want    *sim.PoolLengths
	}{
		{"none given", nil, nil},
		{"main pool first", []sim.PoolLengths{main, {Pool: "other", Calls: 3, ContextMean: 9}},
			&sim.PoolLengths{Calls: 955, PromptP99: 6000, PromptMean: 1900.25, ContextMean: 2310.75, ContextP99: 8100.5}},
		{"no call routed", []sim.PoolLengths{{Pool: "m"}}, &sim.PoolLengths{}},
	} {
		r := newSynthRun(1, 10)
		r.Summary.Lengths = tt.lengths
		w, err := s.BeginRun(context.Background(), RunInfo{Name: "x", ScenarioYAML: "name: x\n", Seed: 1, Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.play(w, 1000, true); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(1); err != nil {
			t.Fatal(err)
		}
		d, err := s.Run(context.Background(), w.ID())
		if err != nil {
			t.Fatal(err)
		}
		switch got := d.Run.Served; {
		case (got == nil) != (tt.want == nil):
			t.Errorf("%s: served %+v, want %+v", tt.name, got, tt.want)
		case got != nil && *got != *tt.want:
			t.Errorf("%s: served %+v, want %+v", tt.name, *got, *tt.want)
		}
	}
}
