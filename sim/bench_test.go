package sim

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// countingSink receives every record (so building them is measured) and
// keeps nothing, as a streaming store would.
type countingSink struct{ reqs, windows int }

func (c *countingSink) Begin(RunMeta) error              { return nil }
func (c *countingSink) Requests(b []RequestRecord) error { c.reqs += len(b); return nil }
func (c *countingSink) Sessions([]SessionRecord) error   { return nil }
func (c *countingSink) Auctions([]AuctionRecord) error   { return nil }
func (c *countingSink) Windows(b []WindowRecord) error   { c.windows += len(b); return nil }
func (c *countingSink) End(Summary) error                { return nil }

// peakRSSMB reads the process's resident-memory high-water mark (VmHWM).
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

func benchmarkRun(b *testing.B, src, traceDir string, wantRequests int) {
	sc := scenario(b, src)
	var reqs, events int64
	var wall time.Duration
	for i := 0; i < b.N; i++ {
		sink := &countingSink{}
		w, err := New(Config{Scenario: sc, Sink: sink, TraceDir: traceDir})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		res, err := w.Run(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		wall += time.Since(start)
		if sink.reqs < wantRequests {
			b.Fatalf("simulated %d requests, want at least %d", sink.reqs, wantRequests)
		}
		reqs += int64(sink.reqs)
		events += res.Events
	}
	b.ReportMetric(float64(reqs)/wall.Seconds(), "sim-requests/s")
	b.ReportMetric(float64(events)/wall.Seconds(), "events/s")
	b.ReportMetric(wall.Seconds()/float64(b.N), "wall-s/run")
	b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
}

// BenchmarkAzureConvTrace replays the Azure LLM inference conversation trace
// (19,366 requests over 58 minutes, CC-BY 4.0, read from ../shared) against a
// Llama-3.1-70B fleet on trn2.48xlarge.
//
//	go test ./sim -run '^$' -bench AzureConvTrace -benchtime 3x
func BenchmarkAzureConvTrace(b *testing.B) {
	path, err := filepath.Abs("../../shared/data/azure-llm-inference-2023/AzureLLMInferenceTrace_conv.csv")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		b.Skipf("Azure trace not found at %s (it lives in ../shared, next to the repository): %v", path, err)
	}
	benchmarkRun(b, `name: azure-conv
horizon: 2h
drain: true
model: llama-3.1-70b
fleet:
  instance: trn2.48xlarge
  count: 10
  pricing: capacity-block
  replica: {tp: 32, scheduler: neuron, max_num_seqs: 16, max_model_len: 16384}
workloads:
  - name: conv
    class: api
    arrivals: {process: trace, trace: {path: `+path+`}}
    price: {input_per_mtok: 0.72, output_per_mtok: 0.72}
    slo: {ttft: 2s, tpot: 100ms}
`, "", 19366)
}

// BenchmarkPoisson1M simulates 1,000,000 Poisson chat requests (about 56
// simulated minutes at 300/s) on a Llama-3.1-8B fleet of p5.48xlarge
// instances with vLLM continuous batching, streaming every record to a sink
// that keeps nothing. Target: at least 200,000 simulated requests per wall
// second and under 1 GiB of memory.
//
//	go test ./sim -run '^$' -bench Poisson1M -benchtime 1x
func BenchmarkPoisson1M(b *testing.B) {
	benchmarkRun(b, `name: poisson-1m
horizon: 3334s
model: llama-3.1-8b
fleet:
  instance: p5.48xlarge
  count: 2
  replica: {tp: 1, scheduler: vllm, max_num_seqs: 256, max_model_len: 16384}
workloads:
  - name: chat
    class: api
    arrivals: {process: poisson, rate: 300/s}
    prompt_tokens: {dist: lognormal, median: 800, p99: 6000, max: 12000}
    output_tokens: {dist: lognormal, median: 250, p99: 1200, max: 4000}
    price: {input_per_mtok: 0.22, output_per_mtok: 0.22}
    slo: {ttft: 1s, tpot: 50ms}
`, "", 990_000)
}
