package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/runner"
)

func init() { register(newShowCmd) }

func newShowCmd(e *env) *cobra.Command {
	var asJSON bool
	var yaml string
	var width widthFlag
	cmd := &cobra.Command{
		Use:   "show RUN",
		Short: "Print one stored run in full: its settings, KPIs and replicas",
		Long: `Print a stored run: status, timings, scenario, what was stored, what calls
abandoned mid-answer had streamed (run's abandoned calls line), every KPI
(whole run, then per workload) and the replicas, then the warnings 'aiecon
run' printed (OVERLOADED, SATURATED, MOSTLY IDLE, NO TOKEN PRICE, the
calibration profile's caveats...), from the stored scenario, KPIs and
profile file by the same checks; --json gives the same list as "warnings".
Some are not repeated, as the store lacks what they read: TRACE CUT AT THE
HORIZON (no count of a trace's rows cut), STEP TIMES EXTRAPOLATED's prompt
and context lengths of a model mix's pools, and of the main fleet for a run
stored before the store kept them (the warning says which cannot be
recomputed; the main fleet's kept lengths and the gaps read from the
scenario, such as speculative decoding or batches, are repeated) and
ADS.PAID_CPC DEFAULT DROPPED (the stored resolved scenario has the paid CPC
already dropped). STEP TIMES THINLY FITTED prices the run's mean decode step
from the lengths its main fleet served, which the store keeps; a run stored
before it kept them is told that share cannot be recomputed. RUN is an id,
any unique prefix of one, or "last".

--yaml given prints the scenario as the user gave it, --yaml resolved with
every default filled in (an optional block left out, such as ads or an
agent's retrieval, stays out: it is off; so do precision.expert_weights and
an agent's tool_call_tokens, which follow precision.weights and the
workload's output_tokens), instead of the report; its numbers are written in
full (11.250413596244188/s, not 11.2504/s), so that a run of it reads the
scenario the stored run ran.`,
		Example: `  aiecon show last
  aiecon show 01jf3k9x --json
  aiecon show last --yaml resolved > rerun.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if yaml != "" && yaml != "given" && yaml != "resolved" {
				return badInput("--yaml %q: want given or resolved", yaml)
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
			d, err := store.Run(cmd.Context(), ids[0])
			if err != nil {
				return err
			}
			switch {
			case yaml == "given":
				_, err = io.WriteString(e.stdout, d.Run.ScenarioYAML)
				return err
			case yaml == "resolved":
				_, err = io.WriteString(e.stdout, d.Run.ResolvedYAML)
				return err
			case asJSON:
				return printRunJSON(e.stdout, d, storedWarnings(d, e.dbPath))
			}
			return printRun(e.stdout, d, storedWarnings(d, e.dbPath), reportWidth(e, width))
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the run as JSON")
	addWidthFlag(cmd, &width)
	cmd.Flags().StringVar(&yaml, "yaml", "", "print the scenario instead of the run: `which` is given (the file as run) or resolved (every default filled in)")
	return cmd
}

// printRun writes a stored run for people: its registry row, then its KPIs
// and its replicas, then the warnings aiecon run printed after its report
// (storedWarnings), as run prints them. Its text wraps to width (0: no
// wrapping), its tables do not.
func printRun(out io.Writer, d *data.RunDetail, warnings []string, width int) error {
	if err := printRunHeader(out, d, width); err != nil {
		return err
	}
	if err := printRunKPIs(out, d); err != nil {
		return err
	}
	if err := printRunReplicas(out, d); err != nil {
		return err
	}
	return printWarningBlock(out, warnings, width)
}

func printRunHeader(out io.Writer, d *data.RunDetail, width int) error {
	r := visibleRun(d.Run)
	// One writer for the title and the labelled lines: each run of
	// labelled lines gets its own column, as a tabwriter's would.
	tw := newWrapWriter(out, width)
	fmt.Fprintf(tw, "run %s  %s  %s\n", r.ID, r.Name, strings.ToUpper(r.Status))
	if r.Description != "" {
		fmt.Fprintf(tw, "  %s\n", descriptionLine(d.Run.Description))
		// As run says it: the overrides came after the description. A
		// forecast writes its runs' descriptions after its overrides, so
		// theirs already tell the fleet they ran.
		if c := descriptionCaveat(storedSets(r)); c != "" && !d.InForecast {
			fmt.Fprintf(tw, "  %s\n", c)
		}
	}
	if r.Error != "" {
		fmt.Fprintf(tw, "  error: %s\n", r.Error)
	}
	fmt.Fprintf(tw, "  started\t%s\n", r.StartedAt.Local().Format("2006-01-02 15:04:05 MST"))
	if !r.FinishedAt.IsZero() {
		wall := "-"
		if !math.IsNaN(r.WallS) {
			wall = fmtWall(time.Duration(r.WallS * float64(time.Second)))
		}
		fmt.Fprintf(tw, "  finished\t%s (wall %s)\n", r.FinishedAt.Local().Format("2006-01-02 15:04:05 MST"), wall)
	}
	// Spans as a scenario writes them, and as run's header and the runs
	// list print them (30m, not Go's 30m0s).
	sc := storedScenario(r.ResolvedYAML)
	fmt.Fprintf(tw, "  scenario\t%s\n", scenarioLine(r, sc))
	fmt.Fprintf(tw, "  calibration\t%s\n", runCalibration(r.ResolvedYAML))
	printStoredProfile(tw, runCalibration(r.ResolvedYAML), &r, sc)
	printRunPrices(tw, sc, d.KPIs)
	if r.Status == data.StatusComplete {
		fmt.Fprintf(tw, "  simulated\t%s in %s events\n", simulatedSpan(r.SimNs, r.HorizonNs), fmtCount(float64(r.Events)))
	}
	sample := "all requests"
	if r.RequestsSampled {
		sample = fmt.Sprintf("a %.3g%% sample of requests", 100*r.RequestSampleRate)
	}
	if r.Status != data.StatusComplete {
		// What a run wrote before it stopped, or so far: not the whole run.
		sample += ", " + partialRecords(r.Status)
	}
	fmt.Fprintf(tw, "  stored\t%s requests (%s), %s sessions, %s auction slots, %s windows\n", fmtCount(float64(r.RequestsStored)),
		sample, fmtCount(float64(r.SessionsStored)), fmtCount(float64(r.AuctionsStored)), fmtCount(float64(r.WindowsStored)))
	if r.SweepID != "" {
		fmt.Fprintf(tw, "  sweep\t%s point %d replication %d %s\n", r.SweepID, r.SweepPoint, r.Replication, r.ParamsJSON)
	} else if r.ParamsJSON != "" {
		fmt.Fprintf(tw, "  overrides\t%s (applied to the scenario, in order)\n", r.ParamsJSON)
	}
	fmt.Fprintf(tw, "  written by\taiecon %s, PID %d on %s\n", orDash(r.Version), r.WriterPID, orDash(r.WriterHost))
	if len(d.Workloads) > 0 {
		var ws []string
		for _, w := range d.Workloads {
			ws = append(ws, format.Visible(w.Name+" ("+w.Class+")"))
		}
		fmt.Fprintf(tw, "  workloads\t%s\n", strings.Join(ws, ", "))
	}
	// As run prints them: what the resolved scenario assumed of its agents.
	if sc != nil {
		given := givenTree("stored scenario", []byte(d.Run.ScenarioYAML), storedOverrides(d.Run.ParamsJSON))
		for _, a := range agentAssumptions(sc, given) {
			fmt.Fprintf(tw, "  agent %s\t%s\n", a.workload, a.text)
		}
	}
	// As run's ECONOMICS says it, from the stored KPIs: what calls
	// abandoned mid-answer had streamed, and whether it was billed.
	printAbandonedStreams(tw, d.KPIs, d.Workloads)
	printFailedSessions(tw, d.KPIs)
	return tw.Flush()
}

// scenarioLine is show's scenario line: name, seed, horizon and windows.
// A run stores its scenario's name and window width only as it ends: a
// run interrupted before has them from its stored scenario, where that
// parses, and says what is not recorded (it printed "scenario -" and
// "windows of 0s").
func scenarioLine(r data.RunRecord, sc *model.Scenario) string {
	name, window := r.Scenario, r.WindowNs
	if sc != nil && name == "" {
		name = format.Visible(sc.Name)
	}
	if sc != nil && window == 0 {
		window = int64(sc.Window)
	}
	nameText := "not recorded"
	if name != "" {
		nameText = name
	}
	windows := "windows of " + model.Duration(window).String()
	if window == 0 {
		windows = "window width not recorded"
	}
	return fmt.Sprintf("%s, seed %d, horizon %s, %s", nameText, r.Seed, model.Duration(r.HorizonNs), windows)
}

func printRunKPIs(out io.Writer, d *data.RunDetail) error {
	if len(d.KPIs) > 0 {
		fmt.Fprintln(out, "\nKPIS")
		tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  SCOPE\tKPI\tVALUE\tUNIT")
		for _, k := range d.KPIs {
			scope := k.Scope
			if scope == "" {
				scope = "(run)"
			}
			unit := k.Unit
			if why, ok := undefinedBecause[k.Name]; ok && math.IsNaN(k.Value) {
				unit += " (undefined: " + why + ")" // last column: no other cell moves
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", scope, k.Name, kpiCell(k.Value, k.Unit), unit)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	} else if d.Run.Status != data.StatusComplete {
		fmt.Fprintf(out, "\nno KPIs: the run is %s\n", d.Run.Status)
	}
	return nil
}

// printRunReplicas prints the replica table of a run (nothing if it has none).
func printRunReplicas(out io.Writer, d *data.RunDetail) error {
	if len(d.Replicas) == 0 {
		return nil
	}
	fmt.Fprintln(out, "\nREPLICAS")
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "ID\tINSTANCE\tTYPE\tTP\tBUSY\tITERATIONS\tPREFILL TOK\tDECODE TOK\tCOMPLETED\tPREEMPTED\t")
	for _, rep := range d.Replicas {
		m, t := rep.Meta, rep.Totals
		if !rep.HasTotals {
			fmt.Fprintf(tw, "%d\t%d\t%s\t%d\t-\t-\t-\t-\t-\t-\t\n", m.ID, m.Instance, m.Type, m.TP)
			continue
		}
		busy := math.NaN()
		if t.UpNs > 0 {
			busy = float64(t.BusyNs) / float64(t.UpNs)
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", m.ID, m.Instance, m.Type, m.TP, fmtPct(busy),
			fmtCount(float64(t.Iterations)), fmtCount(float64(t.PrefillTok)), fmtCount(float64(t.DecodeTok)),
			fmtCount(float64(t.Completed)), fmtCount(float64(t.Preemptions)))
	}
	return tw.Flush()
}

// printStoredProfile writes under a stored run's calibration line what its
// profile was (printProfileSummary) as the run recorded it, and a warning
// where the file at path is no longer those bytes (profileChanged): a
// profile given as a file can be replaced at its path, and show described
// the new file as the one that priced the run. A run stored before the
// profile was recorded is described from the file now, as before. Its
// caveats are among the run's warnings (storedWarnings), where run's
// report gives them.
func printStoredProfile(tw io.Writer, path string, r *data.RunRecord, sc *model.Scenario) {
	if r.Calibration.Summary != "" {
		fmt.Fprintf(tw, "  \t%s (sha256 %.12s, created %s)\n", r.Calibration.Summary, r.Calibration.SHA256, r.Calibration.Created.UTC().Format(time.RFC3339))
		if w := profileChanged(path, r.Calibration); w != "" {
			fmt.Fprintf(tw, "  \t%s\n", w)
		}
		return
	}
	var chips []string
	var uses []hw.GEMMUse
	if sc != nil {
		chips, uses = runner.ScenarioChips(sc), runner.ScenarioGEMMUses(sc)
	}
	if summary, _ := savedProfile(path, chips, uses); summary != "" {
		fmt.Fprintf(tw, "  \t%s\n", summary)
	}
}

// profileChanged is a warning where the profile file at path is not the
// one a stored run recorded (changed, or gone), "" where it is, or where
// the run recorded none.
func profileChanged(path string, used data.CalibrationUsed) string {
	if used.SHA256 == "" {
		return ""
	}
	now, err := hw.ProfileFileDigest(path)
	switch {
	case err != nil:
		return fmt.Sprintf("CALIBRATION PROFILE GONE: the file at %s cannot be read now (%v); the run was priced by the file it recorded (sha256 %.12s, described under show's calibration line).", path, err, used.SHA256)
	case now != used.SHA256:
		return fmt.Sprintf("CALIBRATION PROFILE CHANGED: the file at %s has changed since this run (sha256 %.12s then, %.12s now); the run was priced by the file it recorded (described under show's calibration line), not by what the file holds now.",
			path, used.SHA256, now)
	}
	return ""
}

// profileFileState says how the profile file at path differs from the
// bytes of digest sha ("" where it does not), for a sweep's refusal.
func profileFileState(path, sha string) string {
	now, err := hw.ProfileFileDigest(path)
	switch {
	case err != nil:
		return fmt.Sprintf("cannot be read now (%v)", err)
	case now != sha:
		return fmt.Sprintf("has changed (sha256 %.12s then, %.12s now)", sha, now)
	}
	return ""
}

// savedProfileNotes are what the profile at path is for the given chips
// and its caveats (savedProfile), as run's report gives them: validate's
// header prints them, and its --json gives them as the file's notes.
func savedProfileNotes(path string, chips []string) []string {
	summary, caveats := savedProfile(path, chips, nil) // the rows' formats are not gathered
	if summary == "" {
		return caveats
	}
	return append([]string{summary}, caveats...)
}

// printProfileLines writes s under a calibration line, wrapped at its
// phrases as run's report wraps its profile's summary.
func printProfileLines(tw io.Writer, s string) {
	if s == "" {
		return
	}
	for _, l := range wrapPhrases(s, stepTimesWidth) {
		fmt.Fprintf(tw, "  \t%s\n", l)
	}
}

// savedProfile is what the profile at path is for the given chips, as
// run's report says it (hw.Profile.Summary; "(not described: ERR)" where
// the file cannot be read now), and its caveats (hw.Profile.Caveats);
// nothing for the built-in profile. show's and validate's tables and JSON
// take both from here.
func savedProfile(path string, chips []string, uses []hw.GEMMUse) (summary string, caveats []string) {
	if path == hw.BuiltinProfileSource || path == "-" || path == "" {
		return "", nil
	}
	p, err := hw.LoadProfile(path)
	if err != nil {
		return fmt.Sprintf("(not described: %v)", err), nil
	}
	return p.Summary(chips, uses), p.Caveats(chips)
}

// runCalibration is the calibration profile a stored run used, as its
// resolved scenario records it: hardware.calibration, absent for the
// built-in profile.
func runCalibration(resolvedYAML string) string {
	var sc struct {
		Hardware struct {
			Calibration string `yaml:"calibration"`
		} `yaml:"hardware"`
	}
	if resolvedYAML == "" || yaml.Unmarshal([]byte(resolvedYAML), &sc) != nil {
		return "-"
	}
	if sc.Hardware.Calibration == "" {
		return hw.BuiltinProfileSource
	}
	return sc.Hardware.Calibration
}

func printRunJSON(out io.Writer, d *data.RunDetail, warnings []string) error {
	r := d.Run
	kpis := make([]map[string]any, len(d.KPIs))
	for i, k := range d.KPIs {
		kpis[i] = map[string]any{"scope": k.Scope, "name": k.Name, "value": jsonNum(k.Value), "unit": k.Unit}
	}
	reps := make([]map[string]any, len(d.Replicas))
	for i, rep := range d.Replicas {
		m := map[string]any{"id": rep.Meta.ID, "instance": rep.Meta.Instance, "type": rep.Meta.Type, "tp": rep.Meta.TP}
		if rep.HasTotals {
			t := rep.Totals
			m["iterations"], m["busy_ns"], m["up_ns"], m["prefill_tokens"] = t.Iterations, t.BusyNs, t.UpNs, t.PrefillTok
			m["decode_tokens"], m["preemptions"], m["completed"] = t.DecodeTok, t.Preemptions, t.Completed
		}
		reps[i] = m
	}
	var finished any
	if !r.FinishedAt.IsZero() {
		finished = r.FinishedAt.UTC().Format(time.RFC3339Nano)
	}
	v := map[string]any{
		"run_id": r.ID, "name": r.Name, "description": r.Description, "status": r.Status, "error": r.Error,
		"started_at": r.StartedAt.UTC().Format(time.RFC3339Nano), "finished_at": finished, "wall_s": jsonNum(r.WallS),
		"scenario": r.Scenario, "seed": r.Seed, "aiecon_version": r.Version,
		// horizon_s as run --json, runs and compare --format json give it;
		// horizon_ns, which came first, stays for the readers that take it.
		"horizon_s": float64(r.HorizonNs) / 1e9, "horizon_ns": r.HorizonNs,
		"window_ns": r.WindowNs, "sim_ns": r.SimNs, "events": r.Events, "request_sample_rate": r.RequestSampleRate,
		"requests_sampled": r.RequestsSampled, "requests_stored": r.RequestsStored, "sessions_stored": r.SessionsStored,
		"auctions_stored": r.AuctionsStored, "windows_stored": r.WindowsStored, "sweep_id": r.SweepID,
		"workloads": d.Workloads, "kpis": kpis, "replicas": reps, "calibration": runCalibration(r.ResolvedYAML),
		"warnings": append([]string{}, warnings...), // as run --json gives them ([] when none)
	}
	if c := r.Calibration; c.SHA256 != "" { // the profile file as the run read it
		v["calibration_sha256"], v["calibration_created"], v["calibration_summary"] = c.SHA256, c.Created.UTC().Format(time.RFC3339Nano), c.Summary
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// kpiCell prints a KPI value for show's table: money as run prints it
// (fmtUSD: $143.04, $0.4457, $12,346), so that one run's cost reads alike
// in both, where cellValue's four significant figures printed 143; any
// other unit compactly (cellValue). The UNIT column says per what.
func kpiCell(v float64, unit string) string {
	if strings.HasPrefix(unit, format.UnitUSD) && !math.IsNaN(v) {
		return fmtUSD(v)
	}
	return cellValue(v)
}

// cellValue prints a KPI value compactly, whatever its unit.
func cellValue(v float64) string {
	switch a := math.Abs(v); {
	case math.IsNaN(v):
		return "-"
	case a != 0 && (a < 1e-3 || a >= 1e9):
		return fmt.Sprintf("%.4g", v)
	case a >= 1000:
		return fmtCount(v)
	default:
		return fmt.Sprintf("%.4g", v)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// warnIncomplete says on stderr which of the runs a command reads did not
// complete: what they stored stops where they stopped.
func warnIncomplete(ctx context.Context, e *env, store *data.Store, ids []string) {
	for _, id := range ids {
		if d, err := store.Run(ctx, id); err == nil && d.Run.Status != data.StatusComplete {
			fmt.Fprintf(e.stderr, "aiecon: run %s is %s: its records are %s, and it has no KPIs\n", id, d.Run.Status, partialRecords(d.Run.Status))
		}
	}
}

// partialRecords says what the stored records of a run that is not
// complete are.
func partialRecords(status string) string {
	if status == data.StatusRunning {
		return "what it has written so far"
	}
	return "up to where it stopped"
}

// visibleRun is r with its stored text fit for a terminal (format.Visible):
// a name set through `sql --write` or merged from another tool's store may
// hold an escape sequence or a newline.
func visibleRun(r data.RunRecord) data.RunRecord {
	for _, f := range []*string{&r.Name, &r.Description, &r.Error, &r.Scenario, &r.ParamsJSON, &r.Version, &r.WriterHost, &r.SweepID} {
		*f = format.Visible(*f)
	}
	return r
}

// visibleText is format.Visible, for the printers whose format parameter
// hides the package.
func visibleText(s string) string { return format.Visible(s) }

// simulatedSpan is the simulated time a run reached, for show's simulated
// line and run's header alike: the horizon, and past it when the run drained.
// It is rounded to the second from a minute up (a drain ends at a request's
// last token, to the nanosecond, which no reader needs), and printed as a
// scenario writes a span where it is whole minutes (10m, 1h) and in Go's
// form otherwise (10m40s), with the horizon beside it past which the run
// drained. Rounding never hides a drain: a span that rounds back to the
// horizon is printed a thousand times finer, and finer again while it
// still does, down to the nanosecond (10m0.312s, 10m0.0004s).
func simulatedSpan(simNs, horizonNs int64) string {
	d := time.Duration(simNs)
	unit := time.Second
	switch {
	case d < time.Second:
		unit = time.Millisecond
	case d < time.Minute:
		unit = 100 * time.Millisecond
	}
	shown := d.Round(unit)
	for u := unit; simNs != horizonNs && int64(shown) == horizonNs && u > 1; {
		u /= 1000 // reaches 0 past the nanosecond, where Round leaves d whole
		shown = d.Round(u)
	}
	text := shown.String()
	if shown%time.Minute == 0 {
		text = model.Duration(shown).String()
	}
	if simNs > horizonNs {
		// Said, since the span alone reads as a horizon the scenario never set.
		text += fmt.Sprintf(" (%s horizon + drain)", model.Duration(horizonNs))
	}
	return text
}
