package tui

import (
	"fmt"
	"slices"
	"strings"

	"aiecon/model"
	"aiecon/model/format"
	"aiecon/runner"
	"aiecon/sim"
)

// runSetup is what a run served and on what: read from the resolved
// scenario stored with the run, so the run screen names the model, the
// instance and count, the TP degree, the scheduler and where the step
// times come from (the same line `aiecon run` prints). The fields are the
// main pool's (the scenario's model on its fleet); pools are a model
// mix's other models, each on a fleet of its own.
type runSetup struct {
	model     string
	instance  string
	count     int
	pricing   string
	tp        int
	scheduler string
	stepTimes string
	pools     []poolSetup
	// sc is the stored scenario, which the Workloads tab's MODELS table
	// and the Replicas tab's MODEL column read as aiecon run does.
	sc *model.Scenario
}

// poolSetup is one more model of a model mix and its fleet.
type poolSetup struct {
	name, model, instance, pricing, scheduler string
	count, tp                                 int
}

// servedResult is a stored run's result as far as the step-times line
// reads it: the lengths its main fleet served (data.RunRecord.Served),
// none where the store kept none.
func servedResult(served *sim.PoolLengths) *sim.Result {
	if served == nil {
		return nil
	}
	return &sim.Result{Lengths: []sim.PoolLengths{*served}}
}

// setupOf reads a run's setup from its stored scenario (resolved when
// there is one: every default filled in). A run stored without a scenario,
// or with one that no longer parses (an older version), has none: the
// screen then shows what the KPIs say and nothing more. served are the
// lengths its main fleet served, where the store kept them, which the
// step-times line compares with the measured ones as aiecon run did.
func setupOf(resolved, given string, served *sim.PoolLengths) (*runSetup, error) {
	src := resolved
	if src == "" {
		src = given
	}
	if src == "" {
		return nil, nil
	}
	sc, _, err := model.Parse("stored scenario", []byte(src))
	if err != nil {
		return nil, fmt.Errorf("reading the run's stored scenario: %w", err)
	}
	s := &runSetup{
		model:     sc.Model.Name,
		instance:  sc.Fleet.Instance,
		count:     sc.Fleet.Count,
		pricing:   sc.Fleet.Pricing,
		tp:        sc.Fleet.Replica.TP,
		scheduler: sc.Fleet.Replica.Scheduler,
		stepTimes: runner.StoredStepTimesSource(sc, servedResult(served)),
		sc:        sc,
	}
	for _, p := range sc.Pools {
		s.pools = append(s.pools, poolSetup{name: p.Name, model: p.Model.Name, instance: p.Fleet.Instance,
			pricing: p.Fleet.Pricing, scheduler: p.Fleet.Replica.Scheduler, count: p.Fleet.Count, tp: p.Fleet.Replica.TP})
	}
	return s, nil
}

// main is the main pool as a poolSetup, named by its model as `aiecon
// run` names it.
func (s *runSetup) main() poolSetup {
	return poolSetup{name: s.model, model: s.model, instance: s.instance, pricing: s.pricing, scheduler: s.scheduler,
		count: s.count, tp: s.tp}
}

// all is every pool, the main one first.
func (s *runSetup) all() []poolSetup { return append([]poolSetup{s.main()}, s.pools...) }

// parts are the setup's phrases in reading order; zero fields (a scenario
// stored before resolution) are left out rather than shown as 0. A model
// mix names each model with its fleet and TP degree (the header read
// "llama-3.3-70b on 2 × trn2.48xlarge · TP 32" for a run whose 8B served
// on a third instance at TP 8); a scheduler or pricing the pools share is
// said once.
func (s *runSetup) parts() []string {
	ps := s.all()
	sharedSched, sharedPricing := same(ps, func(p poolSetup) string { return p.scheduler }),
		same(ps, func(p poolSetup) string { return p.pricing })
	var parts []string
	for _, p := range ps {
		what := p.label()
		if len(ps) == 1 {
			if what != "" {
				parts = append(parts, what)
			}
			if p.tp > 0 {
				parts = append(parts, fmt.Sprintf("TP %d", p.tp))
			}
			continue
		}
		if p.tp > 0 {
			what += fmt.Sprintf(", TP %d", p.tp)
		}
		if !sharedSched && p.scheduler != "" {
			what += ", " + p.scheduler + " scheduler"
		}
		if !sharedPricing && p.pricing != "" {
			what += ", " + p.pricing
		}
		parts = append(parts, strings.TrimPrefix(what, ", "))
	}
	if sharedSched && s.scheduler != "" {
		parts = append(parts, s.scheduler+" scheduler")
	}
	if sharedPricing && s.pricing != "" {
		parts = append(parts, s.pricing)
	}
	if s.stepTimes != "" && s.stepTimes != "-" {
		parts = append(parts, "step times: "+s.stepTimes)
	}
	return parts
}

// label is "model on N × instance"; a pool named other than its model
// gives both ("small (llama-3.1-8b)"), as run's FLEET lines do.
func (p poolSetup) label() string {
	what := p.model
	if p.name != "" && p.name != p.model {
		what = p.name
		if p.model != "" {
			what += " (" + p.model + ")"
		}
	}
	if p.instance != "" {
		fleet := p.instance
		if p.count > 0 {
			fleet = fmt.Sprintf("%d × %s", p.count, p.instance)
		}
		if what != "" {
			what += " on "
		}
		what += fleet
	}
	return what
}

// same says whether every pool has the same value of f.
func same(ps []poolSetup, f func(poolSetup) string) bool {
	for _, p := range ps[1:] {
		if f(p) != f(ps[0]) {
			return false
		}
	}
	return true
}

// distinct joins the pools' different values of f, in pool order, with
// sep ("trn2.48xlarge", "32/8"); empty values are left out.
func (s *runSetup) distinct(sep string, f func(poolSetup) string) string {
	var out []string
	for _, p := range s.all() {
		if v := f(p); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return strings.Join(out, sep)
}

// fmtWhole prints a count that is whole as an integer ("4"), and a
// time-averaged one that autoscaling moved with one decimal ("4.4").
var fmtWhole = format.AvgCount
