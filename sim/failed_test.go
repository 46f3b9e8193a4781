package sim

import (
	"fmt"
	"math"
	"testing"
)

// failedScenario is a two-minute shopping agent on one p5 replica of
// max_num_seqs slots (replica adds to its mapping, fleet to the fleet's)
// at rate sessions per second, whose users wait patience.
func failedScenario(fleet, replica string, slots int, rate, patience string) string {
	return fmt.Sprintf(`name: failed
horizon: 2m
model: llama-3.1-8b
fleet:
  instance: p5.48xlarge
  count: 1%s
  replica: {tp: 8, scheduler: vllm, max_num_seqs: %d%s}
workloads:
  - name: shop
    class: agent
    arrivals: {process: poisson, rate: %s}
    prompt_tokens: 500
    output_tokens: 200
    agent: {steps: 3, patience: %s, tool_latency: 1s}
`, fleet, slots, replica, rate, patience)
}

// TestSessionsFailedByTheFleet: a session whose model call the fleet
// dropped (a full queue, no replica up after a spot interruption) or timed
// out ends abandoned and failed, its last request queue_full or timed_out;
// one whose user's patience ran out ends abandoned and not failed. The KPIs
// count the records: sessions_failed are the failed ones, a part of
// sessions_abandoned, and completed, abandoned by patience and failed sum
// to the sessions that ended.
func TestSessionsFailedByTheFleet(t *testing.T) {
	for _, tc := range []struct {
		name       string
		src        string
		wantCause  RequestStatus // a failed session's last request, StatusCompleted where none may fail
		wantFailed bool
		impatient  bool // some user's patience runs out too
	}{
		{"queue full", failedScenario("", ", queue_limit: 2", 4, "20/s", "1h"), StatusQueueFull, true, false},
		{"queue full, some impatient", failedScenario("", ", queue_limit: 2", 4, "20/s", "3s"), StatusQueueFull, true, true},
		{"timed out", failedScenario("", ", queue_timeout: 2s", 4, "20/s", "1h"), StatusTimedOut, true, false},
		{"no replica up", failedScenario("\n  pricing: spot\n  spot: {discount: 0.6, interruptions_per_hour: 30, recovery: 1m}", "", 64, "2/s", "1h"),
			StatusQueueFull, true, false},
		{"patience", failedScenario("", "", 4, "4/s", "2s"), StatusCompleted, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, sink := run(t, scenario(t, tc.src))
			last := map[int64]RequestRecord{}
			for _, r := range sink.Reqs {
				if l, ok := last[r.Session]; r.Session >= 0 && (!ok || r.Step >= l.Step) {
					last[r.Session] = r
				}
			}
			var completed, impatient, failed, unfinished, cause int
			for _, s := range sink.Sess {
				lr := last[s.ID].Status
				byFleet := lr == StatusQueueFull || lr == StatusTimedOut
				if s.Failed != byFleet || s.Failed && s.Status != SessionAbandoned {
					t.Fatalf("session %d ended %v, failed %v, its last call %v", s.ID, s.Status, s.Failed, lr)
				}
				switch {
				case s.Failed:
					failed++
					if lr == tc.wantCause {
						cause++
					}
				case s.Status == SessionAbandoned:
					impatient++
				case s.Status == SessionCompleted:
					completed++
				default:
					unfinished++
				}
			}
			if tc.wantFailed && cause == 0 || !tc.wantFailed && failed > 0 {
				t.Fatalf("%d sessions failed, %d by %v, want failures %v", failed, cause, tc.wantCause, tc.wantFailed)
			}
			if tc.impatient != (impatient > 0) {
				t.Fatalf("%d sessions abandoned by their users' patience, want some: %v", impatient, tc.impatient)
			}
			ended := completed + impatient + failed
			for _, c := range []struct {
				kpi  string
				want float64
			}{
				{"sessions_failed", float64(failed)},
				{"sessions_abandoned", float64(impatient + failed)},
				{"sessions_completed", float64(completed)},
				{"sessions_started", float64(ended + unfinished)},
				{"session_fail_rate", float64(failed) / float64(ended)},
				{"session_abandon_rate", float64(impatient+failed) / float64(ended)},
			} {
				if got := kpi(t, res, c.kpi, "shop"); math.Abs(got-c.want) > 1e-12 {
					t.Errorf("%s = %v, the records say %v", c.kpi, got, c.want)
				}
			}
		})
	}
}

// TestFailedSessionsInWindows: the time-series windows have no failed
// column because each failed session ends in the event that drops or
// times out its call, which windows.dropped counts in that window
// (docs/model.md, "Agents"): binned by end_ns, a window's failed sessions
// are never more than its dropped, its abandoned sessions are
// windows.abandoned (the binning the documented query does), and the
// windows hold every failed session the KPI counts.
func TestFailedSessionsInWindows(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"queue full", failedScenario("", ", queue_limit: 2", 4, "20/s", "3s")},
		{"timed out", failedScenario("", ", queue_timeout: 2s", 4, "20/s", "3s")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, sink := run(t, scenario(t, tc.src))
			if len(sink.Wins) < 2 {
				t.Fatalf("%d windows: want several", len(sink.Wins))
			}
			binned := 0
			for _, win := range sink.Wins {
				var failed, abandoned int64
				for _, s := range sink.Sess {
					if s.Status == SessionAbandoned && s.EndNs >= win.StartNs && s.EndNs < win.EndNs {
						abandoned++
						if s.Failed {
							failed++
						}
					}
				}
				if failed > win.Dropped || abandoned != win.Abandoned {
					t.Errorf("window at %d ns: %d failed, %d abandoned by end_ns; windows.dropped %d, abandoned %d",
						win.StartNs, failed, abandoned, win.Dropped, win.Abandoned)
				}
				binned += int(failed)
			}
			k, _ := res.KPI("sessions_failed", "")
			if binned == 0 || float64(binned) != k.Value {
				t.Errorf("%d failed sessions in the windows, sessions_failed %v: want as many, and some", binned, k.Value)
			}
		})
	}
}
