package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"aiecon/data"
	"aiecon/study/forecast"
)

// pairedChange is one line of a variant's change against the first
// variant of its forecast, sample by sample: the variants of a sample
// share its draws (common random numbers), so the band of the samples'
// differences is the spread of the variant's effect, which the two
// variants' own bands are not.
type pairedChange struct {
	// P10 and P90 are null with one sample: the change has no spread then,
	// and a band of zero width would read as a certain one.
	P10     *float64 `json:"p10"`
	P50     float64  `json:"p50"`
	P90     *float64 `json:"p90"`
	Samples int      `json:"samples"`
	// Better and Worse count the samples in which the variant's total is
	// better or worse than the first's by half a cent or more, the way
	// forecast.Better says (higher revenue and margins, lower costs); null
	// for a line without one. Equal counts the rest.
	Better *int `json:"samples_better"`
	Worse  *int `json:"samples_worse"`
	Equal  int  `json:"samples_equal"`
	// BetterShare is Better over Samples, null with one sample.
	BetterShare *float64 `json:"better_share"`
}

func newPairedChange(metric string, d data.PairedDelta) pairedChange {
	c := pairedChange{P50: d.P50, Samples: d.Samples, Equal: d.Samples - d.Above - d.Below}
	if d.Samples > 1 {
		c.P10, c.P90 = &d.P10, &d.P90
	}
	better, worse := d.Above, d.Below
	switch forecast.Better(metric) {
	case 0:
		return c
	case -1:
		better, worse = worse, better
	}
	c.Better, c.Worse = &better, &worse
	if d.Samples > 1 {
		share := float64(better) / float64(d.Samples)
		c.BetterShare = &share
	}
	return c
}

// setPaired gives a column its changes against base, the first variant of
// its forecast.
func setPaired(c *forecastColumn, base string, deltas map[string]data.PairedDelta) {
	c.PairedWith, c.Deltas, c.Paired = base, map[string]float64{}, map[string]pairedChange{}
	for m, d := range deltas {
		c.Deltas[m] = d.P50
		c.Paired[m] = newPairedChange(m, d)
	}
}

// pairedSamples is how many samples a column's changes pair (the most
// any line pairs: a line is stored for every sample or none).
func pairedSamples(c forecastColumn) int {
	n := 0
	for _, p := range c.Paired {
		n = max(n, p.Samples)
	}
	return n
}

// writePairedBands prints, under the totals of one forecast's variants,
// each other variant's change against the first sample by sample: its
// P10, P50 and P90 and the share of the samples in which the variant is
// better, then whether it beats the first on operating margin. The table
// printed the paired median alone, with no spread: a strategist asking
// whether owning beats renting could not tell a gap the draws decide
// from one they do not. With one sample it says there is no spread. A
// table that does not fit width is split by its columns (columnBlocks).
func writePairedBands(w io.Writer, cols []forecastColumn, metrics []string, width int) error {
	base := cols[0].Variant
	if pairedSamples(cols[1]) < 2 {
		if cols[1].Incomplete != "" && cols[1].samples > 1 {
			// The samples are missing, not undrawn: the store lacks shards.
			return fprintWrapped(w, width, "%s\n", "(one sample stored: the store lacks shards of this split forecast, so the spread of the change "+
				"and the share of samples in which a variant is better are unavailable; merge every shard's store into one and compare that)")
		}
		return fprintWrapped(w, width, "%s\n", "(one sample: the spread of the change and the share of samples in which a variant is better are unavailable; "+
			"aiecon forecast --samples N draws N)")
	}
	for _, c := range cols[1:] {
		fprintWrapped(w, width, "\n%s minus %s in the same sample, over %d samples that share their draws:\n", c.Variant, base, pairedSamples(c))
		rows := [][]string{{"CHANGE OVER THE HORIZON (USD)", "P10", "P50", "P90", "BETTER IN"}}
		for _, m := range metrics {
			if p, ok := c.Paired[m]; ok {
				rows = append(rows, []string{m, bandUSD(p.P10), signedUSD(p.P50), bandUSD(p.P90), betterCell(p)})
			}
		}
		for i, block := range columnBlocks(rows, width) {
			if i > 0 {
				fmt.Fprintln(w)
			}
			if _, err := io.WriteString(w, block); err != nil {
				return err
			}
		}
		if p, ok := c.Paired["operating_margin_usd"]; ok && p.Better != nil && p.Samples > 1 {
			fprintWrapped(w, width, "%s beats %s on operating_margin_usd in %d of %d samples (%s)%s.\n", c.Variant, base, *p.Better, p.Samples,
				percentOf(*p.Better, p.Samples), equalIn(p.Equal))
		}
	}
	// Wrapped to width as the sentences above it are: broken by hand at
	// about 90 columns, it passed 80 at --width 80.
	return fprintWrapped(w, width, "%s\n", "(P10, P50, P90: quantiles, linear between the closest ranks, of each sample's difference; "+
		"BETTER IN: the share of the samples in which the variant's total is better than "+base+"'s by half a cent or more: "+
		"higher revenue and margins; lower costs, reserved_idle_usd, reserved_repriced_usd and the sessions' revenue lost to latency and left unfinished; "+
		"\"-\" on *_unfinished_counted_usd, estimates for the sessions running at a slice's end, which grow with a slower fleet's backlog)")
}

// columnBlocks renders rows, a header first and each row's name in its
// first cell, as one table where it fits width (or width is 0), else as
// consecutive tables of as many of the other columns as fit (one at least,
// however wide), each with the names, as the totals table splits its
// variants (totalsTable.blocks): a change table with figures in the tens of
// millions was 93 columns, and a table never wraps.
func columnBlocks(rows [][]string, width int) []string {
	all := make([]int, len(rows[0])-1)
	for i := range all {
		all[i] = i + 1
	}
	return fitBlocks(all, width, func(idx []int, width int) string { return renderColumns(rows, idx, width) })
}

// fitBlocks renders the columns cols as one table where it fits width (or
// width is 0), else as consecutive tables of as many of them as fit, in
// order (one at least, however wide): how columnBlocks and the totals
// table (totalsTable.blocks) split a table that never wraps. The split is
// measured on each table's lines side by side (render at width 0); render
// at width stacks a table of one column that is still too wide
// (fitTable), so that no split is made to fit by stacking every name.
func fitBlocks(cols []int, width int, render func(idx []int, width int) string) []string {
	groups := fitGroups(cols, width, func(idx []int) string { return render(idx, 0) })
	out := make([]string, len(groups))
	for i, g := range groups {
		out[i] = render(g, width)
	}
	return out
}

// fitGroups is fitBlocks' split, the columns of each table it renders:
// cols whole where render's table of them fits width (or width is 0), else
// consecutive groups of as many as fit, in order, one at least.
func fitGroups(cols []int, width int, render func(idx []int) string) [][]int {
	if width <= 0 || tableWidth(render(cols)) <= width {
		return [][]int{cols}
	}
	var out [][]int
	block := []int{cols[0]}
	for _, c := range cols[1:] {
		if tableWidth(render(append(slices.Clone(block), c))) > width {
			out = append(out, block)
			block = nil
		}
		block = append(block, c)
	}
	return append(out, block)
}

// renderColumns is the table of the rows' names and their columns at idx,
// the first row its header, laid out in width (fitTable; 0: any).
func renderColumns(rows [][]string, idx []int, width int) string {
	table := make([][]string, len(rows))
	for r, row := range rows {
		table[r] = []string{row[0]}
		for _, i := range idx {
			table[r] = append(table[r], row[i])
		}
	}
	return fitTable(table[:1], table[1:], width)
}

// bandUSD is a P10 or P90 of a change: n/a where it has none.
func bandUSD(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return signedUSD(*v)
}

// betterCell is the BETTER IN cell: "87%", "40%, 20% equal", "equal" where
// every sample is, "-" for a line with no better way.
func betterCell(p pairedChange) string {
	switch {
	case p.Better == nil:
		return "-"
	case p.Equal == p.Samples:
		return "equal"
	}
	s := percentOf(*p.Better, p.Samples)
	if p.Equal > 0 {
		s += ", " + percentOf(p.Equal, p.Samples) + " equal"
	}
	return s
}

func equalIn(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", and equals it in %d", n)
}

// percentOf is k of n as a whole percentage that never rounds some to
// none or all: 199 of 200 is ">99%", not "100%".
func percentOf(k, n int) string {
	pct := float64(k) * 100 / float64(n)
	switch {
	case k > 0 && pct < 0.5:
		return "<1%"
	case k < n && pct >= 99.5:
		return ">99%"
	}
	return strconv.FormatFloat(pct, 'f', 0, 64) + "%"
}

// pairedCSVHead names the CSV's columns of a paired change.
var pairedCSVHead = []string{"paired_with", "paired_samples", "delta_p10_usd", "delta_p50_usd", "delta_p90_usd",
	"samples_better", "samples_worse", "samples_equal"}

// pairedCSV is a line's paired change for a CSV row: empty for the first
// variant and between forecasts, which share no samples; P10 and P90 empty
// with one sample, the counts for a line with no better way.
func pairedCSV(c forecastColumn, metric string) []string {
	p, ok := c.Paired[metric]
	if !ok {
		return make([]string, len(pairedCSVHead))
	}
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'g', -1, 64)
	}
	count := func(n *int) string {
		if n == nil {
			return ""
		}
		return strconv.Itoa(*n)
	}
	return []string{c.PairedWith, strconv.Itoa(p.Samples), num(p.P10), num(&p.P50), num(p.P90),
		count(p.Better), count(p.Worse), strconv.Itoa(p.Equal)}
}
