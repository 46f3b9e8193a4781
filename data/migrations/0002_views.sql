-- 0002_views: stable views for analysts. Their columns only ever grow; a
-- later migration that changes one recreates it with CREATE OR REPLACE VIEW.

CREATE OR REPLACE VIEW run_summary AS
SELECT
    r.run_id, r.name, r.status, r.started_at, r.finished_at, r.wall_s,
    r.horizon_ns / 1e9 AS horizon_s, r.seed, r.aiecon_version,
    r.sweep_id, r.sweep_point, r.replication, r.requests_sampled,
    k.requests_completed, k.requests_dropped, k.throughput_rps, k.output_tokens_per_s,
    k.ttft_p50_s, k.ttft_p99_s, k.tpot_p99_s, k.e2e_p99_s, k.slo_attainment,
    k.goodput_rps, k.utilization, k.cost_usd, k.cost_per_hour_usd, k.cost_per_mtok_usd,
    k.revenue_usd, k.margin_usd, k.gross_margin
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
        max(value) FILTER (WHERE name = 'gross_margin')        AS gross_margin
    FROM kpis
    WHERE scope = ''
    GROUP BY run_id
) k ON k.run_id = r.run_id;
COMMENT ON VIEW run_summary IS 'One row per run with its headline whole-run KPIs (NULL when the run has no such KPI, e.g. not complete); units as in the KPI names: _s seconds, _usd USD, _rps requests/s, fractions 0..1';
COMMENT ON COLUMN run_summary.horizon_s IS '[s] simulated horizon';
COMMENT ON COLUMN run_summary.requests_completed IS '[count] KPI requests_completed';
COMMENT ON COLUMN run_summary.requests_dropped IS '[count] KPI requests_dropped';
COMMENT ON COLUMN run_summary.throughput_rps IS '[1/s] KPI throughput_rps: completed requests per second';
COMMENT ON COLUMN run_summary.output_tokens_per_s IS '[tok/s] KPI output_tokens_per_s';
COMMENT ON COLUMN run_summary.ttft_p50_s IS '[s] KPI ttft_p50_s: median time to first token';
COMMENT ON COLUMN run_summary.ttft_p99_s IS '[s] KPI ttft_p99_s: 99th percentile time to first token';
COMMENT ON COLUMN run_summary.tpot_p99_s IS '[s] KPI tpot_p99_s: 99th percentile time per output token';
COMMENT ON COLUMN run_summary.e2e_p99_s IS '[s] KPI e2e_p99_s: 99th percentile end-to-end latency';
COMMENT ON COLUMN run_summary.slo_attainment IS '[fraction] KPI slo_attainment: requests meeting their SLO';
COMMENT ON COLUMN run_summary.goodput_rps IS '[1/s] KPI goodput_rps: requests per second meeting their SLO';
COMMENT ON COLUMN run_summary.utilization IS '[fraction] KPI utilization';
COMMENT ON COLUMN run_summary.cost_usd IS '[USD] KPI cost_usd: fleet cost over the horizon';
COMMENT ON COLUMN run_summary.cost_per_hour_usd IS '[USD/h] KPI cost_per_hour_usd';
COMMENT ON COLUMN run_summary.cost_per_mtok_usd IS '[USD/Mtok] KPI cost_per_mtok_usd: cost per million tokens';
COMMENT ON COLUMN run_summary.revenue_usd IS '[USD] KPI revenue_usd';
COMMENT ON COLUMN run_summary.margin_usd IS '[USD] KPI margin_usd: revenue minus cost';
COMMENT ON COLUMN run_summary.gross_margin IS '[fraction] KPI gross_margin: margin over revenue';

CREATE OR REPLACE VIEW requests_v AS
SELECT
    q.*,
    w.name  AS workload_name,
    w.class AS workload_class,
    q.arrival_ns / 1e9 AS arrival_s,
    (q.start_ns - q.arrival_ns) / 1e9 AS queue_s,
    (q.first_token_ns - q.arrival_ns) / 1e9 AS ttft_s,
    CASE WHEN q.status = 'completed' AND q.output_tokens > 1
         THEN (q.finish_ns - q.first_token_ns) / 1e9 / (q.output_tokens - 1) END AS tpot_s,
    CASE WHEN q.status = 'completed' THEN (q.finish_ns - q.arrival_ns) / 1e9 END AS e2e_s
FROM requests q
LEFT JOIN run_workloads w ON w.run_id = q.run_id AND w.workload = q.workload;
COMMENT ON VIEW requests_v IS 'requests with workload names and latencies in seconds: queue_s (arrival to admission), ttft_s (arrival to first token), tpot_s (per output token after the first, completed requests), e2e_s (arrival to completion, completed requests)';
COMMENT ON COLUMN requests_v.workload_name IS '[text] workload name';
COMMENT ON COLUMN requests_v.workload_class IS '[enum] api | agent | batch';
COMMENT ON COLUMN requests_v.arrival_s IS '[s] arrival time';
COMMENT ON COLUMN requests_v.queue_s IS '[s] arrival to admission into a running batch';
COMMENT ON COLUMN requests_v.ttft_s IS '[s] time to first token';
COMMENT ON COLUMN requests_v.tpot_s IS '[s] time per output token after the first (completed requests with 2+ output tokens)';
COMMENT ON COLUMN requests_v.e2e_s IS '[s] arrival to completion (completed requests)';

CREATE OR REPLACE VIEW windows_v AS
SELECT
    w.*,
    w.start_ns / 1e9 AS t_s,
    (w.end_ns - w.start_ns) / 1e9 AS width_s,
    w.completions / ((w.end_ns - w.start_ns) / 1e9) AS throughput_rps,
    w.output_tokens / ((w.end_ns - w.start_ns) / 1e9) AS output_tokens_per_s,
    w.cost_usd / ((w.end_ns - w.start_ns) / 3.6e12) AS cost_per_hour_usd,
    w.revenue_usd - w.cost_usd AS margin_usd
FROM windows w;
COMMENT ON VIEW windows_v IS 'windows with time in seconds (t_s, width_s) and rates: throughput_rps, output_tokens_per_s, cost_per_hour_usd, margin_usd';
COMMENT ON COLUMN windows_v.t_s IS '[s] window start';
COMMENT ON COLUMN windows_v.width_s IS '[s] window width';
COMMENT ON COLUMN windows_v.throughput_rps IS '[1/s] completions per second';
COMMENT ON COLUMN windows_v.output_tokens_per_s IS '[tok/s] tokens generated per second';
COMMENT ON COLUMN windows_v.cost_per_hour_usd IS '[USD/h] fleet cost rate';
COMMENT ON COLUMN windows_v.margin_usd IS '[USD] revenue minus cost';

CREATE OR REPLACE VIEW sweep_results AS
SELECT
    p.sweep_id, s.name AS sweep_name, p.point, p.params_json, r.replication, r.run_id,
    r.status, r.throughput_rps, r.ttft_p99_s, r.slo_attainment, r.goodput_rps,
    r.cost_per_mtok_usd, r.revenue_usd, r.margin_usd, r.gross_margin
FROM sweep_points p
JOIN sweeps s ON s.sweep_id = p.sweep_id
LEFT JOIN run_summary r ON r.sweep_id = p.sweep_id AND r.sweep_point = p.point;
COMMENT ON VIEW sweep_results IS 'One row per run of each sweep point (NULL run columns for points not run yet), with headline KPIs from run_summary';
COMMENT ON COLUMN sweep_results.sweep_name IS '[text] sweep name';
