package forecast

import (
	"errors"
	"strings"
	"testing"

	"aiecon/runner"
)

// ownedSetsForecast has a rented variant whose set is anchored as &rented
// and an owned one; %[1]s is the owned one's set and procurement.
const ownedSetsForecast = `name: owned-sets
base: baseline
periods: {count: 2, length: quarter}
day: {slices: 2, horizon: 3m}
variants:
  - name: rented
    set: &rented
      fleet.count: 2
      fleet.price_usd_per_hour: 30
    procurement: {mode: rented, min: 1, max: 6}
  - name: owned
%[1]s    ownership: {server_usd: 200000, facility_usd_per_kw_month: 100, ops_usd_per_year: 10000}
`

// TestOwnedFleetSetsRefused: an owned fleet's runs set its fleet.count (the
// servers in service) and, where they pay the owned cost, its pricing and
// price, so the variant's own set or roadmap giving them is refused at its
// line, naming the fields that decide them. They were replaced without a
// word (fleet.count: 12 ran 2 servers, $5 an hour paid the owned $10.20).
// A set shared with a rented variant (an alias or merge key) may give
// them, as may a fleet whose runs pay the rental price (burst, spot).
func TestOwnedFleetSetsRefused(t *testing.T) {
	const procurement = "    procurement: {mode: owned, initial: 2}\n"
	for _, tt := range []struct{ name, owned, want string }{
		{"count", "    set:\n      fleet.count: 12\n" + procurement,
			"test.yaml:13:20: variants[1].set.fleet.count: an owned fleet serves with its servers in service, which variants[1].procurement's initial, orders and lead_time give"},
		{"pricing", "    set:\n      fleet.pricing: on-demand\n" + procurement,
			"test.yaml:13:22: variants[1].set.fleet.pricing: an owned fleet's runs pay its owned cost per server-hour (fleet.pricing: owned, at the period's depreciation, power, facility and operations), which variants[1].ownership sets"},
		{"price", "    set:\n      fleet.price_usd_per_hour: 5\n" + procurement,
			"test.yaml:13:33: variants[1].set.fleet.price_usd_per_hour: an owned fleet's runs pay its owned cost"},
		{"price beside a merge", "    set:\n      <<: *rented\n      fleet.price_usd_per_hour: 5\n" + procurement,
			"test.yaml:14:33: variants[1].set.fleet.price_usd_per_hour: an owned fleet's runs pay its owned cost"},
		{"roadmap price", procurement + "    roadmap:\n      - from: 2\n        set:\n          fleet.price_usd_per_hour: 5\n",
			"test.yaml:16:37: variants[1].roadmap[0].set.fleet.price_usd_per_hour: an owned fleet's runs pay its owned cost"},
		{"roadmap count", procurement + "    roadmap:\n      - from: 2\n        set:\n          fleet.count: 3\n",
			"test.yaml:16:24: variants[1].roadmap[0].set.fleet.count: a roadmap step cannot size the fleet"},
	} {
		_, err := Parse("test.yaml", []byte(strings.Replace(ownedSetsForecast, "%[1]s", tt.owned, 1)), "")
		var ie *runner.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an input error with %q", tt.name, err, tt.want)
			continue
		}
		if n := strings.Count(err.Error(), "test.yaml:"); n != 1 {
			t.Errorf("%s: named %d times:\n%v", tt.name, n, err)
		}
	}
	for _, owned := range []string{
		"    set: *rented\n" + procurement,
		"    set:\n      <<: *rented\n      fleet.replica.max_num_seqs: 8\n" + procurement,
		"    set:\n      fleet.price_usd_per_hour: 5\n    procurement: {mode: owned, initial: 2, burst: 2}\n",
		"    set:\n      fleet.pricing: spot\n      fleet.price_usd_per_hour: 40\n      fleet.spot.discount: 0.6\n" + procurement,
	} {
		if _, err := Parse("test.yaml", []byte(strings.Replace(ownedSetsForecast, "%[1]s", owned, 1)), ""); err != nil {
			t.Errorf("refused: %v\n%s", err, owned)
		}
	}
}

// TestOwnedFleetSharesItsAnchoredSet: the set an owned variant shares is
// shared whichever variant the file writes it under. With the anchor on
// the owned variant and the rented one naming it by alias, the document
// is the same as the built-in's, and it was refused.
func TestOwnedFleetSharesItsAnchoredSet(t *testing.T) {
	const swapped = `name: owned-sets
base: baseline
periods: {count: 2, length: quarter}
day: {slices: 2, horizon: 3m}
variants:
  - name: owned
    set: &shared
      fleet.count: 2
      fleet.price_usd_per_hour: 30
    procurement: {mode: owned, initial: 2}
    ownership: {server_usd: 200000, facility_usd_per_kw_month: 100, ops_usd_per_year: 10000}
  - name: rented
    set: *shared
    procurement: {mode: rented, min: 1, max: 6}
`
	if _, err := Parse("test.yaml", []byte(swapped), ""); err != nil {
		t.Errorf("refused: %v", err)
	}
	// An anchor nothing names is the variant's own set: still refused.
	own := strings.Replace(swapped, "    set: *shared\n", "", 1)
	if _, err := Parse("test.yaml", []byte(own), ""); err == nil || !strings.Contains(err.Error(), "variants[0].set.fleet.count") {
		t.Errorf("an unshared anchored set: got %v, want fleet.count refused", err)
	}
}
