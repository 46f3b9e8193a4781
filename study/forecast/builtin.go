package forecast

import (
	"embed"
	"fmt"

	"aiecon/model"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// DefaultBuiltin is what `aiecon forecast` runs with no argument.
const DefaultBuiltin = "trainium-amortization"

// builtins are the embedded forecasts.
var builtins = model.YAMLSet{FS: builtinFS, Dir: "builtin", Kind: "forecast"}

// BuiltinNames lists the embedded forecasts, sorted.
func BuiltinNames() []string { return builtins.Names() }

// Builtin returns an embedded forecast's YAML.
func Builtin(name string) ([]byte, error) {
	b, err := builtins.Read(name)
	if err != nil {
		return nil, fmt.Errorf("%w; and no such file", err)
	}
	return b, nil
}
