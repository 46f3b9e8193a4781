package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// SalvageStats says what Salvage copied out of a damaged store.
type SalvageStats struct {
	Runs        int          // complete runs copied with all their records
	Lost        []SalvageErr // complete runs DuckDB could not read in full
	NotComplete int          // failed or interrupted runs, left behind
	Sweeps      int          // sweeps copied (with their points)
	Forecasts   int          // forecasts copied (with their periods and the links to the runs copied)
	Extras      []SalvageErr // sweeps, forecasts or calibrations that could not be read, or links to runs left out
}

// SalvageErr is a run (or a table) that could not be copied, and why.
type SalvageErr struct {
	What string
	Err  error
}

// Salvage copies every complete run that DuckDB can still read in full out
// of the store file at input (a damaged or suspect store, attached
// read-only and never changed) into the new store at out, which must not
// exist. Each run is copied in its own transaction, so a run with a block
// that fails its checksum, or with fewer records than it was stored with, is
// left out whole and the others still come over; sweeps, their points,
// calibrations and forecasts (with their periods and their links to the
// runs copied) follow, each table as a whole. An interrupted salvage
// (ctx cancelled) returns ctx's error and removes the partial output.
func Salvage(ctx context.Context, input, out string) (st SalvageStats, err error) {
	in, err := filepath.Abs(input)
	if err != nil {
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	if err := salvageable(in); err != nil {
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	if _, err := os.Stat(out); err == nil {
		return st, fmt.Errorf("salvaging %s: the output %s exists; salvage writes a new file", input, out)
	}
	s, err := Open(out, Options{})
	if err != nil {
		RemoveCreated(out, err)
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	defer s.Close()
	kept := false
	defer func() {
		if kept {
			return
		}
		// Nothing, or half a store, that would read as a whole one: leave
		// none behind (the output did not exist before this call).
		s.Close()
		os.Remove(out)
		os.Remove(out + ".wal")
		if ctx.Err() != nil {
			err = fmt.Errorf("salvaging %s: interrupted after copying %d runs; the partial output %s was removed (the input is unchanged): %w",
				input, st.Runs, out, ctx.Err())
		}
	}()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "ATTACH "+quoteLiteral(in)+" AS aiecon_salvage (READ_ONLY)"); err != nil {
		return st, fmt.Errorf("salvaging %s: DuckDB cannot open it at all, so nothing can be read from it: %w", input, err)
	}
	defer conn.ExecContext(context.Background(), "DETACH aiecon_salvage") //nolint:errcheck // closing drops it too
	if err := checkAttachedForeign(ctx, conn, "aiecon_salvage", input); err != nil {
		return st, fmt.Errorf("salvaging %s: nothing to salvage: %w", input, err)
	}
	if err := salvageVersion(ctx, conn); err != nil {
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	if err := salvageAll(ctx, conn, &st); err != nil {
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	kept = true
	return st, nil
}

// salvageAll copies the runs, then the tables that stand beside them, into
// st; it fails only when the list of runs cannot be read or ctx ends.
func salvageAll(ctx context.Context, conn *sql.Conn, st *SalvageStats) error {
	ids, err := salvageIDs(ctx, conn, st)
	if err != nil {
		return fmt.Errorf("the list of runs cannot be read: %w", err)
	}
	children, err := runTables(ctx, conn)
	if err != nil {
		return err
	}
	var lacks error
	for _, t := range append([]string{"runs"}, children...) {
		if !inputHas(ctx, conn, t) {
			// DuckDB's catalog error named the output's table ("Did you
			// mean fix.kpis?") as if it were the input's.
			lacks = fmt.Errorf("the store lacks the table %s (dropped, through `aiecon sql --write` say), so none of its runs is complete", t)
			break
		}
	}
	for _, id := range ids {
		if lacks != nil {
			st.Lost = append(st.Lost, SalvageErr{What: "run " + id, Err: lacks})
			continue
		}
		if err := salvageRun(ctx, conn, id, children); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			st.Lost = append(st.Lost, SalvageErr{What: "run " + id, Err: err})
			continue
		}
		st.Runs++
	}
	for _, t := range []string{"sweeps", "sweep_points", "calibrations", "forecasts", "forecast_periods", "forecast_runs"} {
		n, err := salvageTable(ctx, conn, t)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			st.Extras = append(st.Extras, SalvageErr{What: t, Err: err})
		}
		switch t {
		case "sweeps":
			st.Sweeps = n
		case "forecasts":
			st.Forecasts = n
		}
	}
	if err := missingLinks(ctx, conn); err != nil {
		st.Extras = append(st.Extras, SalvageErr{What: "forecast runs", Err: err})
	}
	return ctx.Err()
}

// missingLinks says how many of the input's forecast runs were not copied
// (the run was lost or not complete): the forecast's periods still stand,
// but those links are gone.
func missingLinks(ctx context.Context, conn *sql.Conn) error {
	if !inputHas(ctx, conn, "forecast_runs") {
		return nil
	}
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM aiecon_salvage.forecast_runs WHERE run_id NOT IN (SELECT run_id FROM main.runs)`).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%d links from forecasts to runs that were not copied (their periods are kept)", n)
	}
	return nil
}

// inputHas reports whether the input store has table t (an older schema
// may lack the newer tables).
func inputHas(ctx context.Context, conn *sql.Conn, t string) bool {
	var n int
	err := conn.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE database_name = 'aiecon_salvage' AND schema_name = 'main' AND table_name = ?`, t).Scan(&n)
	return err == nil && n > 0
}

// salvageVersion refuses a store a newer aiecon wrote: its tables may hold
// what this build's schema has no column for, which the copy would drop
// while saying nothing was lost.
func salvageVersion(ctx context.Context, conn *sql.Conn) error {
	ver, err := attachedVersion(ctx, conn, "aiecon_salvage")
	if err != nil {
		return nil // the version table is there (checkAttachedForeign) but unreadable: the runs decide what can be copied
	}
	if want := SchemaVersion(); ver.Valid && int(ver.Int64) > want {
		return fmt.Errorf("its schema version %d is newer than this aiecon's %d: salvage it with the aiecon that wrote it (upgrade aiecon)", ver.Int64, want)
	}
	return nil
}

// attachedVersion is the schema version of the store attached as alias
// (merge's input, salvage's).
func attachedVersion(ctx context.Context, conn *sql.Conn, alias string) (sql.NullInt64, error) {
	var ver sql.NullInt64
	err := conn.QueryRowContext(ctx, `SELECT max(version) FROM `+alias+`.schema_version`).Scan(&ver)
	return ver, err
}

// salvageIDs lists the input's complete runs and counts the others.
func salvageIDs(ctx context.Context, conn *sql.Conn, st *SalvageStats) ([]string, error) {
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM aiecon_salvage.runs WHERE status <> 'complete'`).Scan(&st.NotComplete); err != nil {
		return nil, err
	}
	return queryStrings(ctx, conn, `SELECT run_id FROM aiecon_salvage.runs WHERE status = 'complete' ORDER BY run_id`)
}

// salvageRun copies one run and all its records, or nothing of it.
func salvageRun(ctx context.Context, conn *sql.Conn, id string, children []string) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	for _, t := range append([]string{"runs"}, children...) {
		// BY NAME: a store migrated from an older schema may order its
		// columns differently from a new one.
		q := fmt.Sprintf(`INSERT INTO main.%s BY NAME SELECT * FROM aiecon_salvage.%s WHERE run_id = ?`, t, t)
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
	}
	if err := storedCounts(ctx, tx, id); err != nil {
		return err
	}
	return tx.Commit()
}

// storedCounts checks that a copied run has the records it was stored
// with (runs.*_stored): a run whose rows were deleted, or whose blocks read
// back short, is not complete.
func storedCounts(ctx context.Context, tx *sql.Tx, id string) error {
	for _, tc := range runCountColumns {
		var stored sql.NullInt64
		var have int64
		q := fmt.Sprintf(`SELECT (SELECT %s FROM main.runs WHERE run_id = ?), (SELECT count(*) FROM main.%s WHERE run_id = ?)`, tc[1], tc[0])
		if err := tx.QueryRowContext(ctx, q, id, id).Scan(&stored, &have); err != nil {
			return fmt.Errorf("%s: %w", tc[0], err)
		}
		if stored.Valid && stored.Int64 != have {
			return fmt.Errorf("%s: %d rows read back of the %d it was stored with", tc[0], have, stored.Int64)
		}
	}
	return nil
}

// salvageTable copies a table without run_id as a whole (forecast_runs:
// the links to the runs copied), nothing where the input predates it.
func salvageTable(ctx context.Context, conn *sql.Conn, t string) (int, error) {
	if !inputHas(ctx, conn, t) {
		return 0, nil
	}
	q := fmt.Sprintf(`INSERT INTO main.%s BY NAME SELECT * FROM aiecon_salvage.%s`, t, t)
	if t == "forecast_runs" {
		q += ` WHERE run_id IN (SELECT run_id FROM main.runs)`
	}
	res, err := conn.ExecContext(ctx, q)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// salvageable refuses, before the output is created, an input that is no
// DuckDB file at all: missing, a directory, empty or of another kind.
func salvageable(in string) error {
	fi, err := os.Stat(in)
	if err != nil {
		return err
	}
	if err := checkDuckDBHeader(in); err != nil {
		return err
	}
	if fi.Size() == 0 {
		return fmt.Errorf("%w (an empty file: nothing to salvage)", ErrNotStore)
	}
	return nil
}

// RemoveCreated removes the store file at path, and its log, that an Open
// which failed with err created (a full disk fails the migrations after
// DuckDB made the file): the retry refused the empty file left behind as
// existing. The caller knows the file did not exist before; a file another
// process holds (a *LockedError) is that process's, and a log the Open
// refused to create a store over (ErrOrphanLog) the user's: both are left
// alone.
func RemoveCreated(path string, err error) {
	var le *LockedError
	if errors.As(err, &le) || errors.Is(err, ErrOrphanLog) {
		return // the log left there is the user's, not a file the Open made
	}
	// Through a symbolic link the store was made at the link's target
	// (storeFile), with its log beside it: remove those and keep the link,
	// which dangled before as it does after.
	path = storeFile(path)
	os.Remove(path)
	os.Remove(path + ".wal")
}
