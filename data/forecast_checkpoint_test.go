package data

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
)

// TestKeptForecastsOneQuery: doctor's and merge's list of stopped
// forecasts (KeptForecasts, by id) and --resume last's
// (UnfinishedForecasts, the latest first) are one query's rows: the same
// name, fingerprint and counts, in their two orders. The second was a
// query of its own, whose fingerprint took each column's lowest value
// apart: for an id whose rows differ it was no row's fingerprint.
func TestKeptForecastsOneQuery(t *testing.T) {
	ctx := context.Background()
	s, _ := keptFixture(t)
	kept, err := s.KeptForecasts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	latest, err := s.UnfinishedForecasts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(ks []KeptForecast) []string {
		var out []string
		for _, k := range ks {
			out = append(out, k.ID)
		}
		return out
	}
	if got, want := ids(kept), []string{"1aaaaaaaaaaaaaa", "1bbbbbbbbbbbbbb", "1ccccccccccccc0", "1dddddddddddddd"}; !slices.Equal(got, want) {
		t.Errorf("KeptForecasts %v, want by id %v", got, want)
	}
	// Latest finished first; those with no run left after, by id, latest first.
	if got, want := ids(latest), []string{"1bbbbbbbbbbbbbb", "1aaaaaaaaaaaaaa", "1dddddddddddddd", "1ccccccccccccc0"}; !slices.Equal(got, want) {
		t.Errorf("UnfinishedForecasts %v, want %v", got, want)
	}
	byID := map[string]KeptForecast{}
	for _, k := range latest {
		byID[k.ID] = k
	}
	for _, k := range kept {
		if byID[k.ID] != k {
			t.Errorf("forecast %s: --resume last reads %+v, doctor %+v", k.ID, byID[k.ID], k)
		}
	}
	tests := []struct {
		id, name, plan, shard string
		runs, complete        int
	}{
		{"1aaaaaaaaaaaaaa", "alpha", "aaa", "", 1, 1},
		{"1bbbbbbbbbbbbbb", "beta", "bbb", "", 2, 2},
		{"1ccccccccccccc0", "", "ccc", "", 1, 0},
		{"1dddddddddddddd", "", "yyy", "1/2", 2, 0},
	}
	for _, tt := range tests {
		k := byID[tt.id]
		if k.Name != tt.name || k.PlanSHA256 != tt.plan || k.Shard != tt.shard || k.Runs != tt.runs || k.Complete != tt.complete {
			t.Errorf("forecast %s: %+v, want name %q, plan %s, shard %q, %d runs, %d complete", tt.id, k, tt.name, tt.plan, tt.shard, tt.runs, tt.complete)
		}
	}
}

// keptFixture is a store keeping four stopped forecasts: two of runs it
// holds, one whose run was deleted, one of two shards' rows.
func keptFixture(t *testing.T) (*Store, string) {
	t.Helper()
	ctx := context.Background()
	s, path := openTemp(t)
	runs := map[string]string{}
	for i, name := range []string{"alpha/small/s0p1", "beta/small/s0p1", "beta/big/s0p1"} {
		id := storeRun(t, s, newSynthRun(uint64(i+1), 20), name)
		runs[name] = id
		// Finish times a minute apart, so that the latest is certain.
		if _, err := s.db.ExecContext(ctx, `UPDATE runs SET finished_at = TIMESTAMP '2026-01-01 00:00:00' + to_minutes(?) WHERE run_id = ?`, i, id); err != nil {
			t.Fatal(err)
		}
	}
	fp := func(plan, shard string) ForecastFingerprint {
		return ForecastFingerprint{PlanSHA256: plan, BaseSHA256: "base", Samples: 2, Periods: 4, Shard: shard, Version: "test"}
	}
	for _, c := range []ForecastCheckpoint{
		{ForecastID: "1aaaaaaaaaaaaaa", RunID: runs["alpha/small/s0p1"], ForecastFingerprint: fp("aaa", "")},
		{ForecastID: "1bbbbbbbbbbbbbb", RunID: runs["beta/small/s0p1"], ForecastFingerprint: fp("bbb", "")},
		{ForecastID: "1bbbbbbbbbbbbbb", RunID: runs["beta/big/s0p1"], ForecastFingerprint: fp("bbb", "")},
		{ForecastID: "1ccccccccccccc0", RunID: "deleted-run", ForecastFingerprint: fp("ccc", "")},
		// Two shards' rows under one id, as merge copied them once: the
		// lower run id's row is the fingerprint, not a mix of both.
		{ForecastID: "1dddddddddddddd", RunID: "deleted-2", ForecastFingerprint: fp("zzz", "0/2")},
		{ForecastID: "1dddddddddddddd", RunID: "deleted-1", ForecastFingerprint: fp("yyy", "1/2")},
	} {
		if err := s.SaveForecastCheckpoint(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	return s, path
}

// TestSalvageKeepsStoppedForecasts: the salvage copies what each stopped
// forecast keeps for a resume, so the copy lists the same stopped
// forecasts: it left them behind, and a forecast stopped in a damaged
// store could not be resumed from its copy.
func TestSalvageKeepsStoppedForecasts(t *testing.T) {
	ctx := context.Background()
	s, path := keptFixture(t)
	want, err := s.KeptForecasts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "copy.duckdb")
	st, err := Salvage(ctx, path, out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Stopped != len(want) || len(st.Extras) != 0 {
		t.Errorf("salvage: %d stopped forecasts copied, extras %v; want %d, none", st.Stopped, st.Extras, len(want))
	}
	c, err := Open(out, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := c.KeptForecasts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("the copy keeps\n%+v\nwant the store's\n%+v", got, want)
	}
}

// TestKeptForecastNameWhole: a stopped forecast's name is its runs' name
// less the part the forecast adds (/VARIANT/sS/pP/dD/hH), so a name or a
// variant holding '/' shows whole. It was the part before the first '/',
// and --resume last's refusal named forecast "team/q3-plan" as "team".
func TestKeptForecastNameWhole(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	tests := []struct {
		id, run, variant           string
		sample, period, day, slice int
		want                       string
	}{
		{"1aaaaaaaaaaaaaa", "plan/owned/s0/p1/d0/h0", "owned", 0, 1, 0, 0, "plan"},
		{"1bbbbbbbbbbbbbb", "team/q3-plan/owned/s2/p10/d1/h3", "owned", 2, 10, 1, 3, "team/q3-plan"},
		{"1cccccccccccccc", "équipe/plan/a/b/s0/p1/d0/h0", "a/b", 0, 1, 0, 0, "équipe/plan"},
		// A name the forecast's job does not end: its first part, as before.
		{"1dddddddddddddd", "alpha/small/s0p1", "small", 0, 1, 0, 0, "alpha"},
	}
	for i, tt := range tests {
		id := storeRun(t, s, newSynthRun(uint64(i+1), 5), tt.run)
		if err := s.SaveForecastCheckpoint(ctx, ForecastCheckpoint{ForecastID: tt.id, RunID: id, Variant: tt.variant,
			Sample: tt.sample, Period: tt.period, Day: tt.day, Slice: tt.slice}); err != nil {
			t.Fatal(err)
		}
	}
	kept, err := s.KeptForecasts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) != len(tests) {
		t.Fatalf("%d stopped forecasts, want %d: %+v", len(kept), len(tests), kept)
	}
	for i, tt := range tests {
		if kept[i].ID != tt.id || kept[i].Name != tt.want {
			t.Errorf("run %q: forecast %s named %q, want %s named %q", tt.run, kept[i].ID, kept[i].Name, tt.id, tt.want)
		}
	}
}
