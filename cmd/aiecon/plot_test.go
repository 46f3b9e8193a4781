package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/chart"
	"aiecon/data"
	"aiecon/hw"
	"aiecon/runner"
)

// plotFixture simulates small baseline runs into a new store: two that
// differ in fleet size and one that stored no requests. It returns the
// store path and the run ids in that order.
func plotFixture(t *testing.T) (string, []string) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "plot.duckdb")
	store, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var ids []string
	for _, sets := range [][]string{
		{"horizon=1m", "window=10s"},
		{"horizon=1m", "window=10s", "fleet.count=3"},
		{"horizon=20s", "window=10s", "output.request_sample_rate=0.000001"},
	} {
		l, err := runner.Load("baseline", sets)
		if err != nil {
			t.Fatal(err)
		}
		// An explicit calibration: the test must not depend on a profile
		// on the machine.
		cal := &runner.Calibration{Eff: hw.DefaultEfficiency, Source: "assumed (plot tests)"}
		out, err := runner.Run(context.Background(), l, runner.Options{Store: store, Calibration: cal})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out.RunID)
	}
	return db, ids
}

func pngSize(t *testing.T, path string) (int, int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	return cfg.Width, cfg.Height
}

func TestPlotCommand(t *testing.T) {
	db, ids := plotFixture(t)
	base, small, noReq := ids[0], ids[1], ids[2]
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }

	t.Run("kinds", func(t *testing.T) {
		for _, args := range [][]string{{"plot", "kinds"}, {"plot", "--list"}} {
			code, stdout, stderr := cli(t, db, "", args...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, stderr)
			}
			for _, k := range chart.Kinds() {
				if !strings.Contains(stdout, k.Name) || !strings.Contains(stdout, k.Description) {
					t.Errorf("%v does not list %s: %s", args, k.Name, stdout)
				}
			}
		}
	})

	t.Run("png at the default size", func(t *testing.T) {
		path := out("throughput.png")
		code, stdout, stderr := cli(t, db, "", "plot", base[:10], "--kind", "throughput", "-o", path)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stdout, "wrote "+path) || !strings.Contains(stdout, base) {
			t.Errorf("stdout %q does not say what was written", stdout)
		}
		if w, h := pngSize(t, path); w != 800 || h != 500 {
			t.Errorf("PNG is %dx%d, want 800x500", w, h)
		}
	})

	t.Run("svg at a given size", func(t *testing.T) {
		path := out("money.svg")
		code, _, stderr := cli(t, db, "", "plot", "last", "--kind", "revenue-cost", "-o", path, "--width", "1200", "--height", "700")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(`<svg width="1200px" height="700px"`)) {
			t.Errorf("SVG header: %.200s", b)
		}
	})

	t.Run("compare", func(t *testing.T) {
		path := out("cdf.png")
		code, stdout, stderr := cli(t, db, "", "plot", "compare", base, small, "--kind", "latency-cdf", "-o", path)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stdout, base[:9]) || !strings.Contains(stdout, small[:9]) {
			t.Errorf("stdout %q does not name both runs", stdout)
		}
		if w, h := pngSize(t, path); w != 800 || h != 500 {
			t.Errorf("PNG is %dx%d, want 800x500", w, h)
		}
	})

	t.Run("default file name", func(t *testing.T) {
		t.Chdir(t.TempDir())
		code, stdout, stderr := cli(t, db, "", "plot", base, "--kind", "queue")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		want := base + "-queue.png"
		if w, h := pngSize(t, want); w != 800 || h != 500 || !strings.Contains(stdout, want) {
			t.Errorf("default file %s: %dx%d, stdout %q", want, w, h, stdout)
		}
		if got := defaultPlotFile("queue", []string{base, small}); got != "queue-"+base[:9]+"-"+small[:9]+".png" {
			t.Errorf("default overlay file %q", got)
		}
	})

	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr []string
	}{
		{"unknown kind", []string{"plot", base, "--kind", "pie", "-o", out("x.png")}, 2, []string{`unknown chart kind "pie"`, "latency-cdf", "cost-per-mtok, forecast)"}},
		{"no kind", []string{"plot", base, "-o", out("x.png")}, 2, []string{"--kind is required", "throughput", "cost-per-mtok, forecast"}},
		{"unsupported extension", []string{"plot", base, "--kind", "queue", "-o", out("x.jpg")}, 2, []string{`".jpg"`, ".png or .svg"}},
		{"size out of range", []string{"plot", base, "--kind", "queue", "-o", out("x.png"), "--width", "50"}, 2, []string{"width 50 px", "100 to 8000"}},
		{"unknown run", []string{"plot", "zzzzzz", "--kind", "queue", "-o", out("x.png")}, 2, []string{"zzzzzz", "no such run"}},
		{"no requests for a CDF", []string{"plot", noReq, "--kind", "latency-cdf", "-o", out("x.png")}, 2, []string{noReq, "stored no requests"}},
		{"compare needs two runs", []string{"plot", "compare", base, "--kind", "queue", "-o", out("x.png")}, 2, []string{"requires at least 2"}},
		{"compare a run with itself", []string{"plot", "compare", base, base[:12], "--kind", "queue", "-o", out("x.png")}, 2, []string{"given twice"}},
		{"no run", []string{"plot", "--kind", "queue"}, 2, []string{"name a run"}},
		// A folder said "has no extension" unless its name had one.
		{"output a folder", []string{"plot", base, "--kind", "queue", "-o", out("")}, 2, []string{"is a folder, not a file a chart may replace"}},
		{"folder missing", []string{"plot", base, "--kind", "queue", "-o", out("missing/x.png")}, 2, []string{out("missing/x.png"), "cannot create a file in " + out("missing")}},
		{"missing store", []string{"--db", out("none.duckdb"), "plot", "last", "--kind", "queue", "-o", out("x.png")}, 2, []string{"none.duckdb"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := cli(t, db, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr %q does not mention %q", stderr, s)
				}
			}
			if _, err := os.Stat(out("x.png")); err == nil {
				t.Error("a failed plot left x.png")
			}
		})
	}
}
