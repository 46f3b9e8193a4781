package study

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/kpi"
	"aiecon/runner"
)

// Spec is a sweep file: a base scenario, overrides for every point, the
// parameters to vary, replications, the KPIs to report, and optionally a
// Monte Carlo study. docs/sweeps.md is the user's reference.
type Spec struct {
	Name        string
	Description string
	// Base is the scenario every point starts from.
	Base Base
	// Set overrides apply to every point, in order, before the point's own.
	Set []model.Override
	// Parameters form a cartesian grid, in file order: the first varies
	// slowest, the last fastest.
	Parameters []Axis
	// Zip lists vary together, one row per index; the zip rows are the
	// slowest dimension of the grid.
	Zip []Axis
	// Replications of every point, with seeds Seed+0..Replications-1
	// (common random numbers: the same seeds at every point).
	Replications int
	// Seed is the first seed; 0 means the base scenario's seed.
	Seed uint64
	// KPIs reported in the summary.
	KPIs       []KPIRef
	MonteCarlo *MonteCarlo
	// origins is where the sweep file writes each entry of its set
	// ("set:PATH"), each listed value ("value:PATH=VALUE") and each
	// parameter ("param:PATH"), as file:line:col, and the flag that gives
	// an entry of the set ("flag:PATH": --horizon 10m): a point's error
	// names the parameter there, not a --set nobody typed. Empty for a
	// sweep read back from the store.
	origins map[string]string
}

// Base is the scenario a sweep varies: a built-in name or a file, or its
// text (base_yaml).
type Base struct {
	Ref    string // built-in name or file path as written in the sweep file
	Name   string // what messages call it: the file path or the built-in name
	Source []byte // the scenario's YAML
	// Dir is where relative trace paths of the base resolve: the base file's
	// folder, or base_dir with base_yaml.
	Dir string
	// Stored is set for the base_yaml of a sweep read back from the store,
	// which ran as it is: it loads as runner.LoadStoredOverrides does, so
	// a description stored before its bound loads with a warning.
	Stored bool
}

// check is the base decoded once for loading its points (as stored, for
// a stored base).
func (b Base) check() *runner.SourceCheck {
	if b.Stored {
		return runner.NewStoredSourceCheck(b.Name, b.Source, b.Dir)
	}
	return runner.NewSourceCheck(b.Name, b.Source, b.Dir)
}

// Axis is one varied scenario path and its values.
type Axis struct {
	Path   string
	Values []Value
}

// Value is one value of a parameter: the YAML an override sets, and what
// goes into the point's params_json.
type Value struct {
	YAML string
	JSON any
}

// Blank reports whether a value says nothing about its point: null, or an
// empty string, list or map (a field left to its default, as the optimizer
// resets a scheduler "" and its buckets [] off their family).
func (v Value) Blank() bool {
	switch strings.TrimSpace(v.YAML) {
	case "", "~", "null", "Null", "NULL", `""`, "''", "[]", "{}":
		return true
	}
	return false
}

// KPIRef names a KPI of the whole run (cost_per_mtok_usd) or of one
// workload (slo_attainment[chat]).
type KPIRef struct {
	Name, Scope string
}

func (k KPIRef) String() string {
	if k.Scope == "" {
		return k.Name
	}
	return k.Name + "[" + k.Scope + "]"
}

// DefaultKPIs are reported when a sweep file names none; a new slice each
// call, so no caller can change another's default.
func DefaultKPIs() []KPIRef {
	return []KPIRef{{Name: kpi.CostPerMTokUSD}, {Name: kpi.TTFTP99S}, {Name: kpi.SLOAttainment}, {Name: kpi.MarginUSD}}
}

// Limits that refuse a typo before it expands into millions of runs.
const (
	MaxPoints       = 1_000_000
	MaxReplications = 10_000
	// MaxRuns bounds points x replications: 1,000,000 points of 10,000
	// replications each would list 10^10 runs.
	MaxRuns = 1_000_000
)

var topKeys = []string{"name", "description", "base", "base_yaml", "base_dir", "zero_prices", "set", "parameters", "zip", "replications", "seed", "kpis", "montecarlo"}

// LoadSpecWith reads a sweep file. extraSets (the command line's --set) are
// applied to every point after the file's own set, then flags, the
// overrides the command's own flags stand for (runner.FlagOverride:
// --horizon 10m); an error one causes names the flag as typed.
func LoadSpecWith(path string, extraSets []string, flags []model.Override) (*Spec, error) {
	src, err := model.ReadInputFile(path, "sweep file")
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &runner.InputError{Err: fmt.Errorf("sweep file %s does not exist", path)}
		}
		return nil, &runner.InputError{Err: fmt.Errorf("sweep file %s: %w", path, err)}
	}
	return parseSpec(&reader{file: path, flags: flags}, src, filepath.Dir(path), extraSets)
}

// ParseSpec parses a sweep file's text; dir is where a base path is looked
// up. Every problem is reported (model.Errors, each with line and column).
// Only tests call it (study's, tui's and the golden digests'), to parse a
// sweep written inline; the program reads files (LoadSpecWith).
func ParseSpec(file string, src []byte, dir string, extraSets []string) (*Spec, error) {
	return parseSpec(&reader{file: file}, src, dir, extraSets)
}

func parseSpec(r *reader, src []byte, dir string, extraSets []string) (*Spec, error) {
	file := r.file
	root := r.parseDoc(src, "a sweep (name, base, parameters, ...)")
	if root == nil {
		return nil, r.errs
	}
	sp := &Spec{Replications: 1}
	var baseNode, baseTextNode, baseDirNode ast.Node
	r.zeroPriced = r.frozen && slices.ContainsFunc(root.Values, func(mv *ast.MappingValueNode) bool {
		return keyText(mv) == "zero_prices" && scalarText(mv.Value) == zeroPricesPriced
	})
	for _, mv := range r.entries(root, "") {
		k, v := keyText(mv), mv.Value
		switch k {
		case "name":
			sp.Name = strings.TrimSpace(scalarText(v))
			if sp.Name == "" || strings.ContainsAny(sp.Name, "/\n") || !isScalar(v) {
				r.errf(v, k, "want a short name without slashes")
			} else if msg := model.BadLabel(sp.Name); msg != "" && !r.frozen {
				r.errf(v, k, "%s", msg)
			}
		case "description":
			sp.Description = model.VisibleText(scalarText(v))
			if msg := model.BadDescription(scalarText(v)); msg != "" && !r.frozen {
				r.errf(v, k, "%s", msg)
			}
		case "base":
			baseNode = v
		case "base_yaml":
			baseTextNode = v
		case "base_dir":
			baseDirNode = v
		case "zero_prices":
			if !r.frozen || scalarText(v) != zeroPricesPriced {
				r.errf(v, k, "only a sweep stored by aiecon writes zero_prices (%s: its 0 prices are prices)", zeroPricesPriced)
			}
		case "set":
			sp.Set = r.overrides(v, k)
		case "parameters":
			sp.Parameters = r.axes(v, k, true)
		case "zip":
			sp.Zip = r.axes(v, k, false)
		case "replications":
			sp.Replications = r.positiveInt(v, k, MaxReplications)
		case "seed":
			n, err := strconv.ParseUint(scalarText(v), 10, 64)
			if err != nil || n == 0 || !isScalar(v) {
				r.errf(v, k, "want a positive integer seed")
			}
			sp.Seed = n
		case "kpis":
			sp.KPIs = r.kpis(v, k)
		case "montecarlo":
			sp.MonteCarlo = r.monteCarlo(v, k)
		default:
			r.errf(mv.Key, k, "unknown field %q (allowed here: %s)", k, strings.Join(topKeys, ", "))
		}
	}
	if sp.Name == "" && !r.has("name") {
		r.errs = append(r.errs, model.FieldError{File: file, Field: "name", Msg: "required: a short name for the sweep"})
	}
	r.base(sp, baseNode, baseTextNode, baseDirNode, dir)
	r.checkZip(sp, root)
	r.refuseFileSetOnVaried(sp, root)
	if len(sp.KPIs) == 0 {
		sp.KPIs = DefaultKPIs()
	}
	r.addSets(sp, extraSets)
	if n := sp.gridSize(); n > MaxPoints {
		r.errs = append(r.errs, model.FieldError{File: file, Field: "parameters", Msg: fmt.Sprintf("%d points is more than the %d a sweep may have", n, MaxPoints)})
	}
	if len(r.errs) == 0 && !r.frozen {
		r.checkSupports(sp)
	}
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	sp.origins = r.origins
	return sp, nil
}

// addSets adds the command line's --set overrides, then the overrides its
// flags stand for (r.flags), to the spec's set.
func (r *reader) addSets(sp *Spec, extraSets []string) {
	for _, s := range extraSets {
		o, err := model.ParseOverride(s)
		if err == nil {
			err = o.Check() // an optional block takes null
		}
		if err != nil {
			// The error names the --set itself (--set "PATH": ..., or
			// --set PATH: ...), which the error's File names already.
			msg := strings.TrimPrefix(err.Error(), "--set "+strconv.Quote(s)+": ")
			msg = strings.TrimPrefix(msg, "--set "+o.Path+": ")
			r.errs = append(r.errs, model.FieldError{File: model.TypedSet(s), Msg: msg})
			continue
		}
		r.addSet(sp, model.TypedSet(s), o)
	}
	for _, o := range r.flags {
		typed := o.From
		if typed == "" {
			typed = o.Typed()
		}
		if err := o.Check(); err != nil {
			r.errs = append(r.errs, model.FieldError{File: typed, Msg: err.Error()})
			continue
		}
		r.addSet(sp, typed, o)
	}
}

// addSet adds o, which the user gave as typed, to the spec's set. A flag's
// is noted as the flag (Spec.origins), which the errors it causes name.
func (r *reader) addSet(sp *Spec, typed string, o model.Override) {
	if r.refuseSetOnVaried(sp, typed, o) {
		return
	}
	// A later override of the same path replaces the earlier one (the
	// file's set, or an earlier --set): applied in order, it would win.
	sp.Set = slices.DeleteFunc(sp.Set, func(prev model.Override) bool { return prev.Path == o.Path })
	delete(r.origins, "set:"+o.Path) // typed: a --set
	if o.From != "" {
		if r.origins == nil {
			r.origins = map[string]string{}
		}
		r.origins["flag:"+o.Path] = o.From
	}
	sp.Set = append(sp.Set, model.Override{Path: o.Path, Value: o.Value})
}

func (r *reader) has(field string) bool {
	for _, e := range r.errs {
		if e.Field == field {
			return true
		}
	}
	return false
}

// gridSize is the number of points: grid rows x Monte Carlo samples.
func (sp *Spec) gridSize() int {
	n := 1.0
	for _, a := range sp.Parameters {
		n *= float64(len(a.Values))
	}
	if len(sp.Zip) > 0 {
		n *= float64(len(sp.Zip[0].Values))
	}
	if sp.MonteCarlo != nil {
		n *= float64(sp.MonteCarlo.Samples)
	}
	return int(math.Min(n, math.MaxInt32))
}

func (r *reader) positiveInt(v ast.Node, field string, limit int) int {
	n, err := strconv.Atoi(scalarText(v))
	if err != nil || n < 1 || n > limit || !isScalar(v) {
		r.errf(v, field, "want an integer from 1 to %d", limit)
		return 1
	}
	return n
}

// base reads `base` (a built-in name or a path relative to the sweep
// file), or `base_yaml` (the scenario's text, which a stored sweep carries
// so that it depends on no file; `base` is then only its label), and
// `base_dir`, where relative trace paths of a base_yaml resolve.
func (r *reader) base(sp *Spec, n, textNode, dirNode ast.Node, dir string) {
	if dirNode != nil {
		if textNode == nil {
			r.errf(dirNode, "base_dir", "only base_yaml takes base_dir (a base file's trace paths resolve against its own folder)")
		}
		sp.Base.Dir = scalarText(dirNode)
	}
	if n != nil {
		sp.Base.Ref = strings.TrimSpace(scalarText(n))
		if sp.Base.Ref == "" || !isScalar(n) {
			r.errf(n, "base", "want a built-in scenario name (%s) or a scenario file relative to the sweep file", strings.Join(model.BuiltinNames(), ", "))
			return
		}
	}
	if textNode != nil {
		text := scalarText(textNode)
		if text == "" || !isScalar(textNode) {
			r.errf(textNode, "base_yaml", "want the scenario's YAML as a block of text (base_yaml: |)")
			return
		}
		sp.Base.Name, sp.Base.Source, sp.Base.Stored = sp.Base.Ref, []byte(text), r.stored
		if sp.Base.Name == "" {
			sp.Base.Name = "base_yaml"
		}
		return
	}
	if n == nil {
		r.errs = append(r.errs, model.FieldError{File: r.file, Field: "base", Msg: "required: a built-in scenario name (" +
			strings.Join(model.BuiltinNames(), ", ") + ") or a scenario file relative to the sweep file"})
		return
	}
	name, src, baseDir, err := runner.ReadSourceAt(sp.Base.Ref, dir)
	if err != nil {
		r.errf(n, "base", "%v", err)
		return
	}
	sp.Base.Name, sp.Base.Source, sp.Base.Dir = name, src, baseDir
}

// overrides reads a mapping of scenario paths to values (`set`).
func (r *reader) overrides(n ast.Node, field string) []model.Override {
	m := asMapping(n)
	if m == nil {
		r.errf(n, field, "want a mapping of scenario paths to values, e.g. {horizon: 10m, fleet.count: 4}")
		return nil
	}
	var out []model.Override
	for _, mv := range r.entries(m, field) {
		path := keyText(mv)
		if !r.checkPath(mv.Key, field, path) {
			continue
		}
		v, err := value(mv.Value)
		if err == nil {
			v = r.storedValue(join(field, path), v)
			var text string
			if text, err = flowYAML(v); err == nil {
				err = setterOf(field).Check(path, text) // an optional block takes null alone
			}
			if err == nil {
				r.note("set:"+path, mv.Value)
				out = append(out, model.Override{Path: path, Value: text})
				continue
			}
		}
		r.errf(mv.Value, join(field, path), "%s", strings.TrimPrefix(err.Error(), "--set "+path+": "))
	}
	return out
}

// setterOf is the section of a sweep file that field is in (set,
// parameters, zip, montecarlo.parameters...) as it gives scenario paths,
// for refusals that say how it writes one, not as a --set.
func setterOf(field string) model.Setter {
	section, _, _ := strings.Cut(field, ".")
	switch section {
	case "set":
		return model.Setter{Gives: "the sweep's set sets one field per entry", YAML: true}
	case "montecarlo":
		return model.Setter{Gives: "a Monte Carlo parameter draws one field's values", YAML: true}
	}
	return model.Setter{Gives: "a parameter varies one field", YAML: true, Values: true}
}

// checkPath validates a scenario path used as a key.
func (r *reader) checkPath(key ast.Node, field, path string) bool {
	if err := setterOf(field).CheckPath(path); err != nil {
		r.errf(key, join(field, path), "%v", err)
		return false
	}
	if model.OptionalBlock(path) && strings.HasPrefix(field, "montecarlo") {
		r.errf(key, join(field, path), "%s is a block of fields, and a distribution draws one field's values; vary one of its fields, as %s.FIELD", path, path)
		return false
	}
	if path == "seed" && field != "set" {
		r.errf(key, join(field, path), "seeds come from replications (and the sweep's seed), not from parameters")
		return false
	}
	if path == "variants" || strings.HasPrefix(path, "variants") {
		r.errf(key, join(field, path), "a sweep point is one scenario; vary fields, not variants")
		return false
	}
	return true
}

// axes reads `parameters` (lists or ranges) or `zip` (lists).
func (r *reader) axes(n ast.Node, field string, ranges bool) []Axis {
	m := asMapping(n)
	if m == nil {
		r.errf(n, field, "want a mapping of scenario paths to lists of values")
		return nil
	}
	var out []Axis
	for _, mv := range r.entries(m, field) {
		path := keyText(mv)
		if !r.checkPath(mv.Key, field, path) {
			continue
		}
		f := join(field, path)
		r.note("param:"+path, mv.Key)
		var vals []Value
		switch {
		case asSequence(mv.Value) != nil:
			// Zipped lists may repeat a value (two rows on one instance type).
			vals = r.list(asSequence(mv.Value), f, ranges)
		case asMapping(mv.Value) != nil && ranges:
			vals = r.rangeValues(asMapping(mv.Value), f)
		case asMapping(mv.Value) != nil:
			r.errf(mv.Value, f, "zip takes lists of values (ranges go under parameters)")
			continue
		default:
			v, err := value(mv.Value)
			if err != nil {
				r.errf(mv.Value, f, "%v", err)
				continue
			}
			vals = r.values([]any{v}, []ast.Node{mv.Value}, f, true)
		}
		if len(vals) == 0 && !r.hasPrefix(f) {
			r.errf(mv.Value, f, "no values")
		}
		out = append(out, Axis{Path: path, Values: vals})
	}
	return out
}

func (r *reader) list(seq *ast.SequenceNode, field string, unique bool) []Value {
	var vs []any
	for _, e := range seq.Values {
		v, err := value(e)
		if err != nil {
			r.errf(e, field, "%v", err)
			return nil
		}
		vs = append(vs, v)
	}
	return r.values(vs, seq.Values, field, unique)
}

// values turns decoded list elements into Values; unique refuses a value
// listed twice (a grid axis would run the same points twice).
func (r *reader) values(vs []any, nodes []ast.Node, field string, unique bool) []Value {
	var out []Value
	seen := map[string]string{}
	for i, v := range vs {
		v = r.storedValue(field, v)
		text, err := flowYAML(v)
		if err != nil {
			r.errf(nodes[i], field, "%v", err)
			continue
		}
		key := r.valueKey(text)
		if first, dup := seen[key]; unique && dup {
			if first == text {
				r.errf(nodes[i], field, "value %s is listed twice", text)
			} else {
				r.errf(nodes[i], field, "value %s is listed twice: it is %s, listed before", text, first)
			}
			continue
		}
		seen[key] = text
		// field is parameters.PATH or zip.PATH, or a Monte Carlo choice's
		// montecarlo.parameters.PATH.values. An optional block (ads) takes
		// null alone, which removes it.
		section, path, _ := strings.Cut(field, ".")
		if section != "montecarlo" && model.OptionalBlock(path) {
			if err := setterOf(section).Check(path, text); err != nil {
				r.errf(nodes[i], field, "%v", err)
				continue
			}
		}
		r.note("value:"+path+"="+text, nodes[i])
		out = append(out, Value{YAML: text, JSON: jsonOf(v)})
	}
	return out
}

// valueKey is what two values of one field share when they set it alike,
// so that a grid does not run a point twice: a number, rate or duration's
// kind and value in base units (2 and 2.0, 1/s and 60/min, 60s and 1m),
// else the value's text. A stored specification's values are told apart
// by their text, as the build that ran them did: its points stay its
// points.
func (r *reader) valueKey(text string) string {
	q, err := parseQuantity(text)
	if r.stored || err != nil {
		return text
	}
	return fmt.Sprintf("%v %v", q.kind, roundSig(q.v))
}

// checkZipRows refuses a zip row that repeats an earlier one, its values
// compared as valueKey does: it would run the same points twice. A stored
// specification's rows ran as they are.
func (r *reader) checkZipRows(sp *Spec, zipNode ast.Node) {
	if r.frozen || len(sp.Zip) == 0 {
		return
	}
	seen := map[string]int{}
	for j := range sp.Zip[0].Values {
		var key, text []string
		for _, a := range sp.Zip {
			key = append(key, r.valueKey(a.Values[j].YAML))
			text = append(text, a.Path+"="+a.Values[j].YAML)
		}
		k := strings.Join(key, "\x00")
		if i, dup := seen[k]; dup {
			r.errf(zipRowNode(zipNode, j), "zip", "row %d (%s) repeats row %d: it would run the same points twice",
				j+1, strings.Join(text, ", "), i+1)
			continue
		}
		seen[k] = j
	}
}

// zipRowNode is the node of row j's value in the zip's first list, for an
// error's position; the zip itself where there is none.
func zipRowNode(zipNode ast.Node, j int) ast.Node {
	if m := asMapping(zipNode); m != nil && len(m.Values) > 0 {
		if seq := asSequence(m.Values[0].Value); seq != nil && j < len(seq.Values) {
			return seq.Values[j]
		}
	}
	return zipNode
}

// jsonOf turns a decoded YAML value into one encoding/json can write
// (ordered maps become maps; the params are for reading, order is kept in
// the YAML).
func jsonOf(v any) any {
	switch x := v.(type) {
	case yaml.MapSlice:
		m := make(map[string]any, len(x))
		for _, it := range x {
			m[fmt.Sprint(it.Key)] = jsonOf(it.Value)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonOf(e)
		}
		return out
	}
	return v
}

func (r *reader) hasPrefix(field string) bool {
	for _, e := range r.errs {
		if strings.HasPrefix(e.Field, field) {
			return true
		}
	}
	return false
}

// checkZip requires zip lists of one length and no field varied twice.
func (r *reader) checkZip(sp *Spec, root *ast.MappingNode) {
	var zipNode ast.Node
	for _, mv := range root.Values {
		if keyText(mv) == "zip" {
			zipNode = mv.Value
		}
	}
	sameLength := true
	for _, a := range sp.Zip[min(1, len(sp.Zip)):] {
		if len(a.Values) != len(sp.Zip[0].Values) {
			r.errf(zipNode, "zip."+a.Path, "has %d values but zip.%s has %d: zipped lists vary together, so they must have one length",
				len(a.Values), sp.Zip[0].Path, len(sp.Zip[0].Values))
			sameLength = false
		}
	}
	if sameLength {
		r.checkZipRows(sp, zipNode)
	}
	r.checkVariedOnce(sp)
}

// kpis reads the KPI list: names, optionally with a workload in brackets.
func (r *reader) kpis(n ast.Node, field string) []KPIRef {
	seq := asSequence(n)
	if seq == nil {
		r.errf(n, field, "want a list of KPI names, e.g. [cost_per_mtok_usd, slo_attainment[chat]]")
		return nil
	}
	var out []KPIRef
	for _, e := range seq.Values {
		k, err := ParseKPIRef(scalarText(e))
		if err != nil || !isScalar(e) {
			r.errf(e, field, "%v", err)
			continue
		}
		// The catalog lists every KPI a run reports (a golden test checks
		// it), so a name outside it is refused here, at its line, and by
		// --dry-run; whether a scope applies needs a run (Plan.CheckKPIs).
		if _, ok := kpi.Lookup(k.Name); !ok {
			r.errf(e, field, "unknown KPI %q; nearest: %s", k.Name, strings.Join(hw.Nearest(k.Name, kpiNames(), 4), ", "))
			continue
		}
		r.note("kpi:"+k.String(), e) // where Plan.CheckKPIs places what a run refuses
		out = append(out, k)
	}
	return out
}

// at is an error on field, placed where the sweep file writes key
// (Spec.origins: "kpi:NAME[SCOPE]", "threshold:KPI OP X"), else in
// "sweep NAME" (a stored specification, whose lines are no file's).
func (sp *Spec) at(key, field, msg string) model.FieldError {
	fe := model.FieldError{File: "sweep " + sp.Name, Field: field, Msg: msg}
	o := sp.origins[key] // FILE:LINE:COL; FILE may hold colons, the numbers do not
	i := strings.LastIndex(o, ":")
	j := strings.LastIndex(o[:max(i, 0)], ":")
	if j <= 0 {
		return fe
	}
	line, err1 := strconv.Atoi(o[j+1 : i])
	col, err2 := strconv.Atoi(o[i+1:])
	if err1 == nil && err2 == nil {
		fe.File, fe.Line, fe.Col = o[:j], line, col
	}
	return fe
}

func kpiNames() []string {
	var names []string
	for _, d := range kpi.All() {
		names = append(names, d.Name)
	}
	return names
}

// ParseKPIRef reads "name" or "name[workload]".
func ParseKPIRef(s string) (KPIRef, error) {
	s = strings.TrimSpace(s)
	name, scope, _ := strings.Cut(s, "[")
	if scope != "" {
		if !strings.HasSuffix(scope, "]") {
			return KPIRef{}, fmt.Errorf("KPI %q: want name or name[workload]", s)
		}
		scope = strings.TrimSuffix(scope, "]")
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return KPIRef{}, fmt.Errorf("KPI %q: want a KPI name such as cost_per_mtok_usd (lowercase, digits, _), optionally with [workload]", s)
		}
	}
	if name == "" || strings.Contains(s, "[") && strings.TrimSpace(scope) == "" {
		return KPIRef{}, fmt.Errorf("KPI %q: want name or name[workload]", s)
	}
	return KPIRef{Name: name, Scope: strings.TrimSpace(scope)}, nil
}
