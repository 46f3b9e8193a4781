package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestTrafficRateIsCompletions: TRAFFIC's rate column is requests completed
// per second, and its head says so (done/s): headed req/s beside arrived,
// an overloaded fleet's throughput read as the demand it failed to serve
// (inferentia-small on one instance: 19,552 of 21,572 completed, 5.43/s
// against 5.99/s offered).
func TestTrafficRateIsCompletions(t *testing.T) {
	r := fakeReport(map[string]float64{"requests_arrived": 21572, "requests_completed": 19552, "requests_timed_out": 1966, "throughput_rps": 19552.0 / 3600})
	var b strings.Builder
	r.printTraffic(&b, []string{""})
	lines := strings.Split(b.String(), "\n")
	if len(lines) < 4 {
		t.Fatalf("TRAFFIC has no table:\n%s", b.String())
	}
	head, row := lines[2], lines[3]
	if strings.Contains(head, "req/s") || !regexp.MustCompile(`unfinished +done/s +prompt tok/s`).MatchString(head) {
		t.Errorf("the rate column is not headed done/s:\n%s", b.String())
	}
	// done/s heads the throughput, right-aligned under it.
	end := strings.Index(head, "done/s") + len("done/s")
	if end > len(row) || !strings.HasSuffix(row[:end], "5.43") {
		t.Errorf("done/s does not head the completions per second, 5.43:\n%s", b.String())
	}
}
