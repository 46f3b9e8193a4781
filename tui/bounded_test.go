package tui

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The sessions' waits are bounded: a dashboard that stops taking keys, or
// a store that does not close, fails the test saying what blocks rather
// than hold it until go test's timeout.

// sendWait bounds a key sent to the dashboard, which waits for Update to
// take it; closeWait bounds app.Close, which waits for the queries in
// flight (interrupted) and for the store's lock.
const (
	sendWait  = 10 * time.Second
	closeWait = 30 * time.Second
)

// within runs f and waits at most d for it. If it has not returned, the
// error gives every goroutine's stack, which says what blocks, so that the
// test fails saying so rather than run into go test's timeout; f is left
// running.
func within(d time.Duration, what string, f func()) error {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		return nil
	case <-time.After(d):
		return fmt.Errorf("%s did not return within %s; the goroutines:\n%s", what, d, goroutines())
	}
}

// goroutines is every goroutine's stack but teatest's SIGINT watchers, one
// left by each session the package started.
func goroutines() string {
	buf := make([]byte, 1<<20)
	var keep []string
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if !strings.Contains(g, "teatest/v2.NewTestModel.func2") {
			keep = append(keep, g)
		}
	}
	return strings.Join(keep, "\n\n")
}

// wedged names the stores a session could not close: a later session on
// one fails at once instead of blocking on it test after test.
var wedged = struct {
	sync.Mutex
	why map[string]string
}{why: map[string]string{}}

func markWedged(path, why string) {
	wedged.Lock()
	defer wedged.Unlock()
	wedged.why[path] = why
}

// endSession quits a session's dashboard, then closes its app, each
// within its bound. A store left unable to close either way is marked
// wedged: a dashboard that does not quit is not closed (its queries may
// still run), so its store is held as surely as one whose close blocks.
func endSession(report func(error), path string, quit, closeApp func(), quitWait, closeWait time.Duration) {
	if err := within(quitWait, "quitting the dashboard", quit); err != nil {
		report(err)
		markWedged(path, fmt.Sprintf("quitting the dashboard did not return within %s, so its app was never closed", quitWait))
		return
	}
	if err := within(closeWait, "app.Close", closeApp); err != nil {
		report(err)
		markWedged(path, fmt.Sprintf("app.Close did not return within %s", closeWait))
	}
}

func wedgedStore(path string) string {
	wedged.Lock()
	defer wedged.Unlock()
	return wedged.why[path]
}

// TestWithinSaysWhatBlocks: a session's send and close fail with what
// blocks once their time is up, rather than wait for go test's timeout
// (TestScreens hung there, its app.Close blocked behind a store open that
// never returned).
func TestWithinSaysWhatBlocks(t *testing.T) {
	if err := within(time.Second, "a call that returns", func() {}); err != nil {
		t.Errorf("a call that returned at once: %v", err)
	}
	block := make(chan struct{})
	defer close(block)
	err := within(50*time.Millisecond, "the blocked call", func() { <-block })
	if err == nil {
		t.Fatal("within returned no error for a call that blocks")
	}
	for _, want := range []string{"the blocked call did not return within 50ms", "TestWithinSaysWhatBlocks"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q:\n%.2000s", want, err)
		}
	}
}

// TestEndSessionMarksAWedgedStore: a session whose dashboard did not quit
// left its store unmarked, so each later session on it waited out its own
// bounds instead of failing at once; one whose app.Close blocked was
// marked. Both are now, and the close is not tried after a failed quit.
func TestEndSessionMarksAWedgedStore(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	for _, tt := range []struct {
		name, path  string
		quit, close func()
		want        string
	}{
		{"quit blocks", "/nonexistent/quit-blocks.duckdb", func() { <-block }, nil, "quitting the dashboard did not return within 50ms"},
		{"close blocks", "/nonexistent/close-blocks.duckdb", func() {}, func() { <-block }, "app.Close did not return within 50ms"},
		{"both return", "/nonexistent/clean.duckdb", func() {}, func() {}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			closeApp := tt.close
			if closeApp == nil {
				closeApp = func() { t.Error("app.Close was tried after the dashboard did not quit") }
			}
			var reported []error
			endSession(func(err error) { reported = append(reported, err) }, tt.path, tt.quit, closeApp, 50*time.Millisecond, 50*time.Millisecond)
			defer markWedged(tt.path, "") // leave no mark for other tests
			why := wedgedStore(tt.path)
			if tt.want == "" {
				if why != "" || len(reported) != 0 {
					t.Errorf("a clean end marked the store %q and reported %v", why, reported)
				}
				return
			}
			if !strings.Contains(why, tt.want) {
				t.Errorf("the store is marked %q, want it to say %q", why, tt.want)
			}
			if len(reported) != 1 {
				t.Errorf("reported %d errors, want 1", len(reported))
			}
		})
	}
}
