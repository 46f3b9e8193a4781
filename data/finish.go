package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"aiecon/sim"
)

// The writer goroutine's end of a run: the final commit (the last records,
// KPIs, replica totals and the status) or the failure mark.

// storeMeta keeps the simulator's RunMeta, which is authoritative over
// RunInfo, and commits the run's workloads and the replicas it starts with
// (their totals NULL) at once: a run killed before it ends keeps them, so
// its requests still have workload names in requests_v. The meta's fields of
// the runs row are set with its final status (complete or failed), so the
// runs row is written twice in all: when the run is registered and when it
// ends. A run killed before it ends keeps the RunInfo values it was
// registered with.
func (w *RunWriter) storeMeta(meta *sim.RunMeta) error {
	if r := meta.RequestSampleRate; math.IsNaN(r) || r < 0 || r > 1 {
		return fmt.Errorf("run meta: request sample rate %v is outside [0, 1]", r)
	}
	w.meta = meta
	for i, wl := range meta.Workloads {
		if err := w.app.workloads.AppendRow(w.id, int32(i), wl.Name, wl.Class); err != nil {
			return fmt.Errorf("run meta: workload %d (%s): %w", i, wl.Name, err)
		}
	}
	for _, r := range meta.Replicas {
		if err := w.app.replicas.AppendRow(w.id, r.ID, r.Instance, r.Type, r.TP, nil, nil, nil, nil, nil, nil, nil); err != nil {
			return fmt.Errorf("run meta: replica %d: %w", r.ID, err)
		}
	}
	// One transaction for both, on the run's connection, where the
	// Appenders work.
	ctx := context.Background()
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("run meta: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := w.app.workloads.Flush(); err != nil {
		return fmt.Errorf("run meta: storing the workloads: %w", err)
	}
	if err := w.app.replicas.Flush(); err != nil {
		return fmt.Errorf("run meta: storing the replicas: %w", err)
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
	if err := w.commitSummary(wallS); err != nil {
		return failWith(fmt.Errorf("finishing run %s: %w", w.id, err))
	}
	return nil
}

func (w *RunWriter) commitSummary(wallS float64) error {
	ctx := context.Background()
	sum := w.summary
	// The request rows commit first, through their own connection (see
	// reqappend.go). Then one transaction flushes the other Appenders (an
	// Appender works in its connection's open transaction), adds the KPIs
	// and replica totals, and sets the status: a run is complete exactly
	// when all of it is stored, and finishing costs one commit. It takes no
	// lock: concurrent transactions that update different rows of runs do
	// not conflict in DuckDB (TestConcurrentWriters runs them at once), so
	// parallel sweep workers overlap their commits.
	if err := w.app.req.close(); err != nil {
		return fmt.Errorf("flushing requests: %w", err)
	}
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	for _, k := range sum.KPIs {
		if err := w.app.kpis.AppendRow(w.id, k.Scope, k.Name, nanNull(k.Value), k.Unit); err != nil {
			return fmt.Errorf("storing KPI %s %s: %w", k.Scope, k.Name, err)
		}
	}
	// The latency sketches commit with the KPIs they were taken from.
	for _, l := range sum.Latencies {
		var exact any // NULL past sim.ExactLimit samples
		if l.Exact != nil {
			exact = l.Exact
		}
		if err := w.app.latencies.AppendRow(w.id, l.Scope, l.Latency, l.Count, l.Sketch, exact); err != nil {
			return fmt.Errorf("storing latency sketch %s %s: %w", l.Scope, l.Latency, err)
		}
	}
	if err := w.appendReplicaTotals(ctx, tx, sum.Replicas); err != nil {
		return err
	}
	if err := w.app.close(); err != nil {
		return fmt.Errorf("flushing records: %w", err)
	}
	m := w.meta
	complete, err := w.store.stmt(ctx, markCompleteSQL)
	if err != nil {
		return fmt.Errorf("marking complete: %w", err)
	}
	args := []any{time.Now().UTC(), wallS, sum.SimNs, sum.Events,
		w.counts.requests, w.counts.sessions, w.counts.auctions, w.counts.windows,
		m.Scenario, m.Seed, m.HorizonNs, m.WindowNs, m.RequestSampleRate, m.RequestSampleRate < 1}
	args = append(append(args, servedLengths(sum.Lengths)...), w.id)
	res, err := tx.StmtContext(ctx, complete).ExecContext(ctx, args...)
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

// appendReplicaTotals replaces the replicas stored at the start (storeMeta)
// with every replica's totals, in the run's final transaction tx (the
// Appender flushes in it). Type and TP come from the meta; replicas it did
// not announce (an autoscaler's) are of the same fleet, so they take the
// first one's.
func (w *RunWriter) appendReplicaTotals(ctx context.Context, tx *sql.Tx, totals []sim.ReplicaRecord) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM replicas WHERE run_id = ?`, w.id); err != nil {
		return fmt.Errorf("replacing the replicas stored at the start: %w", err)
	}
	types := map[int32]sim.ReplicaMeta{}
	var fleet sim.ReplicaMeta
	if len(w.meta.Replicas) > 0 {
		fleet = w.meta.Replicas[0]
		for _, r := range w.meta.Replicas {
			types[r.ID] = r
		}
	}
	for _, r := range totals {
		m, ok := types[r.ID]
		if !ok {
			m = fleet
		}
		if err := w.app.replicas.AppendRow(w.id, r.ID, r.Instance, m.Type, m.TP, r.Iterations, r.BusyNs, r.UpNs,
			r.PrefillTok, r.DecodeTok, r.Preemptions, r.Completed); err != nil {
			return fmt.Errorf("storing replica %d totals: %w", r.ID, err)
		}
	}
	return nil
}

const markCompleteSQL = `UPDATE runs SET status = 'complete', finished_at = ?, wall_s = ?, sim_ns = ?, events = ?,
	requests_stored = ?, sessions_stored = ?, auctions_stored = ?, windows_stored = ?,
	scenario = ?, seed = ?, horizon_ns = ?, window_ns = ?, request_sample_rate = ?, requests_sampled = ?,
	served_calls = ?, served_prompt_mean_tok = ?, served_context_mean_tok = ?, served_context_p99_tok = ?,
	served_prompt_p99_tok = ?
	WHERE run_id = ? AND status = 'running'`

// servedLengths are the values of runs' served_* columns: the main pool's
// call lengths (the first of lengths), NULL where the simulator gave none
// and the lengths NULL where no call was routed to it (their percentiles
// are 0 then, which is no length).
func servedLengths(lengths []sim.PoolLengths) []any {
	if len(lengths) == 0 {
		return []any{nil, nil, nil, nil, nil}
	}
	l := lengths[0]
	if l.Calls == 0 {
		return []any{int64(0), nil, nil, nil, nil}
	}
	return []any{int64(l.Calls), nanNull(l.PromptMean), nanNull(l.ContextMean), nanNull(l.ContextP99), nanNull(l.PromptP99)}
}

// markFailed flushes what it can (the partial records help to see what
// happened) and marks the run failed with cause; it returns its own errors.
func (w *RunWriter) markFailed(cause error) error {
	var errs []error
	if err := w.app.close(); err != nil {
		errs = append(errs, fmt.Errorf("flushing records of failed run %s: %w", w.id, err))
	}
	// The meta's fields, when Begin delivered one, replace the registration's.
	var scenario, seed, horizon, window, rate, sampled any
	if m := w.meta; m != nil {
		scenario, seed, horizon, window, rate, sampled = m.Scenario, m.Seed, m.HorizonNs, m.WindowNs, m.RequestSampleRate, m.RequestSampleRate < 1
	}
	ctx := context.Background()
	w.store.state.metaMu.Lock()
	// The counts are what reached the tables: a flush cut short (a full
	// disk) commits fewer rows than were handed to the writer.
	_, err := w.conn.ExecContext(ctx, `UPDATE runs SET status = 'failed', error = ?, finished_at = ?,
		requests_stored = (SELECT count(*) FROM requests WHERE run_id = ?),
		sessions_stored = (SELECT count(*) FROM sessions WHERE run_id = ?),
		auctions_stored = (SELECT count(*) FROM auctions WHERE run_id = ?),
		windows_stored = (SELECT count(*) FROM windows WHERE run_id = ?),
		scenario = coalesce(?, scenario), seed = coalesce(?, seed), horizon_ns = coalesce(?, horizon_ns),
		window_ns = coalesce(?, window_ns), request_sample_rate = coalesce(?, request_sample_rate),
		requests_sampled = coalesce(?, requests_sampled)
		WHERE run_id = ? AND status = 'running'`,
		cause.Error(), time.Now().UTC(), w.id, w.id, w.id, w.id,
		scenario, seed, horizon, window, rate, sampled, w.id)
	w.store.state.metaMu.Unlock()
	if err != nil {
		errs = append(errs, fmt.Errorf("marking run %s failed: %w", w.id, err))
	}
	return errors.Join(errs...)
}
