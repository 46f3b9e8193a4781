package main

import (
	"cmp"
	"os"
	"strconv"
	"strings"

	"aiecon/data"
	"aiecon/model/format"
	"aiecon/study"
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
// opens: --db's, else $AIECON_DB's. A command that shards (sharded: sweep,
// forecast) replaces {shard} in it (shardDB); any other refuses it.
func checkDBPath(e *env, dbFlagSet, sharded bool) error {
	what := "--db"
	if !dbFlagSet {
		if os.Getenv("AIECON_DB") == "" {
			return nil // the default, ./aiecon.duckdb
		}
		what = "$AIECON_DB"
	}
	e.dbFrom = what
	if !sharded {
		if err := shardPlaceholder(what, e.dbPath, "only a sharded sweep or forecast replaces it (--shard i/n, --shards n); give the store's own path"); err != nil {
			return err
		}
	}
	return checkStorePath(what, e.dbPath)
}

// dbArg is how the user gave the store every command but merge opens, as
// an open's advice names it: "$AIECON_DB" where the variable gave it, so
// that a store refused is not blamed on a --db nobody typed.
func (e *env) dbArg() string { return cmp.Or(e.dbFrom, "--db") }

// shardDB replaces {shard} in the store path with the index of the shard
// given (--shard i/n, --shards n), and refuses it where none is: it was
// replaced only with more than one shard, so a job template that lost its
// --shards, or one of --shard 0/1, wrote a store named x-{shard}.duckdb.
func shardDB(e *env, shard study.ShardSpec) error {
	if shard.Count == 0 {
		return shardPlaceholder(e.dbFrom, e.dbPath, "no shard is given: give --shard i/n or --shards n, or a store path without {shard}")
	}
	e.dbPath = strings.ReplaceAll(e.dbPath, "{shard}", strconv.Itoa(shard.Index))
	return nil
}

// shardPlaceholder refuses a store path holding {shard} that nothing
// replaces (why says so, and what to give instead), unless a store of that name exists, as an
// earlier build wrote one: what is already stored stays readable.
func shardPlaceholder(what, path, why string) error {
	if !strings.Contains(path, "{shard}") {
		return nil
	}
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	return badInput("%s %s: {shard} stands for a shard's index, but %s", what, format.Typed(path), why)
}
