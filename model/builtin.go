package model

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
)

//go:embed scenarios/*.yaml
var builtinFS embed.FS

// DefaultScenario is what `aiecon run` runs with no argument.
const DefaultScenario = "baseline"

// BuiltinNames lists the embedded scenarios, sorted.
func BuiltinNames() []string {
	entries, _ := builtinFS.ReadDir("scenarios")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Builtin returns an embedded scenario's YAML.
func Builtin(name string) ([]byte, error) {
	b, err := builtinFS.ReadFile(path.Join("scenarios", name+".yaml"))
	if err != nil {
		return nil, fmt.Errorf("no built-in scenario %q (built-in: %s)", name, strings.Join(BuiltinNames(), ", "))
	}
	return b, nil
}

// BuiltinDescription returns the description line of an embedded scenario.
func BuiltinDescription(name string) string {
	b, err := Builtin(name)
	if err != nil {
		return ""
	}
	sc, _, err := Parse(name+".yaml", b)
	if err != nil {
		return ""
	}
	return sc.Description
}
