package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// useScratchStore points e at a store in a new temporary folder, for a
// command given --no-store that reads its own runs back from a store
// (sweep's summary, optimize's search): they run as stored, into a store
// no one keeps. The returned cleanup removes the folder and points e back
// at its store; the caller defers it, so that it runs on an error and on
// the stop a first Ctrl-C or SIGTERM asks for, and a forced exit (a
// second signal) runs it too (atForcedExit); a write to a closed stdout
// stops the command as a first signal does (pipeSignal), so the deferred
// cleanup runs. Only a kill -KILL leaves the folder behind, in the
// system's temporary folder, named for the command.
func useScratchStore(e *env, command string) (cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "aiecon-"+command+"-no-store-")
	if err != nil {
		return nil, fmt.Errorf("--no-store: making a temporary folder for the runs: %w", err)
	}
	kept := e.dbPath
	e.dbPath, e.noStore = filepath.Join(dir, "scratch.duckdb"), true
	remove := atForcedExit(func() { os.RemoveAll(dir) })
	return func() {
		remove()
		os.RemoveAll(dir)
		e.dbPath, e.noStore = kept, false
	}, nil
}

// storeIn says where a command's runs are: "in PATH", or that they are
// not stored (--no-store).
func storeIn(e *env) string {
	if e.noStore {
		return "not stored (--no-store)"
	}
	return "in " + e.dbPath
}

// forcedExit holds what must run before a forced exit (stopWatch), which
// skips the deferred calls.
var forcedExit struct {
	sync.Mutex
	next  int
	hooks map[int]func()
}

// atForcedExit runs fn before a forced exit, until remove is called.
func atForcedExit(fn func()) (remove func()) {
	forcedExit.Lock()
	defer forcedExit.Unlock()
	if forcedExit.hooks == nil {
		forcedExit.hooks = map[int]func(){}
	}
	id := forcedExit.next
	forcedExit.next++
	forcedExit.hooks[id] = fn
	return func() {
		forcedExit.Lock()
		defer forcedExit.Unlock()
		delete(forcedExit.hooks, id)
	}
}

// runForcedExitHooks runs what atForcedExit registered.
func runForcedExitHooks() {
	forcedExit.Lock()
	defer forcedExit.Unlock()
	for _, fn := range forcedExit.hooks {
		fn()
	}
}
