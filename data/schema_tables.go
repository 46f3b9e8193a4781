package data

// schemaTables is each table of the migrated schema with its columns and
// types in order, as tableColumns reads them: what Open checks a store's
// tables against. It is written out rather than read from an in-memory
// store migrated at open because that took 0.35 s, more than most
// commands; TestSchemaTables keeps it equal to the migrations.
var schemaTables = map[string]string{
	"auctions":             "run_id VARCHAR, auction_id BIGINT, session_id BIGINT, step INTEGER, at_ns BIGINT, slot INTEGER, bidders INTEGER, bid_usd DOUBLE, price_usd DOUBLE, ctr DOUBLE, clicked BOOLEAN, revenue_usd DOUBLE, latency_mult DOUBLE",
	"calibrations":         "calibration_id VARCHAR, created_at TIMESTAMP, device VARCHAR, host VARCHAR, aiecon_version VARCHAR, note VARCHAR, profile_json VARCHAR",
	"forecast_checkpoints": "forecast_id VARCHAR, run_id VARCHAR, variant VARCHAR, sample INTEGER, period INTEGER, day INTEGER, slice INTEGER, plan_sha256 VARCHAR, base_sha256 VARCHAR, samples INTEGER, periods INTEGER, shard VARCHAR, aiecon_version VARCHAR, result_json VARCHAR",
	"forecast_periods":     "forecast_id VARCHAR, variant VARCHAR, sample INTEGER, period INTEGER, metric VARCHAR, unit VARCHAR, value DOUBLE",
	"forecast_runs":        "forecast_id VARCHAR, run_id VARCHAR, variant VARCHAR, sample INTEGER, period INTEGER, day INTEGER, slice INTEGER",
	"forecasts":            "forecast_id VARCHAR, name VARCHAR, description VARCHAR, created_at TIMESTAMP, spec_yaml VARCHAR, period_length VARCHAR, periods INTEGER, samples INTEGER, report_json VARCHAR, aiecon_version VARCHAR",
	"kpis":                 "run_id VARCHAR, scope VARCHAR, name VARCHAR, value DOUBLE, unit VARCHAR",
	"latency_sketches":     "run_id VARCHAR, scope VARCHAR, latency VARCHAR, samples BIGINT, sketch BLOB, exact DOUBLE[]",
	"replicas":             "run_id VARCHAR, replica_id INTEGER, instance INTEGER, instance_type VARCHAR, tp INTEGER, iterations BIGINT, busy_ns BIGINT, up_ns BIGINT, prefill_tokens BIGINT, decode_tokens BIGINT, preemptions BIGINT, completed BIGINT",
	"requests":             "run_id VARCHAR, request_id BIGINT, workload INTEGER, session_id BIGINT, step INTEGER, replica INTEGER, status ENUM('completed', 'queue_full', 'timed_out', 'abandoned', 'unfinished'), arrival_ns BIGINT, start_ns BIGINT, first_token_ns BIGINT, finish_ns BIGINT, prompt_tokens INTEGER, cached_tokens INTEGER, output_tokens INTEGER, preemptions INTEGER, revenue_usd DOUBLE",
	"run_workloads":        "run_id VARCHAR, workload INTEGER, name VARCHAR, class VARCHAR",
	"runs":                 "run_id VARCHAR, name VARCHAR, description VARCHAR, status VARCHAR, error VARCHAR, scenario VARCHAR, scenario_yaml VARCHAR, resolved_yaml VARCHAR, seed UBIGINT, aiecon_version VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, wall_s DOUBLE, horizon_ns BIGINT, window_ns BIGINT, sim_ns BIGINT, events BIGINT, request_sample_rate DOUBLE, requests_sampled BOOLEAN, requests_stored BIGINT, sessions_stored BIGINT, auctions_stored BIGINT, windows_stored BIGINT, sweep_id VARCHAR, sweep_point INTEGER, replication INTEGER, params_json VARCHAR, writer_pid INTEGER, writer_host VARCHAR, calibration_sha256 VARCHAR, calibration_created TIMESTAMP, calibration_summary VARCHAR, served_calls BIGINT, served_prompt_mean_tok DOUBLE, served_context_mean_tok DOUBLE, served_context_p99_tok DOUBLE, writer_start VARCHAR, served_prompt_p99_tok DOUBLE",
	"schema_version":       "version INTEGER, name VARCHAR, applied_at TIMESTAMP",
	"sessions":             "run_id VARCHAR, session_id BIGINT, workload INTEGER, status ENUM('completed', 'abandoned', 'unfinished'), start_ns BIGINT, end_ns BIGINT, steps_planned INTEGER, steps_done INTEGER, prompt_tokens BIGINT, cached_tokens BIGINT, output_tokens BIGINT, context_tokens BIGINT, max_turn_ns BIGINT, ad_impressions INTEGER, ad_clicks INTEGER, converted BOOLEAN, fee_usd DOUBLE, token_usd DOUBLE, commerce_usd DOUBLE, ad_usd DOUBLE, licensing_usd DOUBLE, counterfactual_usd DOUBLE, failed BOOLEAN",
	"sweep_shards":         "sweep_id VARCHAR, shard INTEGER, shards INTEGER",
	"sweep_points":         "sweep_id VARCHAR, point INTEGER, params_json VARCHAR",
	"sweeps":               "sweep_id VARCHAR, name VARCHAR, description VARCHAR, created_at TIMESTAMP, spec_yaml VARCHAR, points INTEGER, replications INTEGER",
	"windows":              "run_id VARCHAR, start_ns BIGINT, end_ns BIGINT, arrivals BIGINT, completions BIGINT, dropped BIGINT, abandoned BIGINT, input_tokens BIGINT, output_tokens BIGINT, queue_depth_avg DOUBLE, running_avg DOUBLE, kv_util_avg DOUBLE, busy_frac DOUBLE, replicas_up DOUBLE, replicas_paid DOUBLE, ttft_p50_s DOUBLE, ttft_p99_s DOUBLE, tpot_p50_s DOUBLE, tpot_p99_s DOUBLE, e2e_p99_s DOUBLE, revenue_usd DOUBLE, cost_usd DOUBLE, flops_frac DOUBLE, bandwidth_frac DOUBLE, training_frac DOUBLE",
}
