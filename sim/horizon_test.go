package sim

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aiecon/model"
)

// arrivalsBefore checks that every request of a run arrived, and every
// session started, before the horizon, that the run counted n arrivals
// (KPI, windows and records alike) and returns the sink.
func arrivalsBefore(t *testing.T, sc *model.Scenario, traceDir string, n int) *MemorySink {
	t.Helper()
	sink := &MemorySink{}
	w, err := New(Config{Scenario: sc, Sink: sink, TraceDir: traceDir})
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	h := int64(sc.Horizon)
	for _, r := range sink.Reqs {
		if r.ArrivalNs >= h {
			t.Fatalf("request %d arrived at %d ns, the horizon is %d ns", r.ID, r.ArrivalNs, h)
		}
	}
	for _, s := range sink.Sess {
		if s.StartNs >= h {
			t.Fatalf("session %d started at %d ns, the horizon is %d ns", s.ID, s.StartNs, h)
		}
	}
	var inWindows int64
	for _, win := range sink.Wins {
		inWindows += win.Arrivals
	}
	if got := kpi(t, res, "requests_arrived", ""); len(sink.Reqs) != n || got != float64(n) || inWindows != int64(n) {
		t.Fatalf("%d requests recorded, %v arrived (KPI), %d in windows; want %d", len(sink.Reqs), got, inWindows, n)
	}
	return sink
}

// TestLoopedTraceArrivalsBeforeHorizon: a looped trace of 100 rows one
// second apart at time_scale 2 replays a row every 2 s (a loop is 198 s
// plus one mean gap), so [0, 1 h) holds 1,800 arrivals; the one due at
// exactly 1 h is not sent.
func TestLoopedTraceArrivalsBeforeHorizon(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("TIMESTAMP,ContextTokens,GeneratedTokens\n")
	t0 := time.Date(2023, 11, 16, 18, 0, 0, 0, time.UTC)
	for i := range 100 {
		fmt.Fprintf(&b, "%s,100,10\n", t0.Add(time.Duration(i)*time.Second).Format("2006-01-02 15:04:05.0000000"))
	}
	if err := os.WriteFile(filepath.Join(dir, "t.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	src := strings.NewReplacer("horizon: 10m", "horizon: 1h",
		"arrivals: {process: poisson, rate: 20/s}", "arrivals: {process: trace, trace: {path: t.csv, time_scale: 2, loop: true}}").Replace(small8b)
	arrivalsBefore(t, scenario(t, src), dir, 1800)
}

// TestClosedLoopArrivalsBeforeHorizon: of two clients joining over a
// 20-minute ramp and thinking 50 minutes, the first sends at 50 min and the
// second would at exactly the 1-hour horizon: one arrival.
func TestClosedLoopArrivalsBeforeHorizon(t *testing.T) {
	src := strings.NewReplacer("horizon: 10m", "horizon: 1h",
		"arrivals: {process: poisson, rate: 20/s}", "arrivals: {process: closed, clients: 2, think_time: 50m, ramp: 20m}").Replace(small8b)
	sink := arrivalsBefore(t, scenario(t, src), "", 1)
	if at := sink.Reqs[0].ArrivalNs; at != int64(50*time.Minute) {
		t.Fatalf("the one request arrived at %d ns, want 50 min", at)
	}
}

// TestSessionCallAtHorizonNotSent: an agent's model call due when its tool
// call returns at exactly the horizon is not sent; the session ends
// unfinished with that step done.
func TestSessionCallAtHorizonNotSent(t *testing.T) {
	src := small8b + `
  - name: shop
    class: agent
    arrivals: {process: burst, count: 1}
    prompt_tokens: 50
    output_tokens: 20
    agent: {steps: 3, patience: 1h, tool_latency: 100ms}
`
	src = strings.Replace(src, "arrivals: {process: poisson, rate: 20/s}", "arrivals: {process: poisson, rate: 1/s, count: 1}", 1)
	sc := scenario(t, src)
	_, sink := run(t, sc)
	var second int64 = -1
	for _, r := range sink.Reqs {
		if r.Session >= 0 && r.Step == 1 {
			second = r.ArrivalNs
		}
	}
	if second <= 0 {
		t.Fatal("no second model call: the test shows nothing")
	}
	sc = scenario(t, src)
	sc.Horizon = model.Duration(second)
	sc.Window = sc.Horizon
	sink = arrivalsBefore(t, sc, "", 2) // the chat request and the session's first call
	if len(sink.Sess) != 1 || sink.Sess[0].Status != SessionUnfinished || sink.Sess[0].StepsDone != 1 {
		t.Fatalf("sessions %+v, want one unfinished with 1 step done", sink.Sess)
	}
}

// TestGammaGapToTheHorizon: on a flat profile, a gamma gap that ends
// exactly at the horizon brings no arrival; one a nanosecond shorter does.
func TestGammaGapToTheHorizon(t *testing.T) {
	src := strings.Replace(small8b, "{process: poisson, rate: 20/s}", "{process: gamma, rate: 1/s, cv: 0.5}", 1)
	w, err := New(Config{Scenario: scenario(t, src), Sink: &MemorySink{}})
	if err != nil {
		t.Fatal(err)
	}
	s := w.workloads[0].src
	if at, ok := s.afterOperational(0, float64(w.horizon)); ok {
		t.Errorf("a gap to the horizon brings an arrival at %d ns (horizon %d ns)", at, w.horizon)
	}
	if at, ok := s.afterOperational(0, float64(w.horizon-1)); !ok || at != w.horizon-1 {
		t.Errorf("a gap to 1 ns before the horizon: arrival at %d ns (%v), want %d ns", at, ok, w.horizon-1)
	}
}
