package kpi

// Names of the KPIs, as stored and as sweep files name them.
const (
	// Traffic, per workload and for the whole run.
	RequestsArrived    = "requests_arrived"
	RequestsCompleted  = "requests_completed"
	RequestsDropped    = "requests_dropped"
	RequestsTimedOut   = "requests_timed_out"
	RequestsAbandoned  = "requests_abandoned"
	RequestsUnfinished = "requests_unfinished"
	// RequestsUnfinishedLate are the unfinished requests that had already
	// missed their TTFT SLO at the horizon (waited longer for their first
	// token than it allows): SLO attainment counts them as misses.
	RequestsUnfinishedLate = "requests_unfinished_late"
	// SLORequests are the requests SLO attainment is a share of: those of
	// workloads that set an SLO which completed, were dropped or timed out,
	// or were unfinished past their TTFT SLO. Pooling attainment over runs
	// or a forecast's slices weights each by it: a scope that mixes
	// workloads with and without an SLO leaves the latter out.
	SLORequests        = "slo_requests"
	RequestsTruncated  = "requests_truncated"
	ThroughputRPS      = "throughput_rps"
	InputTokensPerS    = "input_tokens_per_s"
	OutputTokensPerS   = "output_tokens_per_s"
	PrefixCacheHitRate = "prefix_cache_hit_rate"
	SLOAttainment      = "slo_attainment"
	GoodputRPS         = "goodput_rps"

	// Experience and prompt tokens, per workload and for the whole run.
	GoodExperienceRate   = "good_experience_rate"
	AbandonRate          = "abandon_rate"
	InputTokensPrefilled = "input_tokens_prefilled"
	InputTokensCached    = "input_tokens_cached"

	// Latency percentiles, per workload and for the whole run.
	TTFTP50S  = "ttft_p50_s"
	TTFTP90S  = "ttft_p90_s"
	TTFTP99S  = "ttft_p99_s"
	TPOTP50S  = "tpot_p50_s"
	TPOTP90S  = "tpot_p90_s"
	TPOTP99S  = "tpot_p99_s"
	E2EP50S   = "e2e_p50_s"
	E2EP90S   = "e2e_p90_s"
	E2EP99S   = "e2e_p99_s"
	E2EMeanS  = "e2e_mean_s"
	QueueP50S = "queue_p50_s"
	QueueP90S = "queue_p90_s"
	QueueP99S = "queue_p99_s"

	// Agent sessions and ads, per agent workload and for the whole run.
	SessionsStarted   = "sessions_started"
	SessionsCompleted = "sessions_completed"
	SessionsAbandoned = "sessions_abandoned"
	// SessionsFailed are the sessions_abandoned that the fleet failed: a
	// model call dropped (a full queue, no replica up) or timed out in the
	// queue, not the user's patience. sessions_abandoned keeps counting
	// them, as it did before the split, so stored runs and queries keep
	// their meaning; sessions_abandoned less sessions_failed are the users
	// who gave up.
	SessionsFailed     = "sessions_failed"
	SessionsUnfinished = "sessions_unfinished"
	SessionsConverted  = "sessions_converted"
	// SessionsConvertedExpected is the completed sessions' conversion
	// chances summed: the conversions commerce revenue is counted at
	// (sessions_converted is the count drawn).
	SessionsConvertedExpected = "sessions_converted_expected"
	SessionAbandonRate        = "session_abandon_rate"
	// SessionFailRate is sessions_failed over the ended sessions (completed
	// and abandoned), the part of session_abandon_rate that is the fleet's.
	SessionFailRate      = "session_fail_rate"
	RevenuePerSessionUSD = "revenue_per_session_usd"
	AdAuctions           = "ad_auctions"
	AdImpressions        = "ad_impressions"
	AdClicks             = "ad_clicks"
	// AdClicksExpected is the impressions' click-through summed: the clicks
	// per-click ad revenue is counted at (ad_clicks is the count drawn).
	AdClicksExpected = "ad_clicks_expected"
	// RevenueCommerceEvents and RevenueAdsEvents are how many independent
	// events of equal value each line is worth, (sum x)^2 / sum x^2 over the
	// sessions' commerce or ad revenue x: a line is known to about
	// 1/sqrt(n) of itself (the standard error of a compound Poisson sum).
	RevenueCommerceEvents = "revenue_commerce_effective_events"
	RevenueAdsEvents      = "revenue_ads_effective_events"
	AdECPMUSD             = "ad_ecpm_usd"
	// AdFillRate is the slots filled over the slots offered, impressions /
	// (auctions x slots): ad_ecpm_usd is per filled impression, so it hides
	// auctions that fill few slots or none (a reserve above every bid).
	AdFillRate       = "ad_fill_rate"
	AnswersDelivered = "answers_delivered"
	AdPaidCPCUSD     = "ad_paid_cpc_usd"
	// AbandonedStreamed* are what an agent's calls abandoned after their
	// first token had streamed when their users left (price.bill_abandoned):
	// the calls, the output tokens they had generated, what those and their
	// prompts come to at the workload's token prices, and how much of that
	// the run billed (in revenue_api_usd: all of it under streamed, none
	// under nothing, the default).
	AbandonedStreamedCalls        = "abandoned_streamed_calls"
	AbandonedStreamedOutputTokens = "abandoned_streamed_output_tokens"
	AbandonedStreamedUSD          = "abandoned_streamed_usd"
	AbandonedStreamedBilledUSD    = "abandoned_streamed_billed_usd"

	// Ad bid calibration, whole run (only when the scenario has ads).
	AdPaidCPCTargetUSD = "ad_paid_cpc_target_usd"
	AdBidScale         = "ad_bid_scale"
	AdBidMedianUSD     = "ad_bid_median_usd"

	// Fleet and utilisation, whole run; queue_depth_avg, running_avg and
	// in_system_avg also per workload (its own requests: the fleet warnings
	// judge an open-loop workload's queue apart from a closed loop's).
	InstancesAvg         = "instances_avg"
	ReplicasUpAvg        = "replicas_up_avg"
	Utilization          = "utilization"
	FLOPSUtilization     = "flops_utilization"
	BandwidthUtilization = "bandwidth_utilization"
	KVUtilization        = "kv_utilization"
	QueueDepthAvg        = "queue_depth_avg"
	RunningAvg           = "running_avg"
	BatchOccupancy       = "batch_occupancy"
	InSystemAvg          = "in_system_avg"
	Preemptions          = "preemptions"
	ScaleUps             = "scale_ups"
	ScaleDowns           = "scale_downs"
	SpotInterruptions    = "spot_interruptions"

	// PrefixCacheEvictedBlocks counts cached KV blocks that running requests
	// took back: the memory pressure behind a falling hit rate.
	PrefixCacheEvictedBlocks = "prefix_cache_evicted_blocks"

	// Model mix (only with pools): per model under the scope ModelScope(pool),
	// escalations for the whole run too.
	AnsweredShare = "answered_share"
	Escalations   = "escalations"

	// Training, whole run (only when the scenario trains).
	TrainingIdleCoverage      = "training_idle_coverage"
	TrainingFLOPsDone         = "training_flops_done"
	TrainingReplicaHours      = "training_replica_hours"
	TrainingLends             = "training_lends"
	TrainingReclaims          = "training_reclaims"
	TrainingRetrainHours      = "training_retrain_hours"
	TrainingCostPerRetrainUSD = "training_cost_per_retrain_usd"
	TrainingGangReplicas      = "training_gang_replicas"
	TrainingProgress          = "training_progress"
	TrainingAchievedHours     = "training_achieved_hours"
	TrainingCheckpoints       = "training_checkpoints"
	TrainingStarts            = "training_starts"
	TrainingTimeLostHours     = "training_time_lost_hours"
	TrainingLentWaitHours     = "training_lent_wait_hours"
	// TrainingHeld* count the lender's decisions at which the job owed
	// work, a replica was lendable and none was lent, by what held it
	// back: demand (at or above lend_below, or too high once the lent
	// replica's load is spread over the others), a request waiting, or
	// (schedulers whose prefill stops the batch) less than a replica's
	// worth of idle time.
	TrainingHeldDemand  = "training_held_demand"
	TrainingHeldWaiting = "training_held_waiting"
	TrainingHeldBusy    = "training_held_busy"

	// Cost, whole run.
	CostInstancesUSD        = "cost_instances_usd"
	CostTrainingUSD         = "cost_training_usd"
	CostLicensingUSD        = "cost_licensing_usd"
	CostUSD                 = "cost_usd"
	CostPerHourUSD          = "cost_per_hour_usd"
	PricePerInstanceHourUSD = "price_per_instance_hour_usd"
	CostPerMTokUSD          = "cost_per_mtok_usd"
	CostPerMTokInstancesUSD = "cost_per_mtok_instances_usd"
	CostPerMTokInputUSD     = "cost_per_mtok_input_usd"
	CostPerMTokOutputUSD    = "cost_per_mtok_output_usd"
	CostPerMTokComputedUSD  = "cost_per_mtok_computed_usd"
	// CostPerMTokAttributedUSD is a workload's share of every cost per
	// million of its tokens billed, per workload only: an attribution (each
	// pool's instances shared by the replica time its workloads' prefill
	// and decode took, training alike, licensing to the workload that
	// retrieved; sim/attribute.go), which a token price is compared with.
	CostPerMTokAttributedUSD = "cost_per_mtok_attributed_usd"
	// CostPerRequestUSD is every cost (instances, training, licensing) per
	// completed request: the run's cost over its requests completed (an
	// agent's model calls each count), a workload's attributed cost (as
	// cost_per_mtok_attributed_usd shares it) over its own. The cost of the
	// requests that did not complete is in the numerator, not the
	// denominator: a completed answer has to pay for them.
	CostPerRequestUSD = "cost_per_request_usd"
	// CostPerSessionUSD is every cost attributed to the agent workloads per
	// session completed, per agent workload and for the run (the agents'
	// costs over their sessions completed; the API workloads' cost is not a
	// session's). Abandoned and unfinished sessions' calls cost, but a
	// session only sells when it completes.
	CostPerSessionUSD = "cost_per_session_usd"

	// Revenue and margin, whole run (revenue_usd also per workload).
	RevenueAPIUSD       = "revenue_api_usd" // per-token billing of every workload, an agent's calls too
	RevenueAgentFeesUSD = "revenue_agent_fees_usd"
	RevenueCommerceUSD  = "revenue_commerce_usd"
	RevenueAdsUSD       = "revenue_ads_usd"
	RevenueUSD          = "revenue_usd"
	// RevenuePerMTokAPIUSD and RevenuePerMTokUSD are a workload's token
	// revenue, and all its revenue (agent fees, commerce and ads too), per
	// million of its tokens billed, per workload only: what its tokens
	// realise, cached-input discounts and batch discounts applied.
	RevenuePerMTokAPIUSD = "revenue_per_mtok_api_usd"
	RevenuePerMTokUSD    = "revenue_per_mtok_usd"
	// RevenueCeilingUSD is the most the run's arrivals could earn, per
	// workload and for the run: every request's drawn tokens at its prices,
	// every session as if no model call took time and the model were fresh.
	// No fleet that serves the same arrivals earns more (the optimizer's
	// margin bound).
	RevenueCeilingUSD = "revenue_ceiling_usd"
	// RevenueUnfinishedUSD is what the requests and sessions still running
	// at the end would earn, served at once, per workload and for the run:
	// an API or batch request's tokens at its price (as a dropped one is
	// valued), a session's ceiling less what it had already earned. It is
	// counted neither as revenue nor as lost to latency, so an overloaded
	// fleet whose backlog only grows shows it here.
	RevenueUnfinishedUSD    = "revenue_unfinished_usd"
	MarginUSD               = "margin_usd"
	GrossMargin             = "gross_margin"
	RevenueLostToLatencyUSD = "revenue_lost_to_latency_usd"

	// Revenue and margin lost to latency, split by cause (queueing: what the
	// same hardware without contention would have earned; service time: what
	// an instantaneous model would have earned beyond that) and by revenue
	// line; per workload and for the whole run (an API or batch workload
	// loses the requests dropped or timed out, on its tokens line). Margin
	// is after the licensing contract of retrieval (its revenue share on
	// every line; the totals also net its per-document fees).
	RevenueLostToQueueingUSD             = "revenue_lost_to_queueing_usd"
	RevenueLostToQueueingAPIUSD          = "revenue_lost_to_queueing_api_usd"
	RevenueLostToQueueingAdsUSD          = "revenue_lost_to_queueing_ads_usd"
	RevenueLostToQueueingCommerceUSD     = "revenue_lost_to_queueing_commerce_usd"
	RevenueLostToQueueingAgentFeesUSD    = "revenue_lost_to_queueing_agent_fees_usd"
	MarginLostToQueueingUSD              = "margin_lost_to_queueing_usd"
	MarginLostToQueueingAPIUSD           = "margin_lost_to_queueing_api_usd"
	MarginLostToQueueingAdsUSD           = "margin_lost_to_queueing_ads_usd"
	MarginLostToQueueingCommerceUSD      = "margin_lost_to_queueing_commerce_usd"
	MarginLostToQueueingAgentFeesUSD     = "margin_lost_to_queueing_agent_fees_usd"
	RevenueLostToServiceTimeUSD          = "revenue_lost_to_service_time_usd"
	RevenueLostToServiceTimeAPIUSD       = "revenue_lost_to_service_time_api_usd"
	RevenueLostToServiceTimeAdsUSD       = "revenue_lost_to_service_time_ads_usd"
	RevenueLostToServiceTimeCommerceUSD  = "revenue_lost_to_service_time_commerce_usd"
	RevenueLostToServiceTimeAgentFeesUSD = "revenue_lost_to_service_time_agent_fees_usd"
	MarginLostToServiceTimeUSD           = "margin_lost_to_service_time_usd"
	MarginLostToServiceTimeAPIUSD        = "margin_lost_to_service_time_api_usd"
	MarginLostToServiceTimeAdsUSD        = "margin_lost_to_service_time_ads_usd"
	MarginLostToServiceTimeCommerceUSD   = "margin_lost_to_service_time_commerce_usd"
	MarginLostToServiceTimeAgentFeesUSD  = "margin_lost_to_service_time_agent_fees_usd"
)
