package data

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMergeSaysWhyARunWasLeftRunning: a run "running" in an input is copied
// as failed, and its error says why as far as its writer tells: a copy of a
// store taken while this process (alive, same start) still wrote the run
// says the run was still running when the input was copied, not that its
// writer stopped; a writer whose PID another process took since, or whose
// host is another, reads as gone or as either.
func TestMergeSaysWhyARunWasLeftRunning(t *testing.T) {
	if _, err := processStart(os.Getpid()); err != nil {
		t.Skipf("/proc does not say when this process started: %v", err)
	}
	host := thisHost()
	tests := []struct {
		name         string
		alter        string // SET clause for the snapshot's run, before the merge
		alive, gone  int
		want, refuse string
	}{
		{name: "a copy of a live store", alive: 1,
			want: "interrupted: still running in %s when that file was copied (its writer (PID %d on %s) is still writing the original), so incomplete here", refuse: "stopped"},
		{name: "a writer whose PID was reused", alter: `writer_start = 'another-boot:1'`, gone: 1,
			want: "interrupted: left running in %s, as its writer (PID %d on %s) stopped before the run finished, so incomplete here", refuse: "copied"},
		{name: "a writer on another host", alter: `writer_host = writer_host || '-elsewhere'`,
			want: "interrupted: still running in %s when it was merged, so incomplete here: either its writer (PID %d on %s-elsewhere) stopped before the run finished, or"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			shard, _ := writeShard(t, dir, "shard", 0, false)
			snap := filepath.Join(dir, "snapshot.duckdb")
			snapshotRunning(t, shard, snap, "shard")
			if tt.alter != "" {
				s, err := Open(snap, Options{})
				if err != nil {
					t.Fatal(err)
				}
				// Open marked the run failed (interrupted): put it back.
				if _, err := s.DB().Exec(`UPDATE runs SET status = 'running', error = NULL, ` + tt.alter + ` WHERE name = 'shard'`); err != nil {
					t.Fatal(err)
				}
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
			}
			out, err := Open(filepath.Join(dir, "out.duckdb"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			st, err := out.Merge(ctx, snap)
			if err != nil {
				t.Fatal(err)
			}
			if st.Interrupted != 1 || st.InterruptedAlive != tt.alive || st.InterruptedGone != tt.gone {
				t.Errorf("interrupted %d, alive %d, gone %d; want 1, %d, %d", st.Interrupted, st.InterruptedAlive, st.InterruptedGone, tt.alive, tt.gone)
			}
			var status, msg string
			if err := out.DB().QueryRow(`SELECT status, error FROM runs WHERE name = 'shard'`).Scan(&status, &msg); err != nil {
				t.Fatal(err)
			}
			want := fmt.Sprintf(tt.want, snap, os.Getpid(), host)
			if status != StatusFailed || !strings.HasPrefix(msg, want) || tt.refuse != "" && strings.Contains(msg, tt.refuse) {
				t.Errorf("copied as %s, %q;\nwant failed, %q... (without %q)", status, msg, want, tt.refuse)
			}
		})
	}
}
