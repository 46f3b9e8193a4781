package sim

import (
	"context"
	"fmt"
	"testing"
)

// TestCountedArrivals: a poisson or gamma process with count stops after
// that many arrivals, as a benchmark sends a set number of prompts at a
// rate, and still stops at the horizon when that comes first.
func TestCountedArrivals(t *testing.T) {
	const src = `name: counted
horizon: %s
window: 1s
drain: true
model: llama-3.1-8b
fleet: {instance: p5.48xlarge, replica: {tp: 1}}
workloads:
  - name: bench
    class: api
    arrivals: {process: %s, rate: 20/s%s, count: %d}
    prompt_tokens: 128
    output_tokens: 16
`
	tests := []struct {
		process, cv, horizon string
		count, want          int
	}{
		{"poisson", "", "1h", 200, 200},
		{"gamma", ", cv: 2", "1h", 150, 150},
		{"poisson", "", "1h", 1, 1},
		// 20/s for 2 s is about 40 arrivals, far short of the count.
		{"poisson", "", "2s", 10000, -1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d/%s", tt.process, tt.count, tt.horizon), func(t *testing.T) {
			sink := &MemorySink{}
			w, err := New(Config{Scenario: scenario(t, fmt.Sprintf(src, tt.horizon, tt.process, tt.cv, tt.count)), Sink: sink})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			got := len(sink.Reqs)
			if tt.want >= 0 && got != tt.want {
				t.Errorf("%d requests, want %d", got, tt.want)
			}
			if tt.want < 0 && (got < 20 || got > 70) {
				t.Errorf("%d requests in 2 s at 20/s, want about 40 (the horizon, not the count, ends it)", got)
			}
			var last int64
			for _, r := range sink.Reqs {
				last = max(last, r.ArrivalNs)
			}
			if tt.want == 200 && (last < 5e9 || last > 15e9) {
				t.Errorf("200 arrivals at 20/s ended at %.1f s, want about 10", float64(last)/1e9)
			}
		})
	}
}
