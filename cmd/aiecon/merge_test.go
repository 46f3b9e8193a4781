package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMergeNamesTheDamagedInput: an input cut short sends the user's
// doctor to that input; the hint named the --db default, a store the
// merge never touched.
func TestMergeNamesTheDamagedInput(t *testing.T) {
	seed, _ := storeFixture(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "t.duckdb")
	b, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, b[:100000], 0o644); err != nil {
		t.Fatal(err)
	}
	unused := filepath.Join(dir, "unused.duckdb")
	code, _, stderr := cli(t, unused, "", "merge", filepath.Join(dir, "out.duckdb"), in)
	if code != exitFailure || !strings.Contains(stderr, "the store "+in+" looks damaged") ||
		!strings.Contains(stderr, "aiecon doctor --db "+in+"`") || strings.Contains(stderr, unused) {
		t.Errorf("exit %d\n%s\nwant the doctor hint for %s", code, stderr, in)
	}
}
