package data

// forecasts copies the input's forecasts that this store lacks, with their
// periods and run links (forecast ids are random, so one already here is
// the same forecast, merged before).
func (m merger) forecasts(st *MergeStats) error {
	const fresh = `forecast_id NOT IN (SELECT forecast_id FROM main.forecasts)`
	for _, t := range []string{"forecast_periods", "forecast_runs"} {
		if _, err := m.exec("copying "+t, `INSERT INTO main.`+t+` SELECT * FROM aiecon_merge_input.`+t+` WHERE `+fresh); err != nil {
			return err
		}
	}
	var err error
	st.Forecasts, err = m.exec("copying forecasts", `INSERT INTO main.forecasts SELECT * FROM aiecon_merge_input.forecasts WHERE `+fresh)
	return err
}
