package data

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStoreUnderAFile: a store path under a regular file (--db afile/x)
// was refused as "no such directory: afile (create it first)", advice a
// user cannot follow, as a file of that name exists; it now says the
// file is not a folder, for a read-write open, a read-only one and a
// salvage's output, while a missing folder keeps its advice.
func TestStoreUnderAFile(t *testing.T) {
	dir := t.TempDir()
	afile := filepath.Join(dir, "afile")
	if err := os.WriteFile(afile, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	input := filepath.Join(dir, "in.duckdb")
	s, err := Open(input, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	salvage := func(out string) error { _, err := Salvage(context.Background(), input, out); return err }
	open := func(ro bool) func(string) error {
		return func(p string) error {
			s, err := Open(p, Options{ReadOnly: ro})
			if err == nil {
				s.Close()
			}
			return err
		}
	}
	for _, tc := range []struct {
		name string
		do   func(string) error
		path string
		want string
	}{
		{"read-write open under a file", open(false), filepath.Join(afile, "x.duckdb"), afile + " is a file, not a folder"},
		{"read-only open under a file", open(true), filepath.Join(afile, "x.duckdb"), afile + " is a file, not a folder"},
		{"salvage output under a file", salvage, filepath.Join(afile, "sub", "x.duckdb"), afile + " is a file, not a folder"},
		{"missing folder", open(false), filepath.Join(dir, "nodir", "x.duckdb"), filepath.Join(dir, "nodir") + " (create it first)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do(tc.path)
			if !errors.Is(err, ErrNoDirectory) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want ErrNoDirectory saying %q", err, tc.want)
			}
			if strings.Contains(tc.want, "not a folder") && strings.Contains(err.Error(), "create it first") {
				t.Errorf("err = %v advises creating a folder where a file is", err)
			}
		})
	}
}
