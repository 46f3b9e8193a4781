package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/runner"
)

// TestOptimizeNotesMaskedValues: optimize, as run, notes a scenario file's
// own invalid value that its --set or --horizon replaces, so that the file
// does not fail only later, run without the flags.
func TestOptimizeNotesMaskedValues(t *testing.T) {
	src, err := model.Builtin("inferentia-small")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(src), "\nhorizon: 1h\n", "\nhorizon: banana\n", 1)
	if bad == string(src) {
		t.Fatal("inferentia-small no longer sets horizon: 1h")
	}
	p := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(p, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	name, text, dir, err := runner.ReadSource(p)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	noteMasked(&out, name, text, dir, nil, "20s")
	if got := out.String(); !strings.Contains(got, "bad.yaml:") || !strings.Contains(got, "replaced in this run by horizon=20s") {
		t.Errorf("notes %q, want one on the file's horizon replaced by --horizon 20s", got)
	}
	out.Reset()
	noteMasked(&out, name, text, dir, []string{"seed=2"}, "")
	if out.Len() != 0 {
		t.Errorf("notes %q for a run that does not replace the broken value; want none", out.String())
	}
}
