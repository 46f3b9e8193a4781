-- 0001_init: the run registry and the records a run streams.
-- Conventions: every table of a run carries run_id; simulated times are
-- BIGINT nanoseconds since the run start (suffix _ns); money is US dollars
-- (suffix _usd); an unset time or an absent link is NULL (the simulator's -1).
-- Column comments start with the unit in brackets; `aiecon schema` prints them.

CREATE TYPE request_status AS ENUM ('completed', 'queue_full', 'timed_out', 'abandoned', 'unfinished');
CREATE TYPE session_status AS ENUM ('completed', 'abandoned', 'unfinished');

CREATE TABLE runs (
    run_id              VARCHAR PRIMARY KEY,
    name                VARCHAR NOT NULL,
    description         VARCHAR NOT NULL DEFAULT '',
    status              VARCHAR NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
    error               VARCHAR,
    scenario            VARCHAR,
    scenario_yaml       VARCHAR,
    resolved_yaml       VARCHAR,
    seed                UBIGINT NOT NULL,
    aiecon_version      VARCHAR NOT NULL DEFAULT '',
    started_at          TIMESTAMP NOT NULL,
    finished_at         TIMESTAMP,
    wall_s              DOUBLE,
    horizon_ns          BIGINT,
    window_ns           BIGINT,
    sim_ns              BIGINT,
    events              BIGINT,
    request_sample_rate DOUBLE NOT NULL DEFAULT 1,
    requests_sampled    BOOLEAN NOT NULL DEFAULT false,
    requests_stored     BIGINT,
    sessions_stored     BIGINT,
    auctions_stored     BIGINT,
    windows_stored      BIGINT,
    sweep_id            VARCHAR,
    sweep_point         INTEGER,
    replication         INTEGER,
    params_json         VARCHAR,
    writer_pid          INTEGER,
    writer_host         VARCHAR
);
COMMENT ON TABLE runs IS 'One row per simulation run; a run is complete only when status = ''complete''';
COMMENT ON COLUMN runs.run_id IS '[id] time-sortable run id (any unique prefix names the run on the command line)';
COMMENT ON COLUMN runs.name IS '[text] run name (the scenario name unless given)';
COMMENT ON COLUMN runs.description IS '[text] free-text description';
COMMENT ON COLUMN runs.status IS '[enum] running | complete | failed; running rows left by a dead writer are marked failed on the next read-write open';
COMMENT ON COLUMN runs.error IS '[text] why the run failed (NULL unless failed)';
COMMENT ON COLUMN runs.scenario IS '[text] scenario name reported by the simulator';
COMMENT ON COLUMN runs.scenario_yaml IS '[yaml] the scenario as given by the user';
COMMENT ON COLUMN runs.resolved_yaml IS '[yaml] the scenario with every default filled in';
COMMENT ON COLUMN runs.seed IS '[count] random seed';
COMMENT ON COLUMN runs.aiecon_version IS '[text] version of aiecon that produced the run';
COMMENT ON COLUMN runs.started_at IS '[UTC] wall-clock time the run was registered';
COMMENT ON COLUMN runs.finished_at IS '[UTC] wall-clock time the run completed or failed';
COMMENT ON COLUMN runs.wall_s IS '[s] wall-clock seconds the run took';
COMMENT ON COLUMN runs.horizon_ns IS '[ns] simulated horizon';
COMMENT ON COLUMN runs.window_ns IS '[ns] width of a time-series window';
COMMENT ON COLUMN runs.sim_ns IS '[ns] simulated time reached';
COMMENT ON COLUMN runs.events IS '[count] events the simulator processed';
COMMENT ON COLUMN runs.request_sample_rate IS '[fraction] share of requests stored in requests (KPIs always cover all)';
COMMENT ON COLUMN runs.requests_sampled IS '[flag] true when requests holds a sample rather than every request';
COMMENT ON COLUMN runs.requests_stored IS '[count] rows stored in requests for this run';
COMMENT ON COLUMN runs.sessions_stored IS '[count] rows stored in sessions for this run';
COMMENT ON COLUMN runs.auctions_stored IS '[count] rows stored in auctions for this run';
COMMENT ON COLUMN runs.windows_stored IS '[count] rows stored in windows for this run';
COMMENT ON COLUMN runs.sweep_id IS '[id] sweep this run belongs to (NULL for a single run)';
COMMENT ON COLUMN runs.sweep_point IS '[index] point of the sweep';
COMMENT ON COLUMN runs.replication IS '[index] replication of the sweep point';
COMMENT ON COLUMN runs.params_json IS '[json] the parameter values of the sweep point';
COMMENT ON COLUMN runs.writer_pid IS '[pid] process that wrote the run';
COMMENT ON COLUMN runs.writer_host IS '[text] host that wrote the run';

CREATE TABLE run_workloads (
    run_id   VARCHAR NOT NULL,
    workload INTEGER NOT NULL,
    name     VARCHAR NOT NULL,
    class    VARCHAR NOT NULL
);
COMMENT ON TABLE run_workloads IS 'The workloads of a run; requests.workload and sessions.workload index them';
COMMENT ON COLUMN run_workloads.run_id IS '[id] run';
COMMENT ON COLUMN run_workloads.workload IS '[index] workload index within the run';
COMMENT ON COLUMN run_workloads.name IS '[text] workload name';
COMMENT ON COLUMN run_workloads.class IS '[enum] api | agent | batch';

CREATE TABLE replicas (
    run_id         VARCHAR NOT NULL,
    replica_id     INTEGER NOT NULL,
    instance       INTEGER NOT NULL,
    instance_type  VARCHAR NOT NULL,
    tp             INTEGER NOT NULL,
    iterations     BIGINT,
    busy_ns        BIGINT,
    up_ns          BIGINT,
    prefill_tokens BIGINT,
    decode_tokens  BIGINT,
    preemptions    BIGINT,
    completed      BIGINT
);
COMMENT ON TABLE replicas IS 'Model replicas of a run; the totals are NULL until the run completes';
COMMENT ON COLUMN replicas.run_id IS '[id] run';
COMMENT ON COLUMN replicas.replica_id IS '[index] replica id (requests.replica)';
COMMENT ON COLUMN replicas.instance IS '[index] instance that hosts the replica';
COMMENT ON COLUMN replicas.instance_type IS '[text] instance type, e.g. trn2.48xlarge';
COMMENT ON COLUMN replicas.tp IS '[count] tensor-parallel degree';
COMMENT ON COLUMN replicas.iterations IS '[count] scheduler iterations run';
COMMENT ON COLUMN replicas.busy_ns IS '[ns] simulated time spent in iterations';
COMMENT ON COLUMN replicas.up_ns IS '[ns] simulated time the replica was serving';
COMMENT ON COLUMN replicas.prefill_tokens IS '[tok] prompt tokens prefilled';
COMMENT ON COLUMN replicas.decode_tokens IS '[tok] tokens decoded';
COMMENT ON COLUMN replicas.preemptions IS '[count] sequences preempted';
COMMENT ON COLUMN replicas.completed IS '[count] requests completed';

CREATE TABLE kpis (
    run_id VARCHAR NOT NULL,
    scope  VARCHAR NOT NULL,
    name   VARCHAR NOT NULL,
    value  DOUBLE,
    unit   VARCHAR NOT NULL
);
COMMENT ON TABLE kpis IS 'Final key performance indicators of a complete run, over every request';
COMMENT ON COLUMN kpis.run_id IS '[id] run';
COMMENT ON COLUMN kpis.scope IS '[text] workload name, or empty for the whole run';
COMMENT ON COLUMN kpis.name IS '[text] KPI name, e.g. cost_per_mtok_usd';
COMMENT ON COLUMN kpis.value IS '[see unit] value (NULL when undefined, e.g. a latency with no completed request)';
COMMENT ON COLUMN kpis.unit IS '[text] unit of value, e.g. USD/Mtok';

CREATE TABLE windows (
    run_id          VARCHAR NOT NULL,
    start_ns        BIGINT NOT NULL,
    end_ns          BIGINT NOT NULL,
    arrivals        BIGINT NOT NULL,
    completions     BIGINT NOT NULL,
    dropped         BIGINT NOT NULL,
    abandoned       BIGINT NOT NULL,
    input_tokens    BIGINT NOT NULL,
    output_tokens   BIGINT NOT NULL,
    queue_depth_avg DOUBLE,
    running_avg     DOUBLE,
    kv_util_avg     DOUBLE,
    busy_frac       DOUBLE,
    replicas_up     DOUBLE,
    replicas_paid   DOUBLE,
    ttft_p50_s      DOUBLE,
    ttft_p99_s      DOUBLE,
    tpot_p50_s      DOUBLE,
    tpot_p99_s      DOUBLE,
    e2e_p99_s       DOUBLE,
    revenue_usd     DOUBLE,
    cost_usd        DOUBLE,
    flops_frac      DOUBLE,
    bandwidth_frac  DOUBLE,
    training_frac   DOUBLE
);
COMMENT ON TABLE windows IS 'Fleet time series: one row per window [start_ns, end_ns); averages are time-weighted';
COMMENT ON COLUMN windows.run_id IS '[id] run';
COMMENT ON COLUMN windows.start_ns IS '[ns] window start';
COMMENT ON COLUMN windows.end_ns IS '[ns] window end (exclusive)';
COMMENT ON COLUMN windows.arrivals IS '[count] requests that arrived';
COMMENT ON COLUMN windows.completions IS '[count] requests completed';
COMMENT ON COLUMN windows.dropped IS '[count] requests dropped (queue full or timed out)';
COMMENT ON COLUMN windows.abandoned IS '[count] agent sessions abandoned';
COMMENT ON COLUMN windows.input_tokens IS '[tok] prompt tokens of requests completed';
COMMENT ON COLUMN windows.output_tokens IS '[tok] tokens generated';
COMMENT ON COLUMN windows.queue_depth_avg IS '[count] requests waiting for admission';
COMMENT ON COLUMN windows.running_avg IS '[count] sequences in running batches';
COMMENT ON COLUMN windows.kv_util_avg IS '[fraction] KV-cache blocks in use, averaged over replicas';
COMMENT ON COLUMN windows.busy_frac IS '[fraction] replica time spent in iterations';
COMMENT ON COLUMN windows.replicas_up IS '[count] serving replicas';
COMMENT ON COLUMN windows.replicas_paid IS '[count] replicas paid for, including provisioning';
COMMENT ON COLUMN windows.ttft_p50_s IS '[s] median time to first token of requests completed (NULL when none)';
COMMENT ON COLUMN windows.ttft_p99_s IS '[s] 99th percentile time to first token (NULL when none)';
COMMENT ON COLUMN windows.tpot_p50_s IS '[s] median time per output token (NULL when none)';
COMMENT ON COLUMN windows.tpot_p99_s IS '[s] 99th percentile time per output token (NULL when none)';
COMMENT ON COLUMN windows.e2e_p99_s IS '[s] 99th percentile end-to-end latency (NULL when none)';
COMMENT ON COLUMN windows.revenue_usd IS '[USD] revenue earned';
COMMENT ON COLUMN windows.cost_usd IS '[USD] fleet cost incurred';
COMMENT ON COLUMN windows.flops_frac IS '[fraction] achieved over peak FLOP/s of serving devices';
COMMENT ON COLUMN windows.bandwidth_frac IS '[fraction] achieved over peak HBM bandwidth';
COMMENT ON COLUMN windows.training_frac IS '[fraction] fleet capacity given to background training';

CREATE TABLE requests (
    run_id         VARCHAR NOT NULL,
    request_id     BIGINT NOT NULL,
    workload       INTEGER NOT NULL,
    session_id     BIGINT,
    step           INTEGER NOT NULL,
    replica        INTEGER,
    status         request_status NOT NULL,
    arrival_ns     BIGINT NOT NULL,
    start_ns       BIGINT,
    first_token_ns BIGINT,
    finish_ns      BIGINT,
    prompt_tokens  INTEGER NOT NULL,
    cached_tokens  INTEGER NOT NULL,
    output_tokens  INTEGER NOT NULL,
    preemptions    INTEGER NOT NULL,
    revenue_usd    DOUBLE NOT NULL
);
COMMENT ON TABLE requests IS 'LLM requests (every one, or a sample: see runs.requests_sampled); requests_v adds latencies in seconds';
COMMENT ON COLUMN requests.run_id IS '[id] run';
COMMENT ON COLUMN requests.request_id IS '[id] request id within the run';
COMMENT ON COLUMN requests.workload IS '[index] workload (run_workloads.workload)';
COMMENT ON COLUMN requests.session_id IS '[id] agent session (NULL when not part of one)';
COMMENT ON COLUMN requests.step IS '[index] step within the session (0 otherwise)';
COMMENT ON COLUMN requests.replica IS '[index] replica that served it (NULL if never admitted)';
COMMENT ON COLUMN requests.status IS '[enum] completed | queue_full | timed_out | abandoned | unfinished';
COMMENT ON COLUMN requests.arrival_ns IS '[ns] arrival time';
COMMENT ON COLUMN requests.start_ns IS '[ns] first admitted into a running batch (NULL if never)';
COMMENT ON COLUMN requests.first_token_ns IS '[ns] first output token (NULL if none)';
COMMENT ON COLUMN requests.finish_ns IS '[ns] completion, drop or abandonment (NULL if unfinished)';
COMMENT ON COLUMN requests.prompt_tokens IS '[tok] prompt length';
COMMENT ON COLUMN requests.cached_tokens IS '[tok] prompt tokens served from the prefix cache';
COMMENT ON COLUMN requests.output_tokens IS '[tok] tokens generated';
COMMENT ON COLUMN requests.preemptions IS '[count] times preempted';
COMMENT ON COLUMN requests.revenue_usd IS '[USD] token revenue billed';

CREATE TABLE sessions (
    run_id             VARCHAR NOT NULL,
    session_id         BIGINT NOT NULL,
    workload           INTEGER NOT NULL,
    status             session_status NOT NULL,
    start_ns           BIGINT NOT NULL,
    end_ns             BIGINT,
    steps_planned      INTEGER NOT NULL,
    steps_done         INTEGER NOT NULL,
    prompt_tokens      BIGINT NOT NULL,
    cached_tokens      BIGINT NOT NULL,
    output_tokens      BIGINT NOT NULL,
    context_tokens     BIGINT NOT NULL,
    max_turn_ns        BIGINT NOT NULL,
    ad_impressions     INTEGER NOT NULL,
    ad_clicks          INTEGER NOT NULL,
    converted          BOOLEAN NOT NULL,
    fee_usd            DOUBLE NOT NULL,
    token_usd          DOUBLE NOT NULL,
    commerce_usd       DOUBLE NOT NULL,
    ad_usd             DOUBLE NOT NULL,
    licensing_usd      DOUBLE NOT NULL,
    counterfactual_usd DOUBLE NOT NULL
);
COMMENT ON TABLE sessions IS 'Agent sessions: chains of model calls and tool calls, with their revenue';
COMMENT ON COLUMN sessions.run_id IS '[id] run';
COMMENT ON COLUMN sessions.session_id IS '[id] session id within the run (requests.session_id)';
COMMENT ON COLUMN sessions.workload IS '[index] workload (run_workloads.workload)';
COMMENT ON COLUMN sessions.status IS '[enum] completed | abandoned | unfinished';
COMMENT ON COLUMN sessions.start_ns IS '[ns] session start';
COMMENT ON COLUMN sessions.end_ns IS '[ns] session end (NULL if unfinished)';
COMMENT ON COLUMN sessions.steps_planned IS '[count] steps the agent planned';
COMMENT ON COLUMN sessions.steps_done IS '[count] steps it completed';
COMMENT ON COLUMN sessions.prompt_tokens IS '[tok] prompt tokens over its model calls';
COMMENT ON COLUMN sessions.cached_tokens IS '[tok] prompt tokens served from the prefix cache';
COMMENT ON COLUMN sessions.output_tokens IS '[tok] tokens generated';
COMMENT ON COLUMN sessions.context_tokens IS '[tok] context length of the last model call';
COMMENT ON COLUMN sessions.max_turn_ns IS '[ns] slowest model-call turn the user waited for';
COMMENT ON COLUMN sessions.ad_impressions IS '[count] sponsored slots shown';
COMMENT ON COLUMN sessions.ad_clicks IS '[count] sponsored slots clicked';
COMMENT ON COLUMN sessions.converted IS '[flag] the user bought';
COMMENT ON COLUMN sessions.fee_usd IS '[USD] per-session fee earned';
COMMENT ON COLUMN sessions.token_usd IS '[USD] per-token revenue of its model calls';
COMMENT ON COLUMN sessions.commerce_usd IS '[USD] take rate times order value on conversion';
COMMENT ON COLUMN sessions.ad_usd IS '[USD] ad revenue from its auctions';
COMMENT ON COLUMN sessions.licensing_usd IS '[USD] content licensing cost of its retrievals';
COMMENT ON COLUMN sessions.counterfactual_usd IS '[USD] what it would have earned with no queueing and no latency penalty';

CREATE TABLE auctions (
    run_id       VARCHAR NOT NULL,
    auction_id   BIGINT NOT NULL,
    session_id   BIGINT NOT NULL,
    step         INTEGER NOT NULL,
    at_ns        BIGINT NOT NULL,
    slot         INTEGER NOT NULL,
    bidders      INTEGER NOT NULL,
    bid_usd      DOUBLE NOT NULL,
    price_usd    DOUBLE NOT NULL,
    ctr          DOUBLE NOT NULL,
    clicked      BOOLEAN NOT NULL,
    revenue_usd  DOUBLE NOT NULL,
    latency_mult DOUBLE NOT NULL
);
COMMENT ON TABLE auctions IS 'Filled sponsored slots of generalized second-price ad auctions';
COMMENT ON COLUMN auctions.run_id IS '[id] run';
COMMENT ON COLUMN auctions.auction_id IS '[id] auction id within the run';
COMMENT ON COLUMN auctions.session_id IS '[id] session whose turn held the auction';
COMMENT ON COLUMN auctions.step IS '[index] step of the session';
COMMENT ON COLUMN auctions.at_ns IS '[ns] time of the auction';
COMMENT ON COLUMN auctions.slot IS '[index] slot position (0 = top)';
COMMENT ON COLUMN auctions.bidders IS '[count] bidders in the auction';
COMMENT ON COLUMN auctions.bid_usd IS '[USD] winner''s bid (per click for CPC, per mille for CPM)';
COMMENT ON COLUMN auctions.price_usd IS '[USD] second-price clearing price';
COMMENT ON COLUMN auctions.ctr IS '[fraction] click probability after position, relevance, latency and freshness';
COMMENT ON COLUMN auctions.clicked IS '[flag] the slot was clicked';
COMMENT ON COLUMN auctions.revenue_usd IS '[USD] revenue earned';
COMMENT ON COLUMN auctions.latency_mult IS '[factor] latency penalty multiplier applied (1 = none)';

CREATE TABLE calibrations (
    calibration_id VARCHAR PRIMARY KEY,
    created_at     TIMESTAMP NOT NULL,
    device         VARCHAR NOT NULL,
    host           VARCHAR NOT NULL,
    aiecon_version VARCHAR NOT NULL,
    note           VARCHAR NOT NULL,
    profile_json   VARCHAR NOT NULL
);
COMMENT ON TABLE calibrations IS 'Hardware efficiency profiles fitted from real batched matmul runs';
COMMENT ON COLUMN calibrations.calibration_id IS '[id] time-sortable calibration id';
COMMENT ON COLUMN calibrations.created_at IS '[UTC] when it was stored';
COMMENT ON COLUMN calibrations.device IS '[text] device measured, e.g. trn2 or host-cpu';
COMMENT ON COLUMN calibrations.host IS '[text] host the measurements ran on';
COMMENT ON COLUMN calibrations.aiecon_version IS '[text] version of aiecon that measured it';
COMMENT ON COLUMN calibrations.note IS '[text] free-text note';
COMMENT ON COLUMN calibrations.profile_json IS '[json] the fitted profile';

CREATE TABLE sweeps (
    sweep_id    VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    spec_yaml   VARCHAR NOT NULL,
    points      INTEGER NOT NULL,
    replications INTEGER NOT NULL
);
COMMENT ON TABLE sweeps IS 'Parameter sweeps: a base scenario and the points to run';
COMMENT ON COLUMN sweeps.sweep_id IS '[id] time-sortable sweep id';
COMMENT ON COLUMN sweeps.name IS '[text] sweep name';
COMMENT ON COLUMN sweeps.description IS '[text] free-text description';
COMMENT ON COLUMN sweeps.created_at IS '[UTC] when the sweep was created';
COMMENT ON COLUMN sweeps.spec_yaml IS '[yaml] the sweep specification as given';
COMMENT ON COLUMN sweeps.points IS '[count] points in the sweep';
COMMENT ON COLUMN sweeps.replications IS '[count] runs per point';

CREATE TABLE sweep_points (
    sweep_id    VARCHAR NOT NULL,
    point       INTEGER NOT NULL,
    params_json VARCHAR NOT NULL,
    PRIMARY KEY (sweep_id, point)
);
COMMENT ON TABLE sweep_points IS 'The points of a sweep; runs.sweep_id and runs.sweep_point link its runs';
COMMENT ON COLUMN sweep_points.sweep_id IS '[id] sweep';
COMMENT ON COLUMN sweep_points.point IS '[index] point index';
COMMENT ON COLUMN sweep_points.params_json IS '[json] the parameter values of the point';
