package data

import (
	"context"
	"fmt"
	"strings"
)

// partialTables hold the records a run streams while it simulates. A failed
// run's rows there are partial: no KPI or study reads them, and a sweep
// killed repeatedly left gigabytes of them. Merge does not copy them either.
var partialTables = []string{"requests", "sessions", "auctions", "windows", "kpis"}

// removePartialRows deletes the records of failed runs, keeping each run's
// row in runs (with its error and configuration) and its workloads and
// replicas. It runs on every read-write Open, after interrupted runs are
// marked failed; a run whose rows are gone has its *_stored counts at 0, so
// a store with nothing to remove costs one query on runs. Runs failed by a
// RunWriter of this process stay as they are until the next Open: a caller
// may still want to look at them.
func (s *Store) removePartialRows(ctx context.Context, st *pathState) error {
	failed, err := queryStrings(ctx, s.db, `SELECT run_id FROM runs WHERE status = 'failed' AND (
		coalesce(requests_stored, 1) > 0 OR coalesce(sessions_stored, 1) > 0 OR
		coalesce(auctions_stored, 1) > 0 OR coalesce(windows_stored, 1) > 0) ORDER BY run_id`)
	if err != nil {
		return fmt.Errorf("looking for failed runs' partial rows: %w", err)
	}
	var ids []string
	for _, id := range failed {
		if !st.isLive(id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("removing failed runs' partial rows: %w", err)
	}
	defer tx.Rollback()
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = quoteLiteral(id)
	}
	in := "(" + strings.Join(list, ", ") + ")"
	for _, t := range partialTables {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE run_id IN "+in); err != nil {
			return fmt.Errorf("removing failed runs' partial rows from %s: %w", t, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET requests_stored = 0, sessions_stored = 0, auctions_stored = 0,
		windows_stored = 0 WHERE run_id IN `+in); err != nil {
		return fmt.Errorf("removing failed runs' partial rows: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("removing failed runs' partial rows: %w", err)
	}
	return nil
}
