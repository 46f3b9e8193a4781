package study

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Paired differences between a sweep's points. Replication r of every grid
// point runs on one seed (Plan.RunSeed: common random numbers), so the
// difference of two points' runs of one replication cancels the noise both
// see, and the t interval of those differences is far narrower than the
// two points' own intervals side by side (optimize's CLOSE MARGINS pairs
// its fleets' margins so, PairedCI).

// PairedCI is the mean of a[r] - b[r] over the indices r where both are
// defined, with its two-sided Student-t interval at level on those
// differences (n-1 degrees of freedom; no interval under two pairs).
func PairedCI(a, b []float64, level float64) Interval {
	var d []float64
	for r := range min(len(a), len(b)) {
		if x := a[r] - b[r]; !math.IsNaN(x) {
			d = append(d, x)
		}
	}
	return MeanCI(d, level)
}

// ExcludesZero says whether the interval lies wholly on one side of 0: the
// difference it measures is not noise at its level. An interval not
// defined (under two pairs) excludes nothing.
func (iv Interval) ExcludesZero() bool {
	return !math.IsNaN(iv.HalfWidth) && (iv.Low() > 0 || iv.High() < 0)
}

// Paired is every point's KPIs less one point's (Vs), paired by
// replication.
type Paired struct {
	Vs     Point
	Points []PairedPoint // the summary's points but Vs, in order
	// PerRun lists the KPIs the summary pools (a ratio of run totals, a
	// latency percentile over the runs' requests): their differences are
	// of each replication's own value (its own ratio, its own percentile),
	// for a pooled figure has no value per replication to pair. Their mean
	// difference need not equal the difference of the pooled figures.
	PerRun []string
}

// PairedPoint is one point's differences from Paired.Vs.
type PairedPoint struct {
	Point Point
	Pairs int        // replications both points completed
	KPIs  []Interval // per Summary.KPIs: this point's value less Vs's, by replication
}

// ErrNotPaired is wrapped by PairAgainst's refusals: points whose runs do
// not pair by replication, or no point to pair against.
var ErrNotPaired = errors.New("no paired differences")

// PairRefusal is why the summary of the plan's points in shard would
// refuse to pair them against point vs (nil: it would not refuse on what
// the plan tells): a Monte Carlo study, one replication, a point the sweep
// or shard does not have, or one point alone. The CLI asks it before a
// sweep runs, and PairEach gives the same refusal, in the same words, of a
// summary read back after: it said the same things otherwise.
func (p *Plan) PairRefusal(shard ShardSpec, vs int) error {
	var points []int
	for _, pt := range p.Points {
		if shard.Has(pt.Index) {
			points = append(points, pt.Index)
		}
	}
	return pairRefusal(p.Spec.Name, p.Spec.MonteCarlo != nil, p.Spec.Replications, shard, points, vs)
}

// pairRefusal is PairRefusal of sweep name's points in shard.
func pairRefusal(name string, monteCarlo bool, replications int, shard ShardSpec, points []int, vs int) error {
	where := "sweep " + name
	if shard.Count > 1 {
		where = shard.String() + " of " + where
	}
	switch {
	case monteCarlo:
		return fmt.Errorf("%w: sweep %s is a Monte Carlo study, whose samples run on seeds of their own, so its points do not pair by replication", ErrNotPaired, name)
	case replications < 2:
		return fmt.Errorf("%w: sweep %s has 1 replication per point, and one pair of runs gives no interval; run it with --replications 2 or more", ErrNotPaired, name)
	case !slices.Contains(points, vs):
		return fmt.Errorf("%w: %s has no point %d (%s)", ErrNotPaired, where, vs, pointRange(points))
	case len(points) < 2: // the paired table would be its header alone
		return fmt.Errorf("%w: %s holds point %d alone, so there is no other point to compare with it", ErrNotPaired, where, vs)
	}
	return nil
}

// PairAgainst sets s.Paired to every point's differences from point vs.
// It refuses a Monte Carlo study (a sample's replications run on seeds of
// their own), one replication (no interval), a point vs not summarised
// or without a complete run, and two points whose runs of one replication
// ran on different seeds, as the store records them: their differences
// would not cancel the noise the interval leaves out.
func (s *Summary) PairAgainst(vs int) error {
	p, notPaired, err := s.PairEach(vs)
	if err != nil {
		return err
	}
	for _, ps := range s.Points { // the first refusal in the points' order
		if err := notPaired[ps.Point.Index]; err != nil {
			return err
		}
	}
	s.Paired = p
	return nil
}

// PairEach is every point's differences from point vs, as PairAgainst
// pairs them, for a reader that shows what pairs (the dashboard): a point
// whose runs of one replication ran on other seeds than vs's is left out
// of the result and its refusal kept in notPaired, by point index, rather
// than refusing the whole. What refuses every point (a Monte Carlo study,
// one replication, vs not summarised or without a complete run) is err.
// It leaves s.Paired as it was.
func (s *Summary) PairEach(vs int) (p *Paired, notPaired map[int]error, err error) {
	points := make([]int, len(s.Points))
	base := -1
	for i, ps := range s.Points {
		points[i] = ps.Point.Index
		if ps.Point.Index == vs {
			base = i
		}
	}
	if err := pairRefusal(s.Name, s.MonteCarlo != nil, s.Replications, s.shard, points, vs); err != nil {
		return nil, nil, err
	}
	if s.Points[base].Runs == 0 {
		return nil, nil, fmt.Errorf("%w: point %d has no complete run to pair with", ErrNotPaired, vs)
	}
	pooled := make([]bool, len(s.KPIs))
	for k := range s.KPIs {
		pooled[k] = s.pooled(k)
	}
	p = &Paired{Vs: s.Points[base].Point, PerRun: s.kpisWhere(pooled)}
	notPaired = map[int]error{}
	for _, ps := range s.Points {
		if ps.Point.Index == vs {
			continue
		}
		pp, err := s.pairPoints(ps, s.Points[base])
		if err != nil {
			notPaired[ps.Point.Index] = err
			continue
		}
		p.Points = append(p.Points, pp)
	}
	return p, notPaired, nil
}

// pairPoints is a's KPIs less b's by replication, after checking that
// each replication both completed ran on one seed.
func (s *Summary) pairPoints(a, b PointStats) (PairedPoint, error) {
	pp := PairedPoint{Point: a.Point, KPIs: make([]Interval, len(s.KPIs))}
	xa, xb := make([][]float64, len(s.KPIs)), make([][]float64, len(s.KPIs))
	for r := range min(len(a.Values), len(b.Values)) {
		if a.Values[r] == nil || b.Values[r] == nil {
			continue
		}
		sa, sb := s.seeds[[2]int{a.Point.Index, r}], s.seeds[[2]int{b.Point.Index, r}]
		if sa != sb {
			return pp, fmt.Errorf("%w: replication %d of point %d ran on seed %d and of point %d on seed %d; runs of different seeds do not pair",
				ErrNotPaired, r, a.Point.Index, sa, b.Point.Index, sb)
		}
		pp.Pairs++
		for k := range s.KPIs {
			xa[k], xb[k] = append(xa[k], a.Values[r][k]), append(xb[k], b.Values[r][k])
		}
	}
	for k := range s.KPIs {
		pp.KPIs[k] = PairedCI(xa[k], xb[k], ConfidenceLevel)
	}
	return pp, nil
}

// pointRange names points (indexes, ascending), for an error.
func pointRange(points []int) string {
	switch len(points) {
	case 0:
		return "it has none"
	case 1:
		return fmt.Sprintf("it has point %d alone", points[0])
	}
	return fmt.Sprintf("it has %d points, from %d to %d", len(points), points[0], points[len(points)-1])
}

// WritePaired prints s.Paired, if set, as a table under the summary's: a
// line saying what it is, a line naming the KPIs paired per replication,
// then one row per point, each difference "mean ± half-width", marked *
// where its interval excludes 0. The two caption lines go through prose,
// as WriteTableProse's notes do (aiecon sweep wraps them to the terminal;
// nil writes each as one line), so that they wrap as the notes around them
// do rather than run on for some 270 characters.
func (s *Summary) WritePaired(w io.Writer, prose func(w io.Writer, paragraph string) error) error {
	p := s.Paired
	if p == nil {
		return nil
	}
	if prose == nil {
		prose = func(w io.Writer, p string) error {
			_, err := fmt.Fprintln(w, p)
			return err
		}
	}
	caption := []string{fmt.Sprintf("PAIRED DIFFERENCES from point %d (%s): each point's value less point %d's, replication by replication (replication r of both ran on one seed); "+
		"mean ± %.0f%% half-width (Student t on the differences, n-1 df); * the interval excludes 0",
		p.Vs.Index, p.Vs.Describe(), p.Vs.Index, 100*ConfidenceLevel)}
	if len(p.PerRun) > 0 {
		caption = append(caption, fmt.Sprintf("%s: the differences of each replication's own value (its own ratio or percentile), not of the pooled figures above", strings.Join(p.PerRun, ", ")))
	}
	for _, c := range caption {
		if err := prose(w, c); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)
	var rows [][]Param
	for _, pp := range p.Points {
		rows = append(rows, pp.Point.Params)
	}
	keep := shownParams(rows)
	var buf strings.Builder
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	head := append([]string{"POINT"}, paramCells(firstRow(rows), keep, func(p Param) string { return p.Path })...)
	head = append(head, "PAIRS")
	for i, k := range s.KPIs {
		head = append(head, "Δ "+kpiHeader(k, s.Units[i]))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, pp := range p.Points {
		cells := append([]string{strconv.Itoa(pp.Point.Index)}, paramCells(pp.Point.Params, keep, paramValue)...)
		cells = append(cells, strconv.Itoa(pp.Pairs))
		for _, iv := range pp.KPIs {
			cells = append(cells, cellDifference(iv))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for line := range strings.Lines(buf.String()) {
		if _, err := io.WriteString(w, strings.TrimRight(line, " \n")+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// cellDifference is a paired difference "mean ± half-width", with " *"
// where its interval excludes 0.
func cellDifference(iv Interval) string {
	c := cellInterval(iv)
	if iv.ExcludesZero() {
		c += " *"
	}
	return c
}

// pairedCSVHead are the CSV's columns of s.Paired, after horizon_s: the
// point compared with, then per KPI the mean difference, its interval's
// ends, its pairs and whether it excludes 0.
func (s *Summary) pairedCSVHead() []string {
	if s.Paired == nil {
		return nil
	}
	head := []string{"diff_vs_point"}
	for _, k := range s.KPIs {
		n := k.String() + "_diff"
		head = append(head, n, n+"_ci95_low", n+"_ci95_high", n+"_n", n+"_excludes_zero")
	}
	return head
}

// pairedCSVCells are point pt's cells of the columns pairedCSVHead names,
// empty but the first on the point compared with.
func (s *Summary) pairedCSVCells(pt int, num func(float64) string) []string {
	if s.Paired == nil {
		return nil
	}
	cells := []string{strconv.Itoa(s.Paired.Vs.Index)}
	for _, pp := range s.Paired.Points {
		if pp.Point.Index != pt {
			continue
		}
		for _, iv := range pp.KPIs {
			cells = append(cells, num(iv.Mean), num(iv.Low()), num(iv.High()), strconv.Itoa(iv.N), strconv.FormatBool(iv.ExcludesZero()))
		}
		return cells
	}
	return append(cells, make([]string, 5*len(s.KPIs))...)
}

// pairedJSON is s.Paired for JSONView.
func (s *Summary) pairedJSON(num func(float64) any) map[string]any {
	p := s.Paired
	perRun := p.PerRun
	if perRun == nil {
		perRun = []string{}
	}
	var points []any
	for _, pp := range p.Points {
		kpis := map[string]any{}
		for i, iv := range pp.KPIs {
			kpis[s.KPIs[i].String()] = map[string]any{"n": iv.N, "mean": num(iv.Mean), "sd": num(iv.SD),
				"ci_low": num(iv.Low()), "ci_high": num(iv.High()), "excludes_zero": iv.ExcludesZero()}
		}
		points = append(points, map[string]any{"point": pp.Point.Index, "params": rawJSON(pp.Point.ParamsJSON()), "pairs": pp.Pairs, "kpis": kpis})
	}
	return map[string]any{"vs_point": p.Vs.Index, "confidence_level": ConfidenceLevel, "per_replication_values": perRun, "points": points}
}
