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

// TestTagsTheParserRefused: a core tag on what it is not written on (a
// list's tag on a value, a value's on a mapping, any but !!str on a key)
// was refused inside goccy's parser in its own words ("value is not
// allowed in this context", "could not find map", "unexpected scalar
// value type", "non-map value is specified"), or, for !!int on a key,
// decoded as the key 0 ("fleet.0: unknown field"): each now names its
// file, line, column, field and tag, from the strict decoder, the
// overrides' one and a models file's reader.
func TestTagsTheParserRefused(t *testing.T) {
	tests := []struct {
		name, from, to, want string
	}{
		{"a list's tag on a value", "name: t\n", "name: !!seq t\n", `s.yaml:1:7: name: the tag !!seq marks a list, not the value "t": write the value without a tag`},
		{"a mapping's tag on a value", "  count: 2\n", "  count: !!map 2\n", `s.yaml:5:10: fleet.count: the tag !!map marks a mapping, not the value "2"`},
		{"!!omap on a value", "  count: 2\n", "  count: !!omap 2\n", `s.yaml:5:10: fleet.count: the tag !!omap marks a list`},
		{"a value's tag on a mapping", "replica: {tp: 32}", "replica: !!int {a: 1}", "s.yaml:6:12: fleet.replica: the tag !!int marks a value, not a mapping: write the mapping without a tag"},
		{"!!float on a mapping", "replica: {tp: 32}", "replica: !!float {tp: 32}", "s.yaml:6:12: fleet.replica: the tag !!float marks a value, not a mapping"},
		{"a list's tag on a mapping", "replica: {tp: 32}", "replica: !!seq {tp: 32}", "s.yaml:6:12: fleet.replica: the tag !!seq marks a list, not a mapping"},
		{"!!binary on a list", "replica: {tp: 32}", "replica: !!binary [1]", "s.yaml:6:12: fleet.replica: the tag !!binary marks a value, not a list: write the list without a tag"},
		{"a mapping's tag on a list", "workloads:\n", "workloads: !!map\n", "s.yaml:7:12: workloads: the tag !!map marks a mapping, not a list"},
		{"a value's tag on a list item", "  - name: chat\n", "  - !!str\n    name: chat\n", "s.yaml:8:5: workloads[0]: the tag !!str marks a value, not a mapping"},
		{"in a flow mapping", "replica: {tp: 32}", "replica: {tp: !!set 32}", "s.yaml:6:17: fleet.replica.tp: the tag !!set marks a mapping"},
		{"a value's tag on nothing", "  count: 2\n", "  count: !!int\n", "s.yaml:5:10: fleet.count: the tag !!int has no value (the next line is the next entry, not its value): write a value after it, or drop the tag"},
		{"after an anchor", "  count: 2\n", "  count: &c !!seq 2\n", "s.yaml:5:13: fleet.count: the tag !!seq marks a list"},
		{"a list's tag on a key", "  count: 2\n", "  !!seq count: 2\n", `s.yaml:5:3: fleet.count: the tag !!seq on a key: a key is a field name, which takes no tag but !!str; write "count" without it`},
		{"!!int on a key", "  count: 2\n", "  !!int count: 2\n", "s.yaml:5:3: fleet.count: the tag !!int on a key"},
		{"!!timestamp on an explicit key", "  count: 2\n", "  ? !!timestamp count\n  : 2\n", "s.yaml:5:5: fleet.count: the tag !!timestamp on a key"},
		{"!!bool on an anchored key", "  count: 2\n", "  &k !!bool count: 2\n", "s.yaml:5:6: fleet.count: the tag !!bool on a key"},
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
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: got %v, want %q", what, err, tc.want)
				}
			}
		})
	}
	_, err := ReadModels("m.yaml", []byte("- name: m\n  layers: !!seq 80\n"))
	if want := `m.yaml:2:11: [0].layers: the tag !!seq marks a list, not the value "80"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("models file: got %v, want %q", err, want)
	}
}

// TestTagsThatFit: a core tag on what it marks, and a local or !!str tag
// on a key, load as before; the parser's own errors elsewhere in a file
// with tags stay its own.
func TestTagsThatFit(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{"workloads:\n", "workloads: !!seq\n", ""},
		{"  count: 2\n", "  !!str count: !!str 2\n", ""},
		{"  count: 2\n", "  !x count: 2\n", ""},
		{"replica: {tp: 32}", "replica: !!map {tp: 32", "s.yaml:7:1: ',' or '}' must be specified"},
	}
	for _, tc := range tests {
		src := strings.Replace(validScenario, tc.from, tc.to, 1)
		if src == validScenario {
			t.Fatalf("%q is not in the scenario", tc.from)
		}
		_, _, err := Parse("s.yaml", []byte(src))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v, want it to load", tc.to, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "the tag")):
			t.Errorf("%q: got %v, want an error with %q about no tag", tc.to, err, tc.want)
		}
	}
}

// TestScalarTagsOnValues: a scalar tag decodes as its value where the
// value is what it marks (go-yaml's strict decoder refused !!int 2 in an
// integer field: "want an integer, got int"), and is refused naming the
// field where it is not (go-yaml read !!int abc as 0, and refused !!bool 5
// in its own words with no field), from the strict decoder and the
// overrides' one alike.
func TestScalarTagsOnValues(t *testing.T) {
	tests := []struct {
		name, from, to, want string // want "": loads
	}{
		{"!!int on a count", "  count: 2\n", "  count: !!int 2\n", ""},
		{"!!int on a name", "name: t\n", "name: !!int 7\n", ""},
		{"!!float on a count", "  count: 2\n", "  count: !!float 2\n", ""},
		{"!!float on an exponent", "    output_tokens: 250\n", "    output_tokens: 250\n    price: {output_per_mtok: 1, input_per_mtok: !!float 1e3}\n", ""},
		{"!!float on a negative exponent", "    output_tokens: 250\n", "    output_tokens: 250\n    price: {output_per_mtok: 1, input_per_mtok: !!float 1e-1}\n", ""},
		{"!!float on a signed exponent", "    output_tokens: 250\n", "    output_tokens: 250\n    price: {output_per_mtok: 1, input_per_mtok: !!float 15E+1}\n", ""},
		{"!!float on a fraction with an exponent", "    output_tokens: 250\n", "    output_tokens: 250\n    price: {output_per_mtok: 1, input_per_mtok: !!float .5e-1}\n", ""},
		{"!!float on an exponent alone", "    output_tokens: 250\n", "    output_tokens: 250\n    price: {output_per_mtok: 1, input_per_mtok: !!float e3}\n", `s.yaml:14:49: workloads[0].price.input_per_mtok: the tag !!float marks a number, not "e3"`},
		{"!!float on a quoted exponent", "    output_tokens: 250\n", "    output_tokens: 250\n    price: {output_per_mtok: 1, input_per_mtok: !!float '1e3'}\n", `workloads[0].price.input_per_mtok: the tag !!float marks a number, not "1e3"`},
		{"!!int on text", "name: t\n", "name: !!int abc\n", `s.yaml:1:7: name: the tag !!int marks an integer, not "abc": write the value without it`},
		{"!!int on a fraction", "  count: 2\n", "  count: !!int 1.5\n", `s.yaml:6:10: fleet.count: the tag !!int marks an integer, not "1.5"`},
		{"!!float on text", "  count: 2\n", "  count: !!float two\n", `s.yaml:6:10: fleet.count: the tag !!float marks a number, not "two"`},
		{"!!bool on a number", "    output_tokens: 250\n", "    output_tokens: !!bool 250\n", `s.yaml:13:20: workloads[0].output_tokens: the tag !!bool marks true or false, not "250"`},
		{"!!null on a number", "  count: 2\n", "  count: !!null 2\n", `s.yaml:6:10: fleet.count: the tag !!null marks null, not "2"`},
		{"!!int on nothing", "    output_tokens: 250\n", "    output_tokens: !!int\n", "s.yaml:13:20: workloads[0].output_tokens: the tag !!int marks an integer, not null"},
		{"!!int on a distribution", "    output_tokens: 250\n", "    output_tokens: !!int 250\n", ""},
		{"!!int through an alias", "  count: 2\n", "  count: *c\n", ""},
		{"!!int before an anchor", "  count: 2\n", "  count: !!int &n 2\n", ""},
		{"!!int before an anchor, on text", "  count: 2\n", "  count: !!int &n two\n", `s.yaml:6:10: fleet.count: the tag !!int marks an integer, not "two"`},
		{"an anchor before !!int", "  count: 2\n", "  count: &n !!int 2\n", ""},
		{"!!int on a quoted integer", "  count: 2\n", "  count: !!int \"2\"\n", ""},
		{"!!int on quoted text", "  count: 2\n", "  count: !!int 'x'\n", `s.yaml:6:10: fleet.count: the tag !!int marks an integer, not "x"`},
		{"!!merge on a value", "  count: 2\n", "  count: !!merge 2\n", `s.yaml:6:10: fleet.count: the tag !!merge marks the merge key <<, not the value "2": write the value without a tag`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(validScenario, tc.from, tc.to, 1)
			if src == validScenario {
				t.Fatalf("%q is not in the scenario", tc.from)
			}
			src = strings.Replace(src, "name: t\n", "name: t\nseed: &c !!int 2\n", 1) // for the alias
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

// TestTagsInSetValues: a tag in a --set value, or in a variant's set, is
// checked against the field its path names, as a file's is: the value was
// decoded without the field's type, and the decoder converted the tagged
// scalar itself (horizon=!!int 1m became 0, "duration "0" needs a unit";
// name=!!int abc named the run "0"; fleet.count=!!bool 5 was refused in
// the decoder's words). A tag that fits decodes as its value.
func TestTagsInSetValues(t *testing.T) {
	tests := []struct {
		set, want string // want "": loads
	}{
		{"horizon=!!int 1m", `--set horizon=!!int 1m: horizon: the tag !!int marks an integer, not "1m": write the value without it`},
		{"window=!!int 1m", `--set window=!!int 1m: window: the tag !!int marks an integer, not "1m"`},
		{"workloads[chat].arrivals.rate=!!int 2/s", `--set workloads[chat].arrivals.rate=!!int 2/s: workloads[chat].arrivals.rate: the tag !!int marks an integer, not "2/s"`},
		{"workloads[0].prompt_tokens.median=!!bool 800", `workloads[0].prompt_tokens.median: the tag !!bool marks true or false, not "800"`},
		{"fleet.count=!!bool 5", `--set fleet.count=!!bool 5: fleet.count: the tag !!bool marks true or false, not "5"`},
		{"name=!!int abc", `--set name=!!int abc: name: the tag !!int marks an integer, not "abc"`},
		{"seed=!!seq 6", `--set seed=!!seq 6: seed: the tag !!seq marks a list, not the value "6"`},
		{"horizon=!!str 1m", ""},
		{"fleet.count=!!int 3", ""},
		{"name=!!str 5", ""},
	}
	src := strings.Replace(validScenario, "name: t\n", "name: t\nhorizon: 1m\n", 1)
	for _, tc := range tests {
		t.Run(tc.set, func(t *testing.T) {
			o, err := ParseOverride(tc.set)
			if err != nil {
				t.Fatal(err)
			}
			out, err := ApplyOverridesIn("s.yaml", []byte(src), []Override{o})
			if err == nil {
				_, _, err = Parse("s.yaml", out)
			}
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("%v, want it to load", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
	variant := src + "variants:\n  - name: v\n    set:\n      workloads[chat].arrivals.rate: !!int 3/s\n"
	_, _, err := Parse("s.yaml", []byte(variant))
	if want := `s.yaml:17:38: variants[0].set.workloads[chat].arrivals.rate: the tag !!int marks an integer, not "3/s"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("variant: got %v, want %q", err, want)
	}
}

// TestTaggedValuesRead: a tag before an anchor (!!int &a 3, which go-yaml
// read as the value "!!int"), !!int on a quoted integer (the tag wins over
// the quotes) and !!str on a count (text, read as the quoted "2" is) load
// as the value they mark; a local tag (!x 6) is read as its value, as
// docs/scenarios.md says.
func TestTaggedValuesRead(t *testing.T) {
	for _, tc := range []struct {
		seed, count string
	}{
		{"!!int &a 3", "*a"},
		{"&a !!int 3", "*a"},
		{"3", `!!int "3"`},
		{"3", "!!str 3"},
		{"!x 3", `"3"`},
	} {
		src := strings.Replace(validScenario, "name: t\n", "name: t\nseed: "+tc.seed+"\n", 1)
		src = strings.Replace(src, "  count: 2\n", "  count: "+tc.count+"\n", 1)
		sc, _, err := Parse("s.yaml", []byte(src))
		if err != nil {
			t.Errorf("seed: %s, count: %s: %v", tc.seed, tc.count, err)
			continue
		}
		if sc.Seed != 3 || sc.Fleet.Count != 3 {
			t.Errorf("seed: %s, count: %s: read seed %d, count %d, want 3 and 3", tc.seed, tc.count, sc.Seed, sc.Fleet.Count)
		}
	}
}

// TestNullAndBoolTagsRead: !!null on null reads as the null alone (seed: ~
// gives the default seed), where go-yaml's decoder printed a Go format
// artefact ("got %!s(<nil>) \"!!null\""), and !!bool on a boolean where a
// number belongs is refused as the untagged one is, quoting the value, not
// the tag ("got bool \"!!bool\"").
func TestNullAndBoolTagsRead(t *testing.T) {
	seedOf := func(src string) (uint64, error) {
		sc, _, err := Parse("s.yaml", []byte(src))
		if err != nil {
			return 0, err
		}
		return sc.Seed, nil
	}
	bare, err := seedOf(strings.Replace(validScenario, "name: t\n", "name: t\nseed: ~\n", 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		seed, want string // want "": loads as seed: ~ does
	}{
		{"!!null ~", ""}, // loads as seed: ~ does
		{"!!null null", ""},
		{"!!null", "s.yaml:2:7: seed: the tag !!null has no value"},
		{"!!bool true", `s.yaml:2:7: seed: want an integer, got bool "true"`},
	} {
		src := strings.Replace(validScenario, "name: t\n", "name: t\nseed: "+tc.seed+"\n", 1)
		for what, parse := range map[string]func() (uint64, error){
			"strict": func() (uint64, error) { return seedOf(src) },
			"with an override": func() (uint64, error) {
				out, err := ApplyOverridesIn("s.yaml", []byte(src), []Override{{Path: "horizon", Value: "1m"}})
				if err != nil {
					return 0, err
				}
				return seedOf(string(out))
			},
		} {
			seed, err := parse()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("seed: %s, %s: %v, want it to load", tc.seed, what, err)
			case tc.want == "" && seed != bare:
				t.Errorf("seed: %s, %s: read seed %d, want %d as seed: ~ reads", tc.seed, what, seed, bare)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("seed: %s, %s: got %v, want %q", tc.seed, what, err, tc.want)
			}
		}
	}
}
