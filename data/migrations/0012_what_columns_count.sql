-- 0012_what_columns_count: descriptions that let an analyst read two
-- different quantities as one, or a unit list that was short. Comments
-- only: no data changes.
--
-- Latency percentiles (the KPIs, run_summary, windows, latency_sketches)
-- are over completed requests, while requests_v gives queue_s and ttft_s
-- to every request that got that far, an unfinished one too: a
-- quantile_cont over requests_v without status = 'completed' reads higher
-- than the KPI (3 minutes of baseline on 2 instances: 0.768 s against a
-- TTFT p99 of 0.726 s for chat, 39 unfinished requests with a first
-- token). Output tokens per second is completed requests' output in the
-- KPI and run_summary, every token generated in windows_v; the KPI
-- input_tokens_prefilled counts completed requests' prompts once, less
-- their cached tokens, where replicas.prefill_tokens counts every prefill
-- a replica ran. A forecast stores USD/request and USD/session figures
-- too, and run_summary's gross_margin is negative when cost exceeds
-- revenue.

COMMENT ON VIEW requests_v IS 'requests with workload names and latencies in seconds: queue_s (arrival to admission) and ttft_s (arrival to first token) for every request that got that far, finished or not; tpot_s (per output token after the first) and e2e_s (arrival to completion) for completed requests. The latency KPIs count completed requests only (filter on status = ''completed'' to reproduce them)';
COMMENT ON COLUMN requests_v.queue_s IS '[s] arrival to admission into a running batch, for every request admitted, finished or not; the queue_p*_s KPIs count completed requests only: quantile_cont(queue_s, 0.99) over a workload''s rows with status = ''completed'' is its queue_p99_s';
COMMENT ON COLUMN requests_v.ttft_s IS '[s] time to first token, for every request that had one, finished or not (an unfinished or abandoned one too); the ttft_p*_s KPIs count completed requests only: quantile_cont(ttft_s, 0.99) over a workload''s rows with status = ''completed'' is its ttft_p99_s';

COMMENT ON COLUMN latency_sketches.samples IS '[count] completed requests measured, the only ones the percentile KPIs count (tpot: those with more than one output token; a model:NAME scope: the model''s completed calls)';

COMMENT ON VIEW run_summary IS 'One row per run with its headline whole-run KPIs (NULL when the run has no such KPI, e.g. not complete); units as in the KPI names: _s seconds, _usd USD, _rps requests/s; slo_attainment and utilization are fractions 0..1, gross_margin a fraction of revenue, negative when cost exceeds it';
COMMENT ON COLUMN run_summary.output_tokens_per_s IS '[tok/s] KPI output_tokens_per_s: output tokens of the completed requests over the horizon (windows_v.output_tokens_per_s counts every token generated, of unfinished requests too)';
COMMENT ON COLUMN run_summary.ttft_p50_s IS '[s] KPI ttft_p50_s: median time to first token of the completed requests';
COMMENT ON COLUMN run_summary.ttft_p99_s IS '[s] KPI ttft_p99_s: 99th percentile time to first token of the completed requests';

COMMENT ON COLUMN windows.output_tokens IS '[tok] tokens generated in the window, whether or not their request completed (the KPI output_tokens_per_s counts completed requests'' output only)';
COMMENT ON COLUMN windows_v.output_tokens_per_s IS '[tok/s] output_tokens over the width: every token generated, of unfinished requests too (run_summary.output_tokens_per_s counts completed requests'' output only)';
COMMENT ON COLUMN windows.ttft_p99_s IS '[s] 99th percentile time to first token of requests completed (NULL when none)';
COMMENT ON COLUMN windows.tpot_p50_s IS '[s] median time per output token of requests completed (NULL when none)';
COMMENT ON COLUMN windows.tpot_p99_s IS '[s] 99th percentile time per output token of requests completed (NULL when none)';
COMMENT ON COLUMN windows.e2e_p99_s IS '[s] 99th percentile end-to-end latency of requests completed (NULL when none)';

COMMENT ON COLUMN replicas.prefill_tokens IS '[tok] prompt tokens this replica prefilled, cache hits apart: every prefill it ran, of requests unfinished or abandoned too, again for a request preempted or moved (its prompt and what it had generated) and, in a model mix, for an escalated prompt; the KPI input_tokens_prefilled counts each completed request''s prompt once, less its cached tokens';

COMMENT ON COLUMN forecast_periods.unit IS '[text] unit of value: USD, USD/Mtok, USD/request, USD/session, fraction or count';
