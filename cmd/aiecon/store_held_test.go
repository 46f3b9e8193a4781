package main

import (
	"bufio"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aiecon/data"
)

// TestMergeSaysItWaitsForOut: merge whose OUT another process holds says
// so at once and waits, as run, sweep and forecast do; it waited its 20 s
// without a word, then failed. Once the holder lets go, the merge goes on.
func TestMergeSaysItWaitsForOut(t *testing.T) {
	dir := t.TempDir()
	out, in := filepath.Join(dir, "out.duckdb"), filepath.Join(dir, "in.duckdb")
	for _, p := range []string{out, in} {
		s, err := data.Open(p, data.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	holder, err := data.Open(out, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	cmd := aieconChild(t, dir)("merge", out, in)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	said, drained := make(chan string, 1), make(chan struct{})
	go func() {
		defer close(drained)
		var stderr strings.Builder
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			stderr.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "waiting up to") {
				break
			}
		}
		said <- stderr.String()
		for sc.Scan() {
		}
	}()
	select {
	case got := <-said:
		if !strings.Contains(got, "the store "+out+" is in use by") {
			t.Fatalf("merge did not say it waits for OUT; stderr:\n%s", got)
		}
	case <-time.After(data.DefaultLockWait / 2):
		t.Fatalf("merge said nothing in %s of waiting for OUT", data.DefaultLockWait/2)
	}
	if err := holder.Close(); err != nil {
		t.Fatal(err)
	}
	<-drained // Wait closes the pipe: read it all first
	if err := cmd.Wait(); err != nil {
		t.Errorf("merge after the holder let go: %v", err)
	}
}

// TestStoreInUseExitsOne: a store another process holds fails a command
// with exit 1, as README says (a failure while running, not bad input: the
// same command succeeds once the store is free), naming the holder.
func TestStoreInUseExitsOne(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "aiecon.duckdb")
	holder, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	child := aieconChild(t, dir)
	for _, args := range [][]string{{"runs"}, {"doctor"}, {"sql", "SELECT 1"}} {
		t.Run(args[0], func(t *testing.T) {
			var stderr strings.Builder
			cmd := child(args...)
			cmd.Stderr = &stderr
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitFailure || !strings.Contains(stderr.String(), "is in use by") {
				t.Errorf("aiecon %s on a held store: %v, stderr:\n%s\nwant exit %d naming the holder", strings.Join(args, " "), err, stderr.String(), exitFailure)
			}
		})
	}
}
