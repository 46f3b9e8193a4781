package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Merging stores: the shards of a sweep run on several machines each write
// their own file; Merge copies one such file into this store. Rows are
// matched by id: a run, sweep, sweep point or calibration that is already
// here with identical content is skipped (merging twice changes nothing),
// one that is here with other content is an error and nothing of that input
// is copied. For a run, content means its inputs (runIdentity), and its
// state only when both copies are complete: a run failed here and complete
// in the input is replaced, one failed or interrupted in either is skipped.

// MergeStats says what one Merge copied and what it found already present.
type MergeStats struct {
	Input                 string
	Runs, RunsPresent     int
	Sweeps, SweepsPresent int
	Points                int
	Calibrations          int
	Forecasts             int // forecasts copied with their periods and run links
	ForecastsPresent      int // the input's forecasts already here (another shard's), which take its periods
	ForecastPeriods       int // (forecast, variant, sample, period) results copied, to a new forecast or one already here
	Interrupted           int // runs left "running" in the input, copied as failed
	Replaced              int // runs failed here and complete in the input, replaced by the input's
	// InterruptedAlive and InterruptedGone are those of Interrupted whose
	// writer is known to be still writing them elsewhere (the input is a
	// copy of a live store) or known to have exited; for the others, on
	// another host or with no writer recorded, it cannot be told.
	InterruptedAlive, InterruptedGone int
	// Stopped are the input's unfinished forecasts (kept for a resume),
	// whose kept rows are not copied: their runs are, as runs of no
	// forecast (merger.stopped).
	Stopped []KeptForecast
	// CopiedBuilds are the builds of the complete runs copied, HeldBuilds
	// those of the complete runs here before: a store may hold several,
	// but the user should know (NewBuilds).
	CopiedBuilds, HeldBuilds []BuildCount
	// Pooled are the sweeps and forecasts to which the input added another
	// build's work, as MergeOptions.AllowOtherBuild asked.
	Pooled []BuildMix
	// OwnTables are the input's tables that are not aiecon's (made with
	// `aiecon sql --write`), schema-qualified outside main: merge copies
	// aiecon's tables only (inputOwnTables).
	OwnTables []string
	// OwnViews are likewise the input's views that are not aiecon's:
	// merge makes OUT's views from aiecon's schema, not the input's.
	OwnViews []string
}

// ErrMergeConflict is wrapped when an input holds an id that this store has
// with other content.
var ErrMergeConflict = errors.New("merge conflict")

// Tables Merge handles by name; every other table must carry run_id and is
// copied with its run. What a stopped forecast keeps for a resume
// (forecast_checkpoints) is not copied (merger.stopped says why).
var mergeOwnTables = []string{"schema_version", "runs", "sweeps", "sweep_points", "sweep_shards", "calibrations",
	"forecasts", "forecast_periods", "forecast_runs", "forecast_checkpoints"}

// Merge copies the runs (with every record of each, except a failed run's
// partial records), sweeps, sweep points and calibrations of the store file
// at input into s, in one transaction.
// The input is attached read-only and must not be open for writing by any
// process (DuckDB refuses then); it must have this build's schema version.
//
// A damaged block met on the way is named as the input's or as this
// store's (DamagedError), so that the user runs doctor on the right file.
// An input that would add another build's runs to a sweep here (or its
// periods to a forecast) is refused with an *OtherBuildError.
func (s *Store) Merge(ctx context.Context, input string) (MergeStats, error) {
	return s.MergeWith(ctx, input, MergeOptions{})
}

// MergeWith is Merge, with the choices opts makes.
func (s *Store) MergeWith(ctx context.Context, input string, opts MergeOptions) (MergeStats, error) {
	st, err := s.merge(ctx, input, opts)
	if err != nil && LooksDamaged(err) && DamagedStore(err) == "" {
		err = DamagedAt(s.damagedOf(input), err)
	}
	return st, err
}

// damagedOf says which of the input and this store holds the damage a
// merge met: DuckDB's checksum errors name no file, and both were read in
// one transaction. The input is checked block by block (it is only read,
// so it holds still); when every block holds, the damage is this store's.
func (s *Store) damagedOf(input string) string {
	c, err := CheckBlocks(input)
	if err != nil || len(c.Bad) > 0 || c.HeaderBlocks > c.Blocks {
		return input
	}
	return s.path
}

// merge is Merge, less naming the damaged store.
func (s *Store) merge(ctx context.Context, input string, opts MergeOptions) (MergeStats, error) {
	st := MergeStats{Input: input}
	// A log beside the input is replayed as DuckDB attaches it, and its
	// rows are then copied: said as Open says it of --db, since the log may
	// belong to another file put at the path since (LogReplayedError).
	abs, err := filepath.Abs(input)
	if err != nil {
		return st, fmt.Errorf("merging %s: %w", input, err)
	}
	logged := hasLog(abs)
	conn, err := s.attachInput(ctx, input)
	if err != nil {
		return st, err
	}
	defer conn.Close()
	if logged && s.warn != nil {
		s.warn(&LogReplayedError{Path: input, Log: abs + ".wal", ReadOnly: true})
	}
	defer conn.ExecContext(context.Background(), "DETACH aiecon_merge_input") //nolint:errcheck // best effort; closing the connection drops it too
	children, err := runTables(ctx, conn)
	if err != nil {
		return st, fmt.Errorf("merging %s: %w", input, err)
	}
	if st.OwnTables, err = inputOwnTables(ctx, conn); err != nil {
		return st, fmt.Errorf("merging %s: %w", input, err)
	}
	if st.OwnViews, err = inputOwnViews(ctx, conn); err != nil {
		return st, fmt.Errorf("merging %s: %w", input, err)
	}

	s.state.metaMu.Lock()
	defer s.state.metaMu.Unlock()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return st, fmt.Errorf("merging %s: %w", input, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	m := merger{ctx: ctx, tx: tx, input: input, opts: opts}
	if err := m.runs(&st, children); err != nil {
		return st, err
	}
	if err := m.sweeps(&st); err != nil {
		return st, err
	}
	if err := m.calibrations(&st); err != nil {
		return st, err
	}
	if err := m.forecasts(&st); err != nil {
		return st, err
	}
	if err := m.stopped(&st); err != nil {
		return st, err
	}
	if err := tx.Commit(); err != nil {
		return st, fmt.Errorf("merging %s: commit: %w", input, err)
	}
	return st, nil
}

// CheckMergeInput checks, without copying anything, what Merge checks of
// input before it copies: that it is another file, an aiecon store of this
// aiecon's schema version with aiecon's tables, not in use. merge checks
// every input so before it merges the first: an input refused after
// others were merged left the output half-merged.
func (s *Store) CheckMergeInput(ctx context.Context, input string) error {
	conn, err := s.attachInput(ctx, input)
	if err != nil {
		if LooksDamaged(err) && DamagedStore(err) == "" {
			err = DamagedAt(input, err) // only the input was read
		}
		return err
	}
	conn.ExecContext(context.Background(), "DETACH aiecon_merge_input") //nolint:errcheck // closing the connection drops it too
	return conn.Close()
}

// attachInput attaches input to a connection of its own as
// aiecon_merge_input, read-only, once it passes CheckMergeInput's checks.
// The caller detaches it and closes the connection.
func (s *Store) attachInput(ctx context.Context, input string) (*sql.Conn, error) {
	if s.readOnly {
		return nil, fmt.Errorf("merging %s: the store %s is open read-only", input, s.path)
	}
	abs, err := filepath.Abs(input)
	if err != nil {
		return nil, fmt.Errorf("merging %s: %w", input, err)
	}
	if storeFile(abs) == s.key {
		return nil, fmt.Errorf("merging %s: it is the output store itself", input)
	}
	if fi, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("merging %s: %w", input, err)
	} else if fi.Mode().IsRegular() && fi.Size() == 0 {
		// openError's advice for an empty file (remove it, and aiecon
		// creates a store there) is for --db: an input holds nothing to merge.
		return nil, fmt.Errorf("merging %s: %w (an empty file, which holds no runs: a store whose creation was stopped, or the wrong path? leave it out of the inputs)",
			input, ErrNotStore)
	}
	if err := checkDuckDBHeader(abs, "each input of merge is an aiecon store file"); err != nil { // a directory or another file: DuckDB's I/O error says less
		return nil, fmt.Errorf("merging %s: %w", input, err)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("merging %s: %w", input, err)
	}
	if _, err := conn.ExecContext(ctx, "ATTACH "+quoteLiteral(abs)+" AS aiecon_merge_input (READ_ONLY)"); err != nil {
		conn.Close()
		return nil, fmt.Errorf("merging: %w", openError(input, "merge's INPUT", err))
	}
	if err := checkAttachedInput(ctx, conn, input); err != nil {
		conn.ExecContext(context.Background(), "DETACH aiecon_merge_input") //nolint:errcheck // closing the connection drops it too
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// checkAttachedInput checks the input attached as aiecon_merge_input: an
// aiecon store of this aiecon's schema version, with aiecon's tables.
func checkAttachedInput(ctx context.Context, conn *sql.Conn, input string) error {
	if err := checkAttachedForeign(ctx, conn, "aiecon_merge_input", input); err != nil {
		return fmt.Errorf("merging %s: %w; nothing of it was copied", input, err)
	}
	ver, err := attachedVersion(ctx, conn, "aiecon_merge_input")
	if err != nil {
		return fmt.Errorf("merging %s: it is not an aiecon store (no schema_version): %w", input, err)
	}
	if !ver.Valid {
		// An empty schema_version was read as version 0, "older", with
		// advice to migrate it through `sql --write`, which refuses it as
		// Open does: no schema version, no migration.
		return fmt.Errorf("merging %s: %w: its schema_version table has aiecon's columns but records no schema version (emptied after aiecon wrote it?), "+
			"so no aiecon command can tell which schema its tables have or migrate it; nothing of it was copied", input, ErrForeignDatabase)
	}
	if want := SchemaVersion(); int(ver.Int64) != want {
		if int(ver.Int64) < want {
			return olderSchema{fmt.Sprintf("merging %s: its schema version %d is older than this aiecon's %d; open it once read-write to migrate it (e.g. `aiecon sql --write 'select 1' --db %s`)", input, ver.Int64, want, input)}
		}
		return errNewerSchema("merging %s: its schema version %d is newer than this aiecon's %d: upgrade aiecon", input, ver.Int64, want)
	}
	if err := checkMergeSchema(ctx, conn, input); err != nil {
		return err
	}
	if _, err := runTables(ctx, conn); err != nil { // a table merge cannot copy
		return fmt.Errorf("merging %s: %w", input, err)
	}
	return nil
}

// runTables lists aiecon's tables (schemaTables) other than
// mergeOwnTables; each must have a run_id column, or Merge would silently
// leave its rows behind. A table of the user's own in the store is left
// as it is: no input has it to copy, and merge refused every input over it.
func runTables(ctx context.Context, conn *sql.Conn) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT t.table_name, count(c.column_name) FILTER (WHERE c.column_name = 'run_id')
		FROM duckdb_tables() t JOIN duckdb_columns() c ON c.database_name = t.database_name AND c.schema_name = t.schema_name AND c.table_name = t.table_name
		WHERE t.database_name = current_database() AND t.schema_name = 'main' AND NOT t.temporary
		GROUP BY t.table_name ORDER BY t.table_name`)
	if err != nil {
		return nil, fmt.Errorf("listing tables: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		var hasRun int
		if err := rows.Scan(&name, &hasRun); err != nil {
			return nil, fmt.Errorf("listing tables: %w", err)
		}
		if _, ours := schemaTables[name]; !ours || slices.Contains(mergeOwnTables, name) {
			continue
		}
		if hasRun == 0 {
			return nil, fmt.Errorf("table %s has no run_id column and merge does not know how to copy it", name)
		}
		out = append(out, name)
	}
	return out, rows.Err()
}

// inputOwnTables lists the tables of the input attached as
// aiecon_merge_input that are not aiecon's: merge copies aiecon's tables
// only, and left a table of the user's own behind without a word, so that
// a merged study silently lacked the notes a shard kept beside its runs.
func inputOwnTables(ctx context.Context, conn *sql.Conn) ([]string, error) {
	return inputOwn(ctx, conn, "tables", `SELECT schema_name, table_name FROM duckdb_tables()
		WHERE database_name = 'aiecon_merge_input' AND NOT temporary ORDER BY schema_name, table_name`,
		func(name string) bool { _, ours := schemaTables[name]; return ours })
}

// inputOwnViews lists the views of the input that are not aiecon's, which
// merge leaves behind as it does the user's tables: a shard's view over
// its runs was gone from the merged store without a word.
func inputOwnViews(ctx context.Context, conn *sql.Conn) ([]string, error) {
	return inputOwn(ctx, conn, "views", `SELECT schema_name, view_name FROM duckdb_views()
		WHERE database_name = 'aiecon_merge_input' AND NOT internal AND NOT temporary ORDER BY schema_name, view_name`,
		func(name string) bool { _, ours := schemaViews[name]; return ours })
}

// inputOwn lists the (schema, name) rows of query whose name is not one
// of aiecon's in main (ours), schema-qualified outside main.
func inputOwn(ctx context.Context, conn *sql.Conn, what, query string, ours func(string) bool) ([]string, error) {
	rows, err := conn.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("listing the input's %s: %w", what, err)
	}
	defer rows.Close()
	var own []string
	for rows.Next() {
		var schema, name string
		if err := rows.Scan(&schema, &name); err != nil {
			return nil, fmt.Errorf("listing the input's %s: %w", what, err)
		}
		if schema == "main" && ours(name) {
			continue
		}
		if schema != "main" {
			name = schema + "." + name
		}
		own = append(own, name)
	}
	return own, rows.Err()
}

type merger struct {
	ctx   context.Context
	tx    *sql.Tx
	input string
	opts  MergeOptions
}

func (m merger) exec(what, q string, args ...any) (int, error) {
	res, err := m.tx.ExecContext(m.ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("merging %s: %s: %w", m.input, what, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

func (m merger) count(what, q string) (int, error) {
	var n int
	if err := m.tx.QueryRowContext(m.ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("merging %s: %s: %w", m.input, what, err)
	}
	return n, nil
}

// conflicts returns up to 5 ids (the first column of q's rows) as an error.
func (m merger) conflicts(what, q string) error {
	rows, err := m.tx.QueryContext(m.ctx, q+" LIMIT 6")
	if err != nil {
		return fmt.Errorf("merging %s: checking %s: %w", m.input, what, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("merging %s: checking %s: %w", m.input, what, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("merging %s: checking %s: %w", m.input, what, err)
	}
	if len(ids) == 0 {
		return nil
	}
	if len(ids) > 5 {
		ids = append(ids[:5], "...")
	}
	return fmt.Errorf("merging %s: %w: %s %s already in the output with other content; nothing of this input was merged", m.input, ErrMergeConflict, what, strings.Join(ids, ", "))
}

// The input's runs as they are merged: a run left "running" in the input is
// copied as failed, with the error merge_interrupted gives it (markRunning).
// A failed run comes without its partial records (copyRuns), so it stores
// none of them, as removePartialRows leaves it.
const mergeRunsView = `CREATE TEMP VIEW merge_runs AS SELECT r.* REPLACE (
	CASE WHEN r.status = 'running' THEN 'failed' ELSE r.status END AS status,
	CASE WHEN r.status = 'running' THEN e.error ELSE r.error END AS error,
	CASE WHEN r.status = 'complete' THEN r.requests_stored ELSE 0 END AS requests_stored,
	CASE WHEN r.status = 'complete' THEN r.sessions_stored ELSE 0 END AS sessions_stored,
	CASE WHEN r.status = 'complete' THEN r.auctions_stored ELSE 0 END AS auctions_stored,
	CASE WHEN r.status = 'complete' THEN r.windows_stored ELSE 0 END AS windows_stored)
	FROM aiecon_merge_input.runs r LEFT JOIN merge_interrupted e ON e.run_id = r.run_id`

// markRunning gives each run left "running" in the input the error it is
// copied with (merge_interrupted). Such a run is incomplete here either
// way, but it was left so for one of two reasons: its writer stopped (a
// kill, a lost machine), or the input is a copy of a store taken while the
// run was still being written (a snapshot, a cp of a live store), whose
// writer may yet finish it in the original. The writer's PID and host
// tell them apart where they can (writerState); otherwise the error names
// both. It counts the runs merge copies (not already here) in st.
func (m merger) markRunning(st *MergeStats) error {
	if _, err := m.exec("reading runs", `CREATE TEMP TABLE merge_interrupted (run_id VARCHAR, error VARCHAR)`); err != nil {
		return err
	}
	type left struct {
		id, host, start string
		pid             int
		here            bool
	}
	var runs []left
	rows, err := m.tx.QueryContext(m.ctx, `SELECT run_id, coalesce(writer_pid, 0), coalesce(writer_host, ''), coalesce(writer_start, ''),
		run_id IN (SELECT run_id FROM main.runs) FROM aiecon_merge_input.runs WHERE status = 'running' ORDER BY run_id`)
	if err != nil {
		return fmt.Errorf("merging %s: reading runs left running: %w", m.input, err)
	}
	for rows.Next() {
		var r left
		if err := rows.Scan(&r.id, &r.pid, &r.host, &r.start, &r.here); err != nil {
			rows.Close()
			return fmt.Errorf("merging %s: reading runs left running: %w", m.input, err)
		}
		runs = append(runs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("merging %s: reading runs left running: %w", m.input, err)
	}
	for _, r := range runs {
		state := writerState(r.pid, r.host, r.start)
		if !r.here {
			st.Interrupted++
			st.InterruptedAlive += b2i(state == writerAlive)
			st.InterruptedGone += b2i(state == writerDead)
		}
		if _, err := m.exec("reading runs", `INSERT INTO merge_interrupted VALUES (?, ?)`, r.id, mergeInterruptedError(m.input, r.pid, r.host, state)); err != nil {
			return err
		}
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// mergeInterruptedError is the error a run left "running" in input is
// copied with, as its writer's state says why it was left so.
func mergeInterruptedError(input string, pid int, host string, state writerStatus) string {
	writer := "its writer"
	if pid > 0 && host != "" {
		writer = fmt.Sprintf("its writer (PID %d on %s)", pid, host)
	}
	switch state {
	case writerAlive:
		return fmt.Sprintf("interrupted: still running in %s when that file was copied (%s is still writing the original), "+
			"so incomplete here; merging the original again once the run has finished replaces this copy", input, writer)
	case writerDead:
		return fmt.Sprintf("interrupted: left running in %s, as %s stopped before the run finished, so incomplete here", input, writer)
	}
	return fmt.Sprintf("interrupted: still running in %s when it was merged, so incomplete here: either %s stopped before the run finished, "+
		"or %s is a copy taken while the run was being written (a snapshot, a cp of a live store)", input, writer, input)
}

// runIdentity are the columns of runs that say which run a row is: what the
// run was registered with (its scenario as given and resolved, seed,
// horizon, sweep point, version, writer and start), which nothing changes
// afterwards. (Seed and horizon are written again as the run ends, from the
// simulator's meta, which repeats the resolved scenario's.) The other
// columns are the run's state: status, error, finish time, the simulator's
// summary and the *_stored counts. Two copies of one run may differ there
// without being two runs: merging marks an interrupted run failed with its
// own error text, the shard's next open marks it failed with another, an
// open zeroes a failed run's counts as it removes its partial rows, and a
// shard copied mid-run holds a run that the shard itself later finished.
var runIdentity = []string{"run_id", "name", "description", "scenario_yaml", "resolved_yaml", "seed",
	"aiecon_version", "started_at", "horizon_ns", "sweep_id", "sweep_point", "replication", "params_json",
	"writer_pid", "writer_host", "writer_start", "calibration_sha256", "calibration_created", "calibration_summary"}

// runs merges the input's runs. A run already here is matched on
// runIdentity (other inputs under its id are a conflict) and then by status:
// complete on both sides, its row and KPIs must be identical (a complete run
// is written once); failed here and complete in the input, the complete one
// replaces it with all its records (the shard finished, or resumed, what
// the output saw interrupted); otherwise the output's copy stays.
func (m merger) runs(st *MergeStats, children []string) error {
	if err := m.markRunning(st); err != nil {
		return err
	}
	defer m.tx.ExecContext(m.ctx, "DROP TABLE IF EXISTS merge_interrupted") //nolint:errcheck // a temp table, gone with the connection anyway
	if _, err := m.exec("reading runs", mergeRunsView); err != nil {
		return err
	}
	defer m.tx.ExecContext(m.ctx, "DROP VIEW IF EXISTS merge_runs") //nolint:errcheck // a temp view, gone with the connection anyway
	if err := m.runConflicts(); err != nil {
		return err
	}
	if err := m.planRuns(st); err != nil {
		return err
	}
	defer m.tx.ExecContext(m.ctx, "DROP TABLE IF EXISTS merge_copy") //nolint:errcheck // a temp table, gone with the connection anyway
	mixes, err := m.builds(st)
	if err != nil {
		return err
	}
	if len(mixes) > 0 && !m.opts.AllowOtherBuild {
		return &OtherBuildError{Input: m.input, Mixes: mixes}
	}
	st.Pooled = mixes
	return m.copyRuns(st, children)
}

// runConflicts refuses runs here whose inputs differ from the input's, and
// complete runs whose row or KPIs differ.
func (m merger) runConflicts() error {
	cols := strings.Join(runIdentity, ", ")
	if err := m.conflicts("runs", `SELECT run_id FROM (SELECT `+cols+` FROM merge_runs WHERE run_id IN (SELECT run_id FROM main.runs)
		EXCEPT SELECT `+cols+` FROM main.runs) ORDER BY run_id`); err != nil {
		return err
	}
	const bothComplete = `(SELECT run_id FROM main.runs WHERE status = 'complete' AND run_id IN
		(SELECT run_id FROM aiecon_merge_input.runs WHERE status = 'complete'))`
	if err := m.conflicts("runs", `SELECT run_id FROM (SELECT * FROM merge_runs WHERE run_id IN `+bothComplete+`
		EXCEPT SELECT * FROM main.runs) ORDER BY run_id`); err != nil {
		return err
	}
	return m.conflicts("KPIs of runs", `SELECT DISTINCT run_id FROM (
		(SELECT * FROM aiecon_merge_input.kpis WHERE run_id IN `+bothComplete+` EXCEPT ALL
		 SELECT * FROM main.kpis WHERE run_id IN `+bothComplete+`)
		UNION ALL
		(SELECT * FROM main.kpis WHERE run_id IN `+bothComplete+` EXCEPT ALL
		 SELECT * FROM aiecon_merge_input.kpis WHERE run_id IN `+bothComplete+`)) ORDER BY run_id`)
}

// planRuns lists in merge_copy the runs to copy: those not here, and those
// failed here that the input has complete (replaces).
func (m merger) planRuns(st *MergeStats) error {
	if _, err := m.exec("listing runs to copy", `CREATE TEMP TABLE merge_copy AS
		SELECT i.run_id, i.status = 'failed' AS failed, o.run_id IS NOT NULL AS replaces FROM merge_runs i LEFT JOIN main.runs o ON o.run_id = i.run_id
		WHERE o.run_id IS NULL OR (o.status = 'failed' AND i.status = 'complete')`); err != nil {
		return err
	}
	var err error
	if st.Replaced, err = m.count("counting runs", `SELECT count(*) FROM merge_copy WHERE replaces`); err != nil {
		return err
	}
	if st.RunsPresent, err = m.count("counting runs", `SELECT count(*) FROM aiecon_merge_input.runs WHERE run_id IN (SELECT run_id FROM main.runs)`); err != nil {
		return err
	}
	st.RunsPresent -= st.Replaced
	return nil
}

// copyRuns removes the runs that merge_copy replaces, with every record of
// each, and copies its runs from the input. A failed run's rows in
// partialTables stay behind: they are partial, the output's next open would
// remove them, and until then read-only queries (requests_v) would count
// them.
func (m merger) copyRuns(st *MergeStats, children []string) error {
	for _, t := range append([]string{"runs"}, children...) {
		if _, err := m.exec("replacing failed runs in "+t, fmt.Sprintf(`DELETE FROM main.%s WHERE run_id IN (SELECT run_id FROM merge_copy WHERE replaces)`, t)); err != nil {
			return err
		}
	}
	n, err := m.exec("copying runs", `INSERT INTO main.runs SELECT * FROM merge_runs WHERE run_id IN (SELECT run_id FROM merge_copy)`)
	if err != nil {
		return err
	}
	st.Runs = n - st.Replaced
	for _, t := range children {
		which := "SELECT run_id FROM merge_copy"
		if slices.Contains(partialTables, t) {
			which += " WHERE NOT failed"
		}
		if _, err := m.exec("copying "+t, fmt.Sprintf(`INSERT INTO main.%s SELECT * FROM aiecon_merge_input.%s WHERE run_id IN (%s)`, t, t, which)); err != nil {
			return err
		}
	}
	return nil
}

func (m merger) sweeps(st *MergeStats) error {
	// Shards of one sweep register it identically except for when they did.
	if err := m.conflicts("sweeps", `SELECT sweep_id FROM (
		SELECT sweep_id, name, description, spec_yaml, points, replications FROM aiecon_merge_input.sweeps WHERE sweep_id IN (SELECT sweep_id FROM main.sweeps)
		EXCEPT SELECT sweep_id, name, description, spec_yaml, points, replications FROM main.sweeps) ORDER BY sweep_id`); err != nil {
		return err
	}
	if err := m.conflicts("sweep points", `SELECT sweep_id || ' point ' || point FROM (
		SELECT * FROM aiecon_merge_input.sweep_points i WHERE EXISTS (SELECT 1 FROM main.sweep_points o WHERE o.sweep_id = i.sweep_id AND o.point = i.point)
		EXCEPT SELECT * FROM main.sweep_points) ORDER BY 1`); err != nil {
		return err
	}
	var err error
	if st.SweepsPresent, err = m.count("counting sweeps", `SELECT count(*) FROM aiecon_merge_input.sweeps WHERE sweep_id IN (SELECT sweep_id FROM main.sweeps)`); err != nil {
		return err
	}
	if _, err := m.exec("dating sweeps", `UPDATE main.sweeps o SET created_at = i.created_at FROM aiecon_merge_input.sweeps i
		WHERE o.sweep_id = i.sweep_id AND i.created_at < o.created_at`); err != nil {
		return err
	}
	if st.Sweeps, err = m.exec("copying sweeps", `INSERT INTO main.sweeps SELECT * FROM aiecon_merge_input.sweeps WHERE sweep_id NOT IN (SELECT sweep_id FROM main.sweeps)`); err != nil {
		return err
	}
	// The shards each input ran add up: a store of every shard merged
	// records them all, and doctor takes it for the whole sweep.
	if _, err := m.exec("copying sweep shards", `INSERT INTO main.sweep_shards SELECT * FROM aiecon_merge_input.sweep_shards i
		WHERE NOT EXISTS (SELECT 1 FROM main.sweep_shards o WHERE o.sweep_id = i.sweep_id AND o.shard = i.shard AND o.shards = i.shards)`); err != nil {
		return err
	}
	if st.Points, err = m.exec("copying sweep points", `INSERT INTO main.sweep_points SELECT * FROM aiecon_merge_input.sweep_points i
		WHERE NOT EXISTS (SELECT 1 FROM main.sweep_points o WHERE o.sweep_id = i.sweep_id AND o.point = i.point)`); err != nil {
		return err
	}
	return nil
}

func (m merger) calibrations(st *MergeStats) error {
	if err := m.conflicts("calibrations", `SELECT calibration_id FROM (
		SELECT * FROM aiecon_merge_input.calibrations WHERE calibration_id IN (SELECT calibration_id FROM main.calibrations)
		EXCEPT SELECT * FROM main.calibrations) ORDER BY calibration_id`); err != nil {
		return err
	}
	var err error
	st.Calibrations, err = m.exec("copying calibrations", `INSERT INTO main.calibrations SELECT * FROM aiecon_merge_input.calibrations
		WHERE calibration_id NOT IN (SELECT calibration_id FROM main.calibrations)`)
	return err
}
