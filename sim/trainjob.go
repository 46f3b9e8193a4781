package sim

import (
	"math"
	"slices"

	"aiecon/sim/engine"
)

// The fleet-idle training job runs as a gang. Its state (weights, gradients,
// optimizer state; llm.TrainingMemory) is sharded over its members, so it
// runs only while at least the minimum gang of lent replicas holds it, with
// the members fixed from a start to the next stop. A stretch of training:
//
//	waiting  fewer than a gang lent and ready, or no retrain due
//	loading  reading the last checkpoint (state bytes / storage bandwidth),
//	         then the restart warm-up; no progress
//	running  progress at members x replica peak x MFU
//	saving   writing a checkpoint (state bytes / storage bandwidth): every
//	         checkpoint_every, when serving reclaims a member (which leaves
//	         once it is written), and when a retrain finishes
//
// Replicas lent while the job runs join at its next checkpoint, which then
// restarts it on the larger gang. A member lost without notice (a spot
// interruption) loses the work since the last checkpoint.

// jobPhase is where the job stands.
type jobPhase uint8

const (
	jobWaiting jobPhase = iota
	jobLoading
	jobRunning
	jobSaving
)

// trainJob is the fleet-idle training job.
type trainJob struct {
	w          *World
	m          *trainingModel
	phase      jobPhase
	ev         engine.Event
	members    []*replica // the gang of this stretch
	leaving    []*replica // reclaimed members held until the checkpoint is written
	phaseStart int64
	nextSave   int64 // running: when the periodic checkpoint falls
	finishing  bool  // saving a finished retrain's weights
	done       float64
	saved      float64 // FLOPs done as of the last checkpoint
	// Totals for the KPIs.
	finished    int   // retrains finished
	achievedNs  int64 // their durations, each from its period's start to its final checkpoint
	starts      int64 // stretches started (a checkpoint loaded)
	checkpoints int64
	stalledNs   int64   // members held without progress: loads, warm-ups, checkpoint writes
	redoNs      int64   // the time the lost work had taken
	lostFLOPs   float64 // work lost since a checkpoint
}

func newTrainJob(w *World, m *trainingModel) *trainJob {
	j := &trainJob{w: w, m: m}
	j.ev.Init(j, 0)
	return j
}

// due reports whether a retrain is due and unfinished: retrain k is due
// from k periods into the run.
func (j *trainJob) due(now int64) bool { return int64(j.finished) <= now/j.m.periodNs }

// retrainEnd is the FLOPs done when the current retrain finishes.
func (j *trainJob) retrainEnd() float64 { return float64(j.finished+1) * j.m.flopsPerRetrain }

// target is where the current stretch stops: the retrain's end, or the
// run's quota if that comes first.
func (j *trainJob) target() float64 { return min(j.retrainEnd(), j.m.quotaFLOPs) }

// owes reports whether the run's quota (training.quota) leaves work to
// train; without one the job owes every retrain due, and due says which.
// A run that owes nothing lends nothing: a forecast's peak slice leaves
// the day's share to its troughs.
func (j *trainJob) owes() bool { return j.done < j.m.quotaFLOPs }

// rate is the progress of the current gang, FLOPs per ns.
func (j *trainJob) rate() float64 {
	return float64(len(j.members)) * j.m.replicaFLOPS * j.m.mfu / 1e9
}

// advance books the progress made since the phase started.
func (j *trainJob) advance(now int64) {
	if j.phase == jobRunning {
		j.done = min(j.target(), j.done+j.rate()*float64(now-j.phaseStart))
	}
	j.phaseStart = now
}

// stall books the time the members were held without progress.
func (j *trainJob) stall(now int64) {
	j.stalledNs += now - j.phaseStart
	j.phaseStart = now
}

// ready lists the lent replicas that have switched to training.
func (j *trainJob) ready() []*replica {
	var rs []*replica
	for _, p := range j.w.replicas {
		if p.training {
			rs = append(rs, p)
		}
	}
	return rs
}

// tryStart starts a stretch on every ready replica if they make a gang and
// a retrain is due.
func (j *trainJob) tryStart() {
	now := j.w.eng.Now()
	if j.phase != jobWaiting || !j.due(now) || !j.owes() {
		return
	}
	rs := j.ready()
	if len(rs) < j.m.gang {
		return
	}
	j.members, j.phase, j.phaseStart = rs, jobLoading, now
	j.starts++
	j.w.eng.Schedule(&j.ev, engine.Later(now, j.m.loadNs))
}

// Handle ends the current phase.
func (j *trainJob) Handle(*engine.Event) {
	now := j.w.eng.Now()
	switch j.phase {
	case jobLoading:
		j.stall(now)
		j.phase, j.nextSave = jobRunning, now+j.m.checkpointEveryNs
		j.scheduleRunning(now)
	case jobRunning:
		j.advance(now)
		j.finishing = j.done >= j.retrainEnd()
		j.save(now)
	case jobSaving:
		j.stall(now)
		j.saved = j.done
		j.checkpoints++
		j.afterSave(now)
	}
}

// scheduleRunning plans the next stop: the periodic checkpoint or the end
// of the retrain, whichever comes first.
func (j *trainJob) scheduleRunning(now int64) {
	left := (j.target() - j.done) / j.rate()
	at := j.nextSave
	if left < float64(at-now) {
		at = now + int64(math.Ceil(left))
	}
	j.w.eng.Schedule(&j.ev, at)
}

func (j *trainJob) save(now int64) {
	j.phase, j.phaseStart = jobSaving, now
	j.w.eng.Schedule(&j.ev, engine.Later(now, j.m.checkpointNs))
}

// afterSave releases the members that serving reclaimed, books a finished
// retrain, and goes on: running again on the same gang, or a restart when
// the gang changed (members left, or replicas lent since joined).
func (j *trainJob) afterSave(now int64) {
	shrunk := len(j.leaving) > 0
	j.releaseLeaving(now)
	if j.finishing {
		j.finishing = false
		j.achievedNs += now - int64(j.finished)*j.m.periodNs
		j.finished++
		j.stop()
		return
	}
	if !j.owes() { // the quota is trained: the lender takes the gang back
		j.stop()
		return
	}
	if !shrunk && len(j.ready()) == len(j.members) {
		j.phase, j.nextSave = jobRunning, now+j.m.checkpointEveryNs
		j.scheduleRunning(now)
		return
	}
	j.stop()
}

// stop ends the stretch; the job restarts at once if a gang is ready.
func (j *trainJob) stop() {
	j.w.eng.Cancel(&j.ev)
	j.phase, j.members = jobWaiting, nil
	j.tryStart()
}

// releaseLeaving returns the reclaimed members to serving after the switch.
func (j *trainJob) releaseLeaving(now int64) {
	for _, p := range j.leaving {
		j.w.eng.Schedule(&p.trainEv, engine.Later(now, j.w.lender.switchNs))
	}
	j.leaving = j.leaving[:0]
}

// release is serving reclaiming p: it reports whether p is free now; a
// member of a running gang stays until the checkpoint the reclaim starts is
// written, and the job then returns it (releaseLeaving).
func (j *trainJob) release(p *replica) bool {
	i := slices.Index(j.members, p)
	if i < 0 {
		return true
	}
	now := j.w.eng.Now()
	if j.phase == jobRunning {
		j.advance(now) // at the whole gang's rate, p included, up to now
	}
	j.members = slices.Delete(j.members, i, i+1)
	switch j.phase {
	case jobRunning:
		j.save(now)
		fallthrough
	case jobSaving:
		j.leaving = append(j.leaving, p)
		return false
	}
	// Loading: the load is abandoned and the rest try again.
	j.stall(now)
	j.stop()
	return true
}

// lose is an interruption taking replicas without notice: if it takes a
// member, the gang loses its work since the last checkpoint (a checkpoint
// being written is lost too).
func (j *trainJob) lose(ps []*replica) {
	hit := false
	for _, p := range ps {
		hit = hit || slices.Contains(j.members, p) || slices.Contains(j.leaving, p)
		if i := slices.Index(j.leaving, p); i >= 0 {
			j.leaving = slices.Delete(j.leaving, i, i+1)
		}
	}
	if !hit {
		return
	}
	now := j.w.eng.Now()
	if j.phase == jobRunning {
		j.advance(now)
	} else {
		j.stall(now)
	}
	if lost := j.done - j.saved; lost > 0 && j.rate() > 0 {
		j.lostFLOPs += lost
		j.redoNs += int64(lost / j.rate())
	}
	j.done = j.saved
	j.finishing = false
	j.releaseLeaving(now)
	j.stop()
}

// progress is the fraction of the current retrain done (1 when every
// retrain due has finished).
func (j *trainJob) progress(now int64) float64 {
	if !j.due(now) {
		return 1
	}
	j.advance(now)
	return j.done/j.m.flopsPerRetrain - float64(j.finished)
}
