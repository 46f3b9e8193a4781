package data

import (
	"path/filepath"
	"testing"
)

// TestWritingCoversAWriteStoreUntilClosed: the CLI holds a second stop
// signal off while Writing is true, so it must hold from a read-write
// Open to the end of its Close (the checkpoint), and not for a read-only
// Store, which a kill cannot tear.
func TestWritingCoversAWriteStoreUntilClosed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.duckdb")
	if Writing() {
		t.Fatal("Writing before any store was opened")
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !Writing() {
		t.Error("Writing is false with a read-write store open")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if Writing() {
		t.Error("Writing is still true after the read-write store closed")
	}
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if Writing() {
		t.Error("Writing is true for a read-only store")
	}
	if _, err := Open(filepath.Join(t.TempDir(), "none", "x.duckdb"), Options{}); err == nil {
		t.Fatal("opened a store in a folder that does not exist")
	}
	if Writing() {
		t.Error("Writing is still true after a read-write Open failed")
	}
}
