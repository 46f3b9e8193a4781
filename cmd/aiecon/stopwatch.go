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
//
// SIGPIPE, a write to a pipe whose reader is gone, comes on the same
// channel (pipeSignal says why it is caught), so that the order in which
// the process received the two is the order in which they are handled,
// and the first decides how the command ends (Main): a Ctrl-C that cut a
// pipeline short (head dies of it too, and the next write fails) was
// taken for a pipe stop, and exited 141 without a word.
type stopWatch struct {
	grace  time.Duration
	now    func() time.Time
	cancel context.CancelFunc
	busy   func() bool // data.Writing
	exit   func(code int)
	stderr io.Writer

	// Written by the goroutine that runs watch, read once it has
	// returned (settle).
	first  os.Signal // the stop that came first: a stop signal or SIGPIPE (nil before)
	since  time.Time // when the stop request that grace is counted from came
	piped  bool      // a SIGPIPE came: the reader of stdout or stderr is gone
	warned bool      // a stop signal after a pipe stop was told the command is stopping
}

// watch handles the signals on sigs until done is closed (Main returned,
// the signals stopped) or sigs is; signals already on sigs are handled
// then too, as they came before the stop.
func (w *stopWatch) watch(sigs <-chan os.Signal, done <-chan struct{}) {
	for {
		select {
		case sig, ok := <-sigs:
			if !ok || w.handle(sig) {
				return
			}
		case <-done:
			for {
				select {
				case sig := <-sigs:
					if w.handle(sig) {
						return
					}
				default:
					return
				}
			}
		}
	}
}

// handle acts on one signal. It reports whether it ended the process.
func (w *stopWatch) handle(sig os.Signal) (exited bool) {
	at := w.now()
	if sig == pipeSignal {
		// Each failed write raises one: only the first, before any
		// other stop, stops the command.
		w.piped = true
		if w.first == nil {
			w.first, w.since = sig, at
			w.cancel()
		}
		return false
	}
	switch {
	case w.first == nil:
		w.first, w.since = sig, at
		w.cancel()
	case w.first == pipeSignal && !w.warned:
		// The command was already stopping, silently: a user who sees
		// nothing happen presses Ctrl-C again, and the second one would
		// have killed it. This one is the request, as a first is.
		w.warned, w.since = true, at
		fmt.Fprintf(w.stderr, "aiecon: %s: already stopping, as the reader of its output closed the pipe; it stops as soon as it can "+
			"(%s again exits at once, without waiting for it to stop cleanly)\n", sig, sig)
	case at.Sub(w.since) < w.grace:
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
