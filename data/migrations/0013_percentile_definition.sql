-- 0013_percentile_definition: the descriptions that say quantile_cont over
-- the completed rows is a latency percentile KPI now say how closely.
-- Comments only: no data changes.
--
-- A percentile KPI interpolates between ranks as quantile_cont does. Up to
-- 1,000 samples it is taken over the samples themselves, so the SQL gives
-- the same figure; past them over the DDSketch's values at the two ranks,
-- each within 0.5% of its sample, so the SQL gives a figure within 0.5% of
-- the KPI.

COMMENT ON COLUMN requests_v.queue_s IS '[s] arrival to admission into a running batch, for every request admitted, finished or not; the queue_p*_s KPIs count completed requests only: quantile_cont(queue_s, 0.99) over a workload''s rows with status = ''completed'' is its queue_p99_s (exactly up to 1,000 such rows, within 0.5% past them)';
COMMENT ON COLUMN requests_v.ttft_s IS '[s] time to first token, for every request that had one, finished or not (an unfinished or abandoned one too); the ttft_p*_s KPIs count completed requests only: quantile_cont(ttft_s, 0.99) over a workload''s rows with status = ''completed'' is its ttft_p99_s (exactly up to 1,000 such rows, within 0.5% past them)';
COMMENT ON COLUMN latency_sketches.sketch IS '[bytes] DDSketch (github.com/DataDog/sketches-go Encode, index mapping included; relative accuracy 0.5%): past 1,000 samples a percentile KPI interpolates between its values at ranks floor(q(n-1)) and the next, as quantile_cont does between samples';
