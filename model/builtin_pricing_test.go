package model

import (
	"testing"

	"github.com/goccy/go-yaml"
)

// TestBuiltinsStateTheirPricing: prices differ by up to 2x between pricing
// models (trn2 has only a Capacity Blocks rate), so every built-in scenario
// names the model it pays under, and a variant that moves to another
// instance type names its own: a comparison states its pricing on both sides.
func TestBuiltinsStateTheirPricing(t *testing.T) {
	for _, name := range BuiltinNames() {
		src, err := Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		var given struct {
			Fleet struct {
				Pricing string `yaml:"pricing"`
			} `yaml:"fleet"`
			Variants []struct {
				Name string         `yaml:"name"`
				Set  map[string]any `yaml:"set"`
			} `yaml:"variants"`
		}
		if err := yaml.Unmarshal(src, &given); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if given.Fleet.Pricing == "" {
			t.Errorf("%s: fleet.pricing is not stated", name)
		}
		for _, v := range given.Variants {
			_, moves := v.Set["fleet.instance"]
			if _, says := v.Set["fleet.pricing"]; moves && !says {
				t.Errorf("%s/%s: sets fleet.instance but not fleet.pricing", name, v.Name)
			}
		}
	}
}
