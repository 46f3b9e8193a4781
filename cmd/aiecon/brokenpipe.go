package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"aiecon/model"
)

// pipeSignal, SIGPIPE, is a stop: a write to a closed stdout or stderr
// (aiecon run | head -1) stops the command cleanly. Go's default for
// SIGPIPE on those two is to end the process there, skipping every
// deferred call: the store was left open, its log PATH.wal beside it, and
// the next command warned of a writer that stopped without closing the
// store, though the run had been stored whole. While SIGPIPE is caught
// the write fails with EPIPE instead, and the first one, before any stop
// signal, cancels the command's context as a first Ctrl-C does
// (stopWatch): the command stops as soon as it can, closes (checkpoints)
// the store and removes a --no-store scratch store, and Main then exits
// 141, the code of a process SIGPIPE ended, as `yes | head -1` leaves it:
// a shell's pipefail, or a script reading PIPESTATUS, sees the same code
// as before, and as from other Unix tools, whose output a reader also cut
// short. A SIGPIPE from a pipe named as an output file stops the command
// the same way, as it ends a C program; aiecon opens no pipe of its own
// to write to.
//
// The first stop decides: a Ctrl-C before the pipe broke (in a terminal
// it ends head too, and the next write fails) is an interrupted command,
// exit 1, saying so, as a Ctrl-C without a pipe is.
var pipeSignal os.Signal = syscall.SIGPIPE

// signalSource subscribes channels to signals. Main takes the process's
// (os/signal); a test gives its own, so that the Mains it runs side by
// side hear only the signals meant for them: a SIGPIPE is the process's,
// and one Main's broken pipe stopped every other Main subscribed.
type signalSource interface {
	Notify(c chan<- os.Signal, sig ...os.Signal)
	Stop(c chan<- os.Signal)
}

// processSignals is the process's signals, through os/signal.
type processSignals struct{}

func (processSignals) Notify(c chan<- os.Signal, sig ...os.Signal) { signal.Notify(c, sig...) }
func (processSignals) Stop(c chan<- os.Signal)                     { signal.Stop(c) }

// watchStops subscribes w to the stop signals and SIGPIPE on one channel,
// which keeps their order, and handles them until settle is called.
func watchStops(src signalSource, w *stopWatch) (settle func() (release func())) {
	sigs := make(chan os.Signal, 8)
	watched := append(stopSignals[:len(stopSignals):len(stopSignals)], pipeSignal)
	src.Notify(sigs, watched...)
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		w.watch(sigs, done)
	}()
	return func() func() {
		// The signals stay caught, on a channel no one reads, while Main
		// says the error: on a closed stderr the message is lost, and the
		// process is not killed saying it (nor by a late Ctrl-C).
		keep := make(chan os.Signal, 1)
		src.Notify(keep, watched...)
		// The signal of a write that failed comes to the channel
		// asynchronously: Stop returns once every signal raised before
		// it was delivered, and the watcher handles what is left on the
		// channel before it returns.
		src.Stop(sigs)
		close(done)
		<-exited
		return func() { src.Stop(keep) }
	}
}

// pipeExplains says that err is what the broken pipe's stop made of the
// command (its context cancelled by the watcher, or a write that failed
// on the pipe): nothing the user needs told, on a stderr that may be the
// closed pipe itself. Another error (a sweep that stopped with runs left
// to resume) is still said.
func (w *stopWatch) pipeExplains(err error) bool {
	return w.first == pipeSignal && (errors.Is(err, syscall.EPIPE) || errors.Is(err, context.Canceled))
}

// blame makes err, of a command a stop signal stopped before its output's
// pipe broke, say that it was interrupted: the output was cut short by
// the signal, which ended the pipe's reader too, and the command may
// have returned no error (it ignores failed writes) or only the failed
// write's, and exited 141 or 1 without "interrupted".
func (w *stopWatch) blame(err error) error {
	if w.first == nil || w.first == pipeSignal || !w.piped || errors.Is(err, context.Canceled) {
		return err
	}
	if err == nil {
		return fmt.Errorf("%w (%s) while writing its output, which is incomplete: the pipe's reader stopped too", model.ErrInterrupted, w.first)
	}
	if errors.Is(err, syscall.EPIPE) {
		return fmt.Errorf("%w (%s) while writing its output, which is incomplete: %w", model.ErrInterrupted, w.first, err)
	}
	return err
}
