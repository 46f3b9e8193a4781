package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"aiecon/chart"
	"aiecon/data"
	"aiecon/model/format"
)

func init() { register(newPlotCmd) }

// plotFlags are the flags of `plot` and `plot compare`.
type plotFlags struct {
	kind          string
	output        string
	width, height int
	// outputGiven is whether -o was given: -o "" (an unset shell
	// variable) wrote the default file without a word.
	outputGiven bool
}

func (f *plotFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVarP(&f.kind, "kind", "k", "", "chart `kind` (required; `aiecon plot kinds` lists them)")
	fl.StringVarP(&f.output, "output", "o", "", "image `file`, .png or .svg (default RUNID-KIND.png; plot compare: KIND-RUNID-RUNID....png)")
	fl.IntVar(&f.width, "width", chart.DefaultWidthPx, fmt.Sprintf("image width in `px` (%d to %d)", chart.MinSizePx, chart.MaxSizePx))
	fl.IntVar(&f.height, "height", chart.DefaultHeightPx, fmt.Sprintf("image height in `px` (%d to %d)", chart.MinSizePx, chart.MaxSizePx))
}

const plotLong = `Draw a chart of a stored run as a PNG or SVG image: latency distributions,
throughput, queues and utilization over simulated time, revenue and cost by
line, cost per million tokens. RUN is an id, any unique prefix of one, or
"last". The format follows the extension of -o; the default file is
RUNID-KIND.png in the current folder. A file already there is replaced (a
symbolic link by the image, its target untouched); a folder, a named pipe,
socket or device, or a DuckDB file is refused. The store is opened read-only.

Latency CDFs are computed by DuckDB over the run's stored requests; when the
scenario stored a sample (output.request_sample_rate below 1) the chart says
so. Every other chart reads the run's time-series windows or its KPIs.

A chart with nothing to draw is refused (exit 2), saying why: a latency CDF
or cost per million tokens of a run in which no request arrived, or none
completed or was billed, and latency over time where no window has a
value. Overlaid with runs that have latencies, such a run is drawn in
latency over time with "(no data)" in its legend.`

func newPlotCmd(e *env) *cobra.Command {
	var f plotFlags
	var list bool
	cmd := &cobra.Command{
		Use:   "plot RUN --kind KIND [-o FILE.png|FILE.svg]",
		Short: "Draw a chart of a stored run (PNG or SVG)",
		Long:  plotLong,
		Example: `  aiecon plot kinds
  aiecon plot last --kind latency-cdf -o latency.png
  aiecon plot 1m89yq --kind revenue-cost -o money.svg --width 1200 --height 700
  aiecon plot compare 1m89yqgts 1m89yqgxt --kind throughput -o throughput.png`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if list {
				return printPlotKinds(e.stdout)
			}
			if len(args) == 0 {
				return badInput("plot: name a run (an id, a unique prefix or \"last\"); `aiecon plot kinds` lists the charts")
			}
			f.outputGiven = cmd.Flags().Changed("output")
			return runPlot(cmd.Context(), e, f, args)
		},
	}
	f.add(cmd)
	cmd.Flags().BoolVar(&list, "list", false, "list the chart kinds and exit")
	cmd.AddCommand(newPlotCompareCmd(e), newPlotKindsCmd(e))
	return cmd
}

func newPlotCompareCmd(e *env) *cobra.Command {
	var f plotFlags
	cmd := &cobra.Command{
		Use:   "compare RUN RUN... --kind KIND [-o FILE.png|FILE.svg]",
		Short: "Overlay the same chart of several stored runs",
		Long: fmt.Sprintf(`Draw one chart of several runs, one colour per run (at most %d), with legend
entries "RUNID name". Runs are ids, unique prefixes or "last". The default
file is KIND-RUNID-RUNID....png.`, chart.MaxRuns),
		Example: `  aiecon plot compare 1m89yqgts 1m89yqgxt --kind latency-cdf -o latency.png
  aiecon plot compare 1m89yq 1m8a02 1m8a07 --kind revenue-cost -o revenue.svg`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.outputGiven = cmd.Flags().Changed("output")
			return runPlot(cmd.Context(), e, f, args)
		},
	}
	f.add(cmd)
	return cmd
}

func newPlotKindsCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "kinds",
		Short: "List the chart kinds of aiecon plot",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return printPlotKinds(e.stdout) },
	}
}

func printPlotKinds(out io.Writer) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tCHART")
	for _, k := range chart.Kinds() {
		fmt.Fprintf(tw, "%s\t%s\n", k.Name, k.Description)
	}
	fmt.Fprintf(tw, "%s\t%s\n", chart.ForecastKind, forecastKindDescription)
	return tw.Flush()
}

// plotKindNames are the kinds --kind takes: the run charts, then forecast,
// which the list of chart.KindNames (run charts only) left out.
func plotKindNames() []string { return append(chart.KindNames(), chart.ForecastKind) }

// runPlot checks everything the user typed before it opens the store, then
// renders and writes the chart.
func runPlot(ctx context.Context, e *env, f plotFlags, refs []string) error {
	if f.kind == chart.ForecastKind {
		return plotForecast(ctx, e, f, refs)
	}
	if f.kind == "" {
		return badInput("--kind is required: one of %s", strings.Join(plotKindNames(), ", "))
	}
	if err := chart.CheckKind(f.kind); err != nil {
		if errors.Is(err, chart.ErrUnknownKind) { // chart's list is of run charts: forecast is the CLI's to add
			return badInput("unknown chart kind %q (kinds: %s)", f.kind, strings.Join(plotKindNames(), ", "))
		}
		return asUsage(err)
	}
	if err := checkImageFlags(f); err != nil {
		return err
	}
	store, err := openStore(e, true)
	if err != nil {
		return err
	}
	defer store.Close()
	ids, err := resolveRuns(ctx, store, refs)
	if err != nil {
		return err
	}
	warnIncomplete(ctx, e, store, ids)
	out := f.output
	if out == "" {
		out = defaultPlotFile(f.kind, ids)
	}
	c, err := chart.Render(ctx, store, f.kind, ids, chart.Options{WidthPx: f.width, HeightPx: f.height})
	if err != nil {
		// The user picked a run or kind that cannot make this chart
		// (no requests stored for a CDF, no KPIs in a failed run, a run
		// given twice): input errors, exit code 2.
		for _, target := range []error{chart.ErrBadRuns, chart.ErrNoRequests, chart.ErrNoData, data.ErrRunNotFound} {
			if errors.Is(err, target) {
				return asUsage(err)
			}
		}
		return err
	}
	return saveChart(ctx, e, c, out)
}

// saveChart writes a rendered chart to out and says what it wrote.
func saveChart(ctx context.Context, e *env, c *chart.Chart, out string) error {
	if err := c.SaveContext(ctx, out); err != nil {
		if errors.Is(err, chart.ErrOutput) || errors.Is(err, chart.ErrFormat) || errors.Is(err, fs.ErrNotExist) {
			return asUsage(err)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %s, %dx%d px\n", out, format.Visible(c.Title), c.WidthPx, c.HeightPx)
	return nil
}

// defaultPlotFile names the image after the run and kind (RUNID-KIND.png),
// or for an overlay after the kind and the runs' 9-character id prefixes.
func defaultPlotFile(kind string, ids []string) string {
	if len(ids) == 1 {
		return ids[0] + "-" + kind + ".png"
	}
	parts := []string{kind}
	for _, id := range ids {
		parts = append(parts, data.FormatRunID(id, 9))
	}
	return strings.Join(parts, "-") + ".png"
}

// checkImageFlags checks the image size and the output file: its format,
// and that it is not a folder or a store.
func checkImageFlags(f plotFlags) error {
	if err := chart.CheckSize(f.width, f.height); err != nil {
		return asUsage(fmt.Errorf("--width/--height: %w", err))
	}
	if f.outputGiven && f.output == "" {
		return badInput("-o/--output: empty path (an unset shell variable?); give an image file ending .png or .svg, or leave -o out for the default name")
	}
	if f.output != "" {
		if _, err := chart.CheckOutput(f.output); err != nil {
			return asUsage(err)
		}
	}
	return nil
}
