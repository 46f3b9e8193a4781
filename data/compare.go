package data

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"aiecon/model"
	"aiecon/model/format"
)

// Comparison puts the KPIs of several runs side by side; the first run is
// the baseline of the deltas.
type Comparison struct {
	Runs []RunSummary // in the order asked
	Rows []CompareRow // whole-run scope first, then by workload; by name within a scope
	// SeedOnly says that the runs resolved to one scenario and differ only
	// in their seeds: every difference between them is simulation noise.
	SeedOnly bool
	// Freshness says, per run in Runs order, whether its scenario has a
	// training block, so that the model's freshness multiplies its
	// click-through and conversion (without one freshness is not modelled);
	// not Valid for a run stored without its resolved scenario.
	Freshness []sql.NullBool
	// FreshnessMultiplies says, per run in Runs order, whether freshness
	// multiplies anything the run earns (model.Scenario.
	// FreshnessMultiplies: ads or a conversion); true where its scenario
	// cannot be read, as before it was asked. A run with a training block
	// and nothing for freshness to multiply earns what it would without
	// one, so the freshness warning leaves it out.
	FreshnessMultiplies []bool
	// Pricing says, per run in Runs order, how each of its serving fleets
	// pays for its instances (pricing model, price and the price's date);
	// nil for a run stored without its resolved scenario, or with one this
	// version cannot read.
	Pricing [][]FleetPricing
	// Overloaded says, per run in Runs order, whether the run's own report
	// warns OVERLOADED or SATURATED (its fleet fell behind its traffic);
	// nil where nobody checked. The store does not fill it: the check is
	// the run report's (aiecon compare asks it of each run), the one a
	// sweep's OVERLOADED column counts.
	Overloaded []bool
}

// CompareRow is one KPI across the compared runs. A run without the KPI has
// NaN, and so do its deltas.
type CompareRow struct {
	Scope, Name, Unit string
	Values            []float64
	Delta             []float64 // Values[i] - Values[0]
	RelDelta          []float64 // Delta[i] / |Values[0]|; NaN where it means nothing (RelNote)
	// UnitNote says, per run, that its value is in another unit than the
	// baseline's (ad_bid_scale under cpm against cpc: markUnitChanges),
	// whose Delta and RelDelta are then NaN; nil or "" where the units agree.
	UnitNote []string
}

// RelNote is why RelDelta[i] is NaN though both values are defined: the
// values are in different units (UnitNote), or the change crosses zero or
// starts from zero or next to it (format.RelChange); "" where there is no
// such reason.
func (r CompareRow) RelNote(i int) string {
	if i < len(r.UnitNote) && r.UnitNote[i] != "" {
		return r.UnitNote[i]
	}
	_, why := format.RelChange(r.Values[i], r.Values[0])
	return why
}

// Compare reads the KPIs of the runs with the given full ids.
func (s *Store) Compare(ctx context.Context, ids []string) (*Comparison, error) {
	if len(ids) < 2 {
		return nil, fmt.Errorf("comparing runs: need at least two runs, got %d", len(ids))
	}
	c := &Comparison{}
	index := map[string]int{}
	for i, id := range ids {
		if _, dup := index[id]; dup {
			return nil, model.Input("comparing runs: run %s is listed twice", id)
		}
		index[id] = i
		r, err := scanSummary(s.db.QueryRowContext(ctx, "SELECT "+summaryColumns+" FROM run_summary WHERE run_id = ?", id))
		if err != nil {
			if isNoRows(err) {
				return nil, fmt.Errorf("comparing runs: run %s: %w", id, ErrRunNotFound)
			}
			return nil, fmt.Errorf("comparing runs: reading run %s: %w", id, err)
		}
		s.orphaned(&r)
		c.Runs = append(c.Runs, r)
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	var err error
	if c.SeedOnly, err = s.seedOnly(ctx, c.Runs, marks, args); err != nil {
		return nil, err
	}
	scenarios, err := s.storedScenarios(ctx, index, marks, args)
	if err != nil {
		return nil, err
	}
	c.Freshness, c.FreshnessMultiplies = freshness(scenarios)
	if c.Rows, err = s.compareRows(ctx, len(ids), index, marks, args); err != nil {
		return nil, err
	}
	c.Pricing = pricing(c.Rows, scenarios)
	markUnitChanges(c.Rows, adsPricings(scenarios))
	return c, nil
}

// storedScenario is a compared run's resolved scenario as stored (text,
// "" where none was) and parsed (sc, nil where its text is empty or was
// written by another version that no longer parses).
type storedScenario struct {
	text string
	sc   *model.Scenario
}

// storedScenarios reads and parses each run's resolved scenario once, by
// index in the order asked, for the checks that read it (freshness,
// pricing, adsPricings), which each read and parsed it on their own.
func (s *Store) storedScenarios(ctx context.Context, index map[string]int, marks string, args []any) ([]storedScenario, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT run_id, coalesce(resolved_yaml, '') FROM runs WHERE run_id IN (`+marks+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("comparing runs: reading their scenarios: %w", err)
	}
	defer rows.Close()
	out := make([]storedScenario, len(index))
	for rows.Next() {
		var id, y string
		if err := rows.Scan(&id, &y); err != nil {
			return nil, fmt.Errorf("comparing runs: reading their scenarios: %w", err)
		}
		st := storedScenario{text: y}
		if y != "" {
			if sc, _, err := model.Parse("stored scenario", []byte(y)); err == nil {
				st.sc = sc
			}
		}
		out[index[id]] = st
	}
	return out, rows.Err()
}

// compareRows reads the runs' KPIs (run ids in args, their order in
// index) into rows with their changes against the first run, sorted by
// scope and name.
func (s *Store) compareRows(ctx context.Context, n int, index map[string]int, marks string, args []any) ([]CompareRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT run_id, scope, name, value, unit FROM kpis WHERE run_id IN (`+marks+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("comparing runs: %w", err)
	}
	defer rows.Close()
	type key struct{ scope, name string }
	byKey := map[key]*CompareRow{}
	for rows.Next() {
		var id, scope, name, unit string
		var v sql.NullFloat64
		if err := rows.Scan(&id, &scope, &name, &v, &unit); err != nil {
			return nil, fmt.Errorf("comparing runs: %w", err)
		}
		k := key{scope, name}
		row := byKey[k]
		if row == nil {
			row = &CompareRow{Scope: scope, Name: name, Unit: unit, Values: make([]float64, n)}
			for i := range row.Values {
				row.Values[i] = nan
			}
			byKey[k] = row
		}
		row.Values[index[id]] = nanIfNull(v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("comparing runs: %w", err)
	}
	var out []CompareRow
	for _, row := range byKey {
		base := row.Values[0]
		row.Delta = make([]float64, n)
		row.RelDelta = make([]float64, n)
		for i, v := range row.Values {
			row.Delta[i] = format.Change(v, base) // rounding noise is no change
			row.RelDelta[i], _ = format.RelChange(v, base)
		}
		out = append(out, *row)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Scope != b.Scope {
			return a.Scope < b.Scope
		}
		return a.Name < b.Name
	})
	return out, nil
}

// HorizonWarning says, when the runs simulated different lengths of time,
// that their totals (revenue, cost, counts) differ by that alone; "" when
// they agree. The CLI and the dashboard both show it, so it is worded once
// here. A run whose horizon is unknown is left out of the check: it cannot
// be told to differ. With drain: true each run simulates its horizon plus
// its own drain (RunSummary.SimulatedS), so runs of one horizon can cover
// unequal times too; drains that differ by at most DrainTolerance of the
// time are let pass.
func (c *Comparison) HorizonWarning() string {
	var spans []string
	horizons := map[float64]bool{}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range c.Runs {
		if math.IsNaN(r.HorizonS) {
			spans = append(spans, "?")
			continue
		}
		horizons[r.HorizonS] = true
		lo, hi = min(lo, r.SimulatedS()), max(hi, r.SimulatedS())
		spans = append(spans, SimulatedText(r.HorizonS, r.SimulatedS()))
	}
	switch {
	case len(horizons) > 1:
		return "the runs simulated different horizons (" + strings.Join(spans, ", ") + "): totals such as revenue, cost and counts " +
			"differ by that alone; compare rates (per hour, per second, per Mtok) and shares instead"
	case hi > lo*(1+DrainTolerance):
		return "the runs simulated different times (" + strings.Join(spans, ", ") + "): each drained past its horizon until its last request ended, " +
			"so totals such as revenue, cost and counts differ by that alone; compare rates (per hour, per second, per Mtok) and shares instead"
	}
	return ""
}

// DrainTolerance is the share by which drained runs' simulated times may
// differ unremarked: half a percent moves a total by less than the
// replication noise of any run long enough to compare (a 2-minute run's
// margin varies by several percent between seeds).
const DrainTolerance = 0.005

// SimulatedText writes a run's simulated time: its horizon ("2m"), or where
// it drained past it the time reached and the horizon ("2m46.4s (2m +
// drain)"), to the tenth of a second.
func SimulatedText(horizonS, simulatedS float64) string {
	h := model.Duration(math.Round(horizonS * 1e9)).String()
	if !(simulatedS > horizonS) {
		return h
	}
	return TenthsText(simulatedS) + " (" + h + " + drain)"
}

// TenthsText writes seconds as a span to the tenth of a second (2m46.4s).
func TenthsText(s float64) string { return time.Duration(math.Round(s*10) * 1e8).String() }

// seedLine is a resolved scenario's top-level seed.
var seedLine = regexp.MustCompile(`(?m)^seed: .*$`)

// seedOnly reports whether runs of more than one seed resolved to the same
// scenario but for it, under the same aiecon version (another version may
// count the same scenario otherwise). A run stored without its resolved
// scenario (an old or synthetic one) cannot be told to match.
func (s *Store) seedOnly(ctx context.Context, runs []RunSummary, marks string, args []any) (bool, error) {
	seeds := map[uint64]bool{}
	for _, r := range runs {
		seeds[r.Seed] = true
	}
	if len(seeds) < 2 {
		return false, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT coalesce(resolved_yaml, ''), coalesce(aiecon_version, '') FROM runs WHERE run_id IN (`+marks+`)`, args...)
	if err != nil {
		return false, fmt.Errorf("comparing runs: reading their scenarios: %w", err)
	}
	defer rows.Close()
	scenarios := map[string]bool{}
	for rows.Next() {
		var y, version string
		if err := rows.Scan(&y, &version); err != nil {
			return false, fmt.Errorf("comparing runs: reading their scenarios: %w", err)
		}
		if y == "" {
			return false, rows.Err()
		}
		scenarios[version+"\x00"+seedLine.ReplaceAllString(y, "")] = true
	}
	return len(scenarios) == 1, rows.Err()
}

// NoiseWarning says, when the runs differ only in their seeds, that their
// differences are the simulation's noise, not any setting's effect: a
// 10-minute baseline reads a 26% higher margin on seed 2 than on seed 1.
// "As far as the store tells": a binary rebuilt from other code under the
// same version, or a calibration or trace file changed in place, leaves
// the resolved scenario and version as they were.
func (c *Comparison) NoiseWarning() string {
	if !c.SeedOnly {
		return ""
	}
	return "the runs differ only in their seeds, as far as the store tells (scenario and aiecon version): every difference " +
		"below is simulation noise; sweep a setting with --replications to see its effect beside it"
}

// Warnings are every warning of the comparison, in the order the CLI
// prints them (the dashboard shows the same, worded here once), the runs
// called "the baseline", "run 2" as the table heads them.
func (c *Comparison) Warnings() []string { return c.WarningsNaming(nil) }

// WarningsNaming is Warnings with run i called labels[i]: compare's csv
// and json have no "run 2", they head each run by its id.
func (c *Comparison) WarningsNaming(labels []string) []string {
	var out []string
	commas := func(runs []string) string { return strings.Join(runs, ", ") }
	for _, w := range []string{c.IncompleteWarningNaming(labels), c.OverloadWarningNaming(labels), c.HorizonWarning(), c.NoiseWarning(),
		c.FreshnessWarningNaming(labels, commas), c.PricingWarningNaming(labels)} {
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// trainingLine is a resolved scenario's top-level training block.
var trainingLine = regexp.MustCompile(`(?m)^training:`)

// freshness reads whether each run's resolved scenario has a training
// block (Comparison.Freshness) and whether freshness multiplies anything
// it earns (Comparison.FreshnessMultiplies), by index in the order asked.
func freshness(scenarios []storedScenario) ([]sql.NullBool, []bool) {
	out := make([]sql.NullBool, len(scenarios))
	multiplies := make([]bool, len(scenarios))
	for i, st := range scenarios {
		multiplies[i] = true
		if st.text == "" {
			continue
		}
		out[i] = sql.NullBool{Bool: trainingLine.MatchString(st.text), Valid: true}
		if st.sc != nil {
			multiplies[i] = st.sc.FreshnessMultiplies()
		} // else stored by another version: warned of as before, on its training block alone
	}
	return out, multiplies
}

// FreshnessModelled says whether the model's freshness multiplies what
// run i earns, by the rule FreshnessWarning sorts runs by: true where its
// scenario has a training block and freshness multiplies its ads or
// commerce (FreshnessMultiplies), false where it has no training block or
// one over nothing freshness multiplies (research-licensing's, which earns
// the same at every cadence), not Valid where its scenario is unknown.
// compare --format json reports it per run, so a script reads research-
// licensing's training block as the table does, changing no revenue.
func (c *Comparison) FreshnessModelled(i int) sql.NullBool {
	if i >= len(c.Freshness) || !c.Freshness[i].Valid {
		return sql.NullBool{}
	}
	multiplies := i >= len(c.FreshnessMultiplies) || c.FreshnessMultiplies[i]
	return sql.NullBool{Bool: c.Freshness[i].Bool && multiplies, Valid: true}
}

// FreshnessWarning says, when some runs have a training block and others
// none, that their ads and commerce differ by a change of model: with one,
// the model's freshness multiplies click-through and conversion; without,
// freshness is not modelled and they are taken as given, as of a model
// that never ages. Adding retraining to baseline lowers its commerce by
// 5.9% (freshness 0.94 at a monthly cadence's mid-point), which reads as
// retraining losing revenue. Runs whose scenario is unknown are left out.
func (c *Comparison) FreshnessWarning() string {
	return c.FreshnessWarningNaming(nil, func(runs []string) string { return strings.Join(runs, ", ") })
}

// tableRoles are the names of n compared runs: labels[i], or past the
// labels "the baseline" and "run 2" as the CLI's table heads them.
func tableRoles(n int, labels []string) []string {
	roles := make([]string, n)
	for i := range roles {
		switch {
		case i < len(labels):
			roles[i] = labels[i]
		case i == 0:
			roles[i] = "the baseline"
		default:
			roles[i] = fmt.Sprintf("run %d", i+1)
		}
	}
	return roles
}

// IncompleteWarningNaming says which compared runs did not complete, run
// i called labels[i], and that they have no KPIs to compare: a run stores
// its KPIs when it completes, and comparing two failed runs printed an
// empty table with no reason. "" where every run completed.
func (c *Comparison) IncompleteWarningNaming(labels []string) string {
	roles := tableRoles(len(c.Runs), labels)
	var not []string
	for i, r := range c.Runs {
		if r.Status != StatusComplete && r.Status != "" { // "": not read, nothing to say
			not = append(not, roles[i]+" ("+r.Status+")")
		}
	}
	switch {
	case len(not) == 0:
		return ""
	case len(c.Rows) == 0:
		return "NO KPIS: " + format.ListAnd(not) + " did not complete, and a run stores its KPIs only when it completes, " +
			"so there is nothing to compare (aiecon runs --status complete lists the runs that did)"
	case len(not) == 1:
		return "INCOMPLETE: " + not[0] + " did not complete, and a run stores its KPIs only when it completes, so its column is empty"
	}
	return "INCOMPLETE: " + format.ListAnd(not) + " did not complete, and a run stores its KPIs only when it completes, so their columns are empty"
}

// OverloadWarning is OverloadMixWarning over the compared runs, called
// "the baseline" and "run 2" as the table calls them; "" where none was
// flagged or nobody checked (Overloaded nil).
func (c *Comparison) OverloadWarning() string { return c.OverloadWarningNaming(nil) }

// OverloadWarningNaming is OverloadWarning with run i called labels[i].
func (c *Comparison) OverloadWarningNaming(labels []string) string {
	return OverloadMixWarning(tableRoles(len(c.Overloaded), labels), c.Overloaded)
}

// OverloadMixWarning says which of runs compared side by side (a
// scenario's variants, stored runs), named by roles, fell behind their
// traffic (over: the run's report warns OVERLOADED or SATURATED), and
// what that makes of their figures, as a sweep's OVERLOADED column says
// it: an overloaded fleet's cost per Mtok read as a 68% saving against a
// fleet that kept up, the unfinished requests' cost uncounted. "" where
// none is flagged.
func OverloadMixWarning(roles []string, over []bool) string {
	var flagged []string
	for i, o := range over {
		if o && i < len(roles) {
			flagged = append(flagged, roles[i])
		}
	}
	if len(flagged) == 0 {
		return ""
	}
	// Several read as a list, "the fleets of A, B and C": joined by "and"
	// as possessives they read "A's and B's and C's and E's fleets".
	whose, their, reports, sustains := flagged[0]+"'s fleet", "its", "report warns", "it sustains"
	if len(flagged) > 1 {
		whose, their, reports, sustains = "the fleets of "+format.ListAnd(flagged), "their", "reports warn", "they sustain"
	}
	return fmt.Sprintf("OVERLOADED: %s fell behind %s traffic (%s %s OVERLOADED or SATURATED), so %s latency, cost per Mtok "+
		"and margin describe a backlog, not a load %s, and a lower cost per Mtok or a higher margin there is no saving; "+
		"compare fleets sized for the traffic (aiecon optimize)", whose, their, their, reports, their, sustains)
}

// FreshnessWarningNaming is FreshnessWarning with run i called labels[i]
// and a list of runs worded by list: the CLI says "the baseline", "run 2"
// joined by commas, the dashboard its column letters A, B, C.
func (c *Comparison) FreshnessWarningNaming(labels []string, list func([]string) string) string {
	return freshnessMix("runs", tableRoles(len(c.Freshness), labels), c.Freshness, c.FreshnessMultiplies, list)
}

// FreshnessMixWarning is FreshnessWarning over any runs compared side by
// side (a scenario's variants, say): what names their kind ("runs",
// "variants"), roles each one's name, training whether its scenario has a
// training block (unknown ones are left out) and multiplies whether
// freshness multiplies anything it earns (model.Scenario.
// FreshnessMultiplies; a run past its end counts as multiplying). "" unless
// some have a training block whose freshness multiplies ads or commerce
// and others have none: a training block over neither changes no revenue.
func FreshnessMixWarning(what string, roles []string, training []sql.NullBool, multiplies []bool) string {
	return freshnessMix(what, roles, training, multiplies, func(runs []string) string { return strings.Join(runs, ", ") })
}

// freshnessMix is FreshnessMixWarning with the lists of runs worded by list.
func freshnessMix(what string, roles []string, training []sql.NullBool, multiplies []bool, list func([]string) string) string {
	var with, without []string
	for i, f := range training {
		switch {
		case f.Valid && f.Bool && (i >= len(multiplies) || multiplies[i]):
			with = append(with, roles[i])
		case f.Valid && f.Bool:
			// Freshness multiplies nothing it earns: no change of model to warn of.
		case f.Valid:
			without = append(without, roles[i])
		}
	}
	if len(with) == 0 || len(without) == 0 {
		return ""
	}
	have := func(runs []string) string {
		if len(runs) == 1 {
			return runs[0] + " has"
		}
		return list(runs) + " have"
	}
	return "model freshness is modelled in some " + what + " only: " + have(with) + " a training block, so the " +
		"model's freshness multiplies their click-through and conversion; " + have(without) + " none, so " +
		"freshness is not modelled there (the base figures are taken as they are, as of a model that never ages). Their ads " +
		"and commerce differ by that change of model, not by an effect of retraining (docs/model.md, \"Freshness\")"
}
