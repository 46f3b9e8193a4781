package data

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// exitedPID is the PID of a process that has exited and been reaped: the
// test binary run with no test.
func exitedPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatalf("running a child that exits: %v", err)
	}
	return cmd.Process.Pid
}

// reusedPID is a PID a live process (this one) holds, for a run whose
// writer had it before: skipped where /proc does not say when a process
// started, as then a live PID may be the writer's.
func reusedPID(t *testing.T) int {
	t.Helper()
	if _, err := processStart(os.Getpid()); err != nil {
		t.Skipf("/proc does not say when this process started: %v", err)
	}
	return os.Getpid()
}

// TestReadOnlyRunningRunOfALiveWriter: a read-only Store read every
// "running" run as interrupted ("the writing process (PID n) stopped ...
// the next read-write open deletes the records it wrote"), on the premise
// that no writer holds a file DuckDB let it open. A copy of a live store
// (the dashboard's snapshot, a cp) is opened while its writer holds the
// original and is alive: such a run is in progress, and reads as
// interrupted only when its writer is verifiably dead on this host.
func TestReadOnlyRunningRunOfALiveWriter(t *testing.T) {
	cases := []struct {
		name   string
		pid    func(*testing.T) int
		host   string // "" for this host
		start  string // writer_start: "" keeps the one the run was stored with (this process's)
		status string
	}{
		{name: "writer alive on this host", pid: func(*testing.T) int { return os.Getpid() }, status: StatusRunning},
		{name: "writer dead on this host", pid: exitedPID, status: StatusFailed},
		{name: "writer's PID reused on this host", pid: func(t *testing.T) int { return reusedPID(t) }, start: "another-boot:1", status: StatusFailed},
		{name: "writer on another host", pid: exitedPID, host: "elsewhere.invalid", status: StatusRunning},
		{name: "no writer recorded", pid: func(*testing.T) int { return 0 }, status: StatusRunning},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "copy.duckdb")
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			id := storeRun(t, s, newSynthRun(1, 40), "caught mid-run")
			host := c.host
			if host == "" {
				host = thisHost()
			}
			var pid any = c.pid(t)
			if pid == 0 {
				pid = nil
			}
			if _, err := s.DB().Exec(`UPDATE runs SET status = 'running', error = NULL, finished_at = NULL, wall_s = NULL,
				requests_stored = NULL, sessions_stored = NULL, auctions_stored = NULL, windows_stored = NULL,
				writer_pid = ?, writer_host = ?, writer_start = coalesce(?, writer_start) WHERE run_id = ?`, pid, host, nullIfEmpty(c.start), id); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			ro, err := Open(path, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer ro.Close()
			d, err := ro.Run(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			interrupted := strings.Contains(d.Run.Error, "interrupted")
			if d.Run.Status != c.status || interrupted != (c.status == StatusFailed) {
				t.Errorf("run: status %q, error %q; want %s", d.Run.Status, d.Run.Error, c.status)
			}
			if got := runIDs(t, ro, RunFilter{Status: c.status}); len(got) != 1 || got[0] != id {
				t.Errorf("runs listed as %s: %v, want %s", c.status, got, id)
			}
			row, err := ro.exportRunsRow(ctx, ro.DB(), id)
			if err != nil {
				t.Fatal(err)
			}
			if rewritten := row != "*"; rewritten != (c.status == StatusFailed) {
				t.Errorf("export's runs row %q: rewritten as failed %v, want %v", row, rewritten, c.status == StatusFailed)
			}
		})
	}
}
