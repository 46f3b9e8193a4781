//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestRunReadsATracePipeOnce: a trace given as a named pipe (mkfifo p;
// cat trace.csv > p &) was read at load, to check it, and again by the
// simulator, which waited for a second writer that never came. The load
// now hands what it read to the run, and a scenario loaded more than once
// (again with --set; once per variant) reads its trace once.
func TestRunReadsATracePipeOnce(t *testing.T) {
	scenario := tracedScenario(t, "p.csv")
	variants := scenario + "variants:\n  - {name: one, set: {fleet.count: 1}}\n  - {name: two, set: {fleet.count: 2}}\n"
	trace := "TIMESTAMP,ContextTokens,GeneratedTokens\n2024-01-01 00:00:00.000,100,10\n" +
		"2024-01-01 00:00:01.000,200,20\n2024-01-01 00:00:02.500,300,30\n"
	cases := []struct {
		name, yaml string
		args       []string
		runs       int
	}{
		{"run", scenario, []string{"run", "s.yaml", "--no-store", "--json"}, 1},
		{"run with --set, loaded twice", scenario, []string{"run", "s.yaml", "--no-store", "--json", "--set", "seed=2"}, 1},
		{"variants", variants, []string{"run", "s.yaml", "--no-store", "--json"}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := syscall.Mkfifo(filepath.Join(dir, "p.csv"), 0o600); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
			if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte(c.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := aieconChild(t, dir)(c.args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			// One writer, once, as `cat trace.csv > p &` would.
			w := openWriterWhenRead(t, filepath.Join(dir, "p.csv"), &stderr)
			w.WriteString(trace)
			w.Close()
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				if err != nil {
					t.Fatalf("run: %v; stderr:\n%s", err, stderr.String())
				}
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				<-exited
				t.Fatalf("still running 60 s after the pipe was written and closed (waiting to read it again?); stderr:\n%s", stderr.String())
			}
			var out struct {
				Runs []struct {
					KPIs []struct {
						Name, Scope string
						Value       *float64
					}
				}
			}
			if err := json.Unmarshal(stdout.Bytes(), &out); err != nil || len(out.Runs) != c.runs {
				t.Fatalf("%d runs, %v; stdout:\n%s", len(out.Runs), err, stdout.String())
			}
			for i, r := range out.Runs {
				arrived := -1.0
				for _, k := range r.KPIs {
					if k.Name == "requests_arrived" && k.Scope == "" && k.Value != nil {
						arrived = *k.Value
					}
				}
				if arrived != 3 {
					t.Errorf("run %d: %g requests arrived, want the trace's 3", i, arrived)
				}
			}
		})
	}
}
