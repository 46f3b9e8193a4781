package model

import (
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"

	"aiecon/model/llm"
)

// Paths lists every settable field of a scenario as a dotted path, with "[]"
// for list elements (workloads[].arrivals.rate). It is derived from the YAML
// tags, so it is always the real schema; `--set` and error hints use it.
func Paths() []string { return slices.Clone(allPaths()) }

// allPaths walks the schema once: every --set of every sweep point checks
// its path against it, and the walk was an eighth of loading a point.
var allPaths = sync.OnceValue(func() []string {
	var out []string
	walkPaths(reflect.TypeOf(Scenario{}), "", func(p string, _ reflect.Type) { out = append(out, p) }, 0)
	sort.Strings(out)
	return out
})

// IntegerPath reports whether a scenario path (fleet.count,
// workloads[chat].agent.tool_calls or workloads[].agent.tool_calls) names an
// integer field, which a fraction may not be set to.
func IntegerPath(path string) bool {
	integerPathsOnce.Do(func() {
		integerPaths = map[string]bool{}
		walkPaths(reflect.TypeOf(Scenario{}), "", func(p string, t reflect.Type) {
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			if decodesItself(t) { // durations and rates read their own units
				return
			}
			switch t.Kind() {
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
				reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
				integerPaths[p] = true
			}
		}, 0)
	})
	return integerPaths[anyIndexRE.ReplaceAllString(path, "[]")]
}

var (
	integerPathsOnce sync.Once
	integerPaths     map[string]bool
	anyIndexRE       = regexp.MustCompile(`\[[^\]]*\]`)
)

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

func walkPaths(t reflect.Type, prefix string, visit func(path string, t reflect.Type), depth int) {
	if depth > 8 {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case leafTypes[t]:
		visit(prefix, t)
		return
	case t == distType:
		visit(prefix, t)
		for _, k := range []string{"dist", "value", "mean", "median", "p99", "sigma", "cv", "std", "min", "max", "values", "trace", "column"} {
			visit(prefix+"."+k, reflect.TypeOf(0.0))
		}
		return
	case t == modelRefType:
		visit(prefix, t)
		walkPaths(reflect.TypeOf(llm.Arch{}), prefix, visit, depth+1)
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
			walkPaths(f.Type, p, visit, depth+1)
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct || t.Elem().Kind() == reflect.Pointer {
			walkPaths(t.Elem(), prefix+"[]", visit, depth+1)
			return
		}
		visit(prefix, t)
	default:
		visit(prefix, t)
	}
}
