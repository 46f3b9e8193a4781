package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
)

// SalvageStats says what Salvage copied out of a damaged store.
type SalvageStats struct {
	Runs        int          // complete runs copied with all their records
	Lost        []SalvageErr // complete runs DuckDB could not read in full
	NotComplete int          // failed or interrupted runs, left behind
	Sweeps      int          // sweeps copied (with their points)
	Forecasts   int          // forecasts copied (with their periods and the links to the runs copied)
	Extras      []SalvageErr // sweeps, forecasts or calibrations that could not be read, or links to runs left out
	// Stopped counts the forecasts stopped before they were stored whose
	// rows kept for a resume (forecast_checkpoints) were copied, so that
	// each can be resumed from the copy; a kept run left behind (not
	// complete, or lost) is run again by the resume, as one deleted is.
	Stopped int
	// LeftOut names what the input holds beside aiecon's schema and the
	// copy has no place for: columns added to aiecon's tables, the user's
	// own tables and views. The input keeps them.
	LeftOut []string
	// Filled names the columns of aiecon's tables that the input lacks
	// (dropped after it was written) and how the copy fills them in: with
	// the column's default, or NULL. A column the copy cannot fill in (NOT
	// NULL without a default) loses the runs with rows in its table, each
	// named in Lost with that column.
	Filled []string
	// MigratedFrom is the input's schema version where it was older than
	// this aiecon's: the copy was made at that version and migrated.
	MigratedFrom int
	// NoSketches are the runs copied without their latency sketches, each
	// with why: the sketches could not be read, everything else could.
	// Counted in Runs. Readers treat such a run as one stored before
	// schema version 11 (a sweep averages its percentiles instead of
	// pooling them).
	NoSketches []SalvageErr
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
// left out whole and the others still come over, except that a run whose
// latency sketches alone cannot be read is copied without them
// (SalvageStats.NoSketches); sweeps, their points,
// calibrations and forecasts (with their periods and their links to the
// runs copied) follow, each table as a whole. The copy is made at the
// input's schema version and then migrated to this aiecon's, as opening the
// input read-write would: an older store lacks the newer tables, and a
// migration may change what its rows mean (0009). An interrupted salvage
// (ctx cancelled) returns ctx's error and removes the partial output.
// Only data's tests call it; aiecon salvage calls SalvageProgress, which
// says how far the copy has got.
func Salvage(ctx context.Context, input, out string) (SalvageStats, error) {
	return SalvageProgress(ctx, input, out, nil)
}

// SalvageProgress is Salvage, calling progress (when not nil) with the
// complete runs done (copied or lost) of all of them after each: the copy
// takes about 30 ms of CPU a run, minutes for a store of thousands.
func SalvageProgress(ctx context.Context, input, out string, progress func(done, total int)) (st SalvageStats, err error) {
	writing.Add(1) // a kill would leave half a store at out: see Writing
	defer writing.Add(-1)
	defer func() {
		if err != nil && ctx.Err() != nil {
			err = fmt.Errorf("salvaging %s: interrupted after copying %d runs; no output was kept at %s (the input is unchanged): %w",
				input, st.Runs, out, ctx.Err())
		}
	}()
	in, err := filepath.Abs(input)
	if err != nil {
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	if err := salvageable(in); err != nil {
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	dst, err := salvageOutput(out)
	if err != nil {
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	ver, err := salvageVersion(ctx, in, input)
	if err != nil {
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	if ver < SchemaVersion() {
		st.MigratedFrom = ver
	}
	var db *sql.DB
	kept := false
	defer func() {
		if kept {
			return
		}
		// Nothing, or half a store, that would read as a whole one: leave
		// none behind (the output did not exist before this call; DuckDB
		// creates the file before a write to it fails, on a full disk say).
		if db != nil {
			db.Close()
		}
		os.Remove(dst)
		os.Remove(dst + ".wal")
	}()
	if db, err = sql.Open("duckdb", fileDSN(dst, DefaultMemoryLimit, 0)); err != nil {
		return st, fmt.Errorf("salvaging %s: creating %s: %w", input, out, err)
	}
	if err := migrate(ctx, db, ver); err != nil {
		return st, fmt.Errorf("salvaging %s: creating %s: %w", input, out, err)
	}
	if err := salvageInto(ctx, db, in, &st, progress); err != nil {
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	if err := db.Close(); err != nil {
		return st, fmt.Errorf("salvaging %s: closing %s: %w", input, out, err)
	}
	// Open migrates the copy as it migrates any older store, and checks
	// that its tables are this aiecon's.
	s, err := Open(out, Options{})
	if err != nil && st.MigratedFrom > 0 {
		return st, fmt.Errorf("salvaging %s: migrating the copy from schema version %d: %w", input, ver, err)
	} else if err != nil {
		return st, fmt.Errorf("salvaging %s: opening the copy: %w", input, err)
	}
	if err := s.Close(); err != nil {
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	kept = true
	return st, nil
}

// salvageOutput checks that the new store out can be created and returns
// the file DuckDB will write (a link's target).
func salvageOutput(out string) (string, error) {
	if err := CheckPath(out); err != nil {
		return "", fmt.Errorf("the output %w", err)
	}
	if _, err := os.Stat(out); err == nil {
		return "", fmt.Errorf("the output %s exists; salvage writes a new file", out)
	}
	if err := CheckOrphanLog(out); err != nil {
		return "", err // the new store would replay it, or delete it
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	dst := storeFile(abs)
	if fi, err := os.Stat(filepath.Dir(dst)); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("the output %s: %w: %s", out, ErrNoDirectory, missingFolder(dst))
	}
	if err := canCreateIn(filepath.Dir(dst)); err != nil {
		return "", fmt.Errorf("the output %s: %w", out, err)
	}
	return dst, nil
}

// CheckSalvageOutput checks, before any work, that a salvage or repair
// copy can be written at out: doctor --out into a folder the user may not
// write failed only after the whole input had been read, with DuckDB's
// raw "Cannot open file" (exit 1, where a path the user may not write is
// exit 2).
// A missing folder is left to the salvage, which names it.
func CheckSalvageOutput(out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return nil // the salvage names the failure
	}
	dir := filepath.Dir(storeFile(abs))
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil
	}
	if err := canCreateIn(dir); err != nil {
		return fmt.Errorf("the output %s: %w", out, err)
	}
	return nil
}

// canCreateIn creates and removes a file in dir, as the surest test that
// a store can be created there: permissions, a read-only mount, ACLs and
// pseudo-filesystems (/proc takes no new file, even from root) all say
// so, which a look at the mode bits would not.
func canCreateIn(dir string) error {
	f, err := os.CreateTemp(dir, ".aiecon-probe-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // its path is a random name
		}
		return fmt.Errorf("no file can be created in the folder %s (%w): a command that writes needs write permission on the file and its folder; give a path in a folder you may write", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// salvageInto attaches the input at in to the new store db and copies
// what it can.
func salvageInto(ctx context.Context, db *sql.DB, in string, st *SalvageStats, progress func(done, total int)) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := attachSalvageInput(ctx, conn, in); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "DETACH aiecon_salvage") //nolint:errcheck // closing drops it too
	return salvageAll(ctx, conn, st, progress)
}

// attachSalvageInput attaches the input at in, read-only, as
// aiecon_salvage. A store another process holds is a *LockedError naming
// the holder, as Open gives, so that every caller says the store is busy:
// it was reported as one DuckDB "cannot open at all", which reads as
// damage beyond salvage.
func attachSalvageInput(ctx context.Context, conn *sql.Conn, in string) error {
	_, err := conn.ExecContext(ctx, "ATTACH "+quoteLiteral(in)+" AS aiecon_salvage (READ_ONLY)")
	if err == nil {
		return nil
	}
	var le *LockedError
	if errors.As(openError(in, "--db", err), &le) {
		return le
	}
	return fmt.Errorf("DuckDB cannot open it at all, so nothing can be read from it: %w", err)
}

// salvageAll copies the runs, then the tables that stand beside them, into
// st; it fails only when the list of runs cannot be read or ctx ends.
// progress, when not nil, is told of each run done.
func salvageAll(ctx context.Context, conn *sql.Conn, st *SalvageStats, progress func(done, total int)) error {
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
	cols, required, err := salvageColumns(ctx, conn, st)
	if err != nil {
		return err
	}
	for i, id := range ids {
		if progress != nil {
			progress(i, len(ids))
		}
		if lacks != nil {
			st.Lost = append(st.Lost, SalvageErr{What: "run " + id, Err: lacks})
			continue
		}
		if err := salvageRunOrWithoutSketches(ctx, conn, id, children, cols, required, st); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			st.Lost = append(st.Lost, SalvageErr{What: "run " + id, Err: err})
			continue
		}
		st.Runs++
	}
	if progress != nil {
		progress(len(ids), len(ids))
	}
	for _, t := range wholeTables {
		n, err := salvageTable(ctx, conn, t, cols[t], required[t])
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
	if err := stoppedForecasts(ctx, conn, st); err != nil {
		st.Extras = append(st.Extras, SalvageErr{What: "forecast_checkpoints", Err: fmt.Errorf("counting the stopped forecasts copied: %w", err)})
	}
	if err := missingLinks(ctx, conn); err != nil {
		st.Extras = append(st.Extras, SalvageErr{What: "forecast runs", Err: err})
	}
	if err := leftOutObjects(ctx, conn, st); err != nil {
		st.Extras = append(st.Extras, SalvageErr{What: "the store's own tables and views", Err: err})
	}
	return ctx.Err()
}

// stoppedForecasts counts the stopped forecasts whose kept rows were
// copied (st.Stopped): none where the input predates the table, which the
// copy, made at the input's schema version, then lacks too until the
// migration after the copy.
func stoppedForecasts(ctx context.Context, conn *sql.Conn, st *SalvageStats) error {
	if !inputHas(ctx, conn, "forecast_checkpoints") {
		return nil
	}
	return conn.QueryRowContext(ctx, `SELECT count(DISTINCT forecast_id) FROM main.forecast_checkpoints`).Scan(&st.Stopped)
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

// salvageVersion reads the schema version of the store at in (attached to
// a private in-memory database, before the copy is created at that
// version). It refuses another program's database and a store a newer
// aiecon wrote: its tables may hold what this build's schema has no column
// for, which the copy would drop while saying nothing was lost. A version
// that cannot be read (a damaged block) is taken for this aiecon's: the
// runs then decide what can be copied.
func salvageVersion(ctx context.Context, in, input string) (int, error) {
	db, err := sql.Open("duckdb", "?memory_limit="+url.QueryEscape(DefaultMemoryLimit))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if err := attachSalvageInput(ctx, conn, in); err != nil {
		return 0, err
	}
	defer conn.ExecContext(context.Background(), "DETACH aiecon_salvage") //nolint:errcheck // closing drops it too
	if err := checkAttachedForeign(ctx, conn, "aiecon_salvage", input); err != nil {
		return 0, fmt.Errorf("nothing to salvage: %w", err)
	}
	want := SchemaVersion()
	ver, err := attachedVersion(ctx, conn, "aiecon_salvage")
	switch {
	case err != nil || !ver.Valid || ver.Int64 < 1:
		return want, nil
	case int(ver.Int64) > want:
		return 0, errNewerSchema("its schema version %d is newer than this aiecon's %d: salvage it with the aiecon that wrote it (upgrade aiecon)", ver.Int64, want)
	}
	return int(ver.Int64), nil
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

// salvageRun copies one run and all its records, or nothing of it; cols
// are the columns copied of each table, and required those the input lacks
// and the copy cannot fill in (salvageColumns).
func salvageRun(ctx context.Context, conn *sql.Conn, id string, children []string, cols map[string]string, required map[string][]string) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	for _, t := range append([]string{"runs"}, children...) {
		if cols[t] == "" {
			return fmt.Errorf("%s: the store's table has none of aiecon's columns", t)
		}
		// By name: a store migrated from an older schema may order its
		// columns differently from a new one.
		q := fmt.Sprintf(`INSERT INTO main.%s (%s) SELECT %s FROM aiecon_salvage.%s WHERE run_id = ?`, t, cols[t], cols[t], t)
		if _, err := tx.ExecContext(ctx, q, id); err != nil && len(required[t]) > 0 {
			return missingRequired(t, required[t], err)
		} else if err != nil {
			return &runTableError{table: t, err: err}
		}
	}
	if err := storedCounts(ctx, tx, id); err != nil {
		return err
	}
	return tx.Commit()
}

// runTableError is salvageRun's error where a table's rows of the run
// could not be copied.
type runTableError struct {
	table string
	err   error
}

func (e *runTableError) Error() string { return e.table + ": " + e.err.Error() }
func (e *runTableError) Unwrap() error { return e.err }

// sketchTable holds derived, optional rows: a run's latency sketches,
// which a run stored before schema version 11 lacks and every reader
// does without.
const sketchTable = "latency_sketches"

// salvageRunOrWithoutSketches copies a run whole, else, where only its
// latency sketches cannot be copied, the rest of it, naming the run in
// st.NoSketches: one damaged block of that small table once lost every
// run in the store, although their records all read.
func salvageRunOrWithoutSketches(ctx context.Context, conn *sql.Conn, id string, children []string, cols map[string]string, required map[string][]string, st *SalvageStats) error {
	err := salvageRun(ctx, conn, id, children, cols, required)
	te, ok := errors.AsType[*runTableError](err)
	if !ok || te.table != sketchTable || ctx.Err() != nil {
		return err
	}
	without := slices.DeleteFunc(slices.Clone(children), func(t string) bool { return t == sketchTable })
	if err := salvageRun(ctx, conn, id, without, cols, required); err != nil {
		return err
	}
	st.NoSketches = append(st.NoSketches, SalvageErr{What: "run " + id, Err: te})
	return nil
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
// the links to the runs copied), its columns cols, nothing where the input
// predates it; required are the columns the input lacks and the copy
// cannot fill in.
func salvageTable(ctx context.Context, conn *sql.Conn, t, cols string, required []string) (int, error) {
	if !inputHas(ctx, conn, t) {
		return 0, nil
	}
	if cols == "" {
		return 0, errors.New("the store's table has none of aiecon's columns")
	}
	q := fmt.Sprintf(`INSERT INTO main.%s (%s) SELECT %s FROM aiecon_salvage.%s`, t, cols, cols, t)
	if t == "forecast_runs" {
		q += ` WHERE run_id IN (SELECT run_id FROM main.runs)`
	}
	res, err := conn.ExecContext(ctx, q)
	if err != nil && len(required) > 0 {
		return 0, missingRequired(t, required, err)
	} else if err != nil {
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
	if err := checkDuckDBHeader(in, dbHint); err != nil {
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
