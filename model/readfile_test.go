package model

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestReadInputBounded: an endless input (a device such as /dev/zero) is
// refused once past MaxInputFileBytes instead of filling memory; a missing
// file keeps its fs.ErrNotExist; a small file reads whole.
func TestReadInputBounded(t *testing.T) {
	if _, err := ReadInput(zeros{}, "scenario file"); err == nil || !strings.Contains(err.Error(), "larger than 16 MiB, which no scenario file is") {
		t.Fatalf("endless input: %v", err)
	}
	if _, err := ReadInputFile(filepath.Join(t.TempDir(), "nope.yaml"), "scenario file"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	p := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(p, []byte("name: s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadInputFile(p, "scenario file"); err != nil || string(b) != "name: s\n" {
		t.Errorf("small file: %q, %v", b, err)
	}
}
