package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"aiecon/data"
)

// The sweep used by the interruption tests: 16 runs of a simulated hour
// (a few hundred milliseconds each, mostly simulating), so that a signal lands mid-sweep.
const interruptSweep = `name: interrupt
base: baseline
set: {horizon: 1h}
parameters:
  fleet.count: [1, 2, 3, 4]
  workloads[chat].arrivals.rate: [3/s, 6/s]
replications: 2
`

const interruptRuns = 16

// aieconChild prepares an "aiecon" command that runs this test binary as the
// CLI (TestMain dispatches on the program name) in dir, with its own store.
func aieconChild(t *testing.T, dir string) func(args ...string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "aiecon")
	if err := os.Symlink(self, bin); err != nil {
		t.Skipf("cannot link the test binary as aiecon: %v", err)
	}
	return func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "AIECON_DB="+filepath.Join(dir, "aiecon.duckdb"),
			"AIECON_CONFIG_DIR="+filepath.Join(dir, "config"), "NO_COLOR=1")
		return cmd
	}
}

var sweepIDLine = regexp.MustCompile(`^sweep \S+ \((\w{15})\) in `)

// startAndSignal starts a sweep child and sends sig once `after` runs have
// finished (as its per-run progress lines on stderr say). It returns the
// sweep id, the child's stderr, its exit code and the runs done when sent.
func startAndSignal(t *testing.T, cmd *exec.Cmd, sig os.Signal, after int) (id, stderr string, code int) {
	t.Helper()
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	done, sent := 0, false
	sc := bufio.NewScanner(pipe)
	for sc.Scan() {
		line := sc.Text()
		all.WriteString(line + "\n")
		if m := sweepIDLine.FindStringSubmatch(line); m != nil {
			id = m[1]
		}
		if strings.Contains(line, " done in ") {
			done++
		}
		if done >= after && !sent {
			// Let the next runs get well into simulating, so that the signal
			// lands on runs in flight rather than between two runs.
			time.Sleep(100 * time.Millisecond)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatalf("signal: %v", err)
			}
			sent = true
		}
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("waiting for the sweep: %v", err)
	}
	if !sent {
		t.Fatalf("the sweep ended before %d runs were done:\n%s", after, all.String())
	}
	return id, all.String(), code
}

// sweepState counts a sweep's runs by status and checks that no (point,
// replication) has two complete runs.
func sweepState(t *testing.T, dbPath, id string) (complete, notComplete int) {
	t.Helper()
	s, err := data.Open(dbPath, data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	runs, err := s.SweepRuns(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[[2]int]bool{}
	for _, r := range runs {
		if r.Status != data.StatusComplete {
			notComplete++
			continue
		}
		key := [2]int{r.Point, r.Replication}
		if seen[key] {
			t.Errorf("point %d replication %d has two complete runs", r.Point, r.Replication)
		}
		seen[key] = true
		complete++
	}
	return complete, notComplete
}

// rawCount runs a count query on the file as it is (read-only: interrupted
// runs are not marked failed by this open).
func rawCount(t *testing.T, dbPath, q string) int {
	t.Helper()
	s, err := data.Open(dbPath, data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	if err := s.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestSweepInterruptAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs sweeps in child processes")
	}
	for _, tt := range []struct {
		name string
		sig  os.Signal
	}{{"ctrl-c", os.Interrupt}, {"sigterm", syscall.SIGTERM}, {"sighup", syscall.SIGHUP}, {"kill-9", syscall.SIGKILL}} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte(interruptSweep), 0o644); err != nil {
				t.Fatal(err)
			}
			aiecon := aieconChild(t, dir)
			sweep := aiecon("sweep", "s.yaml", "-j", "2")
			var summary bytes.Buffer
			sweep.Stdout = &summary
			id, stderr, code := startAndSignal(t, sweep, tt.sig, 3)
			if id == "" {
				t.Fatalf("no sweep id in:\n%s", stderr)
			}
			if tt.sig != syscall.SIGKILL {
				// A clean stop: exit 1 with how to finish; the runs in flight
				// are recorded as failed by the sweep itself, none left running.
				if code != exitFailure || !strings.Contains(stderr, "interrupted: ") || !strings.Contains(stderr, "aiecon sweep --resume "+id) {
					t.Errorf("exit %d, stderr:\n%s", code, stderr)
				}
				if n := rawCount(t, filepath.Join(dir, "aiecon.duckdb"), `SELECT count(*) FROM runs WHERE status = 'running' OR status = 'failed' AND error NOT LIKE 'interrupted%'`); n != 0 {
					t.Errorf("%d runs left running or failed otherwise than interrupted", n)
				}
				// The first runs done are one instance's, a backlog: the
				// summary of what finished marks them as the full one would.
				if !strings.Contains(summary.String(), "OVERLOADED") || strings.Contains(stderr, "checked for overload") {
					t.Errorf("the summary after %s marks no overload:\n%s%s", tt.name, summary.String(), stderr)
				}
			} else if code != -1 {
				t.Errorf("killed sweep exited with %d", code)
			}
			complete, lost := sweepState(t, filepath.Join(dir, "aiecon.duckdb"), id)
			t.Logf("after %s: %d runs complete, %d lost (in flight)", tt.name, complete, lost)
			// At most the runs in flight are lost, and they read as failed:
			// two per worker, one simulating and one committing (a worker
			// commits a run while it simulates the next).
			if complete < 3 || lost > 4 || complete+lost > interruptRuns {
				t.Errorf("after %s: %d complete, %d not; want >= 3 complete and <= 4 lost (2 workers)", tt.name, complete, lost)
			}
			if complete == interruptRuns {
				t.Skipf("the sweep finished before the signal took effect (a very fast machine)")
			}

			resume := aiecon("sweep", "--resume", id, "-j", "2")
			var out, errb bytes.Buffer
			resume.Stdout, resume.Stderr = &out, &errb
			if err := resume.Run(); err != nil {
				t.Fatalf("resume: %v\n%s", err, errb.String())
			}
			want := fmt.Sprintf("%d runs to do, %d already complete", interruptRuns-complete, complete)
			if !strings.Contains(errb.String(), want) {
				t.Errorf("resume did not run exactly the rest (%s):\n%s", want, errb.String())
			}
			if c, _ := sweepState(t, filepath.Join(dir, "aiecon.duckdb"), id); c != interruptRuns {
				t.Errorf("after resume: %d complete runs, want %d", c, interruptRuns)
			}
			if !strings.Contains(out.String(), fmt.Sprintf("%d runs done in", interruptRuns-complete)) {
				t.Errorf("resume summary:\n%s", out.String())
			}
		})
	}
}

func TestSweepExitCodes(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_DB", filepath.Join(dir, "x.duckdb"))
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sweep", filepath.Join(dir, "missing.yaml")}, exitUsage, "does not exist"},
		{[]string{"sweep", "a.yaml", "--resume", "last"}, exitUsage, "give one of"},
		{[]string{"sweep", "--show", "last", "--format", "xml"}, exitUsage, "--format"},
		{[]string{"sweep", "--resume", "last", "--set", "fleet.count=2"}, exitUsage, "--resume runs the stored sweep as it was defined"},
		{[]string{"sweep", "a.yaml", "--shard", "1/2", "--shards", "2"}, exitUsage, "not both"},
		{[]string{"sweep", "a.yaml", "-j", "0"}, exitUsage, "--jobs 0"},
		{[]string{"merge", filepath.Join(dir, "out.duckdb"), filepath.Join(dir, "nope.duckdb")}, exitUsage, "nope.duckdb"},
		{[]string{"merge", filepath.Join(dir, "out.duckdb")}, exitUsage, "requires at least 2 arg"},
	} {
		var out, errb bytes.Buffer
		if code := Main(tt.args, strings.NewReader(""), &out, &errb); code != tt.code || !strings.Contains(errb.String(), tt.want) {
			t.Errorf("aiecon %s: exit %d, stderr %q; want exit %d mentioning %q", strings.Join(tt.args, " "), code, errb.String(), tt.code, tt.want)
		}
	}
	// Progress lines name the run and give an ETA; --quiet silences them.
	if err := os.WriteFile(filepath.Join(dir, "one.yaml"), []byte("name: one\nbase: baseline\nset: {horizon: 1m}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := Main([]string{"sweep", filepath.Join(dir, "one.yaml")}, nil, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	// A run's wall time reads "420 ms" or, past a second (a loaded
	// machine), "1.2 s" (format.Wall).
	if !regexp.MustCompile(`(?m)^\[1/1\] point 0 replication 0 done in (?:\d+ ms|\d+\.\d s); 1 done, 0 failed, ETA 0s$`).MatchString(errb.String()) {
		t.Errorf("progress lines:\n%s", errb.String())
	}
	errb.Reset()
	if code := Main([]string{"sweep", filepath.Join(dir, "one.yaml"), "-q"}, nil, &out, &errb); code != exitOK || errb.Len() != 0 {
		t.Errorf("--quiet: exit %d, stderr %q", code, errb.String())
	}
}

// TestCheckProgress: checking a sweep's points prints, in a log, nothing in
// the first seconds, then a line of points checked with an ETA at most
// every progressEvery (a 100 x 100 grid printed one line and nothing more
// for minutes); none under --quiet.
func TestCheckProgress(t *testing.T) {
	t0 := time.Unix(0, 0)
	for _, quiet := range []bool{false, true} {
		var b strings.Builder
		p := newCheckProgress(&env{stderr: &b, quiet: quiet}, "sweep", "g3", "points", 10000)
		p.start = t0
		for i, at := range []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 4 * time.Second} {
			p.now = func() time.Time { return t0.Add(at) }
			p.set(1000 * (i + 1))
		}
		p.finish()
		want := "sweep g3: 2000 of 10000 points checked, 2s; ETA 8s\nsweep g3: 4000 of 10000 points checked, 4s; ETA 6s\n"
		if quiet {
			want = ""
		}
		if b.String() != want {
			t.Errorf("quiet %v: %q, want %q", quiet, b.String(), want)
		}
	}
}
