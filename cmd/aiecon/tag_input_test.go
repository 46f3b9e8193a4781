package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTagWhereListBelongsExits2: a YAML tag where a list belongs crashed
// go-yaml's decoder (a nil dereference: a goroutine dump, exit 2 by the Go
// runtime's convention, no line or field) through every YAML entry point
// (hostile-input review F0). Each is now refused as bad input naming the
// file, line, column and field.
func TestTagWhereListBelongsExits2(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"tag.yaml":      "name: a\nworkloads: !!str 6\n",
		"sweep.yaml":    "name: s\nbase: tag.yaml\nparameters:\n  fleet.count: [1, 2]\n",
		"models.yaml":   "!x 6\n",
		"forecast.yaml": "name: f\nbase: baseline\nperiods: {count: 4, length: quarter}\nday: {slices: 1, horizon: 1m}\nroadmap: !x 6\nvariants:\n  - {name: plain, procurement: {mode: rented}}\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	at := func(name string) string { return filepath.Join(dir, name) }
	tag := at("tag.yaml") + `:2:12: workloads: want a list, got "6" tagged !!str`
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"run", []string{"run", at("tag.yaml"), "--no-store"}, tag},
		{"run with an override", []string{"run", at("tag.yaml"), "--no-store", "--horizon", "1m"}, tag},
		{"scenarios show", []string{"scenarios", "show", at("tag.yaml")}, tag},
		{"optimize", []string{"optimize", at("tag.yaml")}, tag},
		{"sweep", []string{"sweep", at("sweep.yaml")}, tag},
		{"forecast", []string{"forecast", at("forecast.yaml"), "--no-store"}, at("forecast.yaml") + `:5:10: roadmap: want a list, got "6" tagged !x`},
		{"validate --models", []string{"validate", "--models", at("models.yaml"), filepath.Join("..", "..", "examples", "validate", "neuron-sample.csv")},
			at("models.yaml") + `:1:1: want a list, got "6" tagged !x`},
	}
	t.Setenv("AIECON_DB", filepath.Join(dir, "s.duckdb"))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Main(tc.args, strings.NewReader(""), &out, &errb)
			if code != exitUsage || !strings.Contains(errb.String(), tc.want) || strings.Contains(errb.String(), "panic") {
				t.Errorf("exit %d, stderr %q; want exit 2 with %q", code, errb.String(), tc.want)
			}
		})
	}
}
