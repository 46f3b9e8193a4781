package study

import (
	"strings"
	"testing"
)

// TestStoredEmptyListsReadAsDefault: earlier builds read [] on a bucket
// list (and on diurnal, ads.workloads) as the default, and the optimizer
// stored context_buckets: [] for candidates off the Neuron family. This
// build refuses [] in a file; a stored sweep's [] reads as null, so its
// points still load (sweep --show checks them for overload) and resolve
// as they ran.
func TestStoredEmptyListsReadAsDefault(t *testing.T) {
	const stored = "name: optimize-inferentia-small\nbase: inferentia-small\n" +
		"set:\n  horizon: 1m\n  workloads[chat].arrivals.diurnal: []\n" +
		"zip:\n  fleet.instance:\n  - p5.48xlarge\n  fleet.replica.tp:\n  - 8\n  fleet.replica.scheduler:\n  - \"\"\n" +
		"  fleet.replica.context_buckets:\n  - []\n  fleet.replica.sequence_buckets:\n  - []\n" +
		"replications: 1\nseed: 1\n"
	p, err := PlanFromFrozen("sweep 1", []byte(stored))
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range p.Points[0].Params {
		if strings.HasSuffix(pr.Path, "_buckets") && (pr.Value.YAML != "null" || pr.Value.JSON != nil) {
			t.Errorf("%s reads as %q (%v), want null", pr.Path, pr.Value.YAML, pr.Value.JSON)
		}
	}
	if _, err := p.Load(p.Points[0], 0); err != nil {
		t.Fatalf("a stored point of an earlier build does not load: %v", err)
	}

	// The same text in a sweep file is refused at the point, as before.
	fresh, err := ParseSpec("sweep.yaml", []byte(stored), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewPlan(fresh) // the base with the set fails: the first point is checked
	for _, want := range []string{"set {workloads[chat].arrivals.diurnal: []}: workloads[chat].arrivals.diurnal: an empty list is no profile",
		"parameter fleet.replica.context_buckets=[]: fleet.replica.context_buckets: an empty list compiles no shape"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("a sweep file's []: %v\nwant it refused with %q", err, want)
		}
	}
}

// TestStoredZeroPriceReadsAsDefault: earlier builds read a price of 0 as
// not given, and the optimizer stored fleet.price_usd_per_hour: 0 for
// candidates of another instance type, which ran at the catalog's price.
// Builds since read 0 in a file as a price (free capacity); a stored
// sweep's 0 without zero_prices: priced reads as null, so its points still
// load and resolve to the price they ran at.
func TestStoredZeroPriceReadsAsDefault(t *testing.T) {
	const stored = "name: optimize-baseline\nbase: baseline\n" +
		"set:\n  horizon: 1m\n" +
		"zip:\n  fleet.instance:\n  - p5.48xlarge\n  fleet.replica.tp:\n  - 8\n  fleet.replica.scheduler:\n  - \"\"\n  fleet.price_usd_per_hour:\n  - 0\n" +
		"replications: 1\nseed: 1\n"
	p, err := PlanFromFrozen("sweep 1", []byte(stored))
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range p.Points[0].Params {
		if pr.Path == "fleet.price_usd_per_hour" && (pr.Value.YAML != "null" || pr.Value.JSON != nil) {
			t.Errorf("%s reads as %q (%v), want null", pr.Path, pr.Value.YAML, pr.Value.JSON)
		}
	}
	l, err := p.Load(p.Points[0], 0)
	if err != nil {
		t.Fatalf("a stored point of an earlier build does not load: %v", err)
	}
	if got, given := l.Scenario.Fleet.OwnPrice(); given {
		t.Errorf("the point sets its own price %g, want the catalog's (none set)", got)
	}

	fresh, err := ParseSpec("sweep.yaml", []byte(stored), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	fp, err := NewPlan(fresh)
	if err != nil {
		t.Fatal(err)
	}
	fl, err := fp.Load(fp.Points[0], 0)
	if err != nil {
		t.Fatalf("a sweep file's price of 0: %v", err)
	}
	if got, given := fl.Scenario.Fleet.OwnPrice(); !given || got != 0 {
		t.Errorf("a sweep file's price of 0 reads as %g (given %v), want 0 (free)", got, given)
	}
	// Frozen with the sweep, it says its 0 is a price, and reads back so.
	if !strings.Contains(string(fp.Frozen), "zero_prices: priced") {
		t.Fatalf("the frozen sweep does not say its 0 price is one:\n%s", fp.Frozen)
	}
	back, err := PlanFromFrozen("sweep 2", fp.Frozen)
	if err != nil {
		t.Fatal(err)
	}
	bl, err := back.Load(back.Points[0], 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, given := bl.Scenario.Fleet.OwnPrice(); !given || got != 0 {
		t.Errorf("a stored sweep's price of 0 reads back as %g (given %v), want 0 (free)", got, given)
	}
}
