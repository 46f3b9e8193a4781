package model

import (
	"reflect"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"

	"aiecon/model/llm"
)

// Paths lists every settable field of a scenario as a dotted path, with "[]"
// for list elements (workloads[].arrivals.rate). It is derived from the YAML
// tags, so it is always the real schema; `--set` and error hints use it.
func Paths() []string {
	var out []string
	walkPaths(reflect.TypeOf(Scenario{}), "", &out, 0)
	sort.Strings(out)
	return out
}

// KnownKeys lists the keys allowed directly under a parent path ("" = top level).
func KnownKeys(parent string) []string {
	seen := map[string]bool{}
	var keys []string
	prefix := parent + "."
	if parent == "" {
		prefix = ""
	}
	for _, p := range Paths() {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		rest := p[len(prefix):]
		if i := strings.IndexAny(rest, ".["); i >= 0 {
			rest = rest[:i]
		}
		if rest != "" && !seen[rest] {
			seen[rest] = true
			keys = append(keys, rest)
		}
	}
	sort.Strings(keys)
	return keys
}

var (
	leafTypes = map[reflect.Type]bool{
		reflect.TypeOf(Duration(0)):     true,
		reflect.TypeOf(Rate(0)):         true,
		reflect.TypeOf(Diurnal{}):       true,
		reflect.TypeOf(yaml.MapSlice{}): true,
	}
	distType     = reflect.TypeOf(Dist{})
	modelRefType = reflect.TypeOf(ModelRef{})
)

func walkPaths(t reflect.Type, prefix string, out *[]string, depth int) {
	if depth > 8 {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case leafTypes[t]:
		*out = append(*out, prefix)
		return
	case t == distType:
		*out = append(*out, prefix)
		for _, k := range []string{"dist", "value", "mean", "median", "p99", "sigma", "cv", "std", "min", "max", "values", "trace", "column"} {
			*out = append(*out, prefix+"."+k)
		}
		return
	case t == modelRefType:
		*out = append(*out, prefix)
		walkPaths(reflect.TypeOf(llm.Arch{}), prefix, out, depth+1)
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" || !f.IsExported() {
				continue
			}
			p := tag
			if prefix != "" {
				p = prefix + "." + tag
			}
			walkPaths(f.Type, p, out, depth+1)
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct || t.Elem().Kind() == reflect.Pointer {
			walkPaths(t.Elem(), prefix+"[]", out, depth+1)
			return
		}
		*out = append(*out, prefix)
	default:
		*out = append(*out, prefix)
	}
}
