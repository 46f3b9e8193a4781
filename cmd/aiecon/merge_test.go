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

// TestFailedMergeThroughALinkKeepsTheLink: a merge into a dangling link
// creates the store at the link's target; when its first input fails it
// removed the link and left the new, empty store at the target.
func TestFailedMergeThroughALinkKeepsTheLink(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, target := filepath.Join(dir, "out.duckdb"), filepath.Join(dir, "real", "new.duckdb")
	if err := os.Symlink(filepath.Join("real", "new.duckdb"), out); err != nil {
		t.Skip(err)
	}
	bad := filepath.Join(dir, "bad.duckdb")
	if err := os.WriteFile(bad, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := cli(t, filepath.Join(dir, "unused.duckdb"), "", "merge", out, bad)
	if code == 0 {
		t.Fatalf("merge of a file that is no store: exit 0\n%s", stderr)
	}
	if fi, err := os.Lstat(out); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link %s is gone or replaced: %v", out, err)
	}
	for _, p := range []string{target, target + ".wal"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was left behind by a merge that merged nothing", p)
		}
	}
}
