package model

import (
	"strings"
	"testing"
)

// TestDecodeStrictIntegers: a whole number in any YAML spelling decodes
// into an integer field; a fraction is an error at its place, where go-yaml
// alone truncates 1.5 to 1; text and numbers out of range keep go-yaml's
// own errors.
func TestDecodeStrictIntegers(t *testing.T) {
	type T struct {
		N int    `yaml:"n"`
		U uint64 `yaml:"u"`
	}
	tests := []struct {
		in      string
		want    T
		wantErr string
	}{
		{"n: 8", T{N: 8}, ""},
		{"n: 8.0", T{N: 8}, ""},
		{"n: 1e3", T{N: 1000}, ""},
		{"n: 0x10", T{N: 16}, ""},
		{"n: -3", T{N: -3}, ""},
		{"n:", T{}, ""},
		{"u: 18446744073709551615", T{U: 18446744073709551615}, ""},
		{"n: 1.5", T{}, "[1:4] want an integer, got 1.5"},
		{`n: "2.5"`, T{}, "[1:4] want an integer, got 2.5"},
		{"n: 1_000.5", T{}, "[1:4] want an integer, got 1_000.5"},
		{"n: .nan", T{}, "[1:4] want an integer, got .nan"},
		{"u: -.inf", T{}, "[1:4] want an integer, got -.inf"},
		{"u: 2.5", T{}, "[1:4] want an integer, got 2.5"},
		{"n: 1e300", T{}, "overflow"},
		{"n: many", T{}, "cannot unmarshal"},
	}
	for _, tt := range tests {
		var got T
		err := decodeText(t, tt.in, &got)
		switch {
		case tt.wantErr == "" && (err != nil || got != tt.want):
			t.Errorf("%q: %+v, %v; want %+v", tt.in, got, err, tt.want)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%q: error %v, want it to contain %q", tt.in, err, tt.wantErr)
		}
	}
}

// TestDecodeStrictLocatesFractions: the fraction is found under inline
// structs, lists and maps, at its line and column.
func TestDecodeStrictLocatesFractions(t *testing.T) {
	type Inner struct {
		K int `yaml:"k"`
	}
	type T struct {
		Inner `yaml:",inline"`
		List  []Inner          `yaml:"list"`
		Map   map[string]int   `yaml:"map"`
		Ptr   *Inner           `yaml:"ptr"`
		F     float64          `yaml:"f"`
		F2    float64          `yaml:"f2"`
		Base  map[string]any   `yaml:"base"`
		Any   map[string][]int `yaml:"any"`
	}
	tests := []struct{ in, want string }{
		{"f: 1.5\nk: 2\n", ""},
		{"k: 2.5\n", "[1:4] want an integer, got 2.5"},
		{"list:\n  - k: 1\n  - k: 3.25\n", "[3:8] want an integer, got 3.25"},
		{"map: {a: 1, b: 0.5}\n", "[1:16] want an integer, got 0.5"},
		{"ptr: {k: 7.7}\n", "[1:10] want an integer, got 7.7"},
		{"any: {x: [1, 2, 2.5]}\n", "[1:17] want an integer, got 2.5"},
		// An alias is reported where it is used; an anchor of a float field
		// is fine until an integer field takes it.
		{"f: &x 1.5\nk: *x\n", "[2:4] want an integer, got 1.5"},
		{"f: &x 1.5\nlist: [{k: 1}, {k: *x}]\n", "[2:20] want an integer, got 1.5"},
		{"k: &x 2.5\n", "[1:7] want an integer, got 2.5"},
		// Keys written with a tag, an anchor or an alias; block scalars;
		// a hexadecimal float too small for a float64.
		{"!!str k: 2.5\n", "[1:9] want an integer, got 2.5"},
		{"f: &name k\n*name : 3.5\n", "[2:9] want an integer, got 3.5"},
		{"k: >-\n  2.9\n", "[1:4] want an integer, got 2.9"},
		{"k: 0x1p-2000\n", "[1:4] want an integer, got 0x1p-2000"},
		// Merge keys bring entries of the same type.
		{"ptr: {<<: {k: 1.25}}\n", "[1:15] want an integer, got 1.25"},
		{"base: &b {k: 4.5}\nptr: {<<: *b}\n", "[2:11] want an integer, got 4.5"},
		{"base: &b {k: 4.5}\nptr: {<<: [{f: 1}, *b]}\n", "[2:20] want an integer, got 4.5"},
		{"? k\n: 6.5\n", "[2:3] want an integer, got 6.5"},
		{"k: 1e-400\n", "[1:4] want an integer, got 1e-400"},
		{"k: !!float 2.5\n", "[1:11] want an integer, got 2.5"},
	}
	for _, tt := range tests {
		var v T
		err := decodeText(t, tt.in, &v)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
			t.Errorf("%q: error %v, want %q", tt.in, err, tt.want)
		}
	}
}

// TestIntegerPath: the scenario paths that take whole numbers, by name or
// by list index; durations, rates and distributions read their own units.
func TestIntegerPath(t *testing.T) {
	for path, want := range map[string]bool{
		"fleet.count": true, "fleet.replica.max_num_seqs": true, "model.layers": true, "seed": true,
		"pools[0].fleet.count": true, "pools[big].fleet.replica.tp": true,
		"horizon": false, "workloads[chat].arrivals.rate": false, "workloads[chat].prompt_tokens": false,
		"fleet.spot.discount": false, "fleet.instance": false, "no.such.path": false,
	} {
		if got := IntegerPath(path); got != want {
			t.Errorf("IntegerPath(%q) = %v, want %v", path, got, want)
		}
	}
}

// TestDuplicateAnchorRefused: go-yaml resolves an alias of a reused anchor
// name by the order it decodes fields in, not the file's, so the value a
// reader sees may not be the one decoded; such a file is refused.
func TestDuplicateAnchorRefused(t *testing.T) {
	src := strings.Replace(validScenario, "  count: 2", "  count: &n 2\n  pricing: &n on-demand", 1)
	_, _, err := Parse("t.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "t.yaml:6:12: anchor &n is defined twice") {
		t.Errorf("error %v, want t.yaml:6:12: anchor &n is defined twice", err)
	}
}

// decodeText reads YAML text as a scenario file is read: ParseYAML, then
// DecodeStrict into v.
func decodeText(t *testing.T, in string, v any) error {
	t.Helper()
	tree, src, err := ParseYAML("t.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	return DecodeStrict(tree, src, v)
}
