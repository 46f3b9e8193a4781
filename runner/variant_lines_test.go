package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVariantErrorsNameTheirLine: an error a variant's set entry causes
// names the file, line and column where the entry's value is written, as
// the file's own errors and a sweep's values do ("set {fleet.count: -3}"
// alone left the reader to find it); a value written over several lines is
// named on one. The advice to add a field to the variant's set stays.
func TestVariantErrorsNameTheirLine(t *testing.T) {
	const head = `name: v
horizon: 10s
model: llama-3.1-8b
fleet: {instance: p5.48xlarge, count: 1, replica: {tp: 8}}
workloads:
  - {name: chat, class: api, arrivals: {rate: 2/s}, prompt_tokens: 100, output_tokens: 10}
variants:
  - name: ok
    set: {fleet.count: 2}
`
	for _, c := range []struct {
		name, variants string
		sets           []string
		want           string
	}{
		{"an inline set", "  - name: bad\n    set: {fleet.count: -3}\n", nil,
			"variant bad: s.yaml:11:24: set {fleet.count: -3}: fleet.count: -3 is out of range (allowed: 1 to 100000)"},
		{"a block set", "  - name: bad\n    set:\n      fleet.replica.max_num_seqs: 8\n      fleet.count: -3\n", nil,
			"variant bad: s.yaml:13:20: set {fleet.count: -3}: fleet.count: -3 is out of range"},
		{"a value over several lines", "  - name: bad\n    set:\n      fleet.count: [1,\n        2]\n", nil,
			"variant bad: s.yaml:12:20: set {fleet.count: [1, 2]}: fleet.count: want an integer, got a list"},
		{"a field the entry leaves required", "  - name: bad\n    set: {fleet.pricing: owned}\n", nil,
			"variant bad: s.yaml:11:26: set {fleet.pricing: owned}: fleet.price_usd_per_hour: required with pricing: owned: " +
				"what an owned server costs its owner per hour (depreciation, power, facility and operations) has no catalog figure; " +
				"give it, e.g. add fleet.price_usd_per_hour: N to this variant's set (USD per server-hour)"},
		{"one variant run", "  - name: bad\n    set: {fleet.count: -3}\n", []string{"seed=2"},
			"variant bad: s.yaml:11:24: set {fleet.count: -3}: fleet.count: -3 is out of range"},
		// A --set that edits the variants gives values the file does not
		// hold at those lines: named without one.
		{"a --set of the variants", "  - name: bad\n    set: {fleet.count: 3}\n", []string{"variants[1].set={fleet.count: -3}"},
			"variant bad: set {fleet.count: -3}: fleet.count: -3 is out of range"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.yaml")
			if err := os.WriteFile(path, []byte(head+c.variants), 0o644); err != nil {
				t.Fatal(err)
			}
			only := ""
			if c.name == "one variant run" {
				only = "bad"
			}
			_, err := LoadVariants(path, c.sets, only)
			want := strings.ReplaceAll(c.want, "s.yaml", path)
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("got %v\nwant it to start %q", err, want)
			}
		})
	}
}
