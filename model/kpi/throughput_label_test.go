package kpi

import "testing"

// TestThroughputHeadsAsCompleted: throughput_rps counts requests completed
// per second, so a narrow column heads it done/s, as run's TRAFFIC does.
// Headed req/s, an overloaded fleet's 2.07 read as the 10.4 requests/s it
// was offered (aiecon runs, the dashboard's Runs and Run screens).
func TestThroughputHeadsAsCompleted(t *testing.T) {
	if got := Get(ThroughputRPS).ShortLabel(); got != "done/s" {
		t.Errorf("throughput_rps heads %q, want done/s", got)
	}
}
