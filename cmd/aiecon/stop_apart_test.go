//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMainsInOneProcessStopApart: two commands run by Main at once in one
// process (the package's parallel tests) end their parses at a stop only,
// never at the other's plain end. Main handed model.StopOn its context's
// channel, which its return closes: a command that began parsing its YAML
// while another had the latest StopOn watched the other's channel, and
// the other's plain end failed the parse as interrupted by a stop signal
// that never came.
func TestMainsInOneProcessStopApart(t *testing.T) {
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.yaml"), filepath.Join(dir, "second.yaml")
	for _, p := range []string{first, second} {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("no named pipe: %v", err)
		}
	}
	type result struct {
		code   int
		stderr string
	}
	run := func(path string) <-chan result {
		done := make(chan result, 1)
		go func() {
			var out, errb bytes.Buffer
			code := Main([]string{"--db", filepath.Join(dir, "x.duckdb"), "run", path, "--no-store"}, strings.NewReader(""), &out, &errb)
			done <- result{code, errb.String()}
		}()
		return done
	}
	// Each waits at its pipe, the second's StopOn the latest.
	firstDone := run(first)
	time.Sleep(300 * time.Millisecond)
	secondDone := run(second)
	time.Sleep(300 * time.Millisecond)
	// The first gets a scenario whose parse takes a while (a list of
	// 200,000 items, under the input bound), and parses it watching
	// the latest StopOn; the second ends meanwhile, its pipe empty.
	if err := os.WriteFile(first, []byte("name: long\nlist: ["+strings.Repeat("1, ", 200_000)+"1]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if err := os.WriteFile(second, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := <-secondDone; r.code != exitUsage || !strings.Contains(r.stderr, "gave nothing to read") {
		t.Fatalf("the second command, its pipe empty: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := <-firstDone; r.code == exitOK || strings.Contains(r.stderr, "interrupted") {
		t.Errorf("the first command: exit %d, stderr %q; want its scenario refused, not a stop", r.code, r.stderr)
	}
}
