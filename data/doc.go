// Package data is the DuckDB store of aiecon runs: the schema and its forward
// migrations, the writer that implements sim.Sink with DuckDB's Appender from
// a single goroutine, the run and sweep registry, exports (Parquet, CSV) and
// the read queries behind the CLI, the dashboard and the plots.
package data
