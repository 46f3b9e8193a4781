package sim

// Records leave the simulator through a Sink. Times are simulated nanoseconds
// since the start of the run; money is US dollars; the slices passed to a Sink
// are only valid during the call (the simulator reuses its buffers), so a sink
// that keeps them must copy.

// Sink receives everything a run produces, streamed in simulated-time order
// within each record kind. Calls come from one goroutine. An error stops the run.
type Sink interface {
	Begin(meta RunMeta) error
	Requests(batch []RequestRecord) error
	Sessions(batch []SessionRecord) error
	Auctions(batch []AuctionRecord) error
	Windows(batch []WindowRecord) error
	// End delivers the final KPIs and per-replica totals; it is called only when
	// the run finished (reached its horizon or drained), never after an error.
	End(summary Summary) error
}

// RunMeta describes the run before the first record.
type RunMeta struct {
	Scenario  string
	Seed      uint64
	HorizonNs int64
	WindowNs  int64
	// RequestSampleRate is the fraction of requests emitted as RequestRecords
	// (1 = all). KPIs are always computed over every request.
	RequestSampleRate float64
	Workloads         []WorkloadMeta
	Replicas          []ReplicaMeta
}

// WorkloadMeta names a workload; RequestRecord.Workload indexes RunMeta.Workloads.
type WorkloadMeta struct {
	Name  string
	Class string // api | agent | batch
}

// ReplicaMeta describes one model replica.
type ReplicaMeta struct {
	ID       int32
	Instance int32  // index of the instance that hosts it
	Type     string // instance type, e.g. trn2.48xlarge
	TP       int32
}

// RequestStatus is how a request ended.
type RequestStatus uint8

const (
	StatusCompleted  RequestStatus = iota // all output tokens generated
	StatusQueueFull                       // dropped: a full queue, or no replica of its pool up (on arrival, or when an interruption evacuated it)
	StatusTimedOut                        // waited longer than the queue timeout before admission
	StatusAbandoned                       // its agent session was abandoned while it ran or waited
	StatusUnfinished                      // still in the system at the horizon
)

var requestStatusNames = [...]string{"completed", "queue_full", "timed_out", "abandoned", "unfinished"}

func (s RequestStatus) String() string {
	if int(s) < len(requestStatusNames) {
		return requestStatusNames[s]
	}
	return "unknown"
}

// RequestStatusNames lists the status names in code order (for schemas and docs).
func RequestStatusNames() []string { return append([]string(nil), requestStatusNames[:]...) }

// RequestRecord is one LLM request (an API call, one model call of an agent step,
// or a batch job). Unset times are -1 (e.g. FirstTokenNs of a dropped request).
type RequestRecord struct {
	ID           int64
	Workload     int32
	Session      int64 // -1 when not part of an agent session
	Step         int32 // step index within the session, 0 otherwise
	Replica      int32 // -1 if never admitted to a replica
	Status       RequestStatus
	ArrivalNs    int64
	StartNs      int64 // first admitted into a running batch
	FirstTokenNs int64
	FinishNs     int64 // completion, drop or abandonment time; -1 if unfinished
	PromptTokens int32
	CachedTokens int32 // prompt tokens served from the prefix cache
	OutputTokens int32 // tokens generated (may be fewer than requested if not completed)
	Preemptions  int32
	RevenueUSD   float64 // token revenue billed for this request, its cached tokens at the cached input price (0 for unbilled or agent-fee-only)
}

// SessionStatus is how an agent session ended.
type SessionStatus uint8

const (
	// SessionCompleted: the session finished every turn.
	SessionCompleted  SessionStatus = iota
	SessionAbandoned                // its user left without an answer: the patience ran out, or the fleet failed a call (SessionRecord.Failed)
	SessionUnfinished               // still running at the horizon
)

var sessionStatusNames = [...]string{"completed", "abandoned", "unfinished"}

func (s SessionStatus) String() string {
	if int(s) < len(sessionStatusNames) {
		return sessionStatusNames[s]
	}
	return "unknown"
}

// SessionStatusNames lists the status names in code order.
func SessionStatusNames() []string { return append([]string(nil), sessionStatusNames[:]...) }

// SessionRecord is one agent session: a chain of model calls and tool calls.
type SessionRecord struct {
	ID             int64
	Workload       int32
	Status         SessionStatus
	Failed         bool // abandoned because the fleet dropped (queue full, no replica up) or timed out its model call, not by its user's patience
	StartNs        int64
	EndNs          int64 // -1 if unfinished (still running at the horizon)
	StepsPlanned   int32
	StepsDone      int32
	PromptTokens   int64 // summed over the session's model calls
	CachedTokens   int64
	OutputTokens   int64
	ContextTokens  int64 // context length of the last model call
	MaxTurnNs      int64 // slowest model-call turn the user waited for
	AdImpressions  int32
	AdClicks       int32
	Converted      bool
	FeeUSD         float64 // per-session fee earned (completed sessions)
	TokenUSD       float64 // per-token revenue of the session's model calls
	CommerceUSD    float64 // on conversion: order value x take rate x value.incremental (1 unset)
	AdUSD          float64 // ad revenue from this session's auctions
	LicensingUSD   float64 // content licensing cost of its retrievals
	CounterfactUSD float64 // what it would have earned on the same fleet without contention (counterfactual.go)
}

// AuctionRecord is one filled sponsored slot of a generalized second-price auction.
type AuctionRecord struct {
	Auction     int64
	Session     int64
	Step        int32
	AtNs        int64
	Slot        int32 // 0 = top position
	Bidders     int32
	BidUSD      float64 // winner's bid (per click for CPC, per mille for CPM)
	PriceUSD    float64 // GSP clearing price
	CTR         float64 // click probability after position, relevance, latency and freshness
	Clicked     bool
	RevenueUSD  float64
	LatencyMult float64 // latency penalty multiplier applied (1 = none)
}

// WindowRecord aggregates the fleet over one time window [StartNs, EndNs).
// Averages are time-weighted over the window.
type WindowRecord struct {
	StartNs, EndNs int64
	Arrivals       int64
	Completions    int64
	Dropped        int64 // queue-full plus timed-out
	Abandoned      int64 // sessions abandoned in the window
	InputTokens    int64 // prompt tokens of requests completed in the window
	OutputTokens   int64 // tokens generated during the window
	QueueDepthAvg  float64
	RunningAvg     float64 // sequences in running batches
	KVUtilAvg      float64 // fraction of KV-cache blocks in use, averaged over replicas
	BusyFrac       float64 // fraction of replica-time spent in iterations
	ReplicasUp     float64 // serving replicas (average)
	ReplicasPaid   float64 // replicas being paid for, including provisioning (average)
	TTFTP50S       float64 // over requests completed in the window; NaN when none
	TTFTP99S       float64
	TPOTP50S       float64
	TPOTP99S       float64
	E2EP99S        float64
	RevenueUSD     float64
	CostUSD        float64
	FLOPsFrac      float64 // compute occupancy: executed FLOPs at the peak of each op's dtype, over device time
	BandwidthFrac  float64 // HBM occupancy: the HBM bytes the step time charges at peak bandwidth, over device time
	TrainingFrac   float64 // fraction of fleet capacity given to background training
}

// KPI is one named result with its unit. Scope is a workload name, or "" for the run.
type KPI struct {
	Name  string
	Scope string
	Value float64
	Unit  string
}

// ReplicaRecord totals one replica over the run. Its JSON keys (run
// --json) are those of show --json, the store's replicas columns but for
// the id.
type ReplicaRecord struct {
	ID          int32 `json:"id"`
	Instance    int32 `json:"instance"`
	Iterations  int64 `json:"iterations"`
	BusyNs      int64 `json:"busy_ns"`
	UpNs        int64 `json:"up_ns"`
	PrefillTok  int64 `json:"prefill_tokens"`
	DecodeTok   int64 `json:"decode_tokens"`
	Preemptions int64 `json:"preemptions"`
	Completed   int64 `json:"completed"`
}

// Summary is delivered by Sink.End.
type Summary struct {
	KPIs []KPI
	// Latencies are the distributions the percentile KPIs were taken from,
	// per scope (LatencySketch), in the KPIs' order of scopes.
	Latencies []LatencySketch
	Replicas  []ReplicaRecord
	Events    int64 // events processed
	SimNs     int64 // simulated time reached
	// Lengths are each pool's call lengths (Result.Lengths). The store
	// keeps the main pool's, from which a stored run's report prices the
	// decode step run priced (runner's STEP TIMES THINLY FITTED).
	Lengths []PoolLengths
}
