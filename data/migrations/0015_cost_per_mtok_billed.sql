-- 0015_cost_per_mtok_billed: a run's cost per Mtok is over the tokens
-- billed: every prompt token of the completed requests, those found in the
-- prefix cache too, plus their output tokens, as token revenue bills them,
-- so that it compares with a token price. It was over the tokens computed
-- (prompt tokens prefilled plus output), which with a prefix cache read
-- several times the cost of a token sold (agents-heavy: $9.30 against
-- $2.78). The figure over the tokens computed is kept as the KPI
-- cost_per_mtok_computed_usd.
--
-- Runs stored before this version: their cost_per_mtok_usd moves to
-- cost_per_mtok_computed_usd, and cost_per_mtok_usd and
-- cost_per_mtok_instances_usd (the run's and each model's of a mix) are
-- rescaled from the scope's own KPIs by tokens computed over tokens billed,
-- (input x (1 - hit) + output) / (input + output) with input and output
-- the scope's prompt and output tokens per second and hit its prefix cache
-- hit rate; cost_per_mtok_input_usd, over the prompt tokens, by (1 - hit).
-- Without cached tokens nothing changes.

INSERT INTO kpis (run_id, scope, name, value, unit)
SELECT run_id, scope, 'cost_per_mtok_computed_usd', value, unit
FROM kpis WHERE name = 'cost_per_mtok_usd' AND scope = '';

UPDATE kpis AS k
SET value = CASE WHEN k.name = 'cost_per_mtok_input_usd' THEN k.value * (1 - s.hit)
    ELSE k.value * (s.input * (1 - s.hit) + s.output) / (s.input + s.output) END
FROM (
    SELECT run_id, scope,
        max(value) FILTER (WHERE name = 'prefix_cache_hit_rate') AS hit,
        max(value) FILTER (WHERE name = 'input_tokens_per_s')    AS input,
        max(value) FILTER (WHERE name = 'output_tokens_per_s')   AS output
    FROM kpis
    GROUP BY run_id, scope
) AS s
WHERE k.run_id = s.run_id AND k.scope = s.scope
    AND k.name IN ('cost_per_mtok_usd', 'cost_per_mtok_instances_usd', 'cost_per_mtok_input_usd')
    AND isfinite(s.hit) AND s.hit > 0 AND s.input + s.output > 0;

COMMENT ON COLUMN run_summary.cost_per_mtok_usd IS '[USD/Mtok] KPI cost_per_mtok_usd: every cost (instances, training, licensing) per million tokens billed: the completed requests'' prompt tokens, those found in the prefix cache too, and their output tokens, as a token price bills them. Over the tokens computed (cached prompt apart) it is cost_per_mtok_computed_usd in kpis; runs stored before schema version 15 counted those, and opening the store moved that figure there and rescaled this one';

-- Forecasts stored before this version: each period's cost_per_mtok_usd
-- and cost_per_mtok_infra_usd divided by the tokens its runs computed;
-- rescaled by computed over billed, summed over the period's runs
-- (forecast_runs) as the forecast sums them. One scale multiplies every
-- run of a period, so the unscaled sums give the same ratio. A period
-- whose runs lack the token counts keeps its figure.
UPDATE forecast_periods AS p
SET value = p.value * t.computed / t.billed
FROM (
    SELECT forecast_id, variant, sample, period,
        pre + output AS computed, pre + cached + output AS billed
    FROM (
        SELECT fr.forecast_id, fr.variant, fr.sample, fr.period,
            sum(k.value) FILTER (WHERE k.name = 'input_tokens_prefilled')             AS pre,
            sum(k.value) FILTER (WHERE k.name = 'input_tokens_cached')                AS cached,
            sum(k.value * r.horizon_ns / 1e9) FILTER (WHERE k.name = 'output_tokens_per_s') AS output
        FROM forecast_runs AS fr
        JOIN kpis AS k ON k.run_id = fr.run_id AND k.scope = ''
        JOIN runs AS r ON r.run_id = fr.run_id
        GROUP BY fr.forecast_id, fr.variant, fr.sample, fr.period
    )
) AS t
WHERE p.forecast_id = t.forecast_id AND p.variant = t.variant AND p.sample = t.sample AND p.period = t.period
    AND p.metric IN ('cost_per_mtok_usd', 'cost_per_mtok_infra_usd')
    AND t.billed > t.computed AND t.computed > 0;
