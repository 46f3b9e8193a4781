package main

import (
	"os"
	"path/filepath"
	"strings"
)

// checkStorePath refuses a store path that ends in a path separator: it
// names a folder, as an existing one does, which the store refuses (a
// store is a file); but a folder that does not exist yet reached DuckDB,
// which created a file of the name without the separator and the run
// said it was "stored in nd3/". what names where the path came from.
func checkStorePath(what, path string) error {
	if !strings.HasSuffix(path, "/") && !strings.HasSuffix(path, string(os.PathSeparator)) {
		return nil
	}
	return badInput("%s %s: ends in a path separator, so names a folder; a store is a file, e.g. %s",
		what, path, filepath.Join(path, "aiecon.duckdb"))
}

// checkDBPath is checkStorePath of the store every command but merge
// opens: --db's, else $AIECON_DB's.
func checkDBPath(e *env, dbFlagSet bool) error {
	what := "--db"
	if !dbFlagSet {
		if os.Getenv("AIECON_DB") == "" {
			return nil // the default, ./aiecon.duckdb
		}
		what = "$AIECON_DB"
	}
	return checkStorePath(what, e.dbPath)
}
