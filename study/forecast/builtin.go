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

// BuiltinOf names the built-in forecast whose YAML has SHA-256 sum (hex,
// as a kept run's fingerprint records the file it ran), "" where none has:
// a store keeps a stopped forecast's file as that sum alone.
func BuiltinOf(sum string) string {
	for _, name := range BuiltinNames() {
		if src, err := Builtin(name); err == nil && sha256Hex(src) == sum {
			return name
		}
	}
	return ""
}
