package chart

import (
	"context"
	"errors"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"aiecon/model/kpi"
)

// TestInfiniteKPIRefused: a store edited with sql --write can hold an
// infinite KPI, and revenue-cost drew its bar with a corner at infinity,
// which the rasteriser never finished: plot ran at 100% CPU until killed.
// The chart is now refused, naming the run and the KPI, alone and in an
// overlay; a NaN KPI still draws (no bar).
func TestInfiniteKPIRefused(t *testing.T) {
	f := testStore(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, kind, kpi, value string
		ids                    []string
		refused                bool
	}{
		{"+Inf revenue", "revenue-cost", kpi.RevenueUSD, "inf", []string{f.base}, true},
		{"-Inf cost in an overlay", "revenue-cost", kpi.CostUSD, "-inf", []string{f.light, f.base}, true},
		{"+Inf cost per Mtok", "cost-per-mtok", kpi.CostPerMTokInstancesUSD, "inf", []string{f.base}, true},
		{"NaN revenue", "revenue-cost", kpi.RevenueUSD, "nan", []string{f.base}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setKPI(t, f, f.base, tc.kpi, tc.value)
			done := make(chan error, 1)
			go func() {
				c, err := Render(ctx, f.store, tc.kind, tc.ids, Options{})
				if err == nil {
					err = c.Encode(io.Discard, PNG)
				}
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(2 * time.Minute):
				t.Fatalf("%s of a run with %s %s did not finish", tc.kind, tc.kpi, tc.value)
			}
			if !tc.refused {
				if err != nil {
					t.Errorf("%s %s: %v", tc.kpi, tc.value, err)
				}
				return
			}
			if !errors.Is(err, ErrNoData) {
				t.Fatalf("err = %v, want ErrNoData", err)
			}
			for _, s := range []string{"run " + f.base, "KPI " + tc.kpi, "not a finite number"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}

// setKPI sets a whole-run KPI of the shared fixture and puts the old value
// back when the test ends.
func setKPI(t *testing.T, f *fixture, runID, name, value string) {
	t.Helper()
	db := f.store.DB()
	var old float64
	const where = ` WHERE run_id = ? AND name = ? AND scope = ''`
	if err := db.QueryRow(`SELECT value FROM kpis`+where, runID, name).Scan(&old); err != nil {
		t.Fatalf("reading KPI %s: %v", name, err)
	}
	if _, err := db.Exec(`UPDATE kpis SET value = ?::DOUBLE`+where, value, runID, name); err != nil {
		t.Fatalf("setting KPI %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec(`UPDATE kpis SET value = ?`+where, old, runID, name); err != nil {
			t.Errorf("restoring KPI %s: %v", name, err)
		}
	})
}

// TestInfiniteBarNotDrawn: an infinite bar that reaches the plotter is
// left out, as NaN is, rather than handed to the rasteriser.
func TestInfiniteBarNotDrawn(t *testing.T) {
	for _, v := range []float64{math.Inf(1), math.Inf(-1)} {
		p := plot.New()
		p.Add(&bars{values: []float64{1, v, 2}, thickness: 0.8, color: color.Black, horizontal: true})
		done := make(chan struct{})
		go func() {
			p.Draw(draw.New(vgimg.New(4*vg.Inch, 3*vg.Inch)))
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Minute):
			t.Fatalf("a chart with a bar of %v did not finish drawing", v)
		}
	}
}

// TestSaveContextStops: a drawing that never ends (as an infinite bar's
// did) no longer holds the command past its stop: SaveContext returns at
// the stop, and writes nothing.
func TestSaveContextStops(t *testing.T) {
	c := queueChart(t)
	release := make(chan struct{})
	defer close(release)
	encodeChart = func(*Chart, io.Writer, Format) error { <-release; return nil }
	defer func() { encodeChart = (*Chart).Encode }()
	ctx, cancel := context.WithCancel(context.Background())
	path := filepath.Join(t.TempDir(), "q.png")
	time.AfterFunc(50*time.Millisecond, cancel)
	err := c.SaveContext(ctx, path)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "before it was written") {
		t.Errorf("SaveContext at a stop: %v", err)
	}
	if _, statErr := os.Stat(path); statErr == nil {
		t.Errorf("a stopped chart left %s", path)
	}
}
