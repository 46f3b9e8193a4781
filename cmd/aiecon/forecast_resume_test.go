package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/study"
	"aiecon/study/forecast"
)

// TestForecastResume: a forecast stopped after 3 of its 9 runs is finished
// by forecast --resume with the same flags, which runs only the 6 left,
// prints a line per run where stderr is not a terminal (it printed
// nothing for the whole forecast), and prints the report the forecast run
// whole prints; --quiet prints no progress. A resume with other flags is
// refused (exit 2), naming the flag. Before, a stopped forecast kept
// nothing, and --resume did not exist.
func TestForecastResume(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	stopped := filepath.Join(dir, "stopped.duckdb")
	id := stopForecast(t, stopped, 3)

	code, _, stderr := runMain(t, stopped, "forecast", "--samples", "1", "--periods", "2", "--resume", "last")
	if code != exitUsage || !strings.Contains(stderr, "forecast "+id+" cannot be resumed so: it runs 1 period, this command 2 (--periods)") {
		t.Fatalf("resumed with --periods 2: exit %d, stderr %q; want exit %d naming --periods", code, stderr, exitUsage)
	}
	code, resumed, stderr := runMain(t, stopped, "forecast", "--samples", "1", "--periods", "1", "--resume", id[:6], "-j", "2")
	if code != 0 {
		t.Fatalf("resume: exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"forecast trainium-amortization (" + id + ") in " + stopped + ": 6 runs to do, 3 finished before\n",
		"\n[1/6] ", "\n[6/6] ", "forecast trainium-amortization: 9 runs (3 of them finished before it was resumed) in ", "stored as " + id} {
		if !strings.Contains(stderr, want) {
			t.Errorf("resume: stderr lacks %q:\n%s", want, stderr)
		}
	}
	if n := len(regexp.MustCompile(`(?m)^\[\d/6\] \S+ sample 0 period 1 day 0 slice \d done in .*; \d done, ETA \d+s$`).FindAllString(stderr, -1)); n != 6 {
		t.Errorf("resume: %d progress lines, want one per run, 6:\n%s", n, stderr)
	}
	code, whole, stderr := runMain(t, filepath.Join(dir, "whole.duckdb"), "-q", "forecast", "--samples", "1", "--periods", "1", "-j", "2")
	if code != 0 || stderr != "" {
		t.Fatalf("whole, --quiet: exit %d, stderr %q; want 0 and nothing", code, stderr)
	}
	if resumed != whole {
		t.Errorf("the resumed forecast's report differs from the whole one's:\n%s\nwant\n%s", resumed, whole)
	}
	code, _, stderr = runMain(t, stopped, "forecast", "--samples", "1", "--periods", "1", "--resume", id)
	if code != exitUsage || !strings.Contains(stderr, "it is stored whole, so there is nothing to resume") {
		t.Errorf("resumed again: exit %d, stderr %q; want exit %d, nothing to resume", code, stderr, exitUsage)
	}
}

// stopForecast runs the built-in forecast, 1 sample and 1 period (9 runs),
// into a new store at path on one worker, stopping it once k runs have
// finished, as Ctrl-C does; it returns the forecast's id.
func stopForecast(t *testing.T, path string, k int) string {
	t.Helper()
	return stopForecastShard(t, path, k, study.ShardSpec{})
}

// stopForecastShard is stopForecast of one shard (the whole forecast
// where shard is the zero ShardSpec), stored under the id that shard's
// forecast takes: its ShardID, or a fresh one.
func stopForecastShard(t *testing.T, path string, k int, shard study.ShardSpec) string {
	t.Helper()
	return stopForecastOf(t, "", path, k, shard)
}

// stopForecastOf is stopForecastShard of the forecast file or built-in arg.
// A stop of the built-in forecast into a new store under the built-in
// calibration is made once per k and shard and copied to path: a dozen
// tests stop the same forecast, and each stop costs seconds of runs.
func stopForecastOf(t *testing.T, arg, path string, k int, shard study.ShardSpec) string {
	t.Helper()
	if arg == "" && !exists(t, path) && !hasProfiles(t) {
		return stopped.copyTo(t, path, k, shard)
	}
	return runStopForecast(t, arg, path, k, shard)
}

// runStopForecast stops the forecast into path, as stopForecastOf says.
func runStopForecast(t *testing.T, arg, path string, k int, shard study.ShardSpec) string {
	t.Helper()
	fc, err := forecast.Load(arg)
	if err != nil {
		t.Fatal(err)
	}
	if err := fc.SetSamples(1); err != nil {
		t.Fatal(err)
	}
	if err := fc.Truncate(1); err != nil {
		t.Fatal(err)
	}
	st, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	id := fc.ShardID(shard)
	if id == "" {
		id = data.NewID()
	}
	if _, err := forecast.Execute(ctx, fc, forecast.Options{Workers: 1, Store: st, Version: aieconVersion(), ID: id, Shard: shard,
		Progress: func(p forecast.Progress) {
			if p.Done == k {
				cancel()
			}
		}}); err == nil {
		t.Fatalf("the forecast stopped after %d runs: no error", k)
	}
	return id
}

// The stop message names the command that finishes the forecast: its
// argument, quoted for a shell, and the flags that decide its runs.
func TestForecastResumeCommand(t *testing.T) {
	for _, tt := range []struct {
		run  forecastRun
		db   string
		want string
	}{
		{forecastRun{id: "1m9aaaaaaaaaaaa"}, "aiecon.duckdb", "aiecon forecast --resume 1m9aaaaaaaaaaaa --db aiecon.duckdb"},
		{forecastRun{id: "1m9aaaaaaaaaaaa", arg: "my plan.yaml", flags: forecastFlags{samples: 8, periods: 4},
			shard: study.ShardSpec{Index: 1, Count: 3}}, "/out/s 1.duckdb",
			"aiecon forecast 'my plan.yaml' --samples 8 --periods 4 --shard 1/3 --resume 1m9aaaaaaaaaaaa --db '/out/s 1.duckdb'"},
	} {
		if got := tt.run.resumeCommand(&env{dbPath: tt.db, stderr: &bytes.Buffer{}}); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// TestForecastCheckpointsDropped: the command the stop message gives to
// drop what a forecast keeps for a resume removes it, after which --resume
// finds no unfinished forecast while the runs stay; nothing but storing
// the forecast removed those rows, so one never resumed kept them for good.
func TestForecastCheckpointsDropped(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	if got, want := dropCheckpointsCommand(&env{dbPath: "/out/s 1.duckdb"}, "1m9aaaaaaaaaaaa"),
		`aiecon sql --write "DELETE FROM forecast_checkpoints WHERE forecast_id = '1m9aaaaaaaaaaaa'" --db '/out/s 1.duckdb'`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	stopped := filepath.Join(dir, "stopped.duckdb")
	id := stopForecast(t, stopped, 2)
	if code, _, stderr := runMain(t, stopped, "sql", "--write", dropCheckpointsSQL(id)); code != 0 {
		t.Fatalf("sql --write: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr := runMain(t, stopped, "forecast", "--samples", "1", "--periods", "1", "--resume", "last")
	if code != exitUsage || !strings.Contains(stderr, "no unfinished forecast") {
		t.Errorf("resume after the drop: exit %d, stderr %q; want exit %d, no unfinished forecast", code, stderr, exitUsage)
	}
	if code, out, stderr := runMain(t, stopped, "sql", "SELECT count(*) AS n FROM runs WHERE status = 'complete'"); code != 0 || !regexp.MustCompile(`(?m)^\s*2\s*$`).MatchString(out) {
		t.Errorf("the kept runs after the drop: exit %d, %q %q; want the 2 runs still there", code, out, stderr)
	}
}

// TestForecastShardIDTaken: a shard's forecast id is the same on every run
// of that shard of that file, so a store that already holds it is refused
// (exit 2) before any run: stored whole, Save refused it only after every
// run; kept by a stopped run, a fresh run wrote its runs beside the kept
// ones, and a resume of either was then refused with no way out.
func TestForecastShardIDTaken(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	args := []string{"forecast", "--samples", "1", "--periods", "1", "--shard", "0/2", "-j", "1"}

	stored := filepath.Join(dir, "stored.duckdb")
	if code, _, stderr := runMain(t, stored, args...); code != 0 {
		t.Fatalf("first run of the shard: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr := runMain(t, stored, args...)
	if code != exitUsage || !strings.Contains(stderr, "already holds forecast") || !strings.Contains(stderr, "nothing to run") ||
		strings.Contains(stderr, "[1/") {
		t.Errorf("the shard again into its store: exit %d, stderr %q; want exit %d before any run", code, stderr, exitUsage)
	}

	stopped := filepath.Join(dir, "stopped.duckdb")
	id := stopForecastShard(t, stopped, 1, study.ShardSpec{Index: 0, Count: 2})
	code, _, stderr = runMain(t, stopped, args...)
	if code != exitUsage || !strings.Contains(stderr, "keeps a stopped run of a shard of this forecast (forecast "+id+";") ||
		!strings.Contains(stderr, "--resume "+id) || strings.Contains(stderr, "[1/") {
		t.Errorf("a fresh run of a stopped shard: exit %d, stderr %q; want exit %d naming the resume", code, stderr, exitUsage)
	}
	if code, _, stderr := runMain(t, stopped, append(args, "--resume", "last")...); code != 0 {
		t.Errorf("resuming the stopped shard: exit %d, stderr %q", code, stderr)
	}
}

// TestForecastResumeChecksEveryKeptRow: a stopped forecast whose kept runs
// were all marked failed since (a repair, a hand edit) still refuses a
// resume with other flags, naming them; it was stored under its old id
// with the new flags, because only the rows of complete runs were checked.
func TestForecastResumeChecksEveryKeptRow(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	stopped := filepath.Join(dir, "stopped.duckdb")
	id := stopForecast(t, stopped, 2)
	if code, _, stderr := runMain(t, stopped, "sql", "--write", "UPDATE runs SET status = 'failed'"); code != 0 {
		t.Fatalf("marking the runs failed: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr := runMain(t, stopped, "forecast", "--samples", "1", "--periods", "2", "--resume", id)
	if code != exitUsage || !strings.Contains(stderr, "it runs 1 period, this command 2 (--periods)") {
		t.Errorf("resumed with --periods 2: exit %d, stderr %q; want exit %d naming --periods", code, stderr, exitUsage)
	}
	code, _, stderr = runMain(t, stopped, "forecast", "--samples", "1", "--periods", "1", "--resume", id, "-j", "2")
	if code != 0 || !strings.Contains(stderr, "[9/9] ") || !strings.Contains(stderr, "stored as "+id) {
		t.Errorf("resumed as started: exit %d, stderr %q; want every run done again", code, stderr)
	}
}

// TestForecastResumedFromSalvage: a forecast stopped after 3 of its 9
// runs, its store copied by doctor (as a damaged one is), is finished
// from the copy by the --resume doctor names there, running only the 6
// runs left, and stores what the forecast run whole stores. The copy
// left out what the forecast keeps for a resume (forecast_checkpoints),
// so it held the 3 runs as runs of no forecast and --resume found none.
func TestForecastResumedFromSalvage(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	stopped, copied := filepath.Join(dir, "stopped.duckdb"), filepath.Join(dir, "copy.duckdb")
	id := stopForecast(t, stopped, 3)
	code, stdout, stderr := runMain(t, stopped, "doctor", "--copy", "--out", copied)
	if code != exitOK {
		t.Fatalf("doctor --copy: exit %d, stderr %q", code, stderr)
	}
	want := "the copy holds forecast " + id + " stopped before it was stored, keeping 3 finished runs for a resume"
	resume := "--samples 1 --periods 1 --resume " + id + " --db " + shellQuote(copied) + "\n"
	if !strings.Contains(stdout, want) || !strings.Contains(stdout, resume) {
		t.Errorf("doctor --copy's output lacks %q with the --resume ending %q:\n%s", want, resume, stdout)
	}
	code, resumed, stderr := runMain(t, copied, "forecast", "--samples", "1", "--periods", "1", "--resume", "last", "-j", "2")
	if code != exitOK || !strings.Contains(stderr, "("+id+") in "+copied+": 6 runs to do, 3 finished before\n") {
		t.Fatalf("resumed from the copy: exit %d, stderr %q; want 6 runs to do, 3 finished before", code, stderr)
	}
	whole := filepath.Join(dir, "whole.duckdb")
	if code, report, stderr := runMain(t, whole, "-q", "forecast", "--samples", "1", "--periods", "1", "-j", "2"); code != exitOK {
		t.Fatalf("whole: exit %d, stderr %q", code, stderr)
	} else if report != resumed {
		t.Errorf("the forecast resumed from the copy reports\n%s\nwant the whole one's\n%s", resumed, report)
	}
	rows := func(db string) string {
		t.Helper()
		code, out, stderr := runMain(t, db, "sql", "--format", "csv", "SELECT variant, sample, period, metric, value FROM forecast_periods ORDER BY ALL")
		if code != exitOK {
			t.Fatalf("reading %s's periods: exit %d, stderr %q", db, code, stderr)
		}
		return out
	}
	if got, want := rows(copied), rows(whole); got != want || !strings.Contains(got, "\n") {
		t.Errorf("the copy's forecast periods differ from the whole forecast's:\n%s\nwant\n%s", got, want)
	}
}
