package model

import (
	"fmt"
	"slices"
	"strings"
)

// Setter is where overrides are written, which the refusal of a path
// says: a --set (PATH=VALUE, FlagSetter) or an entry of a YAML mapping of
// them (PATH: VALUE: a variant's set, a sweep's set or parameters). A
// variant's block given a value was told "--set sets one field", though
// nobody typed a --set.
type Setter struct {
	// Gives says what gives a path, and that it gives one field:
	// "--set sets one field", "variant big's set sets one field per entry".
	Gives string
	// YAML is set for an entry of a YAML mapping, whose caller places its
	// refusals: they do not start "--set PATH: ".
	YAML bool
	// Values is set where an entry lists values (a sweep's parameters:
	// PATH: [VALUES]).
	Values bool
}

// FlagSetter is the command line's --set.
var FlagSetter = Setter{Gives: "--set sets one field"}

// VariantSetter is the set of the variant named name.
func VariantSetter(name string) Setter {
	owner := "the variant's set"
	if name != "" {
		owner = "variant " + name + "'s set"
	}
	return Setter{Gives: owner + " sets one field per entry", YAML: true}
}

// setter is the Setter o comes from.
func (o Override) setter() Setter {
	switch {
	case o.Variant != "":
		return VariantSetter(o.Variant)
	case o.From != "":
		return Setter{Gives: "each entry sets one field", YAML: true}
	}
	return FlagSetter
}

// assign writes path given value as the setter does.
func (s Setter) assign(path, value string) string {
	switch {
	case !s.YAML:
		return path + "=" + value
	case s.Values:
		return path + ": [" + value + "]"
	}
	return path + ": " + value
}

// value is how the setter's examples write a field's value.
func (s Setter) value() string {
	if s.Values {
		return "VALUES"
	}
	return "VALUE"
}

// refusal is an error about path: a --set's starts "--set PATH: ".
func (s Setter) refusal(path, format string, args ...any) error {
	if s.YAML {
		return fmt.Errorf(format, args...)
	}
	return fmt.Errorf("--set %s: %s", path, fmt.Sprintf(format, args...))
}

// CheckPath reports an unknown path s gives with the nearest valid ones,
// and a list or a block of fields, which --set cannot set whole; an
// optional block (OptionalBlock) passes, as null may reset it, and
// Override.Check sees its value.
func (s Setter) CheckPath(path string) error {
	segs, err := parsePath(path)
	if err != nil {
		return s.refusal(path, "%v", err)
	}
	sp := schemaPath(segs)
	all := allPaths()
	if _, found := slices.BinarySearch(all, sp); found {
		return nil
	}
	if routedWorkload(segs) {
		return nil
	}
	if OptionalBlock(path) {
		return nil
	}
	if err := s.wholeBlock(path, sp); err != nil {
		return err
	}
	return s.refusal(path, "unknown field %s; nearest valid paths: %s", sp, strings.Join(nearest(sp, all, 4), ", "))
}

// Check is CheckPath for o, with its value: an optional block
// (ads, training, fleet.autoscale) takes null (or ~), which removes it, as
// if the scenario left it out, and no other value. Its refusals say where
// o comes from (a --set, a variant's set).
func (o Override) Check() error { return o.setter().Check(o.Path, o.Value) }

// Check is Override.Check for a path and value (YAML) s gives.
func (s Setter) Check(path, value string) error {
	if err := s.CheckPath(path); err != nil || !OptionalBlock(path) {
		return err
	}
	var v any
	if decodeChecked("--set "+path, []byte(value), &v) == nil && v == nil {
		return nil
	}
	segs, _ := parsePath(path)
	return s.wholeBlock(path, schemaPath(segs))
}

// wholeBlock refuses a path that names a list or a block of fields (sp is
// its schema form), which an override cannot set whole: workloads=[] was
// called an unknown field, though the scenario has one. Nil when sp is
// neither.
func (s Setter) wholeBlock(path, sp string) error {
	if keys := KnownKeys(sp + "[]"); len(keys) > 0 {
		return s.refusal(path, "%s is a list, and %s, not a whole list or block; set a field of an element, as %s or %s (fields: %s)",
			path, s.Gives, s.assign(path+"[NAME].FIELD", s.value()), s.assign(path+"[0].FIELD", s.value()), strings.Join(keys, ", "))
	}
	if keys := KnownKeys(sp); len(keys) > 0 {
		reset := ""
		if OptionalBlock(path) {
			reset = ", or " + s.assign(path, "null") + " to remove the block, as if left out"
		}
		return s.refusal(path, "%s is a block of fields, and %s, not a whole block; set one of its fields, as %s%s (fields: %s)",
			path, s.Gives, s.assign(path+".FIELD", s.value()), reset, strings.Join(keys, ", "))
	}
	return nil
}

// routedWorkload says whether segs is routing.workloads.WORKLOAD, one entry
// of the map of workloads to pools: a map's keys are the scenario's, so
// the schema's paths hold none, and errors named such a path that no
// --set, variant or sweep could reach (only the whole map, which a --set
// cannot set).
func routedWorkload(segs []pathSegment) bool {
	return len(segs) == 3 && segs[0].key == "routing" && segs[1].key == "workloads" &&
		len(segs[0].selectors)+len(segs[1].selectors)+len(segs[2].selectors) == 0
}
