package main

import (
	"fmt"
	"io"
	"math"

	"aiecon/model/kpi"
)

// printTraining is the training lines of ECONOMICS: the retrain's cost on
// the dedicated cluster and, when the fleet lends replicas to it, the gang
// that holds the job, how far it got and what stopping cost it.
func (r runReport) printTraining(tw io.Writer) {
	c := r.kpi(kpi.TrainingCostPerRetrainUSD, "")
	if math.IsNaN(c) {
		return
	}
	line := fmt.Sprintf("  training\t%s per retrain (%s h on the dedicated cluster)", fmtUSD(c), fmtNum(r.kpi(kpi.TrainingRetrainHours, ""), 1))
	cov := r.kpi(kpi.TrainingIdleCoverage, "")
	switch {
	case cov >= 1:
		line += "; lent replicas did this run's pro-rata share of it"
	case !math.IsNaN(cov):
		line += fmt.Sprintf("; lent replicas did %s of this run's pro-rata share, the dedicated cluster is billed for the rest", fmtPct(cov))
	}
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
}
