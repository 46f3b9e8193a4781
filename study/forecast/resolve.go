package forecast

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/econ"
	"aiecon/model/format"
	"aiecon/runner"
	"aiecon/sim"
)

// MaxPeriods bounds a forecast's calendar (five years of quarters).
const MaxPeriods = 20

// MaxRuns bounds the runs of one forecast (variants x samples x periods x
// days x slices): 1,000 samples of 20 periods of 30 days of 24 slices ran
// out of memory listing its 14.4 million runs, each a few hundred ms.
const MaxRuns = 1_000_000

// Forecast is a validated forecast file, ready to plan runs from.
type Forecast struct {
	Spec *Spec
	Name string // file path or built-in name
	Text []byte // the forecast YAML as given
	// Base is the base scenario with the forecast's set applied.
	Base     *runner.Loaded
	baseName string
	baseSrc  []byte
	baseDir  string
	// decoded is baseSrc decoded once, as loadBase reads it, for every
	// load of it (decodedBase).
	decoded     *runner.SourceCheck
	PeriodHours float64
	PeriodYears float64
	Variants    []*VariantPlan
	// raw caches the base scenario decoded under each list of sets
	// (rawScenarios).
	raw map[string]*model.Scenario
	// entryNames name each entry of the file's sets at its line, as an
	// error its run causes names it (entryFrom); placed once, as the file
	// is read, since the runs load their scenarios concurrently.
	entryNames map[setEntry]string
}

// VariantPlan is a variant with its capacity resolved period by period.
type VariantPlan struct {
	Variant
	Owned *OwnedEconomics // nil for a rented fleet
	// Servers is the owned servers in service in each period; Cohorts the
	// period each batch entered service (1-based) and its size.
	Servers []int
	Cohorts []Order
	// Instance is the fleet's instance type in period 1.
	Instance string
	// BaseCount is the fleet count a rented fleet scales with demand: the
	// variant's fleet.count, else the base scenario's (checked in Parse).
	BaseCount int
	// IdleTraining marks the periods whose retrain trains on the variant's
	// idle serving replicas (training.where: fleet-idle; training.go).
	IdleTraining []bool
	// autoscaled marks the periods whose runs have an autoscaler
	// (resolveAutoscale).
	autoscaled []bool
	// at is where the file writes the variant (variants[1]).
	at string
	// demand is the variant's scenario in each period (resolveDemand),
	// and setDemand its scenario under its set alone, before any roadmap
	// step: what a step from period 1 changes (priceSets).
	demand    []*model.Scenario
	setDemand *model.Scenario
	// rentedRuns says why an owned fleet's runs pay the fleet's rental
	// price rather than its owned cost per server-hour ("" where they pay
	// the owned cost; ownedRunPrice).
	rentedRuns string
}

// Load reads a forecast file or built-in ("" = DefaultBuiltin) and
// validates it; problems are input errors naming the line and column.
// A name that is no built-in is read as a file when one is there, as run
// and sweep do: plan.txt and a named pipe were told "no such file".
func Load(arg string) (*Forecast, error) {
	if arg == "" {
		arg = DefaultBuiltin
	}
	if runner.IsFile(arg) {
		return loadFile(arg)
	}
	src, err := Builtin(arg)
	if err != nil {
		if _, serr := os.Stat(arg); serr == nil {
			return loadFile(arg)
		} else if !errors.Is(serr, fs.ErrNotExist) {
			return nil, &runner.InputError{Err: fmt.Errorf("%w; and the file %s cannot be read: %w", err, arg, serr)}
		}
		return nil, &runner.InputError{Err: fmt.Errorf("%w; and no such file", err)}
	}
	return Parse(arg, src, "")
}

// loadFile reads and validates the forecast file at path.
func loadFile(path string) (*Forecast, error) {
	src, err := model.ReadInputFile(path, "forecast file")
	if err != nil {
		return nil, &runner.InputError{Err: fmt.Errorf("forecast file %s: %w (built-in forecasts: %s)", path, err, strings.Join(BuiltinNames(), ", "))}
	}
	return parseAs(path, path, src, filepath.Dir(path))
}

// Parse validates forecast YAML; dir is where a relative base file resolves.
func Parse(name string, src []byte, dir string) (*Forecast, error) {
	file := name
	if !runner.IsFile(name) {
		file = "built-in forecast " + name
	}
	return parseAs(name, file, src, dir)
}

// parseAs is Parse with file, how errors name where the YAML came from.
func parseAs(name, file string, src []byte, dir string) (*Forecast, error) {
	spec, s, err := decode(file, src)
	if err != nil {
		return nil, &runner.InputError{Err: err}
	}
	f := &Forecast{Spec: spec, Name: name, Text: src}
	f.checkTop(s)
	if len(s.errs) == 0 {
		f.loadBase(s, dir)
	}
	if len(s.errs) == 0 {
		f.checkWorkloads(s)
		f.checkRoadmap(s, "roadmap", spec.Roadmap)
		f.checkLicensing(s)
		f.resolveVariants(s)
		f.checkMonteCarlo(s)
	}
	if len(s.errs) == 0 {
		f.checkSetValues(s)
	}
	if len(s.errs) == 0 {
		f.resolveDemand(s)
	}
	if len(s.errs) == 0 {
		f.checkContractSets(s)
	}
	if len(s.errs) == 0 {
		f.checkProvenanceTokens(s)
	}
	if len(s.errs) == 0 {
		f.resolveIdleTraining()
		f.resolveAutoscale()
		f.checkOverflow(s)
		f.checkTerm(s)
		f.checkPayment(s)
	}
	if len(s.errs) == 0 {
		if err := f.checkRuns(); err != nil {
			s.errf("day", "%v", err)
		}
	}
	if err := s.stopped(); err != nil {
		return nil, err
	}
	if len(s.errs) > 0 {
		return nil, &runner.InputError{Err: s.errs}
	}
	f.placeEntries(s)
	return f, nil
}

func (f *Forecast) checkTop(s *source) {
	sp := f.Spec
	if sp.Name == "" {
		s.errf("name", "missing: a forecast needs a name")
	} else if msg := model.BadLabel(sp.Name); msg != "" {
		s.errf("name", "%s", msg)
	}
	if msg := model.BadDescription(sp.Description); msg != "" {
		s.errf("description", "%s", msg)
	}
	sp.Description = model.VisibleText(sp.Description)
	if sp.Base == "" {
		s.errf("base", "missing: name the base scenario (a built-in such as baseline, or a file)")
	}
	if sp.Periods.Count < 1 || sp.Periods.Count > MaxPeriods {
		s.errf("periods.count", "%d: want 1..%d periods", sp.Periods.Count, MaxPeriods)
	}
	// Only an absent field takes its default: a zero (or "") written in the
	// file is a value, used or refused at its line ({slices: 0} ran 4
	// slices, {horizon: 0s} 20m, {days: 0} one day).
	if sp.Periods.Length == "" && !s.given("periods.length") {
		sp.Periods.Length = "quarter"
	}
	switch sp.Periods.Length {
	case "quarter", "month":
		// The hours a growth's span has (growthUnits), so that a growth
		// stated over the periods' own span compounds exactly once.
		f.PeriodHours = growthUnits[sp.Periods.Length]
		f.PeriodYears = f.PeriodHours / econ.HoursPerYear
	default:
		s.errf("periods.length", "%q: want month or quarter", sp.Periods.Length)
	}
	if sp.Seed == 0 {
		if s.given("seed") {
			s.errf("seed", "0: want a seed of at least 1 (leave the field out for the default, 1)")
		}
		sp.Seed = 1
	}
	d := &sp.Day
	if d.Days == 0 && !s.given("day.days") {
		d.Days = 1
	}
	if d.Slices == 0 && !s.given("day.slices") {
		d.Slices = 4
	}
	if d.Horizon == 0 && !s.given("day.horizon") {
		d.Horizon = 20 * model.Minute
	}
	if d.StartHour == nil && d.Slices >= 1 {
		mid := 12.0 / float64(d.Slices) // slices centred in their share of the day
		d.StartHour = &mid
	}
	switch {
	case d.Days < 1 || d.Days > 30:
		s.errf("day.days", "%d: want 1..30 representative days", d.Days)
	case d.Slices < 1 || d.Slices > 24:
		s.errf("day.slices", "%d: want 1..24 slices of the day", d.Slices)
	case d.Horizon < model.Second || d.Horizon.Seconds() > 86400/float64(d.Slices):
		s.errf("day.horizon", "%s: want at least 1s and at most 24h / slices", d.Horizon)
	case d.StartHour == nil: // no slices: refused above
	case math.IsNaN(*d.StartHour) || *d.StartHour < 0 || *d.StartHour >= 24:
		s.errf("day.start_hour", "%g: want an hour in [0, 24)", *d.StartHour)
	}
	if d.Days >= 1 && d.Slices >= 1 { // else their own errors say why
		if n := uint64(d.Days*d.Slices - 1); sp.Seed > math.MaxInt64-n {
			s.errf("seed", "%d: the slices' runs take seeds up to seed + days x slices - 1 (%d more), past 2^63-1 = %d; lower it",
				sp.Seed, n, int64(math.MaxInt64))
		}
	}
	if len(sp.Variants) == 0 {
		s.errf("variants", "missing: a forecast compares at least one fleet variant")
	}
	checkSliceFields(s, "set", sp.Set)
}

// sliceFields are the scenario fields every slice's run has set for it
// (sliceSets), with what controls them in a forecast instead: a value a
// set gives them would be replaced without a word.
var sliceFields = []struct{ path, why string }{
	{"horizon", "every slice runs day.horizon of simulated time; choose it with day: {horizon: ...}"},
	{"seed", "each slice's run is seeded from the forecast's top-level seed (seed + (sample x days + day) x slices + slice); set that seed (monte_carlo.seed for the draws)"},
	{"drain", "no slice drains: each stands for its share of the day, and a drained run's extra time would be counted into the period"},
}

// keyPos is the path of a set's key for source.position: a key holding a
// dot or a selector is quoted.
func keyPos(at, key string) string {
	if strings.ContainsAny(key, ".[]") {
		return at + ".'" + key + "'"
	}
	return at + "." + key
}

// checkSliceFields refuses, at its key, a set (written at at) of a field
// the forecast sets for every slice (sliceFields), or of a workload's
// arrivals.start_hour, the slice's place in the day.
func checkSliceFields(s *source, at string, set yaml.MapSlice) {
	for _, it := range set {
		key := strings.TrimSpace(fmt.Sprint(it.Key))
		for _, sf := range sliceFields {
			if key == sf.path {
				s.errfAt(keyPos(at, key), at+"."+key, "the forecast sets it per slice, whatever a set gives: %s", sf.why)
			}
		}
		if strings.HasPrefix(key, "workloads") && strings.HasSuffix(key, ".arrivals.start_hour") {
			s.errfAt(keyPos(at, key), at+"."+key, "the forecast sets it per slice, whatever a set gives: "+
				"each slice starts at its place in the day; move the slices with day.start_hour")
		}
	}
}

// loadBase reads the base scenario (relative to the forecast file) and
// applies the forecast's set.
func (f *Forecast) loadBase(s *source, dir string) {
	name, src, bdir, err := runner.ReadSourceAt(f.Spec.Base, dir)
	if err != nil {
		s.errf("base", "%v", err)
		return
	}
	f.baseName, f.baseSrc, f.baseDir = name, src, bdir
	// Decoded here, not on first use: a base read again is decoded again.
	f.decoded = runner.NewSourceCheck(name, src, bdir)
	base := f.decoded
	if !checkForecastSet(s, name, base, f.Spec.Set) {
		return
	}
	sets, err := setStrings(f.Spec.Set)
	if err != nil {
		s.errf("set", "%v", err)
		return
	}
	l, err := base.LoadSets(sets)
	if err != nil {
		s.errf("base", "base scenario %s: %v", f.Spec.Base, err)
		return
	}
	if len(l.Scenario.Variants) > 0 {
		s.errf("base", "base scenario %s defines variants; a forecast's variants are its own (name one scenario)", f.Spec.Base)
		return
	}
	f.Base = l
}

// setStrings turns a YAML mapping of paths into --set strings.
func setStrings(set yaml.MapSlice) ([]string, error) {
	v := model.Variant{Set: set}
	ovs, err := v.Overrides()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ovs))
	for i, o := range ovs {
		out[i] = o.String()
	}
	return out, nil
}

// workload returns the base scenario's workload by name.
func (f *Forecast) workload(name string) *model.Workload {
	for i := range f.Base.Scenario.Workloads {
		if w := &f.Base.Scenario.Workloads[i]; w.Name == name {
			return w
		}
	}
	return nil
}

func (f *Forecast) workloadNames() string {
	var names []string
	for _, w := range f.Base.Scenario.Workloads {
		names = append(names, w.Name)
	}
	return strings.Join(names, ", ")
}

// Bounds on a workload plan's numbers. They are far past any plan (a
// hundredfold growth every period; measured price elasticities of demand
// lie within a few units of 0), and keep NaN and infinities, which YAML
// spells .nan and .inf, from reaching the runs as rates nobody wrote.
const (
	maxGrowth     = 100
	maxElasticity = 20
	maxMultiplier = 1e6
)

func (f *Forecast) checkWorkloads(s *source) {
	n := f.Spec.Periods.Count
	// By name: a map's order is random, and errors come out in the order
	// they are found (the same file must give the same message every time).
	for _, name := range slices.Sorted(maps.Keys(f.Spec.Workloads)) {
		p := f.Spec.Workloads[name]
		at := "workloads." + name
		w := f.workload(name)
		switch {
		case w == nil:
			s.errf(at, "the base scenario has no workload %q (it has %s)", name, f.workloadNames())
			continue
		case w.Arrivals.Process != "poisson" && w.Arrivals.Process != "gamma":
			s.errf(at, "workload %s arrives by %s; demand growth scales a poisson or gamma rate", name, w.Arrivals.Process)
		}
		if msg := p.Growth.outOfRange(1, f.PeriodHours, f.Spec.Periods.Length); msg != "" {
			s.errf(at+".growth", "%s", msg)
		}
		if math.IsNaN(p.Elasticity) || math.Abs(p.Elasticity) > maxElasticity {
			s.errf(at+".elasticity", "%g: want a price elasticity from -%g to %g", p.Elasticity, float64(maxElasticity), float64(maxElasticity))
		}
		if len(p.Curve) > 0 {
			if p.Growth.Rate != 0 || s.given(at+".growth") {
				s.errf(at+".curve", "give growth or curve, not both")
			}
			if len(p.Curve) != n {
				s.errf(at+".curve", "%s for %s", format.Plural(len(p.Curve), "multiplier"), format.Plural(n, "period"))
			}
			for i, m := range p.Curve {
				if !(m > 0 && m <= maxMultiplier) {
					s.errf(fmt.Sprintf("%s.curve[%d]", at, i), "%g: demand multipliers must be > 0 and at most %g", m, float64(maxMultiplier))
				}
			}
		}
		for i, ps := range p.Prices {
			pat := fmt.Sprintf("%s.prices[%d]", at, i)
			if ps.From < 1 || ps.From > n {
				s.errf(pat+".from", "%d: want a period in 1..%d", ps.From, n)
			}
			if i > 0 && ps.From <= p.Prices[i-1].From {
				s.errf(pat+".from", "%d: price steps must be in period order", ps.From)
			}
			if !(ps.Multiplier > 0 && ps.Multiplier <= maxMultiplier) {
				s.errf(pat+".multiplier", "%g: a price multiplier must be > 0 and at most %g", ps.Multiplier, float64(maxMultiplier))
			}
		}
	}
}

func (f *Forecast) checkRoadmap(s *source, at string, steps []Step) {
	for i, st := range steps {
		sat := fmt.Sprintf("%s[%d]", at, i)
		if st.From < 1 || st.From > f.Spec.Periods.Count {
			s.errf(sat+".from", "%d: want a period in 1..%d", st.From, f.Spec.Periods.Count)
		}
		if len(st.Set) == 0 {
			s.errf(sat+".set", "missing: a roadmap step sets scenario paths from its period on")
		}
		if _, err := setStrings(st.Set); err != nil {
			s.errf(sat+".set", "%v", err)
		}
		checkSliceFields(s, sat+".set", st.Set)
		if hasKey(st.Set, "fleet.count") {
			s.errfAt(sat+".set.'fleet.count'", sat+".set.fleet.count", "a roadmap step cannot size the fleet: every slice's count is "+
				"its variant's (a rented fleet's base count, the variant's fleet.count, scaled by demand; an owned fleet's servers in service)")
		}
	}
}

// instanceOf is the fleet instance a variant starts with. A value that is
// no name (fleet.instance: {a: 1}) is kept as the file writes it, which
// the messages that name the instance repeat (inlineValue).
func (f *Forecast) instanceOf(v Variant) string {
	inst := f.Base.Scenario.Fleet.Instance
	for _, it := range v.Set {
		if fmt.Sprint(it.Key) != "fleet.instance" {
			continue
		}
		if name, ok := it.Value.(string); ok {
			inst = name
		} else {
			inst = inlineValue(it.Value)
		}
	}
	return inst
}

// rentPrice is what a variant's fleet pays per rented instance-hour: its
// fleet's price as a run of it pays it (sim.FleetPrice: the scenario's
// price, else the catalog's for fleet.pricing, spot net of its discount);
// 0 when the variant's scenario does not load or has no price.
func (f *Forecast) rentPrice(v Variant) float64 { return scenarioRent(f.variantScenario(v)) }

// scenarioRent is what a resolved scenario's fleet pays per instance-hour
// (rentPrice); 0 for a nil scenario or a fleet without a price.
func scenarioRent(sc *model.Scenario) float64 {
	usd, _ := scenarioRentOK(sc)
	return usd
}

// scenarioRentOK is scenarioRent, saying whether the fleet has a price:
// a price of 0 (fleet.price_usd_per_hour: 0, capacity already paid for)
// is one, which the 0 of a fleet without a price is not.
func scenarioRentOK(sc *model.Scenario) (float64, bool) {
	if sc == nil {
		return 0, false
	}
	return fleetRentOK(&sc.Fleet)
}

// fleetRentOK is what a fleet (the main one, or a model mix's pool) pays
// per instance-hour as a run of it pays it, saying whether it has a price
// (scenarioRentOK).
func fleetRentOK(fl *model.Fleet) (float64, bool) {
	inst, err := hw.InstanceByName(fl.Instance)
	if err != nil {
		return 0, false
	}
	usd, _, err := sim.FleetPrice(fl, inst)
	if err != nil {
		return 0, false
	}
	return usd, true
}

// variantScenario is a variant's resolved scenario in its first period
// (the base with the forecast's and the variant's sets; no roadmap), nil if
// it does not load.
func (f *Forecast) variantScenario(v Variant) *model.Scenario {
	sets, err := f.variantSets(v)
	if err != nil {
		return nil
	}
	return f.loadWith(sets)
}

// scenarioIn is a variant's resolved scenario in period k: the base with
// the forecast's and the variant's sets, the sets of its roadmap steps so
// far that keep allows, then extra; nil if it does not load.
func (f *Forecast) scenarioIn(vp *VariantPlan, k int, keep func(set string) bool, extra ...string) *model.Scenario {
	sets, err := f.variantSets(vp.Variant)
	if err != nil {
		return nil
	}
	for _, s := range f.stepSets(vp, k) {
		if keep(s) {
			sets = append(sets, s)
		}
	}
	return f.loadWith(append(sets, extra...))
}

// variantSets are the forecast's sets, then the variant's.
func (f *Forecast) variantSets(v Variant) ([]string, error) {
	sets, err := setStrings(f.Spec.Set)
	if err != nil {
		return nil, err
	}
	vs, err := setStrings(v.Set)
	return append(sets, vs...), err
}

// loadWith is the base scenario resolved under sets, as
// runner.LoadSource(f.baseName, f.baseSrc, f.baseDir, sets) resolves it,
// from the base decoded once; nil if it does not load.
func (f *Forecast) loadWith(sets []string) *model.Scenario {
	l, err := f.decodedBase().ResolveSets(sets)
	if err != nil {
		return nil
	}
	return l.Scenario
}

// checkRuns refuses a forecast of more than MaxRuns runs, with the product
// and what to lower.
func (f *Forecast) checkRuns() error {
	samples := 1
	if mc := f.Spec.MonteCarlo; mc != nil {
		samples = mc.Samples
	}
	n := len(f.Variants) * samples * f.Spec.Periods.Count * f.Spec.Day.Days * f.Spec.Day.Slices
	if n > MaxRuns {
		return fmt.Errorf("%s x %s x %s x %s x %s = %d runs, more than the %d a forecast may have; "+
			"lower monte_carlo.samples (--samples), day.days or day.slices",
			format.Plural(len(f.Variants), "variant"), format.Plural(samples, "sample"), format.Plural(f.Spec.Periods.Count, "period"),
			format.Plural(f.Spec.Day.Days, "day"), format.Plural(f.Spec.Day.Slices, "slice"), n, MaxRuns)
	}
	return nil
}
