package data

import "fmt"

// forecasts copies the input's forecasts, their period rows and their run
// links. The shards of a split forecast (`aiecon forecast --shard i/n`)
// store one forecast id with the same file, calendar and samples, each with
// its own periods: a forecast already here takes the input's period rows
// and run links that it lacks, and its report joined with the input's
// (MergeOptions.ForecastReports; without it, the report of the first
// shard merged is kept, whose notes cover that shard's periods only,
// while the period rows, which the views, bands, plots and compare read,
// are complete). A forecast id here with another file or calendar,
// or a period row here with another value, is a conflict.
func (m merger) forecasts(st *MergeStats) error {
	if err := m.conflicts("forecasts", `SELECT forecast_id FROM (
		SELECT forecast_id, name, description, spec_yaml, period_length, periods, samples FROM aiecon_merge_input.forecasts
		WHERE forecast_id IN (SELECT forecast_id FROM main.forecasts)
		EXCEPT SELECT forecast_id, name, description, spec_yaml, period_length, periods, samples FROM main.forecasts) ORDER BY 1`); err != nil {
		return err
	}
	if err := m.conflicts("forecast periods", `SELECT forecast_id || ' ' || variant || ' sample ' || sample || ' period ' || period || ' ' || metric FROM (
		SELECT * FROM aiecon_merge_input.forecast_periods i WHERE EXISTS (SELECT 1 FROM main.forecast_periods o
			WHERE o.forecast_id = i.forecast_id AND o.variant = i.variant AND o.sample = i.sample AND o.period = i.period AND o.metric = i.metric)
		EXCEPT SELECT * FROM main.forecast_periods) ORDER BY 1`); err != nil {
		return err
	}
	const newPeriods = `FROM aiecon_merge_input.forecast_periods i
		WHERE NOT EXISTS (SELECT 1 FROM main.forecast_periods o
			WHERE o.forecast_id = i.forecast_id AND o.variant = i.variant AND o.sample = i.sample AND o.period = i.period AND o.metric = i.metric)`
	var err error
	if st.ForecastPeriods, err = m.count("counting forecast periods", `SELECT count(*) FROM (SELECT DISTINCT forecast_id, variant, sample, period `+newPeriods+`)`); err != nil {
		return err
	}
	if st.ForecastsPresent, err = m.count("counting forecasts", `SELECT count(*) FROM aiecon_merge_input.forecasts WHERE forecast_id IN (SELECT forecast_id FROM main.forecasts)`); err != nil {
		return err
	}
	if _, err := m.exec("copying forecast periods", `INSERT INTO main.forecast_periods SELECT * `+newPeriods); err != nil {
		return err
	}
	if _, err := m.exec("copying forecast run links", `INSERT INTO main.forecast_runs SELECT * FROM aiecon_merge_input.forecast_runs i
		WHERE NOT EXISTS (SELECT 1 FROM main.forecast_runs o WHERE o.forecast_id = i.forecast_id AND o.run_id = i.run_id)`); err != nil {
		return err
	}
	if err := m.forecastReports(); err != nil {
		return err
	}
	if _, err := m.exec("dating forecasts", `UPDATE main.forecasts o SET created_at = i.created_at FROM aiecon_merge_input.forecasts i
		WHERE o.forecast_id = i.forecast_id AND i.created_at < o.created_at`); err != nil {
		return err
	}
	st.Forecasts, err = m.exec("copying forecasts", `INSERT INTO main.forecasts SELECT * FROM aiecon_merge_input.forecasts
		WHERE forecast_id NOT IN (SELECT forecast_id FROM main.forecasts)`)
	return err
}

// stopped lists the input's unfinished forecasts (st.Stopped), whose kept
// rows (forecast_checkpoints) the merge leaves in the input. Copied, they
// would be resumable in the output only while it holds no forecast of
// their id stored and no kept rows of another shard of it: every shard of
// a split stores under one id, so the stored shard that a merge is for,
// merged before or after, made a resume there refuse ("already holds
// forecast"), and two stopped shards' rows refused each other's resume
// (each row's fingerprint names its shard). The input, which a merge only
// reads, can always be resumed; merged again once stored, it adds the
// periods it stores, its runs already here being skipped. The caller says
// so: the merge copied the rows without a word, and the merged forecast
// lacked the stopped shard's periods with nothing saying why.
func (m merger) stopped(st *MergeStats) error {
	kept, err := keptForecasts(m.ctx, m.tx, "aiecon_merge_input")
	if err != nil {
		return fmt.Errorf("merging %s: listing its unfinished forecasts: %w", m.input, err)
	}
	st.Stopped = kept
	return nil
}

// forecastReports replaces the report of each forecast here that the
// input holds too by the two joined (MergeOptions.ForecastReports).
func (m merger) forecastReports() error {
	if m.opts.ForecastReports == nil {
		return nil
	}
	rows, err := m.tx.QueryContext(m.ctx, `SELECT o.forecast_id, o.report_json, i.report_json FROM main.forecasts o
		JOIN aiecon_merge_input.forecasts i USING (forecast_id) ORDER BY 1`)
	if err != nil {
		return fmt.Errorf("merging %s: reading forecast reports: %w", m.input, err)
	}
	type pair struct{ id, held, in string }
	var pairs []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.id, &p.held, &p.in); err != nil {
			rows.Close()
			return fmt.Errorf("merging %s: reading forecast reports: %w", m.input, err)
		}
		pairs = append(pairs, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("merging %s: reading forecast reports: %w", m.input, err)
	}
	for _, p := range pairs {
		joined, err := m.opts.ForecastReports(p.held, p.in)
		if err != nil {
			return fmt.Errorf("merging %s: forecast %s: joining its report with the one held: %w", m.input, p.id, err)
		}
		if _, err := m.exec("storing forecast "+p.id+"'s joined report", `UPDATE main.forecasts SET report_json = ? WHERE forecast_id = ?`,
			joined, p.id); err != nil {
			return err
		}
	}
	return nil
}
