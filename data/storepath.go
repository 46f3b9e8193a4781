package data

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
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
// DSN", exit 1, the path echoed raw. A '?' or a '#' it refuses too
// (checkURLCut). The in-memory store (MemoryPath) opens no file: it is no
// path, and the working directory that resolving it would add (one holding
// a %, say) must not keep `aiecon schema` from opening it.
func CheckPath(path string) error {
	if path == MemoryPath {
		return nil
	}
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(os.PathSeparator)) {
		return fmt.Errorf("%s: %w; a store is a file, e.g. %s", path, ErrFolderPath, filepath.Join(path, "aiecon.duckdb"))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil // Open names the failure where it resolves the path
	}
	if err := checkURLCut(path, abs); err != nil {
		return err
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

// checkURLCut refuses the absolute path abs of the store path that was
// given as path where it holds a character that ends a URL's path. DuckDB's
// driver takes the file's path up to the first '?' and parses the whole
// string as a URL for the options after it: a '?' in the path cut it short,
// and after a '#' url.Parse found a fragment and no options at all, so a
// store opened without its memory limit and threads, and a second Open with
// other settings was not refused. The driver has no other way to pass the
// options (Go's database/sql connector takes the same string), nor does it
// unescape the path, so such a path cannot be opened with them.
func checkURLCut(path, abs string) error {
	i := strings.IndexAny(abs, "?#")
	if i < 0 {
		return nil
	}
	why := "ends the file's path there and reads what follows as the store's options"
	if abs[i] == '#' {
		why = "reads what follows as a URL fragment and would drop the store's options, its memory limit and threads"
	}
	where := ""
	if abs != path {
		where = " in " + strconv.Quote(abs)
	}
	return fmt.Errorf("%s: %w (it holds %q%s: DuckDB's driver %s); choose another path", strconv.Quote(path), ErrURLPath, abs[i], where, why)
}
