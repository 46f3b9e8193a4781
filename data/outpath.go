package data

import (
	"os"
	"path/filepath"

	"aiecon/model/format"
)

// NotFolderOnPath returns the nearest existing folder-to-be above path
// when it is not a folder, and what it is ("a file", "a named pipe"); ""
// when the nearest that exists is a folder. A path under a file
// (--out notes.txt/run) failed with the system's "mkdir notes.txt: not a
// directory", which names neither the user's path nor what to change.
// It sits here, beside the export that makes its folder and the store's
// other checks of the files it is handed, rather than in format, which
// turns values into text and touches no file; chart asks it too.
func NotFolderOnPath(path string) (above, kind string) {
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		fi, err := os.Stat(dir)
		switch {
		case err == nil && fi.IsDir():
			return "", ""
		case err == nil && fi.Mode().IsRegular():
			return dir, "a file"
		case err == nil:
			return dir, "a " + format.FileKind(fi.Mode())
		}
		if parent := filepath.Dir(dir); parent == dir {
			return "", "" // nothing on the path exists: the system says why
		}
	}
}
