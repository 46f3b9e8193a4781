package data

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"aiecon/model/format"
)

// ErrFolderPath is returned (wrapped) for a store path that ends in a path
// separator (CheckPath).
var ErrFolderPath = errors.New("ends in a path separator, so names a folder")

// ErrURLPath is returned (wrapped) for a store path that DuckDB cannot open
// (CheckPath).
var ErrURLPath = errors.New("is not a path DuckDB can open")

// CheckPath refuses a store path that ends in a path separator: it names a
// folder, as an existing one does, which Open refuses (a store is a file);
// but a folder that does not exist yet reached DuckDB, which created a file
// of the name without the separator ("nd3/" made the file nd3, and the run
// said it was stored in nd3/). Open, Salvage and RepairCopy check it, so
// that every opener (the CLI, the dashboard, a library caller) is covered;
// the CLI checks it first only to name the flag the path came from. The
// error reads "PATH: ends in a path separator, ...", for the caller to say
// what PATH is.
//
// It also refuses a path DuckDB's driver cannot open: it reads the path and
// the store's options as one URL, so a control character (a tab) or a %
// not followed by two hex digits failed every open with "could not parse
// DSN", exit 1, the path echoed raw.
func CheckPath(path string) error {
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(os.PathSeparator)) {
		return fmt.Errorf("%s: %w; a store is a file, e.g. %s", path, ErrFolderPath, filepath.Join(path, "aiecon.duckdb"))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil // Open names the failure where it resolves the path
	}
	if _, err := url.Parse(abs); err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its own text repeats the path raw
		}
		return fmt.Errorf("%s: %w (DuckDB reads it as a URL: %v); choose another path", format.Typed(path), ErrURLPath, err)
	}
	return nil
}
