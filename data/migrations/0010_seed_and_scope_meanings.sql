-- 0010_seed_and_scope_meanings: two column comments said less than the
-- data holds. A forecast run's seed is not the forecast's seed plus its
-- day: each slice of each day of each Monte Carlo sample has its own,
-- seed + (sample x days + day) x slices + slice (docs/forecast.md,
-- Method). And a KPI's scope is a workload, the whole run, or, in a model
-- mix, a model (model:NAME, docs/model.md), which the comment left out.
-- Comments only: no data changes.

COMMENT ON COLUMN forecast_runs.day IS '[index] representative day, 0-based (the run''s seed is the forecast seed + (sample x days + day) x slices + slice)';
COMMENT ON COLUMN kpis.scope IS '[text] workload name, model:NAME for one model of a model mix (its own calls), or empty for the whole run';
