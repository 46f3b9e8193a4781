-- 0017_run_summary_timed_out: run_summary gains requests_timed_out, the
-- KPI of that name: requests that timed out in the queue. Beside
-- requests_dropped (a full queue only) it was the one way a request is
-- lost that the view left out, though every run since the KPI exists
-- records it: a run whose lost requests all timed out read
-- requests_dropped 0 and nothing beside it (1 instance of baseline with a
-- 5 s queue timeout, 2 minutes: 0 dropped, 96 of 393 arrivals timed out).
--
-- The column comes last, so the columns before it keep their positions (a
-- reader that takes them by position, or SELECT * into a fixed table, keeps
-- working). CREATE OR REPLACE VIEW drops the view's comments, so this
-- migration gives back the view's and every column's a migration wrote, in
-- their latest words; the pass-through columns get their base columns'
-- again as every migration does (inheritViewComments). sweep_results reads
-- run_summary by column name and needs no change.
--
-- The comments of throughput_rps, output_tokens_per_s and cost_usd were
-- corrected in this file after it shipped: they said "over the horizon",
-- but the KPIs divide by, and the cost runs over, the simulated time
-- (runs.sim_ns), which with drain: true takes in the drain (docs/model.md,
-- "Served interval"). A migration of comments alone would raise the schema
-- version, which every older aiecon then refuses to open (0024 did); this
-- edit changes no data and no version. A store already at version 17 or
-- later keeps the old words in its catalog; docs/schema.md and `aiecon
-- schema` give these.

CREATE OR REPLACE VIEW run_summary AS
SELECT
    r.run_id, r.name, r.status, r.started_at, r.finished_at, r.wall_s,
    r.horizon_ns / 1e9 AS horizon_s, r.seed, r.aiecon_version,
    r.sweep_id, r.sweep_point, r.replication, r.requests_sampled,
    k.requests_completed, k.requests_dropped, k.throughput_rps, k.output_tokens_per_s,
    k.ttft_p50_s, k.ttft_p99_s, k.tpot_p99_s, k.e2e_p99_s, k.slo_attainment,
    k.goodput_rps, k.utilization, k.cost_usd, k.cost_per_hour_usd, k.cost_per_mtok_usd,
    k.revenue_usd, k.margin_usd, k.gross_margin, k.requests_timed_out
FROM runs r
LEFT JOIN (
    SELECT run_id,
        max(value) FILTER (WHERE name = 'requests_completed')  AS requests_completed,
        max(value) FILTER (WHERE name = 'requests_dropped')    AS requests_dropped,
        max(value) FILTER (WHERE name = 'throughput_rps')      AS throughput_rps,
        max(value) FILTER (WHERE name = 'output_tokens_per_s') AS output_tokens_per_s,
        max(value) FILTER (WHERE name = 'ttft_p50_s')          AS ttft_p50_s,
        max(value) FILTER (WHERE name = 'ttft_p99_s')          AS ttft_p99_s,
        max(value) FILTER (WHERE name = 'tpot_p99_s')          AS tpot_p99_s,
        max(value) FILTER (WHERE name = 'e2e_p99_s')           AS e2e_p99_s,
        max(value) FILTER (WHERE name = 'slo_attainment')      AS slo_attainment,
        max(value) FILTER (WHERE name = 'goodput_rps')         AS goodput_rps,
        max(value) FILTER (WHERE name = 'utilization')         AS utilization,
        max(value) FILTER (WHERE name = 'cost_usd')            AS cost_usd,
        max(value) FILTER (WHERE name = 'cost_per_hour_usd')   AS cost_per_hour_usd,
        max(value) FILTER (WHERE name = 'cost_per_mtok_usd')   AS cost_per_mtok_usd,
        max(value) FILTER (WHERE name = 'revenue_usd')         AS revenue_usd,
        max(value) FILTER (WHERE name = 'margin_usd')          AS margin_usd,
        max(value) FILTER (WHERE name = 'gross_margin')        AS gross_margin,
        max(value) FILTER (WHERE name = 'requests_timed_out')  AS requests_timed_out
    FROM kpis
    WHERE scope = ''
    GROUP BY run_id
) k ON k.run_id = r.run_id;

COMMENT ON VIEW run_summary IS 'One row per run with its headline whole-run KPIs (NULL when the run has no such KPI, e.g. not complete); units as in the KPI names: _s seconds, _usd USD, _rps requests/s; slo_attainment and utilization are fractions 0..1, gross_margin a fraction of revenue, negative when cost exceeds it';
COMMENT ON COLUMN run_summary.horizon_s IS '[s] simulated horizon';
COMMENT ON COLUMN run_summary.requests_completed IS '[count] KPI requests_completed';
COMMENT ON COLUMN run_summary.requests_dropped IS '[count] KPI requests_dropped: requests dropped by a full queue (or for want of a replica up), not those that timed out in the queue, which are requests_timed_out, this view''s last column; windows.dropped counts both';
COMMENT ON COLUMN run_summary.throughput_rps IS '[1/s] KPI throughput_rps: completed requests per second of simulated time (runs.sim_ns: the horizon, and with drain: true the drain after it too, so a drained run reads below its steady state)';
COMMENT ON COLUMN run_summary.output_tokens_per_s IS '[tok/s] KPI output_tokens_per_s: output tokens of the completed requests per second of simulated time (runs.sim_ns: the horizon, and with drain: true the drain after it too) (windows_v.output_tokens_per_s counts every token generated, of unfinished requests too)';
COMMENT ON COLUMN run_summary.ttft_p50_s IS '[s] KPI ttft_p50_s: median time to first token of the completed requests';
COMMENT ON COLUMN run_summary.ttft_p99_s IS '[s] KPI ttft_p99_s: 99th percentile time to first token of the completed requests';
COMMENT ON COLUMN run_summary.tpot_p99_s IS '[s] KPI tpot_p99_s: 99th percentile time per output token';
COMMENT ON COLUMN run_summary.e2e_p99_s IS '[s] KPI e2e_p99_s: 99th percentile end-to-end latency';
COMMENT ON COLUMN run_summary.slo_attainment IS '[fraction] KPI slo_attainment: requests meeting their SLO';
COMMENT ON COLUMN run_summary.goodput_rps IS '[1/s] KPI goodput_rps: requests per second meeting their SLO';
COMMENT ON COLUMN run_summary.utilization IS '[fraction] KPI utilization, busy time: the share of the serving and draining replicas'' time spent running an iteration, however few sequences it carries (a replica with one request in flight is busy all the time it decodes). Not how full the batches are: that is batch occupancy, the share of batch slots (max_num_seqs) filled, in kpis as name = ''batch_occupancy'' (scope '''' for the run, model:NAME per model of a mix)';
COMMENT ON COLUMN run_summary.cost_usd IS '[USD] KPI cost_usd: fleet cost over the simulated time (runs.sim_ns: the horizon, and with drain: true the drain after it too)';
COMMENT ON COLUMN run_summary.cost_per_hour_usd IS '[USD/h] KPI cost_per_hour_usd';
COMMENT ON COLUMN run_summary.cost_per_mtok_usd IS '[USD/Mtok] KPI cost_per_mtok_usd: every cost (instances, training, licensing) per million tokens billed: the completed requests'' prompt tokens, those found in the prefix cache too, and their output tokens, as a token price bills them. Over the tokens computed (cached prompt apart) it is cost_per_mtok_computed_usd in kpis; runs stored before schema version 15 counted those, and opening the store moved that figure there and rescaled this one';
COMMENT ON COLUMN run_summary.revenue_usd IS '[USD] KPI revenue_usd';
COMMENT ON COLUMN run_summary.margin_usd IS '[USD] KPI margin_usd: revenue minus cost';
COMMENT ON COLUMN run_summary.gross_margin IS '[fraction] KPI gross_margin: revenue less instance and licensing cost, over revenue (training apart; margin_usd nets it too)';
COMMENT ON COLUMN run_summary.requests_timed_out IS '[count] KPI requests_timed_out: requests that timed out in the queue (fleet.replica.queue_timeout), not counted in requests_dropped (a full queue); windows.dropped counts both';
