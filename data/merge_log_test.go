package data

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestMergeSaysTheInputsLog: merge attached an input with a write-ahead
// log beside it, DuckDB replayed the log and its runs were copied, and
// nothing was said, where every Open of a store says it
// (LogReplayedError): the log may be another file's.
func TestMergeSaysTheInputsLog(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.duckdb")
	s, err := Open(live, Options{})
	if err != nil {
		t.Fatal(err)
	}
	storeRun(t, s, newSynthRun(1, 20), "logged")
	in := filepath.Join(dir, "in.duckdb")
	copyFile(t, live, in) // as a kill leaves it: the run in the log only
	copyFile(t, live+".wal", in+".wal")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		log  bool
		runs int
	}{
		{name: "a log beside the input", log: true, runs: 1},
		{name: "no log", runs: 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			input := filepath.Join(t.TempDir(), "in.duckdb")
			copyFile(t, in, input)
			if c.log {
				copyFile(t, in+".wal", input+".wal")
			}
			var warned []error
			out, err := Open(filepath.Join(t.TempDir(), "out.duckdb"), Options{OnWarning: func(err error) { warned = append(warned, err) }})
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			st, err := out.Merge(context.Background(), input)
			if err != nil || st.Runs != c.runs {
				t.Fatalf("merge: %d runs copied, %v; want %d", st.Runs, err, c.runs)
			}
			var le *LogReplayedError
			if c.log && (len(warned) != 1 || !errors.As(warned[0], &le) || le.Path != input || le.Log != input+".wal") {
				t.Errorf("warned %v, want one LogReplayedError of %s", warned, input)
			}
			if !c.log && len(warned) != 0 {
				t.Errorf("warned %v of an input with no log", warned)
			}
			if _, err := os.Stat(input + ".wal"); c.log && err != nil {
				t.Errorf("the input's log: %v; a read-only attach keeps it", err)
			}
		})
	}
}
