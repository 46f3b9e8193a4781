-- 0029_unit_costs: every cost per completed request and per completed
-- agent session, the KPIs cost_per_request_usd (USD/request) and
-- cost_per_session_usd (USD/session), which runs record from this version
-- on (docs/model.md, "Costs and KPIs"). The economics gave a cost per Mtok
-- but not the cost of the unit an API or an agent sells.
--
-- Runs stored before this version get them from their stored KPIs, as the
-- simulator computes them: the run's cost_usd over its requests_completed;
-- a workload's attributed cost (cost_per_mtok_attributed_usd times its
-- tokens billed: its prompt and output token rates times the simulated
-- seconds, runs.sim_ns) over its requests_completed and, for an agent
-- workload (one with sessions_completed), its sessions_completed; the
-- run's cost per session is its agent workloads' attributed costs over the
-- run's sessions_completed. A denominator of 0 stores NULL, as the
-- simulator's undefined figure is stored. A run stored before
-- cost_per_mtok_attributed_usd has no workload figures and no cost per
-- session (nothing to attribute), and an agent workload whose attributed
-- figure is NULL (it billed no token, so it completed no session) adds
-- nothing to the run's cost per session, where the simulator would add
-- its licensing: a store cannot tell that apart.
--
-- NOT EXISTS: a store whose schema_version row was lost migrates again
-- without doubling a row.

INSERT INTO kpis (run_id, scope, name, value, unit)
SELECT c.run_id, '', 'cost_per_request_usd', c.value / NULLIF(d.value, 0), 'USD/request'
FROM kpis c JOIN kpis d ON d.run_id = c.run_id AND d.scope = '' AND d.name = 'requests_completed'
WHERE c.scope = '' AND c.name = 'cost_usd'
    AND NOT EXISTS (SELECT 1 FROM kpis e WHERE e.run_id = c.run_id AND e.scope = '' AND e.name = 'cost_per_request_usd');

CREATE TEMP TABLE unit_cost_attributed AS
SELECT a.run_id, a.scope, a.value * (coalesce(i.value, 0) + coalesce(o.value, 0)) * (r.sim_ns / 1e9) / 1e6 AS usd
FROM kpis a
JOIN runs r ON r.run_id = a.run_id
LEFT JOIN kpis i ON i.run_id = a.run_id AND i.scope = a.scope AND i.name = 'input_tokens_per_s'
LEFT JOIN kpis o ON o.run_id = a.run_id AND o.scope = a.scope AND o.name = 'output_tokens_per_s'
WHERE a.name = 'cost_per_mtok_attributed_usd' AND a.scope <> '';

INSERT INTO kpis (run_id, scope, name, value, unit)
SELECT d.run_id, d.scope, 'cost_per_request_usd', u.usd / NULLIF(d.value, 0), 'USD/request'
FROM kpis d JOIN unit_cost_attributed u ON u.run_id = d.run_id AND u.scope = d.scope
WHERE d.name = 'requests_completed'
    AND NOT EXISTS (SELECT 1 FROM kpis e WHERE e.run_id = d.run_id AND e.scope = d.scope AND e.name = 'cost_per_request_usd');

INSERT INTO kpis (run_id, scope, name, value, unit)
SELECT d.run_id, d.scope, 'cost_per_session_usd', u.usd / NULLIF(d.value, 0), 'USD/session'
FROM kpis d JOIN unit_cost_attributed u ON u.run_id = d.run_id AND u.scope = d.scope
WHERE d.name = 'sessions_completed'
    AND NOT EXISTS (SELECT 1 FROM kpis e WHERE e.run_id = d.run_id AND e.scope = d.scope AND e.name = 'cost_per_session_usd');

INSERT INTO kpis (run_id, scope, name, value, unit)
SELECT d.run_id, '', 'cost_per_session_usd', s.usd / NULLIF(d.value, 0), 'USD/session'
FROM kpis d JOIN (
    SELECT u.run_id, sum(u.usd) AS usd
    FROM unit_cost_attributed u
    JOIN kpis a ON a.run_id = u.run_id AND a.scope = u.scope AND a.name = 'sessions_completed'
    GROUP BY u.run_id
) s ON s.run_id = d.run_id
WHERE d.scope = '' AND d.name = 'sessions_completed'
    AND NOT EXISTS (SELECT 1 FROM kpis e WHERE e.run_id = d.run_id AND e.scope = '' AND e.name = 'cost_per_session_usd');

DROP TABLE unit_cost_attributed;

-- run_summary gains the run's two figures as its last columns, so the
-- columns before them keep their positions (as 0017 did). CREATE OR
-- REPLACE VIEW drops the view's comments: they are given back below in
-- their latest words; the pass-through columns get their base columns'
-- again (inheritViewComments). sweep_results reads run_summary by column
-- name and needs no change.

CREATE OR REPLACE VIEW run_summary AS
SELECT
    r.run_id, r.name, r.status, r.started_at, r.finished_at, r.wall_s,
    r.horizon_ns / 1e9 AS horizon_s, r.seed, r.aiecon_version,
    r.sweep_id, r.sweep_point, r.replication, r.requests_sampled,
    k.requests_completed, k.requests_dropped, k.throughput_rps, k.output_tokens_per_s,
    k.ttft_p50_s, k.ttft_p99_s, k.tpot_p99_s, k.e2e_p99_s, k.slo_attainment,
    k.goodput_rps, k.utilization, k.cost_usd, k.cost_per_hour_usd, k.cost_per_mtok_usd,
    k.revenue_usd, k.margin_usd, k.gross_margin, k.requests_timed_out,
    k.cost_per_request_usd, k.cost_per_session_usd
FROM runs r
LEFT JOIN (
    SELECT run_id,
        max(value) FILTER (WHERE name = 'requests_completed')   AS requests_completed,
        max(value) FILTER (WHERE name = 'requests_dropped')     AS requests_dropped,
        max(value) FILTER (WHERE name = 'throughput_rps')       AS throughput_rps,
        max(value) FILTER (WHERE name = 'output_tokens_per_s')  AS output_tokens_per_s,
        max(value) FILTER (WHERE name = 'ttft_p50_s')           AS ttft_p50_s,
        max(value) FILTER (WHERE name = 'ttft_p99_s')           AS ttft_p99_s,
        max(value) FILTER (WHERE name = 'tpot_p99_s')           AS tpot_p99_s,
        max(value) FILTER (WHERE name = 'e2e_p99_s')            AS e2e_p99_s,
        max(value) FILTER (WHERE name = 'slo_attainment')       AS slo_attainment,
        max(value) FILTER (WHERE name = 'goodput_rps')          AS goodput_rps,
        max(value) FILTER (WHERE name = 'utilization')          AS utilization,
        max(value) FILTER (WHERE name = 'cost_usd')             AS cost_usd,
        max(value) FILTER (WHERE name = 'cost_per_hour_usd')    AS cost_per_hour_usd,
        max(value) FILTER (WHERE name = 'cost_per_mtok_usd')    AS cost_per_mtok_usd,
        max(value) FILTER (WHERE name = 'revenue_usd')          AS revenue_usd,
        max(value) FILTER (WHERE name = 'margin_usd')           AS margin_usd,
        max(value) FILTER (WHERE name = 'gross_margin')         AS gross_margin,
        max(value) FILTER (WHERE name = 'requests_timed_out')   AS requests_timed_out,
        max(value) FILTER (WHERE name = 'cost_per_request_usd') AS cost_per_request_usd,
        max(value) FILTER (WHERE name = 'cost_per_session_usd') AS cost_per_session_usd
    FROM kpis
    WHERE scope = ''
    GROUP BY run_id
) k ON k.run_id = r.run_id;

COMMENT ON VIEW run_summary IS 'One row per run with its headline whole-run KPIs (NULL when the run has no such KPI, e.g. not complete); units as in the KPI names: _s seconds, _usd USD, _rps requests/s; slo_attainment and utilization are fractions 0..1, gross_margin a fraction of revenue before training (margin_usd nets training), negative when cost exceeds it';
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
COMMENT ON COLUMN run_summary.gross_margin IS '[fraction] KPI gross_margin: the margin before training, revenue less instance and licensing cost, over revenue; margin_usd nets training too, so a run whose training outweighs its margin reads a positive gross_margin beside a negative margin_usd';
COMMENT ON COLUMN run_summary.requests_timed_out IS '[count] KPI requests_timed_out: requests that timed out in the queue (fleet.replica.queue_timeout), not counted in requests_dropped (a full queue); windows.dropped counts both';
COMMENT ON COLUMN run_summary.cost_per_request_usd IS '[USD/request] KPI cost_per_request_usd: every cost (instances, training, licensing, as cost_per_mtok_usd counts them) over the requests completed, an agent''s model calls each one; the cost of the requests that did not complete is in it, they are not counted; NULL where none completed. Per workload (its attributed cost over its own) in kpis under its scope';
COMMENT ON COLUMN run_summary.cost_per_session_usd IS '[USD/session] KPI cost_per_session_usd: every cost attributed to the agent workloads (as cost_per_mtok_attributed_usd shares the run''s) over their sessions completed, not those abandoned or unfinished, whose cost is in it; NULL where no session completed or the run has no agent. Per agent workload in kpis under its scope';
