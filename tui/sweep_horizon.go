package tui

import (
	"slices"
	"strings"
)

// horizonLabel says what simulated time the sweep's totals cover, as
// aiecon sweep's summary does ("each run simulated 5m: totals such as
// revenue_usd, margin_usd … are over that horizon"): MARGIN, REVENUE, their
// heatmaps and paired Δ are totals, and a 5m sweep's $37.64 beside a 2h
// sweep's $941.92 read as the better fleet with nothing on screen saying
// 5m or 2h. "totals over each run's 5m"; "5m or 2h" where points differ
// (a sweep over the horizon); "+ drain" where runs drained past it.
// "" when no counted run has a horizon.
func (s *sweepScreen) horizonLabel() string {
	var hs []float64
	drained := false
	for _, p := range s.points {
		for _, r := range p.counted {
			if undefined(r.HorizonS) {
				continue
			}
			if !slices.Contains(hs, r.HorizonS) {
				hs = append(hs, r.HorizonS)
			}
			drained = drained || r.Drained()
		}
	}
	if len(hs) == 0 {
		return ""
	}
	slices.Sort(hs)
	var texts []string
	for _, h := range hs {
		texts = append(texts, fmtHorizon(h))
	}
	label := "totals over each run's " + strings.Join(texts, " or ")
	if drained {
		label += " + drain"
	}
	return label
}
