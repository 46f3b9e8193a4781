package optimize

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/runner"
	"aiecon/study"
)

// The optimizer's candidates: which (instance, tp, max_num_seqs) to try, the
// overrides that turn the scenario into each, and the pruning of those that
// cannot run.

func applySets(src []byte, sets []string) ([]byte, error) {
	var ovs []model.Override
	for _, s := range sets {
		o, err := model.ParseOverride(s)
		if err != nil {
			return nil, &runner.InputError{Err: err}
		}
		ovs = append(ovs, o)
	}
	out, err := model.ApplyOverrides(src, ovs)
	if err != nil {
		return nil, &runner.InputError{Err: err}
	}
	return out, nil
}

// givenValue is the value the base (with the user's sets) writes at a
// dotted path of plain keys, as YAML, and whether it writes one.
func (o *optimizer) givenValue(path string) (string, bool) {
	var cur any = o.baseVals
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(yaml.MapSlice)
		if !ok {
			return "", false
		}
		found := false
		for _, it := range m {
			if fmt.Sprint(it.Key) == k {
				cur, found = it.Value, true
				break
			}
		}
		if !found {
			return "", false
		}
	}
	text, err := study.OverrideText(cur)
	return text, err == nil
}

// pricePerHour is what sim charges for one instance of a resolved fleet
// (hw.HourlyPrice, as sim.FleetPrice): the scenario's price when it sets
// one for its own instance type, else the catalog's for the pricing model
// (spot: on-demand minus the discount).
func pricePerHour(inst *hw.Instance, f model.Fleet) (float64, bool) {
	usd, _, err := inst.HourlyPrice(f.Pricing, f.PriceUSDPerHour, f.SpotDiscount())
	return usd, err == nil
}

// candidates enumerates (instance, tp, max_num_seqs) and prunes those that
// cannot run: no price, an unsupported degree, weights and one request's KV
// cache that do not fit in device memory, or a chip without the scenario's
// compute or weight format (the last three by the scenario's own validation).
func (o *optimizer) candidates() error {
	sc := o.base.Scenario
	names := o.opts.Instances
	if names == nil {
		for _, in := range hw.Instances() {
			if _, ok := pricePerHour(in, model.Fleet{Pricing: sc.Fleet.Pricing}); ok || in.Name == sc.Fleet.Instance && sc.Fleet.PriceUSDPerHour != nil {
				names = append(names, in.Name)
			}
		}
		sort.Strings(names)
	}
	resets := false
	for _, n := range names {
		in, err := hw.InstanceByName(n)
		if err != nil {
			return &runner.InputError{Err: err}
		}
		chip, err := in.ChipSpec()
		if err != nil {
			return err
		}
		resets = resets || chip.Family != o.baseFam
	}
	if err := ownedOnly(sc.Fleet, names); err != nil {
		return err
	}
	o.paths = append([]string(nil), optPaths...)
	if resets {
		o.paths = append(o.paths, optResetPaths...)
	}
	if _, ok := o.givenValue("fleet.price_usd_per_hour"); ok {
		o.paths = append(o.paths, "fleet.price_usd_per_hour")
	}
	o.paths = append(o.paths, "fleet.count")

	for _, n := range names {
		in, _ := hw.InstanceByName(n)
		chip, _ := in.ChipSpec()
		degrees, _ := in.TPDegrees()
		tps := o.opts.TP
		if tps == nil {
			tps = degrees
		}
		for _, tp := range tps {
			seqs := o.opts.MaxNumSeqs
			if seqs == nil {
				// The scenario's value (or the scheduler's default), with half
				// and twice it; a candidate that cannot run is listed once.
				probe := &Candidate{Layout: Layout{Instance: n, TP: tp}, family: chip.Family}
				o.prepare(probe, in, chip, degrees)
				if probe.Pruned != "" {
					o.res.Candidates = append(o.res.Candidates, probe)
					continue
				}
				v := probe.MaxNumSeqs
				for _, s := range []int{v / 2, v, 2 * v} {
					if s >= 1 && s <= maxNumSeqsLimit && !slices.Contains(seqs, s) {
						seqs = append(seqs, s)
					}
				}
			}
			for _, s := range seqs {
				c := &Candidate{Layout: Layout{Instance: n, TP: tp, MaxNumSeqs: s}, family: chip.Family}
				o.res.Candidates = append(o.res.Candidates, c)
				o.prepare(c, in, chip, degrees)
			}
		}
	}
	if len(o.res.Candidates) == 0 {
		return inputErr("no candidate instance types (none has a known %s price; give --instances and set fleet.price_usd_per_hour)", sc.Fleet.Pricing)
	}
	return allPruned(o.res.Candidates)
}

// ownedOnly refuses instance types other than the scenario's when its
// fleet is owned: its price is what one of its own instances costs its
// owner, and no other type has such a cost (each was pruned, layout by
// layout, as "fleet.price_usd_per_hour: required with pricing: owned").
func ownedOnly(f model.Fleet, names []string) error {
	if f.Pricing != hw.PricingOwned {
		return nil
	}
	var others []string
	for _, n := range names {
		if n != f.Instance && !slices.Contains(others, n) {
			others = append(others, n)
		}
	}
	if len(others) == 0 {
		return nil
	}
	own, _ := f.OwnPrice()
	return inputErr("--instances %s: the scenario's fleet is owned (fleet.pricing: owned) at $%.2f/h, what one %s costs its owner, "+
		"and no other instance type has an owned cost to compare. Search %s alone (--instances %s), or compare types at a rented price: "+
		"--set fleet.pricing=capacity-block (or on-demand, reserved, spot) prices the others at the catalog's rate and keeps $%.2f/h for %s; "+
		"add --set fleet.price_usd_per_hour=null to rent it too",
		strings.Join(others, ","), own, f.Instance, f.Instance, f.Instance, own, f.Instance)
}

// allPruned is the input error when no candidate can run: a search over
// nothing would store an empty sweep and print empty tables, so say why
// each instance type was pruned instead.
func allPruned(cs []*Candidate) error {
	for _, c := range cs {
		if c.Pruned == "" {
			return nil
		}
	}
	reasons := PrunedSummary(cs)
	const shown = 6
	more := ""
	if len(reasons) > shown {
		more = fmt.Sprintf("; and %d more", len(reasons)-shown)
		reasons = reasons[:shown]
	}
	return inputErr("no candidate fleet can run, so nothing was simulated: %s%s", strings.Join(reasons, "; "), more)
}

// PrunedSummary says why the pruned candidates never ran, one line per
// instance type: its degrees, and the reason of the largest one (the
// closest to fitting), as "trn2.48xlarge tp 1, 2, 4: ...".
func PrunedSummary(cs []*Candidate) []string {
	var pruned []*Candidate
	for _, c := range cs {
		if c.Pruned != "" {
			pruned = append(pruned, c)
		}
	}
	var out []string
	for i := 0; i < len(pruned); {
		j := i
		var tps []int
		for ; j < len(pruned) && pruned[j].Instance == pruned[i].Instance; j++ {
			if !slices.Contains(tps, pruned[j].TP) { // several max_num_seqs share a degree
				tps = append(tps, pruned[j].TP)
			}
		}
		reason := strings.TrimPrefix(pruned[j-1].Pruned, "fleet.replica.tp: ")
		out = append(out, fmt.Sprintf("%s tp %s: %s", pruned[i].Instance, model.JoinInts(tps), reason))
		i = j
	}
	return out
}

// prepare sets a candidate's overrides and validates it with one instance.
func (o *optimizer) prepare(c *Candidate, in *hw.Instance, chip *hw.Chip, degrees []int) {
	sc := o.base.Scenario
	if !slices.Contains(degrees, c.TP) {
		c.Pruned = fmt.Sprintf("tp %d is not a supported degree on %s (allowed: %s)", c.TP, in.Name, model.JoinInts(degrees))
		return
	}
	same := chip.Family == o.baseFam
	for _, p := range o.paths[:len(o.paths)-1] {
		var v string
		switch p {
		case "fleet.instance":
			v = in.Name
		case "fleet.replica.tp":
			v = strconv.Itoa(c.TP)
		case "fleet.replica.per_instance":
			v = "null" // as many replicas as fit (null: not given, so the default)
		case "fleet.replica.max_num_seqs":
			v = strconv.Itoa(c.MaxNumSeqs)
			if c.MaxNumSeqs == 0 {
				// The scenario's limit on its own family, the scheduler's
				// default elsewhere (null: not given; an explicit 0 is an error).
				v = "null"
				if same {
					v = strconv.Itoa(sc.Fleet.Replica.MaxNumSeqs)
				}
			}
		case "fleet.price_usd_per_hour":
			v = "null" // not given: the catalog's price (0 would be a price: free)
			if in.Name == sc.Fleet.Instance {
				v, _ = o.givenValue(p)
			}
		default: // scheduler settings: the scenario's on its own family, defaults elsewhere
			v = "null" // not given: the default (a written [] of buckets is refused)
			if p == "fleet.replica.scheduler" {
				v = `""`
			}
			if g, ok := o.givenValue(p); ok && same {
				v = g
			}
		}
		c.over = append(c.over, v)
	}
	l, err := o.load(c, 1, 0)
	if err != nil {
		c.Pruned = pruneReason(err)
		return
	}
	rsc := l.Scenario
	if c.MaxNumSeqs == 0 { // show and store the value that runs
		c.MaxNumSeqs = rsc.Fleet.Replica.MaxNumSeqs
		c.over[slices.Index(o.paths, "fleet.replica.max_num_seqs")] = strconv.Itoa(c.MaxNumSeqs)
	}
	price, ok := pricePerHour(in, rsc.Fleet)
	if !ok {
		c.Pruned = fmt.Sprintf("the catalog has no %s price for %s", rsc.Fleet.Pricing, in.Name)
		return
	}
	c.PriceUSDPerHour, c.resolved = price, rsc
	c.Price = priceOf(in, rsc.Fleet, price)
	// Resolved as it runs: its family's scheduler defaults (a Neuron
	// max_model_len of 16,384) bound the lengths the coverage compares.
	c.ExtrapolatedFleet, c.Extrapolated = runner.MainFleetGaps(rsc)
	c.Coverage = runner.StepTimesCoverageWarning(rsc)
	c.Scheduler = rsc.Fleet.Replica.Scheduler
}

// pruneReason is the validation message without the file and --set prefixes.
func pruneReason(err error) string {
	var errs model.Errors
	if errors.As(err, &errs) && len(errs) > 0 {
		return errs[0].Unplaced()
	}
	return err.Error()
}

// overrides are a candidate's zip values with the count.
func (o *optimizer) overrides(c *Candidate, count int) []string {
	return append(slices.Clone(c.over), strconv.Itoa(count))
}

// evalSets are the overrides of a candidate at a count, as path=value.
func (o *optimizer) evalSets(c *Candidate, count int) []string {
	var sets []string
	for i, v := range o.overrides(c, count) {
		sets = append(sets, o.paths[i]+"="+v)
	}
	return sets
}

// load resolves a candidate at a count as a run would.
func (o *optimizer) load(c *Candidate, count, rep int) (*runner.Loaded, error) {
	var sets []string
	for _, s := range o.spec.Set {
		sets = append(sets, s.String())
	}
	sets = append(sets, o.evalSets(c, count)...)
	sets = append(sets, fmt.Sprintf("seed=%d", o.spec.Seed+uint64(rep)))
	b := o.opts.Base
	return runner.LoadSource(b.Name, b.Source, b.Dir, sets)
}
