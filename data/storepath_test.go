package data

import (
	"context"
	"errors"
	"fmt"
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

// TestURLPathRefused: DuckDB's driver reads a store's path and options as
// one URL, so a path holding a control character or a stray % failed
// every opener with "could not parse DSN" (the CLI: exit 1, the path's tab
// raw). Every opener refuses it with ErrURLPath, the path quoted where it
// holds a tab, and creates nothing. A '#' or a '?' it refuses too: the
// driver cut the path at the '?', and after a '#' found no options, so a
// store of "a #b.duckdb" opened without its memory limit and threads. A %
// before two hex digits, and other characters a URL escapes, are still
// paths DuckDB opens, with the store's options.
func TestURLPathRefused(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.duckdb")
	s, err := Open(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	openers := map[string]func(string) error{
		"read-write": func(p string) error { return openClose(ctx, p, Options{}) },
		"read-only":  func(p string) error { return openClose(ctx, p, Options{ReadOnly: true}) },
		"salvage":    func(p string) error { _, err := Salvage(ctx, in, p); return err },
		"repair":     func(p string) error { _, err := RepairCopy(ctx, in, p); return err },
	}
	for name, open := range openers {
		for _, c := range []struct{ label, base, named, cause string }{
			{"tab", "a\tb.duckdb", `a\tb.duckdb"`, "invalid control character in URL"},
			{"percent", "a%zz.duckdb", "a%zz.duckdb", `invalid URL escape "%zz"`},
			// One Open of "a #b.duckdb" worked, without the store's options.
			{"hash", "a #b.duckdb", `a #b.duckdb"`, "holds '#'"},
			{"question", "a?b.duckdb", `a?b.duckdb"`, "holds '?'"},
		} {
			path := filepath.Join(dir, c.base)
			t.Run(name+"/"+c.label, func(t *testing.T) {
				err := open(path)
				if !errors.Is(err, ErrURLPath) || !strings.Contains(err.Error(), c.named+": is not a path DuckDB can open") ||
					!strings.Contains(err.Error(), c.cause) || strings.Contains(err.Error(), "\t") {
					t.Errorf("%q: %v; want ErrURLPath naming %s, because %s", path, err, c.named, c.cause)
				}
				if _, err := os.Stat(path); err == nil {
					t.Errorf("%q: created", path)
				}
			})
		}
	}
	for _, ok := range []string{"a%20b.duckdb", "a&b=c.duckdb", "a b.duckdb"} {
		if err := openWith(ctx, filepath.Join(dir, ok)); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	// A link is opened at its target (storeFile), which is checked too.
	link := filepath.Join(dir, "link.duckdb")
	if err := os.Symlink(filepath.Join(dir, "t#x.duckdb"), link); err != nil {
		t.Fatal(err)
	}
	if err := openClose(ctx, link, Options{}); !errors.Is(err, ErrURLPath) || !strings.Contains(err.Error(), "t#x.duckdb") {
		t.Errorf("a link to t#x.duckdb: %v; want ErrURLPath naming the target", err)
	}
}

// openWith opens the store at path with a memory limit and a thread count,
// checks that DuckDB applied both (a path it cuts loses them without a
// word), and closes it.
func openWith(ctx context.Context, path string) error {
	s, err := OpenContext(ctx, path, Options{MemoryLimit: "300MB", Threads: 1})
	if err != nil {
		return err
	}
	var limit, threads string
	err = s.DB().QueryRowContext(ctx, "SELECT current_setting('memory_limit')::VARCHAR, current_setting('threads')::VARCHAR").Scan(&limit, &threads)
	if err == nil && (limit != "286.1 MiB" || threads != "1") {
		err = fmt.Errorf("opened with memory limit %s and %s threads, want 286.1 MiB (300MB) and 1", limit, threads)
	}
	return errors.Join(err, s.Close())
}

// openClose opens the store at path and closes it.
func openClose(ctx context.Context, path string, opts Options) error {
	s, err := OpenContext(ctx, path, opts)
	if err == nil {
		err = s.Close()
	}
	return err
}

// TestMemoryPathIgnoresWorkingDirectory: the in-memory store opens no file,
// so the working directory does not matter to it; CheckPath resolved
// ":memory:" against it, and `aiecon schema` failed in a folder holding a
// stray %, a '#' or a tab.
func TestMemoryPathIgnoresWorkingDirectory(t *testing.T) {
	for _, name := range []string{"p%zz", "p#q", "p\tq"} {
		dir := filepath.Join(t.TempDir(), name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			t.Chdir(dir)
			if err := CheckPath(MemoryPath); err != nil {
				t.Errorf("CheckPath(%q) in %q: %v", MemoryPath, dir, err)
			}
			if err := openClose(context.Background(), MemoryPath, Options{}); err != nil {
				t.Errorf("opening %q in %q: %v", MemoryPath, dir, err)
			}
		})
	}
}
