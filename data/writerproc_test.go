package data

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fakeProc points procRoot at a directory holding boot as the boot id and
// stat as /proc/PID/stat of each pid, for the test's length.
func fakeProc(t *testing.T, boot string, stat map[int]string) {
	t.Helper()
	root := t.TempDir()
	if boot != "" {
		dir := filepath.Join(root, "sys", "kernel", "random")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "boot_id"), []byte(boot+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for pid, s := range stat {
		dir := filepath.Join(root, strconv.Itoa(pid))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "stat"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := procRoot
	procRoot = root
	t.Cleanup(func() { procRoot = old })
}

// statLine is a /proc/PID/stat line of a process named comm that started
// ticks after boot (field 22).
func statLine(pid int, comm string, ticks string) string {
	f := []string{strconv.Itoa(pid), "(" + comm + ")", "S"}
	for i := 4; i < 22; i++ {
		f = append(f, strconv.Itoa(i))
	}
	return strings.Join(append(f, ticks, "23", "24"), " ") + "\n"
}

func TestProcessStartReadsField22(t *testing.T) {
	tests := []struct {
		name, boot, stat string
		want             string // "" for an error
	}{
		{"plain", "b-1", statLine(7, "aiecon", "4242"), "b-1:4242"},
		{"a name with spaces and parentheses", "b-1", statLine(7, "a) (b c", "99"), "b-1:99"},
		{"too few fields", "b-1", "7 (aiecon) S 4 5\n", ""},
		{"a start that is no count", "b-1", statLine(7, "aiecon", "x1"), ""},
		{"no boot id", "", statLine(7, "aiecon", "4242"), ""},
		{"no command name", "b-1", "7 aiecon S\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fakeProc(t, tt.boot, map[int]string{7: tt.stat})
			got, err := processStart(7)
			if got != tt.want || (err == nil) != (tt.want != "") {
				t.Errorf("processStart = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestWriterStateTellsAReusedPID: a live process with the writer's PID is
// the writer only if it started when the writer did; with the start
// unknown it may be the writer, no more. This process stands for the live
// one, and a fake /proc says when it started.
func TestWriterStateTellsAReusedPID(t *testing.T) {
	pid, host := os.Getpid(), thisHost()
	if host == "" {
		t.Skip("no host name: no writer can be judged")
	}
	gone := exitedPID(t)
	fakeProc(t, "boot-a", map[int]string{pid: statLine(pid, "aiecon.test", "1000")})
	tests := []struct {
		name  string
		pid   int
		host  string
		start string
		want  writerStatus
	}{
		{"the writer itself", pid, host, "boot-a:1000", writerAlive},
		{"the PID reused by a later process", pid, host, "boot-a:999", writerDead},
		{"the PID reused after a reboot", pid, host, "boot-b:1000", writerDead},
		{"no start recorded (an older run)", pid, host, "", writerUnknown},
		{"no process has the PID", gone, host, "boot-a:5", writerDead},
		{"another host", pid, host + "-other", "boot-a:1000", writerUnknown},
		{"no PID recorded", 0, host, "", writerUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := writerState(tt.pid, tt.host, tt.start); got != tt.want {
				t.Errorf("writerState(%d, %q, %q) = %d, want %d", tt.pid, tt.host, tt.start, got, tt.want)
			}
			if got := writerGone(tt.pid, tt.host, tt.start); got != (tt.want == writerDead) {
				t.Errorf("writerGone = %v, want %v", got, tt.want == writerDead)
			}
		})
	}
}

// TestRunRecordsItsWriterStart: a run is stored with this process's start
// as /proc gives it, which is what writerState compares.
func TestRunRecordsItsWriterStart(t *testing.T) {
	want, err := processStart(os.Getpid())
	if err != nil {
		t.Skipf("/proc does not say when this process started: %v", err)
	}
	s, err := Open(filepath.Join(t.TempDir(), "s.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w, err := s.BeginRun(context.Background(), RunInfo{Name: "r"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Fail(nil) //nolint:errcheck // the run only has to be registered
	var got string
	if err := s.DB().QueryRow(`SELECT coalesce(writer_start, '') FROM runs WHERE run_id = ?`, w.ID()).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("writer_start %q, want %q", got, want)
	}
	if st := writerState(os.Getpid(), thisHost(), got); st != writerAlive {
		t.Errorf("this process's run: writer state %d, want alive (%d)", st, writerAlive)
	}
}
