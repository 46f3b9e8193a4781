package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// brokenPipe turns a write to a closed stdout or stderr (aiecon run |
// head -1) into a clean stop. Go's default for SIGPIPE on those two is to
// end the process there, skipping every deferred call: the store was left
// open, its log PATH.wal beside it, and the next command warned of a
// writer that stopped without closing the store, though the run had been
// stored whole. While SIGPIPE is caught the write fails with EPIPE
// instead, and the first one cancels the command's context as a first
// Ctrl-C does: the command stops as soon as it can, closes (checkpoints)
// the store and removes a --no-store scratch store, and Main then exits
// 141, the code of a process SIGPIPE ended, as `yes | head -1` leaves
// it: a shell's pipefail, or a script reading PIPESTATUS, sees the same
// code as before, and as from other Unix tools, whose output a reader
// also cut short. A SIGPIPE from a pipe named as an output file stops the
// command the same way, as it ends a C program; aiecon opens no pipe of
// its own to write to.
type brokenPipe struct {
	sigs   chan os.Signal
	done   chan struct{} // closed by stop: the watcher returns
	exited chan struct{} // closed by the watcher as it returns
	seen   atomic.Bool
}

// watchBrokenPipe catches SIGPIPE, calling cancel at the first, until
// stop is called.
func watchBrokenPipe(cancel context.CancelFunc) *brokenPipe {
	b := &brokenPipe{sigs: make(chan os.Signal, 1), done: make(chan struct{}), exited: make(chan struct{})}
	signal.Notify(b.sigs, syscall.SIGPIPE)
	go func() {
		defer close(b.exited)
		select {
		case <-b.sigs:
			b.seen.Store(true)
			cancel()
		case <-b.done:
		}
	}()
	return b
}

// stop ends the watch and reports whether a SIGPIPE came. The signal of
// a write that failed comes to the channel asynchronously: signal.Stop
// returns once every signal raised before it was delivered, and one the
// watcher had no time to take is still in the channel.
func (b *brokenPipe) stop() (broken bool) {
	signal.Stop(b.sigs)
	close(b.done)
	<-b.exited
	return b.seen.Load() || len(b.sigs) > 0
}

// explains says that err is what the broken pipe's stop made of the
// command (its context cancelled by the watcher, or a write that failed
// on the pipe): nothing the user needs told, on a stderr that may be the
// closed pipe itself. The watcher marks the pipe seen before it cancels,
// so a cancel that a Ctrl-C made is not taken for one. Another error (a
// sweep that stopped with runs left to resume) is still said.
func (b *brokenPipe) explains(err error) bool {
	return errors.Is(err, syscall.EPIPE) || (errors.Is(err, context.Canceled) && b.seen.Load())
}
