package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/runner"
	"aiecon/sim"
)

// closeAtEnd closes the store as the simulation ends, before the run is
// committed: the commit then fails, as on a full disk.
type closeAtEnd struct {
	sim.MemorySink
	store *data.Store
}

func (c *closeAtEnd) End(sim.Summary) error { c.store.Close(); return nil }

// TestRunReportsWhenStoringFails: `run` whose final commit failed (on a
// full disk) printed no report at all, so the simulation's results were
// lost with the store. The report is printed, without a run id, and the
// error says the store does not hold the run.
func TestRunReportsWhenStoringFails(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	path := filepath.Join(t.TempDir(), "s.duckdb")
	store, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	l, err := runner.Load("inferentia-small", []string{"horizon=2m"})
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, dbPath: path, quiet: true}
	opts := runner.Options{Store: store, Version: "test", Tee: &closeAtEnd{store: store}}
	rep, err := runVariant(context.Background(), e, l, 0, 1, runFlags{}, opts, defaultReportWidth)
	if err == nil || !strings.Contains(err.Error(), "the results printed are the simulation's; the store does not hold the run as complete") {
		t.Errorf("error: %v", err)
	}
	if rep == nil || rep.runID != "" {
		t.Fatalf("report: %+v", rep)
	}
	if out := stdout.String(); !strings.Contains(out, "simulated 2m in") || strings.Contains(out, "stored as run") || !strings.Contains(out, "\nFLEET\n") {
		t.Errorf("stdout:\n%s", out)
	}
}

// TestWriterOptionsWarn: the commands that write print the store's
// warnings (a checkpoint that failed as it closed) on stderr.
func TestWriterOptionsWarn(t *testing.T) {
	var stderr bytes.Buffer
	opts := writerOptions(&env{stderr: &stderr})
	if opts.OnWarning == nil {
		t.Fatal("no OnWarning")
	}
	opts.OnWarning(&data.CheckpointError{Path: "s.duckdb", Log: "/d/s.duckdb.wal", Err: errors.New("No space left on device")})
	if !strings.HasPrefix(stderr.String(), "aiecon: warning: the store s.duckdb: its checkpoint on closing failed (No space left on device)") {
		t.Errorf("stderr: %q", stderr.String())
	}
}
