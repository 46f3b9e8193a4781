package study

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/goccy/go-yaml"

	"aiecon/data"
	"aiecon/model"
	"aiecon/runner"
)

// Plan is a sweep expanded into points. It is built from the frozen
// specification alone, so the same bytes give the same points, parameters
// and seeds on every machine and at every resume.
type Plan struct {
	Spec *Spec
	// Frozen is the self-contained specification stored with the sweep.
	Frozen []byte
	// Seed is the seed of replication 0 (of Monte Carlo sample 0).
	Seed uint64
	// Groups is the number of grid rows; Samples the Monte Carlo draws per
	// row (1 without Monte Carlo). Point index = group x Samples + sample.
	Groups, Samples int
	Points          []Point
	// decoded is the base decoded once (Base.check), made on first use and
	// shared by the points, which the executor loads concurrently.
	decoded func() *runner.SourceCheck
}

// StoredNotes are the warnings for what a stored sweep's base keeps that
// a file may no longer give (model.StoredNotes: a description stored
// before its bound), which its points load with; nil for a sweep file's.
func (p *Plan) StoredNotes() []string {
	b := p.Spec.Base
	if !b.Stored {
		return nil
	}
	sc, _, err := model.Parse(b.Name, b.Source)
	if err != nil { // its points report it
		return nil
	}
	return model.StoredNotes(sc)
}

// base is the plan's base decoded once (decoded); decoded now for a plan
// built without it.
func (p *Plan) base() *runner.SourceCheck {
	if p.decoded == nil {
		return p.Spec.Base.check()
	}
	return p.decoded()
}

// Point is one scenario of the sweep (run Replications times).
type Point struct {
	Index  int
	Group  int // grid row
	Sample int // Monte Carlo draw (0 without Monte Carlo)
	Params []Param
}

// Param is one path's value at a point.
type Param struct {
	Path  string
	Value Value
}

// ParamsJSON is the point's parameters as a JSON object in parameter order.
func (pt Point) ParamsJSON() string {
	keys := make([]string, len(pt.Params))
	values := make([]any, len(pt.Params))
	for i, p := range pt.Params {
		keys[i], values[i] = p.Path, jsonValue(p.Value)
	}
	return runner.JSONObject(keys, values)
}

// RunParamsJSON is what a run of the point stores as its params_json:
// every override that shaped it, in the order applied, which is the
// precedence (a later one wins): the sweep's set (the file's, then each
// --set and a flag such as --horizon, as Spec.Set holds them after a later
// one replaced an earlier one of its path), then the point's parameters.
// The runs stored the point's parameters alone, as sweep_points does, so a
// sweep's set (a horizon, a pricing) was in no run's row and an analyst
// reading runs could not tell which overrides a run used. A set entry a
// parameter replaces (the same field, or one inside a block the point
// sets) is left out, as it shaped nothing; the sweep's checks refuse such
// pairs anyway. The seed, which the replication gives, is runs.seed, so
// that a point's replications share one params_json; sweep_points keeps
// the point's own parameters, which tell the points apart.
func (p *Plan) RunParamsJSON(pt Point) string {
	var keys []string
	var values []any
	for _, o := range p.Spec.Set {
		if slices.ContainsFunc(pt.Params, func(pr Param) bool { return fieldWithin(o.Path, pr.Path) }) {
			continue
		}
		keys = append(keys, o.Path)
		v, err := ValueOf(o.Value)
		if err != nil {
			values = append(values, o.Value) // the text as given: a set the loader took, whatever YAML makes of it
			continue
		}
		values = append(values, jsonValue(v))
	}
	for _, pr := range pt.Params {
		keys, values = append(keys, pr.Path), append(values, jsonValue(pr.Value))
	}
	return runner.JSONObject(keys, values)
}

// jsonValue is a value as params_json holds it: its JSON form, or its YAML
// text where that does not marshal.
func jsonValue(v Value) any {
	if _, err := json.Marshal(v.JSON); err != nil {
		return v.YAML
	}
	return v.JSON
}

// fieldWithin reports whether path is the field outer or one inside it
// (fleet.replica.tp within fleet.replica, workloads[chat].x within
// workloads[chat]).
func fieldWithin(path, outer string) bool {
	return path == outer || strings.HasPrefix(path, outer) && (path[len(outer)] == '.' || path[len(outer)] == '[')
}

// Describe is the point's parameters as path=value pairs.
func (pt Point) Describe() string {
	var parts []string
	for _, p := range pt.Params {
		parts = append(parts, p.Path+"="+p.Value.YAML)
	}
	if len(parts) == 0 {
		return "(the base scenario)"
	}
	return strings.Join(parts, " ")
}

// NewPlan freezes a parsed sweep file and expands it. It does not validate
// the points' scenarios (Validate does), save the first point's where the
// base with its set fails (checkFirstPoint).
func NewPlan(sp *Spec) (*Plan, error) {
	if n, reps := sp.gridSize(), max(sp.Replications, 1); n*reps > MaxRuns {
		return nil, &runner.InputError{Err: fmt.Errorf("sweep %s: %d points x %d replications = %d runs, more than the %d a sweep may have; "+
			"lower the replications or the values of the parameters", sp.Name, n, reps, n*reps, MaxRuns)}
	}
	seed, baseErr := sp.firstSeed()
	if baseErr != nil && len(sp.Parameters) == 0 && len(sp.Zip) == 0 && sp.MonteCarlo == nil {
		return nil, baseErr // no point gives anything the base lacks
	}
	p, err := sp.plan(seed)
	switch {
	case baseErr == nil && err != nil:
		return nil, err
	case baseErr == nil:
		return p, nil
	case err != nil || len(p.Points) == 0:
		return nil, baseErr // no first point to mend the base
	}
	// The plan is built once: checkFirstPoint reads its first point, and
	// a point that mends the base leaves it the sweep's.
	if err := sp.checkFirstPoint(p, baseErr); err != nil {
		return nil, err
	}
	return p, nil
}

// plan freezes the sweep with seed and expands it.
func (sp *Spec) plan(seed uint64) (*Plan, error) {
	frozen, err := sp.Freeze(seed)
	if err != nil {
		return nil, fmt.Errorf("sweep %s: %w", sp.Name, err)
	}
	p, err := expandFrozen(&reader{file: "sweep " + sp.Name, frozen: true}, frozen)
	if err != nil {
		return nil, err
	}
	p.Spec.origins = sp.origins // the file's lines, which the frozen text lacks
	return p, nil
}

// firstSeed is the seed of replication 0: the sweep's, else the base
// scenario's (with the sweep's set), and the base's error where the base
// with the set fails. The base with the set is checked first, so that its
// own errors are reported once, at their lines, not at every point. A set
// may leave a field for the points to give (set: {fleet.pricing: owned}
// with fleet.price_usd_per_hour a parameter, which was refused as a base
// with no price): where the base with the set fails, the seed is the one
// written (writtenSeed), NewPlan checks the first point instead, and
// Validate checks them all.
func (sp *Spec) firstSeed() (uint64, error) {
	b := sp.Base
	l, err := runner.LoadOverrides(b.Name, b.Source, b.Dir, sp.setOverrides())
	switch {
	case err != nil:
		return sp.writtenSeed(), sp.adviseSet(err)
	case sp.Seed != 0:
		return sp.Seed, nil
	}
	return l.Scenario.Seed, nil
}

// setOverrides are the sweep's set, each entry the sweep file gives named
// at its line (an error it causes is the file's, not a --set's).
func (sp *Spec) setOverrides() []model.Override {
	out := slices.Clone(sp.Set)
	for i, o := range out {
		if flag, ok := sp.origins["flag:"+o.Path]; ok { // --horizon 10m
			out[i].From = flag
		} else if at, ok := sp.origins["set:"+o.Path]; ok {
			out[i].From = at + ": " + o.SetEntry()
		}
	}
	return out
}

// adviseSet rewrites, in err's errors, the advice to --set a field (an
// owned fleet's price) where that cannot work: for a field the sweep
// varies, whose every point sets it after any --set (refused), as advice
// to change the values the sweep gives it (adviseVaried); for an error
// the sweep file's set causes, as advice to add the field to the sweep's
// set (or vary it): the set is the file's, and the file is where it is
// mended. Every check of the set's errors rewrites them, so that a point's
// error the base has too still reads alike (checkFirstPoint). The list is
// rewritten where err holds it.
func (sp *Spec) adviseSet(err error) error {
	var errs model.Errors
	if err == nil || !errors.As(err, &errs) {
		return err
	}
	set := map[string]bool{} // the From of each entry of the file's set
	for _, o := range sp.setOverrides() {
		if _, flag := sp.origins["flag:"+o.Path]; !flag && o.From != "" {
			set[o.From] = true
		}
	}
	var trees []any // the sweep's paths name list elements in these; read once, where needed
	for i, e := range errs {
		if _, _, _, ok := runner.SetAdvice(e); !ok {
			continue
		}
		if trees == nil {
			trees = sp.pathTrees()
		}
		if v, where, ok := sp.variedAt(sp.origins, e.Field, trees); ok {
			errs[i].Msg = adviseVaried(e, v, where)
		} else if set[e.File] {
			errs[i].Msg = runner.AdviseSet(e, "the sweep's set or its parameters")
		}
	}
	return err
}

// adviseVaried is e's message with its advice to --set its field, which
// the sweep varies as v (written where), given as advice to change the
// values the sweep gives it: a --set of a varied field is refused (each
// point sets it after the --set), and adding it to the sweep's set is
// too, so the advice could not be followed ("give it, e.g. --set
// fleet.price_usd_per_hour=N", the price listed as [null, 30]).
func adviseVaried(e model.FieldError, v variedPath, where string) string {
	before, value, rest, _ := runner.SetAdvice(e)
	how := "among the values the sweep lists for it"
	if v.section == "montecarlo.parameters" {
		how = "within the distribution the sweep draws it from"
	}
	advice := strings.TrimSpace(before + e.Field + ": " + value + " " + rest)
	return fmt.Sprintf("%s, %s (%s.%s%s), not with a --set, which each point overrides", advice, how, v.section, v.path, where)
}

// setStrings are the sweep's set as --set path=value strings.
func (sp *Spec) setStrings() []string {
	var sets []string
	for _, o := range sp.Set {
		sets = append(sets, o.String())
	}
	return sets
}

// writtenSeed is the seed the sweep or its base with the set writes, as a
// base that does not validate still gives it (the default 1 where none).
func (sp *Spec) writtenSeed() uint64 {
	if sp.Seed != 0 {
		return sp.Seed
	}
	b := sp.Base
	if merged, err := model.ApplyOverridesIn(b.Name, b.Source, sp.Set); err == nil {
		if sc, _, err := model.Parse(b.Name, merged); err == nil && sc.Seed != 0 {
			return sc.Seed
		}
	}
	return 1
}

// checkFirstPoint loads the first point of p, the sweep's plan, where the
// base with its set failed with baseErr. A point that loads mends the base
// (Validate checks the others). An error of the point's that the base has
// too, named alike, is the set's, reported as the base's are, the point's
// others beside them; a point failing with its own errors only is left to
// Validate, which reports every invalid point alike (point 0's was a line
// of its own, point 1's a line of Validate's list).
func (sp *Spec) checkFirstPoint(p *Plan, baseErr error) error {
	pt := p.Points[0]
	err := sp.adviseSet(p.base().CheckOverrides(p.overrides(pt, 0)))
	if err == nil {
		return nil
	}
	shared, own, ok := splitErrors(err, baseErr)
	switch {
	case !ok:
		return baseErr
	case len(shared) == 0:
		return nil
	case len(own) == 0:
		return &runner.InputError{Err: shared}
	}
	return &runner.InputError{Err: errors.Join(shared, fmt.Errorf("sweep %s: %w", sp.Name, pt.wrap(own)))}
}

// splitErrors divides got's errors into those base has too, each named as
// base names it (the set's), and the others (a price of 0 at the point,
// which owned pricing also calls required, names the point's --set, not
// the set's); ok is false where either is not a list of field errors.
func splitErrors(got, base error) (shared, own model.Errors, ok bool) {
	var g, b model.Errors
	if !errors.As(got, &g) || !errors.As(base, &b) {
		return nil, nil, false
	}
	for _, e := range g {
		if slices.Contains(b, e) {
			shared = append(shared, e)
		} else {
			own = append(own, e)
		}
	}
	return shared, own, true
}

// PlanFromFrozen expands a frozen specification as stored with a sweep,
// read as the build that stored it read it (reader.stored).
func PlanFromFrozen(name string, frozen []byte) (*Plan, error) {
	return expandFrozen(&reader{file: name, frozen: true, stored: true}, frozen)
}

// expandFrozen expands a frozen specification: one stored with a sweep, or
// a sweep file's, frozen just now (Spec.plan).
func expandFrozen(r *reader, frozen []byte) (*Plan, error) {
	sp, err := parseSpec(r, frozen, "", nil)
	if err != nil {
		return nil, &runner.InputError{Err: err}
	}
	p := &Plan{Spec: sp, Frozen: frozen, Seed: sp.Seed, Groups: 1, Samples: 1, decoded: sync.OnceValue(sp.Base.check)}
	if len(sp.Zip) > 0 {
		p.Groups = len(sp.Zip[0].Values)
	}
	for _, a := range sp.Parameters {
		p.Groups *= len(a.Values)
	}
	var draws [][]Value
	if mc := sp.MonteCarlo; mc != nil {
		p.Samples = mc.Samples
		mcSeed := mc.Seed
		if mcSeed == 0 {
			mcSeed = sp.Seed
		}
		if draws, err = mc.Draw(mcSeed); err != nil {
			return nil, &runner.InputError{Err: fmt.Errorf("%s: %w", r.file, err)}
		}
	}
	p.Points = make([]Point, 0, p.Groups*p.Samples)
	for g := 0; g < p.Groups; g++ {
		row := p.gridRow(g)
		for s := 0; s < p.Samples; s++ {
			pt := Point{Index: len(p.Points), Group: g, Sample: s, Params: row}
			if draws != nil {
				pt.Params = append(append([]Param(nil), row...), make([]Param, 0, len(draws[s]))...)
				for j, v := range draws[s] {
					pt.Params = append(pt.Params, Param{Path: sp.MonteCarlo.Params[j].Path, Value: v})
				}
			}
			p.Points = append(p.Points, pt)
		}
	}
	return p, nil
}

// gridRow decomposes a grid index: the zip row slowest, then the parameters
// in file order with the last fastest.
func (p *Plan) gridRow(g int) []Param {
	sp := p.Spec
	var out []Param
	stride := p.Groups
	if len(sp.Zip) > 0 {
		stride /= len(sp.Zip[0].Values)
		z := g / stride
		for _, a := range sp.Zip {
			out = append(out, Param{Path: a.Path, Value: a.Values[z]})
		}
		g %= stride
	}
	for _, a := range sp.Parameters {
		stride /= len(a.Values)
		out = append(out, Param{Path: a.Path, Value: a.Values[g/stride]})
		g %= stride
	}
	return out
}

// RunSeed is the seed of a point's replication: the same at every grid row
// (common random numbers), distinct for each replication and each Monte
// Carlo sample.
func (p *Plan) RunSeed(pt Point, rep int) uint64 {
	return p.Seed + uint64(pt.Sample*p.Spec.Replications+rep)
}

// Overrides are the --set equivalents of a point's replication: the
// sweep's set, the point's parameters, then the seed.
func (p *Plan) Overrides(pt Point, rep int) []string {
	var sets []string
	for _, o := range p.overrides(pt, rep) {
		sets = append(sets, o.String())
	}
	return sets
}

// overrides are Overrides as the scenario's loader takes them, each that
// the sweep gives (not a --set) saying so: a point's error named "--set
// fleet.count=-3", which nobody typed, for a value the sweep file lists.
func (p *Plan) overrides(pt Point, rep int) []model.Override {
	out := p.Spec.setOverrides()
	for _, pr := range pt.Params {
		from := fmt.Sprintf("parameter %s=%s", pr.Path, pr.Value.YAML)
		if at := p.Spec.origin(pr); at != "" {
			from = at + ": " + from
		}
		out = append(out, model.Override{Path: pr.Path, Value: pr.Value.YAML, From: from})
	}
	return append(out, model.Override{Path: "seed", Value: fmt.Sprint(p.RunSeed(pt, rep))})
}

// origin is where the sweep file writes a point's parameter: its value,
// else its path (a range's, a Monte Carlo draw's); "" where unknown.
func (sp *Spec) origin(pr Param) string {
	if at, ok := sp.origins["value:"+pr.Path+"="+pr.Value.YAML]; ok {
		return at
	}
	return sp.origins["param:"+pr.Path]
}

// Load resolves the scenario of a point's replication from the base
// decoded once for the plan (base), not again for each point.
func (p *Plan) Load(pt Point, rep int) (*runner.Loaded, error) {
	l, err := p.base().Load(p.overrides(pt, rep))
	if err != nil {
		return nil, pt.wrap(p.Spec.adviseSet(err))
	}
	return l, nil
}

// wrap names the point in an error of its scenario.
func (pt Point) wrap(err error) error {
	return fmt.Errorf("point %d (%s): %w", pt.Index, pt.Describe(), err)
}

// RunName names the stored run of a point's replication by what the point
// varies ("optimize-baseline: trn2.48xlarge tp32 x3"), so runs lists read
// without looking up the point; the replication follows when there are several.
func (p *Plan) RunName(pt Point, rep int) string {
	name := fmt.Sprintf("%s: %s", p.Spec.Name, pt.Label())
	if p.Spec.Replications > 1 {
		name += fmt.Sprintf(" r%d", rep)
	}
	return name
}

// shortParam names the fleet parameters the way a reader says them.
var shortParam = map[string]func(string) string{
	"fleet.instance":             func(v string) string { return v },
	"fleet.replica.tp":           func(v string) string { return "tp" + v },
	"fleet.count":                func(v string) string { return "x" + v },
	"fleet.replica.max_num_seqs": func(v string) string { return "seqs" + v },
	"fleet.replica.scheduler":    func(v string) string { return v },
	"fleet.replica.per_instance": func(v string) string {
		if v == "0" {
			return "" // the default: as many as fit
		}
		return v + "/instance"
	},
}

// Label is the point's parameters, short: fleet fields as "trn2.48xlarge
// tp32 x3", others as path=value; "p<index>" when it has none.
func (pt Point) Label() string {
	var parts []string
	for _, p := range pt.Params {
		if p.Value.Blank() {
			continue // a field reset to its default says nothing about the point
		}
		if f, ok := shortParam[p.Path]; ok {
			if short := f(p.Value.YAML); short != "" {
				parts = append(parts, short)
			}
			continue
		}
		parts = append(parts, p.Path+"="+p.Value.YAML)
	}
	if len(parts) == 0 {
		return fmt.Sprintf("p%d", pt.Index)
	}
	return strings.Join(parts, " ")
}

// DerivedID is the sweep id every shard of this plan agrees on.
func (p *Plan) DerivedID() string { return data.DerivedID(p.Frozen) }

// SweepInfo is what the store registers for the plan.
func (p *Plan) SweepInfo() data.SweepInfo {
	pts := make([]string, len(p.Points))
	for i, pt := range p.Points {
		pts[i] = pt.ParamsJSON()
	}
	return data.SweepInfo{Name: p.Spec.Name, Description: p.Spec.Description, SpecYAML: string(p.Frozen),
		Replications: p.Spec.Replications, Points: pts}
}

// maxReported bounds the invalid points an error lists.
const maxReported = 5

// Validate resolves every point's scenario (replication 0: the seed cannot
// make a scenario invalid), on all CPUs, and reports the first invalid ones
// (by point index) as an input error. Nothing should run before it passes.
// It stops when ctx is cancelled: a million points take minutes, and Ctrl-C
// or SIGTERM went unheard until they were done. progress, when not nil, is
// called with the count of points checked so far, one call at a time and
// never with a count below one it was given.
func (p *Plan) Validate(ctx context.Context, progress func(done int)) error {
	if err := p.checkSeeds(); err != nil {
		return err
	}
	errs := make([]error, len(p.Points))
	var done atomic.Int64
	var mu sync.Mutex
	shown := 0
	check := p.base() // the base decoded once, not per point
	Each(ctx, len(p.Points), runtime.GOMAXPROCS(0), func(i int) {
		if err := check.CheckOverrides(p.overrides(p.Points[i], 0)); err != nil {
			errs[i] = p.Points[i].wrap(p.Spec.adviseSet(err))
		}
		n := int(done.Add(1))
		if progress == nil {
			return
		}
		mu.Lock() // one call at a time, never a count below one already shown
		if n > shown {
			shown = n
			progress(n)
		}
		mu.Unlock()
	})
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("validating sweep %s: %w", p.Spec.Name, err)
	}
	var bad []string
	n := 0
	for _, err := range errs {
		if err != nil {
			n++
			if len(bad) < maxReported {
				bad = append(bad, err.Error())
			}
		}
	}
	if n == 0 {
		return nil
	}
	msg := strings.Join(bad, "\n")
	if n > len(bad) {
		msg += fmt.Sprintf("\n... and %d more invalid points", n-len(bad))
	}
	return &runner.InputError{Err: fmt.Errorf("sweep %s: %d of %d points are invalid; nothing was run:\n%s", p.Spec.Name, n, len(p.Points), msg)}
}

// checkSeeds refuses a plan whose last run's seed (seed + samples x
// replications - 1) passes 2^63-1, the largest a scenario takes: Validate
// loads replication 0 only, and the runs above the limit failed one by one
// at run time.
func (p *Plan) checkSeeds() error {
	last := p.RunSeed(Point{Sample: max(p.Samples, 1) - 1}, max(p.Spec.Replications, 1)-1)
	if last > math.MaxInt64 || last < p.Seed {
		return &runner.InputError{Err: fmt.Errorf("sweep %s: seed %d: its runs take seeds %d to %d, past 2^63-1 = %d; lower the seed",
			p.Spec.Name, p.Seed, p.Seed, last, int64(math.MaxInt64))}
	}
	return nil
}

// Freeze writes the specification with its base inline and its seed
// explicit: the text every point is derived from (PlanFromFrozen reads it).
func (sp *Spec) Freeze(seed uint64) ([]byte, error) {
	doc := yaml.MapSlice{{Key: "name", Value: sp.Name}}
	if sp.Description != "" {
		doc = append(doc, yaml.MapItem{Key: "description", Value: sp.Description})
	}
	// The base's text as given (its line numbers stay those of its file;
	// runs store it as the scenario given), labelled with its reference.
	if sp.Base.Ref != "" {
		doc = append(doc, yaml.MapItem{Key: "base", Value: sp.Base.Ref})
	}
	doc = append(doc, yaml.MapItem{Key: "base_yaml", Value: string(sp.Base.Source)})
	// Relative trace paths resolve against the base's folder; only a base
	// that mentions a trace records it, so that shards on machines with
	// other folder layouts still derive the same sweep id.
	if sp.Base.Dir != "" && bytes.Contains(sp.Base.Source, []byte("trace")) {
		abs, err := filepath.Abs(sp.Base.Dir)
		if err != nil {
			return nil, err
		}
		doc = append(doc, yaml.MapItem{Key: "base_dir", Value: abs})
	}
	if sp.hasZeroPrice() {
		doc = append(doc, yaml.MapItem{Key: "zero_prices", Value: zeroPricesPriced})
	}
	doc, err := sp.freezeSet(doc)
	if err != nil {
		return nil, err
	}
	for _, sec := range []struct {
		key  string
		axes []Axis
	}{{"parameters", sp.Parameters}, {"zip", sp.Zip}} {
		if len(sec.axes) == 0 {
			continue
		}
		var m yaml.MapSlice
		for _, a := range sec.axes {
			var vs []any
			for _, v := range a.Values {
				x, err := parseYAMLValue(v.YAML)
				if err != nil {
					return nil, fmt.Errorf("%s.%s: %w", sec.key, a.Path, err)
				}
				vs = append(vs, x)
			}
			m = append(m, yaml.MapItem{Key: a.Path, Value: vs})
		}
		doc = append(doc, yaml.MapItem{Key: sec.key, Value: m})
	}
	doc = append(doc, yaml.MapItem{Key: "replications", Value: sp.Replications}, yaml.MapItem{Key: "seed", Value: seed})
	var kpis []string
	for _, k := range sp.KPIs {
		kpis = append(kpis, k.String())
	}
	doc = append(doc, yaml.MapItem{Key: "kpis", Value: kpis})
	if mc := sp.MonteCarlo; mc != nil {
		m := yaml.MapSlice{{Key: "samples", Value: mc.Samples}}
		if mc.Seed != 0 {
			m = append(m, yaml.MapItem{Key: "seed", Value: mc.Seed})
		}
		var params yaml.MapSlice
		for _, rp := range mc.Params {
			params = append(params, yaml.MapItem{Key: rp.Path, Value: rp.Dist.raw})
		}
		m = append(m, yaml.MapItem{Key: "parameters", Value: params})
		if len(mc.Thresholds) > 0 {
			var ts []string
			for _, t := range mc.Thresholds {
				ts = append(ts, t.String())
			}
			m = append(m, yaml.MapItem{Key: "thresholds", Value: ts})
		}
		doc = append(doc, yaml.MapItem{Key: "montecarlo", Value: m})
	}
	return model.MarshalYAML(doc, yaml.UseLiteralStyleIfMultiline(true)) // tabs kept, quoted
}

// freezeSet appends the specification's set to doc, its values decoded.
func (sp *Spec) freezeSet(doc yaml.MapSlice) (yaml.MapSlice, error) {
	if len(sp.Set) == 0 {
		return doc, nil
	}
	var set yaml.MapSlice
	for _, o := range sp.Set {
		v, err := parseYAMLValue(o.Value)
		if err != nil {
			return nil, fmt.Errorf("set %s: %w", o.Path, err)
		}
		set = append(set, yaml.MapItem{Key: o.Path, Value: v})
	}
	return append(doc, yaml.MapItem{Key: "set", Value: set}), nil
}

// ValueOf is a parameter value given as YAML text, as a zip row that a
// program (the optimizer) builds holds it.
func ValueOf(text string) (Value, error) {
	x, err := parseYAMLValue(text)
	if err != nil {
		return Value{}, err
	}
	return Value{YAML: text, JSON: jsonOf(x)}, nil
}

// OverrideText writes a decoded YAML value as the one line of YAML an
// override (--set path=value) takes.
func OverrideText(v any) (string, error) { return flowYAML(v) }

func parseYAMLValue(s string) (any, error) {
	var v any
	if err := yaml.UnmarshalWithOptions([]byte(s), &v, yaml.UseOrderedMap()); err != nil {
		return nil, err
	}
	return v, nil
}
