-- 0034_run_served_prompt_p99: the 99th-percentile prompt a run's main
-- fleet served, so that show repeats the prompt-length gap of STEP TIMES
-- EXTRAPOLATED as aiecon run gave it.
--
-- aiecon run compares the 99th-percentile prompt and context of the calls
-- each fleet served with the longest the step-time constants were fitted
-- to, and warns "prompts to 6,143 tokens, while the measurements they
-- were fitted to reached 2,048". 0030 kept the 99th-percentile context but
-- not the prompt, so show left both lengths out of the warning. A complete
-- run now keeps it beside the other served_* columns. Runs stored before
-- hold NULL, and show says their prompt gap cannot be recomputed.

-- IF NOT EXISTS: a store whose schema_version row was lost migrates again
-- instead of failing.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS served_prompt_p99_tok DOUBLE;

COMMENT ON COLUMN runs.served_prompt_p99_tok IS '[tok] 99th percentile of the prompts of the calls served_calls counts (cached tokens included, cut to max_model_len); NULL without calls, for a run not complete, or for one stored before this column was added (0034_run_served_prompt_p99)';
