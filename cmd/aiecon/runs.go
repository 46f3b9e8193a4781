package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/model"
	"aiecon/model/kpi"
)

func init() { register(newRunsCmd) }

// defaultRunsLimit is how many runs `aiecon runs` lists unless told
// otherwise: a store that sweeps fill holds hundreds.
const defaultRunsLimit = 50

func newRunsCmd(e *env) *cobra.Command {
	f := data.RunFilter{Limit: defaultRunsLimit}
	var format string
	var all, withForecasts bool
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "List the stored runs with their headline KPIs",
		Long: `List the runs in the store, newest first: id, name, start time, status,
wall time, simulated horizon and headline KPIs (requests completed per
second, TTFT p99, SLO attainment, cost per million tokens, revenue, margin).
Revenue and margin are totals over the run's horizon, so runs of different
horizons differ by that alone. A run that has not completed shows "-" for
its KPIs. The csv and json formats give each run's seed too, the
horizon in seconds (horizon_s), and the time in seconds the run simulated
(sim_s: its horizon, and past it by the drain with drain: true; empty, or
null, until the run completes), as a sweep's csv and json name it, and
the cost per completed request and per completed agent session
(cost_per_request_usd, cost_per_session_usd: empty, or null, where none
completed or the run has no agent); the csv's horizon_s, seed and sim_s
follow its KPI columns, and the two costs come last.

The newest 50 are listed unless --limit or --all says otherwise; a footer
says how many match ("50 of 427"). Filters combine: --name matches part of
the run name, --scenario the scenario's whole name (all its variants, or
name/variant one), --status, --sweep and
--forecast exactly.

The runs a forecast made (one per variant, sample, period, day and slice of
the day: hundreds, read together with 'aiecon compare --forecast ID',
'aiecon plot ID --kind forecast' or the dashboard's Forecast screen) are
left out, and a footer counts them; --forecast ID lists one forecast's, and
--with-forecasts lists them among the others.

Any unique prefix of an id names the run for 'show', 'compare' and 'export',
and "last" names the newest run this list shows (a forecast's runs only when
the store holds nothing else).`,
		Example: `  aiecon runs
  aiecon runs --all
  aiecon runs --status failed
  aiecon runs --scenario baseline --sweep last
  aiecon runs --forecast last --limit 10
  aiecon runs --name baseline --limit 5 --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkRunsFlags(cmd, &f, format, all); err != nil {
				return err
			}
			return listRuns(cmd, e, f, format, withForecasts)
		},
	}
	cmd.Flags().StringVar(&f.Status, "status", "", "only runs with this status: running, complete or failed")
	cmd.Flags().StringVar(&f.NameLike, "name", "", "only runs whose name contains this text (any case)")
	cmd.Flags().StringVar(&f.Scenario, "scenario", "", "only runs of the scenario with this name (any case); a scenario's name takes all its variants, name/variant one")
	cmd.Flags().StringVar(&f.SweepID, "sweep", "", `only runs of this sweep: its id, a unique prefix of it, or "last"`)
	cmd.Flags().StringVar(&f.ForecastID, "forecast", "", `only runs of this forecast: its id, a unique prefix of it, or "last"`)
	cmd.Flags().BoolVar(&withForecasts, "with-forecasts", false, "list the runs forecasts made among the others (left out by default)")
	cmd.Flags().IntVar(&f.Limit, "limit", defaultRunsLimit, "at most this many runs, newest first (0, like --all: every run)")
	cmd.Flags().BoolVar(&all, "all", false, "every matching run (no --limit)")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return cmd
}

// listRuns prints the runs f selects, the forecasts' runs left out unless
// f names a forecast or withForecasts says otherwise, and a footer.
func listRuns(cmd *cobra.Command, e *env, f data.RunFilter, format string, withForecasts bool) error {
	store, err := openStore(e, true)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := resolveRunsFilter(cmd.Context(), store, &f); err != nil {
		return err
	}
	unfiltered := f == (data.RunFilter{Limit: f.Limit})
	f.NoForecastRuns = f.ForecastID == "" && !withForecasts
	runs, total, err := store.RunsCounted(cmd.Context(), f)
	if err != nil {
		return err // a bad --status is an input error already
	}
	hidden, err := hiddenForecastRuns(cmd.Context(), store, f, total)
	if err != nil {
		return err
	}
	if len(runs) == 0 && format == "table" {
		switch {
		case unfiltered && hidden > 0:
			fmt.Fprintf(e.stderr, "no runs in %s besides %d a forecast made (--with-forecasts lists them)\n", e.dbPath, hidden)
		case unfiltered:
			fmt.Fprintf(e.stderr, "no runs in %s yet (aiecon run stores one)\n", e.dbPath)
		case hidden > 0:
			fmt.Fprintf(e.stderr, "no runs in %s match the filters besides %d a forecast made (--with-forecasts lists them)\n", e.dbPath, hidden)
		default:
			fmt.Fprintf(e.stderr, "no runs in %s match the filters\n", e.dbPath)
		}
		return nil
	}
	if err := printRuns(e.stdout, runs, format); err != nil {
		return err
	}
	printRunsFooter(e, format, len(runs), total, hidden)
	return nil
}

// checkRunsFlags checks the values the store does not: the format, the limit
// and --all against --limit. A --limit 0 reads as --all, as it always did.
func checkRunsFlags(cmd *cobra.Command, f *data.RunFilter, format string, all bool) error {
	if err := checkFormat(format, "table", "csv", "json"); err != nil {
		return err
	}
	// An empty id filtered nothing and listed every run, while --db ''
	// is refused: a script whose variable was unset got the wrong list.
	for _, fl := range []struct{ name, val string }{{"sweep", f.SweepID}, {"forecast", f.ForecastID}} {
		if cmd.Flags().Changed(fl.name) && strings.TrimSpace(fl.val) == "" {
			return badInput("--%s %q: empty; give an id, a unique prefix of one, or \"last\"", fl.name, fl.val)
		}
	}
	if f.Limit < 0 {
		return badInput("--limit %d: want a count of runs, or --all for every run", f.Limit)
	}
	if all {
		if cmd.Flags().Changed("limit") {
			return badInput("--all and --limit %d: give one of them", f.Limit)
		}
		f.Limit = 0
	}
	return nil
}

// resolveRunsFilter turns --sweep into an id and checks that --scenario
// names a scenario some run has, so a typo is an error naming the choices
// rather than an empty list.
func resolveRunsFilter(ctx context.Context, store *data.Store, f *data.RunFilter) error {
	var err error
	if f.SweepID != "" {
		// The same references as sweep --show and --resume take.
		if f.SweepID, err = store.ResolveSweep(ctx, f.SweepID); err != nil {
			return asUsage(fmt.Errorf("--sweep: %w", err))
		}
	}
	if f.ForecastID != "" {
		// The same references as compare --forecast and plot --kind forecast take.
		if f.ForecastID, err = store.ResolveForecast(ctx, f.ForecastID); err != nil {
			// Bad input however it fails to name one, as --sweep's is.
			return asUsage(forecastRefError(fmt.Errorf("--forecast: %w", err)))
		}
	}
	if f.Scenario == "" {
		return nil
	}
	names, err := store.RunScenarios(ctx)
	if err != nil {
		return err
	}
	for _, n := range names {
		base, _, _ := strings.Cut(n, "/") // a variant's runs are scenario/variant
		if strings.EqualFold(n, f.Scenario) || strings.EqualFold(base, f.Scenario) {
			return nil
		}
	}
	if len(names) == 0 {
		return badInput("--scenario %q: the store has no runs yet", f.Scenario)
	}
	return badInput("--scenario %q: no stored run has that scenario; stored runs have %s", f.Scenario, strings.Join(names, ", "))
}

// hiddenForecastRuns is how many runs that f, less its NoForecastRuns,
// selects were left out as runs a forecast made (0 where none were): the
// matching runs counted with them, less total, those counted without.
// The store's count of every forecast run, which the footer gave, read
// "36 runs made by forecasts not listed" under `runs --name from-cli`.
func hiddenForecastRuns(ctx context.Context, store *data.Store, f data.RunFilter, total int) (int, error) {
	if !f.NoForecastRuns {
		return 0, nil
	}
	f.NoForecastRuns, f.Limit = false, 1 // one row read; RunsCounted counts the rest
	_, all, err := store.RunsCounted(ctx, f)
	if err != nil {
		return 0, fmt.Errorf("counting the runs forecasts made that match: %w", err)
	}
	return max(all-total, 0), nil
}

// printRunsFooter says when the list is cut, and how many runs made by
// forecasts were left out: under the table, or on stderr for csv and json so the
// data stays clean.
func printRunsFooter(e *env, format string, shown, total, hidden int) {
	var parts []string
	if shown < total {
		parts = append(parts, fmt.Sprintf("%d of %s; --all, --limit N", shown, plural(total, "run")))
	}
	if hidden > 0 {
		parts = append(parts, fmt.Sprintf("%s made by forecasts not listed; --forecast ID, --with-forecasts", plural(hidden, "run")))
	}
	if len(parts) == 0 {
		return
	}
	line := strings.Join(parts, "; ")
	if format == "table" {
		fmt.Fprintln(e.stdout, line)
		return
	}
	fmt.Fprintln(e.stderr, line)
}

// runColumns are the KPI columns of `aiecon runs`: the catalog's name and
// column header, how to read the value and how a table cell prints it (the
// header carries the unit, so cells do not).
var runColumns = []struct {
	name  string
	value func(data.RunSummary) float64
	human func(float64) string
}{
	{kpi.ThroughputRPS, func(r data.RunSummary) float64 { return r.ThroughputRPS }, func(v float64) string { return fmtNum(v, 2) }},
	{kpi.TTFTP99S, func(r data.RunSummary) float64 { return r.TTFTP99S }, fmtSec},
	{kpi.SLOAttainment, func(r data.RunSummary) float64 { return r.SLOAttainment }, fmtAttain},
	{kpi.CostPerMTokUSD, func(r data.RunSummary) float64 { return r.CostPerMTokUSD }, fmtUSD},
	{kpi.RevenueUSD, func(r data.RunSummary) float64 { return r.RevenueUSD }, fmtUSD},
	{kpi.MarginUSD, func(r data.RunSummary) float64 { return r.MarginUSD }, fmtUSD},
}

// runUnitCostColumns are the cost per completed request and per completed
// session, which csv and json give after the others and the table leaves
// out: it is as wide as 100 columns allow, and show and compare give them.
var runUnitCostColumns = []struct {
	name  string
	value func(data.RunSummary) float64
	human func(float64) string
}{
	{kpi.CostPerRequestUSD, func(r data.RunSummary) float64 { return r.CostPerRequestUSD }, fmtUSD},
	{kpi.CostPerSessionUSD, func(r data.RunSummary) float64 { return r.CostPerSessionUSD }, fmtUSD},
}

func printRuns(out io.Writer, runs []data.RunSummary, format string) error {
	switch format {
	case "json":
		rows := make([]map[string]any, len(runs))
		for i, r := range runs {
			m := map[string]any{"run_id": r.ID, "name": r.Name, "status": r.Status,
				"started_at": r.StartedAt.UTC().Format(time.RFC3339), "wall_s": jsonNum(r.WallS), "horizon_s": jsonNum(r.HorizonS), "seed": r.Seed,
				"sim_s": jsonNum(r.SimS)}
			for _, c := range append(runColumns[:len(runColumns):len(runColumns)], runUnitCostColumns...) {
				m[c.name] = jsonNum(c.value(r))
			}
			rows[i] = m
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	case "csv":
		w := csv.NewWriter(out)
		// horizon_s, then seed, then sim_s came after the KPI columns,
		// each appended last: a reader that takes the columns by position
		// keeps reading them where they were. The seed is the JSON's, so
		// that runs alike but for it read apart in either; sim_s is the
		// time the run simulated (runs.sim_ns), past horizon_s by the drain
		// with drain: true, named and in seconds as a sweep's CSV gives it.
		// The unit costs came after sim_s, for the same reason.
		head := []string{"run_id", "name", "started_at", "status", "wall_s"}
		for _, c := range runColumns {
			head = append(head, c.name)
		}
		head = append(head, "horizon_s", "seed", "sim_s")
		for _, c := range runUnitCostColumns {
			head = append(head, c.name)
		}
		_ = w.Write(head)
		for _, r := range runs {
			rec := []string{r.ID, r.Name, r.StartedAt.UTC().Format(time.RFC3339), r.Status, csvNum(r.WallS)}
			for _, c := range runColumns {
				rec = append(rec, csvNum(c.value(r)))
			}
			rec = append(rec, csvNum(r.HorizonS), strconv.FormatUint(r.Seed, 10), csvNum(r.SimS))
			for _, c := range runUnitCostColumns {
				rec = append(rec, csvNum(c.value(r)))
			}
			_ = w.Write(rec)
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	// HORIZON: revenue and margin are totals over it, so runs of different
	// horizons differ by that alone (as compare warns).
	head := []string{"ID", "NAME", "STARTED", "STATUS", "WALL", "HORIZON"}
	for _, c := range runColumns {
		head = append(head, strings.ToUpper(kpi.Get(c.name).ShortLabel()))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, r := range runs {
		wall := "-"
		if !math.IsNaN(r.WallS) {
			wall = fmtWall(time.Duration(r.WallS * float64(time.Second)))
		}
		cells := []string{r.ID, visibleText(r.Name), r.StartedAt.Local().Format("2006-01-02 15:04 MST"), r.Status, wall, fmtHorizon(r.HorizonS)}
		for _, c := range runColumns {
			cells = append(cells, c.human(c.value(r)))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// fmtHorizon is a stored horizon in seconds as a scenario writes it (30m,
// 1d); "-" where the run has none.
func fmtHorizon(s float64) string {
	if math.IsNaN(s) {
		return "-"
	}
	return model.Duration(math.Round(s * 1e9)).String()
}

// openStore opens the store of --db. Readers open it read-only, so several
// can look at once, and so in DuckDB's sandbox (every read-only Open is);
// they refuse a store whose views or functions are not aiecon's
// (data.Options.Refuse), whose SQL they would run and print under aiecon's
// names. A missing store or directory is the user's input error (Main
// gives it exit code 2, whichever command opened the store).
func openStore(e *env, readOnly bool) (*data.Store, error) {
	if readOnly {
		return data.Open(e.dbPath, data.Options{ReadOnly: true, Refuse: true, OnWarning: writerOptions(e).OnWarning, PathArg: e.dbArg()})
	}
	return data.Open(e.dbPath, writerOptions(e))
}

// closeStore closes a store a command wrote to and makes the close's error
// the command's (beside its own where it failed): a store found damaged as
// it closes is set aside, and the user must hear of it.
func closeStore(s *data.Store, err *error) {
	switch cerr := s.Close(); {
	case cerr == nil:
	case *err == nil:
		*err = cerr
	default: // both: a failed command's store may also fail to close (a full disk)
		*err = errors.Join(*err, fmt.Errorf("closing the store: %w", cerr))
	}
}

// resolveRuns turns the user's run references (ids, prefixes, "last") into ids.
func resolveRuns(ctx context.Context, s *data.Store, refs []string) ([]string, error) {
	ids := make([]string, len(refs))
	for i, ref := range refs {
		id, err := s.ResolveRun(ctx, ref)
		if err != nil {
			if errors.Is(err, data.ErrRunNotFound) || errors.Is(err, data.ErrAmbiguousRun) {
				return nil, asUsage(err)
			}
			return nil, err
		}
		ids[i] = id
	}
	return ids, nil
}

func checkFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return badInput("--format %q: want one of %s", format, strings.Join(allowed, ", "))
}

// jsonNum is a float for JSON, with NaN and infinities as null.
func jsonNum(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// csvNum is a float for CSV: shortest exact form, empty when undefined.
func csvNum(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return fmt.Sprint(v)
}
