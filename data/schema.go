package data

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// The schema lives in numbered SQL files applied in order; each one runs in
// its own transaction together with the schema_version row that records it,
// so a file is either fully applied or not at all.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one forward step of the schema.
type migration struct {
	Version int
	Name    string // file name without the number and extension
	SQL     string
}

// migrations returns the embedded migrations in version order; it panics on a
// malformed file name, which is a build-time mistake caught by every test.
func migrations() []migration {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		panic(fmt.Sprintf("data: reading embedded migrations: %v", err))
	}
	var ms []migration
	for _, e := range entries {
		base := strings.TrimSuffix(e.Name(), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			panic(fmt.Sprintf("data: migration file %q is not named NNNN_name.sql", e.Name()))
		}
		body, err := migrationFS.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			panic(fmt.Sprintf("data: reading migration %s: %v", e.Name(), err))
		}
		ms = append(ms, migration{Version: v, Name: name, SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			panic(fmt.Sprintf("data: migrations are not numbered 1..n without gaps: found %04d at position %d", m.Version, i+1))
		}
	}
	return ms
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return len(migrations()) }

const createVersionTable = `CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
COMMENT ON TABLE schema_version IS 'Schema migrations applied to this file, one row per version';
COMMENT ON COLUMN schema_version.version IS '[index] migration number';
COMMENT ON COLUMN schema_version.name IS '[text] migration name';
COMMENT ON COLUMN schema_version.applied_at IS '[UTC] when it was applied';`

// currentVersion reads the highest applied migration; 0 for an empty file.
func currentVersion(ctx context.Context, db *sql.DB) (int, error) {
	var exists bool
	err := db.QueryRowContext(ctx,
		`SELECT system.main.count(*) > 0 FROM system.main.duckdb_tables() WHERE table_name = 'schema_version' AND schema_name = 'main'`).Scan(&exists)
	if err != nil {
		return 0, fmt.Errorf("reading the schema version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v sql.NullInt64
	// DuckDB's own max, not a macro max the store may define (viewcheck.go).
	if err := db.QueryRowContext(ctx, `SELECT system.main.max(version) FROM schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("reading the schema version: %w", err)
	}
	return int(v.Int64), nil
}

// migrate applies the migrations above the file's version, up to target,
// then checkpoints. The checkpoint matters: DuckDB 1.5.6 cannot replay a
// COMMENT ON statement from its write-ahead log (the replay fails with
// "GetDefaultDatabase with no default database set"), so a crash that left
// one in the log would make the file unopenable. Checkpointing right after
// the schema changes keeps them out of the log; for the same reason nothing
// here runs DDL when the schema is already current.
func migrate(ctx context.Context, db *sql.DB, target int) error {
	ms := migrations()
	if target > len(ms) {
		return fmt.Errorf("migrating: no migration %d (this build has %d)", target, len(ms))
	}
	cur, err := currentVersion(ctx, db)
	if err != nil {
		return err
	}
	if cur >= target {
		return nil
	}
	if cur == 0 {
		if _, err := db.ExecContext(ctx, createVersionTable); err != nil {
			return fmt.Errorf("creating schema_version: %w", err)
		}
	}
	for i, m := range ms[cur:target] {
		if err := applyMigration(ctx, db, m, cur+i+1 == target); err != nil {
			return err
		}
	}
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return fmt.Errorf("checkpointing after the migrations: %w", err)
	}
	return nil
}

// applyMigration applies m in one transaction; the last migration that
// migrate applies also gives the views' pass-through columns their bases' comments
// (inheritViewComments).
func applyMigration(ctx context.Context, db *sql.DB, m migration, last bool) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
	}
	if last {
		if err := inheritViewComments(ctx, tx); err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, name) VALUES (?, ?)`, m.Version, m.Name); err != nil {
		return fmt.Errorf("migration %04d_%s: recording it: %w", m.Version, m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %04d_%s: commit: %w", m.Version, m.Name, err)
	}
	return nil
}
