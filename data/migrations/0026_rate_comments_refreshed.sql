-- 0026_rate_comments_refreshed: comments only, no data changes.
--
-- 0017 was corrected after it shipped (its header says how): run_summary's
-- throughput_rps, output_tokens_per_s and cost_usd run over the simulated
-- time (runs.sim_ns), the drain included, not over the horizon. A store
-- that reached version 17 through the old 0017 (builds 467ddca up to the
-- correction) kept the old words, "over the horizon", in its catalog, and
-- so did sweep_results.throughput_rps, which takes run_summary's
-- (inheritViewComments): two stores at one schema version described these
-- columns differently to every DuckDB client, and for a drained run the
-- old words are wrong. This migration writes the current words again,
-- the same as 0017's, on every store; on one that has them already it
-- changes nothing (COMMENT ON is idempotent).

COMMENT ON COLUMN run_summary.throughput_rps IS '[1/s] KPI throughput_rps: completed requests per second of simulated time (runs.sim_ns: the horizon, and with drain: true the drain after it too, so a drained run reads below its steady state)';
COMMENT ON COLUMN run_summary.output_tokens_per_s IS '[tok/s] KPI output_tokens_per_s: output tokens of the completed requests per second of simulated time (runs.sim_ns: the horizon, and with drain: true the drain after it too) (windows_v.output_tokens_per_s counts every token generated, of unfinished requests too)';
COMMENT ON COLUMN run_summary.cost_usd IS '[USD] KPI cost_usd: fleet cost over the simulated time (runs.sim_ns: the horizon, and with drain: true the drain after it too)';
