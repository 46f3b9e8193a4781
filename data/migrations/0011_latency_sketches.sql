-- 0011_latency_sketches: each complete run's latency distributions, the
-- ones its percentile KPIs were taken from, so that a sweep point's
-- percentile is taken over the pooled requests of its replications
-- (docs/sweeps.md) rather than averaged over the runs' own percentiles,
-- which short runs bias low. Runs stored before this version have none,
-- and a sweep summary averages their percentiles, as it did, and says so.

CREATE TABLE latency_sketches (
    run_id   VARCHAR NOT NULL,
    scope    VARCHAR NOT NULL,
    latency  VARCHAR NOT NULL CHECK (latency IN ('ttft', 'tpot', 'e2e', 'queue')),
    samples  BIGINT NOT NULL,
    sketch   BLOB NOT NULL,
    exact    DOUBLE[]
);
COMMENT ON TABLE latency_sketches IS 'Each complete run''s latency distributions, per scope and latency: the percentile KPIs'' source, which a sweep merges over replications';
COMMENT ON COLUMN latency_sketches.run_id IS '[id] run';
COMMENT ON COLUMN latency_sketches.scope IS '[text] as kpis.scope: workload name, model:NAME, or empty for the whole run';
COMMENT ON COLUMN latency_sketches.latency IS '[enum] ttft, tpot, e2e or queue (the KPIs ttft_p50_s to queue_p99_s are its 50th, 90th and 99th percentiles)';
COMMENT ON COLUMN latency_sketches.samples IS '[count] requests measured (tpot: those with more than one output token)';
COMMENT ON COLUMN latency_sketches.sketch IS '[bytes] DDSketch (github.com/DataDog/sketches-go Encode, index mapping included; relative accuracy 0.5%)';
COMMENT ON COLUMN latency_sketches.exact IS '[s] the samples, sorted, when there are at most 1000; NULL past that';
