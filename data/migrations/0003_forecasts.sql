-- 0003_forecasts: multi-period forecasts (`aiecon forecast`). A forecast
-- scales simulated representative days to months or quarters; its periods
-- are stored long (one row per variant, sample, period and metric, like
-- kpis) and linked to the runs they were scaled from.

CREATE TABLE forecasts (
    forecast_id    VARCHAR PRIMARY KEY,
    name           VARCHAR NOT NULL,
    description    VARCHAR NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    spec_yaml      VARCHAR NOT NULL,
    period_length  VARCHAR NOT NULL CHECK (period_length IN ('month', 'quarter')),
    periods        INTEGER NOT NULL,
    samples        INTEGER NOT NULL,
    report_json    VARCHAR NOT NULL,
    aiecon_version VARCHAR NOT NULL DEFAULT ''
);
COMMENT ON TABLE forecasts IS 'One row per forecast: its file, calendar and the report it printed';
COMMENT ON COLUMN forecasts.forecast_id IS '[id] 15-character forecast id';
COMMENT ON COLUMN forecasts.name IS '[text] the forecast''s name';
COMMENT ON COLUMN forecasts.description IS '[text] the forecast''s description';
COMMENT ON COLUMN forecasts.created_at IS '[UTC] when the forecast was stored';
COMMENT ON COLUMN forecasts.spec_yaml IS '[YAML] the forecast file as given';
COMMENT ON COLUMN forecasts.period_length IS '[enum] month or quarter';
COMMENT ON COLUMN forecasts.periods IS '[count] periods forecast';
COMMENT ON COLUMN forecasts.samples IS '[count] Monte Carlo samples (1: nominal inputs only)';
COMMENT ON COLUMN forecasts.report_json IS '[JSON] the report `aiecon forecast --json` printed';
COMMENT ON COLUMN forecasts.aiecon_version IS '[text] aiecon version that ran it';

CREATE TABLE forecast_periods (
    forecast_id VARCHAR NOT NULL,
    variant     VARCHAR NOT NULL,
    sample      INTEGER NOT NULL,
    period      INTEGER NOT NULL,
    metric      VARCHAR NOT NULL,
    unit        VARCHAR NOT NULL,
    value       DOUBLE,
    PRIMARY KEY (forecast_id, variant, sample, period, metric)
);
COMMENT ON TABLE forecast_periods IS 'Each period of each variant under each Monte Carlo sample, one row per metric (revenue and cost lines, margins, cost per Mtok, headroom, SLO attainment)';
COMMENT ON COLUMN forecast_periods.forecast_id IS '[id] the forecast';
COMMENT ON COLUMN forecast_periods.variant IS '[text] fleet variant, e.g. owned-trn2';
COMMENT ON COLUMN forecast_periods.sample IS '[index] Monte Carlo sample, 0-based';
COMMENT ON COLUMN forecast_periods.period IS '[index] period, 1-based';
COMMENT ON COLUMN forecast_periods.metric IS '[text] metric name; the suffix gives the unit (_usd USD, else a fraction or count)';
COMMENT ON COLUMN forecast_periods.unit IS '[text] unit of value: USD, USD/Mtok, fraction or count';
COMMENT ON COLUMN forecast_periods.value IS '[unit column] the value; NULL when undefined (a margin without revenue)';

CREATE TABLE forecast_runs (
    forecast_id VARCHAR NOT NULL,
    run_id      VARCHAR NOT NULL,
    variant     VARCHAR NOT NULL,
    sample      INTEGER NOT NULL,
    period      INTEGER NOT NULL,
    day         INTEGER NOT NULL,
    slice       INTEGER NOT NULL,
    PRIMARY KEY (forecast_id, run_id)
);
COMMENT ON TABLE forecast_runs IS 'The runs a forecast scaled: one per variant, sample, period, representative day and slice of the day';
COMMENT ON COLUMN forecast_runs.forecast_id IS '[id] the forecast';
COMMENT ON COLUMN forecast_runs.run_id IS '[id] the run (runs.run_id)';
COMMENT ON COLUMN forecast_runs.variant IS '[text] fleet variant';
COMMENT ON COLUMN forecast_runs.sample IS '[index] Monte Carlo sample, 0-based';
COMMENT ON COLUMN forecast_runs.period IS '[index] period, 1-based';
COMMENT ON COLUMN forecast_runs.day IS '[index] representative day, 0-based (seed = forecast seed + day)';
COMMENT ON COLUMN forecast_runs.slice IS '[index] slice of the day, 0-based';

CREATE OR REPLACE VIEW forecast_bands AS
SELECT
    p.forecast_id, f.name AS forecast, p.variant, p.period, p.metric, any_value(p.unit) AS unit,
    count(p.value) AS samples,
    quantile_cont(p.value, 0.1) AS p10,
    quantile_cont(p.value, 0.5) AS p50,
    quantile_cont(p.value, 0.9) AS p90
FROM forecast_periods p
JOIN forecasts f USING (forecast_id)
GROUP BY p.forecast_id, f.name, p.variant, p.period, p.metric;
COMMENT ON VIEW forecast_bands IS 'P10, P50 and P90 of every forecast metric over the Monte Carlo samples, per variant and period (the fan chart''s data)';
COMMENT ON COLUMN forecast_bands.forecast_id IS '[id] the forecast';
COMMENT ON COLUMN forecast_bands.forecast IS '[text] the forecast''s name';
COMMENT ON COLUMN forecast_bands.variant IS '[text] fleet variant';
COMMENT ON COLUMN forecast_bands.period IS '[index] period, 1-based';
COMMENT ON COLUMN forecast_bands.metric IS '[text] metric name';
COMMENT ON COLUMN forecast_bands.unit IS '[text] unit of the quantiles';
COMMENT ON COLUMN forecast_bands.samples IS '[count] samples with a defined value';
COMMENT ON COLUMN forecast_bands.p10 IS '[unit column] 10th percentile over the samples';
COMMENT ON COLUMN forecast_bands.p50 IS '[unit column] median over the samples';
COMMENT ON COLUMN forecast_bands.p90 IS '[unit column] 90th percentile over the samples';
