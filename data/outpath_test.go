package data

import (
	"os"
	"path/filepath"
	"testing"
)

// TestNotFolderOnPath: the nearest existing path above an output path is
// named when it is not a folder, however deep the path runs under it, and
// nothing is named when it is a folder or nothing on the path exists.
func TestNotFolderOnPath(t *testing.T) {
	dir := t.TempDir()
	afile := filepath.Join(dir, "afile")
	if err := os.WriteFile(afile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, above, kind string }{
		{filepath.Join(afile, "x.png"), afile, "a file"},
		{filepath.Join(afile, "sub", "deeper"), afile, "a file"},
		{afile, "", ""}, // the path itself is its caller's to check
		{filepath.Join(dir, "new", "sub"), "", ""},
		{filepath.Join(dir, "x.png"), "", ""},
		{"relative/x.png", "", ""},
	} {
		if above, kind := NotFolderOnPath(tt.path); above != tt.above || kind != tt.kind {
			t.Errorf("NotFolderOnPath(%s) = %q, %q; want %q, %q", tt.path, above, kind, tt.above, tt.kind)
		}
	}
}
