package data

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrNoForecastCheckpoint is wrapped when a store holds no unfinished
// forecast of the id asked for.
var ErrNoForecastCheckpoint = errors.New("no unfinished forecast")

// ForecastFingerprint is what a resumed forecast must share with the one
// that stopped: the same file, base scenario, samples, periods, shard and
// build, else the runs it reuses would not be its own.
type ForecastFingerprint struct {
	PlanSHA256, BaseSHA256 string
	Samples, Periods       int
	Shard                  string // "i/n", or "" for the whole forecast
	Version                string
}

// ForecastCheckpoint is what an unfinished forecast keeps of one run it
// finished (forecast_checkpoints).
type ForecastCheckpoint struct {
	ForecastID, RunID, Variant string
	Sample, Period, Day, Slice int
	ForecastFingerprint
	ResultJSON string
	// RunComplete is whether its run is still complete in the store: one
	// deleted since, or marked failed by a repair, is run again, but its
	// fingerprint still says which forecast the id was started as.
	RunComplete bool
}

// SaveForecastCheckpoint stores what a forecast keeps of one finished run.
func (s *Store) SaveForecastCheckpoint(ctx context.Context, c ForecastCheckpoint) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO forecast_checkpoints VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ForecastID, c.RunID, c.Variant, c.Sample, c.Period, c.Day, c.Slice, c.PlanSHA256, c.BaseSHA256, c.Samples, c.Periods,
		c.Shard, c.Version, c.ResultJSON)
	if err != nil {
		return fmt.Errorf("storing forecast %s's run %s for a resume: %w", c.ForecastID, c.RunID, err)
	}
	return nil
}

// ForecastCheckpoints reads what unfinished forecast id keeps of its
// finished runs, each with whether its run is still complete in the store
// (RunComplete), by variant, sample, period, day and slice.
func (s *Store) ForecastCheckpoints(ctx context.Context, id string) ([]ForecastCheckpoint, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.forecast_id, c.run_id, c.variant, c.sample, c.period, c.day, c.slice, c.plan_sha256,
		c.base_sha256, c.samples, c.periods, c.shard, c.aiecon_version, c.result_json, coalesce(r.status = 'complete', false)
		FROM forecast_checkpoints c LEFT JOIN runs r USING (run_id)
		WHERE c.forecast_id = ?
		ORDER BY c.variant, c.sample, c.period, c.day, c.slice, c.run_id`, id)
	if err != nil {
		return nil, fmt.Errorf("reading unfinished forecast %s: %w", id, err)
	}
	defer rows.Close()
	var out []ForecastCheckpoint
	for rows.Next() {
		var c ForecastCheckpoint
		if err := rows.Scan(&c.ForecastID, &c.RunID, &c.Variant, &c.Sample, &c.Period, &c.Day, &c.Slice, &c.PlanSHA256, &c.BaseSHA256,
			&c.Samples, &c.Periods, &c.Shard, &c.Version, &c.ResultJSON, &c.RunComplete); err != nil {
			return nil, fmt.Errorf("reading unfinished forecast %s: %w", id, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading unfinished forecast %s: %w", id, err)
	}
	return out, nil
}

// UnfinishedForecasts are KeptForecasts ordered for --resume last: the
// one whose latest run finished last first. A forecast whose kept runs
// were all deleted since still counts (after the others, by id, which
// grows with time, latest first), as a resume by its id finds it: "last"
// said there was none. It was a query of its own over the same rows, with
// a type of its own that KeptForecast had grown to hold, and the two had
// begun to differ: its fingerprint took each column's lowest value apart,
// which for an id whose rows differ (a store merged from stopped shards
// before merge left their rows in the inputs) mixed two rows' fields into
// a fingerprint that no row had.
func (s *Store) UnfinishedForecasts(ctx context.Context) ([]KeptForecast, error) {
	out, err := s.KeptForecasts(ctx)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b KeptForecast) int {
		switch za, zb := a.LastFinished.IsZero(), b.LastFinished.IsZero(); {
		case za && !zb: // a forecast with no finish time left goes last
			return 1
		case zb && !za:
			return -1
		}
		return cmp.Or(b.LastFinished.Compare(a.LastFinished), strings.Compare(b.ID, a.ID))
	})
	return out, nil
}

// ResolveForecastCheckpoint turns a whole id, a unique prefix of one, or
// "last" (the first of UnfinishedForecasts) into the
// id of an unfinished forecast. A forecast stored whole is not one: the
// error says it is complete.
func (s *Store) ResolveForecastCheckpoint(ctx context.Context, ref string) (string, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	// A store of a schema before forecast_checkpoints (read as it is,
	// Options.OlderSchema) holds no unfinished forecast.
	if n, err := queryStrings(ctx, s.db, `SELECT table_name FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'forecast_checkpoints'`); err != nil {
		return "", fmt.Errorf("resolving unfinished forecast %q: %w", ref, err)
	} else if len(n) == 0 {
		return "", fmt.Errorf("forecast %q: %w in %s: its schema predates them", ref, ErrNoForecastCheckpoint, s.path)
	}
	if ref == latestRunRef {
		all, err := s.UnfinishedForecasts(ctx)
		if err != nil {
			return "", err
		}
		if len(all) == 0 {
			return "", fmt.Errorf("forecast %q: %w: the store %s holds none (a forecast stopped before any run finished keeps nothing, "+
				"and one stored since keeps nothing either)", ref, ErrNoForecastCheckpoint, s.path)
		}
		return all[0].ID, nil
	}
	if !validIDRef(ref) {
		return "", fmt.Errorf("forecast %q: %w: %s", ref, ErrNoForecastCheckpoint, idRefAdvice("forecast", ref))
	}
	ids, err := s.idsWithPrefix(ctx, "forecast_checkpoints", "forecast_id", ref)
	if err != nil {
		return "", fmt.Errorf("resolving unfinished forecast %q: %w", ref, err)
	}
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		if done, err := s.ResolveForecast(ctx, ref); err == nil {
			return "", fmt.Errorf("forecast %s: %w: it is stored whole, so there is nothing to resume ('aiecon compare --forecast %s' reads it)",
				done, ErrNoForecastCheckpoint, done)
		}
		return "", fmt.Errorf("forecast %q: %w in %s", ref, ErrNoForecastCheckpoint, s.path)
	}
	return "", fmt.Errorf("forecast %q is ambiguous: it matches %s; type more characters", ref, strings.Join(ids, ", "))
}

// ForecastCheckpointCalibrations are the calibration profile files that
// the runs unfinished forecast id keeps were priced by (as
// SweepCalibrationFiles: one per digest, ordered by digest).
func (s *Store) ForecastCheckpointCalibrations(ctx context.Context, id string) ([]SweepCalibrationFile, error) {
	return s.calibrationFiles(ctx, "unfinished forecast "+id, `SELECT r.calibration_sha256, max(r.run_id), arg_max(r.resolved_yaml, r.run_id)
		FROM forecast_checkpoints c JOIN runs r USING (run_id)
		WHERE c.forecast_id = ? AND r.status = 'complete' AND r.calibration_sha256 IS NOT NULL GROUP BY 1 ORDER BY 1`, id)
}

// KeptForecast is an unfinished forecast as its store keeps it for a
// resume (forecast_checkpoints): its id, the name its runs carry ("" if
// every one was deleted), the fingerprint of its first kept row (a resume
// checks every row's), how many runs it keeps, how
// many of them are still complete (a resume reuses those and runs the
// rest again) and when the last of them finished (zero where none has a
// finish time).
type KeptForecast struct {
	ID, Name string
	ForecastFingerprint
	Runs, Complete int
	LastFinished   time.Time
}

// keptForecastsSQL lists the unfinished forecasts of the store attached
// as %[1]s (main, or a merge's input), by id. The name is its runs' name
// less the part the forecast adds after it (forecast.jobName:
// /VARIANT/sS/pP/dD/hH, which the row keeps the fields of): a forecast's
// name may hold '/' (a variant's too), and the part before the first '/'
// cut "team/q3-plan" to "team". A run named otherwise (not by a forecast
// of this build) gives that part, as before.
const keptForecastsSQL = `SELECT forecast_id,
	coalesce(min(CASE WHEN ends_with(name, job) THEN left(name, length(name) - length(job)) END), split_part(min(name), '/', 1), ''),
	arg_min(plan_sha256, run_id), arg_min(base_sha256, run_id), arg_min(samples, run_id),
	arg_min(periods, run_id), arg_min(shard, run_id), arg_min(aiecon_version, run_id),
	count(*), count(*) FILTER (WHERE status = 'complete'), max(finished_at)
	FROM (SELECT c.*, r.name, r.status, r.finished_at, printf('/%%s/s%%d/p%%d/d%%d/h%%d', c.variant, c.sample, c.period, c.day, c.slice) AS job
		FROM %[1]s.forecast_checkpoints c LEFT JOIN %[1]s.runs r USING (run_id))
	GROUP BY forecast_id ORDER BY forecast_id`

// KeptForecasts lists the unfinished forecasts the store keeps for a
// resume, by id: nothing but storing the forecast removes what one keeps,
// so a forecast stopped and never resumed keeps its rows for good. A store
// of a schema before forecast_checkpoints (read as it is) keeps none.
func (s *Store) KeptForecasts(ctx context.Context) ([]KeptForecast, error) {
	if n, err := queryStrings(ctx, s.db, `SELECT table_name FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'forecast_checkpoints'`); err != nil {
		return nil, fmt.Errorf("listing unfinished forecasts in %s: %w", s.path, err)
	} else if len(n) == 0 {
		return nil, nil
	}
	out, err := keptForecasts(ctx, s.db, "main")
	if err != nil {
		return nil, fmt.Errorf("listing unfinished forecasts in %s: %w", s.path, err)
	}
	return out, nil
}

// keptForecasts runs keptForecastsSQL on the store attached as schema.
func keptForecasts(ctx context.Context, db queryer, schema string) ([]KeptForecast, error) {
	rows, err := db.QueryContext(ctx, fmt.Sprintf(keptForecastsSQL, schema))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []KeptForecast
	for rows.Next() {
		var k KeptForecast
		var last sql.NullTime
		if err := rows.Scan(&k.ID, &k.Name, &k.PlanSHA256, &k.BaseSHA256, &k.Samples, &k.Periods, &k.Shard, &k.Version,
			&k.Runs, &k.Complete, &last); err != nil {
			return nil, err
		}
		k.LastFinished = last.Time
		out = append(out, k)
	}
	return out, rows.Err()
}
