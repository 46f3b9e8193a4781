package study

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/runner"
)

// ProbeHorizon is how much simulated time CheckKPIs runs of the first point
// to learn which KPIs and workloads the sweep's scenarios produce: long
// enough for requests to complete (some KPIs exist only then), short enough
// to cost milliseconds.
const ProbeHorizon = 10 * model.Second

// CheckKPIs runs the first point briefly, without storing it, and checks
// that every KPI the sweep reports (and every Monte Carlo threshold) names a
// KPI and workload that its runs produce, so that a typo fails before
// hours of runs rather than in the summary after them.
func (p *Plan) CheckKPIs(ctx context.Context) error {
	if err := p.Spec.CheckThresholds(); err != nil {
		return &runner.InputError{Err: err}
	}
	if len(p.Points) == 0 {
		return nil
	}
	pt := p.Points[0]
	l, err := p.Load(pt, 0)
	if err != nil {
		return err
	}
	h := min(model.Duration(l.Scenario.Horizon), ProbeHorizon)
	sets := append(p.Overrides(pt, 0), "horizon="+h.String(), "window="+h.String())
	b := p.Spec.Base
	probe, err := runner.LoadSource(b.Name, b.Source, b.Dir, sets)
	if err != nil {
		return fmt.Errorf("probing the KPIs of point 0: %w", err)
	}
	out, err := runner.Run(ctx, probe, runner.Options{})
	if err != nil {
		return fmt.Errorf("probing the KPIs of point 0: %w", err)
	}
	var names, scopes []string
	seen := map[KPIRef]bool{}
	for _, k := range out.Result.KPIs {
		seen[KPIRef{Name: k.Name, Scope: k.Scope}] = true
		if !slices.Contains(names, k.Name) {
			names = append(names, k.Name)
		}
	}
	for _, w := range l.Scenario.Workloads {
		scopes = append(scopes, w.Name)
	}
	var errs model.Errors
	for _, k := range p.Spec.KPIs {
		switch {
		case seen[k]:
		case !slices.Contains(names, k.Name):
			// A catalog name (the file's reader refused the others) that
			// these scenarios do not report, e.g. a training KPI without
			// training.
			errs = append(errs, p.Spec.at("kpi:"+k.String(), "kpis",
				fmt.Sprintf("KPI %q is not reported by these scenarios' runs; they report, among others: %s", k.Name, strings.Join(hw.Nearest(k.Name, names, 4), ", "))))
		case k.Scope != "" && !slices.Contains(scopes, k.Scope):
			errs = append(errs, p.Spec.at("kpi:"+k.String(), "kpis",
				fmt.Sprintf("%s: no workload %q (workloads: %s)", k, k.Scope, strings.Join(scopes, ", "))))
		default:
			errs = append(errs, p.Spec.at("kpi:"+k.String(), "kpis",
				fmt.Sprintf("%s: this KPI is not reported per workload (scope) in these scenarios", k)))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
