-- 0009_forecast_cost_per_mtok: a forecast's cost_per_mtok_usd is every
-- cost (infrastructure, licensing and training) per million tokens, as the
-- run KPI of that name in kpis and run_summary. Forecasts stored before
-- this version counted the infrastructure alone under that name: their
-- figure moves to cost_per_mtok_infra_usd, which forecasts now store too,
-- and cost_per_mtok_usd is rescaled from the period's own lines (the same
-- tokens: infrastructure per Mtok x cost_usd / infrastructure). A period
-- without infrastructure cost cannot be rescaled (its tokens are not
-- stored) and reads NULL, unless it had no cost at all.

INSERT INTO forecast_periods (forecast_id, variant, sample, period, metric, unit, value)
SELECT forecast_id, variant, sample, period, 'cost_per_mtok_infra_usd', unit, value
FROM forecast_periods WHERE metric = 'cost_per_mtok_usd';

UPDATE forecast_periods AS p
SET value = CASE WHEN c.infra > 0 THEN p.value * c.cost / c.infra WHEN c.cost = 0 THEN p.value END
FROM (
    SELECT forecast_id, variant, sample, period,
        sum(value) FILTER (WHERE metric = 'cost_usd') AS cost,
        sum(value) FILTER (WHERE metric IN ('cost_rent_usd', 'cost_depreciation_usd', 'cost_power_usd', 'cost_facility_ops_usd')) AS infra
    FROM forecast_periods
    GROUP BY forecast_id, variant, sample, period
) AS c
WHERE p.metric = 'cost_per_mtok_usd' AND p.forecast_id = c.forecast_id AND p.variant = c.variant
    AND p.sample = c.sample AND p.period = c.period;

COMMENT ON COLUMN forecast_periods.metric IS '[text] metric name; unit gives its unit. cost_per_mtok_usd is every cost (infrastructure, licensing, training) per million tokens, as the run KPI of that name; cost_per_mtok_infra_usd the infrastructure''s alone (rent, depreciation, power, facility and operations)';
COMMENT ON COLUMN forecast_bands.metric IS '[text] metric name (forecast_periods.metric)';
