package forecast

import (
	"embed"

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

// Builtin returns an embedded forecast's YAML. Its error says only that
// no built-in has the name: whether a file has it is Load's to check.
func Builtin(name string) ([]byte, error) { return builtins.Read(name) }
