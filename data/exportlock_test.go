//go:build unix

package data

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

// TestExportRemovesStaleTemps: an export stopped by a kill left its hidden
// temporary files, as large as the tables, and nothing removed them. The
// next export into the folder removes those of its own targets when no
// running export holds the folder, says so, and leaves every other file;
// while another export holds it, it removes none.
func TestExportRemovesStaleTemps(t *testing.T) {
	for _, held := range []bool{false, true} {
		t.Run(map[bool]string{false: "stopped", true: "running"}[held], func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.duckdb")
			var warned []error
			s, err := Open(path, Options{OnWarning: func(err error) { warned = append(warned, err) }})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			id := storeRun(t, s, newSynthRun(4, 50), "export")
			dir := t.TempDir()
			stale := []string{".runs.csv.0123456789ab.aiecon-tmp", ".requests.csv.fedcba987654.aiecon-tmp"}
			others := []string{
				".runs.csv.aiecon-tmp",                   // an older aiecon's name: its owner cannot be told
				".runs.parquet.0123456789ab.aiecon-tmp",  // another format's target
				".notes.csv.0123456789ab.aiecon-tmp",     // not a table of the export
				".runs.csv.0123456789ab.aiecon-tmp.keep", // not a temporary name
			}
			for _, n := range append(slices.Clone(stale), others...) {
				if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if held { // another export's shared hold on the folder
				f, err := os.Open(dir)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
					t.Skip(err)
				}
			}
			if _, err := s.Export(context.Background(), id, "csv", dir); err != nil {
				t.Fatal(err)
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".*"))
			for i := range left {
				left[i] = filepath.Base(left[i])
			}
			want := slices.Clone(others)
			if held {
				want = append(want, stale...)
			}
			slices.Sort(left)
			slices.Sort(want)
			if !slices.Equal(left, want) {
				t.Errorf("hidden files left: %v, want %v", left, want)
			}
			var se *StaleTempsError
			found := slices.ContainsFunc(warned, func(err error) bool { return errors.As(err, &se) })
			if found == held || (found && len(se.Files) != len(stale)) {
				t.Errorf("warnings %v; want one naming the %d removed files unless held", warned, len(stale))
			}
		})
	}
}
