-- 0030_run_served_lengths: how long the calls a run's main fleet served
-- were, so that show repeats the share of a decode step that run priced.
--
-- aiecon run's STEP TIMES THINLY FITTED says what share of a decode step at
-- the run's mean batch and mean context the constants no measurement of
-- the chip pins price. The mean batch is in the KPIs (running_avg over
-- replicas_up_avg), the lengths were not: show and the dashboard fell back
-- to a full batch at the scenario's 99th-percentile context, and printed
-- another share (73% where run said 53%) for the same run. A complete run
-- now keeps its main fleet's lengths beside its KPIs. Runs stored before
-- this version hold NULL, and show says the share cannot be recomputed.

-- IF NOT EXISTS: a store whose schema_version row was lost migrates again
-- instead of failing.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS served_calls BIGINT;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS served_prompt_mean_tok DOUBLE;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS served_context_mean_tok DOUBLE;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS served_context_p99_tok DOUBLE;

COMMENT ON COLUMN runs.served_calls IS '[count] model calls routed to the main fleet (the scenario''s model; its pools apart) over the run, whose lengths the served_* columns give; NULL for a run not complete or stored before these columns were added (0030_run_served_lengths)';
COMMENT ON COLUMN runs.served_prompt_mean_tok IS '[tok] mean prompt of those calls (cached tokens included: what a prefill attends over), cut to the fleet''s max_model_len; NULL without calls or as for served_calls';
COMMENT ON COLUMN runs.served_context_mean_tok IS '[tok] mean context of those calls (prompt plus drawn output: what the last decode step reads), cut to max_model_len; NULL as for served_prompt_mean_tok';
COMMENT ON COLUMN runs.served_context_p99_tok IS '[tok] 99th percentile of those contexts; NULL as for served_prompt_mean_tok';
