package model

import (
	"strings"
	"testing"
)

// tagCrashers are files that crashed go-yaml's decoder with a nil
// dereference (a tag where a list belongs; hostile-input review F0), each
// with the error it must give instead, and who reads it: a scenario, a
// models file (validate --models).
var tagCrashers = []struct {
	name, file, src, want string
	models                bool
}{
	{"workloads !!str", "s.yaml", "name: a\nworkloads: !!str 6\n", `s.yaml:2:12: workloads: want a list, got "6" tagged !!str`, false},
	{"workloads !!int", "s.yaml", "name: a\nworkloads: !!int 6\n", `s.yaml:2:12: workloads: want a list, got "6" tagged !!int`, false},
	{"workloads !x, no value", "s.yaml", "name: a\nworkloads: !x\n", "s.yaml:2:12: workloads: want a list, got null tagged !x", false},
	{"variants", "s.yaml", validScenario + "variants: !x 6\n", "s.yaml:13:11: variants: want a list", false},
	{"pools", "s.yaml", validScenario + "pools: !!str 6\n", "s.yaml:13:8: pools: want a list", false},
	{"through an anchor", "s.yaml", "name: &n !x 6\nworkloads: *n\n", "s.yaml:2:12: workloads: want a list", false},
	{"a tagged mapping where a list belongs", "s.yaml", "name: a\nworkloads: !x {a: 1}\n", "s.yaml:2:12: workloads: want a list, got a mapping tagged !x", false},
	{"models file", "m.yaml", "!x 6\n", `m.yaml:1:1: want a list, got "6" tagged !x`, true},
	{"models file, the fuzzer's", "m.yaml", "!me:ge,en:4 6,rs:s:,ds:,im:8,fn:6,ab:6,xt:031072\n", "m.yaml:1:1: want a list", true},
}

// TestTagWhereListBelongs: each crasher is an error naming its file, line,
// column and field, from the strict decoder and from the overrides' one
// (run FILE --horizon 1m), which dropped the tags and ran fleet: !x {..}.
func TestTagWhereListBelongs(t *testing.T) {
	for _, tc := range tagCrashers {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.models {
				_, err = ReadModels(tc.file, []byte(tc.src))
			} else {
				_, _, err = Parse(tc.file, []byte(tc.src))
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
			if tc.models {
				return
			}
			_, err = ApplyOverridesIn(tc.file, []byte(tc.src), []Override{{Path: "horizon", Value: "1m"}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("with an override: got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestTagsElsewhere: a tag on a mapping, or a collection's tag on a value,
// is refused naming the field (go-yaml said "could not find map" or "want
// an integer, got a list", or nothing, where overrides dropped the tag);
// a scalar tag on a value, or a tag on a list, decodes as before.
func TestTagsElsewhere(t *testing.T) {
	fleet := "  count: 2\n"
	tests := []struct {
		name, from, to, want string // want "": loads
	}{
		{"a tagged mapping", "fleet:\n", "fleet: !x\n", "s.yaml:3:8: fleet: the tag !x on a mapping"},
		{"a tagged value where a mapping belongs", "fleet:\n  instance: trn2.48xlarge\n  count: 2\n  replica: {tp: 32}\n", "fleet: !x 6\n", `s.yaml:3:8: fleet: want a mapping, got "6" tagged !x`},
		{"binary on a count", fleet, "  count: !!binary AAAA\n", "s.yaml:5:10: fleet.count: want an integer, got binary data (!!binary)"},
		{"str on a name", "name: t\n", "name: !!str 5\n", ""},
		{"str on a count", fleet, "  count: !!str 2\n", ""},
		{"a tagged list", "workloads:\n", "workloads: !x\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(validScenario, tc.from, tc.to, 1)
			if src == validScenario {
				t.Fatalf("%q is not in the scenario", tc.from)
			}
			_, _, err := Parse("s.yaml", []byte(src))
			_, oerr := ApplyOverridesIn("s.yaml", []byte(src), []Override{{Path: "horizon", Value: "1m"}})
			for what, err := range map[string]error{"strict": err, "with an override": oerr} {
				switch {
				case tc.want == "" && err != nil:
					t.Errorf("%s: %v, want it to load", what, err)
				case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
					t.Errorf("%s: got %v, want %q", what, err, tc.want)
				}
			}
		})
	}
}
