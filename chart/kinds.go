package chart

import (
	"context"
	"fmt"
	"strings"

	"aiecon/data"
)

// Kind is a chart kind of `aiecon plot --kind`.
type Kind struct {
	Name        string
	Description string // one line
}

// kind is a Kind and how to build it.
type kind struct {
	Kind
	title string // start of the chart title
	build func(ctx context.Context, b *builder) error
}

// kinds is the catalog, in the order `aiecon plot kinds` lists it.
var kinds = []kind{
	cdfKind("latency-cdf", "Latency CDF", "distribution of TTFT, TPOT and end-to-end latency of completed requests (log time axis)",
		true, ttftMetric, tpotMetric, e2eMetric),
	cdfKind("ttft-cdf", "Time to first token CDF", "distribution of the time to first token of completed requests",
		false, ttftMetric),
	cdfKind("tpot-cdf", "Time per output token CDF", "distribution of the time per output token of completed requests",
		false, tpotMetric),
	cdfKind("e2e-cdf", "End-to-end latency CDF", "distribution of arrival-to-completion latency of completed requests",
		false, e2eMetric),
	cdfKind("queue-cdf", "Queueing delay CDF", "distribution of the wait from arrival to admission into a running batch (log time axis)",
		true, queueMetric),
	seriesKind("throughput", "Throughput", "requests per second (arrived, completed, dropped or timed out), abandoned agent sessions per second (when any) and tokens per second over time",
		throughputPanels),
	seriesKind("queue", "Queue", "requests waiting for admission and sequences in running batches over time",
		queuePanels),
	seriesKind("utilization", "Utilization", "replica busy time, achieved FLOP/s and HBM bandwidth over peak, and KV-cache use over time",
		utilizationPanels),
	seriesKind("latency-time", "Latency over time", "TTFT, TPOT and end-to-end percentiles of each time window",
		latencyTimePanels),
	seriesKind("revenue-time", "Revenue and cost over time", "revenue, fleet cost (instances, licensing and a dedicated training cluster; training on idle replicas is charged to the run, not to its windows) and margin rates in USD per hour over time",
		revenueTimePanels),
	seriesKind("replicas", "Replicas", "replicas serving and replicas paid for (incl. provisioning) over time",
		replicaPanels),
	{Kind: Kind{"revenue-cost", "cost by line (instances, training, licensing), revenue by line (tokens, agent fees, commerce, ads) and margin, USD per hour"},
		title: "Revenue and cost by line", build: buildRevenueCost},
	// Instances only, as run's report words it: its headline cost per
	// million tokens counts training and licensing too, and a chart titled
	// like it showed a lower number ($8.36 against $8.62).
	{Kind: Kind{"cost-per-mtok", "cost per million tokens, instances only (not training or licensing): blended, input (prefill) and output (decode)"},
		title: "Cost per million tokens, instances only", build: buildCostPerMTok},
}

// Kinds lists the chart kinds with a one-line description each.
func Kinds() []Kind {
	out := make([]Kind, len(kinds))
	for i, k := range kinds {
		out[i] = k.Kind
	}
	return out
}

// KindNames lists the kind names.
func KindNames() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.Name
	}
	return out
}

func lookupKind(name string) (*kind, error) {
	for i := range kinds {
		if kinds[i].Name == name {
			return &kinds[i], nil
		}
	}
	return nil, fmt.Errorf("%w %q (kinds: %s)", ErrUnknownKind, name, strings.Join(KindNames(), ", "))
}

// CheckKind reports whether name is a chart kind, with the list when it is not.
func CheckKind(name string) error {
	_, err := lookupKind(name)
	return err
}

// Options control Render.
type Options struct {
	// Image size in pixels; zero means DefaultWidthPx x DefaultHeightPx.
	// Each must lie in MinSizePx..MaxSizePx.
	WidthPx, HeightPx int
}

// builder is what a kind's build function works with.
type builder struct {
	store *data.Store
	runs  []*run
	st    style
	chart *Chart
}

func (b *builder) overlay() bool { return len(b.runs) > 1 }

func (b *builder) addPanel(p *panel) { b.chart.panels = append(b.chart.panels, p) }

// Render draws the chart of the given kind for runIDs (full run ids, see
// data.Store.ResolveRun): one run, or several overlaid with one colour per
// run. Failed and unfinished runs plot what they stored.
func Render(ctx context.Context, store *data.Store, kindName string, runIDs []string, opts Options) (*Chart, error) {
	k, err := lookupKind(kindName)
	if err != nil {
		return nil, err
	}
	if opts.WidthPx == 0 && opts.HeightPx == 0 {
		opts.WidthPx, opts.HeightPx = DefaultWidthPx, DefaultHeightPx
	}
	if err := CheckSize(opts.WidthPx, opts.HeightPx); err != nil {
		return nil, err
	}
	if err := checkRunIDs(runIDs); err != nil {
		return nil, err
	}
	runs, err := loadRuns(ctx, store, runIDs)
	if err != nil {
		return nil, err
	}
	c := &Chart{Kind: k.Name, RunIDs: append([]string(nil), runIDs...), WidthPx: opts.WidthPx, HeightPx: opts.HeightPx,
		st: newStyle(opts.WidthPx, opts.HeightPx)}
	c.Title, c.Subtitle = titles(k.title, runs)
	b := &builder{store: store, runs: runs, st: c.st, chart: c}
	if err := k.build(ctx, b); err != nil {
		return nil, fmt.Errorf("%s chart: %w", k.Name, err)
	}
	return c, nil
}

func checkRunIDs(ids []string) error {
	if len(ids) == 0 {
		return fmt.Errorf("%w: no run given", ErrBadRuns)
	}
	if len(ids) > MaxRuns {
		return fmt.Errorf("%w: %d runs, at most %d fit one chart", ErrBadRuns, len(ids), MaxRuns)
	}
	for i, id := range ids {
		for _, prev := range ids[:i] {
			if id == prev {
				return fmt.Errorf("%w: run %s given twice", ErrBadRuns, id)
			}
		}
	}
	return nil
}
