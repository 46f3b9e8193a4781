package kpi

import (
	"fmt"
	"math"
	"strings"

	"aiecon/model/format"
)

// Direction says whether more of a KPI is better for the business (+1),
// worse (-1), or neither (0: a load, a size, a setting). It decides the
// green/red of deltas and the colour scale of heatmaps.
type Direction int

// Directions.
const (
	LowerBetter  Direction = -1
	Neutral      Direction = 0
	HigherBetter Direction = 1
)

// Def describes one KPI.
type Def struct {
	Name   string    // stored name, e.g. "margin_usd"
	Unit   string    // a format.Unit* constant
	Label  string    // human name, e.g. "margin"; unique in the catalog
	Short  string    // column header where space is tight; "" means Label
	Better Direction // which way is better
	// Caveat is what the name leaves out that a reader would take
	// otherwise, printed beside it where a table lists KPIs by name
	// (compare): gross_margin is "before training", which margin_usd
	// nets. "" for none.
	Caveat string
	// Signed is set for a KPI that can be negative although its unit
	// cannot say so: a margin, and the revenue and margin lost to latency,
	// each a difference of estimates. Bounds gives it none.
	Signed bool
}

// nonNegative are the units of quantities that cannot be below zero:
// durations, counts, rates and prices. USD is one of them for every KPI
// that is not Signed (a cost, a revenue).
var nonNegative = map[string]bool{
	format.UnitSeconds: true, format.UnitHours: true, format.UnitCount: true, format.UnitRequests: true,
	format.UnitPerSecond: true, format.UnitTokPerS: true, format.UnitTokens: true, format.UnitFLOP: true,
	format.UnitFactor: true, format.UnitUSD: true, format.UnitUSDPerHour: true, format.UnitUSDPerMTok: true,
	format.UnitUSDPerClick: true, format.UnitUSDPerMille: true, format.UnitUSDPerSession: true,
	format.UnitUSDPerRequest: true,
}

// Bounds are the values the KPI can take by its definition: [0, 1] for a
// fraction of a whole (a utilization, an SLO attainment, a rate), [0, +Inf)
// for a duration, a count, a rate, a price, a cost or a revenue, and no
// bounds for a Signed KPI or a unit not listed. A sweep clamps a
// confidence interval's ends to them (a busy time up to 1.03, a latency
// from -0.2s are no values the KPI can have).
func (d Def) Bounds() (lo, hi float64) {
	switch {
	case d.Signed:
	case d.Unit == format.UnitFraction:
		return 0, 1
	case nonNegative[d.Unit]:
		return 0, math.Inf(1)
	}
	return math.Inf(-1), math.Inf(1)
}

// Bounds are the bounds of a KPI by name (Def.Bounds); none for a name
// outside the catalog.
func Bounds(name string) (lo, hi float64) {
	d, ok := byName[name]
	if !ok {
		return math.Inf(-1), math.Inf(1)
	}
	return d.Bounds()
}

// Caveat is the caveat of a KPI by name; "" for none or a name outside
// the catalog.
func Caveat(name string) string { return byName[name].Caveat }

// ShortLabel is the label for a narrow column.
func (d Def) ShortLabel() string {
	if d.Short != "" {
		return d.Short
	}
	return d.Label
}

// Format prints a value of the KPI with its unit for a line of text; an SLO
// attainment against DefaultSLOTarget (format.PctAgainst), the share it is
// read against, so that 0.98992 prints 98.99%, not the 99.0% that read as
// met.
func (d Def) Format(v float64) string {
	if d.Name == SLOAttainment {
		return format.PctAgainst(v, DefaultSLOTarget)
	}
	return format.Unit(v, d.Unit)
}

var byName = func() map[string]Def {
	m := make(map[string]Def, len(catalog))
	for _, d := range catalog {
		if _, dup := m[d.Name]; dup {
			panic(fmt.Sprintf("kpi: %s is in the catalog twice", d.Name))
		}
		m[d.Name] = d
	}
	return m
}()

// Lookup returns the definition of a KPI by name.
func Lookup(name string) (Def, bool) {
	d, ok := byName[name]
	return d, ok
}

// Get returns the definition of a KPI the code names with a constant of
// this package; an unknown name is a programming error and panics.
func Get(name string) Def {
	d, ok := byName[name]
	if !ok {
		panic(fmt.Sprintf("kpi: %q is not in the catalog", name))
	}
	return d
}

// All returns every KPI of the catalog, in its order (by subject: traffic,
// latency, sessions and ads, fleet, training, cost, revenue).
func All() []Def { return append([]Def(nil), catalog...) }

// Label is the human name of a KPI; a name outside the catalog (a KPI of a
// newer or older aiecon) reads with spaces for underscores.
func Label(name string) string {
	if d, ok := byName[name]; ok {
		return d.Label
	}
	out := []byte(name)
	for i, c := range out {
		if c == '_' {
			out[i] = ' '
		}
	}
	return string(out)
}

// Better is the direction of a KPI; Neutral for a name outside the catalog,
// so an unknown KPI is never painted with a meaning it does not have.
func Better(name string) Direction { return byName[name].Better }

// modelScopePrefix starts the scope of a model pool's KPIs.
const modelScopePrefix = "model:"

// ModelScope is the scope of a model pool's KPIs in a model mix, e.g.
// "model:llama-3.1-8b" (workload KPIs are scoped by the workload's name; a
// scenario with pools refuses workload names that start with "model:").
func ModelScope(pool string) string { return modelScopePrefix + pool }

// ModelOf returns the pool a model scope names, and false for any other scope.
func ModelOf(scope string) (string, bool) {
	pool, ok := strings.CutPrefix(scope, modelScopePrefix)
	return pool, ok && pool != ""
}

// SaturatedOccupancy is the mean share of batch slots filled above which
// new requests wait for a slot most of the time (abandonment can keep such
// a queue bounded, so a growing-queue test alone would miss it): aiecon run
// warns OVERLOADED above it, and a forecast notes a period whose busiest
// slice ran above it in any sample (SLO AT RISK).
const SaturatedOccupancy = 0.95

// DefaultSLOTarget is the SLO attainment a workload with an SLO is held to
// where nothing else says: optimize's --slo-target default, and the share
// below which a forecast flags a period SLO AT RISK.
const DefaultSLOTarget = 0.99
