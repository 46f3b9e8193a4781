package model

import (
	"fmt"
	"reflect"
	"strings"
)

// Defaults come in two kinds, and each is stated once, here.
//
// Most fields have no meaningful zero (a count, a TP degree, a horizon, a
// time scale): zero means "not given", the defaults pass below replaces it,
// and a zero written in the YAML is an error (checkExplicitZeros), since
// silently replacing it hid mistakes.
//
// A few fields have a meaningful zero and a non-zero default (a prefix-cache
// hit rate of 0 is a real setting, and 0.9 the default). Their defaults are
// in the structs' constructors (NewAgent, NewRetrieval, NewAds, NewTraining,
// NewWorkload); a field the YAML leaves out gets its constructor's value
// when the file is read (fillAbsent), as if decoding started from it. A scenario built in Go starts
// from the same constructors and so resolves as its YAML does. Resolve never
// asks whether a field appeared in the file.

// Defaults of fields whose zero is meaningful.
const (
	DefaultPrefixCacheHit       = 0.9
	DefaultRetrievalProbability = 1.0
	DefaultIntentProbability    = 0.35
	DefaultReserveUSD           = 0.2
	DefaultLossPer100ms         = 0.01
	DefaultLatencyFloor         = 0.2
	DefaultFreshnessFloor       = 0.8
	DefaultSwitchTime           = 30 * Second
	DefaultBatchPriority        = 10
	defaultPriorityByClass      = -1 // NewWorkload: 0, or DefaultBatchPriority for class batch
	// AgeAtStartHalfPeriod is NewTraining's age at start: half of
	// training.every, resolved once the period is known.
	AgeAtStartHalfPeriod = Duration(-1)
)

// NewWorkload is a workload with the defaults of the fields whose zero is
// meaningful: priority 0, or 10 for class batch (resolved once the class is
// known).
func NewWorkload() Workload { return Workload{Priority: defaultPriorityByClass} }

// NewAgent is an agent with the defaults of the fields whose zero is meaningful.
func NewAgent() Agent { return Agent{PrefixCacheHit: DefaultPrefixCacheHit} }

// NewRetrieval is a retrieval with the defaults of the fields whose zero is meaningful.
func NewRetrieval() Retrieval { return Retrieval{Probability: DefaultRetrievalProbability} }

// NewAds is an ads section with the defaults of the fields whose zero is meaningful.
func NewAds() Ads {
	return Ads{IntentProbability: DefaultIntentProbability, Reserve: DefaultReserveUSD,
		LatencyPenalty: NewLatencyPenalty()}
}

// NewLatencyPenalty is the latency curve with the defaults of the fields whose zero is meaningful.
func NewLatencyPenalty() LatencyPenalty {
	return LatencyPenalty{LossPer100ms: DefaultLossPer100ms, Floor: DefaultLatencyFloor}
}

// NewTraining is a training section with the defaults of the fields whose
// zero is meaningful; the age at start is half the period, whatever the
// period turns out to be.
func NewTraining() Training {
	return Training{Floor: DefaultFreshnessFloor, AgeAtStart: AgeAtStartHalfPeriod, SwitchTime: DefaultSwitchTime}
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
}

// fillAbsent gives each decoded struct that has a constructor the
// constructor's value for every field the YAML leaves out, as if decoding
// had started from the constructor. (Decoding each struct on its own from
// its constructor would lose YAML anchors defined elsewhere in the file.)
func fillAbsent(v reflect.Value, path string, src *Source) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			fillAbsent(v.Elem(), path, src)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Struct {
			for i := 0; i < v.Len(); i++ {
				fillAbsent(v.Index(i), fmt.Sprintf("%s[%d]", path, i), src)
			}
		}
	case reflect.Struct:
		def, hasDef := constructors[v.Type()]
		for i := 0; i < v.NumField(); i++ {
			sf := v.Type().Field(i)
			name := strings.Split(sf.Tag.Get("yaml"), ",")[0]
			if !sf.IsExported() || name == "" || name == "-" {
				continue
			}
			p := joinPath(path, name)
			if hasDef && !def.Field(i).IsZero() && src.node(p) == nil {
				v.Field(i).Set(def.Field(i))
			}
			fillAbsent(v.Field(i), p, src)
		}
	}
}
