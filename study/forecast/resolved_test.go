package forecast

import (
	"fmt"
	"reflect"
	"testing"

	"aiecon/model"
	"aiecon/runner"
)

// TestResolvedYAMLRoundTrips: the resolved scenario a run stores (what
// `aiecon show RUN --yaml=resolved` prints) loads back as the scenario the
// run ran, field for field, for every built-in scenario and variant and
// every slice of the built-in forecasts' first and last periods, whose
// arrival rates the forecast scales (11.250413596244188/s, which the
// resolved scenario wrote 11.2504/s, so that a rerun of it read $1,042 of
// revenue where the run had read $1,046).
func TestResolvedYAMLRoundTrips(t *testing.T) {
	var ls []*runner.Loaded
	for _, name := range model.BuiltinNames() {
		vs, err := runner.LoadVariants(name, nil, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ls = append(ls, vs...)
	}
	for _, name := range BuiltinNames() {
		f, err := Load(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, j := range f.Jobs() {
			if j.Period != 1 && j.Period != f.Spec.Periods.Count {
				continue
			}
			l, err := f.describedJob(j)
			if err != nil {
				t.Fatalf("%s, job %+v: %v", name, j, err)
			}
			ls = append(ls, l)
		}
	}
	for _, l := range ls {
		back, err := runner.LoadSource("resolved.yaml", l.Resolved, l.TraceDir, nil)
		if err != nil {
			t.Fatalf("%s: the resolved scenario does not load: %v\n%s", l.Scenario.Name, err, l.Resolved)
		}
		if diff := firstDiff("", reflect.ValueOf(l.Scenario), reflect.ValueOf(back.Scenario)); diff != "" {
			t.Errorf("%s: the resolved scenario reads back otherwise: %s", l.Scenario.Name, diff)
		}
	}
}

// firstDiff is the first exported field where a and b differ, with both
// values, or "": reflect.DeepEqual, less the unexported bookkeeping of
// which fields the YAML gave (model.Dist's).
func firstDiff(path string, a, b reflect.Value) string {
	if a.IsValid() != b.IsValid() || a.IsValid() && a.Type() != b.Type() {
		return path + ": one is missing or of another type"
	}
	switch a.Kind() {
	case reflect.Invalid:
		return ""
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%s: %v against %v", path, a, b)
			}
			return ""
		}
		return firstDiff(path, a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if f := a.Type().Field(i); f.IsExported() {
				if d := firstDiff(path+"."+f.Name, a.Field(i), b.Field(i)); d != "" {
					return d
				}
			}
		}
		return ""
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d items against %d", path, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := firstDiff(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Map:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d keys against %d", path, a.Len(), b.Len())
		}
		for _, k := range a.MapKeys() {
			if d := firstDiff(fmt.Sprintf("%s[%v]", path, k), a.MapIndex(k), b.MapIndex(k)); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a.Interface(), b.Interface()) {
		return fmt.Sprintf("%s: %#v against %#v", path, a.Interface(), b.Interface())
	}
	return ""
}
