package data

import (
	"context"
	"testing"
	"time"
)

// TestRunRecordsItsCalibration: a run stores the identity of the profile
// file that priced it (its digest, creation time and description), which
// Run reads back; a run on the built-in profile stores NULLs. The path
// alone (in resolved_yaml) made show describe whatever the file held later.
func TestRunRecordsItsCalibration(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	created := time.Date(2026, 11, 25, 19, 45, 28, 0, time.UTC)
	used := CalibrationUsed{SHA256: "08018cb33b8ef31d300dd90e885b23e21af9c3897b5f3e2592889cefc56b2ac7", Created: created, Summary: "device timings: H100 bf16 ..."}
	for _, tt := range []struct {
		name string
		used CalibrationUsed
	}{{"a profile file", used}, {"the built-in profile", CalibrationUsed{}}} {
		w, err := s.BeginRun(ctx, RunInfo{Name: tt.name, Version: "test", Calibration: tt.used})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Fail(context.Canceled); err != nil { // the row is enough
			t.Fatal(err)
		}
		d, err := s.Run(ctx, w.ID())
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Run.Calibration; got != tt.used {
			t.Errorf("%s: read back %+v, want %+v", tt.name, got, tt.used)
		}
		var nulls int
		if err := s.DB().QueryRow(`SELECT (calibration_sha256 IS NULL)::INT + (calibration_created IS NULL)::INT + (calibration_summary IS NULL)::INT FROM runs WHERE run_id = ?`, w.ID()).Scan(&nulls); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 3, false: 0}[tt.used.SHA256 == ""]; nulls != want {
			t.Errorf("%s: %d NULL calibration columns, want %d", tt.name, nulls, want)
		}
	}
}
