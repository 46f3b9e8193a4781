package forecast

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"

	"aiecon/model"
	"aiecon/runner"
)

// A set's entry the runs cannot apply (a block given whole, as fleet:
// {count: 2} or workloads: [...]; a value for a block, as fleet: 3; an
// unknown path; a list for a number, as fleet.replica.tp: [8]) was refused
// only when the runs were prepared, after the file had been accepted, and
// without its line: the forecast's demand check loads the sets that move
// demand alone, so the others first met the scenario in a run. They are
// refused here, when the file is read, at the entry, as the file's other
// problems are.

// setEntry is one entry of a set of the file: its path, its value as
// YAML, and where the file writes the set (variants[1].set).
type setEntry struct{ at, path, value string }

// String is the entry as an override's path=value (setStrings).
func (e setEntry) String() string { return e.path + "=" + e.value }

// entryFrom names entry e as an error its run causes names it: where the
// file writes its value, and the entry ("fc.yaml:6:36: roadmap[0].set
// {fleet.pricing: bogus}"; placeEntries). Refused only once its scenario
// is resolved (an unknown pricing or instance), such an entry had been
// named as a --set nobody typed, without its line.
func (f *Forecast) entryFrom(e setEntry) string {
	if name, ok := f.entryNames[e]; ok {
		return name
	}
	return e.named()
}

// named is the entry as the file's set writes it, on one line
// ("roadmap[0].set {fleet.pricing: bogus}").
func (e setEntry) named() string {
	return e.at + strings.TrimPrefix(model.Override{Path: e.path, Value: e.value}.SetEntry(), "set")
}

// placeEntries places, for entryFrom, each entry of the file's sets that a
// run applies (the forecast's set, then each variant's and its timeline's)
// where the file writes its value (s, the file as read).
func (f *Forecast) placeEntries(s *source) {
	f.entryNames = map[setEntry]string{}
	for _, vp := range f.Variants {
		for _, e := range append(entriesOf("set", f.Spec.Set), f.roadmapEntries(vp, f.Spec.Periods.Count)...) {
			if line, col, ok := s.loc.EntryPosition(e.at, e.path); ok {
				f.entryNames[e] = fmt.Sprintf("%s:%d:%d: %s", s.file, line, col, e.named())
			}
		}
	}
}

// setEntries are the entries of set, written at at, as setter gives them;
// false, with the problem recorded at its key, when one is no path an
// override may set (model.Setter.Check: unknown, or a list or a block of
// fields given whole, or an optional block given other than null).
func setEntries(s *source, at string, set yaml.MapSlice, setter model.Setter) ([]setEntry, bool) {
	var out []setEntry
	ok := true
	for _, it := range set {
		path := strings.TrimSpace(fmt.Sprint(it.Key))
		val, err := model.MarshalYAML(it.Value)
		if err == nil {
			err = setter.Check(path, strings.TrimSpace(string(val)))
		}
		if err != nil {
			s.errfAt(keyPos(at, path), at+"."+path, "%v", err)
			ok = false
			continue
		}
		out = append(out, setEntry{at: at, path: path, value: strings.TrimSpace(string(val))})
	}
	return out, ok
}

// Setters of the file's sets, for refusals that say how each gives a path.
var (
	forecastSetter = model.Setter{Gives: "the forecast's set sets one field per entry", YAML: true}
	stepSetter     = model.Setter{Gives: "a roadmap step's set sets one field per entry", YAML: true}
)

// checkForecastSet checks the forecast's set against the base scenario
// (read from file, decoded in check) before it is loaded with it: false
// where an entry is refused, at its line (its problems were placed at
// base:).
func checkForecastSet(s *source, file string, check *runner.SourceCheck, set yaml.MapSlice) bool {
	entries, ok := setEntries(s, "set", set, forecastSetter)
	return ok && checkEntryValues(s, file, check, nil, entries, map[string]bool{})
}

// checkSetValues checks every variant's set and roadmap steps: first each
// entry's path (setEntries), then, for each variant, its set and the steps
// it runs (timeline) on the base scenario with the forecast's set, in the
// order the runs apply them (checkEntryValues). A forecast-wide step's
// problem is named once, not once per variant.
func (f *Forecast) checkSetValues(s *source) {
	n := len(s.errs)
	placed := map[string][]setEntry{} // by where the file writes the set
	add := func(at string, set yaml.MapSlice, setter model.Setter) {
		placed[at], _ = setEntries(s, at, set, setter)
	}
	for i, st := range f.Spec.Roadmap {
		add(fmt.Sprintf("roadmap[%d].set", i), st.Set, stepSetter)
	}
	for _, vp := range f.Variants {
		add(vp.at+".set", vp.Set, model.VariantSetter(vp.Name))
		for i, st := range vp.Roadmap {
			add(fmt.Sprintf("%s.roadmap[%d].set", vp.at, i), st.Set, stepSetter)
		}
	}
	if len(s.errs) > n {
		return
	}
	base, _ := setEntries(s, "set", f.Spec.Set, forecastSetter) // checked in loadBase
	reported := map[string]bool{}
	for _, vp := range f.Variants {
		entries := placed[vp.at+".set"]
		for _, st := range f.timeline(vp) {
			entries = append(entries, placed[st.at+".set"]...)
		}
		checkEntryValues(s, f.baseName, f.decodedBase(), base, entries, reported)
	}
}

// checkEntryValues applies base and then entries to the scenario check
// decoded (once for every variant, not again for each), read from file, and
// decodes it strictly (model.Parse: types, units, written zeros; no
// defaults, no catalog, no checks across fields, which the runs' own sets
// may yet satisfy). Where that fails, the first entry whose application
// fails is refused at its key, once (reported), and it returns false. The
// entries before it are applied with it, as the runs apply them: a path
// may lead through a workload an earlier entry gives.
func checkEntryValues(s *source, file string, check *runner.SourceCheck, base, entries []setEntry, reported map[string]bool) bool {
	ob, err := check.Base()
	if err != nil {
		return true // the scenario's own problem, reported as it loads
	}
	ovs := overridesOf(append(append([]setEntry(nil), base...), entries...))
	if decodes(file, ob, ovs) == nil {
		return true
	}
	for i, e := range entries {
		err := decodes(file, ob, ovs[:len(base)+i+1])
		if err == nil {
			continue
		}
		msg := entryProblem(e, err)
		if key := e.at + "\x00" + e.path + "\x00" + msg; !reported[key] {
			reported[key] = true
			s.errfAt(keyPos(e.at, e.path), e.at+"."+e.path, "%s", msg)
		}
		return false
	}
	return true // only the base's sets fail: loadBase says why
}

func overridesOf(entries []setEntry) []model.Override {
	out := make([]model.Override, len(entries))
	for i, e := range entries {
		out[i] = model.Override{Path: e.path, Value: e.value}
	}
	return out
}

// decodes applies ovs to the decoded scenario and decodes the result.
func decodes(file string, ob *model.OverrideBase, ovs []model.Override) error {
	merged, err := ob.Apply(ovs)
	if err == nil {
		_, _, err = model.Parse(file, merged)
	}
	return err
}

// selectorRE is a list selector in a path: [0], [chat].
var selectorRE = regexp.MustCompile(`\[[^\]]*\]`)

// entryProblem is what err says of entry e, without the place in the
// merged scenario (not the file's) or the --set it was applied as.
func entryProblem(e setEntry, err error) string {
	var fe model.FieldError
	if errors.As(err, &fe) {
		// The entry's own field, perhaps selected by index where the
		// entry names it (workloads[0] for workloads[chat]), goes
		// without saying: the refusal names the entry.
		if selectorRE.ReplaceAllString(fe.Field, "[]") == selectorRE.ReplaceAllString(e.path, "[]") {
			return fe.Msg
		}
		return fe.Unplaced()
	}
	return strings.TrimPrefix(err.Error(), "--set "+e.path+": ")
}
