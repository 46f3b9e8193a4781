package model

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"aiecon/model/econ"
	"aiecon/model/llm"
)

// Scenario is one what-if: the fleet, the model it serves, the traffic, the
// agents and ads on top, and the prices and costs. Every field not given in the
// YAML gets the default documented on it (see Resolve); docs/scenarios.md is
// the user-facing reference.
type Scenario struct {
	Name        string    `yaml:"name"`
	Description string    `yaml:"description,omitempty"`
	Seed        uint64    `yaml:"seed"`            // default 1
	Horizon     Duration  `yaml:"horizon"`         // simulated time; default 1h
	Window      Duration  `yaml:"window"`          // time-series window; default 60s
	Drain       bool      `yaml:"drain,omitempty"` // after the horizon, stop arrivals and finish what is in flight
	Model       ModelRef  `yaml:"model"`           // a catalog name or an inline architecture
	Precision   Precision `yaml:"precision"`
	Fleet       Fleet     `yaml:"fleet"`
	Router      string    `yaml:"router"` // session-affinity | least-outstanding | round-robin | power-of-two; default session-affinity
	// Pools are more models served beside the main one (Model on Fleet),
	// each on a fleet of its own; Routing chooses each request's pool
	// (pools.go). Without pools the fleet serves the one model.
	Pools     []Pool            `yaml:"pools,omitempty"`
	Routing   *Routing          `yaml:"routing,omitempty"`
	Workloads []Workload        `yaml:"workloads"`
	Ads       *Ads              `yaml:"ads,omitempty"`
	Training  *Training         `yaml:"training,omitempty"`
	Hardware  HardwareOverrides `yaml:"hardware,omitempty"`
	Output    Output            `yaml:"output"`
	// RouterLoadBound is session-affinity's c: no replica takes a request
	// that would put it above c x the average outstanding requests (and
	// above the average plus RouterLoadSlack); default 1.5.
	RouterLoadBound float64 `yaml:"router_load_bound"`
	// RouterLoadSlack is session-affinity's absolute slack: a replica is
	// overloaded only when its outstanding requests, with the call, also
	// exceed the average by more than this many requests, so a lightly
	// loaded fleet keeps its sessions on their replicas; default 2 (nil
	// before defaults; 0 is bounded loads alone).
	RouterLoadSlack *int `yaml:"router_load_slack,omitempty"`
	// Variants are named what-ifs on this scenario: each one is the scenario
	// with its `set` overrides applied (the same paths as --set). `aiecon run`
	// runs every variant and compares them.
	Variants []Variant `yaml:"variants,omitempty"`
}

// Variant is one named set of overrides.
type Variant struct {
	Name        string        `yaml:"name"`
	Description string        `yaml:"description,omitempty"`
	Set         yaml.MapSlice `yaml:"set"` // dotted path: value
}

// Overrides returns a variant's set as overrides, in file order.
func (v Variant) Overrides() ([]Override, error) {
	var out []Override
	for _, it := range v.Set {
		val, err := MarshalYAML(it.Value) // a tab in a value kept, quoted
		if err != nil {
			return nil, err
		}
		out = append(out, Override{Path: fmt.Sprint(it.Key), Value: strings.TrimSpace(string(val))})
	}
	return out, nil
}

// ModelRef names a catalog architecture or defines one inline.
type ModelRef struct {
	Name   string    // catalog name, e.g. llama-3.3-70b
	Inline *llm.Arch // set when the YAML gives a mapping
}

// UnmarshalYAML accepts a name or an inline architecture mapping.
func (m *ModelRef) UnmarshalYAML(node ast.Node) error {
	switch node.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		var a llm.Arch
		if err := checkWholeNumbers(node, reflect.TypeOf(a)); err != nil {
			return err
		}
		if err := decodeNodeStrict(node, &a); err != nil {
			return err
		}
		m.Inline = &a
		m.Name = a.Name
		return nil
	case *ast.SequenceNode:
		return errAt(node, "model is a catalog name (e.g. llama-3.3-70b) or a mapping defining an architecture")
	}
	m.Name = strings.TrimSpace(scalarText(node))
	return nil
}

// MarshalYAML writes the name, or the inline mapping.
func (m ModelRef) MarshalYAML() (any, error) {
	if m.Inline != nil {
		return m.Inline, nil
	}
	return m.Name, nil
}

// Precision gives the numeric formats of weights, activations (compute) and
// KV cache; defaults bf16 for all three. ExpertWeights is the format of a
// mixture of experts' routed experts where a release quantises them alone
// (GPT-OSS's 4-bit experts beside bf16 attention); "" means Weights.
type Precision struct {
	Weights       llm.DType `yaml:"weights"`
	ExpertWeights llm.DType `yaml:"expert_weights,omitempty"`
	Activations   llm.DType `yaml:"activations"`
	KVCache       llm.DType `yaml:"kv_cache"`
}

// Fleet is the serving fleet: instances of one type, how they are paid for,
// how a replica is laid out on them, and how the fleet scales.
type Fleet struct {
	Instance string `yaml:"instance"` // catalog instance name, e.g. trn2.48xlarge
	Count    int    `yaml:"count"`    // instances at start; default 1
	// Pricing: on-demand (catalog list price), capacity-block (catalog EC2
	// Capacity Blocks rate: capacity reserved for days to months, paid up
	// front), reserved (catalog RI-effective rate, a committed price), spot
	// (on-demand minus spot.discount, with interruptions) or owned (servers
	// the operator owns: price_usd_per_hour is their cost per server-hour,
	// depreciation, power, facility and operations; no catalog figure).
	// Default on-demand.
	Pricing string `yaml:"pricing"`
	// PriceUSDPerHour overrides the catalog price of one instance; required when
	// the catalog has no price for the chosen pricing. A pointer, because 0
	// is a price (capacity already paid for, or free) and absent is not:
	// nil bills the catalog's price.
	PriceUSDPerHour *float64   `yaml:"price_usd_per_hour,omitempty"`
	Spot            *Spot      `yaml:"spot,omitempty"`
	Replica         Replica    `yaml:"replica"`
	Autoscale       *Autoscale `yaml:"autoscale,omitempty"`
}

// USD is a price to set on an optional price field (Fleet.PriceUSDPerHour,
// Training.PriceUSDPerHour): a pointer, because 0 is a price. Only tests
// call it (model's, sim's, study/forecast's and cmd/aiecon's), to write a
// price into a Scenario literal.
func USD(v float64) *float64 { return &v }

// OwnPrice is the scenario's own price of one instance per hour, and
// whether it gives one (0 is a price: capacity already paid for).
func (f *Fleet) OwnPrice() (usd float64, given bool) {
	if f.PriceUSDPerHour == nil {
		return 0, false
	}
	return *f.PriceUSDPerHour, true
}

// SpotDiscount is the fraction off on-demand a spot fleet pays (0 for any
// other pricing, or spot without a discount set).
func (f *Fleet) SpotDiscount() float64 {
	if f.Pricing == "spot" && f.Spot != nil {
		return f.Spot.Discount
	}
	return 0
}

// Spot describes spot capacity: a discount on the on-demand price and
// interruptions that take an instance down for a recovery time.
type Spot struct {
	Discount             float64  `yaml:"discount"`               // fraction off on-demand, 0..1; default the catalog's spot quote, required where there is none
	InterruptionsPerHour float64  `yaml:"interruptions_per_hour"` // per instance; default 0.05
	Recovery             Duration `yaml:"recovery"`               // time until a replacement serves; default 5m
}

// Replica is one copy of the model on TP devices of an instance.
type Replica struct {
	TP int `yaml:"tp"` // tensor-parallel degree in devices (NeuronCores or GPUs); default: all devices of the instance
	// PerInstance is how many replicas an instance holds; default (and
	// maximum) devices / tp.
	PerInstance int    `yaml:"per_instance"`
	Scheduler   string `yaml:"scheduler"` // vllm | neuron | neuron-chunked | static; default neuron on Neuron instances, vllm on GPUs
	// MaxNumSeqs caps the running batch; default 32 (neuron, static), 256 (vllm).
	MaxNumSeqs int `yaml:"max_num_seqs"`
	// MaxBatchedTokens is the per-iteration token budget (vllm, neuron-chunked)
	// or the prefill segment size (neuron); default 8192 (vllm), max_model_len
	// (neuron), the smaller of the two (neuron-chunked).
	MaxBatchedTokens int `yaml:"max_batched_tokens"`
	// MaxModelLen is the longest prompt+output a request may have; default the
	// model's max context, capped at 16384 on Neuron (the compiled seq_len).
	MaxModelLen int `yaml:"max_model_len"`
	// KVBlockTokens is the KV-cache block size in tokens; default 16 (vllm), 32 (neuron).
	KVBlockTokens int `yaml:"kv_block_tokens"`
	// MemoryReserve is the fraction of device memory kept free for activations
	// and the runtime; default 0.1.
	MemoryReserve float64 `yaml:"memory_reserve"`
	// KVMemoryFraction is the share of the memory left after the reserve and
	// the weights that the KV cache takes, as TensorRT-LLM sizes its cache
	// (kv_cache_free_gpu_mem_fraction); default 1 (all of it).
	KVMemoryFraction float64 `yaml:"kv_memory_fraction"`
	// Admission is when a waiting request may join the running batch:
	// on-demand (its KV blocks are taken as its tokens arrive; a running
	// request that finds none free preempts the newest, as vLLM does) or
	// reserve-max (only once blocks for its prompt plus its whole output can
	// be reserved, held until it ends, so nothing is ever preempted: the
	// GUARANTEED_NO_EVICT capacity scheduler of TensorRT-LLM's batch
	// manager); default on-demand.
	Admission string `yaml:"admission"`
	// ContextBuckets and SequenceBuckets are the Neuron compiled shapes; default
	// powers of two from 128 up to max_model_len.
	ContextBuckets  []int `yaml:"context_buckets,omitempty"`
	SequenceBuckets []int `yaml:"sequence_buckets,omitempty"`
	// EnableBucketing false compiles one shape each, as the Neuron vLLM plugin
	// does with bucketing off: prefill segments padded to the smaller of
	// max_model_len and max_batched_tokens, decode attention over the full
	// max_model_len. Default true (nil).
	EnableBucketing *bool `yaml:"enable_bucketing,omitempty"`
	// Speculative turns on speculative decoding (scheduler vllm or neuron);
	// nil = off.
	Speculative *Speculative `yaml:"speculative,omitempty"`
	// PrefixCaching keeps finished requests' KV blocks in the free KV memory
	// for later prompts that start the same way (vLLM's automatic prefix
	// caching), evicted least recently used; default true (nil).
	PrefixCaching *bool `yaml:"prefix_caching,omitempty"`
	// QueueLimit drops arrivals when a replica already has this many waiting; 0 = no limit.
	QueueLimit int `yaml:"queue_limit"`
	// QueueTimeout drops a request still waiting after this long; 0 = never.
	QueueTimeout Duration `yaml:"queue_timeout"`
}

// Admission policies (Replica.Admission).
const (
	AdmissionOnDemand   = "on-demand"
	AdmissionReserveMax = "reserve-max"
)

// Speculative is speculative decoding: each decode step of a sequence
// proposes K tokens and verifies them in one target step over K+1 tokens,
// keeping the accepted prefix and one more token from the target.
type Speculative struct {
	// Draft is the proposer: a catalog model name (a small model of the same
	// tokenizer, run on the same devices) or "eagle" (a one-layer head on the
	// target's hidden states, sharing its embedding and LM head).
	Draft string `yaml:"draft"`
	// K is the number of tokens proposed per step; default 4.
	K int `yaml:"k"`
	// Acceptance is the probability that the target accepts each proposed
	// token, given the ones before it were accepted, in [0, 1). Required
	// (nil: not given): it decides whether speculation pays, and no default
	// holds across drafts and prompts.
	Acceptance *float64 `yaml:"acceptance"`
}

// Autoscale adds or removes instances to track a target.
type Autoscale struct {
	Min int `yaml:"min"` // instances; default 1
	Max int `yaml:"max"` // instances; default fleet.count x 2
	// Metric: utilization (batch occupancy: running plus waiting sequences
	// over the serving replicas' max_num_seqs slots; busy time would say
	// little, as a replica iterates whenever it holds one request) or queue
	// (waiting requests per serving replica).
	Metric         string   `yaml:"metric"`          // default utilization
	Target         float64  `yaml:"target"`          // default 0.7 (utilization) or 4 (queue)
	Interval       Duration `yaml:"interval"`        // evaluation period; default 1m
	ProvisionDelay Duration `yaml:"provision_delay"` // paid but not serving; default 10m
	Cooldown       Duration `yaml:"cooldown"`        // after a scaling action; default 5m
	// Tolerance: no scaling while metric/target is within this of 1, as the
	// Kubernetes HPA's --horizontal-pod-autoscaler-tolerance; default 0.1
	// (0: any deviation scales).
	Tolerance float64 `yaml:"tolerance"`
	// ScaleDownStabilization: a scale-down goes only to the largest count
	// recommended over this window, as the HPA's
	// behavior.scaleDown.stabilizationWindowSeconds; default 5m (0: the
	// latest recommendation alone).
	ScaleDownStabilization Duration `yaml:"scale_down_stabilization"`
}

// Workload classes.
const (
	ClassAPI   = "api"
	ClassAgent = "agent"
	ClassBatch = "batch"
)

// Workload is one traffic class.
type Workload struct {
	Name     string   `yaml:"name"`
	Class    string   `yaml:"class"`    // api | agent | batch
	Priority int      `yaml:"priority"` // lower is served first; default 0 (api, agent), 10 (batch)
	Arrivals Arrivals `yaml:"arrivals"`
	// PromptTokens is the prompt length of an api/batch request, or the user's
	// first message of an agent session (added to the system prompt).
	PromptTokens Dist `yaml:"prompt_tokens"`
	// OutputTokens is the generated length of a request or of each agent model call.
	OutputTokens Dist   `yaml:"output_tokens"`
	Price        Price  `yaml:"price"`
	SLO          SLO    `yaml:"slo"`
	Agent        *Agent `yaml:"agent,omitempty"` // required for class agent
}

// Arrivals is a workload's arrival process.
type Arrivals struct {
	// Process: poisson (exponential gaps), gamma (gaps with coefficient of
	// variation cv: bursts when cv > 1), trace (replay a trace's timestamps) or
	// burst (count requests arriving together at time at, e.g. a batch job drop
	// or a static-batch measurement) or closed (clients users, each sending its
	// next request, or starting its next agent session, think_time after the
	// previous one ended).
	Process string  `yaml:"process"`
	Rate    Rate    `yaml:"rate"` // mean arrival rate (poisson, gamma)
	CV      float64 `yaml:"cv,omitempty"`
	// Diurnal modulates the rate over the day: "flat" (default), "default" (a
	// typical consumer-traffic curve) or 24 hourly multipliers (normalised to mean 1).
	Diurnal Diurnal `yaml:"diurnal,omitempty"`
	// StartHour is the hour of day at simulated time 0 (for the diurnal curve); default 0.
	StartHour float64      `yaml:"start_hour,omitempty"`
	Trace     *TraceReplay `yaml:"trace,omitempty"`
	// Count is, for burst, the requests in the burst; for poisson and
	// gamma, the arrivals after which the process stops (0: it runs to the
	// horizon), as a benchmark sends a set number of prompts at a rate.
	Count int      `yaml:"count,omitempty"`
	At    Duration `yaml:"at,omitempty"` // burst: when it arrives; default 0s
	// Clients is the closed loop's population (closed).
	Clients int `yaml:"clients,omitempty"`
	// ThinkTime is what a client waits between the end of its request (or
	// session) and its next one (closed): a duration or a distribution of
	// durations; default 0s.
	ThinkTime Dist `yaml:"think_time,omitempty"`
	// Ramp spreads the clients' first requests (closed): client i of n joins
	// at i x ramp / n and sends after one think time. 0s (the default): all
	// join at time 0, as a benchmark tool starts them; a ramp of about one
	// request's lifetime starts them out of step, as clients whose requests
	// vary in length drift apart.
	Ramp Duration `yaml:"ramp,omitempty"`
}

// TraceReplay replays a request trace in the Azure LLM inference format
// (TIMESTAMP,ContextTokens,GeneratedTokens).
type TraceReplay struct {
	Path string `yaml:"path"`
	// TimeScale stretches the trace's clock (2 = half the rate); default 1.
	TimeScale float64 `yaml:"time_scale"`
	// RateScale multiplies the rate by replaying each request this many times
	// on average (fractional values thin or duplicate at random); default 1.
	RateScale float64 `yaml:"rate_scale"`
	// Lengths: "trace" uses the trace's token counts (default); "workload" draws
	// from prompt_tokens/output_tokens.
	Lengths string `yaml:"lengths"`
	Loop    bool   `yaml:"loop,omitempty"` // restart at the end until the horizon
}

// Diurnal is a 24-point hourly rate profile.
type Diurnal struct {
	Name   string    // flat, default, or "" for a custom profile
	Points []float64 // 24 multipliers with mean 1 (normalised in Resolve)
}

// defaultDiurnal is a consumer-traffic day (hour 0 = midnight local): a trough
// around 04:00 at ~35% of the mean and a peak in the evening at ~150%. It is an
// illustrative shape (labelled estimate), not a measured curve; give your own
// 24 points for real traffic.
// The points are normalised to mean 1 at start-up, so the scenario's rate stays
// the daily mean.
var defaultDiurnal = normalise([]float64{
	0.55, 0.45, 0.38, 0.35, 0.35, 0.40, 0.55, 0.75, 0.95, 1.10, 1.20, 1.25,
	1.30, 1.30, 1.25, 1.20, 1.20, 1.25, 1.35, 1.45, 1.50, 1.40, 1.10, 0.80,
})

func normalise(pts []float64) []float64 {
	sum := 0.0
	for _, p := range pts {
		sum += p
	}
	for i := range pts {
		pts[i] *= float64(len(pts)) / sum
	}
	return pts
}

// UnmarshalYAML accepts a name or a list of 24 numbers.
func (d *Diurnal) UnmarshalYAML(node ast.Node) error {
	if seq, ok := node.(*ast.SequenceNode); ok {
		d.Name = ""
		d.Points = d.Points[:0]
		for _, v := range seq.Values {
			x, secs, err := scalarNumber(v)
			if err != nil {
				return err
			}
			if secs {
				return errAt(v, "diurnal multipliers are plain numbers")
			}
			d.Points = append(d.Points, x)
		}
		return nil
	}
	switch name := strings.TrimSpace(scalarText(node)); name {
	case "flat", "default":
		d.Name = name
		return nil
	default:
		return errAt(node, "diurnal is flat, default or a list of 24 hourly multipliers, not %q", name)
	}
}

// MarshalYAML writes the name or the points.
func (d Diurnal) MarshalYAML() (any, error) {
	if d.Name != "" {
		return d.Name, nil
	}
	return d.Points, nil
}

// IsZero reports an unset profile.
func (d Diurnal) IsZero() bool { return d.Name == "" && len(d.Points) == 0 }

// Multiplier returns the rate multiplier at an hour of the day (piecewise
// linear between hourly points, so the rate has no jumps).
func (d Diurnal) Multiplier(hourOfDay float64) float64 {
	pts := d.Points
	if d.Name == "default" {
		pts = defaultDiurnal
	}
	if len(pts) != 24 {
		return 1
	}
	h := hourOfDay - 24*float64(int(hourOfDay/24))
	i := int(h)
	f := h - float64(i)
	return pts[i%24]*(1-f) + pts[(i+1)%24]*f
}

// Mean is the mean multiplier over the hours from to to (to > from, at
// most a day apart; either may lie outside [0, 24): the day wraps). The
// curve is linear within each hour, so each hour's share is a trapezoid
// and the mean is exact.
func (d Diurnal) Mean(from, to float64) float64 {
	if !(to > from) {
		return d.Multiplier(from)
	}
	shift := 24 * math.Floor(from/24)
	a, b := from-shift, to-shift // a in [0, 24)
	sum := 0.0
	for x := a; x < b; {
		next := math.Min(math.Floor(x)+1, b)
		sum += (d.Multiplier(x) + d.Multiplier(math.Mod(next, 24))) / 2 * (next - x)
		x = next
	}
	return sum / (b - a)
}

// Peak is the largest multiplier (for thinning arrivals).
func (d Diurnal) Peak() float64 {
	pts := d.Points
	if d.Name == "default" {
		pts = defaultDiurnal
	}
	peak := 1.0
	for _, p := range pts {
		if p > peak {
			peak = p
		}
	}
	return peak
}

// Price is what a workload pays per token (USD per million tokens).
type Price struct {
	InputPerMTok  float64 `yaml:"input_per_mtok"`
	OutputPerMTok float64 `yaml:"output_per_mtok"`
	// CachedInputPerMTok is the price of a prompt token the simulator
	// served from the prefix cache (a request's cached tokens). A pointer,
	// because 0 is a price (cached input given away) and absent is not: nil
	// bills cached tokens at InputPerMTok, no discount, as before the field
	// existed, so that no provider's discount is assumed.
	CachedInputPerMTok *float64 `yaml:"cached_input_per_mtok,omitempty"`
	// BatchDiscount is the fraction off for class batch (Bedrock batch: 0.5); default 0.5.
	BatchDiscount float64 `yaml:"batch_discount,omitempty"`
	// BillAbandoned is what an agent call bills when its user leaves after
	// its first token (a call whose session is abandoned while it streams):
	// "" or BillAbandonedNothing, nothing, or BillAbandonedStreamed, its
	// prompt and the output tokens generated until then at these prices.
	// No provider's billing rule for a cancelled stream is among aiecon's
	// sourced facts, so the default books only completed calls, the
	// reading that never counts revenue a provider may not charge (and
	// the numbers of builds before the field). Left out, not filled in, so
	// that a resolved scenario reads as before.
	BillAbandoned string `yaml:"bill_abandoned,omitempty"`
}

// What an abandoned agent call bills (Price.BillAbandoned).
const (
	BillAbandonedNothing  = "nothing"
	BillAbandonedStreamed = "streamed"
)

// BillsAbandoned says whether an abandoned call that had streamed bills
// what it had streamed (Price.BillAbandoned).
func (p Price) BillsAbandoned() bool { return p.BillAbandoned == BillAbandonedStreamed }

// CachedInput is the price of a cached prompt token (USD per million):
// the scenario's cached_input_per_mtok, or the input price where it gives
// none.
func (p Price) CachedInput() float64 {
	if p.CachedInputPerMTok == nil {
		return p.InputPerMTok
	}
	return *p.CachedInputPerMTok
}

// SLO is a per-request latency target; 0 means none. A request meets the SLO
// when its TTFT and its TPOT are both within target.
type SLO struct {
	TTFT Duration `yaml:"ttft"`
	TPOT Duration `yaml:"tpot"`
}

// Set reports whether the SLO sets a target: without one, SLO attainment
// is undefined (every request would meet it).
func (s SLO) Set() bool { return s.TTFT > 0 || s.TPOT > 0 }

// Agent describes an agent session: a chain of model calls and tool calls.
type Agent struct {
	SystemPromptTokens int  `yaml:"system_prompt_tokens"` // default 1000
	Steps              Dist `yaml:"steps"`                // model calls per session (>= 1); default poisson mean 4
	ToolLatency        Dist `yaml:"tool_latency"`         // duration of each tool call; default lognormal median 300ms p99 2s
	ToolResultTokens   Dist `yaml:"tool_result_tokens"`   // tokens a tool call adds to the context; default lognormal median 200 p99 2000
	// ToolCallTokens are the output tokens of a model call that calls a tool
	// (every call of a session but the last, whose answer the user reads).
	// Absent: the workload's output_tokens, for every call alike.
	ToolCallTokens Dist `yaml:"tool_call_tokens,omitempty"`
	// PrefixCacheHit, when set, overrides the modelled prefix cache for this
	// workload: that fraction of a model call's prior context counts as
	// cached whatever replica serves it. Default nil: the replicas' prefix
	// caches decide (sim/prefixcache.go).
	PrefixCacheHit *float64   `yaml:"prefix_cache_hit,omitempty"`
	Retrieval      *Retrieval `yaml:"retrieval,omitempty"`
	Patience       Dist       `yaml:"patience"` // how long a user waits (see PatienceOn); default lognormal median 8s p99 60s
	// PatienceOn is what the patience is compared with: PatienceTTFT (the
	// default), PatienceE2E or PatienceTurn.
	PatienceOn string `yaml:"patience_on"`
	Value      Value  `yaml:"value"`
}

// What an agent user's patience is compared with (Agent.PatienceOn).
const (
	// PatienceTTFT: the wait from the user's message to the first visible
	// token of the answer, tool-calling steps included.
	PatienceTTFT = "ttft"
	// PatienceE2E: the wait from the user's message to the answer's last token.
	PatienceE2E = "e2e"
	// PatienceTurn: each model call's whole duration on its own (tool calls
	// not counted), aiecon's behaviour before patience_on existed.
	PatienceTurn = "turn"
)

// Retrieval fetches licensed documents on some steps.
type Retrieval struct {
	Probability  float64 `yaml:"probability"`    // per step; default 1
	DocsPerStep  int     `yaml:"docs_per_step"`  // default 3
	TokensPerDoc int     `yaml:"tokens_per_doc"` // added to the context; default 400
	FeePerDoc    float64 `yaml:"fee_per_doc"`    // USD per document fetched
	RevenueShare float64 `yaml:"revenue_share"`  // fraction of the session's revenue paid to licensors
}

// Value is what a completed session earns.
type Value struct {
	Fee        float64 `yaml:"fee"`         // USD per completed session
	Conversion float64 `yaml:"conversion"`  // probability a completed session leads to an order
	OrderValue float64 `yaml:"order_value"` // USD
	TakeRate   float64 `yaml:"take_rate"`   // fraction of the order value earned
	// Incremental is the share of those orders the assistant caused, which
	// the commerce line credits (0 to 1). Unset, every order of a converted
	// session is credited: commerce is then gross, and run says so.
	Incremental *float64 `yaml:"incremental,omitempty"`
	// LatencySensitive applies the ads latency curve to conversion too; default true when ads are set.
	LatencySensitive *bool `yaml:"latency_sensitive,omitempty"`
}

// CommerceUSD is what one converted order earns the assistant: order value
// x take rate x the incremental share (all of it when unset).
func (v Value) CommerceUSD() float64 {
	incremental := 1.0 // x 1 is exact: unset, the take is order x rate to the bit
	if v.Incremental != nil {
		incremental = *v.Incremental
	}
	return econ.CommerceTakeUSD(v.OrderValue, v.TakeRate, incremental)
}

// GrossCommerce reports whether the session's commerce credits every order
// of a converted session (it earns commerce and value.incremental is unset).
func (v Value) GrossCommerce() bool {
	return v.Incremental == nil && v.Conversion > 0 && v.CommerceUSD() > 0
}

// Ads are conversational ads on agent turns.
type Ads struct {
	Workloads         []string       `yaml:"workloads,omitempty"` // agent workloads that show ads; default all agent workloads
	IntentProbability float64        `yaml:"intent_probability"`  // share of turns with commercial intent; default 0.35
	Slots             int            `yaml:"slots"`               // sponsored slots per auction; default 2
	Bidders           int            `yaml:"bidders"`             // advertisers per auction; default 8
	Bid               Dist           `yaml:"bid"`                 // USD per click, scaled to PaidCPC (cpm: bid per mille, BidPerClickFactor); default lognormal median 0.9 p99 4
	Relevance         Dist           `yaml:"relevance"`           // quality score per bidder, multiplies CTR; default fixed 1
	Reserve           float64        `yaml:"reserve"`             // USD in the pricing's unit (per click, or per mille under cpm); default 0.2
	Pricing           string         `yaml:"pricing"`             // cpc | cpm; default cpc
	CTR               float64        `yaml:"ctr"`                 // base click-through of the top slot; default 0.004
	PositionDecay     float64        `yaml:"position_decay"`      // CTR multiplier per position down; default 0.7
	LatencyPenalty    LatencyPenalty `yaml:"latency_penalty"`
	// AbandonPerAd shortens the user's patience by this fraction per ad shown
	// so far in the session (ad load raises abandonment); default 0. A
	// session holds one answer, whose ads show as it ends, so no ad is on
	// screen while the user waits: it has no effect (run warns).
	AbandonPerAd float64 `yaml:"abandon_per_ad"`
	// PaidCPC is the average price per click that the bids are scaled to
	// reproduce under generalized second price (the bid distribution keeps its
	// shape; its scale is solved numerically at start-up). Under cpm the same
	// per-click bids are solved for, as if the slots were sold per click, and
	// then bid per mille (BidPerClickFactor), so switching the pricing keeps
	// what a click is worth to the advertisers. Default 0.98, the median
	// Sponsored Products CPC of 2024/25
	// (atom11.co benchmarks; site only, no page URL found); 0 uses the bids
	// as written, in the pricing's unit (per click, or per mille).
	PaidCPC float64 `yaml:"paid_cpc"`
	// DroppedPaidCPC is why resolving dropped the default PaidCPC to 0 (a
	// target no bid scale reaches: below the reserve, or above it with one
	// bidder), the message a paid_cpc given there is refused with; "" where
	// it did not. run warns with it. It is not part of the YAML.
	DroppedPaidCPC string `yaml:"-"`
}

// BidPerClickFactor turns an advertiser's bid per click into its bid in the
// pricing's unit: 1 under cpc; CTR x 1000 under cpm, what a thousand
// impressions of the top slot are worth at that price per click (the
// impression's expected clicks times the click's price, before relevance,
// latency and freshness). The reserve is in the pricing's unit, so
// Reserve / BidPerClickFactor is its price per click.
func (a *Ads) BidPerClickFactor() float64 {
	if a.Pricing == "cpm" {
		return a.CTR * 1000
	}
	return 1
}

// LatencyPenalty is the curve that multiplies click-through and conversion:
// 1 up to Threshold, then minus LossPer100ms for every 100 ms beyond, never
// below Floor.
type LatencyPenalty struct {
	Threshold    Duration `yaml:"threshold"`      // default 300ms (DefaultLatencyThreshold)
	LossPer100ms float64  `yaml:"loss_per_100ms"` // default 0.01
	Floor        float64  `yaml:"floor"`          // default 0.2
}

// Training is a periodic retrain of the served model.
type Training struct {
	Every  Duration `yaml:"every"`  // retrain period; default 7d
	Params float64  `yaml:"params"` // model parameters (all of them: the training state holds every weight); default the served model's
	// ActiveParams is the parameters each token passes through, which set the
	// compute (6 x active x tokens): a mixture of experts routes a token
	// through its top-k experts only. Default the served model's active
	// count, or params x the served model's active share when params is given.
	ActiveParams float64 `yaml:"active_params,omitempty"`
	Tokens       float64 `yaml:"tokens"` // training tokens per retrain
	MFU          float64 `yaml:"mfu"`    // model FLOPs utilisation; default 0.3 (trn1 measured 15-33%)
	// Where: dedicated (its own cluster) or fleet-idle (preemptible background
	// work on the serving fleet's idle capacity, topped up on the dedicated
	// cluster if the idle capacity does not finish it within the period).
	Where           string   `yaml:"where"`
	Instance        string   `yaml:"instance"`                     // dedicated cluster instance type; default trn1.32xlarge
	Instances       int      `yaml:"instances"`                    // dedicated cluster size; default 16
	PriceUSDPerHour *float64 `yaml:"price_usd_per_hour,omitempty"` // overrides the catalog price of a training instance; nil: the catalog's price under Pricing, 0: free
	// Pricing is how the dedicated cluster is paid: on-demand (unset) bills
	// each retrain's hours at the on-demand price; reserved is a committed
	// cluster, at the catalog's reserved (RI-effective) rate unless
	// PriceUSDPerHour gives one, paid for every hour of the cadence whether
	// it trains or not: instances x price x every a retrain. A committed
	// rate billed for the training hours alone understated a cluster busy
	// 24% of the week 4.2x (retrain-weekly: $5,284 for $22,034 a week).
	Pricing string `yaml:"pricing,omitempty"`
	// Freshness: click-through and conversion decay with days since the last
	// retrain, halving every HalfLife down to Floor.
	HalfLife   Duration `yaml:"half_life"`    // default 30d
	Floor      float64  `yaml:"floor"`        // default 0.8
	AgeAtStart Duration `yaml:"age_at_start"` // time since the last cadence point at simulated time 0; default half the period
	// Fleet-idle lending: every Interval, if the serving replicas' demand
	// (running plus waiting requests over their batch slots) is below
	// LendBelow, no request waits and the others can take a replica's load
	// (a whole replica's worth of the interval idle where a prefill stops
	// the batch; demand and KV blocks in use still below LendBelow spread
	// over one replica fewer where a request joins the running batch),
	// traffic is consolidated and a replica is lent to training;
	// above ReclaimAbove, lent replicas come back. Switching either way takes
	// SwitchTime (unloading one role's weights, loading the other's), during
	// which the replica does neither; the job's own checkpoint and restart
	// are apart (below).
	LendBelow    float64  `yaml:"lend_below"`    // default 0.3
	ReclaimAbove float64  `yaml:"reclaim_above"` // default 0.6
	MinServing   int      `yaml:"min_serving"`   // replicas that never train; default 1
	Interval     Duration `yaml:"interval"`      // default 1m
	SwitchTime   Duration `yaml:"switch_time"`   // default 30s (estimate)
	// Quota (fleet-idle) is the retrain work this run owes the fleet, in
	// multiples of its pro-rata share of a retrain (horizon / every): the
	// lender lends only until the job has trained that much, and the
	// shortfall is billed on the dedicated cluster. Unset, the run trains
	// every retrain due until it finishes and owes its pro-rata share. A
	// forecast sets it per slice, so that a short run standing for hours of
	// the day does not lend at every hour (0 lends nothing; docs/forecast.md).
	Quota *float64 `yaml:"quota,omitempty"`
	// The job's state and how it survives losing its gang: the lent replicas
	// (or the dedicated cluster) must hold its state and activations
	// (llm.TrainingMemory), and a reclaim costs a checkpoint write and a
	// restart (docs/model.md, Training).
	Kind             string   `yaml:"kind"`               // full | lora; default full
	LoRARank         int      `yaml:"lora_rank"`          // adapter rank for kind lora; default 16
	MicroBatchTokens int      `yaml:"micro_batch_tokens"` // tokens in flight per replica (activations); default 4096
	StorageGBPerS    float64  `yaml:"storage_gb_per_s"`   // checkpoint write and read bandwidth, GB/s; default 10 (estimate)
	CheckpointEvery  Duration `yaml:"checkpoint_every"`   // periodic checkpoint while training; default 1h (estimate)
	RestartWarmup    Duration `yaml:"restart_warmup"`     // after loading a checkpoint, before progress; default 5m (estimate)
}

// HardwareOverrides replace calibrated or catalogued performance constants:
// the step family's fitted constants (docs/calibration.md) one by one, and
// the GEMM efficiency. A zero (absent) field keeps the default.
type HardwareOverrides struct {
	PrefillS    float64 `yaml:"prefill_s,omitempty"`    // fixed cost of a prompt-encoding iteration, s
	LayerS      float64 `yaml:"layer_s,omitempty"`      // fixed cost per layer per iteration, s
	CollectiveS float64 `yaml:"collective_s,omitempty"` // latency per all-reduce, s
	HBMFrac     float64 `yaml:"hbm_frac,omitempty"`     // achieved HBM bandwidth fraction on weights
	KVFrac      float64 `yaml:"kv_frac,omitempty"`      // achieved HBM bandwidth fraction on KV reads
	GEMMScale   float64 `yaml:"gemm_scale,omitempty"`   // factor on the calibrated GEMM efficiency
	AttnScale   float64 `yaml:"attn_scale,omitempty"`   // factor on it for the attention core
	LinkFrac    float64 `yaml:"link_frac,omitempty"`    // achieved fraction of the link bandwidth in all-reduces
	// KVGroupExp is how often decode attention re-reads a KV head shared by
	// g query heads (g^e times); a pointer because 0 (read once) is a value.
	KVGroupExp *float64 `yaml:"kv_group_exp,omitempty"`
	Efficiency float64  `yaml:"gemm_efficiency,omitempty"` // a constant GEMM efficiency instead of the calibrated profile
	// Calibration is the calibration profile file that prices the run
	// (relative to the scenario's folder); empty means the built-in profile.
	Calibration string `yaml:"calibration,omitempty"`
}

// ConstantsSet counts the step family's fitted constants the scenario
// overrides (ConstantNamesSet) out of the nine there are.
func (h HardwareOverrides) ConstantsSet() (n, of int) { return len(h.ConstantNamesSet()), 9 }

// ConstantNamesSet names the step family's fitted constants the scenario
// overrides, by their YAML keys (a zero field keeps the fitted value;
// kv_group_exp is set when present), for the notes that would otherwise
// call a constant the run prices with its family's or another's.
func (h HardwareOverrides) ConstantNamesSet() []string {
	var out []string
	for _, c := range []struct {
		name string
		v    float64
	}{
		{"prefill_s", h.PrefillS}, {"layer_s", h.LayerS}, {"collective_s", h.CollectiveS}, {"hbm_frac", h.HBMFrac},
		{"kv_frac", h.KVFrac}, {"gemm_scale", h.GEMMScale}, {"attn_scale", h.AttnScale}, {"link_frac", h.LinkFrac},
	} {
		if c.v > 0 {
			out = append(out, c.name)
		}
	}
	if h.KVGroupExp != nil {
		out = append(out, "kv_group_exp")
	}
	return out
}

// IsZero reports no overrides.
func (h HardwareOverrides) IsZero() bool { return h == HardwareOverrides{} }

// Output controls what a run records.
type Output struct {
	// RequestSampleRate is the fraction of requests stored as rows (KPIs always
	// use every request); default 1.
	RequestSampleRate float64 `yaml:"request_sample_rate"`
}

// AgentWorkloads returns the indexes of agent workloads.
func (s *Scenario) AgentWorkloads() []int {
	var out []int
	for i, w := range s.Workloads {
		if w.Class == ClassAgent {
			out = append(out, i)
		}
	}
	return out
}

// WorkloadIndex finds a workload by name.
func (s *Scenario) WorkloadIndex(name string) (int, error) {
	for i, w := range s.Workloads {
		if w.Name == name {
			return i, nil
		}
	}
	return -1, fmt.Errorf("no workload named %q", name)
}

// ReservedTerm says which reservation term the reserved rate stands for,
// and why no other can be chosen: the catalog's reserved rates are the
// Neuron SDK's RI-effective rates, which state no term and, at 38-43% of
// on-demand, fit 3-year Reserved Instances; the only public 1-year rates
// found (p4d on AWS's 2021-22 page, 41% off; p5 in 2023, before the June
// 2025 GPU price cut) predate today's on-demand prices, so aiecon has no
// 1-year rate to offer and does not invent one. A forecast holds a
// reservation for this term (study/forecast, reservedTermYears), or for
// 1 year at a quote of the plan's own (procurement.term_years).
const ReservedTerm = "the reserved rate is a 3-year commitment: the catalog's reserved rates are the Neuron SDK's RI-effective rates " +
	"(inf2, trn1), which state no term and fit 3-year Reserved Instances, no 1-year reserved or Savings Plans rate at today's prices " +
	"is public for any instance (those found, p4d 2021-22 and p5 2023, predate the June 2025 price cut), and a forecast holds a " +
	"reservation 3 years; for a 1-year or other quote of your own, set price_usd_per_hour (a forecast holds it 1 year where its " +
	"variant's procurement.term_years is 1)"

// reservedTermWhy is ReservedTerm, set apart, after an error about the
// reserved price; "" for any other pricing.
func reservedTermWhy(pricing string) string {
	if pricing != "reserved" {
		return ""
	}
	return " (" + ReservedTerm + ")"
}
