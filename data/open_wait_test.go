package data

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// waitingOpen starts a read-write Open of path, which another process
// holds, in the background with the given LockWait, and returns once it
// is waiting for the file; its result arrives on the channel.
func waitingOpen(t *testing.T, path string, wait time.Duration) <-chan error {
	t.Helper()
	waiting := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		s, err := Open(path, Options{LockWait: wait, OnLockWait: func(*LockedError) { close(waiting) }})
		if err == nil {
			err = s.Close()
		}
		done <- err
	}()
	select {
	case <-waiting:
	case err := <-done:
		t.Fatalf("Open of the held store returned before it waited: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("Open of the held store did not start waiting within 30 s")
	}
	return done
}

// TestOpenWaitHoldsUpNoOtherStore: while an Open waits for a file that
// another process holds, the stores of other files open, and runs begin
// and end in them, as if it did not: each is done while the Open still
// waits (the holder lets go only after them, and the wait, a minute, is
// far longer than any of them takes), and the waiting Open gets the file
// once the holder lets go. Each was allowed 2 s, a bound a loaded machine
// (the race detector, CI's two cores) could miss with nothing held up;
// one that waited behind the Open would end only with it.
func TestOpenWaitHoldsUpNoOtherStore(t *testing.T) {
	dir := t.TempDir()
	held := filepath.Join(dir, "held.duckdb")
	other, err := Open(filepath.Join(dir, "other.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	_, stdin, _ := startChild(t, "hold", held, "READY")
	done := waitingOpen(t, held, time.Minute)

	tests := []struct {
		name string
		do   func(t *testing.T)
	}{
		{"open and close another file", func(t *testing.T) {
			s, err := Open(filepath.Join(dir, "new.duckdb"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		}},
		{"write a run to another open store", func(t *testing.T) {
			storeRun(t, other, newSynthRun(3, 100), "beside the wait")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			tt.do(t)
			select {
			case err := <-done:
				t.Fatalf("done only once the waiting Open had ended (%v), after %s", err, time.Since(start).Round(time.Millisecond))
			default:
			}
		})
	}

	stdin.Close()
	if err := <-done; err != nil {
		t.Fatalf("the waiting Open, once the holder let go: %v", err)
	}
}

// TestOpenContextStopsWaiting: cancelling its context stops an Open that
// waits for a file, whether another process holds the file or another
// Open in this process is waiting for it (the second waits behind the
// first, LockWait or not: Opens of one file are serialised), and the error
// says why. The first Open is not disturbed: it gets the file once the
// holder lets go.
func TestOpenContextStopsWaiting(t *testing.T) {
	tests := []struct {
		name       string
		behindOpen bool // another Open of the file waits for it first
		lockWait   time.Duration
		wantLocked bool
	}{
		{"another process holds it", false, 30 * time.Second, true},
		{"another Open waits for it", true, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "held.duckdb")
			_, stdin, _ := startChild(t, "hold", path, "READY")
			var first <-chan error
			if tt.behindOpen {
				first = waitingOpen(t, path, 30*time.Second)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			time.AfterFunc(300*time.Millisecond, cancel)
			start := time.Now()
			s, err := OpenContext(ctx, path, Options{LockWait: tt.lockWait})
			took := time.Since(start)
			if err == nil {
				s.Close()
				t.Fatal("OpenContext of a held store succeeded")
			}
			if !errors.Is(err, context.Canceled) || took > 5*time.Second {
				t.Fatalf("OpenContext returned after %s: %v; want context.Canceled within 5 s", took.Round(time.Millisecond), err)
			}
			var le *LockedError
			if errors.As(err, &le) != tt.wantLocked {
				t.Errorf("OpenContext: %v; want a *LockedError in it: %v", err, tt.wantLocked)
			}
			stdin.Close()
			if first != nil {
				if err := <-first; err != nil {
					t.Fatalf("the first Open, once the holder let go: %v", err)
				}
			}
		})
	}
}
