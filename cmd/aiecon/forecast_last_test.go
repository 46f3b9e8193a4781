package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aiecon/data"
	"aiecon/study"
	"aiecon/study/forecast"
)

// TestForecastResumeLastOfThisFile: with stopped forecasts of two files in
// one store, --resume last resumes the latest of the file it is given,
// and where none is of that file it lists those there are with the
// command that resumes each. It took the latest of any file and refused
// it as "the forecast file changed since it started", which it had not.
// The list names each forecast whole, a '/' in its name too.
func TestForecastResumeLastOfThisFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	src, err := forecast.Builtin(forecast.DefaultBuiltin)
	if err != nil {
		t.Fatal(err)
	}
	plan := filepath.Join(dir, "plan.yaml")
	// A copy, so another file, named with a '/', which the list below
	// named by its first part alone ("team").
	src = bytes.Replace(src, []byte("\nname: trainium-amortization\n"), []byte("\nname: team/trainium-amortization\n"), 1)
	if err := os.WriteFile(plan, src, 0o644); err != nil {
		t.Fatal(err)
	}
	stopped := filepath.Join(dir, "stopped.duckdb")
	builtin := stopForecast(t, stopped, 2)
	copied := stopForecastOf(t, plan, stopped, 1, study.ShardSpec{}) // the later one

	code, _, stderr := runMain(t, stopped, "forecast", "--samples", "1", "--periods", "1", "--resume", "last", "-j", "2")
	if code != 0 || !strings.Contains(stderr, "stored as "+builtin) || !strings.Contains(stderr, "2 finished before") {
		t.Fatalf("--resume last of the built-in: exit %d, stderr %q; want %s resumed", code, stderr, builtin)
	}
	code, _, stderr = runMain(t, stopped, "forecast", "--samples", "1", "--periods", "1", "--resume", "last")
	for _, want := range []string{"keeps no stopped forecast of this forecast file", "it keeps 1 stopped forecast: " + copied +
		" (forecast team/trainium-amortization, file SHA-256 ", "1 run kept)", "aiecon forecast FILE --samples 1 --periods 1 --resume " + copied} {
		if code != exitUsage || !strings.Contains(stderr, want) {
			t.Errorf("--resume last of the built-in, only the copy stopped: exit %d, stderr %q; want exit %d and %q", code, stderr, exitUsage, want)
		}
	}
	if code, _, stderr := runMain(t, stopped, "forecast", plan, "--samples", "1", "--periods", "1", "--resume", "last", "-j", "2"); code != 0 ||
		!strings.Contains(stderr, "stored as "+copied) {
		t.Errorf("--resume last of the copy: exit %d, stderr %q; want %s resumed", code, stderr, copied)
	}
}

// TestForecastResumeLastKeptRunsDeleted: a stopped forecast whose kept
// runs were all deleted from runs is still found by --resume last, as by
// its id, and runs every run again; last said the store held none while
// the id resumed it.
func TestForecastResumeLastKeptRunsDeleted(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	stopped := filepath.Join(dir, "stopped.duckdb")
	id := stopForecast(t, stopped, 2)
	if code, _, stderr := runMain(t, stopped, "sql", "--write", "DELETE FROM runs WHERE run_id IN (SELECT run_id FROM forecast_checkpoints)"); code != 0 {
		t.Fatalf("deleting the kept runs: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr := runMain(t, stopped, "forecast", "--samples", "1", "--periods", "1", "--resume", "last", "-j", "2")
	if code != 0 || !strings.Contains(stderr, "[9/9] ") || !strings.Contains(stderr, "stored as "+id) {
		t.Errorf("--resume last: exit %d, stderr %q; want every run done again and %s stored", code, stderr, id)
	}
}

// TestForecastStopMessageOneRun: a forecast stopped with one run kept
// says "the 1 run that finished is kept"; it said "the 1 runs that
// finished are kept".
func TestForecastStopMessageOneRun(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	path := filepath.Join(dir, "stopped.duckdb")
	id := stopForecast(t, path, 1)
	fc, err := loadForecast("", forecastFlags{samples: 1, periods: 1}, study.ShardSpec{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := &env{dbPath: path, stderr: &strings.Builder{}, quiet: true}
	r := forecastRun{fc: fc, flags: forecastFlags{samples: 1, periods: 1, jobs: 1, resume: id}, store: st}
	if err := r.prepare(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	stopped, cancel := context.WithCancel(context.Background())
	cancel() // Ctrl-C before the resume runs anything: the one kept run is all there is
	_, err = r.execute(stopped, e)
	if err == nil || !strings.Contains(err.Error(), "stopped after 1 of its 9 runs") ||
		!strings.Contains(err.Error(), "the 1 run that finished is kept for it in ") {
		t.Errorf("got %v; want the 1 run that finished is kept", err)
	}
}

// TestForecastCheckProgress: a forecast's check of its groups' scenarios
// before the first run prints, in a log, nothing in the first seconds,
// then a line of groups checked with an ETA at most every progressEvery,
// as a sweep's check of its points does; none under --quiet.
func TestForecastCheckProgress(t *testing.T) {
	t0 := time.Unix(0, 0)
	for _, quiet := range []bool{false, true} {
		var b strings.Builder
		p := newCheckProgress(&env{stderr: &b, quiet: quiet}, "forecast", "trainium-amortization", "groups", 36000)
		p.start = t0
		for i, at := range []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 4 * time.Second} {
			p.now = func() time.Time { return t0.Add(at) }
			p.set(3600 * (i + 1))
		}
		p.finish()
		want := "forecast trainium-amortization: 7200 of 36000 groups checked, 2s; ETA 8s\n" +
			"forecast trainium-amortization: 14400 of 36000 groups checked, 4s; ETA 6s\n"
		if quiet {
			want = ""
		}
		if b.String() != want {
			t.Errorf("quiet %v: %q, want %q", quiet, b.String(), want)
		}
	}
}

// TestKeptForecastName: --resume last's refusal names each stopped
// forecast whole, '/' and all (the store's KeptForecasts gives it so), with
// a control character its runs' name holds written as an escape.
func TestKeptForecastName(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"team/q3-plan", "team/q3-plan"},
		{"plan\x1b[2J", `plan\x1b[2J`},
		{"", "of unknown name: its runs were deleted"},
	} {
		if got := keptForecastName(data.KeptForecast{Name: tt.name}); got != tt.want {
			t.Errorf("keptForecastName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
