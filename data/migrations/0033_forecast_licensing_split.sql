-- 0033_forecast_licensing_split: forecasts store LICENSE's parts as
-- period metrics, licensing_per_use_usd (per-document fees and revenue
-- shares, a minimum guarantee's documents and the unfinished sessions'
-- steps), licensing_flat_usd (flat contracts) and licensing_true_up_usd
-- (a minimum guarantee's top-up), which add up to cost_licensing_usd.
-- `aiecon forecast --json` split it; forecast_periods held the sum alone,
-- so compare --forecast and sql could not tell a flat fee from use.
--
-- Forecasts stored before this version get the three rows with a NULL
-- value: the split is not in their rows, and a report stored before the
-- split was kept has none to read it from. compare --forecast leaves their
-- lines out of its totals and says so; run the forecast again to split it.
--
-- NOT EXISTS: a store whose schema_version row was lost migrates again
-- without doubling a row.

INSERT INTO forecast_periods (forecast_id, variant, sample, period, metric, unit, value)
SELECT g.forecast_id, g.variant, g.sample, g.period, m.metric, 'USD', NULL
FROM (SELECT DISTINCT forecast_id, variant, sample, period FROM forecast_periods) AS g
CROSS JOIN (VALUES ('licensing_per_use_usd'), ('licensing_flat_usd'), ('licensing_true_up_usd')) AS m(metric)
WHERE NOT EXISTS (SELECT 1 FROM forecast_periods p WHERE p.forecast_id = g.forecast_id AND p.variant = g.variant
    AND p.sample = g.sample AND p.period = g.period AND p.metric = m.metric);

COMMENT ON COLUMN forecast_periods.metric IS '[text] metric name; unit gives its unit. cost_per_mtok_usd is every cost (infrastructure, licensing, training) per million tokens, as the run KPI of that name; cost_per_mtok_infra_usd the infrastructure''s alone (rent, depreciation, power, facility and operations); licensing_per_use_usd, licensing_flat_usd and licensing_true_up_usd are cost_licensing_usd''s parts (per-use fees, flat contracts, a minimum guarantee''s top-up), NULL in forecasts stored before schema version 33';
