package caveat

import (
	"math"
	"strings"

	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/kpi"
	"aiecon/sim"
	"aiecon/study/forecast"
)

// SessionsAbandonedShare is the share of an agent workload's ended sessions
// abandoned above which run warns SESSIONS ABANDONED. SLO attainment counts
// the calls served within their targets, not the users who left before
// their answer: baseline's shopping assistant met its SLO on 100.0% of its
// calls while 34.6% of its sessions were abandoned. A tenth is where that
// gap outgrows the slack of the attainment targets fleets are sized to (90%
// to 99%: "SLO met 100%" beside a tenth of users gone reads better than a
// fleet that misses its 90% target), and it stays clear of what a seed
// moves a share over a short horizon (optimize's FEWER SESSIONS ABANDONED needs 5
// points between two fleets before it names one).
const SessionsAbandonedShare = 0.10

// SessionsAbandonedSLOMet is the SLO attainment from which a workload's
// attainment reads as met, the low end of the targets fleets are sized to.
// Below it the SLO column shows the latency users leave over, and the run
// warns OVERLOADED or SATURATED where the fleet fell behind: SESSIONS
// ABANDONED would then say "while its SLO is met on 0.0% of its calls",
// beside a warning that explains the loss already.
const SessionsAbandonedSLOMet = 0.90

// AbandonFigures are what SESSIONS ABANDONED reads of one agent workload:
// the share of its ended sessions abandoned, how many were abandoned and
// ended (NaN where only the share is known: optimize's means over
// replications), how many of the abandoned the fleet failed (a call
// dropped or timed out: sessions_failed, NaN where unknown, as on a run
// stored before the KPI) and its SLO attainment (NaN without an SLO).
type AbandonFigures struct {
	Share, Abandoned, Ended, Failed, SLO float64
}

// RunAbandonFigures reads AbandonFigures of each workload from one run's
// KPIs (every scope), a KPI absent reading NaN, as run's report reads them.
func RunAbandonFigures(kpis []sim.KPI) func(workload string) AbandonFigures {
	get := kpiOrNaN(kpis)
	return func(w string) AbandonFigures {
		abandoned := get(kpi.SessionsAbandoned, w)
		return AbandonFigures{Share: get(kpi.SessionAbandonRate, w), Abandoned: abandoned,
			Ended: abandoned + get(kpi.SessionsCompleted, w), Failed: get(kpi.SessionsFailed, w), SLO: get(kpi.SLOAttainment, w)}
	}
}

// abandoning are the agent workloads of sc that SESSIONS ABANDONED names:
// more than SessionsAbandonedShare of their ended sessions abandoned while
// their SLO reads as met (SessionsAbandonedSLOMet, or they have none).
func abandoning(sc *model.Scenario, fig func(workload string) AbandonFigures) []model.Workload {
	var out []model.Workload
	for _, w := range sc.Workloads {
		f := fig(w.Name)
		if w.Class == model.ClassAgent && f.Share > SessionsAbandonedShare && !(f.SLO < SessionsAbandonedSLOMet) {
			out = append(out, w)
		}
	}
	return out
}

// SessionsAbandoned is the SESSIONS ABANDONED warning: each agent workload
// of sc that abandoned more than SessionsAbandonedShare of its ended
// sessions while its SLO reads as met (SessionsAbandonedSLOMet, or it has
// none), beside its SLO attainment, the revenue lost to latency (lost,
// left out when not above 0), and the assumptions who abandons rests on,
// in the forecast's words (its ABANDONMENT DECIDES THE COMPARISON); ""
// where none did. API and batch workloads have no patience (docs/model.md,
// "Agents"). run, optimize (of its best fleet) and sweep (of its runs) warn
// with it.
func SessionsAbandoned(sc *model.Scenario, fig func(workload string) AbandonFigures, lost float64) string {
	return sessionsAbandoned(sc, fig, lost, "")
}

// sessionsAbandoned is SessionsAbandoned with lead said before the
// workloads (which runs of a sweep the figures are of).
func sessionsAbandoned(sc *model.Scenario, fig func(workload string) AbandonFigures, lost float64, lead string) string {
	agents := abandoning(sc, fig)
	if len(agents) == 0 {
		return ""
	}
	parts := make([]string, len(agents))
	failed := false
	for i, w := range agents {
		f := fig(w.Name)
		part := w.Name + " abandons " + format.Pct(f.Share) + " of its agent sessions"
		if f.Ended > 0 {
			part += " (" + format.Count(f.Abandoned) + " of " + format.Count(f.Ended) + " ended"
			if f.Failed > 0 { // NaN where unknown: said as before the split
				failed = true
				part += ", " + format.Count(f.Failed) + " of the " + format.Count(f.Abandoned) + " failed by the fleet: a call dropped or timed out"
			}
			part += ")"
		}
		if !math.IsNaN(f.SLO) {
			part += " while its SLO is met on " + format.Pct(f.SLO) + " of its calls"
		}
		parts[i] = part
	}
	lostTo := ""
	if lost > 0 {
		lostTo = ", and the run lost " + format.USD(lost) + " of revenue to latency"
	}
	return "SESSIONS ABANDONED: " + lead + strings.Join(parts, "; ") + ": " + attainmentMisses(failed) + lostTo + ". " +
		whoAbandons(failed) + ": " + forecast.AbandonmentAssumptions(agents) +
		"; read the abandonment beside the SLO column before taking it as users served."
}

// whoAbandons says what the abandonment rests on. The users' patience and
// the tool calls' lengths are aiecon's assumptions, not measurements
// (forecast.AbandonmentNotMeasured); but a session the fleet failed (failed:
// some were) ended because a call found the queue at queue_limit or waited
// past queue_timeout, which the fleet's settings and size decide, not those
// assumptions, so "who abandons" would be false of it. Without any failed
// the words stay those the forecast's note and docs quote.
func whoAbandons(failed bool) string {
	if failed {
		return "Who gives up (the abandoned less those the fleet failed) rests on aiecon's assumptions, not measurements " +
			"(docs/model.md, \"Agents\"), while the sessions the fleet failed rest on its queue_limit, queue_timeout and size"
	}
	return forecast.AbandonmentNotMeasured
}

// attainmentMisses says what SLO attainment leaves out of the sessions
// SESSIONS ABANDONED counts. Where the fleet failed some of them (failed),
// "the users who gave up" would be false of those: their users were left
// without an answer by a call dropped or timed out, which attainment
// counts as one call missed (docs/model.md, "SLO attainment"), not as the
// session lost. Otherwise the words stay those of runs before the split,
// which docs quote.
func attainmentMisses(failed bool) string {
	if failed {
		return "SLO attainment counts the calls served within their targets (a call the fleet dropped or timed out as one missed), " +
			"not the sessions left without an answer, whether their users gave up or the fleet failed them"
	}
	return "SLO attainment counts the calls served within their targets, not the users who gave up before an answer"
}
