package kpi

import "aiecon/model/format"

// catalog lists every KPI the simulator emits, by subject. Directions:
// busier hardware is cheaper per token but slower, and arrivals and sizes
// are inputs, not outcomes, so utilisations and loads are neutral.
var catalog = []Def{
	// Traffic, per workload and for the whole run.
	{Name: RequestsArrived, Unit: format.UnitCount, Label: "requests arrived", Better: Neutral},
	{Name: RequestsCompleted, Unit: format.UnitCount, Label: "requests completed", Better: HigherBetter},
	{Name: RequestsDropped, Unit: format.UnitCount, Label: "requests dropped", Better: LowerBetter},
	{Name: RequestsTimedOut, Unit: format.UnitCount, Label: "requests timed out", Better: LowerBetter},
	{Name: RequestsAbandoned, Unit: format.UnitCount, Label: "requests abandoned", Better: LowerBetter},
	{Name: RequestsUnfinished, Unit: format.UnitCount, Label: "requests unfinished", Better: LowerBetter},
	{Name: RequestsUnfinishedLate, Unit: format.UnitCount, Label: "unfinished past TTFT SLO", Better: LowerBetter},
	{Name: SLORequests, Unit: format.UnitCount, Label: "requests under an SLO", Better: Neutral},
	{Name: RequestsTruncated, Unit: format.UnitCount, Label: "requests truncated", Better: LowerBetter},
	{Name: ThroughputRPS, Unit: format.UnitPerSecond, Label: "throughput", Short: "done/s", Better: HigherBetter},
	{Name: InputTokensPerS, Unit: format.UnitTokPerS, Label: "prompt tokens/s (cached included)", Better: Neutral},
	{Name: OutputTokensPerS, Unit: format.UnitTokPerS, Label: "output tokens/s", Better: HigherBetter},
	{Name: PrefixCacheHitRate, Unit: format.UnitFraction, Label: "prefix cache hit rate", Better: HigherBetter},
	{Name: SLOAttainment, Unit: format.UnitFraction, Label: "SLO attainment", Short: "SLO", Better: HigherBetter},
	{Name: GoodputRPS, Unit: format.UnitPerSecond, Label: "goodput", Better: HigherBetter},

	// Experience and prompt tokens, per workload and for the whole run. SLO
	// attainment is over the requests answered or turned away and those
	// unfinished past their TTFT SLO; good experience is SLO-met
	// completions over every request that ended, abandoned too.
	{Name: GoodExperienceRate, Unit: format.UnitFraction, Label: "good experience rate", Short: "good exp.", Better: HigherBetter},
	{Name: AbandonRate, Unit: format.UnitFraction, Label: "abandon rate", Better: LowerBetter},
	{Name: InputTokensPrefilled, Unit: format.UnitTokens, Label: "input tokens prefilled", Better: Neutral},
	{Name: InputTokensCached, Unit: format.UnitTokens, Label: "input tokens cached", Better: Neutral},

	// Latency percentiles, per workload and for the whole run.
	{Name: TTFTP50S, Unit: format.UnitSeconds, Label: "TTFT p50", Better: LowerBetter},
	{Name: TTFTP90S, Unit: format.UnitSeconds, Label: "TTFT p90", Better: LowerBetter},
	{Name: TTFTP99S, Unit: format.UnitSeconds, Label: "TTFT p99", Better: LowerBetter},
	{Name: TPOTP50S, Unit: format.UnitSeconds, Label: "TPOT p50", Better: LowerBetter},
	{Name: TPOTP90S, Unit: format.UnitSeconds, Label: "TPOT p90", Better: LowerBetter},
	{Name: TPOTP99S, Unit: format.UnitSeconds, Label: "TPOT p99", Better: LowerBetter},
	{Name: E2EP50S, Unit: format.UnitSeconds, Label: "E2E p50", Better: LowerBetter},
	{Name: E2EP90S, Unit: format.UnitSeconds, Label: "E2E p90", Better: LowerBetter},
	{Name: E2EP99S, Unit: format.UnitSeconds, Label: "E2E p99", Better: LowerBetter},
	{Name: E2EMeanS, Unit: format.UnitSeconds, Label: "E2E mean", Better: LowerBetter},
	{Name: QueueP50S, Unit: format.UnitSeconds, Label: "queue wait p50", Better: LowerBetter},
	{Name: QueueP90S, Unit: format.UnitSeconds, Label: "queue wait p90", Better: LowerBetter},
	{Name: QueueP99S, Unit: format.UnitSeconds, Label: "queue wait p99", Better: LowerBetter},

	// Agent sessions and ads, per agent workload and for the whole run.
	{Name: SessionsStarted, Unit: format.UnitCount, Label: "sessions started", Better: Neutral},
	{Name: SessionsCompleted, Unit: format.UnitCount, Label: "sessions completed", Better: HigherBetter},
	{Name: SessionsAbandoned, Unit: format.UnitCount, Label: "sessions abandoned", Better: LowerBetter},
	{Name: SessionsFailed, Unit: format.UnitCount, Label: "sessions abandoned: failed by the fleet", Better: LowerBetter},
	{Name: SessionsUnfinished, Unit: format.UnitCount, Label: "sessions unfinished", Better: LowerBetter},
	{Name: SessionsConverted, Unit: format.UnitCount, Label: "sessions converted (drawn)", Better: Neutral}, // a draw: revenue counts the expected
	{Name: SessionsConvertedExpected, Unit: format.UnitCount, Label: "sessions converted (expected)", Better: HigherBetter},
	{Name: RevenueCommerceEvents, Unit: format.UnitCount, Label: "commerce: effective events", Better: Neutral},
	{Name: SessionAbandonRate, Unit: format.UnitFraction, Label: "session abandon rate", Better: LowerBetter},
	{Name: SessionFailRate, Unit: format.UnitFraction, Label: "session fail rate (fleet)", Better: LowerBetter},
	{Name: RevenuePerSessionUSD, Unit: format.UnitUSDPerSession, Label: "revenue per session ended", Better: HigherBetter},
	{Name: AdAuctions, Unit: format.UnitCount, Label: "ad auctions", Better: Neutral},
	{Name: AdImpressions, Unit: format.UnitCount, Label: "ad impressions", Better: HigherBetter},
	{Name: AdClicks, Unit: format.UnitCount, Label: "ad clicks (drawn)", Better: Neutral}, // a draw: revenue counts the expected
	{Name: AdClicksExpected, Unit: format.UnitCount, Label: "ad clicks (expected)", Better: HigherBetter},
	{Name: RevenueAdsEvents, Unit: format.UnitCount, Label: "ads: effective events", Better: Neutral},
	{Name: AdECPMUSD, Unit: format.UnitUSDPerMille, Label: "ad eCPM", Better: HigherBetter},
	{Name: AdFillRate, Unit: format.UnitFraction, Label: "ad fill rate", Better: HigherBetter},
	{Name: AnswersDelivered, Unit: format.UnitCount, Label: "answers delivered", Better: HigherBetter},
	{Name: AdPaidCPCUSD, Unit: format.UnitUSDPerClick, Label: "ad paid CPC", Better: Neutral},
	// Calls abandoned mid-answer: what they had streamed is valued whether
	// or not price.bill_abandoned bills it (a setting), so neutral.
	{Name: AbandonedStreamedCalls, Unit: format.UnitCount, Label: "calls abandoned after their first token", Better: LowerBetter},
	{Name: AbandonedStreamedOutputTokens, Unit: format.UnitTokens, Label: "output tokens streamed to abandoned calls", Better: Neutral},
	{Name: AbandonedStreamedUSD, Unit: format.UnitUSD, Label: "abandoned calls: streamed at token prices", Better: Neutral},
	{Name: AbandonedStreamedBilledUSD, Unit: format.UnitUSD, Label: "abandoned calls: billed", Better: Neutral},

	// Ad bid calibration, whole run: the published paid CPC the bids are
	// scaled to, and the scale and median bid that reach it. Settings, so
	// neutral.
	{Name: AdPaidCPCTargetUSD, Unit: format.UnitUSDPerClick, Label: "ad paid CPC target", Better: Neutral},
	{Name: AdBidScale, Unit: format.UnitFactor, Label: "ad bid scale", Better: Neutral},
	{Name: AdBidMedianUSD, Unit: format.UnitUSDPerClick, Label: "ad bid median", Better: Neutral},

	// Fleet and utilisation, whole run.
	{Name: InstancesAvg, Unit: format.UnitCount, Label: "instances (average)", Better: Neutral},
	{Name: ReplicasUpAvg, Unit: format.UnitCount, Label: "replicas serving (average)", Better: Neutral},
	{Name: Utilization, Unit: format.UnitFraction, Label: "busy time", Better: Neutral},
	{Name: FLOPSUtilization, Unit: format.UnitFraction, Label: "FLOP/s utilization (executed, padding included)", Better: Neutral},
	{Name: BandwidthUtilization, Unit: format.UnitFraction, Label: "HBM bandwidth utilization", Better: Neutral},
	{Name: KVUtilization, Unit: format.UnitFraction, Label: "KV-cache utilization", Better: Neutral},
	{Name: QueueDepthAvg, Unit: format.UnitRequests, Label: "queue depth (average)", Better: LowerBetter},
	{Name: RunningAvg, Unit: format.UnitRequests, Label: "running (average)", Better: Neutral},
	{Name: BatchOccupancy, Unit: format.UnitFraction, Label: "batch occupancy", Better: Neutral},
	{Name: InSystemAvg, Unit: format.UnitRequests, Label: "in system (average)", Better: LowerBetter},
	{Name: Preemptions, Unit: format.UnitCount, Label: "preemptions", Better: LowerBetter},
	{Name: PrefixCacheEvictedBlocks, Unit: format.UnitCount, Label: "prefix-cache blocks evicted", Better: Neutral},
	{Name: ScaleUps, Unit: format.UnitCount, Label: "scale-ups", Better: Neutral},
	{Name: ScaleDowns, Unit: format.UnitCount, Label: "scale-downs", Better: Neutral},
	{Name: SpotInterruptions, Unit: format.UnitCount, Label: "spot interruptions", Better: LowerBetter},

	// Model mix, per model (scope model:NAME) when the fleet serves several:
	// the share of completed requests each model answered (the quality
	// proxy: which model's answer the user got) and the answers a small
	// model gave that were escalated to the large one. Each model also
	// reports the traffic, latency, fleet and instance-cost KPIs of its own
	// calls. Shares and counts of a routing policy, so neutral.
	{Name: AnsweredShare, Unit: format.UnitFraction, Label: "share answered", Better: Neutral},
	{Name: Escalations, Unit: format.UnitCount, Label: "escalations", Better: Neutral},

	// Training, whole run (only when the scenario trains).
	{Name: TrainingIdleCoverage, Unit: format.UnitFraction, Label: "training idle coverage", Better: Neutral},
	{Name: TrainingFLOPsDone, Unit: format.UnitFLOP, Label: "training FLOPs done", Better: Neutral},
	{Name: TrainingReplicaHours, Unit: format.UnitHours, Label: "training replica-hours", Better: Neutral},
	{Name: TrainingLends, Unit: format.UnitCount, Label: "training lends", Better: Neutral},
	{Name: TrainingReclaims, Unit: format.UnitCount, Label: "training reclaims", Better: Neutral},
	{Name: TrainingRetrainHours, Unit: format.UnitHours, Label: "training hours per retrain", Better: Neutral},
	{Name: TrainingCostPerRetrainUSD, Unit: format.UnitUSD, Label: "training cost per retrain", Better: LowerBetter},
	// Fleet-idle: the job's minimum gang of replicas, the fraction of the
	// current retrain done at the end of the run, the mean wall time of
	// the retrains finished (from their period's start), checkpoints
	// written, stretches started, and the time lost to stopping
	// (checkpoint writes, loads and warm-ups, work redone).
	{Name: TrainingGangReplicas, Unit: format.UnitCount, Label: "training gang replicas", Better: Neutral},
	{Name: TrainingProgress, Unit: format.UnitFraction, Label: "training progress", Better: HigherBetter},
	{Name: TrainingAchievedHours, Unit: format.UnitHours, Label: "training achieved duration", Better: LowerBetter},
	{Name: TrainingCheckpoints, Unit: format.UnitCount, Label: "training checkpoints", Better: Neutral},
	{Name: TrainingStarts, Unit: format.UnitCount, Label: "training starts", Better: LowerBetter},
	{Name: TrainingTimeLostHours, Unit: format.UnitHours, Label: "training time lost", Better: LowerBetter},
	// Fleet-idle: the request-hours requests waited for a batch slot or a
	// prefill turn while replicas were lent (the waiting lending may have
	// added to; the serving replicas' own waiting is in it too).
	{Name: TrainingLentWaitHours, Unit: format.UnitHours, Label: "waiting while replicas lent", Better: LowerBetter},
	// Fleet-idle: the lender's decisions that lent nothing while work
	// was owed and a replica was lendable, by what held it back.
	{Name: TrainingHeldDemand, Unit: format.UnitCount, Label: "lending held by demand", Better: Neutral},
	{Name: TrainingHeldWaiting, Unit: format.UnitCount, Label: "lending held by waiting", Better: Neutral},
	{Name: TrainingHeldBusy, Unit: format.UnitCount, Label: "lending held by busy time", Better: Neutral},

	// Cost, whole run.
	{Name: CostInstancesUSD, Unit: format.UnitUSD, Label: "cost: instances", Better: LowerBetter},
	{Name: CostTrainingUSD, Unit: format.UnitUSD, Label: "cost: training", Better: LowerBetter},
	{Name: CostLicensingUSD, Unit: format.UnitUSD, Label: "cost: licensing", Better: LowerBetter},
	{Name: CostUSD, Unit: format.UnitUSD, Label: "cost", Better: LowerBetter},
	{Name: CostPerHourUSD, Unit: format.UnitUSDPerHour, Label: "cost per hour", Better: LowerBetter},
	{Name: PricePerInstanceHourUSD, Unit: format.UnitUSDPerHour, Label: "price per instance-hour", Better: LowerBetter},
	{Name: CostPerMTokUSD, Unit: format.UnitUSDPerMTok, Label: "cost per Mtok (all costs)", Short: "$/Mtok all costs", Better: LowerBetter},
	{Name: CostPerMTokInstancesUSD, Unit: format.UnitUSDPerMTok, Label: "cost per Mtok (instances only)", Short: "$/Mtok instances", Better: LowerBetter},
	{Name: CostPerMTokInputUSD, Unit: format.UnitUSDPerMTok, Label: "cost per Mtok (input, instances)", Better: LowerBetter},
	{Name: CostPerMTokOutputUSD, Unit: format.UnitUSDPerMTok, Label: "cost per Mtok (output, instances)", Better: LowerBetter},
	// Over the tokens computed (cached prompt apart), where the ones above
	// are over the tokens billed.
	{Name: CostPerMTokComputedUSD, Unit: format.UnitUSDPerMTok, Label: "cost per Mtok computed (all costs, cached prompt apart)", Better: LowerBetter},
	// Per workload only: its share of every cost, an attribution.
	{Name: CostPerMTokAttributedUSD, Unit: format.UnitUSDPerMTok, Label: "cost per Mtok attributed (all costs)", Better: LowerBetter},
	// Per completed request (the run's and each workload's) and per
	// completed session (each agent workload's and the agents' together):
	// all costs, as cost per Mtok counts them.
	{Name: CostPerRequestUSD, Unit: format.UnitUSDPerRequest, Label: "cost per completed request (all costs)", Short: "$/request", Better: LowerBetter},
	{Name: CostPerSessionUSD, Unit: format.UnitUSDPerSession, Label: "cost per completed session (all costs)", Short: "$/session", Better: LowerBetter},

	// Revenue and margin, whole run (revenue_usd also per workload).
	{Name: RevenueAPIUSD, Unit: format.UnitUSD, Label: "revenue: tokens", Better: HigherBetter},
	{Name: RevenueAgentFeesUSD, Unit: format.UnitUSD, Label: "revenue: agent fees", Better: HigherBetter},
	{Name: RevenueCommerceUSD, Unit: format.UnitUSD, Label: "revenue: commerce", Better: HigherBetter},
	{Name: RevenueAdsUSD, Unit: format.UnitUSD, Label: "revenue: ads", Better: HigherBetter},
	{Name: RevenueUSD, Unit: format.UnitUSD, Label: "revenue", Better: HigherBetter},
	// Per workload only, over its tokens billed.
	{Name: RevenuePerMTokAPIUSD, Unit: format.UnitUSDPerMTok, Label: "revenue per Mtok (tokens)", Better: HigherBetter},
	{Name: RevenuePerMTokUSD, Unit: format.UnitUSDPerMTok, Label: "revenue per Mtok (all lines)", Better: HigherBetter},
	{Name: RevenueCeilingUSD, Unit: format.UnitUSD, Label: "revenue ceiling", Better: Neutral}, // of the arrivals: an input, not an outcome
	{Name: RevenueUnfinishedUSD, Unit: format.UnitUSD, Label: "revenue left unfinished", Better: LowerBetter},
	{Name: MarginUSD, Unit: format.UnitUSD, Label: "margin", Better: HigherBetter, Signed: true},
	// gross_margin leaves training out (margin_usd nets it): retrain-weekly/
	// daily reads 76.3% beside a margin of -$1,840, so wherever it is shown
	// it says so.
	{Name: GrossMargin, Unit: format.UnitFraction, Label: "gross margin before training", Better: HigherBetter, Caveat: "before training", Signed: true},
	{Name: RevenueLostToLatencyUSD, Unit: format.UnitUSD, Label: "revenue lost to latency", Better: LowerBetter, Signed: true},

	// Revenue and margin lost to latency by cause and revenue line, per
	// workload (agent, API and batch) and for the whole run (docs/model.md,
	// Revenue lost to latency): queueing plus service time is
	// revenue_lost_to_latency_usd.
	{Name: RevenueLostToQueueingUSD, Unit: format.UnitUSD, Label: "revenue lost to queueing", Better: LowerBetter, Signed: true},
	{Name: RevenueLostToQueueingAPIUSD, Unit: format.UnitUSD, Label: "revenue lost to queueing: tokens", Better: LowerBetter, Signed: true},
	{Name: RevenueLostToQueueingAdsUSD, Unit: format.UnitUSD, Label: "revenue lost to queueing: ads", Better: LowerBetter, Signed: true},
	{Name: RevenueLostToQueueingCommerceUSD, Unit: format.UnitUSD, Label: "revenue lost to queueing: commerce", Better: LowerBetter, Signed: true},
	{Name: RevenueLostToQueueingAgentFeesUSD, Unit: format.UnitUSD, Label: "revenue lost to queueing: agent fees", Better: LowerBetter, Signed: true},
	{Name: MarginLostToQueueingUSD, Unit: format.UnitUSD, Label: "margin lost to queueing", Better: LowerBetter, Signed: true},
	{Name: MarginLostToQueueingAPIUSD, Unit: format.UnitUSD, Label: "margin lost to queueing: tokens", Better: LowerBetter, Signed: true},
	{Name: MarginLostToQueueingAdsUSD, Unit: format.UnitUSD, Label: "margin lost to queueing: ads", Better: LowerBetter, Signed: true},
	{Name: MarginLostToQueueingCommerceUSD, Unit: format.UnitUSD, Label: "margin lost to queueing: commerce", Better: LowerBetter, Signed: true},
	{Name: MarginLostToQueueingAgentFeesUSD, Unit: format.UnitUSD, Label: "margin lost to queueing: agent fees", Better: LowerBetter, Signed: true},
	{Name: RevenueLostToServiceTimeUSD, Unit: format.UnitUSD, Label: "revenue lost to service time", Better: LowerBetter, Signed: true},
	{Name: RevenueLostToServiceTimeAPIUSD, Unit: format.UnitUSD, Label: "revenue lost to service time: tokens", Better: LowerBetter, Signed: true},
	{Name: RevenueLostToServiceTimeAdsUSD, Unit: format.UnitUSD, Label: "revenue lost to service time: ads", Better: LowerBetter, Signed: true},
	{Name: RevenueLostToServiceTimeCommerceUSD, Unit: format.UnitUSD, Label: "revenue lost to service time: commerce", Better: LowerBetter, Signed: true},
	{Name: RevenueLostToServiceTimeAgentFeesUSD, Unit: format.UnitUSD, Label: "revenue lost to service time: agent fees", Better: LowerBetter, Signed: true},
	{Name: MarginLostToServiceTimeUSD, Unit: format.UnitUSD, Label: "margin lost to service time", Better: LowerBetter, Signed: true},
	{Name: MarginLostToServiceTimeAPIUSD, Unit: format.UnitUSD, Label: "margin lost to service time: tokens", Better: LowerBetter, Signed: true},
	{Name: MarginLostToServiceTimeAdsUSD, Unit: format.UnitUSD, Label: "margin lost to service time: ads", Better: LowerBetter, Signed: true},
	{Name: MarginLostToServiceTimeCommerceUSD, Unit: format.UnitUSD, Label: "margin lost to service time: commerce", Better: LowerBetter, Signed: true},
	{Name: MarginLostToServiceTimeAgentFeesUSD, Unit: format.UnitUSD, Label: "margin lost to service time: agent fees", Better: LowerBetter, Signed: true},
}
