package data

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// ErrForecastNotFound is returned for a forecast reference that matches none.
var ErrForecastNotFound = errors.New("no such forecast")

// ErrNoForecasts is ErrForecastNotFound for a store that holds no forecast
// at all, so that a caller can say how to make one rather than how to name
// one.
var ErrNoForecasts = fmt.Errorf("%w", ErrForecastNotFound)

// ForecastInfo describes a forecast to store.
type ForecastInfo struct {
	// ID is the id to store under: "" draws a fresh one; a shard of a split
	// forecast gives the id every shard derives (data.DerivedID).
	ID                string
	Name, Description string
	SpecYAML          string
	PeriodLength      string // month | quarter
	Periods, Samples  int
	ReportJSON        string
	Version           string
}

// ForecastValue is one metric of one period of one variant under one sample.
type ForecastValue struct {
	Variant        string
	Sample, Period int
	Metric, Unit   string
	Value          float64 // NaN is stored as NULL
}

// ForecastRun links a run to the period it was scaled into.
type ForecastRun struct {
	RunID, Variant             string
	Sample, Period, Day, Slice int
}

// SaveForecast stores a forecast, its period values and the links to its
// runs in one transaction, removes what its runs kept for a resume
// (forecast_checkpoints), and returns its id.
func (s *Store) SaveForecast(ctx context.Context, info ForecastInfo, values []ForecastValue, runs []ForecastRun) (string, error) {
	id := info.ID
	if id == "" {
		id = NewID()
	} else if !ValidID(id) {
		return "", fmt.Errorf("storing forecast %q: id %q is not %d characters of 0-9 and a-z without i, l, o, u", info.Name, id, IDLength)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("storing forecast %q: %w", info.Name, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM forecasts WHERE forecast_id = ?`, id).Scan(&n); err != nil {
		return "", fmt.Errorf("storing forecast %q: %w", info.Name, err)
	}
	if n > 0 {
		return "", fmt.Errorf("storing forecast %q: %s already holds forecast %s (a shard stored there before?); give each shard its own --db", info.Name, s.path, id)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO forecasts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, info.Name, info.Description,
		time.Now().UTC(), info.SpecYAML, info.PeriodLength, info.Periods, info.Samples, info.ReportJSON, info.Version); err != nil {
		return "", fmt.Errorf("storing forecast %q: %w", info.Name, err)
	}
	// Multi-row inserts: thousands of single-row statements would take seconds.
	const chunk = 500
	for i := 0; i < len(values); i += chunk {
		part := values[i:min(i+chunk, len(values))]
		args := make([]any, 0, 7*len(part))
		for _, v := range part {
			var val any = v.Value
			if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
				val = nil
			}
			args = append(args, id, v.Variant, v.Sample, v.Period, v.Metric, v.Unit, val)
		}
		q := "INSERT INTO forecast_periods VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", len(part)), ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return "", fmt.Errorf("storing forecast %q periods: %w", info.Name, err)
		}
	}
	for i := 0; i < len(runs); i += chunk {
		part := runs[i:min(i+chunk, len(runs))]
		args := make([]any, 0, 7*len(part))
		for _, r := range part {
			args = append(args, id, r.RunID, r.Variant, r.Sample, r.Period, r.Day, r.Slice)
		}
		q := "INSERT INTO forecast_runs VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", len(part)), ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return "", fmt.Errorf("storing forecast %q runs: %w", info.Name, err)
		}
	}
	// Stored whole, the forecast has nothing left to resume: what its runs
	// kept for a resume (forecast_checkpoints) goes in the same commit.
	if _, err := tx.ExecContext(ctx, `DELETE FROM forecast_checkpoints WHERE forecast_id = ?`, id); err != nil {
		return "", fmt.Errorf("storing forecast %q: removing what its runs kept for a resume: %w", info.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("storing forecast %q: %w", info.Name, err)
	}
	return id, nil
}

// Forecast is a stored forecast.
type Forecast struct {
	ID, Name, Description string
	CreatedAt             time.Time
	PeriodLength          string
	Periods, Samples      int
	SpecYAML, ReportJSON  string
}

// Forecast reads a stored forecast by id.
func (s *Store) Forecast(ctx context.Context, id string) (Forecast, error) {
	f := Forecast{ID: id}
	err := s.db.QueryRowContext(ctx, `SELECT name, description, created_at, period_length, periods, samples, spec_yaml, report_json
		FROM forecasts WHERE forecast_id = ?`, id).Scan(&f.Name, &f.Description, &f.CreatedAt, &f.PeriodLength, &f.Periods,
		&f.Samples, &f.SpecYAML, &f.ReportJSON)
	if err != nil {
		if isNoRows(err) {
			return f, fmt.Errorf("forecast %s: %w in %s", id, ErrForecastNotFound, s.path)
		}
		return f, fmt.Errorf("reading forecast %s: %w", id, err)
	}
	return f, nil
}

// ResolveForecast turns a whole forecast id, a unique prefix of one (or an
// id cut in its middle, as ResolveRun takes), or "last" (the most recently
// stored forecast) into a forecast id.
func (s *Store) ResolveForecast(ctx context.Context, ref string) (string, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if ref == latestRunRef {
		var id string
		err := s.db.QueryRowContext(ctx, `SELECT forecast_id FROM forecasts ORDER BY created_at DESC, forecast_id DESC LIMIT 1`).Scan(&id)
		if err != nil {
			if isNoRows(err) {
				return "", fmt.Errorf("forecast %q: %w: the store %s holds no forecasts", ref, ErrNoForecasts, s.path)
			}
			return "", fmt.Errorf("finding the last forecast: %w", err)
		}
		return id, nil
	}
	if !validIDRef(ref) {
		return "", fmt.Errorf("forecast %q: %w: %s", ref, ErrForecastNotFound, idRefAdvice("forecast", ref))
	}
	ids, err := s.idsWithPrefix(ctx, "forecasts", "forecast_id", ref)
	if err != nil {
		return "", fmt.Errorf("resolving forecast %q: %w", ref, err)
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("forecast %q: %w in %s", ref, ErrForecastNotFound, s.path)
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("forecast %q is ambiguous: it matches %s; type more characters", ref, strings.Join(ids, ", "))
}

// ForecastBand is a row of the forecast_bands view.
type ForecastBand struct {
	Variant       string
	Period        int
	Metric, Unit  string
	P10, P50, P90 float64 // NaN when no sample defines the metric
}

// ForecastBands reads a forecast's bands for the given metrics (all when
// none), by variant (in first-stored order), period and metric.
func (s *Store) ForecastBands(ctx context.Context, id string, metrics ...string) ([]ForecastBand, error) {
	q := `SELECT b.variant, b.period, b.metric, b.unit, b.p10, b.p50, b.p90 FROM forecast_bands b
		JOIN (SELECT variant, min(rowid) AS first FROM forecast_periods WHERE forecast_id = ? GROUP BY variant) o USING (variant)
		WHERE b.forecast_id = ?`
	args := []any{id, id}
	if len(metrics) > 0 {
		q += ` AND b.metric IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(metrics)), ", ") + `)`
		for _, m := range metrics {
			args = append(args, m)
		}
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY o.first, b.period, b.metric`, args...)
	if err != nil {
		return nil, fmt.Errorf("reading forecast %s bands: %w", id, err)
	}
	defer rows.Close()
	var out []ForecastBand
	for rows.Next() {
		var b ForecastBand
		var p10, p50, p90 *float64
		if err := rows.Scan(&b.Variant, &b.Period, &b.Metric, &b.Unit, &p10, &p50, &p90); err != nil {
			return nil, fmt.Errorf("reading forecast %s bands: %w", id, err)
		}
		b.P10, b.P50, b.P90 = orNaN(p10), orNaN(p50), orNaN(p90)
		out = append(out, b)
	}
	return out, rows.Err()
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// ForecastTotal is a USD metric summed over a forecast's periods, banded
// over the samples (the median of the sums, not the sum of the medians).
type ForecastTotal struct {
	Variant       string
	Metric        string
	P10, P50, P90 float64
}

// forecastSampleTotals is the SQL of each (variant, metric, sample)'s sum
// over the periods of forecast ? (USD metrics), kept only where the metric
// has a value in every period of every sample of its variant. A NULL (not
// kept when the forecast was stored, as the licensing split before
// migration 33) leaves the metric no total: a sum of nothing is not $0,
// and neither is a sum of some periods the total. A forecast merged from
// shards of an older and a newer build has NULL in some periods or
// samples alone, and its parts of LICENSE summed over the others did not
// add up to cost_licensing_usd.
const forecastSampleTotals = `
	SELECT variant, metric, sample, sum(value) AS total, min(rowid) AS first
	FROM forecast_periods WHERE forecast_id = ? AND unit = 'USD'
	GROUP BY variant, metric, sample
	QUALIFY bool_and(count(value) = count(*)) OVER (PARTITION BY variant, metric)`

// ForecastTotals reads the horizon totals of every USD metric of a
// forecast, by variant (in first-stored order) and metric; a metric not
// kept in every period and sample has none (forecastSampleTotals).
func (s *Store) ForecastTotals(ctx context.Context, id string) ([]ForecastTotal, error) {
	rows, err := s.db.QueryContext(ctx, `
		WITH t AS (`+forecastSampleTotals+`)
		SELECT variant, metric, quantile_cont(total, 0.1), quantile_cont(total, 0.5), quantile_cont(total, 0.9)
		FROM t GROUP BY variant, metric ORDER BY min(min(first)) OVER (PARTITION BY variant), metric`, id)
	if err != nil {
		return nil, fmt.Errorf("reading forecast %s totals: %w", id, err)
	}
	defer rows.Close()
	var out []ForecastTotal
	for rows.Next() {
		var t ForecastTotal
		var p10, p50, p90 *float64
		if err := rows.Scan(&t.Variant, &t.Metric, &p10, &p50, &p90); err != nil {
			return nil, fmt.Errorf("reading forecast %s totals: %w", id, err)
		}
		t.P10, t.P50, t.P90 = orNaN(p10), orNaN(p50), orNaN(p90)
		out = append(out, t)
	}
	return out, rows.Err()
}

// PairedDelta is a variant's horizon total minus the base variant's in the
// same Monte Carlo sample, banded over the samples (quantile_cont, as
// ForecastTotals bands the totals: linear between the closest ranks).
// Samples is how many samples both variants have; Above and Below in how
// many the variant's total is more, or less, than the base's by half a
// cent or more (the rest are equal: two sums of the same figures can
// differ in their last bits).
type PairedDelta struct {
	P10, P50, P90         float64
	Samples, Above, Below int
}

// ForecastPairedDeltas is, for every variant and USD metric of a
// forecast, its PairedDelta against base. The variants of a sample share
// its draws (common random numbers), so this is the variant's effect,
// which a difference of the two medians is not. Keyed by variant, then metric;
// a metric not kept (ForecastTotals) has no delta.
func (s *Store) ForecastPairedDeltas(ctx context.Context, id, base string) (map[string]map[string]PairedDelta, error) {
	rows, err := s.db.QueryContext(ctx, `
		WITH t AS (`+forecastSampleTotals+`),
		d AS (
			SELECT t.variant, t.metric, t.total - b.total AS d
			FROM t JOIN t AS b ON b.variant = ? AND b.metric = t.metric AND b.sample = t.sample)
		SELECT variant, metric, quantile_cont(d, 0.1), quantile_cont(d, 0.5), quantile_cont(d, 0.9),
			count(*), count(*) FILTER (WHERE d >= 0.005), count(*) FILTER (WHERE d <= -0.005)
		FROM d GROUP BY variant, metric`, id, base)
	if err != nil {
		return nil, fmt.Errorf("reading forecast %s deltas: %w", id, err)
	}
	defer rows.Close()
	out := map[string]map[string]PairedDelta{}
	for rows.Next() {
		var variant, metric string
		var p10, p50, p90 *float64
		var d PairedDelta
		if err := rows.Scan(&variant, &metric, &p10, &p50, &p90, &d.Samples, &d.Above, &d.Below); err != nil {
			return nil, fmt.Errorf("reading forecast %s deltas: %w", id, err)
		}
		d.P10, d.P50, d.P90 = orNaN(p10), orNaN(p50), orNaN(p90)
		if out[variant] == nil {
			out[variant] = map[string]PairedDelta{}
		}
		out[variant][metric] = d
	}
	return out, rows.Err()
}

// ForecastGroupsStored counts the (variant, sample, period) groups of
// forecast id that have period rows. A shard of a split forecast stores
// its own groups' rows alone, so a store that not every shard was merged
// into holds fewer groups than the forecast has.
func (s *Store) ForecastGroupsStored(ctx context.Context, id string) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT DISTINCT variant, sample, period FROM forecast_periods
		WHERE forecast_id = ?)`, id).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting the period groups of forecast %s in %s: %w", id, s.path, err)
	}
	return n, nil
}

// ForecastIDs lists the ids of the stored forecasts, oldest first.
func (s *Store) ForecastIDs(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT forecast_id FROM forecasts ORDER BY created_at, forecast_id`)
	if err != nil {
		return nil, fmt.Errorf("listing the forecasts of %s: %w", s.path, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("listing the forecasts of %s: %w", s.path, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing the forecasts of %s: %w", s.path, err)
	}
	return ids, nil
}
