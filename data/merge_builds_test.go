package data

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// setVersion marks every run of the store at path as made by version.
func setVersion(t *testing.T, path, version string) {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.DB().Exec(`UPDATE runs SET aiecon_version = ?`, version); err != nil {
		t.Fatal(err)
	}
}

// TestMergeRefusesToPoolBuilds: the shards of one sweep run by two builds
// were merged into one sweep without a word, so that its summary pooled
// both builds' runs, which `sweep --resume` refuses. The merge refuses
// such an input whole, naming the builds and their runs, unless asked to
// pool them; runs of another build that no sweep pools are merged, and the
// stats say which builds they were.
func TestMergeRefusesToPoolBuilds(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		version string // of the second shard's runs
		allow   bool
		refused bool
	}{
		{"same build", "v1", false, false},
		{"another build", "v2", false, true},
		{"another build, allowed", "v2", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			in0, _ := writeShard(t, dir, "shard0", 0, false)
			in1, _ := writeShard(t, dir, "shard1", 1, false)
			setVersion(t, in0, "v1")
			setVersion(t, in1, tt.version)
			out, _ := openTemp(t)
			if _, err := out.Merge(ctx, in0); err != nil {
				t.Fatal(err)
			}
			st, err := out.MergeWith(ctx, in1, MergeOptions{AllowOtherBuild: tt.allow})
			runs := countRows(t, out, `SELECT count(*) FROM runs`)
			if !tt.refused {
				if err != nil || runs != 2 {
					t.Fatalf("merge: %v, %d runs in the output; want both shards' runs", err, runs)
				}
				if pooled := len(st.Pooled) > 0; pooled != (tt.version != "v1") {
					t.Errorf("pooled %+v, want a mix only for another build", st.Pooled)
				}
				return
			}
			var oe *OtherBuildError
			if !errors.As(err, &oe) || !errors.Is(err, ErrOtherBuild) || runs != 1 {
				t.Fatalf("merge: %v, %d runs in the output; want an OtherBuildError and the first shard's run alone", err, runs)
			}
			id := DerivedID([]byte("shared sweep"))
			for _, want := range []string{"sweep " + id, "1 complete run in the output was made by aiecon v1", in1 + " adds 1 made by aiecon v2", "nothing of " + in1 + " was merged"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}

// TestMergeNamesTheBuildsCopied: runs of a build that no sweep pools are
// merged, and the stats name the builds copied and those held, counted.
func TestMergeNamesTheBuildsCopied(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	in0, _ := writeShard(t, dir, "shard0", 0, false)
	setVersion(t, in0, "v1")
	out, _ := openTemp(t)
	if _, err := out.Merge(ctx, in0); err != nil {
		t.Fatal(err)
	}
	// A run of its own sweep: nothing pools it with the first.
	in1, _ := writeShard(t, dir, "shard1", 0, false)
	s, err := Open(in1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`UPDATE runs SET aiecon_version = 'v2', sweep_id = NULL, sweep_point = NULL`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	st, err := out.Merge(ctx, in1)
	if err != nil {
		t.Fatalf("a run in no sweep of another build: %v", err)
	}
	nb := NewBuilds(st.CopiedBuilds, st.HeldBuilds)
	if len(nb) != 1 || nb[0] != (BuildCount{"v2", 1}) || len(st.HeldBuilds) != 1 || st.HeldBuilds[0] != (BuildCount{"v1", 1}) || len(st.Pooled) != 0 {
		t.Errorf("stats %+v; want v2 (1) copied beside v1 (1), nothing pooled", st)
	}
}

// TestMergeRefusesToPoolForecastBuilds: the shards of one forecast
// computed by two builds are refused as a sweep's are.
func TestMergeRefusesToPoolForecastBuilds(t *testing.T) {
	ctx := context.Background()
	info := ForecastInfo{ID: DerivedID([]byte("split")), Name: "f", SpecYAML: "x", PeriodLength: "month", Periods: 2, Samples: 1, ReportJSON: "{}", Version: "v1"}
	out, _ := openTemp(t)
	if _, err := out.SaveForecast(ctx, info, []ForecastValue{{Variant: "v", Period: 1, Metric: "cost_usd", Unit: "USD", Value: 1}}, nil); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"v2", "v1"} {
		in := filepath.Join(t.TempDir(), "in.duckdb")
		s, err := Open(in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		shard := info
		shard.Version = v
		if _, err := s.SaveForecast(ctx, shard, []ForecastValue{{Variant: "v", Period: 2, Metric: "cost_usd", Unit: "USD", Value: 2}}, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		_, err = out.Merge(ctx, in)
		if refused := errors.Is(err, ErrOtherBuild); refused != (v == "v2") || (refused && !strings.Contains(err.Error(), "computed by aiecon v1, and "+in+" adds periods computed by aiecon v2")) {
			t.Errorf("a shard of %s: %v", v, err)
		}
	}
	if n := countRows(t, out, `SELECT count(*) FROM forecast_periods`); n != 2 {
		t.Errorf("%d period rows, want 2 (the refused shard's left out)", n)
	}
}
