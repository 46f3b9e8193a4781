package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"time"

	"aiecon/model"
	"aiecon/sim"
)

// The reads behind `aiecon runs/show/compare`, the dashboard and the plots.
// They read the runs registry and aggregates (kpis, windows, replicas), never
// the requests table, so they stay fast however many requests are stored.

// RunFilter narrows Runs. Zero fields do not filter.
type RunFilter struct {
	Status   string // running | complete | failed
	NameLike string // substring of the name, case-insensitive
	Scenario string // the scenario's name, case-insensitive; a scenario with variants also matches each (name/variant)
	SweepID  string
	// ForecastID keeps only the runs of this forecast (forecast_runs).
	ForecastID string
	// NoForecastRuns leaves out every run a forecast made: a forecast
	// stores one per variant, sample, period, day and slice, hundreds that
	// read as one study (aiecon compare --forecast) and would fill a listing.
	NoForecastRuns bool
	Since          time.Time // started at or after
	Limit          int       // at most this many, newest first
	OldestFirst    bool
}

// RunSummary is one row of run_summary: a run with its headline whole-run
// KPIs. A KPI the run does not have (not complete, or not produced by the
// simulator) is NaN.
type RunSummary struct {
	ID         string
	Name       string
	Status     string
	StartedAt  time.Time
	FinishedAt time.Time // zero while running, or when its writer died
	WallS      float64   // NaN until complete
	HorizonS   float64
	// SimS is the simulated time the run reached (runs.sim_ns): its
	// horizon, and past it by the drain with drain: true. NaN until
	// complete.
	SimS        float64
	Seed        uint64
	SweepID     string
	SweepPoint  int
	Replication int

	RequestsCompleted float64
	ThroughputRPS     float64
	TTFTP99S          float64
	TPOTP99S          float64
	SLOAttainment     float64
	GoodputRPS        float64
	Utilization       float64
	CostUSD           float64
	CostPerMTokUSD    float64
	RevenueUSD        float64
	MarginUSD         float64
	GrossMargin       float64
	// CostPerRequestUSD and CostPerSessionUSD are every cost per completed
	// request and per completed agent session (NaN where none completed,
	// or, per session, where the run has no agent).
	CostPerRequestUSD float64
	CostPerSessionUSD float64

	// writerPID, writerHost and writerStart are the process that
	// registered the run (runs.writer_pid, writer_host, writer_start):
	// orphaned asks whether it is gone.
	writerPID               int
	writerHost, writerStart string
}

const summaryColumns = `run_id, name, status, started_at, finished_at, wall_s, horizon_s, seed,
	sweep_id, sweep_point, replication, requests_completed, throughput_rps, ttft_p99_s, tpot_p99_s,
	slo_attainment, goodput_rps, utilization, cost_usd, cost_per_mtok_usd, revenue_usd, margin_usd, gross_margin,
	cost_per_request_usd, cost_per_session_usd,
	(SELECT x.sim_ns FROM runs x WHERE x.run_id = run_summary.run_id) / 1e9 AS sim_s,
	(SELECT x.writer_pid FROM runs x WHERE x.run_id = run_summary.run_id),
	(SELECT x.writer_host FROM runs x WHERE x.run_id = run_summary.run_id),
	(SELECT x.writer_start FROM runs x WHERE x.run_id = run_summary.run_id)`

func scanSummary(sc interface{ Scan(...any) error }) (RunSummary, error) {
	var r RunSummary
	var finished sql.NullTime
	var sweep, host, start sql.NullString
	var point, repl, pid sql.NullInt64
	var horizon, wall, sim sql.NullFloat64
	f := make([]sql.NullFloat64, 14)
	err := sc.Scan(&r.ID, &r.Name, &r.Status, &r.StartedAt, &finished, &wall, &horizon, &r.Seed,
		&sweep, &point, &repl, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10], &f[11], &f[12], &f[13], &sim, &pid, &host, &start)
	if err != nil {
		return r, err
	}
	r.FinishedAt = finished.Time
	r.WallS, r.HorizonS, r.SimS = nanIfNull(wall), nanIfNull(horizon), nanIfNull(sim)
	r.SweepID, r.SweepPoint, r.Replication = sweep.String, int(point.Int64), int(repl.Int64)
	r.writerPID, r.writerHost, r.writerStart = int(pid.Int64), host.String, start.String
	dst := []*float64{&r.RequestsCompleted, &r.ThroughputRPS, &r.TTFTP99S, &r.TPOTP99S, &r.SLOAttainment, &r.GoodputRPS,
		&r.Utilization, &r.CostUSD, &r.CostPerMTokUSD, &r.RevenueUSD, &r.MarginUSD, &r.GrossMargin,
		&r.CostPerRequestUSD, &r.CostPerSessionUSD}
	for i, d := range dst {
		*d = nanIfNull(f[i])
	}
	return r, nil
}

// SimulatedS is the time the run's totals (revenue, cost, counts) cover:
// its horizon, plus the drain where it drained past it (SimS); the horizon
// alone while SimS is unknown.
func (r RunSummary) SimulatedS() float64 {
	if r.SimS > r.HorizonS {
		return r.SimS
	}
	return r.HorizonS
}

// Drained reports whether the run simulated past its horizon (drain: true).
func (r RunSummary) Drained() bool { return r.SimS > r.HorizonS }

// orphaned reports a run left "running" by a writer that is gone, as seen
// from a read-only Store, and makes it read as failed; the next read-write
// Open records that in the file. That DuckDB let us open the file does not
// show the writer gone: the file may be a copy taken while it wrote (the
// dashboard's snapshot, a cp of a live store), whose writer still holds
// the original. So a run reads as interrupted only when its writer is
// verifiably dead (writerGone); otherwise it reads as running, which it
// is in the original, and its records are what the copy caught of it.
func (s *Store) orphaned(r *RunSummary) bool {
	if !s.roConfig || r.Status != StatusRunning {
		return false
	}
	if s.state.isLive(r.ID) || !writerGone(r.writerPID, r.writerHost, r.writerStart) {
		return false
	}
	r.Status = StatusFailed
	return true
}

// thisHost is the host name runs are stamped with (runs.writer_host, as
// RunWriter records it); "" where the system does not say.
var thisHost = sync.OnceValue(func() string {
	h, _ := os.Hostname()
	return h
})

// interruptedError is the error an orphaned run reads with, until the next
// read-write Open records its own (recoverInterrupted).
func interruptedError(pid int, host string) string {
	return fmt.Sprintf("interrupted: the writing process (PID %d on %s) stopped before the run finished; "+
		"the next read-write open of the store records it, and deletes the records it wrote", pid, host)
}

// countRecordsSQL counts the records of run $1 that runs' *_stored
// columns count.
const countRecordsSQL = `SELECT (SELECT count(*) FROM requests WHERE run_id = $1), (SELECT count(*) FROM sessions WHERE run_id = $1),
	(SELECT count(*) FROM auctions WHERE run_id = $1), (SELECT count(*) FROM windows WHERE run_id = $1)`

// countRecords counts the records an orphaned run wrote before it
// stopped: its *_stored columns are NULL, counted only as a run ends.
func (s *Store) countRecords(ctx context.Context, id string) (req, sess, auc, win int64, err error) {
	err = s.db.QueryRowContext(ctx, countRecordsSQL, id).Scan(&req, &sess, &auc, &win)
	return
}

func nanIfNull(v sql.NullFloat64) float64 {
	if !v.Valid {
		return math.NaN()
	}
	return v.Float64
}

// Runs lists runs, newest first unless the filter says otherwise.
func (s *Store) Runs(ctx context.Context, f RunFilter) ([]RunSummary, error) {
	runs, _, err := s.RunsCounted(ctx, f)
	return runs, err
}

// RunsCounted is Runs that also says how many runs match the filter before
// its Limit cuts the list, so a listing can say "50 of 427".
func (s *Store) RunsCounted(ctx context.Context, f RunFilter) ([]RunSummary, int, error) {
	where, args, postFilter, err := s.runWhere(f)
	if err != nil {
		return nil, 0, err
	}
	q := "SELECT " + summaryColumns + " FROM run_summary" + where
	if f.OldestFirst {
		q += " ORDER BY run_id"
	} else {
		q += " ORDER BY run_id DESC"
	}
	// Runs that read as failed only after orphaned() are filtered in Go, so
	// the SQL limit and count would be wrong then: read them all instead.
	if f.Limit > 0 && !postFilter {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	out, err := s.scanRuns(ctx, q, args, f.Status)
	if err != nil {
		return nil, 0, err
	}
	if postFilter {
		total := len(out)
		if f.Limit > 0 && len(out) > f.Limit {
			out = out[:f.Limit]
		}
		return out, total, nil
	}
	total := len(out)
	if f.Limit > 0 && total == f.Limit {
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM run_summary"+where, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("counting runs: %w", err)
		}
	}
	return out, total, nil
}

// runWhere is the WHERE clause of a run listing over run_summary (with its
// leading space, empty when nothing filters) and whether the status must
// still be checked in Go after orphaned().
func (s *Store) runWhere(f RunFilter) (string, []any, bool, error) {
	var where []string
	var args []any
	post := false
	if f.Status != "" {
		if f.Status != StatusRunning && f.Status != StatusComplete && f.Status != StatusFailed {
			return "", nil, false, model.Input("listing runs: status %q is not running, complete or failed", f.Status)
		}
		if s.roConfig && f.Status != StatusComplete {
			// Read-only, interrupted runs are still "running" in the file
			// but read as failed (see orphaned): filter after that.
			where, post = append(where, "status IN ('running', 'failed')"), true
		} else {
			where, args = append(where, "status = ?"), append(args, f.Status)
		}
	}
	if f.NameLike != "" {
		where, args = append(where, "contains(lower(name), lower(?))"), append(args, f.NameLike)
	}
	if f.Scenario != "" {
		// run_summary has no scenario column; runs does (analysts' view
		// columns only grow, and this filter does not need one).
		// A scenario with variants stores each as scenario/variant: its
		// name alone takes them all.
		where = append(where, "run_id IN (SELECT run_id FROM runs WHERE lower(scenario) = lower(?) OR starts_with(lower(scenario), lower(?) || '/'))")
		args = append(args, f.Scenario, f.Scenario)
	}
	if f.SweepID != "" {
		where, args = append(where, "sweep_id = ?"), append(args, f.SweepID)
	}
	if f.ForecastID != "" {
		where, args = append(where, "run_id IN (SELECT run_id FROM forecast_runs WHERE forecast_id = ?)"), append(args, f.ForecastID)
	}
	if f.NoForecastRuns {
		where = append(where, "run_id NOT IN (SELECT run_id FROM forecast_runs)")
	}
	if !f.Since.IsZero() {
		where, args = append(where, "started_at >= ?"), append(args, f.Since.UTC())
	}
	if len(where) == 0 {
		return "", nil, post, nil
	}
	return " WHERE " + strings.Join(where, " AND "), args, post, nil
}

// scanRuns runs a run listing query; status, when set, drops the rows that
// orphaned() turned into another status.
func (s *Store) scanRuns(ctx context.Context, q string, args []any, status string) ([]RunSummary, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing runs: %w", err)
	}
	defer rows.Close()
	var out []RunSummary
	for rows.Next() {
		r, err := scanSummary(rows)
		if err != nil {
			return nil, fmt.Errorf("listing runs: %w", err)
		}
		s.orphaned(&r)
		if status != "" && r.Status != status {
			continue
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing runs: %w", err)
	}
	return out, nil
}

// RunScenarios lists the scenario names of the stored runs, sorted, so a
// filter naming none of them can say which exist.
func (s *Store) RunScenarios(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT DISTINCT scenario FROM runs WHERE scenario IS NOT NULL ORDER BY scenario")
	if err != nil {
		return nil, fmt.Errorf("listing run scenarios: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("listing run scenarios: %w", err)
		}
		out = append(out, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing run scenarios: %w", err)
	}
	return out, nil
}

// RunRecord is a runs row in full.
type RunRecord struct {
	RunSummary
	Description       string
	Error             string
	Scenario          string
	ScenarioYAML      string
	ResolvedYAML      string
	Version           string
	HorizonNs         int64
	WindowNs          int64
	SimNs             int64
	Events            int64
	RequestSampleRate float64
	RequestsSampled   bool
	RequestsStored    int64
	SessionsStored    int64
	AuctionsStored    int64
	WindowsStored     int64
	ParamsJSON        string
	WriterPID         int
	WriterHost        string
	// Calibration is the profile file that priced the run as it read it
	// (zero for the built-in profile, and for runs stored before it was
	// recorded).
	Calibration CalibrationUsed
	// Served are the lengths of the calls the main fleet served (runs'
	// served_* columns, sim.PoolLengths of its pool): nil for a run not
	// complete or stored before the migration 0030_run_served_lengths,
	// which kept none; PromptP99 0 (unknown) for one stored before
	// 0034_run_served_prompt_p99, which kept it.
	Served *sim.PoolLengths
}

// ReplicaRow is a replica of a run: its meta and, once complete, its totals.
type ReplicaRow struct {
	Meta      sim.ReplicaMeta
	Totals    sim.ReplicaRecord
	HasTotals bool
}

// RunDetail is everything `aiecon show` prints: no raw records.
type RunDetail struct {
	Run RunRecord
	// InForecast: the run is a slice of a forecast (forecast_runs), whose
	// description the forecast wrote after its overrides.
	InForecast bool
	Workloads  []sim.WorkloadMeta
	KPIs       []sim.KPI
	Replicas   []ReplicaRow
}

// Run reads one run (by full id; see ResolveRun for prefixes).
func (s *Store) Run(ctx context.Context, id string) (*RunDetail, error) {
	d := &RunDetail{}
	summary, err := scanSummary(s.db.QueryRowContext(ctx, "SELECT "+summaryColumns+" FROM run_summary WHERE run_id = ?", id))
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("run %s: %w", id, ErrRunNotFound)
		}
		return nil, fmt.Errorf("reading run %s: %w", id, err)
	}
	r := &d.Run
	orphan := s.orphaned(&summary)
	r.RunSummary = summary
	var errMsg, scen, scenY, resY, params, host, calSHA, calSummary sql.NullString
	var calCreated sql.NullTime
	var horizon, window, simNs, events, nReq, nSess, nAuc, nWin, pid, calls sql.NullInt64
	var promptMean, contextMean, contextP99, promptP99 sql.NullFloat64
	err = s.db.QueryRowContext(ctx, `SELECT description, error, scenario, scenario_yaml, resolved_yaml, aiecon_version,
		horizon_ns, window_ns, sim_ns, events, request_sample_rate, requests_sampled,
		requests_stored, sessions_stored, auctions_stored, windows_stored, params_json, writer_pid, writer_host,
		calibration_sha256, calibration_created, calibration_summary,
		served_calls, served_prompt_mean_tok, served_context_mean_tok, served_context_p99_tok, served_prompt_p99_tok
		FROM runs WHERE run_id = ?`, id).Scan(&r.Description, &errMsg, &scen, &scenY, &resY, &r.Version,
		&horizon, &window, &simNs, &events, &r.RequestSampleRate, &r.RequestsSampled,
		&nReq, &nSess, &nAuc, &nWin, &params, &pid, &host, &calSHA, &calCreated, &calSummary,
		&calls, &promptMean, &contextMean, &contextP99, &promptP99)
	if err != nil {
		return nil, fmt.Errorf("reading run %s: %w", id, err)
	}
	r.Error, r.Scenario, r.ScenarioYAML, r.ResolvedYAML = errMsg.String, scen.String, scenY.String, resY.String
	if orphan {
		r.Error = interruptedError(int(pid.Int64), host.String)
		// Never counted (Finish counts them): what is there now, which
		// export writes too.
		if nReq.Int64, nSess.Int64, nAuc.Int64, nWin.Int64, err = s.countRecords(ctx, id); err != nil {
			return nil, fmt.Errorf("reading run %s: %w", id, err)
		}
	}
	r.HorizonNs, r.WindowNs, r.SimNs, r.Events = horizon.Int64, window.Int64, simNs.Int64, events.Int64
	r.RequestsStored, r.SessionsStored, r.AuctionsStored, r.WindowsStored = nReq.Int64, nSess.Int64, nAuc.Int64, nWin.Int64
	r.ParamsJSON, r.WriterPID, r.WriterHost = params.String, int(pid.Int64), host.String
	r.Calibration = CalibrationUsed{SHA256: calSHA.String, Created: calCreated.Time.UTC(), Summary: calSummary.String}
	if !calCreated.Valid {
		r.Calibration.Created = time.Time{}
	}
	if calls.Valid {
		r.Served = &sim.PoolLengths{Calls: int(calls.Int64), PromptMean: promptMean.Float64,
			ContextMean: contextMean.Float64, ContextP99: contextP99.Float64, PromptP99: promptP99.Float64}
	}

	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM forecast_runs WHERE run_id = ?)`, id).Scan(&d.InForecast); err != nil {
		return nil, fmt.Errorf("reading run %s: %w", id, err)
	}
	if d.Workloads, err = s.workloads(ctx, id); err != nil {
		return nil, err
	}
	if d.KPIs, err = s.KPIs(ctx, id); err != nil {
		return nil, err
	}
	if d.Replicas, err = s.replicas(ctx, id); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Store) workloads(ctx context.Context, id string) ([]sim.WorkloadMeta, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, class FROM run_workloads WHERE run_id = ? ORDER BY workload`, id)
	if err != nil {
		return nil, fmt.Errorf("reading workloads of run %s: %w", id, err)
	}
	defer rows.Close()
	var out []sim.WorkloadMeta
	for rows.Next() {
		var w sim.WorkloadMeta
		if err := rows.Scan(&w.Name, &w.Class); err != nil {
			return nil, fmt.Errorf("reading workloads of run %s: %w", id, err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

func (s *Store) replicas(ctx context.Context, id string) ([]ReplicaRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT replica_id, instance, instance_type, tp, iterations, busy_ns, up_ns,
		prefill_tokens, decode_tokens, preemptions, completed FROM replicas WHERE run_id = ? ORDER BY replica_id`, id)
	if err != nil {
		return nil, fmt.Errorf("reading replicas of run %s: %w", id, err)
	}
	defer rows.Close()
	var out []ReplicaRow
	for rows.Next() {
		var r ReplicaRow
		t := make([]sql.NullInt64, 7)
		if err := rows.Scan(&r.Meta.ID, &r.Meta.Instance, &r.Meta.Type, &r.Meta.TP, &t[0], &t[1], &t[2], &t[3], &t[4], &t[5], &t[6]); err != nil {
			return nil, fmt.Errorf("reading replicas of run %s: %w", id, err)
		}
		r.HasTotals = t[0].Valid
		r.Totals = sim.ReplicaRecord{ID: r.Meta.ID, Instance: r.Meta.Instance, Iterations: t[0].Int64, BusyNs: t[1].Int64,
			UpNs: t[2].Int64, PrefillTok: t[3].Int64, DecodeTok: t[4].Int64, Preemptions: t[5].Int64, Completed: t[6].Int64}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RunMeta reads back the simulator's RunMeta of a run.
func (s *Store) RunMeta(ctx context.Context, id string) (sim.RunMeta, error) {
	var m sim.RunMeta
	var scen sql.NullString
	var horizon, window sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT scenario, seed, horizon_ns, window_ns, request_sample_rate FROM runs WHERE run_id = ?`, id).
		Scan(&scen, &m.Seed, &horizon, &window, &m.RequestSampleRate)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return m, fmt.Errorf("run %s: %w", id, ErrRunNotFound)
		}
		return m, fmt.Errorf("reading meta of run %s: %w", id, err)
	}
	m.Scenario, m.HorizonNs, m.WindowNs = scen.String, horizon.Int64, window.Int64
	if m.Workloads, err = s.workloads(ctx, id); err != nil {
		return m, err
	}
	reps, err := s.replicas(ctx, id)
	if err != nil {
		return m, err
	}
	for _, r := range reps {
		m.Replicas = append(m.Replicas, r.Meta)
	}
	return m, nil
}

// KPIs reads a run's KPIs: the whole-run scope first, then by workload,
// each in name order. An undefined value is NaN.
func (s *Store) KPIs(ctx context.Context, id string) ([]sim.KPI, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT scope, name, value, unit FROM kpis WHERE run_id = ? ORDER BY scope, name`, id)
	if err != nil {
		return nil, fmt.Errorf("reading KPIs of run %s: %w", id, err)
	}
	defer rows.Close()
	var out []sim.KPI
	for rows.Next() {
		var k sim.KPI
		var v sql.NullFloat64
		if err := rows.Scan(&k.Scope, &k.Name, &v, &k.Unit); err != nil {
			return nil, fmt.Errorf("reading KPIs of run %s: %w", id, err)
		}
		k.Value = nanIfNull(v)
		out = append(out, k)
	}
	return out, rows.Err()
}

// Windows reads a run's time series in time order. NULL values are NaN.
func (s *Store) Windows(ctx context.Context, id string) ([]sim.WindowRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT start_ns, end_ns, arrivals, completions, dropped, abandoned, input_tokens,
		output_tokens, queue_depth_avg, running_avg, kv_util_avg, busy_frac, replicas_up, replicas_paid, ttft_p50_s,
		ttft_p99_s, tpot_p50_s, tpot_p99_s, e2e_p99_s, revenue_usd, cost_usd, flops_frac, bandwidth_frac, training_frac
		FROM windows WHERE run_id = ? ORDER BY start_ns`, id)
	if err != nil {
		return nil, fmt.Errorf("reading windows of run %s: %w", id, err)
	}
	defer rows.Close()
	var out []sim.WindowRecord
	f := make([]sql.NullFloat64, 16)
	for rows.Next() {
		var w sim.WindowRecord
		if err := rows.Scan(&w.StartNs, &w.EndNs, &w.Arrivals, &w.Completions, &w.Dropped, &w.Abandoned, &w.InputTokens,
			&w.OutputTokens, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10], &f[11],
			&f[12], &f[13], &f[14], &f[15]); err != nil {
			return nil, fmt.Errorf("reading windows of run %s: %w", id, err)
		}
		dst := []*float64{&w.QueueDepthAvg, &w.RunningAvg, &w.KVUtilAvg, &w.BusyFrac, &w.ReplicasUp, &w.ReplicasPaid,
			&w.TTFTP50S, &w.TTFTP99S, &w.TPOTP50S, &w.TPOTP99S, &w.E2EP99S, &w.RevenueUSD, &w.CostUSD, &w.FLOPsFrac,
			&w.BandwidthFrac, &w.TrainingFrac}
		for i, d := range dst {
			*d = nanIfNull(f[i])
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

var nan = math.NaN()

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
