package main

import (
	"bytes"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStopWatch: stop signals within the grace of the first are the same
// request (GNU timeout signals aiecon and then its process group), and a
// later one, the user insisting, never kills the process while a store is
// being written; otherwise it exits at once, saying so first. The old
// handling put the signals' default action back after the first, so
// timeout's second copy killed aiecon mid-commit with nothing on stderr.
func TestStopWatch(t *testing.T) {
	type event struct {
		sig  os.Signal
		at   time.Duration // after the first
		busy bool          // a store is being written
	}
	cases := []struct {
		name     string
		events   []event
		exitCode int    // 0: no exit
		say      string // on stderr ("" = nothing)
	}{
		{"one Ctrl-C", []event{{os.Interrupt, 0, false}}, 0, ""},
		{"timeout's two copies", []event{{os.Interrupt, 0, false}, {os.Interrupt, time.Millisecond, false}}, 0, ""},
		{"two copies during a commit", []event{{os.Interrupt, 0, true}, {os.Interrupt, time.Millisecond, true}}, 0, ""},
		{"a loaded machine's copies", []event{{syscall.SIGTERM, 0, false}, {syscall.SIGTERM, stopGrace - time.Millisecond, false}}, 0, ""},
		{"a later Ctrl-C", []event{{os.Interrupt, 0, false}, {os.Interrupt, 3 * time.Second, false}}, 130,
			"aiecon: interrupt again: exiting at once, without waiting for the command to stop cleanly\n"},
		{"a later SIGTERM", []event{{syscall.SIGTERM, 0, false}, {syscall.SIGTERM, stopGrace, false}}, 143,
			"aiecon: terminated again: exiting at once"},
		{"a later Ctrl-C during a commit", []event{{os.Interrupt, 0, false}, {os.Interrupt, 3 * time.Second, true}}, 0,
			"aiecon: interrupt again: not exiting at once, because the store is open for writing"},
		{"and once it is written", []event{{os.Interrupt, 0, false}, {os.Interrupt, 3 * time.Second, true}, {os.Interrupt, 4 * time.Second, false}}, 130,
			"exiting at once"},
		// A closed pipe (SIGPIPE) is a stop as well; the first stop
		// decides how the command ends (stopWatch.first), the later
		// ones say what they would have done.
		{"a broken pipe", []event{{syscall.SIGPIPE, 0, false}, {syscall.SIGPIPE, time.Second, false}}, 0, ""},
		{"Ctrl-C, then the pipe breaks", []event{{os.Interrupt, 0, false}, {syscall.SIGPIPE, time.Millisecond, false},
			{syscall.SIGPIPE, 3 * time.Second, false}}, 0, ""},
		{"Ctrl-C after a pipe stop", []event{{syscall.SIGPIPE, 0, false}, {os.Interrupt, 3 * time.Second, false}}, 0,
			"aiecon: interrupt: already stopping, as the reader of its output closed the pipe"},
		{"Ctrl-C within the grace of a pipe stop", []event{{syscall.SIGPIPE, 0, false}, {os.Interrupt, time.Millisecond, false}}, 0,
			"aiecon: interrupt: already stopping"},
		{"and timeout's copy of it", []event{{syscall.SIGPIPE, 0, false}, {os.Interrupt, 3 * time.Second, false},
			{os.Interrupt, 3*time.Second + time.Millisecond, false}}, 0, "already stopping"},
		{"and Ctrl-C again", []event{{syscall.SIGPIPE, 0, false}, {os.Interrupt, 3 * time.Second, false},
			{os.Interrupt, 6 * time.Second, false}}, 130, "exiting at once"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			i := -1 // the event being handled: handle reads the clock once a signal
			var stderr bytes.Buffer
			cancels, code := 0, 0
			w := &stopWatch{grace: stopGrace, stderr: &stderr,
				now:    func() time.Time { i++; return t0.Add(c.events[i].at) },
				busy:   func() bool { return c.events[i].busy },
				cancel: func() { cancels++ },
				exit:   func(n int) { code = n },
			}
			sigs := make(chan os.Signal, len(c.events))
			for _, e := range c.events {
				sigs <- e.sig
			}
			close(sigs)
			w.watch(sigs, make(chan struct{}))
			if cancels != 1 {
				t.Errorf("the command was cancelled %d times, want once", cancels)
			}
			if w.first != c.events[0].sig {
				t.Errorf("the first stop is %v, want %v", w.first, c.events[0].sig)
			}
			if code != c.exitCode {
				t.Errorf("exit code %d, want %d", code, c.exitCode)
			}
			if got := stderr.String(); (c.say == "") != (got == "") || !strings.Contains(got, c.say) {
				t.Errorf("stderr %q, want it to say %q", got, c.say)
			}
		})
	}
}
