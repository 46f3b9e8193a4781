package forecast

import (
	"aiecon/model"
	kpicat "aiecon/model/kpi"
	"aiecon/sim"
)

// The revenue lines a session earns on, in Period's order: tokens, agent
// fees, commerce, ads.
const (
	lineTokens = iota
	lineFees
	lineCommerce
	lineAds
	numLines
)

// sessionEdge is what one agent workload's session records say of a
// slice's end: what the sessions that ended (completed or abandoned)
// earned, by line, and paid in licensing for the steps they did, and what
// the sessions still running at the horizon had billed and had left to do.
type sessionEdge struct {
	endedLines        [numLines]float64
	endedLicensing    float64
	endedPlanned      float64 // steps the ended sessions had planned
	unfinishedBilled  float64 // tokens and ads the unfinished sessions billed (in revenue already)
	unfinishedLeft    float64 // steps the unfinished sessions had planned and not done
	unfinishedCounted int
}

// add takes in one session record.
func (e *sessionEdge) add(r sim.SessionRecord) {
	if r.Status == sim.SessionUnfinished {
		e.unfinishedBilled += r.TokenUSD + r.AdUSD
		e.unfinishedLeft += float64(max(0, r.StepsPlanned-r.StepsDone))
		e.unfinishedCounted++
		return
	}
	e.endedLines[lineTokens] += r.TokenUSD
	e.endedLines[lineFees] += r.FeeUSD
	e.endedLines[lineCommerce] += r.CommerceUSD
	e.endedLines[lineAds] += r.AdUSD
	e.endedLicensing += r.LicensingUSD
	e.endedPlanned += float64(r.StepsPlanned)
}

// Unfinished is a slice's estimate for its agent sessions still running at
// the horizon. A slice starts empty, so in a steady state the sessions in
// flight at its end stand for those that would have been in flight at its
// start and ended inside it: cutting them off is an edge effect of the
// method, not a loss of the fleet. Each is counted at the share of its
// value that its workload's ended sessions of the slice earned
// (unfinishedEstimate); all zero without agent sessions left running.
type Unfinished struct {
	// Lines is the revenue counted for them, by line (tokens, fees,
	// commerce, ads), added to the period's revenue.
	Lines [numLines]float64 `json:"lines"`
	// ValueUSD is what they could still earn served at once (their
	// workloads' revenue_unfinished_usd): the most they could add.
	ValueUSD float64 `json:"value_usd"`
	// Licensing is the per-use licensing of the steps they had left, by
	// workload, added to the period's licensing.
	Licensing map[string]float64 `json:"licensing,omitempty"`
}

// RevenueUSD is the revenue counted for the unfinished sessions.
func (u Unfinished) RevenueUSD() float64 {
	var sum float64
	for _, v := range u.Lines {
		sum += v
	}
	return sum
}

// unfinishedEstimate counts each agent workload's unfinished sessions of
// one run. Their value still to earn, U (revenue_unfinished_usd at the
// workload's scope: its ceiling less what they billed), is counted at the
// share of their ceiling the ended sessions earned, line by line: R_line /
// C_E, C_E the ended sessions' ceiling, the workload's revenue_ceiling_usd
// less U and less what the unfinished billed. (A cached input price leaves
// the unfinished sessions' cached discount in C_E, which lowers the share a
// little.) The steps they had left are licensed at the ended sessions'
// licensing per step planned: those sessions did some of their steps and
// abandoned the rest, as the unfinished may. Sessions whose users abandon more
// when slow are more often still in flight at the end, so the share leans
// high for a fleet whose users give up; it is at most 1, and ValueUSD is
// the bound.
func unfinishedEstimate(sc *model.Scenario, kpis []sim.KPI, edges map[string]*sessionEdge) Unfinished {
	ceiling, value := map[string]float64{}, map[string]float64{}
	for _, k := range kpis {
		switch k.Name {
		case kpicat.RevenueCeilingUSD:
			ceiling[k.Scope] = nanZero(k.Value)
		case kpicat.RevenueUnfinishedUSD:
			value[k.Scope] = nanZero(k.Value)
		}
	}
	var u Unfinished
	for _, w := range sc.Workloads {
		e := edges[w.Name]
		if w.Class != model.ClassAgent || e == nil || e.unfinishedCounted == 0 {
			continue
		}
		u.ValueUSD += value[w.Name]
		u.addWorkload(w.Name, e, value[w.Name], ceiling[w.Name]-value[w.Name]-e.unfinishedBilled)
	}
	return u
}

// addWorkload counts one workload's unfinished sessions, worth left still
// to earn, against its ended sessions' ceiling endedCeiling.
func (u *Unfinished) addWorkload(name string, e *sessionEdge, left, endedCeiling float64) {
	if left > 0 && endedCeiling > 0 {
		var earned float64
		for _, v := range e.endedLines {
			earned += v
		}
		share := 1 / endedCeiling
		if earned > endedCeiling { // a share above 1 would count more than served at once
			share = 1 / earned
		}
		for i, v := range e.endedLines {
			u.Lines[i] += left * v * share
		}
	}
	if usd := e.unfinishedLeft * e.endedLicensing / e.endedPlanned; e.endedPlanned > 0 && usd > 0 {
		if u.Licensing == nil {
			u.Licensing = map[string]float64{}
		}
		u.Licensing[name] += usd
	}
}
