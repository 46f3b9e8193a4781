package data

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// killRequests is the size of each run the checkpoint child stores.
const killRequests = 200

// childCheckpoint stores runs into the store at path until it is killed,
// each in a session of its own: open, store a run (committed to the
// write-ahead log), close (the checkpoint that folds the log into the
// file). It prints "DONE ID" once the run is committed, "CLOSING" just
// before the close and "CLOSED" after it, for the parent to time its kill.
func childCheckpoint(path string) error {
	ctx := context.Background()
	for i := uint64(1); ; i++ {
		s, err := Open(path, Options{})
		if err != nil {
			return err
		}
		w, err := s.BeginRun(ctx, RunInfo{Name: "killed", Seed: i})
		if err != nil {
			return err
		}
		if err := newSynthRun(i, killRequests).play(w, 64, true); err != nil {
			return err
		}
		if err := w.Finish(1); err != nil {
			return err
		}
		fmt.Printf("DONE %s\nCLOSING\n", w.ID())
		if err := s.Close(); err != nil {
			return err
		}
		fmt.Println("CLOSED")
	}
}

// killCycle runs the checkpoint child on path, lets it close the store
// `closes` times, then SIGKILLs it a random time into the next close, at
// most the longest close seen before; it returns the runs the child had
// committed.
func killCycle(t *testing.T, path string, closes int, rng *rand.Rand) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "AIECON_DATA_CHILD=checkpoint", "AIECON_DATA_PATH="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var done []string
	var closing time.Time
	var longest time.Duration
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "DONE "):
			done = append(done, strings.TrimPrefix(line, "DONE "))
		case line == "CLOSING":
			closing = time.Now()
			if closes == 0 {
				time.Sleep(time.Duration(rng.Int64N(int64(longest) + 1)))
				cmd.Process.Signal(syscall.SIGKILL) //nolint:errcheck // it may have exited on an error, which Wait reports
				cmd.Wait()                          //nolint:errcheck // killed: the error says so
				return done
			}
		case line == "CLOSED":
			longest = max(longest, time.Since(closing))
			closes--
		}
	}
	cmd.Wait() //nolint:errcheck // the child never exits on its own: stderr says why
	t.Fatalf("the checkpoint child exited before it was killed: %s", stderr.String())
	return nil
}

// TestRepairAfterARealKill kills a process that writes a store with
// SIGKILL while it closes it (the close's checkpoint rewrites the file in
// place), as scripts/killtest.sh does with aiecon itself, and checks after
// each kill that a read-write Open leaves every run the process had
// committed complete, with all its requests: the in-place repair of a
// torn checkpoint where the kill tore one, the log's replay otherwise.
// TestRepairTornCheckpoint tears blocks on purpose; a real kill tears one
// only when it lands between two pages of a block's write, which is rare
// (killtest.sh: a few in hundreds of kills), so this test says in its log
// how many of its kills tore the file and fails only on a lost run or a
// failed open. AIECON_KILL_CYCLES sets the number of kills (default 6).
func TestRepairAfterARealKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process repeatedly")
	}
	cycles := 6
	if v := os.Getenv("AIECON_KILL_CYCLES"); v != "" {
		if _, err := fmt.Sscan(v, &cycles); err != nil {
			t.Fatalf("AIECON_KILL_CYCLES=%q: %v", v, err)
		}
	}
	path := filepath.Join(t.TempDir(), "killed.duckdb")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	var committed []string
	torn, repaired := 0, 0
	for c := range cycles {
		committed = append(committed, killCycle(t, path, 1+c%2, rng)...)
		before, err := CheckBlocks(path)
		if err != nil {
			t.Fatalf("kill %d: %v", c, err)
		}
		var told *RepairReport
		s, err := Open(path, Options{OnRepair: func(r RepairReport) { told = &r }})
		if err != nil {
			t.Fatalf("kill %d: the read-write open after the kill: %v (the file after the kill: %s)", c, err, before)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if before.Torn() {
			torn++
			if told == nil {
				t.Errorf("kill %d tore the file (%s), and Open reported no repair", c, before)
			}
		}
		if told != nil {
			repaired++
			t.Logf("kill %d: %s", c, told)
		}
		checkAllRuns(t, path, committed, killRequests)
	}
	t.Logf("%d kills during a close: %d tore the checkpoint, %d repaired in place; %d committed runs all complete", cycles, torn, repaired, len(committed))
}
