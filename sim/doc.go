// Package sim is the serving world of aiecon: traffic (Poisson, diurnal,
// bursty or replayed traces), a router, replicas that batch continuously under
// a KV-cache budget (vLLM-style, Neuron-style with shape buckets, or static),
// agent sessions that chain model and tool calls, ad auctions on agent turns,
// autoscaling and background training. It runs on the discrete-event engine of
// sim/engine and streams records to a Sink; it knows nothing of databases or
// screens. Time is int64 nanoseconds of simulated time.
package sim
