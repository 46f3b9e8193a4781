package sim

import (
	"math"
	"testing"
	"time"

	"aiecon/model"
)

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

// TestModelAge: with no training time the age resets at every cadence
// point; a retrain that takes D serves only D after it starts, so the age
// runs from D to period + D at every time, the run's start included, and
// its predecessor serves meanwhile.
func TestModelAge(t *testing.T) {
	const h = int64(time.Hour)
	tests := []struct {
		t, period, train, want int64
	}{
		{0, 24 * h, 0, 0},
		{30 * h, 24 * h, 0, 6 * h},
		{12 * h, 24 * h, 0, 12 * h},
		// Weekly cadence, 40 h retrains: the retrain started at 168 h
		// serves from 208 h.
		{170 * h, 168 * h, 40 * h, 170 * h},
		{208 * h, 168 * h, 40 * h, 40 * h},
		{300 * h, 168 * h, 40 * h, 132 * h},
		// Daily cadence, 40 h retrains: models 40 to 64 h old, from the
		// start too (the retrains of the days before still serve).
		{0, 24 * h, 40 * h, 48 * h},
		{12 * h, 24 * h, 40 * h, 60 * h},
		{63 * h, 24 * h, 40 * h, 63 * h},
		{64 * h, 24 * h, 40 * h, 40 * h},
		{87 * h, 24 * h, 40 * h, 63 * h},
		{88 * h, 24 * h, 40 * h, 40 * h},
	}
	for _, tt := range tests {
		if got := modelAgeNs(tt.t, tt.period, tt.train); got != tt.want {
			t.Errorf("t %d h, period %d h, training %d h: age %d h, want %d h", tt.t/h, tt.period/h, tt.train/h, got/h, tt.want/h)
		}
	}
}

// TestMeanFreshness: the time average of the freshness multiplier follows
// the run's own age rule (a dedicated retrain serves once trained, a
// fleet-idle one counts from its cadence point), and is NaN without
// training, where freshness is not modelled.
func TestMeanFreshness(t *testing.T) {
	day, l2 := model.Duration(24*time.Hour), math.Ln2
	daily := func(where string) *model.Training {
		return &model.Training{Every: day, Where: where, HalfLife: day, Floor: 0}
	}
	tests := []struct {
		name         string
		t            *model.Training
		retrainHours float64
		horizon      time.Duration
		want         float64
	}{
		{"no training", nil, 0, time.Hour, math.NaN()},
		// The built-in forecast's monthly retrain at half its cadence: 0.8 + 0.2 x 2^(-15/30).
		{"monthly, mid-cadence", &model.Training{Every: 30 * day, Where: "dedicated", HalfLife: 30 * day, Floor: 0.8, AgeAtStart: 15 * day},
			2, 10 * time.Minute, 0.8 + 0.2*math.Pow(2, -0.5)},
		// Daily 40 h retrains serve models 48 -> 64 h old, then 40 -> 48 h.
		{"daily, dedicated 40 h", daily("dedicated"), 40, 24 * time.Hour,
			(24/l2*(0.25-math.Pow(2, -64.0/24)) + 24/l2*(math.Pow(2, -40.0/24)-0.25)) / 24},
		{"daily, fleet-idle", daily("fleet-idle"), 40, 24 * time.Hour, 0.5 / l2},
	}
	for _, tt := range tests {
		got := MeanFreshness(tt.t, tt.retrainHours, int64(tt.horizon))
		if math.IsNaN(tt.want) != math.IsNaN(got) || math.Abs(got-tt.want) > 1e-3 {
			t.Errorf("%s: mean freshness %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestStepsDoneCountsAnsweredCalls: a session's steps_done counts the steps
// whose model call completed, so it equals its completed request rows; a
// session abandoned while a tool call runs (a 20 s tool call against 5 s of
// patience) has done the step whose answer it got.
func TestStepsDoneCountsAnsweredCalls(t *testing.T) {
	src := small8b + `
  - name: shop
    class: agent
    arrivals: {process: poisson, rate: 1/s}
    prompt_tokens: 50
    output_tokens: 20
    agent: {steps: 3, patience: 5s, tool_latency: 20s}
`
	sc := scenario(t, src)
	_, sink := run(t, sc)
	answered := map[int64]int32{}
	for _, r := range sink.Reqs {
		if r.Session >= 0 && r.Status == StatusCompleted {
			answered[r.Session]++
		}
	}
	inTool := 0
	for _, s := range sink.Sess {
		if s.StepsDone != answered[s.ID] {
			t.Fatalf("session %d (%v): steps_done %d, %d completed model calls", s.ID, s.Status, s.StepsDone, answered[s.ID])
		}
		if s.Status == SessionAbandoned && s.StepsDone > 0 {
			inTool++
		}
	}
	if inTool == 0 {
		t.Fatal("no session was abandoned after an answered call: the test shows nothing")
	}
}
