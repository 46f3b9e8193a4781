package data

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFolderPathRefused: a store path ending in a separator names a folder
// and is refused by every opener, not only by the CLI's flag check: the
// dashboard and library callers open through data alone, and a read-write
// Open of "nd3/" had DuckDB create the file nd3. An existing folder given
// with the separator gets the same message. Nothing is created.
func TestFolderPathRefused(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.duckdb")
	s, err := Open(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	existing := filepath.Join(dir, "folder")
	if err := os.Mkdir(existing, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	open := func(opts Options) func(string) error {
		return func(p string) error {
			s, err := OpenContext(ctx, p, opts)
			if err == nil {
				s.Close()
			}
			return err
		}
	}
	openers := []struct {
		name   string
		open   func(path string) error
		prefix string // what the error says before the path
	}{
		{"read-write", open(Options{}), "opening the store "},
		{"read-only", open(Options{ReadOnly: true}), "opening the store "},
		{"sandboxed", open(Options{ReadOnly: true, Sandbox: true}), "opening the store "},
		{"salvage", func(p string) error { _, err := Salvage(ctx, in, p); return err }, "salvaging " + in + ": the output "},
		{"repair", func(p string) error { _, err := RepairCopy(ctx, in, p); return err }, "repairing " + in + ": the output "},
	}
	for _, o := range openers {
		for _, base := range []string{filepath.Join(dir, "nd3"), existing} {
			path := base + string(os.PathSeparator)
			t.Run(o.name+"/"+filepath.Base(base), func(t *testing.T) {
				err := o.open(path)
				want := o.prefix + path + ": ends in a path separator, so names a folder; a store is a file, e.g. " +
					filepath.Join(path, "aiecon.duckdb")
				if !errors.Is(err, ErrFolderPath) || !strings.Contains(err.Error(), want) {
					t.Errorf("%s: %v; want ErrFolderPath and %q", path, err, want)
				}
				if fi, err := os.Stat(filepath.Join(dir, "nd3")); err == nil {
					t.Fatalf("%s: created %s (%v)", path, filepath.Join(dir, "nd3"), fi.Mode())
				}
			})
		}
	}
	// The separator alone decides: the same names without it are stores
	// (the folder is refused as a folder, for what it is).
	if err := open(Options{})(filepath.Join(dir, "nd3")); err != nil {
		t.Errorf("nd3 without the separator: %v", err)
	}
	if err := open(Options{})(existing); errors.Is(err, ErrFolderPath) || !errors.Is(err, ErrNotStore) {
		t.Errorf("an existing folder without the separator: %v; want ErrNotStore", err)
	}
}

// TestCheckPath lists which paths name a folder.
func TestCheckPath(t *testing.T) {
	for _, tt := range []struct {
		path   string
		folder bool
	}{
		{"a.duckdb", false},
		{"runs/a.duckdb", false},
		{MemoryPath, false},
		{"runs/", true},
		{"/", true},
		{"runs" + string(os.PathSeparator), true},
	} {
		err := CheckPath(tt.path)
		if got := errors.Is(err, ErrFolderPath); got != tt.folder {
			t.Errorf("CheckPath(%q) = %v; want a folder: %v", tt.path, err, tt.folder)
		}
	}
}
