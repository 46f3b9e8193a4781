package main

import (
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
// moves a share over a short horizon (optimize's FEWER SESSIONS ABANDONED needs 5
// points between two fleets before it names one).
const sessionsAbandonedShare = 0.10

// sessionsAbandonedSLOMet is the SLO attainment from which a workload's
// attainment reads as met, the low end of the targets fleets are sized to.
// Below it the SLO column shows the latency users leave over, and the run
// warns OVERLOADED or SATURATED where the fleet fell behind: SESSIONS
// ABANDONED would then say "while its SLO is met on 0.0% of its calls",
// beside a warning that explains the loss already.
const sessionsAbandonedSLOMet = 0.90

// abandonFigures are what SESSIONS ABANDONED reads of one agent workload:
// the share of its ended sessions abandoned, how many were abandoned and
// ended (NaN where only the share is known: optimize's means over
// replications) and its SLO attainment (NaN without an SLO).
type abandonFigures struct {
	share, abandoned, ended, slo float64
}

// sessionsAbandoned is run's SESSIONS ABANDONED warning
// (sessionsAbandonedWarning) for its workloads' KPIs.
func (r runReport) sessionsAbandoned() string {
	fig := func(w string) abandonFigures {
		abandoned := r.kpi(kpi.SessionsAbandoned, w)
		return abandonFigures{share: r.kpi(kpi.SessionAbandonRate, w), abandoned: abandoned,
			ended: abandoned + r.kpi(kpi.SessionsCompleted, w), slo: r.kpi(kpi.SLOAttainment, w)}
	}
	return sessionsAbandonedWarning(r.l.Scenario, fig, r.count(kpi.RevenueLostToLatencyUSD))
}

// sessionsAbandonedWarning is the SESSIONS ABANDONED warning: each agent
// workload of sc that abandoned more than sessionsAbandonedShare of its
// ended sessions while its SLO reads as met (sessionsAbandonedSLOMet, or
// it has none), beside its SLO attainment, the revenue lost to latency
// (lost, left out when not above 0), and the assumptions who abandons
// rests on, in the forecast's words (its ABANDONMENT DECIDES THE
// COMPARISON); "" where none did. API and batch workloads have no
// patience (docs/model.md, "Agents"). run and optimize (of its best
// fleet) both warn with it.
func sessionsAbandonedWarning(sc *model.Scenario, fig func(workload string) abandonFigures, lost float64) string {
	var parts []string
	var agents []model.Workload
	for _, w := range sc.Workloads {
		f := fig(w.Name)
		if w.Class != model.ClassAgent || !(f.share > sessionsAbandonedShare) || f.slo < sessionsAbandonedSLOMet {
			continue
		}
		part := w.Name + " abandons " + fmtPct(f.share) + " of its agent sessions"
		if f.ended > 0 {
			part += " (" + fmtCount(f.abandoned) + " of " + fmtCount(f.ended) + " ended)"
		}
		if !math.IsNaN(f.slo) {
			part += " while its SLO is met on " + fmtPct(f.slo) + " of its calls"
		}
		parts, agents = append(parts, part), append(agents, w)
	}
	if len(parts) == 0 {
		return ""
	}
	lostTo := ""
	if lost > 0 {
		lostTo = ", and the run lost " + fmtUSD(lost) + " of revenue to latency"
	}
	return "SESSIONS ABANDONED: " + strings.Join(parts, "; ") + ": SLO attainment counts the calls served within their targets, " +
		"not the users who gave up before an answer" + lostTo + ". " + forecast.AbandonmentNotMeasured + ": " +
		forecast.AbandonmentAssumptions(agents) + "; read the abandonment beside the SLO column before taking it as users served."
}
