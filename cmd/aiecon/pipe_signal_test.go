//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"aiecon/model"
)

// TestCtrlCStopsAPipeWait: a trace, a CSV of serving points or of kernel
// timings given as a named pipe that no process writes to held the
// command past Ctrl-C (the scenario file itself did not); each wait now
// ends at the first Ctrl-C, saying which file it waited on, and exits 1
// as a Ctrl-C during the run does (not 2, an input error).
func TestCtrlCStopsAPipeWait(t *testing.T) {
	scenario := tracedScenario(t, "fifo.csv")
	cases := []struct {
		name   string
		args   []string
		writes []string // what each earlier reader of the pipe is given
		want   string
	}{
		{"scenario file", []string{"run", "fifo.csv", "--no-store"}, nil, "scenario file fifo.csv: interrupted"},
		{"models file", []string{"validate", "s.yaml", "--models", "fifo.csv"}, nil, "--models fifo.csv: interrupted"},
		{"validate points", []string{"validate", "fifo.csv"}, nil, "read fifo.csv: interrupted"},
		{"hw fit points", []string{"hw", "fit", "--points", "fifo.csv"}, nil, "read fifo.csv: interrupted"},
		{"calibrate import", []string{"calibrate", "import", "fifo.csv", "--hw", "Trainium2"}, nil, "read fifo.csv: interrupted"},
		{"trace read at load", []string{"run", "s.yaml", "--no-store"}, nil, "arrivals.trace.path: trace: read ./fifo.csv: interrupted"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := syscall.Mkfifo(filepath.Join(dir, "fifo.csv"), 0o600); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
			if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte(scenario), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := aieconChild(t, dir)(c.args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			for _, text := range c.writes {
				w := openWriterWhenRead(t, filepath.Join(dir, "fifo.csv"), &stderr)
				w.WriteString(text)
				w.Close()
			}
			// Open for writing, then write nothing: the command waits.
			w := openWriterWhenRead(t, filepath.Join(dir, "fifo.csv"), &stderr)
			defer w.Close()
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				var ee *exec.ExitError
				// The wait names the signal, or says one came where the
				// cancelled context is seen first (a race under load).
				got := stderr.String()
				if !errors.As(err, &ee) || ee.ExitCode() != exitFailure || !(strings.Contains(got, c.want+" (interrupt) while waiting for a process to write to the pipe") ||
					strings.Contains(got, c.want+" (a stop signal came) while waiting for a process to write to the pipe")) {
					t.Errorf("after Ctrl-C: %v, stderr:\n%s\nwant it to say %q", err, stderr.String(), c.want)
				}
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-exited
				t.Errorf("still running 10 s after Ctrl-C; stderr:\n%s", stderr.String())
			}
		})
	}
}

// openWriterWhenRead opens the pipe for writing once a process has opened
// it for reading (opening without waiting fails until then).
func openWriterWhenRead(t *testing.T, path string, stderr *bytes.Buffer) *os.File {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		fd, err := syscall.Open(path, syscall.O_WRONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err == nil {
			return os.NewFile(uintptr(fd), path)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no process opened the pipe in 30 s: %v; stderr:\n%s", err, stderr.String())
		}
	}
}

// tracedScenario is the built-in inferentia-small for a minute, its
// arrivals read from the trace at path.
func tracedScenario(t *testing.T, path string) string {
	t.Helper()
	src, err := model.Builtin("inferentia-small")
	if err != nil {
		t.Fatal(err)
	}
	scenario := strings.Replace(string(src), "{process: poisson, rate: 6/s}", "{trace: {path: "+path+"}}", 1)
	scenario = strings.Replace(scenario, "horizon: 1h", "horizon: 1m", 1)
	if !strings.Contains(scenario, "{trace: {path: "+path+"}}") || !strings.Contains(scenario, "horizon: 1m") {
		t.Fatal("the built-in scenario changed: no arrivals or horizon to replace")
	}
	return scenario
}
