package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

// stopGrace is how long after the first stop signal a further one is the
// same request delivered again, not a second one. GNU timeout sends its
// signal to aiecon and then to its own process group, aiecon included,
// and `kill -INT -PGID` after a kill of the process does the same: the two
// come microseconds apart, milliseconds on a loaded machine. Two seconds
// is far beyond that, and still shorter than a person takes to see that
// the first Ctrl-C did not stop the command and press it again.
const stopGrace = 2 * time.Second

// stopWatch turns stop signals into the command's stop: the first cancels
// its context, so it stops cleanly (a run kept as failed, a sweep ready to
// resume). Another within grace of the first is the same request. A later
// one is the user insisting: it ends the process at once, saying so
// first, unless a store file is being written (busy), which a kill could
// tear (a checkpoint half folded in): that one is refused, saying why.
// Once the first had come the signals' default action used to be back, so
// timeout's second copy killed aiecon mid-commit, silently, rc 130.
type stopWatch struct {
	grace  time.Duration
	now    func() time.Time
	cancel context.CancelFunc
	busy   func() bool // data.Writing
	exit   func(code int)
	stderr io.Writer
}

// watch handles the signals on sigs until done is closed (Main returned)
// or sigs is.
func (w *stopWatch) watch(sigs <-chan os.Signal, done <-chan struct{}) {
	var first time.Time
	for {
		select {
		case <-done:
			return
		case sig, ok := <-sigs:
			if !ok || w.handle(sig, &first) {
				return
			}
		}
	}
}

// handle acts on one stop signal; first is when the first came (zero
// before it). It reports whether it ended the process.
func (w *stopWatch) handle(sig os.Signal, first *time.Time) (exited bool) {
	switch {
	case first.IsZero():
		*first = w.now()
		w.cancel()
	case w.now().Sub(*first) < w.grace:
		// The same stop, delivered twice (GNU timeout, a process group).
	case w.busy():
		fmt.Fprintf(w.stderr, "aiecon: %s again: not exiting at once, because the store is open for writing and a kill during its commit or "+
			"checkpoint could tear it; the command stops as soon as it can (kill -KILL %d ends it now, at that risk)\n", sig, os.Getpid())
	default:
		fmt.Fprintf(w.stderr, "aiecon: %s again: exiting at once, without waiting for the command to stop cleanly\n", sig)
		runForcedExitHooks() // a --no-store scratch store's folder
		w.exit(signalExitCode(sig))
		return true
	}
	return false
}

// signalExitCode is the shell's code for a process a signal ended
// (128 + its number: 130 for SIGINT), which a forced exit used to be.
func signalExitCode(sig os.Signal) int {
	if n, ok := sig.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return exitFailure
}
