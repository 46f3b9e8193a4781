package model

import (
	"reflect"
	"strings"

	"aiecon/model/econ"
)

// Defaults come in two kinds, and each is stated once, here or in
// resolve_defaults.go.
//
// Most fields have no meaningful zero (a count, a TP degree, a horizon, a
// time scale): zero means "not given", the defaults pass (resolve_defaults.go)
// replaces it, and a zero written in the YAML is an error
// (checkExplicitZeros), since silently replacing it hid mistakes.
//
// Some fields have a meaningful zero and a non-zero default (a memory
// reserve of 0 is a real setting, 0.1 the default). Their defaults are in
// the structs' constructors below; a field the YAML leaves out gets its
// constructor's value when the file is read (fillAbsent), as if decoding
// started from it. A scenario built in Go starts from the same constructors
// and so resolves as its YAML does. Resolve never asks whether a field
// appeared in the file.

// Defaults of fields whose zero is meaningful.
const (
	DefaultRetrievalProbability = 1.0
	DefaultIntentProbability    = 0.35 // an assumption: no public source gives it for conversational ads
	DefaultReserveUSD           = 0.2  // an assumption: no public reserve price is at hand
	DefaultLossPer100ms         = 0.01
	DefaultLatencyFloor         = 0.2 // an assumption: no source gives a floor
	// DefaultLatencyThreshold is the first-response latency below which
	// users do not react: 300 ms, the "latency SLA" Amazon states for Rufus
	// (AWS Machine Learning blog, "How Rufus doubled their inference
	// speed", 2025), which the blog does not call a first-response figure
	// (Amazon's Prime Day 2024 post gives Rufus's first response as under
	// 1 s): econ.DefaultLatencyThresholdS.
	DefaultLatencyThreshold = Duration(econ.DefaultLatencyThresholdS * 1e9) // ns
	DefaultFreshnessFloor   = 0.8
	DefaultSwitchTime       = 30 * Second
	DefaultBatchPriority    = 10
	DefaultBatchDiscount    = econ.DefaultBatchDiscountFrac
	// DefaultPaidCPCUSD is the median Sponsored Products cost per click of
	// 2024/25 (atom11.co benchmarks; site only, no page URL found), the
	// price the ad bids are scaled to: econ.DefaultCPCUSD.
	DefaultPaidCPCUSD = econ.DefaultCPCUSD
	// DefaultRestartWarmup is a training job's start-up after its
	// checkpoint is loaded (process group, compiled graphs from the cache,
	// data loader): 5 minutes, an estimate.
	DefaultRestartWarmup = 5 * Minute
	// DefaultStorageGBPerS is the checkpoint bandwidth, 10 GB/s, an
	// estimate: an FSx for Lustre PERSISTENT_2 file system of 10 TiB at
	// 1,000 MB/s per TiB of provisioned throughput (Amazon FSx for Lustre
	// User Guide, "Amazon FSx for Lustre performance"), enough to hold a
	// few 70B checkpoints.
	DefaultStorageGBPerS = 10.0
	// AgeAtStartHalfPeriod is NewTraining's age at start: half of
	// training.every, resolved once the period is known.
	AgeAtStartHalfPeriod = Duration(-1)
)

// byClass marks a default that depends on the workload's class, resolved
// in the defaults pass once the class is known.
const byClass = -1

// NewWorkload is a workload with the defaults of the fields whose zero is
// meaningful: priority 0, or 10 for class batch, and a batch discount of 0,
// or 0.5 for class batch.
func NewWorkload() Workload { return Workload{Priority: byClass, Price: NewPrice()} }

// NewPrice is a price whose batch discount is 0, or 0.5 for class batch.
func NewPrice() Price { return Price{BatchDiscount: byClass} }

// NewSpot is spot capacity with its defaults.
func NewSpot() Spot {
	return Spot{Discount: spotFromCatalog, InterruptionsPerHour: 0.05, Recovery: 5 * Minute}
}

// spotFromCatalog marks a spot discount left to the catalog: the one its
// dated spot quote implies against the on-demand price (resolved in
// Resolve); where it has none the scenario must set one.
const spotFromCatalog = -1

// NewAutoscale is autoscaling with the defaults of the fields whose zero is meaningful.
func NewAutoscale() Autoscale {
	return Autoscale{ProvisionDelay: 10 * Minute, Cooldown: 5 * Minute, Tolerance: DefaultAutoscaleTolerance, ScaleDownStabilization: 5 * Minute}
}

// DefaultAutoscaleTolerance is the Kubernetes HPA's default tolerance
// (kube-controller-manager --horizontal-pod-autoscaler-tolerance).
const DefaultAutoscaleTolerance = 0.1

// NewReplica is a replica layout with the defaults of the fields whose zero is meaningful.
func NewReplica() Replica { return Replica{MemoryReserve: 0.1} }

// NewAgent is an agent with the defaults of the fields whose zero is meaningful.
func NewAgent() Agent { return Agent{SystemPromptTokens: 1000} }

// NewRetrieval is a retrieval with the defaults of the fields whose zero is meaningful.
func NewRetrieval() Retrieval {
	return Retrieval{Probability: DefaultRetrievalProbability, DocsPerStep: 3, TokensPerDoc: 400}
}

// NewAds is an ads section with the defaults of the fields whose zero is meaningful.
func NewAds() Ads {
	return Ads{IntentProbability: DefaultIntentProbability, Reserve: DefaultReserveUSD,
		PaidCPC: DefaultPaidCPCUSD, LatencyPenalty: NewLatencyPenalty()}
}

// NewLatencyPenalty is the latency curve with the defaults of the fields whose zero is meaningful.
func NewLatencyPenalty() LatencyPenalty {
	return LatencyPenalty{Threshold: DefaultLatencyThreshold, LossPer100ms: DefaultLossPer100ms, Floor: DefaultLatencyFloor}
}

// NewTraining is a training section with the defaults of the fields whose
// zero is meaningful; the age at start is half the period, whatever the
// period turns out to be.
func NewTraining() Training {
	return Training{Floor: DefaultFreshnessFloor, AgeAtStart: AgeAtStartHalfPeriod, SwitchTime: DefaultSwitchTime, RestartWarmup: DefaultRestartWarmup}
}

// constructors are the zero-is-meaningful defaults by struct type, for
// fillAbsent.
var constructors = map[reflect.Type]reflect.Value{
	reflect.TypeOf(Workload{}):       reflect.ValueOf(NewWorkload()),
	reflect.TypeOf(Agent{}):          reflect.ValueOf(NewAgent()),
	reflect.TypeOf(Retrieval{}):      reflect.ValueOf(NewRetrieval()),
	reflect.TypeOf(Ads{}):            reflect.ValueOf(NewAds()),
	reflect.TypeOf(LatencyPenalty{}): reflect.ValueOf(NewLatencyPenalty()),
	reflect.TypeOf(Training{}):       reflect.ValueOf(NewTraining()),
	reflect.TypeOf(Spot{}):           reflect.ValueOf(NewSpot()),
	reflect.TypeOf(Autoscale{}):      reflect.ValueOf(NewAutoscale()),
	reflect.TypeOf(Replica{}):        reflect.ValueOf(NewReplica()),
	reflect.TypeOf(Price{}):          reflect.ValueOf(NewPrice()),
}

// fillAbsent gives each decoded struct that has a constructor the
// constructor's value for every field the YAML leaves out, as if decoding
// had started from the constructor. (Decoding each struct on its own from
// its constructor would lose YAML anchors defined elsewhere in the file.)
func fillAbsent(sc *Scenario, src *Source) {
	walkFields(reflect.ValueOf(sc).Elem(), "", "", func(path, _ string, v reflect.Value) {
		if v.Kind() == reflect.Pointer && !v.IsNil() {
			v = v.Elem()
		}
		def, ok := constructors[v.Type()]
		if !ok || v.Kind() != reflect.Struct {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			name := strings.Split(v.Type().Field(i).Tag.Get("yaml"), ",")[0]
			if name != "" && name != "-" && !def.Field(i).IsZero() && !src.given(joinPath(path, name)) {
				v.Field(i).Set(def.Field(i))
			}
		}
	})
}
