// Package sim is the serving world of aiecon: traffic (Poisson, diurnal,
// bursty or replayed traces), a router, replicas that batch continuously under
// a KV-cache budget (vLLM-style, Neuron-style with shape buckets and one
// prefill per iteration or chunked prefill, or static; optionally speculative),
// agent sessions that chain model and tool calls, ad auctions on agent turns,
// autoscaling and background training. Each replica keeps a prefix cache in
// its free KV memory, and the default router keeps a session on one replica. It runs on the discrete-event engine of
// sim/engine and streams records to a Sink; it knows nothing of databases or
// screens. Time is int64 nanoseconds of simulated time.
//
// World owns the event loop, routing, the fleet and the metrics. The fleet
// is one pool per model served (one without scenario pools); a request's
// pool is chosen by the model router, its replica by the pool's router. A
// replica sees only its pool's replicaEnv (clock, step pricing, shared
// configuration, the gauges it moves) and reports back through replicaHost;
// what it runs each iteration is its scheduler's decision.
//
// The map of the package:
//
//	world.go            Config, Result, World: New, Run, routing, request life and records
//	replica.go          replica: queues by priority, running batch, KV blocks (on demand or reserved at admission), kick
//	replica_env.go      replicaEnv, replicaConfig, replicaHost: what a replica sees of the run
//	iteration.go        the end of an iteration, and requests leaving a replica
//	scheduler.go        the scheduler interface and its registry by scenario name
//	sched_vllm.go       vLLM continuous batching with chunked prefill and preemption
//	sched_neuron.go     the vLLM-Neuron plugin: one bucketed prefill per iteration
//	sched_neuron_chunked.go  Neuron continuous batching with chunked prefill, on padded shapes
//	sched_static.go     static batching
//	epoch.go            implicit decoders (vLLM): a batch's decoders kept as a formula
//	leap.go             decode leaps: several identical iterations planned as one event
//	stepcost.go         stepCoster: an iteration's operations priced by hw.Perf
//	effcache.go         memoised GEMM efficiency per shape
//	pools.go            fleetPool: one model's part of the fleet (step pricing, replicas, instances, price)
//	modelrouter.go      model routing between pools: by workload, prompt length, small-first with escalation
//	kpimodel.go         per-model calls and KPIs, and the fleet figures summed over the pools
//	fleet.go            instances, pricing, spot interruptions, autoscaling, draining (per pool)
//	training.go         the periodic retrain: dedicated cluster or lent idle replicas (the lender)
//	trainjob.go         the job on lent replicas: a gang that checkpoints and restarts
//	router.go           replica routing in a pool: session-affinity, least-outstanding, round-robin or power-of-two
//	loadindex.go        the serving replicas' loads: the least-loaded in O(log n), the total
//	affinity.go         consistent hashing with bounded loads; an agent call's prefix keys
//	prefixcache.go      a replica's prefix cache: LRU blocks in its free KV memory, system prompts shared by running calls
//	traffic.go          workloads and their arrival processes
//	closed.go           closed-loop arrivals: clients with think times
//	speculative.go      speculative decoding: proposer and verification pricing
//	trace.go            replayed request traces (Azure LLM inference format)
//	agent.go            agent sessions: model calls, tool calls, value
//	patience.go         what the user's patience is compared with (patience_on), and its timer
//	abandoned.go        what a call abandoned mid-answer had streamed, and its bill (price.bill_abandoned)
//	ads.go              generalized second-price ad auctions on agent turns
//	adcalib.go          the bid scale that makes clicks pay the published CPC
//	counterfactual.go   context-window truncation; sessions replayed without contention and instantaneously
//	sample.go           length and duration distributions
//	request.go          request and its pool
//	metrics.go          time-weighted gauges and latency sketches
//	window.go           time-series windows
//	kpi.go              the end of a run: KPIs and summary
//	kpiecon.go          experience, prompt-token and ad-calibration KPIs
//	kpilost.go          revenue and margin lost to queueing and to service time
//	served.go           a drained run ends, and is billed, when its last work does; one that stalls stops with an error
//	record.go           the records and the Sink interface
//	emit.go             batching records to the Sink
//	memsink.go, tee.go  a Sink in memory; a Sink to several
//	catalog.go          hw's instance catalog as scenario resolution sees it
package sim
