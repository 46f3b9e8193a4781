package model

import (
	"reflect"
	"strings"
)

// OptionalBlock reports whether path (selectors by index, name or [])
// names an optional block of fields: one the scenario may leave out, its
// absence being its default (ads, training, fleet.autoscale,
// fleet.replica.speculative, workloads[chat].agent.retrieval). Null there
// removes the block, the one way to switch it off with --set, a variant's
// set or a sweep's parameter. These are the schema's pointer fields; a
// block that is always there (fleet, fleet.replica) and a list element are
// not optional.
func OptionalBlock(path string) bool {
	segs, err := parsePath(path)
	if err != nil {
		return false
	}
	t := reflect.TypeOf(Scenario{})
	for _, seg := range segs {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || leafTypes[t] || t == distType || t == modelRefType {
			return false
		}
		f, ok := fieldByTag(t, seg.key)
		if !ok {
			return false
		}
		t = f.Type
		for range seg.selectors {
			if t.Kind() != reflect.Slice {
				return false
			}
			t = t.Elem()
		}
	}
	last := segs[len(segs)-1]
	return len(last.selectors) == 0 && t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && !leafTypes[t.Elem()]
}

// fieldByTag is t's field whose YAML key is key.
func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.IsExported() && strings.Split(f.Tag.Get("yaml"), ",")[0] == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// removeBlock is the value setIn takes to remove an optional block: null
// written there would decode the same, but setIn would have created the
// mappings on the way to it (an agent block for a workload with none).
type removeBlock struct{}
