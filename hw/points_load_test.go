package hw

import (
	"math"
	"strings"
	"testing"
)

func TestParseLoad(t *testing.T) {
	tests := []struct {
		kind, note  string
		concurrency int
		rate        float64
		allAtOnce   bool
		prompts     int
		unknown     bool
	}{
		{kind: ""},
		{kind: "static_batch"},
		{kind: "static batch (all requests start together, gptSessionBenchmark)"},
		{kind: "closed-loop concurrency=150", concurrency: 150},
		{kind: "max-concurrency=2 (closed loop)", concurrency: 2},
		{kind: "concurrency=8", concurrency: 8},
		// vLLM's closed loop: every prompt at once, at most N in flight.
		{kind: "request-rate=inf max-concurrency=4", concurrency: 4},
		{kind: "request-rate=4", rate: 4},
		{kind: "request_rate=0.5/s", rate: 0.5},
		{kind: "poisson rate=3/s", rate: 3},
		{kind: "qps=16 num-prompts=200", rate: 16, prompts: 200},
		{kind: "request-rate=2", note: "vllm bench serve --num-prompts 50 --request-rate 2", rate: 2, prompts: 50},
		{kind: "request-rate=inf num-prompts=1000", allAtOnce: true, prompts: 1000},
		{kind: "request-rate=2 max-concurrency=8", unknown: true},
		{kind: "offline throughput", unknown: true},
		// The same value twice is one value.
		{kind: "max-concurrency=8 (closed loop, concurrency=8)", concurrency: 8},
		{kind: "request-rate=2 rate=2/s", rate: 2},
		{kind: "request-rate=2 (rate=2.0/s)", rate: 2},
		{kind: "request-rate=inf rate=infinity num-prompts=100 num-prompts=100", allAtOnce: true, prompts: 100},
		{kind: "max-concurrency=8 (closed loop, concurrency=08)", concurrency: 8},
	}
	for _, tt := range tests {
		var pt ServingPoint
		if err := pt.parseLoad(tt.kind, tt.note); err != nil {
			t.Errorf("parseLoad(%q): %v", tt.kind, err)
			continue
		}
		if pt.Concurrency != tt.concurrency || pt.RequestRate != tt.rate || pt.AllAtOnce != tt.allAtOnce ||
			pt.Prompts != tt.prompts || (pt.UnknownLoad != "") != tt.unknown {
			t.Errorf("parseLoad(%q, %q) = concurrency %d, rate %g, at once %v, prompts %d, unknown %q",
				tt.kind, tt.note, pt.Concurrency, pt.RequestRate, pt.AllAtOnce, pt.Prompts, pt.UnknownLoad)
		}
		if open := tt.rate > 0 || tt.allAtOnce; pt.OpenLoop() != open {
			t.Errorf("parseLoad(%q).OpenLoop() = %v", tt.kind, pt.OpenLoop())
		}
	}
	for kind, want := range map[string]string{
		"closed loop":                    "gives no concurrency=N",
		"closed-loop concurrency=0":      "concurrency must be a whole number",
		"request-rate=-3":                "request rate must be a number",
		"request-rate=fast":              "request rate must be a number",
		"request-rate=4 num-prompts=1e9": "num-prompts must be a whole number",
		// Two different values had been read as the first, without a word.
		"closed-loop concurrency=5 closed-loop concurrency=6": `"closed-loop concurrency=5 closed-loop concurrency=6" gives concurrency twice, 5 and 6: give the one the benchmark ran`,
		"max-concurrency=4 (closed loop), concurrency=8":      "gives concurrency twice, 4 and 8",
		"request-rate=2 qps=5":                                "gives a request rate twice, 2 and 5",
		"request-rate=2 rate=2.5/s":                           "gives a request rate twice, 2 and 2.5",
		"request-rate=2 rate=fast":                            "gives a request rate twice, 2 and fast",
		"request-rate=2 num-prompts=100 num-prompts=200":      "gives num-prompts twice, 100 and 200",
	} {
		var pt ServingPoint
		if err := pt.parseLoad(kind, ""); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseLoad(%q) = %v; want an error saying %q", kind, err, want)
		}
	}
}

func TestParseStatAndQuantile(t *testing.T) {
	tests := []struct {
		in, want string
		q        float64
		isQ      bool
	}{
		{"", "p50", 0.5, true}, {"median", "p50", 0.5, true}, {"single run (1)", "p50", 0.5, true},
		{"mean", "mean", 0, false}, {"Average", "mean", 0, false},
		{"p99", "p99", 0.99, true}, {"P90", "p90", 0.9, true}, {"p99.9", "p99.9", 0.999, true},
	}
	for _, tt := range tests {
		got, err := parseStat(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseStat(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			continue
		}
		q, isQ := ServingPoint{Stat: got}.Quantile()
		if isQ != tt.isQ || (isQ && math.Abs(q-tt.q) > 1e-12) {
			t.Errorf("Quantile of %q = %g, %v; want %g, %v", got, q, isQ, tt.q, tt.isQ)
		}
	}
	for _, bad := range []string{"p0", "p100", "max", "p-5", "stddev"} {
		if got, err := parseStat(bad); err == nil {
			t.Errorf("parseStat(%q) = %q; want an error", bad, got)
		}
	}
}
