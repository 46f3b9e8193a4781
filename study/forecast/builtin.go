package forecast

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// DefaultBuiltin is what `aiecon forecast` runs with no argument.
const DefaultBuiltin = "trainium-amortization"

// BuiltinNames lists the embedded forecasts, sorted.
func BuiltinNames() []string {
	entries, _ := builtinFS.ReadDir("builtin")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Builtin returns an embedded forecast's YAML.
func Builtin(name string) ([]byte, error) {
	b, err := builtinFS.ReadFile(path.Join("builtin", name+".yaml"))
	if err != nil {
		return nil, fmt.Errorf("no built-in forecast %q and no such file (built-in: %s)", name, strings.Join(BuiltinNames(), ", "))
	}
	return b, nil
}
