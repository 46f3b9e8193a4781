package forecast

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	kpicat "aiecon/model/kpi"
)

// TestPeriodSessionFailRate: a period reports the part of its abandon rate
// the fleet failed (a call dropped or timed out), pooled over its slices
// as the abandon rate is, as a banded and stored metric and in
// samples_detail: session_abandon_rate counts those sessions with the
// users who gave up, and the forecast could not tell them apart. A slice
// whose run counted abandoned sessions but not the failed ones leaves it
// unknown, and so does a report stored before it was kept: absent, not 0.
func TestPeriodSessionFailRate(t *testing.T) {
	f := parse(t, small)
	slice := func(completed, abandoned, failed float64) RunResult {
		k := map[string]float64{kpicat.SessionsCompleted: completed, kpicat.SessionsAbandoned: abandoned}
		if failed >= 0 {
			k[kpicat.SessionsFailed] = failed
		}
		return RunResult{Job: Job{Variant: 1, Period: 1}, SimHours: f.Spec.Day.Horizon.Seconds() / 3600, KPIs: k}
	}
	tests := []struct {
		name   string
		runs   []RunResult
		want   float64 // NaN: unknown
		stored string  // the period's session_fail_rate in JSON
	}{
		{"pooled over the slices", []RunResult{slice(70, 30, 10), slice(50, 50, 20)}, 30.0 / 200, "0.15"},
		{"none failed", []RunResult{slice(70, 30, 0)}, 0, "0"},
		{"a slice before the KPI", []RunResult{slice(70, 30, 10), slice(50, 50, -1)}, math.NaN(), "null"},
		{"no agent session", []RunResult{{Job: Job{Variant: 1, Period: 1}, SimHours: 1, KPIs: map[string]float64{}}}, math.NaN(), "null"},
	}
	for _, tt := range tests {
		p := f.period(1, 0, 1, tt.runs, 0, IdleReservation{})
		if got := float64(p.SessionFail); !(got == tt.want || math.IsNaN(got) && math.IsNaN(tt.want)) {
			t.Errorf("%s: session_fail_rate %v, want %v", tt.name, got, tt.want)
		}
		band := Summarize([]Period{p})[0].Bands["session_fail_rate"].P50
		if got := float64(band); !(got == tt.want || math.IsNaN(got) && math.IsNaN(tt.want)) {
			t.Errorf("%s: band %v, want %v", tt.name, got, tt.want)
		}
		body, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(body), `"session_fail_rate":`+tt.stored+",") {
			t.Errorf("%s: samples_detail lacks session_fail_rate %s: %s", tt.name, tt.stored, body)
		}
	}

	// A period stored before the metric has no key: it reads unknown.
	var older Period
	if err := json.Unmarshal([]byte(`{"variant":"v","period":1,"session_abandon_rate":0.3}`), &older); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(float64(older.SessionFail)) || older.SessionAbandon != 0.3 {
		t.Errorf("older period: fail rate %v (want NaN), abandon rate %v (want 0.3)", older.SessionFail, older.SessionAbandon)
	}
	var newer Period
	if err := json.Unmarshal([]byte(`{"variant":"v","period":1,"session_fail_rate":0.1}`), &newer); err != nil || newer.SessionFail != 0.1 {
		t.Errorf("stored fail rate read %v, %v; want 0.1", newer.SessionFail, err)
	}
}
