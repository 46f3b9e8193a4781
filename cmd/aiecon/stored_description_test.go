package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/model"
)

// TestResumeStoredLongDescription: a sweep stored before descriptions
// were bounded may hold a longer one in its frozen base; resuming it (and
// its summary's overload check, which loads its points) loads them with
// a warning, as they ran, where every point was refused as too long. The
// row is written directly, as such a build stored it.
func TestResumeStoredLongDescription(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.duckdb")
	spec := "name: long\nbase: baseline\nset: {horizon: 1m}\nparameters:\n  fleet.count: [1]\nreplications: 1\n"
	if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := cli(t, db, "", "sweep", filepath.Join(dir, "s.yaml"), "-q"); code != exitOK {
		t.Fatalf("the sweep (exit %d):\n%s%s", code, out, errs)
	}
	store, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var frozen string
	if err := store.DB().QueryRow("SELECT spec_yaml FROM sweeps").Scan(&frozen); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", model.MaxDescriptionRunes+500)
	desc := regexp.MustCompile(`(?m)^(\s+description: ).*$`) // the base's, indented in base_yaml
	old := frozen
	frozen = desc.ReplaceAllString(frozen, "${1}"+long)
	if frozen == old {
		t.Fatalf("no base description in the frozen sweep:\n%s", old)
	}
	// Its one run failed, so the resume runs it again from the stored base.
	if _, err := store.DB().Exec("UPDATE sweeps SET spec_yaml = ?", frozen); err != nil {
		t.Fatal(err)
	}
	if _, err := store.DB().Exec("UPDATE runs SET status = 'failed'"); err != nil {
		t.Fatal(err)
	}
	store.Close()
	code, out, errs := cli(t, db, "", "sweep", "--resume", "last")
	if code != exitOK || !strings.Contains(errs, "warning: sweep") || !strings.Contains(errs, "description: 2500 characters; at most 2000") ||
		!strings.Contains(errs, "kept as stored") || strings.Contains(errs+out, "failed (first") {
		t.Fatalf("resuming a sweep whose stored base has a long description (exit %d):\n%s%s\nwant it run, with a warning", code, out, errs)
	}
	// A file with it is still refused.
	base := filepath.Join(dir, "long.yaml")
	src, _ := model.Builtin("baseline")
	if err := os.WriteFile(base, regexp.MustCompile(`(?m)^description: .*$`).ReplaceAll(src, []byte("description: "+long)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := cli(t, db, "", "run", "--no-store", base); code != exitUsage || !strings.Contains(errs, "at most 2000") {
		t.Errorf("a file with the long description: exit %d, %s; want it refused", code, errs)
	}
}
