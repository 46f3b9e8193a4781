// Package data is the DuckDB store of aiecon runs: the schema and its forward
// migrations, the writer that implements sim.Sink with DuckDB's Appender from
// a single goroutine, the run and sweep registry, exports (Parquet, CSV) and
// the read queries behind the CLI, the dashboard and the plots.
//
// The schema is a numbered series of SQL files in migrations/, embedded in
// the binary and recorded in schema_version; every column carries its unit
// in a comment ("[USD] ..."), which is what `aiecon schema` and
// docs/schema.md print. Analysts should query the views (ViewNames:
// run_summary, requests_v, windows_v, sweep_results, forecast_bands): their
// columns only ever grow.
//
// Writing: Store.BeginRun commits a "running" row and returns a RunWriter.
// The simulator's Sink calls copy each batch in chunks into a bounded queue;
// one goroutine per run owns a connection and its Appenders. Request rows,
// the bulk of a run, go column by column into the data chunks of DuckDB's C
// Appender (reqappend.go) on a second connection of that goroutine; the
// other tables use duckdb-go's Appender. Finish flushes the requests, then
// the other records, the KPIs and the replica totals in one transaction, and
// only then sets the "complete" status, so a run is complete exactly when
// all of it is stored. A run left
// "running" by a process that died is marked failed by the next read-write
// Open (and reads as failed from a read-only one): DuckDB gives one process
// at a time the file read-write, so such a run cannot still be written.
//
// The file is opened with a 256 MB checkpoint threshold (DuckDB's default is
// 16 MB): committed runs are durable in the write-ahead log and are folded
// into the file when the log reaches that size and when the store closes; a
// process killed in between leaves a log that the next open replays.
//
// A read-write Open also removes failed runs' partial records (keeping
// their row and error), waits a bounded time for a file another process
// holds (Options.LockWait), repairs a checkpoint torn by a kill -9 or by a
// write that failed, on a full disk say (RepairCopy: the torn blocks' checksums recomputed in a checked copy that
// takes the file's place, the original kept as PATH.corrupt-TIME), and sets
// other damage aside as PATH.corrupt-TIME (CorruptError); Salvage copies the
// complete runs such a file still holds into a new store (`aiecon doctor`).
//
// Every read-only Open is in DuckDB's sandbox (sandboxOptions: external
// access, extensions and SET all off), since the views it reads are SQL
// kept in the file; Options.Refuse makes it refuse a store whose views are
// not aiecon's, or whose functions shadow DuckDB's built-ins (viewcheck.go).
// Untrusted SQL (`aiecon sql` without --write, the dashboard's console)
// goes through CheckQuery, DuckDB's own parser, too.
//
// Reading: Runs, Run, KPIs, Windows and Compare read the registry and the
// aggregates only, never the requests table, so they stay fast on large
// files; Quantiles and the Scan functions read raw records.
//
// Files: store.go (Open, Close), lock.go (LockedError, waiting for a held
// file), orphanlog.go (a log without its store refused; LogReplayedError, a
// log found beside it and replayed), viewcheck.go (views and functions of
// the file's that are not aiecon's: warned of, or refused), settings.go (a second read-only Open's settings that DuckDB
// refuses, named), corrupt.go (CorruptError; DamagedError, which names the store a damaged read met), blockcheck.go (CheckBlocks: DuckDB's header and block checksums, read without DuckDB), repair.go (RepairCopy: torn checkpoints), cleanup.go (failed runs' partial rows),
// salvage.go (Salvage), writing.go (Writing: whether this process is writing a store file), guard.go (CheckQuery), bound.go (BoundQuery: each value of an
// untrusted query's result bounded before it is fetched), schema.go
// (migrations), runid.go (ids, ResolveRun), writer.go, append.go,
// reqappend.go and finish.go (the Sink), read.go, records.go, compare.go, export.go,
// outpath.go (NotFolderOnPath: an output path under a file, for export and chart),
// calibration.go, sweep.go and sweep_run.go (sweeps and their points),
// sqlvalue.go, sqltype.go and sqlmap.go (ColumnType.Value: a query's values as DuckDB prints
// them, a STRUCT's fields in the order its type names them, a MAP as a Map;
// CheckReadable: a column the driver cannot scan, named),
// merge.go (combining shard stores), merge_schema.go (an input's tables
// checked against the store's), schema_check.go and schema_tables.go (a
// file's tables checked against the schema at Open; another program's
// database refused), describe.go (the schema reference).
package data
