package study

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"aiecon/model/format"
	"aiecon/model/kpi"
)

// A summary as a table for people, CSV for spreadsheets and a JSON view
// for programs. Tables print 4 significant digits and "-" for undefined
// values; CSV and JSON carry full precision (JSON null, CSV empty).

// WriteTableProse prints the summary: one row per point with each KPI's
// mean and 95% confidence half-width, then, for Monte Carlo, each grid
// row's KPI distributions; the notes under the table (the samples' and
// the OVERLOADED column's) are written through prose, which
// writes a paragraph and its newline: aiecon sweep passes one that wraps
// it to the terminal's width; nil writes it as it is, one line.
func (s *Summary) WriteTableProse(w io.Writer, prose func(w io.Writer, paragraph string) error) error {
	if prose == nil {
		prose = func(w io.Writer, p string) error {
			_, err := fmt.Fprintln(w, p)
			return err
		}
	}
	var buf bytes.Buffer
	if err := s.writeTable(&buf, prose); err != nil {
		return err
	}
	// tabwriter pads the empty cells that keep short rows in the columns'
	// blocks; the padding at a line's end is noise.
	for line := range strings.Lines(buf.String()) {
		if _, err := io.WriteString(w, strings.TrimRight(line, " \n")+"\n"); err != nil {
			return err
		}
	}
	return nil
}

func (s *Summary) writeTable(w io.Writer, prose func(io.Writer, string) error) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	var rows [][]Param
	for _, g := range s.MonteCarlo {
		rows = append(rows, g.Params) // the grid's; the drawn values are in the store's sweep_points
	}
	for _, ps := range s.Points {
		rows = append(rows, ps.Point.Params)
	}
	keep := shownParams(rows)
	head := append([]string{"POINT"}, paramCells(firstRow(rows), keep, func(p Param) string { return p.Path })...)
	over := s.AnyOverloaded() // an OVERLOADED column, k/n, and its legend
	if s.MonteCarlo == nil {
		head = append(head, "RUNS")
		if over {
			head = append(head, "OVERLOADED")
		}
		for i, k := range s.KPIs {
			head = append(head, kpiHeader(k, s.Units[i]))
		}
		fmt.Fprintln(tw, strings.Join(head, "\t"))
		for _, ps := range s.Points {
			cells := append([]string{strconv.Itoa(ps.Point.Index)}, paramCells(ps.Point.Params, keep, paramValue)...)
			cells = append(cells, strconv.Itoa(ps.Runs))
			if over {
				cells = append(cells, cellOverloaded(ps.Overloaded, ps.Runs))
			}
			for k, iv := range ps.KPIs {
				cells = append(cells, cellIntervalIn(iv, s.cellNumber(k))+cellPartial(iv, ps.Runs))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		sep := "\n" // one blank line between the table and its notes
		for _, note := range []string{s.partialLegend(), s.overloadLegendIf(over)} {
			if note == "" {
				continue
			}
			if err := prose(w, sep+note); err != nil {
				return err
			}
			sep = ""
		}
		return nil
	}
	if err := s.writeMonteCarlo(tw, head, keep, over); err != nil {
		return err
	}
	for i, note := range []string{"\n" + s.samplesNote(), s.partialLegend(), s.overloadLegendIf(over)} {
		if note == "" {
			continue
		}
		if err := prose(w, note); err != nil {
			return fmt.Errorf("note %d under the Monte Carlo table: %w", i+1, err)
		}
	}
	return nil
}

// writeMonteCarlo prints each grid row's KPI distributions and threshold
// probabilities, with how many of its samples were overloaded (over).
func (s *Summary) writeMonteCarlo(tw *tabwriter.Writer, head []string, keep []bool, over bool) error {
	head[0] = "ROW"
	head = append(head, "SAMPLES")
	if over {
		head = append(head, "OVERLOADED")
	}
	head = append(head, "KPI", "MEAN", "SD", "P5", "P50", "P95")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, g := range s.MonteCarlo {
		lead := func(n int) []string {
			cells := append([]string{strconv.Itoa(g.Group)}, paramCells(g.Params, keep, paramValue)...)
			cells = append(cells, strconv.Itoa(n))
			if over {
				cells = append(cells, cellOverloaded(g.Overloaded, g.Samples))
			}
			return cells
		}
		for k, ref := range s.KPIs {
			sp := g.KPIs[k]
			num := s.cellNumber(k)
			cells := append(lead(g.Samples), kpiHeader(ref, s.Units[k]),
				num(sp.Mean)+sampleMark(sp.N, g.Samples, g.partial(k)), cellNum(sp.SD), num(sp.P5), num(sp.P50), num(sp.P95))
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		for i, t := range s.Thresholds {
			// Empty SD to P95 cells: tabwriter aligns a column only over
			// consecutive lines that have it, so a shorter line would start
			// new columns for the next grid row.
			n := g.ProbabilityN[i] // the samples that define its KPI
			cells := append(lead(n), "P("+t.String()+")", cellProbability(g.Probabilities[i], n), "", "", "", "")
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
	}
	return tw.Flush()
}

// cellOverloaded is "k/n" of a point's runs (a row's samples) that were
// overloaded, empty where none was, so that those that were stand out.
func cellOverloaded(k, n int) string {
	if k == 0 {
		return ""
	}
	return strconv.Itoa(k) + "/" + strconv.Itoa(n)
}

// cellPartial is " (n=k)" after a point's value that rests on k of its
// runs, fewer than RUNS (partialLegend says why), so that the RUNS column
// is not read as every figure's; "" where it rests on all of them, or on
// none ("-" says so).
func cellPartial(iv Interval, runs int) string { return partialMark(iv.N, runs) }

// PartialMark is the mark aiecon sweep's table prints after a point's
// value that rests on n of its runs, some but not all (" (n=2)"; "" where
// n is runs or 0), for a screen that shows the points: the dashboard's
// sweep screen, whose points are a Monte Carlo study's samples too. n is
// the value's Interval.N (Summarize's, PooledInterval's,
// PooledPercentileInterval's or MeanCI's); PartialLegend explains it.
func PartialMark(n, runs int) string { return partialMark(n, runs) }

// Partial says whether a value resting on n of runs carries PartialMark:
// the one rule a grid point's (n=k) and a Monte Carlo row's (j partial),
// which counts such samples, both follow.
func Partial(n, runs int) bool { return partialMark(n, runs) != "" }

// partialMark is " (n=k)" for a figure that rests on k of all's runs or
// samples, fewer than all; "" where k is all or 0 (its "-" says so). A
// Monte Carlo row's MEAN carries it, since the SAMPLES column beside it
// counts the samples with a run, not those that define the KPI (a session
// KPI in a sample where no session ended, a TTFT where nothing completed).
func partialMark(k, all int) string {
	if k == 0 || k >= all {
		return ""
	}
	return " (n=" + strconv.Itoa(k) + ")"
}

// sampleMark is a Monte Carlo MEAN's marks: " (n=k)" where k of the
// row's samples define the KPI (partialMark), and " (j partial)" where j
// of those define it in some of their runs only (GroupSpread.Partial), a
// sample's value then resting on those runs; both in one parenthesis
// (" (n=38, 2 partial)"), "" where neither is.
func sampleMark(k, samples, partial int) string {
	var marks []string
	if m := partialMark(k, samples); m != "" {
		marks = append(marks, strings.Trim(m, " ()"))
	}
	if partial > 0 {
		marks = append(marks, strconv.Itoa(partial)+" partial")
	}
	if marks == nil {
		return ""
	}
	return " (" + strings.Join(marks, ", ") + ")"
}

// partial is Partial[k], 0 where the row has none (a summary built
// before it was counted).
func (g GroupSpread) partial(k int) int {
	if k < len(g.Partial) {
		return g.Partial[k]
	}
	return 0
}

// partialLegend explains the " (n=k)" marks (partialMark) under a table,
// naming their KPIs by why the other runs or samples are left out: runs
// stored before aiecon reported the KPI have none (a resumed or merged
// sweep of an older store), and are left out rather than read as 0, as the
// CSV's and the JSON's n say; or the KPI is undefined in them (no request
// of a workload in a run, say). "" where every figure rests on all its
// point's runs (its row's samples).
func (s *Summary) partialLegend() string {
	lead, partial := s.partialKPIs()
	if repLead, rep := s.replicationPartialKPIs(); slices.Contains(rep, true) {
		if !slices.Contains(partial, true) {
			lead = ""
		}
		lead += repLead
		for k := range partial {
			partial[k] = partial[k] || rep[k]
		}
	}
	names := s.kpisWhere(partial)
	lacked := make([]bool, len(names))
	for i, name := range names {
		k := slices.IndexFunc(s.KPIs, func(r KPIRef) bool { return r.String() == name })
		lacked[i] = k < len(s.lacked) && s.lacked[k]
	}
	return partialWhy(lead, names, lacked)
}

// pointsPartialLead is the legend's lead for a table of points marked
// (n=k) (cellPartial); samplesPartialLead is said beside it where the
// points are a Monte Carlo study's samples, whose rows aiecon sweep's
// table marks instead (replicationPartialKPIs).
const (
	pointsPartialLead  = "(n=k) after a value: it rests on k of the point's RUNS, not all; "
	samplesPartialLead = "a point is a Monte Carlo sample, and aiecon sweep marks a row's MEAN (j partial) for j samples marked so; "
)

// PartialLegend is the note aiecon sweep prints under its table of
// points marked by PartialMark, for a screen that shows the points: names
// are the KPIs marked somewhere, lacked[i] whether some run has no value
// of names[i] stored (else it is undefined in the others); monteCarlo
// says the points are a study's samples, which the CLI's rows count. ""
// where no KPI is marked.
func PartialLegend(names []string, lacked []bool, monteCarlo bool) string {
	lead := pointsPartialLead
	if monteCarlo {
		lead += samplesPartialLead
	}
	return partialWhy(lead, names, lacked)
}

// partialWhy is a partial legend: lead, then the KPIs marked (names)
// grouped by why their other runs or samples are left out (lacked[i]
// for names[i]); "" without names.
func partialWhy(lead string, names []string, lacked []bool) string {
	var old, undefined []string
	for i, name := range names {
		if lacked[i] {
			old = append(old, name)
		} else {
			undefined = append(undefined, name)
		}
	}
	if old == nil && undefined == nil {
		return ""
	}
	var why []string
	if old != nil {
		why = append(why, strings.Join(old, ", ")+": runs stored before aiecon reported the KPI lack it, and are left out, not read as 0")
	}
	if undefined != nil {
		why = append(why, strings.Join(undefined, ", ")+": undefined in the others (none of what it measures in those runs)")
	}
	return lead + strings.Join(why, "; ")
}

// partialKPIs says which KPIs carry a partialMark somewhere in the table,
// with the legend's lead that says what k counts: a grid point's runs, or
// a Monte Carlo row's samples (whose per-sample Points the table does not
// print, so their marks do not count).
func (s *Summary) partialKPIs() (lead string, partial []bool) {
	partial = make([]bool, len(s.KPIs))
	if s.MonteCarlo != nil {
		for _, g := range s.MonteCarlo {
			for k, sp := range g.KPIs {
				partial[k] = partial[k] || partialMark(sp.N, g.Samples) != ""
			}
		}
		return "(n=k) after a MEAN: the KPI's MEAN to P95 rest on k of the row's SAMPLES, not all (a P(...) row's SAMPLES are " +
			"those that define its KPI); ", partial
	}
	for _, ps := range s.Points {
		for k, iv := range ps.KPIs {
			partial[k] = partial[k] || cellPartial(iv, ps.Runs) != ""
		}
	}
	return pointsPartialLead, partial
}

// replicationPartialKPIs says which KPIs a Monte Carlo table marks
// " (j partial)" (sampleMark), with the legend's lead for the mark: a
// sample's value is over its replications, and one defined in some of
// them alone rests on those, as a grid point's value marked (n=k) does;
// the row's (n=k) counts the samples, so it did not show it.
func (s *Summary) replicationPartialKPIs() (lead string, partial []bool) {
	partial = make([]bool, len(s.KPIs))
	for _, g := range s.MonteCarlo {
		for k := range s.KPIs {
			partial[k] = partial[k] || g.partial(k) > 0
		}
	}
	return "(j partial) after a MEAN: in j of the row's samples the KPI rests on some of the sample's replications, not all, " +
		"its value there being theirs alone; ", partial
}

// overloadLegendIf is overloadLegend where the table has an OVERLOADED
// column (over), else "".
func (s *Summary) overloadLegendIf(over bool) string {
	if !over {
		return ""
	}
	return s.overloadLegend()
}

// shownParams says which parameter columns the table prints: those some
// row gives a value. The optimizer resets a candidate's scheduler settings
// off its family, and sweep --show printed a scheduler "" and buckets []
// column for every point.
func shownParams(rows [][]Param) []bool {
	var keep []bool
	for _, ps := range rows {
		for j, p := range ps {
			if j == len(keep) {
				keep = append(keep, false)
			}
			keep[j] = keep[j] || !p.Value.Blank()
		}
	}
	return keep
}

func firstRow(rows [][]Param) []Param {
	if len(rows) == 0 {
		return nil
	}
	return rows[0]
}

// paramCells are a row's cells of the kept parameter columns.
func paramCells(ps []Param, keep []bool, cell func(Param) string) []string {
	var out []string
	for j, p := range ps {
		if j < len(keep) && keep[j] {
			out = append(out, cell(p))
		}
	}
	return out
}

func paramValue(p Param) string { return p.Value.YAML }

// samplesNote says how many samples the P5/P95 columns and the
// probabilities rest on, as the forecast's bands note does: up to 20
// samples a P5 or P95 (type-7 quantiles) is interpolated between the two
// lowest or the two highest, not an estimate of the tail.
func (s *Summary) samplesNote() string {
	n, least := -1, -1 // the fewest samples of a row, and that any KPI rests on
	for _, g := range s.MonteCarlo {
		if n < 0 || g.Samples < n {
			n = g.Samples
		}
		for _, sp := range g.KPIs {
			if sp.N > 0 && (least < 0 || sp.N < least) {
				least = sp.N
			}
		}
	}
	note := fmt.Sprintf("P5 and P95 rest on %s per row", format.Plural(n, "Monte Carlo sample"))
	if _, partial := s.partialKPIs(); slices.Contains(partial, true) {
		note += ", k where the MEAN says (n=k)"
	}
	if n <= 20 || least >= 0 && least <= 20 {
		note += "; with so few they are interpolated between the two lowest and the two highest samples, not " +
			"estimates of the tails (more montecarlo.samples make them estimates)"
	}
	if len(s.Thresholds) > 0 {
		note += "; P(...) [low, high] is its 95% Wilson interval over the samples"
	}
	return note
}

// cellProbability is a threshold's probability over n samples with its
// 95% Wilson interval: "50% [26%, 74%]".
func cellProbability(p float64, n int) string {
	lo, hi := probabilityCI(p, n)
	if math.IsNaN(lo) {
		return cellPct(p)
	}
	return cellPct(p) + " [" + cellPct(lo) + ", " + cellPct(hi) + "]"
}

// probabilityCI is the 95% Wilson interval of a threshold's probability p
// over n samples, which the table, the CSV and the JSON all give; NaN
// where the probability is undefined.
func probabilityCI(p float64, n int) (lo, hi float64) {
	if math.IsNaN(p) || n == 0 {
		return math.NaN(), math.NaN()
	}
	return wilson(p, float64(n), 1.959964)
}

func kpiHeader(k KPIRef, unit string) string {
	if unit == "" || unit == "fraction" || unit == "count" {
		return k.String()
	}
	return k.String() + " (" + unit + ")"
}

// Cells of a summary table: statistics keep four significant digits.
var (
	cellNum = format.Sig4
	cellPct = format.Pct
)

// cellInterval prints "mean ± half-width", a proportion's or a clamped
// interval's "mean [low, high]" (it is not symmetric), the mean alone for
// one run, and "mean [-]" for a pooled percentile over too few runs to
// resample.
func cellInterval(iv Interval) string { return cellIntervalIn(iv, cellNum) }

// cellIntervalIn is cellInterval with num printing the mean and the ends
// (the half-width is a distance, always cellNum).
func cellIntervalIn(iv Interval, num func(float64) string) string {
	if iv.N == 0 {
		return "-"
	}
	if math.IsNaN(iv.HalfWidth) {
		if iv.Bootstrap && iv.N >= 2 {
			// Runs enough for an interval elsewhere, too few to
			// resample (MinBootstrapRuns): say there is none, which the
			// mean alone, as of one run, did not.
			return num(iv.Mean) + " [-]"
		}
		return num(iv.Mean)
	}
	if iv.ownEnds() { // its ends, which need not be symmetric
		return num(iv.Mean) + " [" + num(iv.Lo) + ", " + num(iv.Hi) + "]"
	}
	return num(iv.Mean) + " ± " + cellNum(iv.HalfWidth)
}

// cellNumber is how the table prints KPI k's values: an SLO attainment
// against the default target (kpi.DefaultSLOTarget), never as 0.99 when it
// is not, where Sig4 printed 0.98996 as 0.99, a miss that read as met
// (format.Sig4Against); any other KPI in four significant digits.
func (s *Summary) cellNumber(k int) func(float64) string {
	if s.KPIs[k].Name != kpi.SLOAttainment {
		return cellNum
	}
	return func(v float64) string { return format.Sig4Against(v, kpi.DefaultSLOTarget) }
}

// pooled says whether the summary pools KPI k over a point's replications
// rather than averaging them: a ratio of run totals (ratioParts) or a
// latency percentile over the runs' requests (PooledPercentile).
func (s *Summary) pooled(k int) bool {
	if k < len(s.PooledPercentile) && s.PooledPercentile[k] {
		return true
	}
	_, ok := ratioParts[s.KPIs[k].Name]
	return ok && !(k < len(s.ratioAveraged) && s.ratioAveraged[k])
}

// AveragedRatios lists the ratio KPIs the summary averages over the runs
// because some run gives them without their totals (a model:NAME scope's
// prefix_cache_hit_rate; a store from before the totals were kept).
func (s *Summary) AveragedRatios() []string { return s.kpisWhere(s.ratioAveraged) }

// ClampedKPIs lists, once each, the KPIs with an interval at some point
// cut at the KPI's natural bounds (Interval.ClampTo), which the table
// prints as [low, high].
func (s *Summary) ClampedKPIs() []string {
	clamped := make([]bool, len(s.KPIs))
	for _, ps := range s.Points {
		for k, iv := range ps.KPIs {
			clamped[k] = clamped[k] || iv.Clamped
		}
	}
	return s.kpisWhere(clamped)
}

// PooledPercentiles lists the latency percentile KPIs the summary takes
// over the pooled requests of a point's replications.
func (s *Summary) PooledPercentiles() []string { return s.kpisWhere(s.PooledPercentile) }

// kpisWhere lists, once each, the KPIs whose flag is set.
func (s *Summary) kpisWhere(flag []bool) []string {
	var out []string
	for k, ref := range s.KPIs {
		if k < len(flag) && flag[k] && !slices.Contains(out, ref.String()) {
			out = append(out, ref.String())
		}
	}
	return out
}

// WriteCSV writes one row per point (per grid row and KPI for Monte Carlo)
// with full precision; undefined values are empty. A KPI pooled as the runs'
// totals' ratio (Pooled) or as the percentile of their requests
// (PooledPercentile) says so where a script reads it: its grid columns
// are <kpi>_pooled rather than <kpi>_mean, and a Monte Carlo row's
// replications column says how a sample combines its replications. A
// pooled percentile's ci95 columns are its bootstrap interval's ends. The
// last column, horizon_s, is the horizon in seconds the row's runs
// simulated, which its totals cover, as the runs CSV gives it last (empty
// where no run counts or they differ); appended, it moves no other column.
// Paired differences (PairAgainst) come after it, for the same reason, and
// sim_s, the mean time the row's runs simulated (their horizon + drain
// with drain: true, PointStats.SimS), after them, last.
func (s *Summary) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	num := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	if s.MonteCarlo == nil {
		head := []string{"point", "params_json", "runs"}
		for i, k := range s.KPIs {
			mean := "_mean"
			if s.pooled(i) {
				mean = "_pooled"
			}
			head = append(head, k.String()+mean, k.String()+"_ci95_low", k.String()+"_ci95_high", k.String()+"_n")
		}
		// overloaded_runs where the runs were checked (SummarizeChecked),
		// then horizon_s, last.
		overCol := func(rec []string, v string) []string {
			if s.OverloadChecked {
				rec = append(rec, v)
			}
			return rec
		}
		_ = cw.Write(append(append(append(overCol(head, "overloaded_runs"), "horizon_s"), s.pairedCSVHead()...), "sim_s"))
		for _, ps := range s.Points {
			rec := []string{strconv.Itoa(ps.Point.Index), ps.Point.ParamsJSON(), strconv.Itoa(ps.Runs)}
			for _, iv := range ps.KPIs {
				rec = append(rec, num(iv.Mean), num(iv.Low()), num(iv.High()), strconv.Itoa(iv.N))
			}
			rec = append(overCol(rec, strconv.Itoa(ps.Overloaded)), num(ps.HorizonS))
			_ = cw.Write(append(append(rec, s.pairedCSVCells(ps.Point.Index, num)...), num(ps.SimS)))
		}
	} else {
		s.writeMonteCarloCSV(cw, num)
	}
	cw.Flush()
	return cw.Error()
}

// writeMonteCarloCSV is WriteCSV's rows of a Monte Carlo study, with
// overloaded_samples where the runs were checked, then partial_samples,
// then horizon_s and sim_s, last. partial_samples (a distribution row's
// samples whose value rests on some of their replications, the table's
// "(j partial)"; empty on a probability row, as the JSON gives it per KPI
// only) goes before horizon_s rather than after sim_s: the docs promise
// those two last, and horizon_s's index already shifts with
// overloaded_samples, so a script finds it by name or from the end.
func (s *Summary) writeMonteCarloCSV(cw *csv.Writer, num func(float64) string) {
	write := func(rec []string, g GroupSpread, partial string) {
		if s.OverloadChecked {
			rec = append(rec, strconv.Itoa(g.Overloaded))
		}
		_ = cw.Write(append(rec, partial, num(g.HorizonS), num(g.SimS)))
	}
	head := []string{"row", "params_json", "samples", "statistic", "kpi", "unit", "n", "mean", "sd", "min", "p5", "p50", "p95", "max", "probability",
		"probability_ci95_low", "probability_ci95_high", "replications"}
	if s.OverloadChecked {
		head = append(head, "overloaded_samples")
	}
	_ = cw.Write(append(head, "partial_samples", "horizon_s", "sim_s"))
	for _, g := range s.MonteCarlo {
		params := Point{Params: g.Params}.ParamsJSON()
		for k, ref := range s.KPIs {
			sp := g.KPIs[k]
			combined := "mean"
			if s.pooled(k) {
				combined = "pooled"
			}
			write([]string{strconv.Itoa(g.Group), params, strconv.Itoa(g.Samples), "distribution", ref.String(), s.Units[k],
				strconv.Itoa(sp.N), num(sp.Mean), num(sp.SD), num(sp.Min), num(sp.P5), num(sp.P50), num(sp.P95), num(sp.Max), "", "", "", combined}, g, strconv.Itoa(g.partial(k)))
		}
		for i, t := range s.Thresholds {
			lo, hi := probabilityCI(g.Probabilities[i], g.ProbabilityN[i])
			write([]string{strconv.Itoa(g.Group), params, strconv.Itoa(g.Samples), "probability", t.String(), "fraction",
				strconv.Itoa(g.ProbabilityN[i]), "", "", "", "", "", "", "", num(g.Probabilities[i]), num(lo), num(hi), ""}, g, "")
		}
	}
}

// JSONView is the summary for encoding/json (undefined values are null).
func (s *Summary) JSONView() any {
	num := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	kpiNames := make([]string, len(s.KPIs))
	for i, k := range s.KPIs {
		kpiNames[i] = k.String()
	}
	// pooled names the KPIs whose mean is the runs' totals' ratio (their sd
	// stays the spread of the runs' own ratios), then the latency
	// percentiles taken over the runs' requests pooled (their sd is the
	// spread of the runs' own percentiles, their ci the bootstrap's).
	pooled := append(Pooled(s.KPIs), s.PooledPercentiles()...)
	if pooled == nil {
		pooled = []string{}
	}
	averaged := s.AveragedRatios() // ratio KPIs some run gives without their totals: means
	if averaged == nil {
		averaged = []string{}
	}
	out := map[string]any{"sweep_id": s.SweepID, "name": s.Name, "replications": s.Replications,
		"kpis": kpiNames, "units": s.Units, "complete_runs": s.Runs, "confidence_level": ConfidenceLevel, "pooled": pooled,
		"averaged_ratios": averaged, "horizon_s": num(s.Horizon())}
	if len(s.HorizonsS) > 1 { // horizon_s is null: the points' horizons differ
		out["horizons_s"] = s.HorizonsS
	}
	var points []any
	for _, ps := range s.Points {
		stats := map[string]any{}
		for i, iv := range ps.KPIs {
			stats[kpiNames[i]] = map[string]any{"n": iv.N, "mean": num(iv.Mean), "sd": num(iv.SD),
				"ci_low": num(iv.Low()), "ci_high": num(iv.High())}
		}
		pt := map[string]any{"point": ps.Point.Index, "params": rawJSON(ps.Point.ParamsJSON()), "runs": ps.Runs, "kpis": stats,
			"horizon_s": num(ps.HorizonS), "sim_s": num(ps.SimS)}
		if s.OverloadChecked {
			pt["overloaded_runs"] = ps.Overloaded
		}
		points = append(points, pt)
	}
	if s.OverloadChecked {
		out["overload_checked"] = true
	}
	if s.Paired != nil {
		out["paired"] = s.pairedJSON(num)
	}
	out["points"] = points
	if s.MonteCarlo != nil {
		var rows []any
		for _, g := range s.MonteCarlo {
			dists := map[string]any{}
			for i, sp := range g.KPIs {
				dists[kpiNames[i]] = map[string]any{"n": sp.N, "mean": num(sp.Mean), "sd": num(sp.SD), "min": num(sp.Min),
					"p5": num(sp.P5), "p50": num(sp.P50), "p95": num(sp.P95), "max": num(sp.Max), "partial_samples": g.partial(i)}
			}
			probs, probN, probLo, probHi := map[string]any{}, map[string]any{}, map[string]any{}, map[string]any{}
			for i, t := range s.Thresholds {
				probs[t.String()] = num(g.Probabilities[i])
				probN[t.String()] = g.ProbabilityN[i]
				lo, hi := probabilityCI(g.Probabilities[i], g.ProbabilityN[i])
				probLo[t.String()], probHi[t.String()] = num(lo), num(hi)
			}
			row := map[string]any{"row": g.Group, "params": rawJSON(Point{Params: g.Params}.ParamsJSON()),
				"samples": g.Samples, "kpis": dists, "probabilities": probs, "probability_samples": probN,
				"probability_ci_low": probLo, "probability_ci_high": probHi, "horizon_s": num(g.HorizonS),
				"sim_s": num(g.SimS)}
			if s.OverloadChecked {
				row["overloaded_samples"] = g.Overloaded
			}
			rows = append(rows, row)
		}
		out["montecarlo"] = rows
	}
	return out
}

// rawJSON embeds already-encoded JSON (a point's ordered params).
type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }
