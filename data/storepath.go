package data

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrFolderPath is returned (wrapped) for a store path that ends in a path
// separator (CheckPath).
var ErrFolderPath = errors.New("ends in a path separator, so names a folder")

// CheckPath refuses a store path that ends in a path separator: it names a
// folder, as an existing one does, which Open refuses (a store is a file);
// but a folder that does not exist yet reached DuckDB, which created a file
// of the name without the separator ("nd3/" made the file nd3, and the run
// said it was stored in nd3/). Open, Salvage and RepairCopy check it, so
// that every opener (the CLI, the dashboard, a library caller) is covered;
// the CLI checks it first only to name the flag the path came from. The
// error reads "PATH: ends in a path separator, ...", for the caller to say
// what PATH is.
func CheckPath(path string) error {
	if !strings.HasSuffix(path, "/") && !strings.HasSuffix(path, string(os.PathSeparator)) {
		return nil
	}
	return fmt.Errorf("%s: %w; a store is a file, e.g. %s", path, ErrFolderPath, filepath.Join(path, "aiecon.duckdb"))
}
