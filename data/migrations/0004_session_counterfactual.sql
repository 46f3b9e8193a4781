-- 0004_session_counterfactual: sessions.counterfactual_usd is what the
-- session would have earned on the same fleet without contention; the loss
-- to queueing against it and the loss to service time against an
-- instantaneous model are KPIs (docs/model.md, Revenue lost to latency).

COMMENT ON COLUMN sessions.counterfactual_usd IS '[USD] what it would have earned on the same fleet without contention (each model call alone on an idle replica)';
