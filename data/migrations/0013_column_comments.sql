-- 0013_column_comments: comments only, no data changes. The descriptions
-- that say quantile_cont over the completed rows is a latency percentile
-- KPI now say how closely; the views' pass-through columns get their base
-- columns' comments in the catalog; two runs columns say what they hold.
--
-- A percentile KPI interpolates between ranks as quantile_cont does. Up to
-- 1,000 samples it is taken over the samples themselves, so the SQL gives
-- the same figure; past them over the DDSketch's values at the two ranks,
-- each within 0.5% of its sample, so the SQL gives a figure within 0.5% of
-- the KPI.
--
-- Views' pass-through columns (requests_v.request_id, run_summary.name...)
-- had no comment of their own: schema.md described them from their base
-- columns, the catalog (duckdb_columns(), a client's column list) did not.
-- The store now copies each base column's comment to them whenever a
-- migration runs (inheritViewComments in data/viewcomments.go), from the
-- same text, so the two cannot drift.
--
-- A run whose writer died is marked failed by the next read-write open
-- with finished_at NULL: when it stopped is unknown. params_json holds a
-- sweep or optimize point's parameters, typed as its spec gave them, or a
-- single run's variant and --set overrides, every value a JSON string.

COMMENT ON COLUMN requests_v.queue_s IS '[s] arrival to admission into a running batch, for every request admitted, finished or not; the queue_p*_s KPIs count completed requests only: quantile_cont(queue_s, 0.99) over a workload''s rows with status = ''completed'' is its queue_p99_s (exactly up to 1,000 such rows, within 0.5% past them)';
COMMENT ON COLUMN requests_v.ttft_s IS '[s] time to first token, for every request that had one, finished or not (an unfinished or abandoned one too); the ttft_p*_s KPIs count completed requests only: quantile_cont(ttft_s, 0.99) over a workload''s rows with status = ''completed'' is its ttft_p99_s (exactly up to 1,000 such rows, within 0.5% past them)';
COMMENT ON COLUMN latency_sketches.sketch IS '[bytes] DDSketch (github.com/DataDog/sketches-go Encode, index mapping included; relative accuracy 0.5%): past 1,000 samples a percentile KPI interpolates between its values at ranks floor(q(n-1)) and the next, as quantile_cont does between samples';
COMMENT ON COLUMN runs.finished_at IS '[UTC] wall-clock time the run completed or failed; NULL while it runs and for a run interrupted by its writer''s death (found running by a later read-write open and marked failed: when it stopped is not known)';
COMMENT ON COLUMN runs.params_json IS '[json] a sweep or optimize point''s parameter values, typed as the spec gave them ({"fleet.count": 2}), or a single run''s variant and --set overrides in the order applied, every value a JSON string ({"fleet.count": "2"}); NULL without any. (params_json->>''fleet.count'')::INT reads both';
