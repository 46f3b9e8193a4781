package runner

import (
	"aiecon/model"
)

// SourceCheck resolves one scenario text under many sets of overrides, as
// LoadSource would, to say whether each is valid: a sweep's points before
// any runs. It decodes the text once (LoadSource decoded it for every
// point) and does not write the resolved scenario back as YAML, which
// Loaded.Resolved keeps for a run and a check throws away: together a
// fifth to a third of the time of a point. It is safe for concurrent use.
type SourceCheck struct {
	name, dir string
	src       []byte
	base      *model.OverrideBase
	baseErr   error // the text's own, returned for every set of overrides
	// parsed is the text as ParseYAML read it (nil where it did not), which
	// a load without overrides decodes rather than parse the text again.
	parsed *model.Source
	stored bool // the text was read back from the store (LoadStoredOverrides)
}

// NewStoredSourceCheck is NewSourceCheck for a text read back from the
// store, which ran as it is: it loads as LoadStoredOverrides does.
func NewStoredSourceCheck(name string, src []byte, dir string) *SourceCheck {
	c := NewSourceCheck(name, src, dir)
	c.stored = true
	return c
}

// Load is LoadOverrides(name, src, dir, overrides) (LoadStoredOverrides
// for a stored text) from the text decoded once: a sweep loads each
// point's scenario with it, and decoded its base again for every point.
func (c *SourceCheck) Load(overrides []model.Override) (*Loaded, error) {
	merged, err := c.merge(overrides)
	if err != nil {
		return nil, err
	}
	return loadMerged(c.name, c.src, merged, c.dir, overrides, nil, c.stored, c.parsedFor(overrides))
}

// LoadSets is Load with sets as LoadSource takes them (path=value):
// LoadSource(name, src, dir, sets) from the text decoded once.
func (c *SourceCheck) LoadSets(sets []string) (*Loaded, error) {
	overrides, err := parseOverrides(sets)
	if err != nil {
		return nil, err
	}
	return c.Load(overrides)
}

// ResolveSets is Resolve with sets as LoadSource takes them: the scenario
// LoadSource(name, src, dir, sets) loads, without its resolved YAML.
func (c *SourceCheck) ResolveSets(sets []string) (*Loaded, error) {
	overrides, err := parseOverrides(sets)
	if err != nil {
		return nil, err
	}
	return c.Resolve(overrides)
}

// Parse is the scenario LoadOverrides(name, src, dir, overrides) would
// load, decoded strictly as model.Parse decodes it, without defaults or
// checks, from the text decoded once: a forecast reads what each period's
// sets leave of the base before it can size the fleet they check.
func (c *SourceCheck) Parse(overrides []model.Override) (*model.Scenario, error) {
	if parsed := c.parsedFor(overrides); parsed != nil {
		sc, _, err := model.ParseParsed(parsed)
		return sc, err
	}
	merged, err := c.merge(overrides)
	if err != nil {
		return nil, err
	}
	sc, _, err := model.Parse(SourceLabel(c.name), merged)
	return sc, err
}

// Base is the text decoded for overrides, or the text's own error, as
// model.DecodeForOverrides(SourceLabel(name), src) returns them: for a
// caller that applies overrides to the text without loading it (a
// forecast checking each entry of its sets), which decoded it again for
// each. Apply does not change it.
func (c *SourceCheck) Base() (*model.OverrideBase, error) { return c.base, c.baseErr }

// NewSourceCheck prepares name's text src (traces and calibrations
// relative to dir) for Check.
func NewSourceCheck(name string, src []byte, dir string) *SourceCheck {
	c := &SourceCheck{name: name, dir: dir, src: src}
	// As model.DecodeForOverrides(SourceLabel(name), src), keeping the
	// tree it parses for the loads without overrides.
	label := SourceLabel(name)
	tree, text, err := model.ParseYAML(label, src)
	if err != nil {
		c.baseErr = err
		return c
	}
	c.parsed = model.SourceOf(label, text, tree)
	c.base, c.baseErr = c.parsed.ForOverrides()
	return c
}

// parsedFor is the text already parsed where overrides leave it as it is
// (none: merge returns the text itself), nil where they change it.
func (c *SourceCheck) parsedFor(overrides []model.Override) *model.Source {
	if len(overrides) > 0 {
		return nil
	}
	return c.parsed
}

// CheckOverrides returns the error LoadSource(name, src, dir, sets) would,
// the sets parsed (LoadOverrides), nil where it would load.
func (c *SourceCheck) CheckOverrides(overrides []model.Override) error {
	merged, err := c.merge(overrides)
	if err != nil {
		return err
	}
	_, _, _, _, err = resolveMerged(c.name, c.src, merged, c.dir, overrides, nil, c.stored, c.parsedFor(overrides))
	return err
}

// Resolve is LoadOverrides(name, src, dir, overrides) without the resolved
// YAML (Loaded.Resolved is nil): for a reader of the scenario alone, such
// as a sweep's overload check, which resolves every point of a sweep and
// spent most of its time decoding the text again and writing YAML it threw
// away.
func (c *SourceCheck) Resolve(overrides []model.Override) (*Loaded, error) {
	merged, err := c.merge(overrides)
	if err != nil {
		return nil, err
	}
	sc, source, sampled, traces, err := resolveMerged(c.name, c.src, merged, c.dir, overrides, nil, c.stored, c.parsedFor(overrides))
	if err != nil {
		return nil, err
	}
	l := &Loaded{Name: c.name, Given: c.src, Scenario: sc, Source: source, TraceDir: c.dir, Traces: traces, Overrides: overrides, User: overrides}
	if c.stored {
		l.Notes = model.StoredNotes(sc)
	}
	l.noteSampled(sampled)
	return l, nil
}

// merge is the text with overrides applied to its decoded form; the text
// itself where there are none.
func (c *SourceCheck) merge(overrides []model.Override) ([]byte, error) {
	if len(overrides) == 0 {
		return c.src, nil
	}
	if c.baseErr != nil {
		return nil, &InputError{Err: c.baseErr}
	}
	merged, err := c.base.Apply(overrides)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	return merged, nil
}
