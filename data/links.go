package data

import (
	"os"
	"path/filepath"
)

// storeFile is the file that the store at path names: path with its
// symbolic links followed, even to a target that does not exist yet. Open
// hands DuckDB this path, not the link, and everything aiecon does to the
// file and its log (check, repair, set aside) acts on it. DuckDB resolves a
// link to an existing file and keeps its write-ahead log beside the target,
// so the link has none beside it: the open after a crash saw no log and did
// not check the blocks, a torn checkpoint was not repaired ("no write-ahead
// log") and setting the store aside renamed the link, leaving the damaged
// target where it was and a plain file where the link was at the next
// write. A dangling link DuckDB takes as it is: a store created through one
// had its connections' log beside the link and its request appenders' (a
// second handle, opened once the file existed) beside the target.
func storeFile(path string) string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return real
	}
	p := path // a dangling link (or a missing file): follow what links there are
	for range 40 {
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			return p
		}
		t, err := os.Readlink(p)
		if err != nil {
			return p
		}
		if !filepath.IsAbs(t) {
			t = filepath.Join(filepath.Dir(p), t)
		}
		p = t
	}
	return p
}
