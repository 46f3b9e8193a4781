-- 0028_forecast_checkpoints: what a forecast stopped before its end keeps
-- of each run it finished, so that `aiecon forecast --resume` runs only the
-- rest.
--
-- A forecast is stored (forecasts, forecast_periods, forecast_runs) only
-- once every run has finished, since a period is scaled from all of its
-- runs. Its finished runs stayed in the store as ordinary runs that a rerun
-- did not reuse: a stopped forecast of 864 runs lost every run done. Each
-- run a forecast finishes now also stores the figures the forecast keeps of
-- it (its whole-run KPIs, licensing by workload, the unfinished sessions'
-- estimate: everything the aggregation reads), keyed by the forecast id and
-- the run's place in the forecast, and beside them what a resume must find
-- unchanged. The rows are removed when the forecast is stored.

CREATE TABLE forecast_checkpoints (
    forecast_id    VARCHAR NOT NULL,
    run_id         VARCHAR NOT NULL,
    variant        VARCHAR NOT NULL,
    sample         INTEGER NOT NULL,
    period         INTEGER NOT NULL,
    day            INTEGER NOT NULL,
    slice          INTEGER NOT NULL,
    plan_sha256    VARCHAR NOT NULL,
    base_sha256    VARCHAR NOT NULL,
    samples        INTEGER NOT NULL,
    periods        INTEGER NOT NULL,
    shard          VARCHAR NOT NULL,
    aiecon_version VARCHAR NOT NULL,
    result_json    VARCHAR NOT NULL
);
COMMENT ON TABLE forecast_checkpoints IS 'One row per run an unfinished forecast has finished: what the forecast keeps of the run, so that aiecon forecast --resume reuses it; removed once the forecast is stored';
COMMENT ON COLUMN forecast_checkpoints.forecast_id IS '[id] the forecast the run belongs to (stored under this id once every run has finished)';
COMMENT ON COLUMN forecast_checkpoints.run_id IS '[id] the run';
COMMENT ON COLUMN forecast_checkpoints.variant IS '[text] fleet variant of the run';
COMMENT ON COLUMN forecast_checkpoints.sample IS '[index] Monte Carlo sample, 0-based';
COMMENT ON COLUMN forecast_checkpoints.period IS '[index] period, 1-based';
COMMENT ON COLUMN forecast_checkpoints.day IS '[index] representative day, 0-based';
COMMENT ON COLUMN forecast_checkpoints.slice IS '[index] slice of the day, 0-based';
COMMENT ON COLUMN forecast_checkpoints.plan_sha256 IS '[text] SHA-256 (hex) of the forecast file''s text (of the built-in''s, for a built-in)';
COMMENT ON COLUMN forecast_checkpoints.base_sha256 IS '[text] SHA-256 (hex) of the base scenario''s text';
COMMENT ON COLUMN forecast_checkpoints.samples IS '[count] Monte Carlo samples the forecast runs';
COMMENT ON COLUMN forecast_checkpoints.periods IS '[count] periods the forecast runs';
COMMENT ON COLUMN forecast_checkpoints.shard IS '[text] the shard i/n the forecast runs, or empty for all of it';
COMMENT ON COLUMN forecast_checkpoints.aiecon_version IS '[text] aiecon version that ran it';
COMMENT ON COLUMN forecast_checkpoints.result_json IS '[JSON] what the forecast keeps of the run (KPIs, licensing, unfinished sessions), floats exact; NaN and infinities as strings';
