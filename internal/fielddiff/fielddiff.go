// Package fielddiff names the first exported field where two values differ,
// for tests that check a value survives a round trip (a resolved scenario
// written and read back): reflect.DeepEqual says only that they differ,
// and it also compares unexported bookkeeping (which fields a YAML file
// gave) that a round trip need not keep.
package fielddiff

import (
	"fmt"
	"reflect"
)

// First is the path of the first exported field where a and b differ, with
// both values, or "" where every exported field agrees (reflect.DeepEqual
// on the leaves).
func First(a, b any) string {
	return firstDiff("", reflect.ValueOf(a), reflect.ValueOf(b))
}

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
