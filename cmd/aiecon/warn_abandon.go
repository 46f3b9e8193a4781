package main

import (
	"fmt"
	"math"
	"strings"

	"aiecon/model"
	"aiecon/model/kpi"
	"aiecon/study/forecast"
)

// sessionsAbandonedShare is the share of an agent workload's ended sessions
// abandoned above which run warns SESSIONS ABANDONED. SLO attainment counts
// the calls served within their targets, not the users who left before
// their answer: baseline's shopping assistant met its SLO on 100.0% of its
// calls while 34.6% of its sessions were abandoned. A tenth is where that
// gap outgrows the slack of the attainment targets fleets are sized to (90%
// to 99%: "SLO met 100%" beside a tenth of users gone reads better than a
// fleet that misses its 90% target), and it stays clear of what a seed
// moves a share over a short horizon (optimize's SESSIONS ABANDONED needs 5
// points between two fleets before it names one).
const sessionsAbandonedShare = 0.10

// sessionsAbandoned is the SESSIONS ABANDONED warning: each agent workload
// that abandoned more than sessionsAbandonedShare of its ended sessions,
// beside its SLO attainment, the revenue the run lost to latency, and the
// assumptions who abandons rests on, in the forecast's words (its
// ABANDONMENT DECIDES THE COMPARISON); "" where none did. API and batch
// workloads have no patience (docs/model.md, "Agents").
func (r runReport) sessionsAbandoned() string {
	var parts []string
	var agents []model.Workload
	for _, w := range r.l.Scenario.Workloads {
		share := r.kpi(kpi.SessionAbandonRate, w.Name)
		if w.Class != model.ClassAgent || !(share > sessionsAbandonedShare) {
			continue
		}
		abandoned := r.kpi(kpi.SessionsAbandoned, w.Name)
		part := fmt.Sprintf("%s abandons %s of its agent sessions (%s of %s ended)", w.Name, fmtPct(share),
			fmtCount(abandoned), fmtCount(abandoned+r.kpi(kpi.SessionsCompleted, w.Name)))
		if slo := r.kpi(kpi.SLOAttainment, w.Name); !math.IsNaN(slo) {
			part += " while its SLO is met on " + fmtPct(slo) + " of its calls"
		}
		parts, agents = append(parts, part), append(agents, w)
	}
	if len(parts) == 0 {
		return ""
	}
	lost := ""
	if l := r.count(kpi.RevenueLostToLatencyUSD); l > 0 {
		lost = ", and the run lost " + fmtUSD(l) + " of revenue to latency"
	}
	return "SESSIONS ABANDONED: " + strings.Join(parts, "; ") + ": SLO attainment counts the calls served within their targets, " +
		"not the users who gave up before an answer" + lost + ". " + forecast.AbandonmentNotMeasured + ": " +
		forecast.AbandonmentAssumptions(agents) + "; read the abandonment beside the SLO column before taking it as users served."
}
