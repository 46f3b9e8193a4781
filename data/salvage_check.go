package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
)

// CheckComplete does what Salvage does to decide that a store holds
// nothing damaged, without copying it: a handful of statements over all
// runs at once, where Salvage copies run by run (about 16 statements and a
// commit each: 30 ms of CPU a run, minutes for a store of thousands, and
// a whole copy of the store on disk, only to delete it). It reads every
// column of every row of the run tables and of the tables that stand
// beside them (DuckDB checks the checksum of each block it reads), and
// compares each complete run's record counts with those it was stored
// with (runs.*_stored), as Salvage's copy does.
//
// flaw is nil where Salvage would find the store undamaged, and st then
// holds what Salvage would report of it (the complete runs, sweeps and
// forecasts it would copy, the runs not complete, what is not aiecon's).
// Otherwise flaw says what the check found first (a run whose counts
// differ, a table that cannot be read, a column filled in, an older
// schema, a link to a run not complete), and the caller runs Salvage,
// which copies what can be copied and names what cannot, each run as
// before; st is then incomplete. err is for a store that cannot be
// checked at all (no DuckDB file, another program's, one a newer aiecon
// wrote, one in use) and for ctx's end. progress, when not nil, is called
// with the steps done of the total as each ends.
func CheckComplete(ctx context.Context, input string, progress func(done, total int)) (st SalvageStats, flaw, err error) {
	in, err := filepath.Abs(input)
	if err != nil {
		return st, nil, fmt.Errorf("checking %s: %w", input, err)
	}
	if err := salvageable(in); err != nil {
		return st, nil, fmt.Errorf("checking %s: %w", input, err)
	}
	ver, err := salvageVersion(ctx, in, input)
	if err != nil {
		return st, nil, fmt.Errorf("checking %s: %w", input, err)
	}
	if ver < SchemaVersion() {
		return st, fmt.Errorf("its schema version %d is older than this aiecon's %d: the copy is migrated", ver, SchemaVersion()), nil
	}
	// An empty store of aiecon's schema, in memory, stands where Salvage's
	// copy does: salvageColumns and leftOutObjects compare the input with it.
	db, err := sql.Open("duckdb", "?memory_limit="+url.QueryEscape(DefaultMemoryLimit))
	if err != nil {
		return st, nil, fmt.Errorf("checking %s: %w", input, err)
	}
	defer db.Close()
	if err := migrate(ctx, db, ver); err != nil {
		return st, nil, fmt.Errorf("checking %s: creating aiecon's schema in memory: %w", input, err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return st, nil, fmt.Errorf("checking %s: %w", input, err)
	}
	defer conn.Close()
	if err := attachSalvageInput(ctx, conn, in); err != nil {
		return st, nil, fmt.Errorf("checking %s: %w", input, err)
	}
	defer conn.ExecContext(context.Background(), "DETACH aiecon_salvage") //nolint:errcheck // closing drops it too
	flaw = checkAll(ctx, conn, &st, progress)
	if ctx.Err() != nil {
		return st, nil, fmt.Errorf("checking %s: interrupted: %w", input, ctx.Err())
	}
	return st, flaw, nil
}

// wholeTables are the tables Salvage copies as a whole, after the runs.
// forecast_checkpoints is what a stopped forecast keeps for a resume:
// left behind, the copy held the forecast's runs as runs of no forecast,
// and its --resume found nothing there to finish.
var wholeTables = []string{"sweeps", "sweep_points", "sweep_shards", "calibrations", "forecasts", "forecast_periods", "forecast_runs", "forecast_checkpoints"}

// checkAll is salvageAll without the copy: the first thing it finds that
// would make Salvage lose or fill in something, or nil.
func checkAll(ctx context.Context, conn *sql.Conn, st *SalvageStats, progress func(done, total int)) error {
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE status = 'complete'), count(*) FILTER (WHERE status <> 'complete')
		FROM aiecon_salvage.runs`).Scan(&st.Runs, &st.NotComplete); err != nil {
		return fmt.Errorf("the list of runs cannot be read: %w", err)
	}
	children, err := runTables(ctx, conn)
	if err != nil {
		return err
	}
	tables := append([]string{"runs"}, children...)
	for _, t := range tables {
		if !inputHas(ctx, conn, t) {
			return fmt.Errorf("the store lacks the table %s", t)
		}
	}
	cols, required, err := salvageColumns(ctx, conn, st)
	if err != nil {
		return err
	}
	if len(st.Filled) > 0 || len(required) > 0 {
		return errors.New("the store lacks columns of aiecon's, which the copy fills in or cannot carry")
	}
	total, done := len(tables)+len(runCountColumns)+len(wholeTables)+2, 0
	step := func() {
		if done++; progress != nil {
			progress(done, total)
		}
	}
	for _, t := range tables {
		if _, err := readBack(ctx, conn, t, cols[t]); err != nil {
			return err
		}
		step()
	}
	if err := duplicateRuns(ctx, conn); err != nil {
		return err
	}
	for _, tc := range runCountColumns {
		if err := countsDiffer(ctx, conn, tc[0], tc[1]); err != nil {
			return err
		}
		step()
	}
	if err := checkWholeTables(ctx, conn, st, cols, step); err != nil {
		return err
	}
	if err := checkLinks(ctx, conn); err != nil {
		return err
	}
	step()
	if err := leftOutObjects(ctx, conn, st); err != nil {
		return err
	}
	step()
	return ctx.Err()
}

// checkWholeTables reads each table Salvage copies whole, counting the
// sweeps and forecasts it would copy.
func checkWholeTables(ctx context.Context, conn *sql.Conn, st *SalvageStats, cols map[string]string, step func()) error {
	for _, t := range wholeTables {
		if !inputHas(ctx, conn, t) {
			step()
			continue
		}
		n, err := readBack(ctx, conn, t, cols[t])
		if err != nil {
			return err
		}
		switch t {
		case "sweeps":
			st.Sweeps = n
		case "forecasts":
			st.Forecasts = n
		}
		step()
	}
	return nil
}

// readBack reads every column cols of every row of the input's table t
// (hashing them, so that no column is skipped as unused) and counts them.
func readBack(ctx context.Context, conn *sql.Conn, t, cols string) (int, error) {
	if cols == "" {
		return 0, fmt.Errorf("%s: the store's table has none of aiecon's columns", t)
	}
	var n int
	var h sql.NullInt64
	q := fmt.Sprintf(`SELECT count(*), bit_xor(hash(%s) >> 1)::BIGINT FROM aiecon_salvage.%s`, cols, t)
	if err := conn.QueryRowContext(ctx, q).Scan(&n, &h); err != nil {
		return 0, fmt.Errorf("%s: cannot be read in full: %w", t, err)
	}
	return n, nil
}

// duplicateRuns finds a run_id that more than one row of runs holds
// (whatever their status: Salvage copies a complete run's rows by its id):
// Salvage's copy of it would break the copy's primary key, and the counts
// below would count its records twice.
func duplicateRuns(ctx context.Context, conn *sql.Conn) error {
	var id sql.NullString
	err := conn.QueryRowContext(ctx, `SELECT min(run_id) FROM (SELECT run_id FROM aiecon_salvage.runs
		GROUP BY run_id HAVING count(*) > 1)`).Scan(&id)
	if err != nil {
		return fmt.Errorf("runs: %w", err)
	}
	if id.Valid {
		return fmt.Errorf("run %s: more than one row of runs", id.String)
	}
	return nil
}

// countsDiffer finds a complete run whose rows in table t are not the
// number its runs column col says it was stored with: storedCounts, for
// all runs at once.
func countsDiffer(ctx context.Context, conn *sql.Conn, t, col string) error {
	var n int
	var id sql.NullString
	q := fmt.Sprintf(`SELECT count(*), min(r.run_id) FROM aiecon_salvage.runs r
		LEFT JOIN (SELECT run_id, count(*) AS n FROM aiecon_salvage.%s GROUP BY run_id) c ON c.run_id = r.run_id
		WHERE r.status = 'complete' AND r.%s IS NOT NULL AND coalesce(c.n, 0) <> r.%s`, t, col, col)
	if err := conn.QueryRowContext(ctx, q).Scan(&n, &id); err != nil {
		return fmt.Errorf("%s: counting each run's rows: %w", t, err)
	}
	if n > 0 {
		return fmt.Errorf("%d complete runs (run %s first) have in %s other than the rows they were stored with", n, id.String, t)
	}
	return nil
}

// checkLinks finds links from forecasts to runs Salvage would not copy
// (not complete): missingLinks, before any copy.
func checkLinks(ctx context.Context, conn *sql.Conn) error {
	if !inputHas(ctx, conn, "forecast_runs") {
		return nil
	}
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM aiecon_salvage.forecast_runs
		WHERE run_id NOT IN (SELECT run_id FROM aiecon_salvage.runs WHERE status = 'complete')`).Scan(&n); err != nil {
		return fmt.Errorf("forecast_runs: %w", err)
	}
	if n > 0 {
		return fmt.Errorf("%d links from forecasts to runs that are not complete", n)
	}
	return nil
}
