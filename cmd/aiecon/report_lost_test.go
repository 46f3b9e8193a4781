package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lostScenario is a minute of an 8B model on one replica with 4 batch slots,
// serving the workloads given (YAML list items).
func lostScenario(workloads string) string {
	return `name: lost
horizon: 1m
model: llama-3.1-8b
fleet: {instance: p5.48xlarge, count: 1, replica: {tp: 8, scheduler: vllm, max_num_seqs: 4, queue_timeout: 2s}}
workloads:
` + workloads
}

const (
	lostChat = `  - {name: chat, class: api, arrivals: {rate: %s}, prompt_tokens: 500, output_tokens: 100,
     price: {input_per_mtok: 1, output_per_mtok: 2}}
`
	lostShopper = `  - name: shopper
    class: agent
    arrivals: {rate: 1/s}
    prompt_tokens: 60
    output_tokens: 120
    agent: {steps: 3, patience: 5s, value: {fee: 0.01}}
`
)

// ECONOMICS' lost to latency covers the API requests that a full queue or
// a timeout cost, at the tokens they would have billed: it printed nothing
// for a run without sessions, and "tokens $0" beside sessions, while a
// queue timeout cost the API workload a tenth of its revenue.
func TestEconomicsLostToLatencyCountsAPIRequests(t *testing.T) {
	overloaded := strings.ReplaceAll(lostChat, "%s", "200/s")
	light := strings.ReplaceAll(lostChat, "%s", "1/s")
	tests := []struct {
		name, workloads string
		want, notWant   []string
	}{
		{"api only, overloaded", overloaded, []string{"lost to latency  $", ", all to queueing (tokens): API/batch requests dropped or timed out"}, []string{"$0, all"}},
		{"api only, nothing dropped", light, nil, []string{"lost to latency"}},
		{"api and agents, overloaded", overloaded + lostShopper,
			[]string{"over sessions that ended and API/batch requests dropped or timed out\n", "to queueing      $"}, []string{"to queueing      $0 "}},
		{"agents only", lostShopper, []string{"over sessions that ended\n"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			sc := filepath.Join(dir, "lost.yaml")
			if err := os.WriteFile(sc, []byte(lostScenario(tt.workloads)), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errs := cli(t, filepath.Join(dir, "s.duckdb"), "", "run", sc, "--no-store")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			_, econ, _ := strings.Cut(out, "\nECONOMICS\n")
			econ, _, _ = strings.Cut(econ, "\n\n")
			for _, w := range tt.want {
				if !strings.Contains(econ, w) {
					t.Errorf("ECONOMICS lacks %q:\n%s", w, econ)
				}
			}
			for _, l := range strings.Split(econ, "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), "to queueing") && strings.Contains(l, "(tokens $0,") && strings.Contains(tt.workloads, "200/s") {
					t.Errorf("the API requests dropped or timed out are not in the tokens lost to queueing: %q", l)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(econ, w) {
					t.Errorf("ECONOMICS has %q:\n%s", w, econ)
				}
			}
		})
	}
}
