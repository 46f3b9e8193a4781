package main

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/model/format"
	"aiecon/model/kpi"
)

func init() { register(newCompareCmd) }

func newCompareCmd(e *env) *cobra.Command {
	var format, scope string
	var forecasts bool
	var width widthFlag
	cmd := &cobra.Command{
		Use:   "compare RUN RUN... | --forecast FORECAST...",
		Short: "Put the KPIs of stored runs side by side, with deltas against the first",
		Long: `Put every KPI of two or more stored runs side by side. The first run is the
baseline: each other run shows its value, the absolute change and the relative
change against it; the relative change is n/a, with the reason, where the
value crosses zero or starts from zero or next to it (a margin from -$10 to
+$85 is +$95, not +950%). RUN is an id, any unique prefix of one, or "last".
A run whose own report warned OVERLOADED or SATURATED (its fleet fell behind
its traffic) is marked OVERLOADED, with a warning that its cost per Mtok and
margin are no saving (--format json: "overloaded" per run, and "warnings").

With --forecast, compare the fleet variants of one or more stored forecasts
('aiecon forecast'): every USD line summed over the horizon (the median over
the Monte Carlo samples of the sums, P50; --format csv or json adds their P10
and P90), against the first. The variants of one forecast share each sample's
draws, so each other variant's change is taken sample by sample: the P10, P50
and P90 of its total minus the first's in the same sample, and the share of
the samples in which it is better (higher revenue and margins, lower costs);
one sample has no spread, and the table says so. Forecasts apart share no
samples: their change is the difference of the medians.`,
		Example: `  aiecon compare 01jf3k9x 01jf3m2q
  aiecon compare 01jf3k9x last --scope run
  aiecon compare a1 b2 c3 --format csv > compare.csv
  aiecon compare --forecast last`,
		Args: func(cmd *cobra.Command, args []string) error {
			if forecasts {
				if len(args) == 0 { // the generic message would ask for RUN RUN...
					return asUsage(errors.New("--forecast: give a FORECAST (an id, a prefix or \"last\")"))
				}
				return nil
			}
			return cobra.MinimumNArgs(2)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "csv", "json"); err != nil {
				return err
			}
			if forecasts {
				return compareForecasts(cmd.Context(), e, args, format, width)
			}
			store, err := openStore(e, true)
			if err != nil {
				return err
			}
			defer store.Close()
			ids, err := resolveRuns(cmd.Context(), store, args)
			if err != nil {
				return err
			}
			c, err := store.Compare(cmd.Context(), ids)
			if err != nil {
				return err // a run listed twice is an input error already
			}
			if c.Rows, err = filterScope(c.Rows, scope); err != nil {
				return err
			}
			if c.Overloaded, err = overloadedRuns(cmd.Context(), store, c.Runs); err != nil {
				return err
			}
			warnHorizons(e, c, format, streamWidth(e.stderr, width))
			switch format {
			case "json":
				return printCompareJSON(e.stdout, c)
			case "csv":
				return printCompareCSV(e.stdout, c)
			}
			return printCompare(e.stdout, c)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	cmd.Flags().BoolVar(&forecasts, "forecast", false, "compare the variants of stored forecasts (ids, prefixes or \"last\")")
	cmd.Flags().StringVar(&scope, "scope", "", "only this scope: run (whole-run KPIs) or a workload name (default: all)")
	addWidthFlag(cmd, &width)
	return cmd
}

// filterScope keeps the rows of one scope. A scope that no run has is an
// error naming the ones they have: an empty table would read as "nothing
// to compare" when the scope was mistyped.
func filterScope(rows []data.CompareRow, scope string) ([]data.CompareRow, error) {
	if scope == "" || len(rows) == 0 { // runs without KPIs have no scope to check against
		return rows, nil
	}
	want := scope
	if want == "run" {
		want = ""
	}
	var out []data.CompareRow
	var have []string
	seen := map[string]bool{}
	for _, r := range rows {
		if r.Scope == want {
			out = append(out, r)
		}
		if name := cmp.Or(r.Scope, "run"); !seen[name] {
			seen[name] = true
			have = append(have, name)
		}
	}
	if len(out) == 0 {
		return nil, badInput("--scope %q: no compared run has that scope; they have %s", scope, strings.Join(have, ", "))
	}
	return out, nil
}

// warnHorizons says on stderr when some runs' fleets fell behind their
// traffic (their cost per Mtok is no saving), when the runs simulated different lengths of
// time, whose totals (revenue, cost, counts) then differ by that alone,
// when they differ only in their seeds, so that every delta is noise, when
// some model the model's freshness and others do not, and when they pay
// under different pricing models or at prices of dates far apart. Each
// warning wraps to width (wrapWriter; 0: one line each).
func warnHorizons(e *env, c *data.Comparison, output string, width int) {
	warnings := c.Warnings()
	if output != "table" {
		warnings = idWarnings(c)
	}
	for _, w := range warnings {
		fprintWrapped(e.stderr, width, "aiecon: %s\n", w)
	}
}

// idWarnings are the comparison's warnings with each run called by its
// id, as the csv and json head it: "run 2" is a label of the table only.
func idWarnings(c *data.Comparison) []string {
	labels := make([]string, len(c.Runs))
	for i, r := range c.Runs {
		labels[i] = "run " + r.ID
	}
	return append([]string{}, c.WarningsNaming(labels)...)
}

// printCompare prints the comparison's table: money as run and show print
// it (kpiCell: $143.04 where four significant figures printed 143, so one
// run's cost read differently in compare than in run and show); the CSV
// and JSON keep every value a full-precision number.
func printCompare(out io.Writer, c *data.Comparison) error {
	for i, r := range c.Runs {
		role := "baseline"
		if i > 0 {
			role = fmt.Sprintf("run %d", i+1)
		}
		mark := ""
		if i < len(c.Overloaded) && c.Overloaded[i] {
			mark = "  OVERLOADED"
		}
		fmt.Fprintf(out, "%-9s %s  %s  %s%s\n", role, r.ID, r.Name, r.Status, mark)
	}
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	head := []string{"SCOPE", "KPI", "UNIT", "BASELINE"}
	for i := 1; i < len(c.Runs); i++ {
		head = append(head, fmt.Sprintf("RUN %d", i+1), "Δ", "Δ%")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, row := range c.Rows {
		scope := row.Scope
		if scope == "" {
			scope = "(run)"
		}
		name := row.Name
		if c := kpi.Caveat(name); c != "" {
			name += " (" + c + ")" // gross_margin beside margin_usd read as netting every cost
		}
		cells := []string{scope, name, row.Unit, kpiCell(row.Values[0], row.Unit)}
		for i := 1; i < len(row.Values); i++ {
			cells = append(cells, kpiCell(row.Values[i], row.Unit), cellDelta(row.Delta[i], row.Unit), cellRel(row, i))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// cellDelta is a change of a KPI; a change of a fraction (a margin, an SLO
// attainment) in percentage points, which the relative Δ% beside it is not;
// a change of money as its values print (kpiCell: +$0.13, -$27.12).
func cellDelta(v float64, unit string) string {
	if math.IsNaN(v) {
		return "-"
	}
	if unit == format.UnitFraction {
		return pointsDelta(v)
	}
	if v > 0 {
		return "+" + kpiCell(v, unit)
	}
	return kpiCell(v, unit)
}

// cellRel is the relative change of run i, or "n/a (sign change)" and the
// like where it means nothing (data.CompareRow.RelNote): the Δ beside it
// says the change in its unit.
func cellRel(row data.CompareRow, i int) string {
	if why := row.RelNote(i); why != "" {
		return "n/a (" + why + ")"
	}
	return format.PctDelta(row.RelDelta[i], 1)
}

// pointsDelta is a change of a fraction in percentage points, as compare
// and run's variant comparison both print it; one that is not zero never
// prints as +0.0 pp (format.PctDelta).
func pointsDelta(d float64) string { return strings.TrimSuffix(format.PctDelta(d, 1), "%") + " pp" }

func printCompareCSV(out io.Writer, c *data.Comparison) error {
	w := csv.NewWriter(out)
	head := []string{"scope", "kpi", "unit"}
	for i, r := range c.Runs {
		head = append(head, r.ID)
		if i > 0 {
			head = append(head, r.ID+"_delta", r.ID+"_rel_delta", r.ID+"_rel_delta_na")
		}
	}
	_ = w.Write(head)
	for _, row := range c.Rows {
		rec := []string{row.Scope, row.Name, row.Unit}
		for i := range row.Values {
			rec = append(rec, csvNum(row.Values[i]))
			if i > 0 {
				rec = append(rec, csvNum(row.Delta[i]), csvNum(row.RelDelta[i]), row.RelNote(i))
			}
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return w.Error()
}

// printCompareJSON writes the comparison with its runs' horizons, seeds,
// whether each models freshness in what it earns (freshness_modelled,
// data.Comparison.FreshnessModelled: false for a training block over no
// ads or commerce, which the freshness warning leaves out too) and whether
// each was overloaded (null when unknown), and the warnings the table prints on stderr ("warnings", [] when none, runs named by id), so
// that a script reading it learns what a reader of the table does.
func printCompareJSON(out io.Writer, c *data.Comparison) error {
	runs := make([]map[string]any, len(c.Runs))
	for i, r := range c.Runs {
		runs[i] = map[string]any{"run_id": r.ID, "name": r.Name, "status": r.Status, "horizon_s": jsonNum(r.HorizonS), "seed": r.Seed,
			"freshness_modelled": nil, "overloaded": nil}
		if f := c.FreshnessModelled(i); f.Valid {
			runs[i]["freshness_modelled"] = f.Bool
		}
		if i < len(c.Overloaded) {
			runs[i]["overloaded"] = c.Overloaded[i]
		}
	}
	warnings := idWarnings(c)
	rows := make([]map[string]any, len(c.Rows))
	for i, row := range c.Rows {
		vals, deltas, rels, nas := make([]any, len(row.Values)), make([]any, len(row.Values)), make([]any, len(row.Values)), make([]any, len(row.Values))
		for j := range row.Values {
			vals[j], deltas[j], rels[j] = jsonNum(row.Values[j]), jsonNum(row.Delta[j]), jsonNum(row.RelDelta[j])
			if why := row.RelNote(j); why != "" {
				nas[j] = why
			}
		}
		rows[i] = map[string]any{"scope": row.Scope, "name": row.Name, "unit": row.Unit, "values": vals, "delta": deltas, "rel_delta": rels,
			"rel_delta_na": nas}
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"runs": runs, "kpis": rows, "warnings": warnings})
}
