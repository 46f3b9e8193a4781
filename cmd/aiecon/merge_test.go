package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/study"
)

// TestMergeNamesTheDamagedInput: an input cut short sends the user's
// doctor to that input; the hint named the --db default, a store the
// merge never touched.
func TestMergeNamesTheDamagedInput(t *testing.T) {
	t.Parallel()
	seed, _ := storeFixture(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "t.duckdb")
	b, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, b[:100000], 0o644); err != nil {
		t.Fatal(err)
	}
	unused := filepath.Join(dir, "unused.duckdb")
	code, _, stderr := cli(t, unused, "", "merge", filepath.Join(dir, "out.duckdb"), in)
	if code != exitFailure || !strings.Contains(stderr, "the store "+in+" looks damaged") ||
		!strings.Contains(stderr, "aiecon doctor --db "+in+"`") || strings.Contains(stderr, unused) {
		t.Errorf("exit %d\n%s\nwant the doctor hint for %s", code, stderr, in)
	}
}

// TestFailedMergeThroughALinkKeepsTheLink: a merge into a dangling link
// creates the store at the link's target; when its first input fails it
// removed the link and left the new, empty store at the target.
func TestFailedMergeThroughALinkKeepsTheLink(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, target := filepath.Join(dir, "out.duckdb"), filepath.Join(dir, "real", "new.duckdb")
	if err := os.Symlink(filepath.Join("real", "new.duckdb"), out); err != nil {
		t.Skip(err)
	}
	bad := filepath.Join(dir, "bad.duckdb")
	if err := os.WriteFile(bad, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := cli(t, filepath.Join(dir, "unused.duckdb"), "", "merge", out, bad)
	if code == 0 {
		t.Fatalf("merge of a file that is no store: exit 0\n%s", stderr)
	}
	if fi, err := os.Lstat(out); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link %s is gone or replaced: %v", out, err)
	}
	for _, p := range []string{target, target + ".wal"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was left behind by a merge that merged nothing", p)
		}
	}
}

// shardOf writes a store holding one complete run of sweep id (point
// point) made by aiecon version; id "" makes a run in no sweep.
func shardOf(t *testing.T, id string, point int, version string) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shard.duckdb")
	s, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if id != "" {
		if _, err := s.EnsureSweep(ctx, id, data.SweepInfo{Name: "s", SpecYAML: "x: 1\n", Replications: 1, Points: []string{`{"p":0}`, `{"p":1}`}}); err != nil {
			t.Fatal(err)
		}
	}
	w, err := s.BeginRun(ctx, data.RunInfo{Name: "r", Seed: 3, Version: version, SweepID: id, SweepPoint: point})
	if err != nil {
		t.Fatal(err)
	}
	if err := fixtureRun(w, 1, true); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(0.1); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMergeNamesOtherBuilds: merging the shards of one sweep that two
// builds ran pooled their runs in the sweep's summary without a word. The
// merge refuses (exit 2) naming the builds, as `sweep --resume` does, pools
// them with a warning when --allow-other-build asks, and notes another
// build's runs that no sweep pools.
func TestMergeNamesOtherBuilds(t *testing.T) {
	t.Parallel()
	id := data.DerivedID([]byte("two builds"))
	tests := []struct {
		name           string
		second         string // the second input's sweep id
		args           []string
		code           int
		stdout, stderr string
	}{
		{"refused", id, nil, exitUsage, "", "adds 1 made by aiecon v2: a build may simulate the same point otherwise"},
		{"allowed", id, []string{"--allow-other-build"}, 0, "merged 2 stores", "warning: sweep " + id + ": its 1 complete run in the output was made by aiecon v1"},
		{"no sweep pools them", "", nil, 0, "adds complete runs made by aiecon v2 (1) to", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.duckdb")
			a, b := shardOf(t, id, 0, "v1"), shardOf(t, tt.second, 1, "v2")
			args := append([]string{"merge", out, a, b}, tt.args...)
			code, stdout, stderr := cli(t, filepath.Join(t.TempDir(), "unused.duckdb"), "", args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s\nwant %q and %q", code, tt.code, stdout, stderr, tt.stdout, tt.stderr)
			}
			if tt.code == exitUsage && !strings.Contains(stderr, "or give --allow-other-build to pool them knowingly") {
				t.Errorf("the refusal does not say how to pool them knowingly:\n%s", stderr)
			}
		})
	}
}

// TestMergeSaysWhatForecastsItMerged: merging a forecast's shards says how
// many forecasts each input added or joined and how many of their periods
// it copied; it said only runs, sweeps and calibrations, as if the
// forecast had been left out. An input without forecasts says nothing of
// them.
func TestMergeSaysWhatForecastsItMerged(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.yaml")
	src := "name: plan\nbase: baseline\nperiods: {count: 2}\nday: {slices: 1, horizon: 1m}\nvariants:\n  - {name: rented, procurement: {mode: rented}}\n"
	if err := os.WriteFile(plan, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var shards []string
	for i := range 2 {
		db := filepath.Join(dir, fmt.Sprintf("shard-%d.duckdb", i))
		if code, _, errs := cli(t, db, "", "forecast", plan, "--shard", fmt.Sprintf("%d/2", i), "-q"); code != exitOK {
			t.Fatalf("shard %d: exit %d: %s", i, code, errs)
		}
		shards = append(shards, db)
	}
	runOnly := filepath.Join(dir, "run.duckdb")
	if code, _, errs := cli(t, runOnly, "", "run", "--horizon", "10s", "-q"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	out := filepath.Join(dir, "out.duckdb")
	code, stdout, errs := cli(t, out, "", append([]string{"merge", out}, append(shards, runOnly)...)...)
	if code != exitOK {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	lines := strings.Split(stdout, "\n")
	for i, want := range []string{"; 1 forecast new, 0 already there, 1 forecast period copied", "; 0 forecasts new, 1 already there, 1 forecast period copied"} {
		if !strings.HasSuffix(lines[i], want) {
			t.Errorf("input %d: %q, want it to end %q", i, lines[i], want)
		}
	}
	if strings.Contains(lines[2], "forecast") {
		t.Errorf("an input without forecasts: %q", lines[2])
	}
}

// TestMergeChecksEveryInputFirst: merge OUT a b merged a and only then
// refused b, leaving OUT half-merged; every input is now checked before
// the first is merged. A merge input that is not a store was asked
// whether --db pointed at another file, though no --db named it.
func TestMergeChecksEveryInputFirst(t *testing.T) {
	t.Parallel()
	seed, _ := storeFixture(t)
	for _, existing := range []bool{false, true} {
		t.Run(fmt.Sprintf("existing=%v", existing), func(t *testing.T) {
			dir := t.TempDir()
			out, bad := filepath.Join(dir, "out.duckdb"), filepath.Join(dir, "notes.duckdb")
			if err := os.WriteFile(bad, []byte("my notes, not a database\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if existing {
				s, err := data.Open(out, data.Options{})
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
			}
			code, stdout, stderr := cli(t, filepath.Join(dir, "unused.duckdb"), "", "merge", out, seed, bad)
			if code != exitUsage || !strings.Contains(stderr, "each input of merge is an aiecon store file") ||
				strings.Contains(stderr, "--db") || !strings.Contains(stdout, "nothing was merged") {
				t.Errorf("exit %d\nstdout %s\nstderr %s\nwant exit 2, nothing merged, the input's hint", code, stdout, stderr)
			}
			if !existing {
				if _, err := os.Stat(out); err == nil {
					t.Errorf("%s was created", out)
				}
				return
			}
			s, err := data.Open(out, data.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if runs, err := s.Runs(context.Background(), data.RunFilter{}); err != nil || len(runs) != 0 {
				t.Errorf("%s holds %d runs (%v), want none: half-merged", out, len(runs), err)
			}
		})
	}
}

// TestMergeLeavesAStoppedShardInItsStore: a store holding a shard of a
// forecast stopped midway (runs kept for a resume) merged beside the
// other shard, stored, is said to hold it, with the command that finishes
// it in its own store; what it keeps is not copied, as the output, which
// holds that forecast id stored, refuses a resume of it. The merge copied
// the kept rows without a word and the merged forecast lacked the shard's
// periods, unsaid. Finished there and merged again, the forecast gets
// them, with nothing left to say.
func TestMergeLeavesAStoppedShardInItsStore(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	stopped := filepath.Join(dir, "shard-0.duckdb")
	id := stopForecastShard(t, stopped, 1, study.ShardSpec{Index: 0, Count: 2})
	stored := filepath.Join(dir, "shard-1.duckdb")
	if code, _, errs := cli(t, stored, "", "forecast", "--samples", "1", "--periods", "1", "--shard", "1/2", "-q"); code != exitOK {
		t.Fatalf("shard 1: exit %d: %s", code, errs)
	}
	out := filepath.Join(dir, "out.duckdb")
	code, stdout, errs := cli(t, out, "", "merge", out, stored, stopped)
	resume := "aiecon forecast trainium-amortization --samples 1 --periods 1 --shard 0/2 --resume " + id + " --db " + stopped
	for _, want := range []string{"note: " + stopped + " holds forecast " + id + " (shard 0/2) stopped before it was stored, keeping 1 finished run for a resume, the last finished ",
		out + " has its runs, as runs of no forecast, and not the forecast (a stopped shard is resumed in its own store",
		"finish it with: " + resume + "; then merge " + stopped + " again"} {
		if code != exitOK || !strings.Contains(stdout, want) {
			t.Errorf("merge: exit %d, stdout lacks %q:\n%s%s", code, want, stdout, errs)
		}
	}
	// The stopped shard's note, and the merged forecast's: it holds shard
	// 1/2 alone until the stopped one is finished and merged.
	incomplete := "note: forecast " + id + " (trainium-amortization) is incomplete: it was split into 2 shards (--shard i/n), and " + out +
		" holds 1 of its 3 (variant, sample, period) groups (3 variants x 1 sample x 1 period), those of shard 1/2,"
	// The missing shard is the stopped one: the note gives its --resume,
	// not a command that runs it anew into another store (review287 M1).
	finish := "; shard 0/2 stopped midway: finish it with: aiecon forecast trainium-amortization --samples 1 --periods 1 --shard 0/2 --resume " + id + " --db " + stopped + "; then merge its store again\n"
	if strings.Count(stdout, "note: ") != 2 || !strings.Contains(stdout, incomplete) || !strings.Contains(stdout, finish) ||
		strings.Contains(stdout, "is missing: run") {
		t.Errorf("merge: want two notes, of the stopped shard and of the forecast it leaves incomplete (%q, then %q):\n%s", incomplete, finish, stdout)
	}
	if code, got, errs := cli(t, out, "", "sql", "SELECT count(*) AS n FROM forecast_checkpoints"); code != exitOK || !strings.HasPrefix(got, "n\n0\n") {
		t.Errorf("the kept rows in the output: exit %d, %q %s; want none", code, got, errs)
	}
	if code, _, errs := cli(t, stopped, "", strings.Fields(resume)[1:]...); code != exitOK {
		t.Fatalf("the command the note gives: exit %d: %s", code, errs)
	}
	code, stdout, errs = cli(t, out, "", "merge", out, stopped)
	if code != exitOK || strings.Contains(stdout, "note: ") || !strings.Contains(stdout, "0 forecasts new, 1 already there, 2 forecast periods copied") {
		t.Errorf("merged again once finished: exit %d:\n%s%s", code, stdout, errs)
	}
}

// TestMergeNamesOUTForANonStore: an OUT that is not a store is named as
// merge's OUT; it read "is --db pointing at another file?", of a path no
// --db gave (hostile-input review L11), and an empty OUT or another
// program's DuckDB database was told to "point --db at" or "give --db"
// another file. OUT is left as it was.
func TestMergeNamesOUTForANonStore(t *testing.T) {
	t.Parallel()
	seed, _ := storeFixture(t)
	for _, tt := range []struct{ name, content, want string }{
		{"text", "my notes\n", "not a DuckDB database (merge's OUT, its first argument, is an aiecon store or a path to create one at)"},
		{"empty", "", "not a DuckDB database (an empty file: remove it and aiecon creates a store there, or point merge's OUT at another file)"},
		{"foreign", "", "aiecon writes its schema only into a new or empty file and left this one unchanged (give merge's OUT another file)"},
	} {
		dir := t.TempDir()
		out := filepath.Join(dir, tt.name+".duckdb")
		if err := os.WriteFile(out, []byte(tt.content), 0o644); err != nil {
			t.Fatal(err)
		}
		if tt.name == "foreign" {
			foreignDuckDB(t, out)
		}
		before, _ := os.ReadFile(out)
		code, _, stderr := cli(t, filepath.Join(dir, "unused.duckdb"), "", "merge", out, seed)
		if code != exitUsage || !strings.Contains(stderr, tt.want) || strings.Contains(stderr, "--db") {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 naming merge's OUT, not --db: %q", tt.name, code, stderr, tt.want)
		}
		if b, _ := os.ReadFile(out); !bytes.Equal(b, before) {
			t.Errorf("%s: OUT was changed", tt.name)
		}
	}
}

// foreignDuckDB makes path a DuckDB database of another program's: one
// table, none of aiecon's.
func foreignDuckDB(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE orders (id INTEGER)"); err != nil {
		t.Fatal(err)
	}
}

// TestMergeWarnsOfInputOwnTables: an input holding tables or views of the
// user's own (made with sql --write), which merge does not copy, gets one
// warning line naming them and the input; tables were left behind without
// a word, and then views still were. An input with aiecon's tables and
// views alone gets none.
func TestMergeWarnsOfInputOwnTables(t *testing.T) {
	t.Parallel()
	seed, _ := storeFixture(t)
	const warning = "aiecon: warning: %s holds %s of its own, not copied (merge copies aiecon's tables and views only): %s\n"
	for _, tt := range []struct{ name, sql, held, names string }{
		{"tables", "CREATE TABLE notes (x INT); CREATE SCHEMA scratch; CREATE TABLE scratch.t (y INT)",
			"2 tables", "notes, scratch.t"},
		{"view", "CREATE VIEW recent AS SELECT run_id FROM runs",
			"1 view", "recent"},
		{"both", "CREATE TABLE notes (x INT); CREATE SCHEMA scratch; CREATE VIEW scratch.recent AS SELECT 1 AS x; CREATE VIEW done AS SELECT run_id FROM runs",
			"1 table and 2 views", "tables: notes; views: done, scratch.recent"},
	} {
		dir := t.TempDir()
		in := filepath.Join(dir, "in.duckdb")
		if err := copyFile(seed, in); err != nil {
			t.Fatal(err)
		}
		if code, _, errs := cli(t, in, "", "sql", "--write", tt.sql); code != 0 {
			t.Fatalf("%s: making the user's own: exit %d: %s", tt.name, code, errs)
		}
		code, _, stderr := cli(t, filepath.Join(dir, "unused.duckdb"), "", "merge", filepath.Join(dir, "out.duckdb"), in)
		want := fmt.Sprintf(warning, in, tt.held, tt.names)
		if code != 0 || !strings.Contains(stderr, want) || strings.Count(stderr, "warning") != 1 {
			t.Errorf("%s: exit %d, stderr %q; want exit 0 and the one warning %q", tt.name, code, stderr, want)
		}
	}
	dir := t.TempDir()
	code, _, stderr := cli(t, filepath.Join(dir, "unused.duckdb"), "", "merge", filepath.Join(dir, "plain.duckdb"), seed)
	if code != 0 || strings.Contains(stderr, "of its own") {
		t.Errorf("an input of aiecon's tables and views alone: exit %d, stderr %q; want no warning", code, stderr)
	}
}
