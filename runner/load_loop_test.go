package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadSourceUnreadableName: a bare name that is neither a built-in
// nor a readable file is reported as what is there: a loop of symbolic
// links was said to be "no built-in scenario", hiding the link; a name
// with nothing there keeps that message.
func TestReadSourceUnreadableName(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("loop2", filepath.Join(dir, "loop1")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop1", filepath.Join(dir, "loop2")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, arg string
		want      []string
	}{
		{"a symbolic link loop", "loop1", []string{"scenario file " + filepath.Join(dir, "loop1"), "too many levels of symbolic links"}},
		{"nothing there", "nosuch", []string{`no built-in scenario "nosuch"`}},
		{"a name too long for a file", strings.Repeat("x", 300), []string{`no built-in scenario "xxx`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := ReadSourceAt(tc.arg, dir)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want it to say %q", err, w)
				}
			}
		})
	}
}
