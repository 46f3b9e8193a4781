package main

import (
	"bytes"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"aiecon/model"
)

// countParses counts, while the test runs, how often any YAML reader
// parses exactly text.
func countParses(t testing.TB, text []byte) *atomic.Int64 {
	var n atomic.Int64
	restore := model.SetParseHook(func(_ string, src []byte) {
		if bytes.Equal(src, text) {
			n.Add(1)
		}
	})
	t.Cleanup(restore)
	return &n
}

// TestRunParsesScenarioOnce: `aiecon run` parses its scenario file once,
// and derives each variant, its report's reading of what the file gives
// and its warnings from that parse. It parsed a scenario four times, and
// twice more for each variant (the report and the NO TOKEN PRICE check
// each applied the overrides to the file again).
func TestRunParsesScenarioOnce(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "scenarios", "p5-chat-api.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	builtin, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		text []byte
		args []string
	}{
		{"built-in", builtin, []string{"run", "--no-store", "--horizon", "1m", "baseline"}},
		{"variants", src, []string{"run", "--no-store", "--horizon", "1m", file}},
		{"one variant with a set", src, []string{"run", "--no-store", "--variant", "target", "--set", "fleet.count=1", file}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := countParses(t, tt.text)
			if code, out, errs := cli(t, filepath.Join(t.TempDir(), "s.duckdb"), "", tt.args...); code != exitOK {
				t.Fatalf("exit %d:\n%s%s", code, out, errs)
			}
			if got := n.Load(); got != 1 {
				t.Errorf("the scenario was parsed %d times, want once", got)
			}
		})
	}
}
