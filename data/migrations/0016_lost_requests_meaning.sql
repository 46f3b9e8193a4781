-- Comments only: what the lost-to-latency KPIs count, and which requests a
-- "dropped" count leaves out.
--
-- revenue_lost_to_latency_usd and its split by cause (queueing, service
-- time), revenue line and margin count API and batch requests dropped by a
-- full queue or timed out in it, valued at the tokens they would have
-- billed, beside the sessions; nothing in the schema said so, nor that
-- this part cannot be rebuilt from requests (such a request stores 0
-- output tokens and $0 revenue). run_summary.requests_dropped is the KPI
-- requests_dropped, a full queue only, while windows.dropped counts timed
-- out requests too: a run whose requests all timed out read 0 in one and
-- thousands in the other (1 instance of baseline with a 5 s queue timeout:
-- 0 against 3,035).

COMMENT ON TABLE kpis IS 'Final key performance indicators of a complete run, over every request. revenue_lost_to_latency_usd (instantaneous model against the run), revenue_lost_to_queueing_usd (same fleet without contention against the run) and revenue_lost_to_service_time_usd (the rest), with their lines (_api_usd: tokens, _agent_fees_usd, _commerce_usd, _ads_usd) and margin_lost_to_queueing_usd / margin_lost_to_service_time_usd, count the agent sessions that ended and the API and batch requests dropped by a full queue or timed out in it, each such request valued at the tokens it would have billed (its prompt and drawn output, at the batch discount for batch), all lost to queueing on the tokens line; a request or session still running at the end is left out. The sessions'' part lost to queueing is sum(counterfactual_usd - fee_usd - token_usd - commerce_usd - ad_usd) over the sessions with status <> ''unfinished''; the requests'' part cannot be rebuilt from requests, where a dropped or timed-out request stores output_tokens 0 and revenue_usd 0, not the output it would have generated';

COMMENT ON COLUMN run_summary.requests_dropped IS '[count] KPI requests_dropped: requests dropped by a full queue (or for want of a replica up), not those that timed out in the queue, which are the KPI requests_timed_out in kpis; windows.dropped counts both';

COMMENT ON COLUMN windows.dropped IS '[count] requests dropped, by a full queue or timed out in the queue: the KPIs requests_dropped plus requests_timed_out';
