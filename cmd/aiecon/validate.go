package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/llm"
	"aiecon/runner"
)

func init() { register(newValidateCmd) }

const validateLong = `Read serving measurements (columns model, instance, tp, batch, seq_len,
input_tokens, output_tokens, weight_dtype, ttft_ms, tpot_ms; optionally
metric_kind, stat, spec_decode, framework, source, output_tok_s, e2e_ms, note,
hf_id, kv_dtype, window_s; '-' reads standard input; a gzip-compressed file is
read too) and simulate each row as its benchmark ran it. The KV cache is the
row's kv_dtype where it gives one ('auto' is the server's default), else
bf16, or fp8 beside fp8 weights as TensorRT-LLM's and NxD Inference's fp8
modes run it on chips that multiply fp8 (Hopper and later, Trainium2; not
Ampere or Inferentia2/Trainium1), unless the row is a GPU's whose framework
column names vLLM or SGLang (whose default keeps it 16-bit). A
source that publishes only one of TTFT and TPOT leaves the other cell empty:
the row is compared on the one it gives. A measured cell (ttft_ms, tpot_ms,
output_tok_s, e2e_ms, window_s) holding 0 is refused: the empty cell says
"not published". A model is a catalog name, a Hugging
Face id or a chat/instruct release of one (read as it; the report says so),
or, failing that, the row's hf_id;
a model the catalog lacks can be given by its shape with --models FILE (a
YAML list of architectures in the fields of a scenario's inline model;
'aiecon models NAME --json' prints one).

The metric_kind column says how the benchmark applied its requests:
  static batch (the default)  'batch' identical requests arriving together on
      one replica of that TP degree, their prompts encoded in one pass and
      decoded in lock step (on Neuron padded to the compiled buckets up to
      seq_len);
  closed-loop concurrency=N   N clients on the chip's continuous-batching
      scheduler, measured as --protocol says (below); they start
      together, as a benchmark tool starts them, unless the row's note says
      the output lengths were not forced ("no --ignore-eos") and the loop is
      measured steady: then they join over one request lifetime, out of step;
  request-rate=R              an open loop: requests at R per second with
      exponential gaps (vllm bench serve); with num-prompts=N (in metric_kind,
      or --num-prompts N in the note) exactly the benchmark's N requests from
      a cold start, averaged over 5 draws of the arrivals; without it, the
      steady state, skipped when the rate is more than the replica serves;
  request-rate=inf            all num-prompts requests at once.
An open loop whose requests x output tokens x draws pass 300 million
sequence-steps (it could take many minutes) is skipped with its figures,
as a closed loop is (below), and --scenario prints it to run anyway.
On GPUs the loops admit as TensorRT-LLM does, unless the framework column
says vLLM. The statistic compared is the row's stat: median (default), mean,
or a percentile such as p90 or p99.

--protocol says how a closed loop is measured. steady (the default): 3
request lifetimes of warm-up, then the statistic over the requests that
arrive in the next 12, the loop's steady state. cold-window, as benchmark
tools such as GenAI-Perf and perf_analyzer measure: every client sends its
first request at 0, with no warm-up, the run lasts the window, and the
statistic is over the requests that complete (their last token) within it,
however early they started: the first waves, which wait less, count. The
window is the row's window_s column (seconds, 1 to 86,400) where it has one,
else --window (such as 500s). By default a row that states its window_s is
measured in that cold window and the rest steady; --protocol steady measures
every loop steady, window_s or not. --window without --protocol
cold-window, and cold-window with a closed loop that has neither, are
errors. The line under each file's header, and --json (closed_loop_protocol
and window_s for the file, protocol and window_s for each row), say which
protocol and window the figures used. A window no request completes in, or
a steady loop none of whose requests after the warm-up completes within its
run, skips the row, saying so; a cold window is never cut (a shorter one would measure
something else), and one whose clients x output tokens x lifetimes in the
window pass 300 million sequence-steps is skipped with its figures.

For each file it prints a table per (instance, model, TP, weights) group with
the mean absolute percentage error and the signed bias of each metric (over
the rows that publish it; "-" where none does), the worst rows and the
overall figure; --json prints every row. A closed loop
that publishes output_tok_s and e2e_ms also shows the decoding batch
simulated beside the one its throughput implies (tokens/s x TPOT) and its
Little's ratio (requests/s x latency / clients: 1 in a steady loop); the
rows below 0.9 measured a transient and are counted apart. Under the
table a note names each group whose rows the step-time constants were not
fitted to (longer prompts, an MoE on a dense fit, another weight format or
size per device: what 'aiecon run' prints as STEP TIMES EXTRAPOLATED) or
whose seq_len passes the model's published context. A row that is one of
the measurements the committed step-time constants were fitted to is in
sample: its group's ROWS cell says so ("2 (in fit)", "12 (3 in fit)"), the
header line counts such rows, and --json marks each row in_fit; their
error checks the fit, not the model's predictions (docs/calibration.md has
the held-out errors). A worst row says when a
closed loop's KV cache holds only some of its clients (its TTFT is then
mostly queueing), and when its run was cut: a steady closed loop measures 12
request lifetimes after 3 of warm-up, fewer (down to 2 after 1) where
clients x output tokens x 15 passes 30 million; one whose 3 lifetimes
pass 300 million (it could take many minutes) is skipped, and --scenario
prints it to run anyway. A file whose rows together would simulate more
than 3 billion sequence-steps (minutes to hours) is refused before any row
runs; AIECON_MAX_VALIDATE_STEPS raises it. Past two seconds, the rows done and the row
being simulated are shown on stderr unless -q. Rows aiecon
cannot express (speculative decoding, whose acceptance rate the rows do not
publish; a metric_kind naming no load above) are listed as skipped with the
reason. An unknown model or instance is an error naming its line, and so is
a layout aiecon cannot run (a TP degree the instance's serving stacks do not
support, weights larger than its devices), unless --skip-unknown.
--scenario LINE prints the scenario a row is simulated as, with the
overrides its run adds, to run or vary with 'aiecon run'. Under each file's
header a saved calibration profile is described, with its caveats, as run
describes it; --json gives those lines as the file's notes.

The exit code is 0 whatever the error (this is a measurement, not a test),
and 2 for a malformed file: a column named twice, a value no benchmark
measures (ttft_ms outside 0.001 ms to an hour, tpot_ms past a minute, e2e_ms
past a day, output_tok_s past 10 million tokens/s, batch or concurrency past
4,096, seq_len past 1,048,576 tokens), or more than 10,000 rows or 32 MiB
(decompressed). It is 2 as well when no row of any FILE could be
simulated (every row skipped): the report is printed, but validating
nothing is no validation. A byte-order mark and CRLF line ends are read.`

// nothingSimulated refuses a validation in which no row of any file was
// simulated: it printed "mean absolute percentage error: none" and exited
// 0, which read as a pass.
func nothingSimulated(out []fileValidation) error {
	skipped := 0
	for _, fv := range out {
		if len(fv.Report.Rows) > 0 {
			return nil
		}
		skipped += len(fv.Report.Skipped)
	}
	return badInput("no row was simulated (%d skipped; the report says why): nothing was validated", skipped)
}

func newValidateCmd(e *env) *cobra.Command {
	var (
		asJSON, skipUnknown bool
		calibration         string
		scenarioLine        int
		modelsFile          string
		protocol            runner.ClosedLoopProtocol
	)
	cmd := &cobra.Command{
		Use:   "validate FILE.csv...",
		Short: "Compare the simulator's predictions with published serving measurements",
		Long:  validateLong,
		Example: `  aiecon validate examples/validate/neuron-sample.csv
  aiecon validate examples/validate/neuron-sample.csv --json
  aiecon validate my-measurements/*.csv --skip-unknown
  aiecon validate examples/validate/neuron-sample.csv --scenario 3 > row3.yaml && aiecon run row3.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := stdinOnce(args); err != nil {
				return err
			}
			extra, err := extraModels(modelsFile)
			if err != nil {
				return err
			}
			sets, err := withCalibration(e, nil, calibration)
			if err != nil {
				return err
			}
			if err := protocol.Check(); err != nil {
				return err
			}
			if cmd.Flags().Changed("scenario") {
				return printRowScenario(e, args, scenarioLine, extra, sets, protocol)
			}
			files, err := readAllPoints(e, args, extra, protocol)
			if err != nil {
				return err
			}
			var out []fileValidation
			for i, points := range files {
				opts := runner.ValidateOptions{Sets: sets, SkipUnknown: skipUnknown, Protocol: protocol}
				rep, err := validateFile(cmd.Context(), e, args[i], points, opts)
				if err != nil {
					return err // it names the file and line
				}
				out = append(out, fileValidation{File: args[i], Report: rep, Protocol: protocol})
			}
			if asJSON {
				err = writeValidationJSON(e.stdout, out)
			} else {
				err = printEach(e.stdout, out, writeValidationTable)
			}
			return cmp.Or(err, nothingSimulated(out))
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print every row and the summaries as JSON")
	cmd.Flags().BoolVar(&skipUnknown, "skip-unknown", false, "skip rows of models or instances the catalog does not have, or of layouts it cannot run (a TP degree, weights too large), instead of failing")
	addModelsFlag(cmd.Flags(), &modelsFile)
	cmd.Flags().IntVar(&scenarioLine, "scenario", 0, "print the scenario that simulates the row at this line of the one FILE (to run or vary with aiecon run), instead of validating")
	addCalibrationFlag(cmd.Flags(), &calibration)
	addProtocolFlags(cmd.Flags(), &protocol)
	return cmd
}

// readAllPoints reads every file before any is simulated, so that a
// malformed file, a closed loop the protocol cannot measure (a cold
// window with no --window and no window_s), or a file past the work
// budget (CheckWork), fails before minutes of simulating the files
// before it.
func readAllPoints(e *env, paths []string, extra map[string]llm.Arch, p runner.ClosedLoopProtocol) ([][]hw.ServingPoint, error) {
	files := make([][]hw.ServingPoint, len(paths))
	for i, path := range paths {
		points, err := readPoints(e, path, extra)
		if err != nil {
			return nil, err
		}
		if err := p.CheckPoints(points); err != nil {
			return nil, err
		}
		if err := p.CheckWork(points); err != nil {
			return nil, err
		}
		files[i] = points
	}
	return files, nil
}

// validateFile validates one file's points, its progress on stderr.
func validateFile(ctx context.Context, e *env, path string, points []hw.ServingPoint, opts runner.ValidateOptions) (*runner.ValidationReport, error) {
	prog := newRowProgress(e, path, len(points))
	ticker := time.NewTicker(progressEvery / 2)
	defer ticker.Stop()
	prog.watch(ticker.C)
	defer prog.finish()
	opts.Progress, opts.Starting = prog.update, prog.starting
	return runner.Validate(ctx, points, opts)
}

type fileValidation struct {
	File     string
	Report   *runner.ValidationReport
	Protocol runner.ClosedLoopProtocol // as the flags gave it (the rows say what each ran)
}

// describeValidationProfile writes under the header what the profile the
// rows ran on is and its caveats (validationProfileNotes), wrapped as run
// wraps its own.
func describeValidationProfile(out io.Writer, rep *runner.ValidationReport) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, n := range validationProfileNotes(rep) {
		printProfileLines(tw, n)
	}
	return tw.Flush()
}

// validationProfileNotes are what the profile the rows ran on is, for
// their instances' chips, and its caveats, as run and show describe theirs
// (savedProfileNotes): the path alone hid that one imported timing priced
// every GEMM of a chip. The table's header and --json's notes take them
// from here. None for the built-in profile, or where no row ran.
func validationProfileNotes(rep *runner.ValidationReport) []string {
	if len(rep.Rows) == 0 {
		return nil
	}
	var instances []string
	for _, r := range rep.Rows {
		instances = append(instances, r.Point.Instance)
	}
	return savedProfileNotes(rep.Calibration, runner.InstanceChips(instances))
}

func writeValidationTable(out io.Writer, fv fileValidation) error {
	rep := fv.Report
	cal := "; calibration " + rep.Calibration
	if len(rep.Rows) == 0 {
		cal = "" // no row used one (it printed "calibration " and nothing)
	}
	in := inFitRows(rep)
	fmt.Fprintf(out, "%s: %d rows simulated, %d skipped%s%s\n", fv.File, len(rep.Rows), len(rep.Skipped), cal, inFitHeader(in))
	if err := describeValidationProfile(out, rep); err != nil {
		return err
	}
	fmt.Fprint(out, closedLoopProtocolLine(rep, fv.Protocol))
	for _, name := range slices.Sorted(maps.Keys(rep.ReadAs)) {
		as := rep.ReadAs[name]
		if _, err := llm.Lookup(as); err != nil {
			fmt.Fprintf(out, "model %q read as %s (its hf_id, from the --models file)\n", name, as)
			continue
		}
		if _, w, ok := llm.LookupQuantised(name); ok {
			fmt.Fprintf(out, "model %q read as the catalog's %s (a release of it quantised to %s, as the row's weight_dtype says: the same shape)\n", name, as, w)
			continue
		}
		fmt.Fprintf(out, "model %q read as the catalog's %s (the same published shape)\n", name, as)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "INSTANCE\tMODEL\tTP\tWEIGHTS\tROWS\tTTFT MAPE\tBIAS\tTPOT MAPE\tBIAS")
	for _, g := range rep.Groups {
		n, _ := groupInFit(rep, in, g)
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", g.Instance, g.Model, g.TP, g.WeightDType, inFitCell(g.Rows, n), groupErrors(g))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	writeGroupNotes(out, rep)
	if len(rep.Rows) > 0 {
		fmt.Fprintln(out, "worst rows:")
		tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		for _, r := range rep.Worst(5) {
			p := r.Point
			fmt.Fprintf(tw, "  line %d\t%s\t%s\t%s%s%s\n", p.Line, format.Visible(p.String()), versus("TTFT", 1e3*r.PredTTFTS, p.TTFTMs, r.TTFTErr, 1),
				versus("TPOT", 1e3*r.PredTPOTS, p.TPOTMs, r.TPOTErr, 2), closedLoopNote(r), rowNotesCell(r))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	writeUnsteady(out, rep)
	for _, s := range rep.Skipped {
		// The row's cells and the reason quoting them come from the file:
		// an escape sequence in a model name rewrote the terminal.
		fmt.Fprintf(out, "skipped line %d (%s): %s\n", s.Point.Line, format.Visible(s.Point.String()), format.Visible(s.Reason))
	}
	if len(rep.Rows) == 0 { // an error over no rows is undefined, not 0.0%
		_, err := fmt.Fprintf(out, "mean absolute percentage error: none, no row was simulated (%d skipped)\n", len(rep.Skipped))
		return err
	}
	_, err := fmt.Fprintf(out, "mean absolute percentage error: %.1f%% (TTFT %s, TPOT %s) over %d rows%s\n",
		100*rep.MAPE, pctOver(rep.MAPETTFT, rep.TTFTRows), pctOver(rep.MAPETPOT, rep.TPOTRows), len(rep.Rows), metricRowsNote(rep))
	return err
}

// groupErrors is a group's TTFT MAPE and bias and TPOT MAPE and bias,
// tab-separated, "-" for a metric none of its rows publishes.
func groupErrors(g runner.ValidationGroup) string {
	cells := func(mape, bias float64, n int) string {
		if n == 0 {
			return "-\t-"
		}
		return fmt.Sprintf("%.1f%%\t%+.1f%%", 100*mape, 100*bias)
	}
	return cells(g.TTFTMAPE, g.TTFTBias, g.TTFTRows) + "\t" + cells(g.TPOTMAPE, g.TPOTBias, g.TPOTRows)
}

// versus is one metric of a row, predicted against measured: "TTFT 12.0 ms
// vs 11.0 (+9%)", or "TTFT 12.0 ms (not published)", or "TPOT -" where
// nothing was predicted (one output token).
func versus(name string, predMs, measMs, relErr float64, decimals int) string {
	if math.IsNaN(predMs) { // a TPOT of one output token
		return name + " -"
	}
	if measMs == 0 {
		return fmt.Sprintf("%s %.*f ms (not published)", name, decimals, predMs)
	}
	return fmt.Sprintf("%s %.*f ms vs %.*f (%+.0f%%)", name, decimals, predMs, decimals, measMs, 100*relErr)
}

// pctOver is a MAPE as a percentage, or "-" over no row.
func pctOver(v float64, rows int) string {
	if rows == 0 {
		v = math.NaN()
	}
	return pctOrDash(v)
}

// metricRowsNote says how many rows publish each metric where some publish only one.
func metricRowsNote(rep *runner.ValidationReport) string {
	if rep.TTFTRows == len(rep.Rows) && rep.TPOTRows == len(rep.Rows) {
		return ""
	}
	return fmt.Sprintf(" (%d publish a TTFT, %d a TPOT)", rep.TTFTRows, rep.TPOTRows)
}

// closedLoopNote is what a closed-loop row adds to its worst-row line: the
// decoding batch simulated and the one the measurement implies, and its
// Little's ratio, where the row publishes its throughput.
func closedLoopNote(r runner.ValidationRow) string {
	p := r.Point
	if !p.ClosedLoop() || p.OutputTokS == 0 {
		return ""
	}
	note := fmt.Sprintf("\tbatch %.1f vs %.1f", r.PredBatch, p.DecodingBatch())
	if !p.HasTPOT() { // the measured batch is throughput x TPOT
		note = fmt.Sprintf("\tbatch %.1f simulated", r.PredBatch)
	}
	if l := p.LittleRatio(); l > 0 {
		note += fmt.Sprintf(", Little %.2f", l)
	}
	return note
}

// writeUnsteady counts the closed loops whose measurement was a transient
// (their throughput times latency falls short of their clients) and the
// error over them and over the rest: validate simulates a steady state.
func writeUnsteady(out io.Writer, rep *runner.ValidationReport) {
	rows, ttft, tpot, restTTFT, restTPOT := rep.Unsteady()
	if len(rows) == 0 {
		return
	}
	rest := "no other row was simulated" // Unsteady's means over no rows are NaN
	if n := len(rep.Rows) - len(rows); n > 0 {
		rest = fmt.Sprintf("%s, %s over the other %d rows", pctOrDash(restTTFT), pctOrDash(restTPOT), n)
	}
	what := "a transient, not the steady state simulated"
	if cold, _, _ := rep.ClosedLoops(); cold > 0 { // a cold window simulates the transient too
		what = "the benchmark measured a transient"
	}
	fmt.Fprintf(out, "%d closed loops fail Little's law (throughput x latency < 0.9 x clients: %s): TTFT %s, TPOT %s over them; %s\n",
		len(rows), what, pctOrDash(ttft), pctOrDash(tpot), rest)
}

// pctOrDash is a fraction as a percentage, or "-" for NaN (a mean over no row).
func pctOrDash(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*v)
}

type validationRowJSON struct {
	Line         int      `json:"line"`
	Model        string   `json:"model"`
	Instance     string   `json:"instance"`
	TP           int      `json:"tp"`
	Batch        int      `json:"batch"`
	Concurrency  int      `json:"concurrency,omitempty"`        // a closed loop's clients
	RequestRate  float64  `json:"request_rate_per_s,omitempty"` // an open loop's rate
	Load         string   `json:"load"`                         // the row as validate names it
	InputTokens  int      `json:"input_tokens"`
	OutputTokens int      `json:"output_tokens"`
	WeightDType  string   `json:"weight_dtype"`
	Stat         string   `json:"stat"`
	Scheduler    string   `json:"scheduler"` // the scheduler simulated: static, neuron or vllm; a TensorRT-LLM loop is vllm with admission reserve-max (runner.ValidationRow)
	Admission    string   `json:"admission,omitempty"`
	TTFTPredMs   float64  `json:"ttft_pred_ms"`
	TTFTMeasMs   *float64 `json:"ttft_measured_ms"` // null where the row publishes none, as its rel_err
	TTFTErr      *float64 `json:"ttft_rel_err"`
	TPOTPredMs   *float64 `json:"tpot_pred_ms"` // null for one output token
	TPOTMeasMs   *float64 `json:"tpot_measured_ms"`
	TPOTErr      *float64 `json:"tpot_rel_err"`
	// closed loops: decoding batch simulated and implied by the measurement, Little's ratio
	BatchPred   float64 `json:"batch_pred,omitempty"`
	BatchMeas   float64 `json:"batch_measured,omitempty"`
	LittleRatio float64 `json:"little_ratio,omitempty"`
	Source      string  `json:"source,omitempty"` // the published document the row comes from
	// where the step-time constants extrapolate (as run's STEP TIMES
	// EXTRAPOLATED), and what else weighs on the row's error
	Extrapolated string   `json:"extrapolated,omitempty"`
	Notes        []string `json:"notes,omitempty"`
	// a closed loop's protocol, steady or cold-window, and its window
	Protocol string  `json:"protocol,omitempty"`
	WindowS  float64 `json:"window_s,omitempty"`
	// InFit: the row is one of the measurements the committed constants
	// of its family were fitted to (inFitRows): its error is in sample
	InFit bool `json:"in_fit"`
}

func writeValidationJSON(out io.Writer, files []fileValidation) error {
	type skipped struct {
		Line   int    `json:"line"`
		Point  string `json:"point"`
		Reason string `json:"reason"`
		Source string `json:"source,omitempty"`
	}
	type fileJSON struct {
		File        string                   `json:"file"`
		Rows        []validationRowJSON      `json:"rows"`
		Groups      []runner.ValidationGroup `json:"groups"`
		Skipped     []skipped                `json:"skipped"`
		MAPE        *float64                 `json:"mape"` // null when no row was simulated
		MAPETTFT    *float64                 `json:"mape_ttft"`
		MAPETPOT    *float64                 `json:"mape_tpot"`
		Calibration string                   `json:"calibration"`
		// what the calibration profile is and its caveats, as the
		// table's header says them ([] for the built-in profile)
		Notes  []string          `json:"notes"`
		ReadAs map[string]string `json:"read_as,omitempty"`
		// how the closed loops were measured: steady, cold-window or
		// mixed, and the window every cold-window loop had (omitted where
		// there is none or they differ; each row says its own)
		Protocol string  `json:"closed_loop_protocol,omitempty"`
		WindowS  float64 `json:"window_s,omitempty"`
		// the rows whose in_fit is true: the committed constants were
		// fitted to them
		InFitRows int `json:"in_fit_rows"`
	}
	var all []fileJSON
	for _, fv := range files {
		rep := fv.Report
		f := fileJSON{File: fv.File, Groups: rep.Groups, Calibration: rep.Calibration, ReadAs: rep.ReadAs, Rows: []validationRowJSON{}, Skipped: []skipped{},
			Notes: append([]string{}, validationProfileNotes(rep)...)}
		f.Protocol, f.WindowS = protocolJSON(rep)
		if len(rep.Rows) > 0 {
			f.MAPE, f.MAPETTFT, f.MAPETPOT = &rep.MAPE, hw.NullUnless(rep.MAPETTFT, rep.TTFTRows > 0), hw.NullUnless(rep.MAPETPOT, rep.TPOTRows > 0)
		}
		in := inFitRows(rep)
		for i, r := range rep.Rows {
			p := r.Point
			f.Rows = append(f.Rows, validationRowJSON{p.Line, p.Model, p.Instance, p.TP, p.Batch, p.Concurrency, p.RequestRate, p.String(), p.InputTokens, p.OutputTokens,
				string(p.WeightDType), p.Stat, r.Scheduler, r.Admission,
				1e3 * r.PredTTFTS, hw.NullUnless(p.TTFTMs, p.HasTTFT()), hw.NullUnless(r.TTFTErr, p.HasTTFT()),
				hw.NullUnless(1e3*r.PredTPOTS, !math.IsNaN(r.PredTPOTS)), hw.NullUnless(p.TPOTMs, p.HasTPOT()), hw.NullUnless(r.TPOTErr, p.HasTPOT()),
				r.PredBatch, p.DecodingBatch(), p.LittleRatio(), p.Source, r.Extrapolated, jsonNotes(r), rowProtocol(r), r.WindowS, in[i]})
			if in[i] {
				f.InFitRows++
			}
		}
		for _, s := range rep.Skipped {
			f.Skipped = append(f.Skipped, skipped{s.Point.Line, s.Point.String(), s.Reason, s.Point.Source})
		}
		all = append(all, f)
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"files": all})
}

// printRowScenario prints the scenario validate runs for the row at line
// of the one file in args, with the overrides its run adds as a comment.
func printRowScenario(e *env, args []string, line int, extra map[string]llm.Arch, calSets []string, p runner.ClosedLoopProtocol) error {
	if len(args) != 1 {
		return model.Input("--scenario reads one file, got %d", len(args))
	}
	points, err := readPoints(e, args[0], extra)
	if err != nil {
		return err
	}
	for _, pt := range points {
		if pt.Line != line {
			continue
		}
		if err := p.CheckPoints([]hw.ServingPoint{pt}); err != nil {
			return err
		}
		windowS := p.WindowFor(pt)
		y, sets, err := runner.ReproduceScenario(pt, windowS)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", args[0], line, err)
		}
		fmt.Fprintf(e.stdout, "# line %d of %s: %s\n# validate runs it as: aiecon run THIS.yaml", line, args[0], pt)
		for _, s := range sets {
			fmt.Fprintf(e.stdout, " --set %s", s)
		}
		if windowS > 0 {
			fmt.Fprintf(e.stdout, "\n# and scores the requests that complete within its %s cold window (every client sends at 0, no warm-up)", windowText(windowS))
		}
		// --calibration goes into the scenario itself, so that running it
		// prices it as validate did.
		for _, s := range calSets {
			if path, ok := strings.CutPrefix(s, "hardware.calibration="); ok {
				y += "hardware: {calibration: " + path + "}\n"
			}
		}
		_, err = fmt.Fprintf(e.stdout, "\n%s", y)
		return err
	}
	return model.Input("%s: no data row at line %d (rows start at line 2)", args[0], line)
}
