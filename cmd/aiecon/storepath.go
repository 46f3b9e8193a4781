package main

import (
	"os"

	"aiecon/data"
)

// checkStorePath is data.CheckPath, which every Open applies, checked
// before the command does any work so that the error names where the path
// came from (what: "--db", "$AIECON_DB", "merge: output"), which the data
// package cannot know.
func checkStorePath(what, path string) error {
	if err := data.CheckPath(path); err != nil {
		return badInput("%s %v", what, err)
	}
	return nil
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
