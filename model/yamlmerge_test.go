package model

import (
	"strings"
	"testing"
)

// mergeScenario is a scenario whose fleet and pools are written by the
// test, with a workload whose agent holds an anchor to merge from.
func mergeScenario(fleet string) string {
	return `name: t
model: llama-3.3-70b
` + fleet + `
workloads:
  - name: chat
    class: api
    arrivals: {rate: 10/s}
    prompt_tokens: 800
    output_tokens: 250
`
}

// TestMergeKeys: a key written beside a merge key overrides the merged
// one wherever it stands, of a list of mappings the earlier wins, and a
// merged field is the file's, not its default. goccy alone refused an
// override as a duplicate key, let a merge written after a key win, and
// refused a list in a struct; the path lookup missed anything under an
// anchor, alias or merge, so its default replaced it (spot.discount here,
// whose default is the catalog's quote).
func TestMergeKeys(t *testing.T) {
	tests := []struct {
		name, fleet string
		count       int // 0: left to the defaults pass
		instance    string
		discount    float64 // 0: on-demand
	}{
		{"override after the merge",
			"pools:\n  - name: p\n    model: llama-3.3-70b\n    fleet: &f {instance: trn2.48xlarge, count: 2, replica: {tp: 32}}\n" +
				"fleet:\n  <<: *f\n  count: 1", 1, "trn2.48xlarge", 0},
		{"override before the merge",
			"fleet: {count: 3, <<: {instance: trn2.48xlarge, count: 2, replica: {tp: 32}}}", 3, "trn2.48xlarge", 0},
		{"a list of mappings: the earlier wins",
			"fleet: {<<: [{instance: p5.48xlarge, count: 4}, {instance: trn2.48xlarge, count: 2, pricing: spot, spot: {discount: 0.5}}]}",
			4, "p5.48xlarge", 0.5},
		{"a merge inside a merged mapping",
			"fleet: {<<: {<<: {instance: p5.48xlarge, count: 5}, count: 6}}", 6, "p5.48xlarge", 0},
		{"an anchor's field is the file's",
			"fleet: {instance: p5.48xlarge, pricing: spot, spot: &s {discount: 0.25}}", 0, "p5.48xlarge", 0.25},
		{"an alias's field is the file's",
			"pools:\n  - name: p\n    model: llama-3.3-70b\n    fleet: {instance: p5.48xlarge, pricing: spot, spot: &s {discount: 0.5}}\n" +
				"fleet: {instance: p5.48xlarge, pricing: spot, spot: *s}", 0, "p5.48xlarge", 0.5},
	}
	for _, tt := range tests {
		sc, _, err := Parse("t.yaml", []byte(mergeScenario(tt.fleet)))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		f := sc.Fleet
		if f.Count != tt.count || f.Instance != tt.instance {
			t.Errorf("%s: fleet %d x %s, want %d x %s", tt.name, f.Count, f.Instance, tt.count, tt.instance)
		}
		if tt.discount != 0 && (f.Spot == nil || f.Spot.Discount != tt.discount) {
			t.Errorf("%s: spot %+v, want discount %g", tt.name, f.Spot, tt.discount)
		}
	}
}

// TestMergeKeysRefused: a key written twice in one mapping, an unknown
// field a merge brings and a merge of something other than mappings are
// refused at their line and column.
func TestMergeKeysRefused(t *testing.T) {
	tests := []struct{ name, fleet, want string }{
		{"a key twice", "fleet: {instance: p5.48xlarge, count: 1, count: 2}",
			`t.yaml:3:42: mapping key "count" already defined at [3:32]`},
		{"a key twice beside a merge", "fleet:\n  <<: {instance: p5.48xlarge}\n  count: 1\n  count: 2",
			`t.yaml:6:3: mapping key "count" already defined at [5:3]`},
		{"a key twice through an alias", "fleet:\n  instance: p5.48xlarge\n  &k count: 1\n  *k : 2",
			`t.yaml:6:3: fleet.*: duplicate key "count"`},
		{"an unknown field merged", "fleet: {<<: {instance: p5.48xlarge, cnt: 2}}",
			`t.yaml:3:37: fleet.cnt: unknown field "cnt"`},
		{"a number merged", "fleet: {<<: 5, instance: p5.48xlarge}",
			"t.yaml:3:13: fleet: a merge key (<<) takes a mapping, an alias of one, or a list of them (<<: [*a, *b]), not an integer"},
		{"a list of a number merged", "fleet: {<<: [{count: 1}, 5], instance: p5.48xlarge}",
			"t.yaml:3:26: fleet[1]: a merge key (<<) takes a mapping, an alias of one, or a list of them (<<: [*a, *b]), not an integer"},
	}
	for _, tt := range tests {
		_, _, err := Parse("t.yaml", []byte(mergeScenario(tt.fleet)))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestMergeKeysWithOverrides: --set re-encodes the file from its generic
// decoding, where the merge is expanded with the override winning (goccy
// kept both keys, or refused them as duplicates).
func TestMergeKeysWithOverrides(t *testing.T) {
	src := mergeScenario("fleet:\n  <<: {instance: p5.48xlarge, count: 2}\n  count: 3")
	merged, err := ApplyOverrides([]byte(src), []Override{{Path: "horizon", Value: "1m"}})
	if err != nil {
		t.Fatal(err)
	}
	sc, _, err := Parse("merged.yaml", merged)
	if err != nil {
		t.Fatalf("%v\n%s", err, merged)
	}
	if sc.Fleet.Count != 3 || sc.Fleet.Instance != "p5.48xlarge" || sc.Horizon != Minute {
		t.Errorf("fleet %d x %s, horizon %v; want 3 x p5.48xlarge, 1m", sc.Fleet.Count, sc.Fleet.Instance, sc.Horizon)
	}
}

// TestPositionThroughAliasesAndMerges: a field an alias or a merge brings
// is placed at the alias, one written under an anchor at itself.
func TestPositionThroughAliasesAndMerges(t *testing.T) {
	src := "a: &a {x: 1, y: {z: 2}}\n" + // line 1
		"b: *a\n" + // line 2
		"c: {<<: *a, x: 3}\n" + // line 3
		"d: {<<: [{w: 4}, *a]}\n" + // line 4
		"e: &e {<<: {v: 5}}\n" + // line 5
		"f: [*e]\n" // line 6
	s := Locate("t.yaml", []byte(src))
	tests := []struct {
		field     string
		line, col int
	}{
		{"a.x", 1, 11}, {"a.y.z", 1, 21}, {"b.x", 2, 4}, {"b.y.z", 2, 4},
		{"c.x", 3, 16}, {"c.y.z", 3, 9}, {"d.w", 4, 14}, {"d.y", 4, 18},
		{"e.v", 5, 16}, {"f[0].v", 6, 5},
		{"c.nope", 3, 4}, // absent: its parent
	}
	for _, tt := range tests {
		if line, col := s.Position(tt.field); line != tt.line || col != tt.col {
			t.Errorf("%s at %d:%d, want %d:%d", tt.field, line, col, tt.line, tt.col)
		}
	}
	for field, want := range map[string]bool{"c.x": true, "c.y.z": true, "c.w": false, "d.w": true, "e.v": true, "f[0].v": true, "f[1]": false} {
		if got := s.given(field); got != want {
			t.Errorf("given(%s) = %v, want %v", field, got, want)
		}
	}
}
