package forecast

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"aiecon/model"
	"aiecon/model/econ"
)

// Growth is a workload's compound demand growth as the file states it: a
// rate and the span it is a rate over. growth: 0.12/quarter is +12% a
// quarter whatever periods.length is: over months it compounds as
// 1.12^(1/3) a month, 3.85%, so that switching a plan from quarters to
// months keeps its demand. A bare number (growth: 0.12), the only form
// before, is a rate per period, of whatever length the plan's periods are,
// and keeps that meaning; but it then compounded per month after a switch
// from quarters, +40% a quarter instead of +12%, without a word, so the
// report names its unit as the plan's period and says how to state one.
type Growth struct {
	Rate float64 // 0.12 = +12% over Per
	// Per is the span of Rate: month, quarter or year; "" for a bare
	// number, a rate per period.
	Per string
}

// growthUnits are the spans a growth can be stated over, in hours of the
// 8,760-hour year the periods use (a month is 730 h, a quarter 2,190 h).
var growthUnits = map[string]float64{
	"month":   econ.HoursPerYear / 12,
	"quarter": econ.HoursPerYear / 4,
	"year":    econ.HoursPerYear,
}

// UnmarshalYAML reads 0.12 (per period), 0.12/quarter, 12%/quarter,
// 0.04/month or 0.6/year.
func (g *Growth) UnmarshalYAML(node ast.Node) error {
	switch node.(type) {
	case *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode:
		return growthErr(node, "want a growth rate such as 0.12/quarter (or 0.12, per period), got a %s", node.Type())
	}
	text := strings.TrimSpace(node.String())
	switch n := node.(type) {
	case *ast.StringNode:
		text = strings.TrimSpace(n.Value)
	case *ast.NanNode: // .nan, refused by the range check at its line
		*g = Growth{Rate: math.NaN()}
		return nil
	case *ast.InfinityNode:
		*g = Growth{Rate: n.Value}
		return nil
	}
	parsed, err := ParseGrowth(text)
	if err != nil {
		return growthErr(node, "%v", err)
	}
	*g = parsed
	return nil
}

// MarshalYAML writes the growth as the file states it.
func (g Growth) MarshalYAML() ([]byte, error) { return []byte(g.String()), nil }

func growthErr(n ast.Node, format string, args ...any) error {
	p := n.GetToken().Position
	return &model.PositionedError{Line: p.Line, Column: p.Column, Msg: fmt.Sprintf(format, args...)}
}

// ParseGrowth reads a growth's text: a number, per period, or a number or
// percentage over a month, a quarter or a year.
func ParseGrowth(text string) (Growth, error) {
	num, per, hasUnit := strings.Cut(strings.TrimSpace(text), "/")
	num, per = strings.TrimSpace(num), strings.TrimSpace(per)
	scale := 1.0
	if p, ok := strings.CutSuffix(num, "%"); ok && hasUnit {
		num, scale = strings.TrimSpace(p), 0.01
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return Growth{}, fmt.Errorf("growth %q: want a rate and its span, such as 0.12/quarter, 12%%/quarter, 0.04/month or 0.6/year "+
			"(a bare number, 0.12, is a rate per period)", text)
	}
	if !hasUnit {
		return Growth{Rate: v}, nil
	}
	if _, ok := growthUnits[per]; !ok {
		return Growth{}, fmt.Errorf("growth %q: unknown span %q (want month, quarter or year)", text, per)
	}
	return Growth{Rate: v * scale, Per: per}, nil
}

// String is the growth as the file writes it.
func (g Growth) String() string {
	s := strconv.FormatFloat(g.Rate, 'g', -1, 64)
	if g.Per == "" {
		return s
	}
	return s + "/" + g.Per
}

// Stated says whether the growth names its span.
func (g Growth) Stated() bool { return g.Per != "" }

// PerPeriod is the growth a period of periodHours compounds, with the
// stated rate multiplied by draw (the Monte Carlo growth draw, 1 when
// nominal): (1 + rate x draw)^(period / span) - 1. A bare number is per
// period already.
func (g Growth) PerPeriod(draw, periodHours float64) float64 {
	r := g.Rate * draw
	if g.Per == "" {
		return r
	}
	exp := periodHours / growthUnits[g.Per]
	if exp == 1 {
		return r // exact: 0.12/quarter over quarters is 0.12
	}
	return math.Pow(1+r, exp) - 1
}

// outOfRange says what is wrong with the growth g under a draw ("" where
// nothing is): the rate as stated, and the rate per period it compounds
// to, must each be more than -1 and at most maxGrowth.
func (g Growth) outOfRange(draw, periodHours float64, periodLen string) string {
	if r := g.Rate * draw; math.IsNaN(r) || r <= -1 || r > maxGrowth {
		if g.Per == "" { // as a bare number's was refused before units
			what := g.scaled(draw)
			if draw != 1 {
				what = "growth " + what
			}
			return fmt.Sprintf("%s: growth per period must be more than -1 and at most %g", what, float64(maxGrowth))
		}
		return fmt.Sprintf("growth %s must be more than -1 and at most %g", g.scaled(draw), float64(maxGrowth))
	}
	if p := g.PerPeriod(draw, periodHours); math.IsNaN(p) || p <= -1 || p > maxGrowth {
		return fmt.Sprintf("growth %s compounds to %.4g a %s, which must be more than -1 and at most %g", g.scaled(draw), p, periodLen,
			float64(maxGrowth))
	}
	return ""
}

// scaled writes the growth under a draw, "0.12/quarter x 1.5 = 0.18".
func (g Growth) scaled(draw float64) string {
	if draw == 1 {
		return g.String()
	}
	return fmt.Sprintf("%s x %g = %g", g, draw, g.Rate*draw)
}

// GrowthLine is how a workload's demand grows, in the report: as the file
// states it and per period.
type GrowthLine struct {
	Workload string `json:"workload"`
	// Growth is the file's text (0.12/quarter, or 0.12 for a bare number);
	// Rate over Per, which is month, quarter, year or "period" where the
	// file names no span (UnitGiven false: the plan's period length).
	Growth    string  `json:"growth"`
	Rate      float64 `json:"rate"`
	Per       string  `json:"per"`
	UnitGiven bool    `json:"unit_given"`
	// PerPeriod is the nominal growth a period compounds, in the report's
	// period_length.
	PerPeriod float64 `json:"per_period"`
}

// growthLines are the workloads the plan grows at a rate (not by a
// curve), by name.
func (f *Forecast) growthLines() []GrowthLine {
	var out []GrowthLine
	for _, name := range slices.Sorted(maps.Keys(f.Spec.Workloads)) {
		p := f.Spec.Workloads[name]
		if len(p.Curve) > 0 || p.Growth.Rate == 0 {
			continue
		}
		per := p.Growth.Per
		if per == "" {
			per = "period"
		}
		out = append(out, GrowthLine{Workload: name, Growth: p.Growth.String(), Rate: p.Growth.Rate, Per: per,
			UnitGiven: p.Growth.Stated(), PerPeriod: p.Growth.PerPeriod(1, f.PeriodHours)})
	}
	return out
}

// growthNote says how each workload's demand grows, with its unit, and
// how a growth the file gives without one is read: a bare number is a rate
// per period, which a change of periods.length changes.
func (r *Report) growthNote() string {
	parts, bare := r.growthParts()
	if len(parts) == 0 {
		return ""
	}
	note := "GROWTH (compound, before price response and Monte Carlo draws): " + strings.Join(parts, "; ")
	if len(bare) > 0 {
		note += fmt.Sprintf(". A growth without a unit compounds every period, whatever its length (a %s's here, a month's over "+
			"months): write %s to keep its meaning if periods.length changes", r.PeriodLen, strings.Join(bare, ", "))
	}
	return note
}

// growthParts words each workload's growth as the GROWTH line states it
// (chat +12% a quarter (0.12/quarter)), and gives the unit that keeps each
// growth written without one (0.1/quarter); the dashboard shows the same
// words (StoredGrowth).
func (r *Report) growthParts() (parts, bare []string) {
	for _, g := range r.Growth {
		switch {
		case !g.UnitGiven:
			parts = append(parts, fmt.Sprintf("%s %s a %s (%s, no unit given: a rate per period)", g.Workload, growthPct(g.PerPeriod), r.PeriodLen, g.Growth))
			bare = append(bare, fmt.Sprintf("%s/%s", g.Growth, r.PeriodLen))
		case g.Per == r.PeriodLen:
			parts = append(parts, fmt.Sprintf("%s %s a %s (%s)", g.Workload, growthPct(g.Rate), g.Per, g.Growth))
		default:
			parts = append(parts, fmt.Sprintf("%s %s a %s (%s), %s a %s", g.Workload, growthPct(g.Rate), g.Per, g.Growth, growthPct(g.PerPeriod), r.PeriodLen))
		}
	}
	return parts, bare
}

// StoredGrowth is the growth a stored forecast's report states for each
// workload, worded as aiecon forecast's GROWTH line words it
// (growthParts), joined by "; ": "" for a report stored before growth was
// reported, or one that cannot be read, or a plan that grows nothing at a
// rate. The dashboard's forecast screen shows it.
func StoredGrowth(reportJSON string) string {
	var r Report
	if reportJSON == "" || json.Unmarshal([]byte(reportJSON), &r) != nil {
		return ""
	}
	parts, _ := r.growthParts()
	return strings.Join(parts, "; ")
}

// growthPct writes a growth rate as a signed percentage, +12%, -3.5%.
func growthPct(r float64) string {
	return fmt.Sprintf("%+.3g%%", r*100)
}
