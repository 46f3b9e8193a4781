package runner

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/sim"
)

// InputError is the one input-error type, model.InputError: a problem with
// what the user gave (a missing file, a bad scenario, a bad --set); the CLI
// exits with code 2 for it. The alias keeps runner.InputError working.
type InputError = model.InputError

func inputErr(format string, args ...any) error { return model.Input(format, args...) }

// Loaded is a resolved scenario and where it came from.
type Loaded struct {
	Name     string // file path or built-in name
	Given    []byte // YAML as given (before --set)
	Resolved []byte // YAML with overrides and every default
	Scenario *model.Scenario
	TraceDir string // relative trace paths resolve here
	// Traces are the traces the scenario names, read once at load (by the
	// path it gives): the run replays these rather than reading the files
	// again, which a named pipe could not give a second time.
	Traces map[string]*sim.Trace
	// Source is the text Scenario was decoded from (Given with the
	// overrides applied), parsed once: a reader of what the text gives (a
	// field written or left to its default) reads it rather than parsing
	// the text again. Nil for a Loaded built otherwise (a stored run's).
	Source *model.Source
	// Overrides are what the variant and the user changed, in order (stored
	// as the run's params_json); User is the user's part of them (--set).
	Overrides, User Overrides
	// Notes tell the user what loading changed on its own (a request
	// sample rate lowered to keep the store's size within the budget).
	Notes []string
	// sampled is that lowering, which Unsample undoes.
	sampled sampling
	// writtenLoads is set where Given loaded on its own, without the
	// overrides: none of its values is then masked by one
	// (MaskedByOverrides), and it need not be loaded again to say so.
	writtenLoads bool
}

// IsFile tells a scenario path from a built-in name.
func IsFile(arg string) bool {
	return strings.ContainsAny(arg, `/\`) || strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml")
}

// IsBuiltin says whether ReadSource reads arg as a built-in scenario: a
// built-in's name that does not look like a path. Any other name it reads
// as a file, whatever its suffix (./myscen, scen.yml, scen.txt), so errors
// name that file, not a "built-in" that does not exist.
func IsBuiltin(arg string) bool {
	return !IsFile(arg) && slices.Contains(model.BuiltinNames(), arg)
}

// ReadSource returns the YAML of a file or built-in scenario ("" = default).
func ReadSource(arg string) (name string, src []byte, dir string, err error) {
	return ReadSourceAt(arg, "")
}

// ReadSourceAt is ReadSource reading a relative file path from dir (the
// folder of the sweep or forecast file that names the scenario; "" = the
// working directory). A built-in's name reads the built-in; any other name,
// with a .yaml suffix or not, the file there (base: myscen read ./myscen,
// not the one next to the sweep file).
func ReadSourceAt(arg, dir string) (name string, src []byte, srcDir string, err error) {
	if arg == "" {
		arg = model.DefaultScenario
	}
	path := arg
	if dir != "" && !filepath.IsAbs(arg) {
		path = filepath.Join(dir, arg)
	}
	readFile := func() (string, []byte, string, error) {
		src, err := model.ReadInputFile(path, "scenario file")
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return "", nil, "", inputErr("scenario file %s does not exist (built-in scenarios: %s)", path, strings.Join(model.BuiltinNames(), ", "))
			}
			return "", nil, "", inputErr("scenario file %s: %w", path, err)
		}
		return path, src, filepath.Dir(path), nil
	}
	if IsFile(arg) {
		return readFile()
	}
	src, err = model.Builtin(arg)
	if err != nil {
		// A file without a .yaml suffix, or something there that cannot
		// be read (a loop of symbolic links, a folder without permission),
		// which reading names: a loop was reported as no such built-in.
		// A name too long for a file is no file: it reads as a built-in
		// not found, not "file name too long" (review331).
		if _, statErr := os.Stat(path); statErr == nil || !(errors.Is(statErr, os.ErrNotExist) || errors.Is(statErr, syscall.ENAMETOOLONG)) {
			return readFile()
		}
		return "", nil, "", &InputError{Err: err}
	}
	return arg, src, "", nil
}

// Load reads, overrides, resolves and validates a scenario.
func Load(arg string, sets []string) (*Loaded, error) {
	name, src, dir, err := ReadSource(arg)
	if err != nil {
		return nil, err
	}
	return LoadSource(name, src, dir, sets)
}

// LoadSource resolves YAML already read (name is used in messages).
func LoadSource(name string, src []byte, dir string, sets []string) (*Loaded, error) {
	return loadSource(name, src, dir, sets, nil)
}

// loadSource is LoadSource taking the traces already read from reads (nil:
// none) and adding those it reads.
func loadSource(name string, src []byte, dir string, sets []string, reads traceReads) (*Loaded, error) {
	overrides, err := parseOverrides(sets)
	if err != nil {
		return nil, err
	}
	return loadOverrides(name, src, dir, overrides, reads, false)
}

// LoadOverrides is LoadSource with the sets parsed, for a caller that
// names where each comes from (model.Override.From).
func LoadOverrides(name string, src []byte, dir string, overrides []model.Override) (*Loaded, error) {
	return loadOverrides(name, src, dir, overrides, nil, false)
}

// LoadStoredOverrides is LoadOverrides for a scenario read back from the
// store (a stored sweep's base), which ran as it is: what model.LoadStored
// keeps that a file may no longer give (a description stored before its
// bound) loads, with a note saying so (Loaded.Notes).
func LoadStoredOverrides(name string, src []byte, dir string, overrides []model.Override) (*Loaded, error) {
	return loadOverrides(name, src, dir, overrides, nil, true)
}

// loadOverrides loads src with overrides; stored: src was read back from
// the store (LoadStoredOverrides).
func loadOverrides(name string, src []byte, dir string, overrides []model.Override, reads traceReads, stored bool) (*Loaded, error) {
	file := SourceLabel(name)
	merged, err := model.ApplyOverridesIn(file, src, overrides)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	return loadMerged(name, src, merged, dir, overrides, reads, stored, nil)
}

// SourceLabel is how errors name a scenario ReadSource read as name: its
// path, or "built-in NAME". It asks IsBuiltin, the rule ReadSource reads
// by, not the name's suffix: a file named myscen read as a file is named
// as one. Run and scenarios show both label with it, so that one scenario
// is named alike by both.
func SourceLabel(name string) string {
	if IsBuiltin(name) {
		return "built-in " + name
	}
	return name
}

// parseOverrides reads sets (path=value) as overrides.
func parseOverrides(sets []string) ([]model.Override, error) {
	var overrides []model.Override
	for _, s := range sets {
		o, err := model.ParseOverride(s)
		if err != nil {
			return nil, &InputError{Err: err}
		}
		overrides = append(overrides, o)
	}
	return overrides, nil
}

// loadMerged resolves merged, src with overrides applied, and checks its
// size; errors place the fields in src, the text as written. Its traces
// come from reads where an earlier load read them (nil: none). parsed is
// merged already parsed (model.SourceOf), nil where it is not.
func loadMerged(name string, src, merged []byte, dir string, overrides []model.Override, reads traceReads, stored bool, parsed *model.Source) (*Loaded, error) {
	sc, source, sampled, traces, err := resolveMerged(name, src, merged, dir, overrides, reads, stored, parsed)
	if err != nil {
		return nil, err
	}
	resolved, err := model.MarshalYAML(sc) // a description's tabs kept, quoted
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", name, err)
	}
	l := &Loaded{Name: name, Given: src, Resolved: resolved, Scenario: sc, Source: source, TraceDir: dir, Traces: traces, Overrides: overrides, User: overrides}
	if stored {
		l.Notes = model.StoredNotes(sc)
	}
	l.noteSampled(sampled)
	return l, nil
}

// noteSampled records the sampling loading applied, and its note.
func (l *Loaded) noteSampled(s sampling) {
	if s.note == "" {
		return
	}
	l.sampled = s
	l.Notes = append(l.Notes, s.note)
}

// Unsample puts back the request sample rate the scenario asked for where
// loading lowered it to keep the store within the row budget, and drops
// the note that said so, for a run whose request rows go nowhere (aiecon
// run --no-store): its note told the user that a sample was stored when
// nothing was. Sampling only picks the rows emitted, so the KPIs, which
// count every request, are the same either way.
func (l *Loaded) Unsample() error {
	s := l.sampled
	if s.note == "" {
		return nil
	}
	l.Scenario.Output.RequestSampleRate = s.given
	l.Notes = slices.DeleteFunc(l.Notes, func(n string) bool { return n == s.note })
	l.sampled = sampling{}
	if l.Resolved == nil { // Resolve's Loaded has none
		return nil
	}
	var err error
	if l.Resolved, err = model.MarshalYAML(l.Scenario); err != nil {
		return fmt.Errorf("scenario %s: %w", l.Scenario.Name, err)
	}
	return nil
}

// resolveMerged is loadMerged without the resolved YAML: the scenario, the
// source it was decoded from (merged, parsed), the sampling checkSize
// applies and the traces it read, or the input error. parsed is merged
// already parsed (nil: it is parsed here), decoded again rather than the
// text parsed again.
func resolveMerged(name string, src, merged []byte, dir string, overrides []model.Override, reads traceReads, stored bool, parsed *model.Source) (*model.Scenario, *model.Source, sampling, map[string]*sim.Trace, error) {
	file := SourceLabel(name)
	load := model.Load
	if stored {
		load = model.LoadStored
	}
	if parsed != nil {
		load = func(string, []byte, model.Catalog) (*model.Scenario, *model.Source, error) {
			return model.LoadParsed(parsed, sim.Catalog(), stored)
		}
	}
	sc, source, err := load(file, merged, sim.Catalog())
	if err == nil {
		err = placeCalibration(sc, source, dir)
	}
	if err == nil {
		err = checkSessionSteps(sc, source)
	}
	if err == nil {
		err = refuseAgentReset(sc, file, overrides, source)
	}
	var sampled sampling
	var traces map[string]*sim.Trace
	if err == nil {
		sampled, traces, err = checkSize(sc, source, dir, reads)
	}
	if err != nil {
		return nil, nil, sampling{}, nil, &InputError{Err: attributeOverrides(err, overrides, merged, model.Locate(file, src))}
	}
	return sc, source, sampled, traces, nil
}

// checkSessionSteps refuses an agent whose steps reach past the most a
// session runs (the simulator cuts a drawn count there) at their 99th
// percentile: cut silently, 5,000 steps ran as 1,000. Rarer draws past the
// cap are cut as docs/scenarios.md says.
func checkSessionSteps(sc *model.Scenario, src *model.Source) error {
	var errs model.Errors
	for i, w := range sc.Workloads {
		if w.Agent == nil {
			continue
		}
		if p99 := distP99(w.Agent.Steps); p99 > maxPlannedSteps {
			field := fmt.Sprintf("workloads[%d].agent.steps", i)
			line, col := src.Position(field)
			errs = append(errs, model.FieldError{File: src.File, Line: line, Col: col, Field: field,
				Msg: fmt.Sprintf("reaches %.0f steps at its 99th percentile, past the %d a session runs (the simulator cuts a session there): "+
					"lower it, or bound it with max: %d", p99, maxPlannedSteps, maxPlannedSteps)})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// placeCalibration finds the calibration profile a scenario names (a relative
// path is relative to the scenario's folder) and checks that it loads, so a
// bad path is a located scenario error before anything runs; the resolved
// scenario then records the absolute path of the profile used.
func placeCalibration(sc *model.Scenario, src *model.Source, dir string) error {
	path := sc.Hardware.Calibration
	if path == "" {
		return nil
	}
	const field = "hardware.calibration"
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	abs, err := filepath.Abs(path)
	if err == nil {
		_, err = hw.LoadProfile(abs)
	}
	if err != nil {
		line, col := src.Position(field)
		return model.Errors{{File: src.File, Line: line, Col: col, Field: field, Msg: err.Error()}}
	}
	sc.Hardware.Calibration = abs
	return nil
}

// checkSize reads the scenario's traces (those in reads from it) and
// estimates its run against the budget before anything runs (see
// EstimateRun); it may lower the request sample rate, and then returns
// that sampling, with a note saying so. It returns the traces, by the path the scenario gives.
func checkSize(sc *model.Scenario, source *model.Source, dir string, reads traceReads) (sampling, map[string]*sim.Trace, error) {
	budget, err := DefaultBudget()
	if err != nil {
		return sampling{}, nil, err
	}
	traces, err := readTraces(sc, source, dir, budget, reads)
	if err != nil {
		return sampling{}, nil, err
	}
	est, err := EstimateRun(sc, traces)
	if we, ok := errors.AsType[*workloadError](err); ok {
		// A looped trace at one instant: placed at its loop key, as the
		// trace's other errors are at its path.
		field := fmt.Sprintf("workloads[%d].arrivals.trace.loop", we.index)
		line, col := source.Position(field)
		return sampling{}, nil, model.Errors{{File: source.File, Line: line, Col: col, Field: field, Msg: we.err.Error(), Err: we.err}}
	}
	if err != nil {
		return sampling{}, nil, err
	}
	sampled, err := applyBudget(sc, est, budget)
	return sampled, traces, err
}

// loadBase loads the scenario the variants come from. They come from the
// scenario as written: the user's --set applies on top of each variant,
// and is checked there, not against the base (--variant p5 --set
// fleet.replica.tp=4 was refused because tp 4 does not fit the base's
// trn2). A --set that edits the variants themselves, or that the base
// needs to load at all, applies to the base as before. The scenario as
// written is loaded once, and the file read once: a pipe (/dev/stdin,
// <(...)) reads empty the second time. So is each trace it names, once
// for the base, its reloads and its variants (reads).
func loadBase(arg string, given []model.Override, only string, reads traceReads) (*Loaded, error) {
	name, src, dir, err := ReadSource(arg)
	if err != nil {
		return nil, err
	}
	base, err := loadOverrides(name, src, dir, nil, reads, false)
	if err == nil && only == "" && len(given) > 0 { // before the --set can break the base
		if err := refuseVariantClash(base, given); err != nil {
			return nil, err
		}
	}
	switch {
	case err != nil && len(given) == 0:
		return nil, err
	case err != nil:
		return loadOverrides(name, src, dir, given, reads, false)
	}
	base.writtenLoads = true
	if len(given) > 0 && (len(base.Scenario.Variants) == 0 || setsVariants(given)) {
		return reloadWith(base, given, reads)
	}
	if base.User, err = checkSets(given); err != nil {
		return nil, err
	}
	return base, nil
}

// reloadWith loads base, the file as written, again with the overrides
// given: from its text as parsed (Loaded.Source), not parsed again, as
// loadOverrides(base.Name, base.Given, ..., given, ...) would.
func reloadWith(base *Loaded, given []model.Override, reads traceReads) (*Loaded, error) {
	ob, err := base.Source.ForOverrides()
	if err != nil {
		return nil, &InputError{Err: err}
	}
	merged, err := ob.Apply(given)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	l, err := loadMerged(base.Name, base.Given, merged, base.TraceDir, given, reads, false, nil)
	if err != nil {
		return nil, err
	}
	l.writtenLoads = true
	return l, nil
}

// FlagOverride is the override a command's own flag stands for (--horizon
// 10m for horizon=10m): an error it causes names the flag as typed, not a
// --set nobody typed.
func FlagOverride(flag, path, value string) model.Override {
	return model.Override{Path: path, Value: value, From: flag + " " + value}
}

// typed is how the user gave o: its flag, or its --set.
func typed(o model.Override) string {
	if o.From != "" {
		return o.From
	}
	return o.Typed()
}

// LoadVariants loads a scenario and, when it defines variants, one scenario
// per variant (only the one named `only`, when given). A variant is the base
// with its `set` applied, then the user's --set. When every variant runs, a
// --set of a field a variant sets is refused (it would make the variants
// identical in it); with `only` it applies on top of that variant. Its name
// is "<scenario>/<variant>"; Overrides records the variant's set and the
// user's, in that order.
func LoadVariants(arg string, sets []string, only string) ([]*Loaded, error) {
	return LoadVariantsWith(arg, sets, nil, only)
}

// LoadVariantsWith is LoadVariants with the overrides the command's own
// flags stand for (FlagOverride), applied after the --set ones.
func LoadVariantsWith(arg string, sets []string, flags []model.Override, only string) ([]*Loaded, error) {
	given, err := parseOverrides(sets)
	if err != nil {
		return nil, err
	}
	given = append(given, flags...)
	reads := traceReads{}
	base, err := loadBase(arg, given, only, reads)
	if err != nil {
		return nil, err
	}
	vs := base.Scenario.Variants
	if len(vs) == 0 {
		if only != "" {
			return nil, inputErr("scenario %s has no variants (so no variant %q)", base.Scenario.Name, only)
		}
		return []*Loaded{base}, nil
	}
	// Each variant is the scenario without its variants: decoded once, not
	// once a variant with every variant in it (N^2), and from the base as
	// parsed where it is the file as written (givenSource).
	written := givenSource(base)
	ob, err := written.ForOverrides("variants")
	if err != nil {
		return nil, &InputError{Err: err}
	}
	// Where the file writes each variant's set, for its errors; not where
	// a --set edits the variants, whose values are then not the file's.
	var src *model.Source
	if !setsVariants(base.User) {
		src = written
	}
	var out []*Loaded
	var names []string
	for i, v := range vs {
		names = append(names, v.Name)
		if only != "" && v.Name != only {
			continue
		}
		l, err := loadVariant(ob, base, v, variantSetAt(src, i), given, reads)
		if err != nil {
			return nil, fmt.Errorf("variant %s: %w", v.Name, err)
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, inputErr("scenario %s has no variant %q (variants: %s)", base.Scenario.Name, only, strings.Join(names, ", "))
	}
	return out, nil
}

// givenSource is the base's text as written, parsed: its Source where it
// loaded without overrides, else Given parsed here (a --set the base
// needed to load at all applied to it, so its Source is of another text).
func givenSource(base *Loaded) *model.Source {
	if len(base.Overrides) == 0 && base.Source != nil {
		return base.Source
	}
	return model.Locate(SourceLabel(base.Name), base.Given)
}

// loadVariant loads the scenario ob holds (base's, without its variants)
// with variant v's set, each entry placed by at, then the user's overrides
// given, named "<scenario>/<variant>", as LoadSource(base.Name,
// base.Given, ...) did; a --set that edits the variants was applied to
// base and has nothing to edit here.
func loadVariant(ob *model.OverrideBase, base *Loaded, v model.Variant, at func(model.Override) string, given []model.Override, reads traceReads) (*Loaded, error) {
	ovs, err := v.Overrides()
	if err != nil {
		return nil, err
	}
	var overrides []model.Override
	for _, o := range ovs {
		o.Variant = v.Name
		o.From = at(o)
		overrides = append(overrides, o)
	}
	for _, o := range given {
		if !setsVariants([]model.Override{o}) {
			overrides = append(overrides, o)
		}
	}
	overrides = append(overrides, model.Override{Path: "name", Value: base.Scenario.Name + "/" + v.Name})
	if v.Description != "" {
		overrides = append(overrides, model.Override{Path: "description", Value: quoteYAML(v.Description)})
	}
	merged, err := ob.Apply(overrides)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	l, err := loadMerged(base.Name, base.Given, merged, base.TraceDir, overrides, reads, false, nil)
	if err != nil {
		return nil, err
	}
	l.Overrides = append(Overrides(ovs), base.User...) // without the name and description
	l.User, l.writtenLoads = base.User, base.writtenLoads
	l.Scenario.Variants = nil // one concrete scenario now
	if l.Resolved, err = model.MarshalYAML(l.Scenario); err != nil {
		return nil, err
	}
	return l, nil
}

// variantSetAt places the entries of variant i's set where src, the
// scenario file, writes them ("s.yaml:41:20: set {fleet.count: -3}"), so
// that an error one causes names its line, as the file's own errors and a
// sweep's values do; "" where src is nil or does not write the entry.
func variantSetAt(src *model.Source, i int) func(model.Override) string {
	return func(o model.Override) string {
		line, col, ok := src.EntryPosition(fmt.Sprintf("variants[%d].set", i), o.Path)
		if !ok {
			return ""
		}
		return fmt.Sprintf("%s:%d:%d: %s", src.File, line, col, o.SetEntry())
	}
}

// checkSets checks the paths and values of the user's overrides, so that
// a path no scenario has is reported once, not as the first variant's
// error.
func checkSets(given []model.Override) ([]model.Override, error) {
	for _, o := range given {
		if err := o.Check(); err != nil { // an optional block's value too
			if o.From != "" {
				err = fmt.Errorf("%s: %w", o.From, err)
			}
			return nil, &InputError{Err: err}
		}
	}
	return given, nil
}

// setsVariants reports whether an override edits the variants.
func setsVariants(given []model.Override) bool {
	for _, o := range given {
		if strings.HasPrefix(o.Path, "variants") {
			return true
		}
	}
	return false
}

func quoteYAML(s string) string {
	b, _ := model.MarshalYAML(s) // a tab kept, quoted
	return strings.TrimSpace(string(b))
}
