package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"aiecon/model"
)

// fakeSignals is a signalSource of a test's own: raise delivers a signal
// to the channels subscribed to it here alone, as the process's would,
// so that Mains run side by side hear only their own.
type fakeSignals struct {
	mu   sync.Mutex
	subs map[chan<- os.Signal][]os.Signal
}

func (f *fakeSignals) Notify(c chan<- os.Signal, sig ...os.Signal) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.subs == nil {
		f.subs = map[chan<- os.Signal][]os.Signal{}
	}
	f.subs[c] = append(f.subs[c], sig...)
}

func (f *fakeSignals) Stop(c chan<- os.Signal) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.subs, c)
}

// raise delivers sig, dropping it where a channel is full, as os/signal does.
func (f *fakeSignals) raise(sig os.Signal) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c, sigs := range f.subs {
		if slices.Contains(sigs, sig) {
			select {
			case c <- sig:
			default:
			}
		}
	}
}

// subscribed is how many channels are subscribed.
func (f *fakeSignals) subscribed() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

// cutPipe is a stdout whose reader goes away at the first write: the
// signals in before come first (a Ctrl-C that ended the reader too),
// then the write fails as one to a closed pipe does, raising SIGPIPE, and
// the signals in after come (a Ctrl-C once the command was stopping).
type cutPipe struct {
	src           *fakeSignals
	before, after []os.Signal
	once          sync.Once
}

func (p *cutPipe) Write([]byte) (int, error) {
	p.once.Do(func() {
		for _, s := range p.before {
			p.src.raise(s)
		}
		p.src.raise(syscall.SIGPIPE)
		for _, s := range p.after {
			p.src.raise(s)
		}
	})
	return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}
}

// TestFirstOfSignalAndPipeDecides: the first of a stop signal and a broken pipe
// decides how the command ends. A Ctrl-C that ended the pipe's reader too
// exited 141 in silence, as if the reader had read enough; a Ctrl-C once a
// broken pipe was stopping the command said nothing. Each Main hears its
// own signals (fakeSignals), so the cases run side by side.
func TestFirstOfSignalAndPipeDecides(t *testing.T) {
	cases := []struct {
		name          string
		before, after []os.Signal
		code          int
		say           string // stderr ("" for nothing)
	}{
		{"the reader read enough", nil, nil, 141, ""},
		{"Ctrl-C ended the reader", []os.Signal{os.Interrupt}, nil, exitFailure,
			"aiecon: interrupted (interrupt) while writing its output, which is incomplete: the pipe's reader stopped too\n"},
		{"SIGTERM ended the reader", []os.Signal{syscall.SIGTERM}, nil, exitFailure,
			"aiecon: interrupted (terminated) while writing its output, which is incomplete: the pipe's reader stopped too\n"},
		{"Ctrl-C after the pipe broke", nil, []os.Signal{os.Interrupt}, 141,
			"aiecon: interrupt: already stopping, as the reader of its output closed the pipe; it stops as soon as it can " +
				"(interrupt again exits at once, without waiting for it to stop cleanly)\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			src := &fakeSignals{}
			var stderr bytes.Buffer
			code := mainOn(src, []string{"--help"}, strings.NewReader(""), &cutPipe{src: src, before: c.before, after: c.after}, &stderr)
			if code != c.code || stderr.String() != c.say {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr.String(), c.code, c.say)
			}
			if n := src.subscribed(); n != 0 {
				t.Errorf("%d channels still subscribed after Main returned", n)
			}
		})
	}
}

// TestSignalBeforePipeSaysInterrupted: what a command a stop signal stopped before its pipe
// broke returns is made to say it was interrupted, and only then.
func TestSignalBeforePipeSaysInterrupted(t *testing.T) {
	epipe := fmt.Errorf("writing the table: %w", &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE})
	other := errors.New("sweep x: 3 runs left to resume")
	cases := []struct {
		name  string
		first os.Signal
		piped bool
		err   error
		want  string // "" for nil
	}{
		{"no stop", nil, false, nil, ""},
		{"no stop, an error", nil, false, other, other.Error()},
		{"a broken pipe", syscall.SIGPIPE, true, epipe, epipe.Error()},
		{"Ctrl-C, the pipe whole", os.Interrupt, false, nil, ""},
		{"Ctrl-C, the command's own word", os.Interrupt, true, fmt.Errorf("run x: %w", model.ErrInterrupted), "run x: interrupted"},
		{"Ctrl-C, then the pipe broke, no error", os.Interrupt, true, nil,
			"interrupted (interrupt) while writing its output, which is incomplete: the pipe's reader stopped too"},
		{"Ctrl-C, then the write failed", os.Interrupt, true, epipe,
			"interrupted (interrupt) while writing its output, which is incomplete: writing the table: write /dev/stdout: broken pipe"},
		{"Ctrl-C, then another error", os.Interrupt, true, other, other.Error()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := &stopWatch{first: c.first, piped: c.piped}
			got := w.blame(c.err)
			if (got == nil) != (c.want == "") || got != nil && got.Error() != c.want {
				t.Fatalf("%v, want %q", got, c.want)
			}
			if c.want != "" && strings.HasPrefix(c.want, "interrupted") && !errors.Is(got, context.Canceled) {
				t.Errorf("%v: not context.Canceled to errors.Is, which exits 1", got)
			}
		})
	}
}
