package data

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// Which process wrote a run: runs.writer_pid and writer_host name it, and
// runs.writer_start which start of that PID it was, so that a PID the
// system gave to another process after the writer exited is not taken for
// the writer (a run read as running for ever, a merge calling a dead
// shard's run "still being written").

// procRoot is where the kernel's process table is read: /proc, or a fake
// one a test builds.
var procRoot = "/proc"

// processStart names one start of process pid on this host, as
// "BOOT_ID:TICKS": the boot id (/proc/sys/kernel/random/boot_id) and the
// start time in clock ticks since that boot (/proc/PID/stat, field 22).
// The start time alone repeats across boots; with the boot id it does not.
// It fails where /proc does not say (not Linux, no such process).
func processStart(pid int) (string, error) {
	boot, err := os.ReadFile(filepath.Join(procRoot, "sys", "kernel", "random", "boot_id"))
	if err != nil {
		return "", fmt.Errorf("reading the boot id: %w", err)
	}
	stat, err := os.ReadFile(filepath.Join(procRoot, strconv.Itoa(pid), "stat"))
	if err != nil {
		return "", fmt.Errorf("reading the start time of process %d: %w", pid, err)
	}
	// Field 2 is the command name in parentheses, which may itself hold
	// spaces and parentheses: the fields after it follow the last ')'.
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return "", fmt.Errorf("reading the start time of process %d: %s has no command name", pid, filepath.Join(procRoot, strconv.Itoa(pid), "stat"))
	}
	fields := strings.Fields(string(stat[end+1:]))
	const startField = 22 - 3 // fields[0] is field 3 (the state)
	if len(fields) <= startField {
		return "", fmt.Errorf("reading the start time of process %d: %d fields after the command name, want more than %d", pid, len(fields), startField)
	}
	ticks := fields[startField]
	if _, err := strconv.ParseUint(ticks, 10, 64); err != nil {
		return "", fmt.Errorf("reading the start time of process %d: field 22 %q is not a count of ticks", pid, ticks)
	}
	id := strings.TrimSpace(string(boot))
	if id == "" {
		return "", errors.New("reading the boot id: it is empty")
	}
	return id + ":" + ticks, nil
}

// ownStart is this process's start (processStart), read once; "" where
// /proc does not say, and runs are then stored with writer_start NULL.
var ownStart = sync.OnceValue(func() string {
	s, _ := processStart(os.Getpid())
	return s
})

// writerStatus is what can be known of a run's writer from this host.
type writerStatus int

const (
	// writerUnknown: it may be alive, on another host, with no PID or
	// start recorded, or one that neither signal 0 nor /proc settles.
	writerUnknown writerStatus = iota
	// writerAlive: the process that wrote the run is running here now.
	writerAlive
	// writerDead: it exited: no process has its PID, or the one that has
	// it started at another time (the PID was reused).
	writerDead
)

// writerState says whether the process pid on host, which started as
// start (processStart; "" when not recorded), is alive. Only a process of
// this host can be known; without a recorded start, a live process with
// the PID may be another that reused it, so it may be alive, no more.
func writerState(pid int, host, start string) writerStatus {
	if pid <= 0 || host == "" || host != thisHost() {
		return writerUnknown
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return writerUnknown
	}
	if errors.Is(p.Signal(syscall.Signal(0)), os.ErrProcessDone) {
		return writerDead
	}
	if start == "" {
		return writerUnknown
	}
	now, err := processStart(pid)
	switch {
	case err != nil:
		return writerUnknown
	case now != start:
		return writerDead
	}
	return writerAlive
}

// writerGone reports whether the writer of a run is known to have exited
// (writerState). A writer that may be alive keeps its run "running" for
// read-only commands until the next read-write open marks it failed,
// which says no more than is known.
func writerGone(pid int, host, start string) bool {
	return writerState(pid, host, start) == writerDead
}
