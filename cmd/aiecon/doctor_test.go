package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"aiecon/data"
)

func TestDoctor(t *testing.T) {
	t.Parallel()
	db, _ := storeFixture(t)
	out := filepath.Join(t.TempDir(), "saved.duckdb")
	for _, tc := range []struct {
		db   string
		args []string
		code int
		want string
	}{
		{db, []string{"doctor", "--copy", "--out", out}, exitOK, "salvaged 2 complete runs, 0 sweeps and 0 forecasts from " + db + " into " + out + "\nleft behind 1 failed or interrupted runs"},
		{db, []string{"doctor", "--copy", "--out", out}, exitUsage, "exists"},
		{filepath.Join(t.TempDir(), "none.duckdb"), []string{"doctor"}, exitUsage, "no such file"},
	} {
		code, stdout, stderr := cli(t, tc.db, "", tc.args...)
		if code != tc.code || !strings.Contains(stdout+stderr, tc.want) {
			t.Errorf("%v: exit %d\n%s%s\nwant %d and %q", tc.args, code, stdout, stderr, tc.code, tc.want)
		}
	}
	// Before reading, doctor checks every header's and block's checksum
	// itself. A healthy store needs no copy, and gets none unless --copy
	// asks or --out names it: doctor wrote one always, for the user to find
	// and delete, and deleted the one --out named.
	if code, stdout, _ := cli(t, db, "", "doctor"); code != exitOK ||
		!strings.Contains(stdout, "block check: DuckDB storage v64: headers (iteration") || !strings.Contains(stdout, "every checksum holds") || !strings.Contains(stdout, "nothing was damaged") ||
		!strings.Contains(stdout, "checked 2 complete runs, 0 sweeps and 0 forecasts of "+db+": each read back in full") ||
		!strings.Contains(stdout, "no copy is kept (doctor --copy keeps one") || strings.Contains(stdout, "salvaged") {
		t.Errorf("doctor on a healthy store: exit %d\n%s", code, stdout)
	}
	noCopy(t, db)
	out2 := filepath.Join(t.TempDir(), "saved2.duckdb")
	if code, stdout, _ := cli(t, db, "", "doctor", "--out", out2); code != exitOK || !strings.Contains(stdout, "salvaged 2 complete runs") ||
		!strings.Contains(stdout, "(the copy --copy or --out asked for holds the same complete runs)") {
		t.Errorf("doctor --out on a healthy store: exit %d\n%s", code, stdout)
	}
	if _, err := os.Stat(out2); err != nil {
		t.Errorf("doctor --out on a healthy store kept no copy: %v", err)
	}
	// A table of the user's is no damage: no copy, and no word of a --copy
	// not given.
	if code, stdout, stderr := cli(t, db, "", "sql", "--write", "CREATE TABLE mine(x INT)"); code != exitOK {
		t.Fatalf("create table: %s%s", stdout, stderr)
	}
	if code, stdout, _ := cli(t, db, "", "doctor"); code != exitOK || !strings.Contains(stdout, "not aiecon's, and no damage (the store keeps them, unchanged): table mine") ||
		!strings.Contains(stdout, "no copy is kept") || strings.Contains(stdout, "--copy asked") || strings.Contains(stdout, "salvaged") {
		t.Errorf("doctor on a healthy store with a table of the user's: exit %d\n%s", code, stdout)
	}
	noCopy(t, db)
	if code, stdout, _ := cli(t, out, "", "sql", "--format", "csv", "SELECT count(*) AS n FROM runs WHERE status = 'complete'"); code != 0 || stdout != "n\n2\n" {
		t.Errorf("the salvaged store: %q", stdout)
	}
}

// noCopy fails t where doctor left a copy of db under its default name.
func noCopy(t *testing.T, db string) {
	t.Helper()
	if m, _ := filepath.Glob(db + ".salvaged-*"); len(m) > 0 {
		t.Errorf("doctor left a copy of a healthy store: %v", m)
	}
}

// TestTornCheckpointRepaired tears a block that the close's checkpoint
// rewrites, as a kill -9 between two pages of the write leaves it: doctor
// writes a repaired copy with every run, and the next command that writes
// repairs the store in place, says so, and keeps the damaged original.
func TestTornCheckpointRepaired(t *testing.T) {
	path, _ := storeFixture(t)
	s, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.BeginRun(context.Background(), data.RunInfo{Name: "late", ScenarioYAML: "name: late\n", Seed: 4, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := fixtureRun(w, 5, true); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(0.25); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path) // the last checkpoint, the new run in the log
	wal, _ := os.ReadFile(path + ".wal")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	c, err := data.CheckBlocks(path)
	if err != nil || len(wal) == 0 {
		t.Fatalf("%v; log of %d bytes", err, len(wal))
	}
	const blocksStart = 3 * 4096
	for off := blocksStart; off+c.BlockSize <= min(len(before), len(after)); off += c.BlockSize {
		torn := filepath.Join(t.TempDir(), "torn.duckdb")
		b := bytes.Clone(before)
		copy(b[off:off+c.BlockSize/2], after[off:off+c.BlockSize/2])
		if bytes.Equal(b, before) {
			continue
		}
		if err := errors.Join(os.WriteFile(torn, b, 0o644), os.WriteFile(torn+".wal", wal, 0o644)); err != nil {
			t.Fatal(err)
		}
		if ro, err := data.Open(torn, data.Options{ReadOnly: true}); err == nil {
			ro.Close() // a block DuckDB does not read at open
			continue
		}
		out := filepath.Join(t.TempDir(), "repaired.duckdb")
		code, stdout, stderr := cli(t, torn, "", "doctor", "--out", out)
		// A failed write (a full disk) leaves the same mark as a kill, and
		// the messages blamed a kill alone.
		if code != exitOK || !strings.Contains(stdout, "repaired a checkpoint torn by a kill or a failed write (a full disk)") ||
			!strings.Contains(stdout, "as a checkpoint cut short leaves them (by a kill -9, or by a write that failed, on a full disk say;") ||
			!strings.Contains(stdout, "3 complete runs") {
			t.Fatalf("doctor on a torn checkpoint: exit %d\n%s%s", code, stdout, stderr)
		}
		count := "SELECT count(*) AS n FROM runs WHERE status = 'complete'"
		if code, stdout, _ := cli(t, out, "", "sql", "--format", "csv", count); code != 0 || stdout != "n\n3\n" {
			t.Errorf("the repaired copy: %q", stdout)
		}
		code, stdout, stderr = cli(t, torn, "", "sql", "--write", "--format", "csv", count)
		if code != 0 || stdout != "n\n3\n" || !strings.Contains(stderr, "repaired a checkpoint torn by a kill or a failed write (a full disk)") || !strings.Contains(stderr, "kept, untouched, as "+torn+".corrupt-") {
			t.Errorf("a writer on the torn store: exit %d\n%s%s", code, stdout, stderr)
		}
		return
	}
	t.Fatal("no torn block made DuckDB refuse the file: the test tests nothing")
}

// TestDoctorDoesNotSendTheUserToDoctor: doctor on a store DuckDB cannot
// open at all says nothing can be read, and ended by telling the user to
// run doctor; another command on that store still gets the hint.
func TestDoctorDoesNotSendTheUserToDoctor(t *testing.T) {
	seed, _ := storeFixture(t)
	dir := t.TempDir()
	cut := filepath.Join(dir, "t.duckdb")
	b, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cut, b[:100000], 0o644); err != nil {
		t.Fatal(err)
	}
	hint := "`aiecon doctor --db " + cut + "`"
	code, stdout, stderr := cli(t, cut, "", "doctor", "--out", filepath.Join(dir, "saved.duckdb"))
	if code != exitFailure || !strings.Contains(stderr, "cannot open it at all") || strings.Contains(stdout+stderr, hint) {
		t.Errorf("doctor: exit %d\n%s%s\nwant exit %d, nothing readable, and no hint to run doctor", code, stdout, stderr, exitFailure)
	}
	if code, _, stderr := cli(t, cut, "", "runs"); code == exitOK || !strings.Contains(stderr, hint) {
		t.Errorf("runs: exit %d\n%s\nwant the hint to run doctor", code, stderr)
	}
}

// holdStoreMain is the test binary run as aiecon-test-hold-store PATH (see
// TestMain): it holds the store at PATH open read-write, as a second aiecon
// would, prints READY, and closes it when its standard input closes.
func holdStoreMain() {
	s, err := data.Open(os.Args[1], data.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("READY")
	io.Copy(io.Discard, os.Stdin) //nolint:errcheck // any end of the input lets go
	if err := s.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// holdStore has another process hold the store at path until the test ends
// or release is called.
func holdStore(t *testing.T, path string) (pid int, release func()) {
	t.Helper()
	cmd := exec.Command("aiecon-test-hold-store", path) // on PATH through testscript.Main
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	release = sync.OnceFunc(func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("the process holding %s: %v: %s", path, err, stderr.String())
		}
	})
	t.Cleanup(release)
	if line, err := bufio.NewReader(stdout).ReadString('\n'); line != "READY\n" {
		t.Fatalf("the process holding %s: %q, %v: %s", path, line, err, stderr.String())
	}
	return cmd.Process.Pid, release
}

// TestDoctorRefusesAStoreInUse: doctor on a healthy store another aiecon
// holds went on to salvage it and said that "DuckDB cannot open it at all,
// so nothing can be read from it". It says the store is in use, by whom,
// and checks and copies nothing; once the store is let go, doctor finds
// nothing damaged.
func TestDoctorRefusesAStoreInUse(t *testing.T) {
	db, _ := storeFixture(t)
	pid, release := holdStore(t, db)
	out := filepath.Join(t.TempDir(), "saved.duckdb")
	code, stdout, stderr := cli(t, db, "", "doctor", "--out", out)
	for _, want := range []string{"doctor: the store " + db + " is in use by", fmt.Sprintf("(PID %d)", pid),
		"doctor checked and copied nothing: a store in use is busy, which is no sign of damage"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if code != exitFailure || stdout != "" || strings.Contains(stderr, "cannot open it at all") {
		t.Errorf("doctor on a store in use: exit %d\n%s%s\nwant exit %d, nothing on stdout and the lock named", code, stdout, stderr, exitFailure)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("doctor on a store in use left %s: %v", out, err)
	}
	release()
	if code, stdout, stderr := cli(t, db, "", "doctor", "--out", out); code != exitOK || !strings.Contains(stdout, "nothing was damaged") {
		t.Errorf("doctor once the store is let go: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestDeletingRunsLeavesNoRowsOfNoRun: sql --help's example deleted the
// failed runs from runs alone, which left their rows in the other tables
// (no foreign key ties them), and doctor said nothing of them. Doctor now
// counts them, and the deletion the help gives leaves none.
func TestDeletingRunsLeavesNoRowsOfNoRun(t *testing.T) {
	t.Parallel()
	seed, _ := storeFixture(t)
	help := newSQLCmd(&env{}).Long
	script := data.DeleteRunsSQL("status = 'failed'")
	if !strings.Contains(help, indent(script, "  ")) {
		t.Fatalf("sql --help does not give the deletion script:\n%s", help)
	}
	for _, tt := range []struct {
		how, stdin string
		args       []string
		want       string
	}{
		{"runs alone", "", []string{"sql", "--write", "DELETE FROM runs WHERE status = 'failed'"}, "rows have a run_id with no runs row"},
		{"the help's script", script, []string{"sql", "--write"}, "rows of no run: none"},
	} {
		t.Run(tt.how, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "s.duckdb")
			b, err := os.ReadFile(seed)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(db, b, 0o644); err != nil {
				t.Fatal(err)
			}
			if code, out, errs := cli(t, db, tt.stdin, tt.args...); code != exitOK {
				t.Fatalf("%v: exit %d\n%s%s", tt.args, code, out, errs)
			}
			if code, out, _ := cli(t, db, "", "sql", "--format", "csv", "SELECT count(*) AS n FROM runs WHERE status = 'failed'"); code != exitOK || out != "n\n0\n" {
				t.Errorf("failed runs left: %q", out)
			}
			code, stdout, stderr := cli(t, db, "", "doctor", "--out", filepath.Join(t.TempDir(), "copy.duckdb"))
			if code != exitOK || !strings.Contains(stdout, tt.want) {
				t.Errorf("doctor: exit %d\n%s%s\nwant %q", code, stdout, stderr, tt.want)
			}
		})
	}
}

// TestDoctorWritesNothingBesideAHealthyStore: on a store with nothing
// damaged doctor reads every run back in place, all runs at once; it
// wrote a whole copy of the store beside it, run by run (30 ms of CPU a
// run, the store's size again on disk), only to delete it. The directory's
// modification time shows any file made and removed in it. A store with a
// run's records deleted while every checksum holds is still salvaged, the
// run named and the copy kept, as before.
func TestDoctorWritesNothingBesideAHealthyStore(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		damage func(ids []string) string // SQL, "" for none
		code   int
		want   []string
		copied bool
	}{
		{"healthy", nil, exitOK, []string{"checked 2 complete runs, 0 sweeps and 0 forecasts of", "no copy is kept"}, false},
		{"a table of the user's", func([]string) string { return "CREATE TABLE mine(x INT)" }, exitOK,
			[]string{"not aiecon's, and no damage (the store keeps them, unchanged): table mine, 0 rows", "no copy is kept"}, false},
		{"a run's requests deleted", func(ids []string) string { return "DELETE FROM requests WHERE run_id = '" + ids[1] + "'" }, exitFailure,
			[]string{"salvaged 1 complete run,", "lost run ", "requests: 0 rows read back of the"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, ids := storeFixture(t)
			if tc.damage != nil {
				if code, stdout, stderr := cli(t, db, "", "sql", "--write", tc.damage(ids)); code != exitOK {
					t.Fatalf("damaging: %s%s", stdout, stderr)
				}
			}
			dir := filepath.Dir(db)
			before, err := os.Stat(dir)
			if err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := cli(t, db, "", "doctor")
			for _, w := range tc.want {
				if code != tc.code || !strings.Contains(stdout, w) {
					t.Errorf("exit %d, want %d and %q:\n%s%s", code, tc.code, w, stdout, stderr)
				}
			}
			after, err := os.Stat(dir)
			if err != nil {
				t.Fatal(err)
			}
			if m, _ := filepath.Glob(db + ".salvaged-*"); (len(m) > 0) != tc.copied {
				t.Errorf("copies %v, want one: %v", m, tc.copied)
			}
			if !tc.copied && !after.ModTime().Equal(before.ModTime()) {
				t.Errorf("doctor made and removed files beside a healthy store (its directory changed at %v)", after.ModTime())
			}
		})
	}
}

// TestDoctorNotesStoppedForecasts: a forecast stopped midway and never
// resumed keeps its runs for a resume for good, and doctor said nothing of
// it. Doctor notes it, with the runs it keeps, when the last finished and
// the commands that finish it and that drop what it keeps, as the stop
// message gives them, and fails nothing: the store is healthy, exit 0. Its
// resume command finishes it; once stored or dropped, nothing is noted.
func TestDoctorNotesStoppedForecasts(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	for _, tt := range []struct {
		name, then string // then: how the stopped forecast is left, "" kept as it stopped
		failed     bool   // a kept run marked failed since
	}{
		{"kept", "", false},
		{"a kept run failed since", "", true},
		{"resumed", "resume", false},
		{"dropped", "drop", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".duckdb")
			id := stopForecast(t, db, 2)
			if tt.failed {
				if code, _, errs := cli(t, db, "", "sql", "--write", "UPDATE runs SET status = 'failed' WHERE run_id = (SELECT min(run_id) FROM runs)"); code != exitOK {
					t.Fatalf("failing a kept run: exit %d: %s", code, errs)
				}
			}
			resume := "aiecon forecast trainium-amortization --samples 1 --periods 1 --resume " + id + " --db " + db
			drop := dropCheckpointsCommand(&env{dbPath: db}, id)
			switch tt.then {
			case "resume":
				if code, _, errs := cli(t, db, "", strings.Fields(resume)[1:]...); code != exitOK {
					t.Fatalf("the resume doctor gives: exit %d: %s", code, errs)
				}
			case "drop":
				if code, _, errs := runMain(t, db, "sql", "--write", dropCheckpointsSQL(id)); code != exitOK {
					t.Fatalf("the drop doctor gives: exit %d: %s", code, errs)
				}
			}
			code, stdout, stderr := cli(t, db, "", "doctor")
			want := []string{"note: forecast " + id + " stopped before it was stored, keeping 2 finished runs for a resume",
				", the last finished ", "finish it with: " + resume + ";", "drop what it keeps (its runs stay, as runs of no forecast) with: " + drop + "\n"}
			if tt.failed {
				want = append(want, "keeping 2 finished runs for a resume (1 of them no longer complete, which a resume runs again)")
			}
			if tt.then != "" {
				want = []string{"forecasts stopped: none (no forecast keeps runs for a resume)\n"}
			}
			want = append(want, "nothing was damaged")
			for _, w := range want {
				if code != exitOK || !strings.Contains(stdout, w) {
					t.Errorf("doctor: exit %d, stdout lacks %q:\n%s%s", code, w, stdout, stderr)
				}
			}
		})
	}
}
