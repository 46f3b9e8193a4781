package main

import (
	"fmt"
	"io"
	"math"
	"strings"

	"aiecon/model/kpi"
	"aiecon/sim"
)

// printTraining is the training lines of ECONOMICS: the retrain's cost on
// the dedicated cluster, with the price and pricing it was billed at, and, when the fleet lends replicas to it, the gang
// that holds the job, how far it got and what stopping cost it.
func (r runReport) printTraining(tw io.Writer) {
	c := r.kpi(kpi.TrainingCostPerRetrainUSD, "")
	if math.IsNaN(c) {
		return
	}
	hours := r.kpi(kpi.TrainingRetrainHours, "")
	line := fmt.Sprintf("  training\t%s per retrain (%s h on the dedicated cluster", fmtUSD(c), fmtNum(hours, 1))
	if note := sim.TrainingPriceNote(r.l.Scenario.Training, c, hours); note != "" {
		line += ", " + note
	}
	line += ")"
	line += r.trainingCoverage()
	fmt.Fprintln(tw, line)
	gang := r.kpi(kpi.TrainingGangReplicas, "")
	if math.IsNaN(gang) {
		return
	}
	if m, err := r.l.Scenario.TrainingMemory(); err == nil {
		fmt.Fprintf(tw, "  training state\t%s, plus %.1f GB of activations per member: a gang of %s replicas\n",
			m.Arithmetic(), m.ActivationsPer/1e9, fmtCount(gang))
	}
	done := fmt.Sprintf("%s of the retrain done at the end of the run", fmtPct(r.kpi(kpi.TrainingProgress, "")))
	if h := r.kpi(kpi.TrainingAchievedHours, ""); !math.IsNaN(h) {
		done = fmt.Sprintf("retrain finished in %s h", fmtNum(h, 1))
	}
	fmt.Fprintf(tw, "  training on lent replicas\t%s; %s starts, %s checkpoints, %s h lost to checkpoints, restarts and redone work\n",
		done, fmtCount(r.kpi(kpi.TrainingStarts, "")), fmtCount(r.kpi(kpi.TrainingCheckpoints, "")), fmtNum(r.kpi(kpi.TrainingTimeLostHours, ""), 1))
	r.printLendingCost(tw)
}

// printLendingCost says what lending took from serving, which the $0 of
// training on lent replicas does not: the replica time lent, and the
// waiting of requests while replicas were lent. Its price in latency and
// abandoned sessions is in the run's other lines; the same run with
// training.where: dedicated prices it.
func (r runReport) printLendingCost(tw io.Writer) {
	lentH, waitH := r.kpi(kpi.TrainingReplicaHours, ""), r.kpi(kpi.TrainingLentWaitHours, "")
	simH := float64(r.res.SimNs) / 3600e9
	if math.IsNaN(lentH) || math.IsNaN(waitH) || simH <= 0 {
		return
	}
	allWaitH := r.kpi(kpi.QueueDepthAvg, "") * simH
	share := ""
	if allWaitH > 0 {
		share = fmt.Sprintf(" (%s of all waiting)", fmtPct(waitH/allWaitH))
	}
	fmt.Fprintf(tw, "  lending's cost\t%s replica-h lent (%s fewer replicas serving on average); requests waited %s request-h while replicas were lent%s; its price in latency and abandoned sessions: compare --set training.where=dedicated\n",
		fmtNum(lentH, 1), fmtNum(lentH/simH, 2), fmtNum(waitH, 2), share)
}

// trainingCoverage is how much of the work the run owes the lent replicas
// did. Without training.quota the run owes its pro-rata share of the
// retrain; with one it owes that many shares (none at 0), and the coverage
// KPI is of what it owes, so a quota is named rather than passed off as
// the pro-rata share.
func (r runReport) trainingCoverage() string {
	cov := r.kpi(kpi.TrainingIdleCoverage, "")
	if math.IsNaN(cov) {
		return ""
	}
	owes := "this run's pro-rata share"
	if t := r.l.Scenario.Training; t != nil && t.Quota != nil {
		q := *t.Quota
		if q <= 0 {
			return "; this run owes nothing (quota 0): nothing lent"
		}
		shares := "shares"
		if q == 1 {
			shares = "share"
		}
		owes = fmt.Sprintf("the work this run owes (quota %g: %g pro-rata %s)", q, q, shares)
	}
	if cov >= 1 {
		if owes == "this run's pro-rata share" {
			return "; lent replicas did this run's pro-rata share of it"
		}
		return "; lent replicas did all of " + owes
	}
	return fmt.Sprintf("; lent replicas did %s of %s, the dedicated cluster is billed for the rest", fmtPct(cov), owes) + r.lendingHeld()
}

// lendingHeld says why lent replicas did less than the run owed, in
// proportion, from the run's KPIs: the time the job lost to checkpoint
// loads and writes, warm-ups and redone work (training_time_lost_hours),
// and the lender's decisions that lent nothing while a replica was
// lendable, by what held them back (servingHeld), each decision a
// training.interval of the job's time. The larger comes first, "mostly"
// where it is at least twice the other: it named serving alone, so a run
// whose shortfall was a 1 TB checkpoint's loads blamed serving for one
// held decision. "" for a run stored before these were counted, or when
// neither happened (the replicas lent were too few or too late, or the
// gang too small).
func (r runReport) lendingHeld() string {
	held, heldH := r.servingHeld()
	lost, lostH := "", r.kpi(kpi.TrainingTimeLostHours, "")
	if lostH > 0 {
		lost = fmt.Sprintf("%s h of the job's time lost to checkpoint loads and writes, warm-ups and redone work", fmtNum(lostH, 2))
	} else {
		lostH = 0 // NaN: a run stored before it was counted
	}
	switch {
	case held == "" && lost == "":
		return ""
	case held == "":
		return ": " + lost
	case lost == "":
		return ": " + held
	}
	first, second := lost, held
	if heldH > lostH {
		first, second = held, lost
	}
	if max(heldH, lostH) >= 2*min(heldH, lostH) {
		return ": mostly " + first + "; also " + second
	}
	return ": " + first + "; and " + second
}

// servingHeld names the lender's decisions that serving held back (the
// training_held_* KPIs) and the hours of the job's time they stand for;
// "" and 0 where none.
func (r runReport) servingHeld() (string, float64) {
	t := r.l.Scenario.Training
	if t == nil {
		return "", 0
	}
	var parts []string
	var all float64
	for _, h := range []struct {
		name, why string
	}{
		{kpi.TrainingHeldDemand, fmt.Sprintf("demand at or above training.lend_below %g, or above it once a lent replica's load is spread over the others", t.LendBelow)},
		{kpi.TrainingHeldWaiting, "requests waiting"},
		{kpi.TrainingHeldBusy, fmt.Sprintf("less than a replica's worth of time idle, which lending needs where a prefill stops the batch (scheduler %s)", r.l.Scenario.Fleet.Replica.Scheduler)},
	} {
		if n := r.kpi(h.name, ""); n > 0 {
			all += n
			parts = append(parts, fmt.Sprintf("%s with %s", fmtCount(n), h.why))
		}
	}
	if all == 0 {
		return "", 0
	}
	hours := all * float64(t.Interval) / 3600e9
	return fmt.Sprintf("serving held the lender back at %s of its decisions (%s), %s h at training.interval %s",
		fmtCount(all), strings.Join(parts, "; "), fmtNum(hours, 2), t.Interval), hours
}
