package tui

import (
	"context"
	"fmt"
	"strings"

	"aiecon/data"
)

// The few reads the data package does not offer, written against the
// documented tables and views (data/migrations).

// sweepPointParams reads the parameters of every sweep point, keyed by
// sweep id and point, for labelling the runs of a sweep in the runs list.
func sweepPointParams(ctx context.Context, s *data.Store) (map[string]map[int]string, error) {
	rows, err := s.DB().QueryContext(ctx, `SELECT sweep_id, point, params_json FROM sweep_points ORDER BY sweep_id, point`)
	if err != nil {
		return nil, fmt.Errorf("reading sweep points: %w", err)
	}
	defer rows.Close()
	out := map[string]map[int]string{}
	for rows.Next() {
		var id, params string
		var point int
		if err := rows.Scan(&id, &point, &params); err != nil {
			return nil, fmt.Errorf("reading sweep points: %w", err)
		}
		if out[id] == nil {
			out[id] = map[int]string{}
		}
		out[id][point] = params
	}
	return out, rows.Err()
}

// forecastRun is a run's place in a stored forecast.
type forecastRun struct {
	forecast, name string // the forecast's id and name
	periodLength   string // month or quarter
	samples        int    // Monte Carlo samples the forecast drew
	variant        string
	sample, period int
	day, slice     int
}

// forecastRuns maps every run a forecast scaled to its place in it, so that
// the runs list folds a forecast's runs (a dozen per period and variant) as
// it folds a sweep's. A store written before forecasts existed has none.
func forecastRuns(ctx context.Context, s *data.Store) (map[string]forecastRun, error) {
	tables, err := storeTables(ctx, s, "forecasts", "forecast_runs")
	if err != nil {
		return nil, fmt.Errorf("looking for the forecast tables: %w", err)
	}
	out := map[string]forecastRun{}
	if tables < 2 {
		return out, nil
	}
	rows, err := s.DB().QueryContext(ctx, `SELECT r.run_id, r.forecast_id, f.name, f.period_length, f.samples, r.variant,
		r.sample, r.period, r.day, r.slice FROM forecast_runs r JOIN forecasts f USING (forecast_id)`)
	if err != nil {
		return nil, fmt.Errorf("reading forecast runs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var f forecastRun
		if err := rows.Scan(&id, &f.forecast, &f.name, &f.periodLength, &f.samples, &f.variant, &f.sample, &f.period, &f.day, &f.slice); err != nil {
			return nil, fmt.Errorf("reading forecast runs: %w", err)
		}
		out[id] = f
	}
	return out, rows.Err()
}

// storeIDs is every id a user may type at :run, :compare, :sweep and
// :forecast (every run, a forecast's too, every sweep and every forecast),
// from which each id shown gets its shortest unique prefix, and the store's
// runs, newest first, for the header's count and the palette's list.
type storeIDs struct {
	ids  []string
	runs []runRef
}

// readStoreIDs reads the store's ids. The forecasts' were left out: a
// forecast's id showed as long as the longest run or sweep id needed, a
// prefix two forecasts of one second shared, and :forecast took it as
// ambiguous. The runs come with their names: the palette offered the runs
// of the runs list's last load, so a run stored since, read here by a
// reload elsewhere, was counted in the header but not offered.
func readStoreIDs(ctx context.Context, s *data.Store) (*storeIDs, error) {
	var out storeIDs
	tables, err := storeTables(ctx, s, "forecasts")
	if err != nil {
		return nil, fmt.Errorf("looking for the forecasts table: %w", err)
	}
	if out.runs, err = runRefs(ctx, s); err != nil {
		return nil, fmt.Errorf("reading the store's ids: %w", err)
	}
	for _, r := range out.runs {
		out.ids = append(out.ids, r.id)
	}
	if err := appendStrings(ctx, s, `SELECT sweep_id FROM sweeps`, &out.ids); err != nil {
		return nil, fmt.Errorf("reading the store's ids: %w", err)
	}
	if tables > 0 { // a store written before forecasts existed has none
		ids, err := s.ForecastIDs(ctx)
		if err != nil {
			return nil, err
		}
		out.ids = append(out.ids, ids...)
	}
	return &out, nil
}

// storeTables counts which of names are tables of aiecon's, in the schema
// the store keeps them in (main, of the file's own database, named through
// system.main as data's schema checks name it: the file may define a macro
// of that name, which the dashboard warns of and still opens). Counted
// across every schema and catalog, a table of that name that a user made
// elsewhere (CREATE SCHEMA scratch; CREATE TABLE scratch.forecasts) stood
// for aiecon's, and the read of aiecon's, which the store lacked, failed.
func storeTables(ctx context.Context, s *data.Store, names ...string) (int, error) {
	args := make([]any, len(names))
	marks := make([]string, len(names))
	for i, n := range names {
		args[i], marks[i] = n, "?"
	}
	var n int
	err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables
		WHERE table_catalog = system.main.current_database() AND table_schema = 'main' AND table_type = 'BASE TABLE'
		AND table_name IN (`+strings.Join(marks, ", ")+`)`, args...).Scan(&n)
	return n, err
}

// runRefs reads the store's runs, ids and names, newest first as the runs
// list shows them.
func runRefs(ctx context.Context, s *data.Store) ([]runRef, error) {
	rows, err := s.DB().QueryContext(ctx, `SELECT run_id, name FROM runs ORDER BY run_id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []runRef
	for rows.Next() {
		var r runRef
		if err := rows.Scan(&r.id, &r.name); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// appendStrings appends the one string column of a query's rows to out.
func appendStrings(ctx context.Context, s *data.Store, q string, out *[]string) error {
	rows, err := s.DB().QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		*out = append(*out, v)
	}
	return rows.Err()
}
