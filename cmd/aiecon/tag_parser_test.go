package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTagTheParserRefusedExits2: a core tag on what it does not mark
// (seed: !!seq 6, replica: !!int {a: 1}, !!seq count: 2) was refused by
// goccy's parser in its own words, with a line and column but no field,
// through every YAML entry point. Each now names the file, line, column,
// field and tag, exit 2.
func TestTagTheParserRefusedExits2(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"seed.yaml":     "name: a\nseed: !!seq 6\n",
		"replica.yaml":  "name: a\nfleet:\n  replica: !!int {a: 1}\n",
		"key.yaml":      "name: a\nfleet:\n  !!seq count: 2\n",
		"sweep.yaml":    "name: s\nbase: baseline\nreplications: !!seq 2\nparameters:\n  fleet.count: [1, 2]\n",
		"models.yaml":   "- name: m\n  layers: !!map 80\n",
		"forecast.yaml": "name: f\nbase: baseline\nseed: !!float {a: 1}\nperiods: {count: 4, length: quarter}\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	at := func(name string) string { return filepath.Join(dir, name) }
	seed := at("seed.yaml") + `:2:7: seed: the tag !!seq marks a list, not the value "6": write the value without a tag`
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"run", []string{"run", at("seed.yaml"), "--no-store"}, seed},
		{"run with an override", []string{"run", at("seed.yaml"), "--no-store", "--horizon", "1m"}, seed},
		{"a value's tag on a mapping", []string{"run", at("replica.yaml"), "--no-store"},
			at("replica.yaml") + ":3:12: fleet.replica: the tag !!int marks a value, not a mapping: write the mapping without a tag"},
		{"a tag on a key", []string{"scenarios", "show", at("key.yaml")},
			at("key.yaml") + `:3:3: fleet.count: the tag !!seq on a key: a key is a field name, which takes no tag but !!str; write "count" without it`},
		{"optimize", []string{"optimize", at("seed.yaml")}, seed},
		{"sweep", []string{"sweep", at("sweep.yaml")}, at("sweep.yaml") + `:3:15: replications: the tag !!seq marks a list, not the value "2"`},
		{"forecast", []string{"forecast", at("forecast.yaml"), "--no-store"}, at("forecast.yaml") + ":3:7: seed: the tag !!float marks a value, not a mapping"},
		{"validate --models", []string{"validate", "--models", at("models.yaml"), filepath.Join("..", "..", "examples", "validate", "neuron-sample.csv")},
			at("models.yaml") + `:2:11: [0].layers: the tag !!map marks a mapping, not the value "80"`},
	}
	t.Setenv("AIECON_DB", filepath.Join(dir, "s.duckdb"))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Main(tc.args, strings.NewReader(""), &out, &errb)
			if code != exitUsage || !strings.Contains(errb.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 with %q", code, errb.String(), tc.want)
			}
		})
	}
}
