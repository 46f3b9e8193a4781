package model

import (
	"embed"
)

//go:embed scenarios/*.yaml
var builtinFS embed.FS

// DefaultScenario is what `aiecon run` runs with no argument.
const DefaultScenario = "baseline"

// builtins are the embedded scenarios.
var builtins = YAMLSet{FS: builtinFS, Dir: "scenarios", Kind: "scenario"}

// BuiltinNames lists the embedded scenarios, sorted.
func BuiltinNames() []string { return builtins.Names() }

// Builtin returns an embedded scenario's YAML.
func Builtin(name string) ([]byte, error) { return builtins.Read(name) }
