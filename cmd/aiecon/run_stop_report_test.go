package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// observedSignals is a fakeSignals that says when the command's stop was
// made (stopObserver), so that a test waits for it instead of sleeping.
type observedSignals struct {
	fakeSignals
	once    sync.Once
	stopped chan struct{}
}

func (o *observedSignals) Stopped() { o.once.Do(func() { close(o.stopped) }) }

// stopAtFirstWrite is a stdout that raises a stop signal at its first
// write (the run's report begins) and waits until the command has
// stopped before it takes the write: a Ctrl-C while the report prints.
type stopAtFirstWrite struct {
	src  *observedSignals
	once sync.Once
	buf  bytes.Buffer
}

func (w *stopAtFirstWrite) Write(p []byte) (int, error) {
	w.once.Do(func() {
		w.src.raise(os.Interrupt)
		<-w.src.stopped
	})
	return w.buf.Write(p)
}

// TestRunStoppedWhileItsReportPrints: a Ctrl-C that comes once the run is
// simulated and stored, while its report prints, exits 1 as any stopped
// command does (README: a Ctrl-C exits 1 saying the command was
// interrupted), not 0: a job manager that sent SIGTERM must learn that its
// stop was heard. The report is whole, the message says the run is
// complete and how to see its warnings, and the store holds the run as
// complete.
//
// Not parallel: its stop, like a real signal, ends every parse in the
// process (model.StopOn), and a parallel test reading its scenario then
// failed "interrupted (a stop signal came)" (CI, stop 51).
func TestRunStoppedWhileItsReportPrints(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.duckdb")
	src := &observedSignals{stopped: make(chan struct{})}
	out := &stopAtFirstWrite{src: src}
	var stderr bytes.Buffer
	code := mainOn(src, []string{"--db", db, "run", "baseline", "--horizon", "10s"}, strings.NewReader(""), out, &stderr)
	if code != exitFailure {
		t.Fatalf("exit %d, want %d\nstderr: %s", code, exitFailure, stderr.String())
	}
	const want = "aiecon: interrupted while the report printed; the run is complete, but its warnings may not be: aiecon show "
	if !strings.HasPrefix(stderr.String(), want) {
		t.Errorf("stderr %q; want it to begin %q", stderr.String(), want)
	}
	if !strings.Contains(out.buf.String(), "Llama-3.3-70B") {
		t.Errorf("the report is not whole:\n%s", out.buf.String())
	}
	code, runs, errs := cli(t, db, "", "runs")
	if code != 0 || !strings.Contains(runs, " complete ") {
		t.Errorf("aiecon runs: exit %d, stderr %q; want the run complete:\n%s", code, errs, runs)
	}
}
