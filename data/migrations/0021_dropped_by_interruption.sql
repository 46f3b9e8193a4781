-- 0021_dropped_by_interruption: comments only, no data changes.
--
-- A request that a spot interruption takes off its replica, waiting or
-- already running, with no other replica of its pool up to take it, is
-- stored as queue_full: dropped for want of a replica up, the same want an
-- arrival meets while none is up. Nothing said so: requests.status listed
-- the names alone, and the simulator's comment read "rejected at arrival",
-- so a queue_full row with a start_ns and output tokens (in a
-- 10-minute one-instance p5 spot run at 12 interruptions an hour: 81 of
-- 3,721 dropped rows) looked like a bug. The kpis comment said every dropped
-- request stores output_tokens 0; a running one keeps what it generated.

COMMENT ON COLUMN requests.status IS '[enum] completed | queue_full | timed_out | abandoned | unfinished; queue_full is a dropped request: turned away by a full queue, or for want of a replica of its pool up, on arrival or when a spot interruption took it off its replica (waiting, or running: start_ns, replica and output_tokens, generated but unbilled, are then kept); timed_out waited past queue_timeout; abandoned, its agent session was abandoned';

COMMENT ON TABLE kpis IS 'Final key performance indicators of a complete run, over every request. revenue_lost_to_latency_usd (instantaneous model against the run), revenue_lost_to_queueing_usd (same fleet without contention against the run) and revenue_lost_to_service_time_usd (the rest), with their lines (_api_usd: tokens, _agent_fees_usd, _commerce_usd, _ads_usd) and margin_lost_to_queueing_usd / margin_lost_to_service_time_usd, count the agent sessions that ended and the API and batch requests dropped by a full queue or timed out in it (or dropped for want of a replica up), each such request valued at the tokens it would have billed (its prompt and drawn output, at the batch discount for batch), all lost to queueing on the tokens line; a request or session still running at the end is left out. The sessions'' part lost to queueing is sum(counterfactual_usd - fee_usd - token_usd - commerce_usd - ad_usd) over the sessions with status <> ''unfinished''; the requests'' part cannot be rebuilt from requests, where a dropped or timed-out request stores revenue_usd 0 and output_tokens 0 (one an interruption dropped while running, the tokens it had generated), not the output it would have generated';
