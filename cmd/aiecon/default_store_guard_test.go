package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// defaultStoreGuard runs the package's tests and fails them when they
// leave a store at the default path, ./aiecon.duckdb (or its .wal) in the
// package's folder: a test that ran aiecon without --db or $AIECON_DB
// wrote the developer's tree, and such a store once sat there unnoticed
// until git status showed it. A test of the default path itself chdirs to
// a temporary folder (t.Chdir) first. The store made is removed, so that
// the next run, which would count it as there before, catches the test
// again; one that was there before and changed is only reported.
type defaultStoreGuard struct {
	m      interface{ Run() int }
	dir    string    // the package's folder, the tests' working directory
	report io.Writer // where the failure is said (os.Stderr)
}

// defaultStoreGlob matches the default store and the files DuckDB keeps
// beside it.
const defaultStoreGlob = "aiecon.duckdb*"

func (g defaultStoreGuard) Run() int {
	before, err := storeFiles(g.dir)
	if err != nil {
		fmt.Fprintf(g.report, "FAIL: default store guard: %v\n", err)
		return 1
	}
	code := g.m.Run()
	after, err := storeFiles(g.dir)
	if err != nil {
		fmt.Fprintf(g.report, "FAIL: default store guard: %v\n", err)
		return max(code, 1)
	}
	made, changed := storeChanges(before, after)
	for _, p := range made {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			fmt.Fprintf(g.report, "default store guard: removing %s: %v\n", p, err)
		}
	}
	if len(made)+len(changed) == 0 {
		return code
	}
	var what []string
	if len(made) > 0 {
		what = append(what, fmt.Sprintf("made %s (removed now)", strings.Join(made, ", ")))
	}
	if len(changed) > 0 {
		what = append(what, fmt.Sprintf("changed %s", strings.Join(changed, ", ")))
	}
	fmt.Fprintf(g.report, "FAIL: the tests %s, the default store ./aiecon.duckdb of the package's folder: "+
		"a test ran aiecon without --db or $AIECON_DB; give it a store under t.TempDir(), or t.Chdir(t.TempDir()) "+
		"in a test of the default path\n", strings.Join(what, " and "))
	return max(code, 1)
}

// storeFiles are the files in dir that defaultStoreGlob matches, each with
// its modification time.
func storeFiles(dir string) (map[string]time.Time, error) {
	paths, err := filepath.Glob(filepath.Join(dir, defaultStoreGlob))
	if err != nil {
		return nil, fmt.Errorf("listing %s in %s: %w", defaultStoreGlob, dir, err)
	}
	files := map[string]time.Time{}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("default store file %s: %w", p, err)
		}
		files[p] = fi.ModTime()
	}
	return files, nil
}

// storeChanges are the files of after that before lacks (made) and those
// both hold with another modification time (changed), each sorted.
func storeChanges(before, after map[string]time.Time) (made, changed []string) {
	for p, t := range after {
		if was, ok := before[p]; !ok {
			made = append(made, p)
		} else if !was.Equal(t) {
			changed = append(changed, p)
		}
	}
	slices.Sort(made)
	slices.Sort(changed)
	return made, changed
}

// TestDefaultStoreGuard: the guard fails a test run that makes the default
// store, or changes one that was there, removes only the one it made, and
// passes a run that leaves the folder alone, with the tests' own exit code.
func TestDefaultStoreGuard(t *testing.T) {
	tests := []struct {
		name     string
		existing bool // a store there before the run
		touch    bool // the run writes ./aiecon.duckdb
		code     int  // the tests' own exit code
		want     int
		kept     bool // ./aiecon.duckdb there after the guard
	}{
		{"left alone", false, false, 0, 0, false},
		{"left alone, a test failed", false, false, 1, 1, false},
		{"made", false, true, 0, 1, false},
		{"made, a test failed", false, true, 3, 3, false},
		{"there before, unchanged", true, false, 0, 0, true},
		{"there before, changed", true, true, 0, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			store := filepath.Join(dir, "aiecon.duckdb")
			if tt.existing {
				if err := os.WriteFile(store, []byte("old"), 0o644); err != nil {
					t.Fatal(err)
				}
				old := time.Now().Add(-time.Hour)
				if err := os.Chtimes(store, old, old); err != nil {
					t.Fatal(err)
				}
			}
			run := fakeM(func() int {
				if tt.touch {
					if err := os.WriteFile(store, []byte("new"), 0o644); err != nil {
						t.Error(err)
					}
				}
				return tt.code
			})
			var report strings.Builder
			got := defaultStoreGuard{m: run, dir: dir, report: &report}.Run()
			if got != tt.want {
				t.Errorf("exit %d, want %d; said %q", got, tt.want, report.String())
			}
			if said := strings.Contains(report.String(), "without --db or $AIECON_DB"); said != tt.touch {
				t.Errorf("the failure said %v, want %v: %q", said, tt.touch, report.String())
			}
			if _, err := os.Stat(store); (err == nil) != tt.kept {
				t.Errorf("./aiecon.duckdb there after the guard: %v, want %v", err == nil, tt.kept)
			}
		})
	}
}

// fakeM is a test run (testing.M's Run) that calls f.
type fakeM func() int

func (f fakeM) Run() int { return f() }
