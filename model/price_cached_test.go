package model

import (
	"strings"
	"testing"
)

// TestCachedInputPrice: price.cached_input_per_mtok bills the prompt
// tokens served from the prefix cache. Left out (or null) it is the input
// price, no discount, as before the field; 0 is a price (cached input
// given away); a price that is not one (negative, NaN, past the largest
// number), or one above the input price, is refused at its line and
// column, naming the field.
func TestCachedInputPrice(t *testing.T) {
	const at = "output_tokens: 250"
	cases := []struct {
		name, price string
		given       *float64 // the field as loaded; nil: absent
		billed      float64  // Price.CachedInput
		err         string   // "" when it loads
	}{
		{"absent", "{input_per_mtok: 0.72, output_per_mtok: 0.72}", nil, 0.72, ""},
		{"null", "{input_per_mtok: 0.72, cached_input_per_mtok: null}", nil, 0.72, ""},
		{"0", "{input_per_mtok: 0.72, cached_input_per_mtok: 0}", USD(0), 0, ""},
		{"below input", "{input_per_mtok: 0.72, cached_input_per_mtok: 0.072}", USD(0.072), 0.072, ""},
		{"equal to input", "{input_per_mtok: 0.72, cached_input_per_mtok: 0.72}", USD(0.72), 0.72, ""},
		{"negative", "{input_per_mtok: 0.72, cached_input_per_mtok: -1}", nil, 0,
			"t.yaml:13:58: workloads[0].price.cached_input_per_mtok: -1 is not a price"},
		{"NaN", "{input_per_mtok: 0.72, cached_input_per_mtok: .nan}", nil, 0,
			"t.yaml:13:58: workloads[0].price.cached_input_per_mtok: NaN is not a number"},
		{"huge", "{input_per_mtok: 0.72, cached_input_per_mtok: 1e400}", nil, 0,
			"t.yaml:13:58: workloads[0].price.cached_input_per_mtok: 1e400 is out of range"},
		{"above input", "{input_per_mtok: 0.72, cached_input_per_mtok: 1}", nil, 0,
			"t.yaml:13:58: workloads[0].price.cached_input_per_mtok: 1 is above input_per_mtok 0.72"},
		{"no input price", "{cached_input_per_mtok: 0.1}", nil, 0,
			"workloads[0].price.cached_input_per_mtok: 0.1 is above input_per_mtok 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(validScenario, at, at+"\n    price: "+c.price, 1)
			sc, _, err := Load("t.yaml", []byte(src), testCatalog{})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("want an error with %q, got %v", c.err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := sc.Workloads[0].Price
			if got := p.CachedInputPerMTok; (got == nil) != (c.given == nil) || got != nil && *got != *c.given {
				t.Errorf("cached_input_per_mtok %s, want %s", showPrice(got), showPrice(c.given))
			}
			if got := p.CachedInput(); got != c.billed {
				t.Errorf("cached tokens billed at %v per Mtok, want %v", got, c.billed)
			}
		})
	}
}

// TestCachedInputPriceBySet: a --set of the field is checked as a file's
// is, and named by its path.
func TestCachedInputPriceBySet(t *testing.T) {
	for _, c := range []struct{ set, err string }{
		{"workloads[chat].price.cached_input_per_mtok=0", ""},
		{"workloads[chat].price.cached_input_per_mtok=-0.5", "price.cached_input_per_mtok: -0.5 is not a price"},
		{"workloads[chat].price.cached_input_per_mtok=.inf", "price.cached_input_per_mtok: +Inf is not a number"},
	} {
		t.Run(c.set, func(t *testing.T) {
			src := strings.Replace(validScenario, "output_tokens: 250", "output_tokens: 250\n    price: {input_per_mtok: 1}", 1)
			o, err := ParseOverride(c.set)
			if err != nil {
				t.Fatal(err)
			}
			merged, err := ApplyOverridesIn("t.yaml", []byte(src), []Override{o})
			if err == nil {
				_, _, err = Load("t.yaml", merged, testCatalog{})
			}
			if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
				t.Fatalf("want error %q, got %v", c.err, err)
			}
		})
	}
}
