package data

import (
	"context"
	"database/sql"
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
	Extras      []SalvageErr // sweeps or calibrations that could not be read
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
// that fails its checksum is left out whole and the others still come
// over; sweeps, their points and calibrations follow, each table as a whole.
func Salvage(ctx context.Context, input, out string) (SalvageStats, error) {
	var st SalvageStats
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
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	defer s.Close()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "ATTACH "+quoteLiteral(in)+" AS aiecon_salvage (READ_ONLY)"); err != nil {
		// Nothing was salvaged: leave no empty store behind to be mistaken
		// for the result (the output did not exist before this call).
		conn.Close()
		s.Close()
		os.Remove(out)
		os.Remove(out + ".wal")
		return st, fmt.Errorf("salvaging %s: DuckDB cannot open it at all, so nothing can be read from it: %w", input, err)
	}
	defer conn.ExecContext(context.Background(), "DETACH aiecon_salvage") //nolint:errcheck // closing drops it too
	ids, err := salvageIDs(ctx, conn, &st)
	if err != nil {
		return st, fmt.Errorf("salvaging %s: the list of runs cannot be read: %w", input, err)
	}
	children, err := runTables(ctx, conn)
	if err != nil {
		return st, fmt.Errorf("salvaging %s: %w", input, err)
	}
	for _, id := range ids {
		if err := salvageRun(ctx, conn, id, children); err != nil {
			st.Lost = append(st.Lost, SalvageErr{What: "run " + id, Err: err})
			continue
		}
		st.Runs++
	}
	for _, t := range []string{"sweeps", "sweep_points", "calibrations"} {
		n, err := salvageTable(ctx, conn, t)
		if err != nil {
			st.Extras = append(st.Extras, SalvageErr{What: t, Err: err})
		}
		if t == "sweeps" {
			st.Sweeps = n
		}
	}
	return st, nil
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
	return tx.Commit()
}

// salvageTable copies a table without run_id as a whole.
func salvageTable(ctx context.Context, conn *sql.Conn, t string) (int, error) {
	res, err := conn.ExecContext(ctx, fmt.Sprintf(`INSERT INTO main.%s BY NAME SELECT * FROM aiecon_salvage.%s`, t, t))
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
