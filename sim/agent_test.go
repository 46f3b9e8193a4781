package sim

import "testing"

// A call abandoned with its session is recorded as part of it, so that a
// query over requests can tell which sessions gave up where.
func TestAbandonedCallsKeepTheirSession(t *testing.T) {
	sc := scenario(t, agentsAds)
	sc.Workloads[1].Arrivals.Rate = 20
	_, sink := run(t, sc)
	status := map[int64]SessionStatus{}
	for _, s := range sink.Sess {
		status[s.ID] = s.Status
	}
	n := 0
	for _, r := range sink.Reqs {
		if r.Status != StatusAbandoned {
			continue
		}
		n++
		if st, ok := status[r.Session]; !ok || st != SessionAbandoned {
			t.Fatalf("abandoned request %d names session %d (%v, recorded %v)", r.ID, r.Session, st, ok)
		}
	}
	if n == 0 {
		t.Fatal("no request abandoned: the test shows nothing")
	}
}
