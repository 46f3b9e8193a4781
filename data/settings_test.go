package data

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestReadOnlySettingsClash: DuckDB keeps one configuration per file and
// process, so a second read-only Open with other settings than the first
// (which shares no read-write instance) is refused; the refusal named only
// read-only versus read-write and the memory limit, and two Opens that
// differed in Options.Threads (the dashboard's 1 beside a default) read as
// neither. It names each setting that differs, the one held and the one
// asked; the same settings, or a read-write instance to share, open.
func TestReadOnlySettingsClash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.duckdb")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ro := func(threads int, limit string) Options {
		return Options{ReadOnly: true, Threads: threads, MemoryLimit: limit}
	}
	for _, c := range []struct {
		name        string
		first, then Options
		want        string // "" opens
	}{
		{"threads 1, then the default", ro(1, ""), ro(0, ""), "threads 1 (asked: DuckDB's default, one per core)"},
		{"threads 1, then 2", ro(1, ""), ro(2, ""), "threads 1 (asked: 2)"},
		{"the memory limit", ro(0, ""), ro(0, "2GB"), "memory limit 1GB (asked: 2GB)"},
		{"both", ro(1, ""), ro(2, "2GB"), "threads 1 (asked: 2) and memory limit 1GB (asked: 2GB)"},
		{"the same", ro(1, ""), ro(1, ""), ""},
		{"beside a read-write instance", Options{Threads: 1}, ro(0, ""), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			first, err := Open(path, c.first)
			if err != nil {
				t.Fatal(err)
			}
			defer first.Close()
			then, err := Open(path, c.then)
			if err == nil {
				then.Close()
			}
			switch {
			case c.want == "" && err != nil:
				t.Errorf("second Open: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), "already has it open read-only with other settings") ||
				!strings.Contains(err.Error(), c.want)):
				t.Errorf("second Open: %v; want a refusal naming %q", err, c.want)
			}
		})
	}
}
