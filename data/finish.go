package data

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"aiecon/sim"
)

// The writer goroutine's transactions: the run's metadata at Begin, and the
// final commit (KPIs, replica totals, status) or the failure mark.

// storeMeta records the simulator's RunMeta: it is authoritative over RunInfo.
func (w *RunWriter) storeMeta(meta *sim.RunMeta) error {
	if r := meta.RequestSampleRate; math.IsNaN(r) || r < 0 || r > 1 {
		return fmt.Errorf("run meta: request sample rate %v is outside [0, 1]", r)
	}
	ctx := context.Background()
	w.store.state.metaMu.Lock()
	defer w.store.state.metaMu.Unlock()
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("run meta: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET scenario = ?, seed = ?, horizon_ns = ?, window_ns = ?,
		request_sample_rate = ?, requests_sampled = ? WHERE run_id = ?`,
		meta.Scenario, meta.Seed, meta.HorizonNs, meta.WindowNs, meta.RequestSampleRate, meta.RequestSampleRate < 1, w.id); err != nil {
		return fmt.Errorf("run meta: %w", err)
	}
	for i, wl := range meta.Workloads {
		if _, err := tx.ExecContext(ctx, `INSERT INTO run_workloads VALUES (?, ?, ?, ?)`, w.id, i, wl.Name, wl.Class); err != nil {
			return fmt.Errorf("run meta: workload %d (%s): %w", i, wl.Name, err)
		}
	}
	if len(meta.Replicas) > 0 {
		var q strings.Builder
		q.WriteString(`INSERT INTO replicas (run_id, replica_id, instance, instance_type, tp) VALUES `)
		var args []any
		for i, r := range meta.Replicas {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?)")
			args = append(args, w.id, r.ID, r.Instance, r.Type, r.TP)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("run meta: replicas: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("run meta: commit: %w", err)
	}
	return nil
}

// finish commits the last records, then the summary and the "complete"
// status in one transaction. On any error the run is marked failed.
func (w *RunWriter) finish(wallS float64) error {
	failWith := func(cause error) error { return errors.Join(cause, w.markFailed(cause)) }
	if err := w.loadErr(); err != nil {
		return failWith(err)
	}
	if w.meta == nil {
		return failWith(fmt.Errorf("finishing run %s: the simulator never called Begin", w.id))
	}
	if w.summary == nil {
		return failWith(fmt.Errorf("finishing run %s: the simulator delivered no summary (End was not called)", w.id))
	}
	if err := w.app.close(); err != nil {
		return failWith(fmt.Errorf("finishing run %s: flushing records: %w", w.id, err))
	}
	if err := w.commitSummary(wallS); err != nil {
		return failWith(fmt.Errorf("finishing run %s: %w", w.id, err))
	}
	return nil
}

func (w *RunWriter) commitSummary(wallS float64) error {
	ctx := context.Background()
	sum := w.summary
	w.store.state.metaMu.Lock()
	defer w.store.state.metaMu.Unlock()
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if len(sum.KPIs) > 0 {
		var q strings.Builder
		q.WriteString(`INSERT INTO kpis VALUES `)
		args := make([]any, 0, 5*len(sum.KPIs))
		for i, k := range sum.KPIs {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?)")
			args = append(args, w.id, k.Scope, k.Name, nullIfNaN(k.Value), k.Unit)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("storing KPIs: %w", err)
		}
	}
	if len(sum.Replicas) > 0 {
		var q strings.Builder
		q.WriteString(`UPDATE replicas SET iterations = t.it, busy_ns = t.b, up_ns = t.u, prefill_tokens = t.p, decode_tokens = t.d, preemptions = t.pr, completed = t.c FROM (VALUES `)
		var args []any
		for i, r := range sum.Replicas {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?::INTEGER, ?::BIGINT, ?::BIGINT, ?::BIGINT, ?::BIGINT, ?::BIGINT, ?::BIGINT, ?::BIGINT)")
			args = append(args, r.ID, r.Iterations, r.BusyNs, r.UpNs, r.PrefillTok, r.DecodeTok, r.Preemptions, r.Completed)
		}
		q.WriteString(`) AS t(id, it, b, u, p, d, pr, c) WHERE replicas.run_id = ? AND replicas.replica_id = t.id`)
		args = append(args, w.id)
		res, err := tx.ExecContext(ctx, q.String(), args...)
		if err != nil {
			return fmt.Errorf("storing replica totals: %w", err)
		}
		if n, _ := res.RowsAffected(); int(n) < len(sum.Replicas) {
			// Replicas the meta did not announce (e.g. added by the autoscaler).
			for _, r := range sum.Replicas {
				if _, err := tx.ExecContext(ctx, `INSERT INTO replicas SELECT ?, ?, ?, '', 0, ?, ?, ?, ?, ?, ?, ?
					WHERE NOT EXISTS (SELECT 1 FROM replicas WHERE run_id = ? AND replica_id = ?)`,
					w.id, r.ID, r.Instance, r.Iterations, r.BusyNs, r.UpNs, r.PrefillTok, r.DecodeTok, r.Preemptions, r.Completed, w.id, r.ID); err != nil {
					return fmt.Errorf("storing replica %d totals: %w", r.ID, err)
				}
			}
		}
	}
	res, err := tx.ExecContext(ctx, `UPDATE runs SET status = 'complete', finished_at = ?, wall_s = ?, sim_ns = ?, events = ?,
		requests_stored = ?, sessions_stored = ?, auctions_stored = ?, windows_stored = ?
		WHERE run_id = ? AND status = 'running'`,
		time.Now().UTC(), wallS, sum.SimNs, sum.Events,
		w.counts.requests, w.counts.sessions, w.counts.auctions, w.counts.windows, w.id)
	if err != nil {
		return fmt.Errorf("marking complete: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errors.New("marking complete: the run is no longer 'running' in the store")
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// markFailed flushes what it can (the partial records help to see what
// happened) and marks the run failed with cause; it returns its own errors.
func (w *RunWriter) markFailed(cause error) error {
	var errs []error
	if err := w.app.close(); err != nil {
		errs = append(errs, fmt.Errorf("flushing records of failed run %s: %w", w.id, err))
	}
	ctx := context.Background()
	w.store.state.metaMu.Lock()
	_, err := w.conn.ExecContext(ctx, `UPDATE runs SET status = 'failed', error = ?, finished_at = ?,
		requests_stored = ?, sessions_stored = ?, auctions_stored = ?, windows_stored = ?
		WHERE run_id = ? AND status = 'running'`,
		cause.Error(), time.Now().UTC(), w.counts.requests, w.counts.sessions, w.counts.auctions, w.counts.windows, w.id)
	w.store.state.metaMu.Unlock()
	if err != nil {
		errs = append(errs, fmt.Errorf("marking run %s failed: %w", w.id, err))
	}
	return errors.Join(errs...)
}

func nullIfNaN(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return v
}
