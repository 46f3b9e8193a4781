package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"aiecon/data"
	"aiecon/model/format"
	"aiecon/study/forecast"
)

// forecastColumn is one variant of one forecast in a comparison.
type forecastColumn struct {
	Forecast     string                `json:"forecast_id"`
	Name         string                `json:"forecast"`
	Variant      string                `json:"variant"`
	Periods      int                   `json:"periods"`
	PeriodLength string                `json:"period_length"`
	Totals       map[string][3]float64 `json:"totals_p10_p50_p90_usd"`
	// Warning says when this column's totals cover another span of time
	// than the first column's, so that they differ by that alone.
	Warning string `json:"warning,omitempty"`
	// Deltas are the median over the samples of this variant's total minus
	// the first variant's in the same sample (one forecast only).
	Deltas map[string]float64 `json:"paired_median_delta_usd,omitempty"`
	// PairedWith is the variant Paired is against, the first (one
	// forecast only); Paired is, by line, the band of the samples'
	// differences and in how many the variant is better.
	PairedWith string                  `json:"paired_with,omitempty"`
	Paired     map[string]pairedChange `json:"paired_delta_usd,omitempty"`
	// Caveats are the notes the forecast's report prints that say its
	// totals lean one way (commerce counted gross, freshness modelled in
	// some periods or variants only, training on idle servers overstated,
	// capital left out of the P&L, Capacity Blocks rent understated), each
	// naming these lines (revenue_commerce_usd, cost_training_usd,
	// cost_rent_usd) where the report names its table's columns: a
	// comparison of totals is not to be read without them
	// (forecast.StoredCaveats).
	Caveats []string `json:"caveats,omitempty"`
	// Incomplete says that the store holds only some of the groups of
	// this split forecast (forecast.Incomplete): its totals cover those.
	Incomplete string `json:"incomplete,omitempty"`
	samples    int    // the forecast's Monte Carlo samples, stored or not
}

// compareForecasts prints the horizon totals of every variant of the given
// forecasts against the first variant: within one forecast the change
// sample by sample, banded (writePairedBands); between forecasts, which
// share no samples, the difference of the medians. Its prose (warnings,
// caveats) wraps to --width (wrapWriter), its table never.
func compareForecasts(ctx context.Context, e *env, refs []string, format string, wf widthFlag) error {
	store, err := openStore(e, true)
	if err != nil {
		return err
	}
	defer store.Close()
	cols, metrics, err := forecastColumns(ctx, store, refs)
	if err != nil {
		return err
	}
	if paired := len(refs) == 1 && len(cols) > 1; paired {
		// One forecast: its variants share their samples, so the gap is
		// the median of the samples' differences.
		deltas, err := store.ForecastPairedDeltas(ctx, cols[0].Forecast, cols[0].Variant)
		if err != nil {
			return err
		}
		for i := range cols[1:] {
			setPaired(&cols[i+1], cols[0].Variant, deltas[cols[i+1].Variant])
		}
	}
	errWidth := streamWidth(e.stderr, wf)
	for i, c := range cols {
		if c.Incomplete != "" && (i == 0 || c.Forecast != cols[i-1].Forecast) {
			fprintWrapped(e.stderr, errWidth, "aiecon: %s\n", c.Incomplete)
		}
	}
	if w := warnPeriods(cols); w != "" {
		fprintWrapped(e.stderr, errWidth, "aiecon: %s\n", w)
	}
	switch format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(cols)
	case "csv":
		writeCaveats(e.stderr, cols, "aiecon: ", errWidth)
		return compareForecastsCSV(e.stdout, cols, metrics)
	}
	width := reportWidth(e, wf)
	if err := compareForecastsTable(e.stdout, cols, metrics, width); err != nil {
		return err
	}
	writeCaveats(e.stdout, cols, "", width)
	return nil
}

// writeCaveats prints every column's caveats under the comparison, each
// text once, after the columns it covers (caveatLabel): nothing where
// every column has it, else the variants that have it (a step-time
// warning of the p5en variants names both, not the trn2 one), with their
// forecasts' names and ids when several forecasts are compared. The same
// text in two forecasts was printed once for each, a paragraph repeated
// word for word; it is printed once, naming both. Each wraps to width
// (wrapWriter; 0: one line each).
func writeCaveats(w io.Writer, cols []forecastColumn, prefix string, width int) {
	printed := map[string]bool{}
	for _, c := range cols {
		for _, note := range c.Caveats {
			if !printed[note] {
				printed[note] = true
				fprintWrapped(w, width, "%s\n", prefix+caveatLabel(cols, note)+note)
			}
		}
	}
}

// caveatLabel is what a note is printed after: nothing where every column
// has it; else, for each forecast with a column that has it, in order, the
// variants that have it ("rented-p5en, owned-p5en: "), and with several
// forecasts its name and id, the variants left out where all of that
// forecast's have it ("plan (a1); plan-b/x, y (b2): ").
func caveatLabel(cols []forecastColumn, note string) string {
	type forecastNote struct {
		name, id string
		variants []string
		all      bool
	}
	var fs []*forecastNote
	every := true
	for _, c := range cols {
		i := slices.IndexFunc(fs, func(f *forecastNote) bool { return f.id == c.Forecast })
		if i < 0 {
			fs, i = append(fs, &forecastNote{name: c.Name, id: c.Forecast, all: true}), len(fs)
		}
		has := slices.Contains(c.Caveats, note)
		if has && !slices.Contains(fs[i].variants, c.Variant) {
			fs[i].variants = append(fs[i].variants, c.Variant)
		}
		fs[i].all = fs[i].all && has
		every = every && has
	}
	if every {
		return ""
	}
	var parts []string
	for _, f := range fs {
		switch {
		case len(f.variants) == 0:
		case len(fs) == 1:
			parts = append(parts, strings.Join(f.variants, ", "))
		case f.all:
			parts = append(parts, f.name+" ("+f.id+")")
		default:
			parts = append(parts, f.name+"/"+strings.Join(f.variants, ", ")+" ("+f.id+")")
		}
	}
	return strings.Join(parts, "; ") + ": "
}

// forecastRefError makes a forecast reference that names none bad input
// and, where the store holds no forecast at all, says how to make one, as the
// dashboard's :forecast does: a new store's user has none to name yet.
func forecastRefError(err error) error {
	if errors.Is(err, data.ErrNoForecasts) {
		err = fmt.Errorf("%w; `aiecon forecast` runs the built-in trainium-amortization forecast and stores it", err)
	}
	if errors.Is(err, data.ErrForecastNotFound) {
		return asUsage(err)
	}
	return err
}

// forecastColumns reads the horizon totals of every variant of the given
// forecasts, in order, and the USD metrics any of them has.
func forecastColumns(ctx context.Context, store *data.Store, refs []string) ([]forecastColumn, []string, error) {
	var cols []forecastColumn
	var metrics []string
	seen := map[string]bool{}
	listed := map[string]string{} // forecast id -> the reference that named it
	for _, ref := range refs {
		id, err := store.ResolveForecast(ctx, ref)
		if err != nil {
			return nil, nil, forecastRefError(err)
		}
		// A forecast beside itself would print each variant twice, with
		// deltas of 0 against itself: refused as compare RUN RUN is.
		if first, ok := listed[id]; ok {
			return nil, nil, asUsage(fmt.Errorf("comparing forecasts: forecast %s is listed twice (as %q and %q)", id, first, ref))
		}
		listed[id] = ref
		f, err := store.Forecast(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		totals, err := store.ForecastTotals(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		if len(totals) == 0 {
			return nil, nil, emptyForecast(id, f)
		}
		incomplete, err := incompleteForecast(ctx, store, f, nil)
		if err != nil {
			return nil, nil, err
		}
		for _, t := range totals {
			if len(cols) == 0 || cols[len(cols)-1].Forecast != id || cols[len(cols)-1].Variant != t.Variant {
				cols = append(cols, forecastColumn{Forecast: id, Name: f.Name, Variant: t.Variant,
					Periods: f.Periods, PeriodLength: f.PeriodLength, Totals: map[string][3]float64{},
					Caveats: forecast.StoredCaveats(f.ReportJSON, t.Variant), Incomplete: incomplete, samples: f.Samples})
			}
			cols[len(cols)-1].Totals[t.Metric] = [3]float64{t.P10, t.P50, t.P90}
			if !seen[t.Metric] {
				seen[t.Metric] = true
				metrics = append(metrics, t.Metric)
			}
		}
		netIdleCaveat(cols, id)
		licensingSplitCaveat(cols, id)
	}
	return cols, metrics, nil
}

// netIdleCaveat adds to the columns of forecast id that hold idle
// reservations a caveat where the forecast was stored before
// reserved_repriced_usd was split from reserved_idle_usd, which its period
// rows lack: its reserved_idle_usd is RENT's addition whole, the repricing
// of instances run on demand on a reservation netted in, so that it reads
// below the idle instances' cost (below 0 after a step to on-demand) and
// lower as if better. The rows are shown as stored, not split again from
// the report's samples_detail: rewriting stored rows is left to a new run
// of the forecast. Its cost_rent_usd is as a forecast now stores it.
func netIdleCaveat(cols []forecastColumn, id string) {
	split := false
	for _, c := range cols {
		if _, ok := c.Totals["reserved_repriced_usd"]; c.Forecast == id && ok {
			split = true
		}
	}
	if split {
		return
	}
	for i, c := range cols {
		if t, ok := c.Totals["reserved_idle_usd"]; c.Forecast != id || !ok || t == [3]float64{} {
			continue
		}
		cols[i].Caveats = append(cols[i].Caveats, "RESERVED IDLE STORED NET: this forecast was stored before "+
			"reserved_repriced_usd was split from reserved_idle_usd, and is shown as stored: where instances ran on demand on a "+
			"reservation, its reserved_idle_usd is net of their on-demand rent repriced at the reserved rate, so it reads below "+
			"what the idle instances cost (even below 0), lower as if better, and it has no reserved_repriced_usd line; "+
			"its cost_rent_usd holds both, as now. Run it again to split them.")
	}
}

// licensingSplitCaveat adds to the columns of forecast id that pay
// licensing a caveat where the forecast, or some of its periods or
// samples (a merge of an older build's shard), was stored before its
// period rows split LICENSE (licensing_per_use_usd, licensing_flat_usd,
// licensing_true_up_usd; migration 33 gave them NULL rows): those lines
// have no total there (data.ForecastTotals), left out of the table, or
// "-" beside a forecast that has them, where they read $0.
func licensingSplitCaveat(cols []forecastColumn, id string) {
	for i, c := range cols {
		if c.Forecast != id {
			continue
		}
		if _, split := c.Totals["licensing_per_use_usd"]; split || c.Totals["cost_licensing_usd"] == [3]float64{} {
			continue
		}
		cols[i].Caveats = append(cols[i].Caveats, "LICENSING SPLIT NOT STORED: this forecast was stored before its periods kept "+
			"cost_licensing_usd's parts (NULL in forecast_periods, in all or, merged from an older build's shard, in some "+
			"of its periods or samples), so it has no licensing_per_use_usd, licensing_flat_usd or "+
			"licensing_true_up_usd total (\"-\" beside a forecast that has them); cost_licensing_usd holds all three. Run it again to split them.")
	}
}

// warnPeriods marks the columns whose forecast covers another number or
// length of periods than the first column's (their totals, sums over the
// periods, differ by that alone) and returns the warning for stderr, ""
// when all cover the same span. Columns of one forecast always do.
func warnPeriods(cols []forecastColumn) string {
	if len(cols) == 0 {
		return ""
	}
	base := cols[0]
	differ := false
	var spans []string
	for i, c := range cols {
		if i > 0 && c.Forecast == cols[i-1].Forecast {
			continue
		}
		spans = append(spans, c.Forecast+" "+periodSpan(c))
		if c.Periods != base.Periods || c.PeriodLength != base.PeriodLength {
			differ = true
		}
	}
	if !differ {
		return ""
	}
	for i, c := range cols {
		if c.Periods != base.Periods || c.PeriodLength != base.PeriodLength {
			cols[i].Warning = fmt.Sprintf("totals over %s against %s over %s: they differ by that alone", periodSpan(c),
				forecastLabel(base, true), periodSpan(base))
		}
	}
	return "the forecasts cover different horizons (" + strings.Join(spans, ", ") + "): their totals differ by that alone; " +
		"compare one period's figures instead (aiecon sql on forecast_bands)"
}

// periodSpan is a forecast's horizon in its own periods: "4 quarters".
func periodSpan(c forecastColumn) string {
	unit := c.PeriodLength
	if c.Periods != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", c.Periods, unit)
}

// forecastLabel names a column: its variant, or with several forecasts
// (withID) its forecast's name, variant and id, since two forecasts of one
// file share their name and variants.
func forecastLabel(c forecastColumn, withID bool) string {
	if !withID {
		return c.Variant
	}
	return c.Name + "/" + c.Variant + " (" + c.Forecast + ")"
}

// compareForecastsTable prints the horizon totals, each variant's P50
// and its change against the first, then the notes on the change. The
// table is one when it fits width (0: any width); else the variants are
// split into tables of as many as fit (totalsTable.blocks), each with the
// lines' names, so that no figure is dropped: three variants made it 103
// columns at the default 100, and a table never wraps.
func compareForecastsTable(w io.Writer, cols []forecastColumn, metrics []string, width int) error {
	paired := len(cols) > 1 && cols[1].Deltas != nil
	several := false // columns of more than one forecast
	for _, c := range cols {
		several = several || c.Forecast != cols[0].Forecast
	}
	t := totalsTable{cols: cols, metrics: metrics, paired: paired, several: several}
	for i, block := range t.blocks(width) {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if _, err := io.WriteString(w, block); err != nil {
			return err
		}
	}
	if paired {
		fprintWrapped(w, width, "%s\n", "(vs: the median over the samples of the variant's total minus "+cols[0].Variant+"'s in the same sample, "+
			"which share their draws; it need not equal the difference of the two medians)")
		return writePairedBands(w, cols, metrics, width)
	}
	if len(cols) > 1 {
		return fprintWrapped(w, width, "%s\n", "(vs: the difference of the medians: forecasts apart share no samples)")
	}
	return nil
}

// totalsTable is compare --forecast's table of horizon totals.
type totalsTable struct {
	cols    []forecastColumn
	metrics []string
	paired  bool // one forecast's variants: the change is the paired one (Deltas)
	several bool // columns of more than one forecast: labelled with their names and ids
	stacked bool // each label on lines of its own (name, variant, id), for a narrow width
}

// blocks renders the table as one block holding every column where it
// fits width (or width is 0), else as consecutive blocks of the variants,
// each as wide as fits, the first column's own figures in the first; a
// forecast's name and id then go on header lines of their own. A variant
// whose figure and change do not fit beside the lines' names together go
// in blocks of their own, one each (one at least, however wide): at
// --width 60 one variant of two forecasts made a table of 78 columns.
func (t totalsTable) blocks(width int) []string {
	all := make([]int, len(t.cols))
	for i := range all {
		all[i] = i
	}
	if whole := t.render(t.keys(all), 0); width <= 0 || tableWidth(whole) <= width {
		return []string{whole}
	}
	t.stacked = t.several
	var out []string
	for _, g := range fitGroups(all, width, func(idx []int) string { return t.render(t.keys(idx), 0) }) {
		out = append(out, fitBlocks(t.keys(g), width, t.render)...)
	}
	return out
}

// keys are the table's columns of the variants at idx: 2i for column i's
// P50, 2i+1 for its change against the first column (none for the first).
func (t totalsTable) keys(idx []int) []int {
	var keys []int
	for _, i := range idx {
		keys = append(keys, 2*i)
		if i > 0 {
			keys = append(keys, 2*i+1)
		}
	}
	return keys
}

// render is the table of the columns at keys (totalsTable.keys), a
// variant's P50 or its change against the first column, laid out in width
// (fitTable; 0: any).
func (t totalsTable) render(keys []int, width int) string {
	var body [][]string
	for _, m := range t.metrics {
		row := []string{m}
		base := t.cols[0].Totals[m][1]
		_, baseHas := t.cols[0].Totals[m]
		for _, k := range keys {
			c := t.cols[k/2]
			total, has := c.Totals[m]
			v := total[1]
			switch {
			case !has || (k%2 == 1 && !baseHas):
				// Not stored for this column, or for the first one
				// (licensingSplitCaveat): a line of another forecast
				// read $0 here.
				row = append(row, format.Undefined)
			case k%2 == 0:
				row = append(row, fmtUSD(v))
			case t.paired:
				row = append(row, signedUSD(c.Deltas[m]))
			default:
				row = append(row, signedUSD(format.Change(v, base)))
			}
		}
		body = append(body, row)
	}
	return fitTable(t.header(keys), body, width)
}

// header is the table's header lines for the columns at keys: one, or with
// stacked labels one for the forecasts' names, one for their variants and
// one for their ids (a change column: "vs", the first column's variant
// and id). A change without its variant's P50 beside it (a block of its
// own) is headed by the variant's label over its "vs" lines.
func (t totalsTable) header(keys []int) [][]string {
	label := func(c forecastColumn) []string {
		if !t.stacked {
			return []string{forecastLabel(c, t.several)}
		}
		return []string{c.Name, c.Variant, "(" + c.Forecast + ")"}
	}
	vs := []string{"vs " + forecastLabel(t.cols[0], t.several)}
	if t.stacked { // the first column's variant and id: its name would widen every change column
		vs = []string{"vs", t.cols[0].Variant, "(" + t.cols[0].Forecast + ")"}
	}
	cells := make([][]string, len(keys))
	lines := 0
	for j, k := range keys {
		c := t.cols[k/2]
		switch {
		case k%2 == 0:
			cells[j] = label(c)
		case slices.Contains(keys, k-1):
			cells[j] = vs
		default:
			cells[j] = append(label(c), vs...)
		}
		lines = max(lines, len(cells[j]))
	}
	rows := make([][]string, max(lines, 1))
	for r := range rows {
		rows[r] = []string{""}
		for _, cell := range cells {
			part := ""
			if r < len(cell) {
				part = cell[r]
			}
			rows[r] = append(rows[r], part)
		}
	}
	rows[0][0] = "TOTAL OVER THE HORIZON (P50, USD)"
	return rows
}

// tableWidth is the width of the widest line of a rendered table.
func tableWidth(table string) int {
	n := 0
	for _, line := range strings.Split(table, "\n") {
		n = max(n, utf8.RuneCountInString(line))
	}
	return n
}

// signedUSD is a difference in dollars with its sign: +$9,176, -$234,600,
// $0. The table once printed these as %+.4g (+1.063e+06), which a P&L
// reader should not have to decode.
func signedUSD(d float64) string {
	if d > 0 {
		return "+" + fmtUSD(d)
	}
	return fmtUSD(d)
}

func compareForecastsCSV(w io.Writer, cols []forecastColumn, metrics []string) error {
	cw := csv.NewWriter(w)
	head := append([]string{"forecast_id", "forecast", "variant", "metric", "p10_usd", "p50_usd", "p90_usd"}, pairedCSVHead...)
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, c := range cols {
		for _, m := range metrics {
			t, has := c.Totals[m]
			rec := []string{c.Forecast, c.Name, c.Variant, m}
			for _, v := range t {
				cell := "" // not stored for this column (licensingSplitCaveat)
				if has {
					cell = strconv.FormatFloat(v, 'g', -1, 64)
				}
				rec = append(rec, cell)
			}
			rec = append(rec, pairedCSV(c, m)...)
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// emptyForecast is the error for a stored forecast without periods: a
// shard that ran no group stored one, and the comparison printed its bare
// title, exit 0, which read as every total zero.
func emptyForecast(id string, f data.Forecast) error {
	var r struct {
		Shard string `json:"shard"`
	}
	_ = json.Unmarshal([]byte(f.ReportJSON), &r) // no readable report: no shard to name
	why := ""
	if r.Shard != "" {
		why = fmt.Sprintf(" (it is shard %s of a split forecast, given no (variant, sample, period) group to run; merge the shards' stores with aiecon merge and compare the merged forecast)", r.Shard)
	}
	return badInput("forecast %s (%s) has no periods stored: nothing to compare%s", id, f.Name, why)
}

// incompleteForecast is forecast.Incomplete of stored forecast f: the
// warning for a split forecast the store holds some groups of alone.
// stopped are the shards other stores keep stopped, by index, with the
// command that finishes each (merge knows them; nil elsewhere).
func incompleteForecast(ctx context.Context, store *data.Store, f data.Forecast, stopped map[int]string) (string, error) {
	groups, err := store.ForecastGroupsStored(ctx, f.ID)
	if err != nil {
		return "", err
	}
	return forecast.Incomplete(f, groups, store.Path(), stopped), nil
}
