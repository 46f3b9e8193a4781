//go:build unix

package data

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// procLocks is the kernel's table of file locks (Linux); a variable so
// that a test can point it at its own table.
var procLocks = "/proc/locks"

// holderMode says whether process pid holds the file at path to read or to
// write, from the lock DuckDB took on it: a shared (READ) lock for a
// read-only connection, an exclusive one for a read-write one. It reads the
// kernel's lock table rather than asking with fcntl(F_GETLK): that would
// open the file, and closing it drops every POSIX lock this process holds
// on it. HolderUnknown when the table is not there or does not say.
func holderMode(path string, pid int) string {
	if pid <= 0 {
		return HolderUnknown
	}
	fi, err := os.Stat(path)
	if err != nil {
		return HolderUnknown
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return HolderUnknown
	}
	f, err := os.Open(procLocks)
	if err != nil {
		return HolderUnknown
	}
	defer f.Close()
	ino := strconv.FormatUint(uint64(st.Ino), 10)
	mode := HolderUnknown
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// "1: POSIX  ADVISORY  READ 4242 fe:00:10010955 0 EOF"; a line
		// with "->" is a process waiting for the lock, not holding it.
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[1] == "->" || fields[4] != strconv.Itoa(pid) {
			continue
		}
		if dev := strings.Split(fields[5], ":"); len(dev) != 3 || dev[2] != ino {
			continue
		}
		switch fields[3] {
		case "WRITE":
			return HolderWriting // a write lock says all
		case "READ":
			mode = HolderReading
		}
	}
	return mode
}
