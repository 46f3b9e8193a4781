package sim

import (
	"context"
	"math"
	"strings"
	"testing"
)

// gangFleet is one p5.48xlarge of eight tp-1 replicas of an 8B model under
// a trickle of traffic. A full fine-tune holds 8.03e9 x 16 B = 128 GB plus
// 3.7 GB of activations per member: a gang of two 80 GB H100s. The job,
// 6 x 8.03e9 x 5e7 = 2.4e18 FLOPs, takes about 68 minutes on two.
const gangFleet = `name: gang
horizon: 6h
window: 1h
model: llama-3.1-8b
fleet:
  instance: p5.48xlarge
  count: 1
  replica: {tp: 1, scheduler: vllm, max_num_seqs: 16, max_model_len: 8192}
workloads:
  - name: chat
    class: api
    arrivals: {process: poisson, rate: 0.05/s}
    prompt_tokens: 200
    output_tokens: 50
    price: {input_per_mtok: 0.22, output_per_mtok: 0.22}
training: {tokens: 5e7, where: fleet-idle, switch_time: 30s, checkpoint_every: 1h, restart_warmup: 5m}
`

// gangWorld starts a run whose lender never decides by itself, so the test
// lends and reclaims by hand.
func gangWorld(t *testing.T) *World {
	t.Helper()
	w, err := New(Config{Scenario: scenario(t, gangFleet), Sink: &MemorySink{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.out.begin(w.meta()); err != nil {
		t.Fatal(err)
	}
	w.start()
	w.lender.lendBelow, w.lender.reclaimAbove = -1, math.Inf(1)
	if w.training.gang != 2 {
		t.Fatalf("gang %d, want 2 (128 GB of state on 80 GB replicas)", w.training.gang)
	}
	return w
}

func (w *World) runTo(t *testing.T, at int64) {
	t.Helper()
	if err := w.eng.RunUntil(context.Background(), at); err != nil {
		t.Fatal(err)
	}
}

func (w *World) lendLast(n int) {
	for range n {
		w.lend(w.pools[0].serving[len(w.pools[0].serving)-1])
	}
}

const hourNs = int64(3600e9)

// TestTrainingNeedsAWholeGang: one lent replica holds no gang and makes no
// progress; a second starts the job.
func TestTrainingNeedsAWholeGang(t *testing.T) {
	w := gangWorld(t)
	j := w.lender.job
	w.lendLast(1)
	w.runTo(t, 2*hourNs)
	if j.done != 0 || j.starts != 0 || j.progress(w.eng.Now()) != 0 {
		t.Fatalf("one replica of a gang of two: %.3g FLOPs done, %d starts", j.done, j.starts)
	}
	w.lendLast(1)
	w.runTo(t, 3*hourNs)
	if j.progress(w.eng.Now()) <= 0 || j.starts != 1 {
		t.Fatalf("a whole gang: %.3g FLOPs done, %d starts", j.done, j.starts)
	}
}

// TestReclaimCostsACheckpointAndARestart: uninterrupted, the retrain takes
// the switch, the load and warm-up, the work, one periodic checkpoint and
// the final one. Reclaiming a member half-way writes a checkpoint, returns
// the replica after it, and the job restarts when the gang is whole again:
// the achieved duration grows by at least the extra checkpoint and restart.
func TestReclaimCostsACheckpointAndARestart(t *testing.T) {
	w := gangWorld(t)
	j, m := w.lender.job, w.training
	w.lendLast(2)
	w.runTo(t, 6*hourNs)
	if j.finished != 1 {
		t.Fatalf("uninterrupted: %d retrains finished, progress %.3f", j.finished, j.progress(w.eng.Now()))
	}
	work := m.flopsPerRetrain / (2 * m.replicaFLOPS * m.mfu) * 1e9
	want := float64(w.lender.switchNs+m.loadNs) + work + 2*float64(m.checkpointNs)
	if math.Abs(float64(j.achievedNs)-want) > 1e9 {
		t.Fatalf("uninterrupted retrain took %.1f s, want %.1f s (switch, load, work, two checkpoints)", float64(j.achievedNs)/1e9, want/1e9)
	}
	if j.checkpoints != 2 || j.starts != 1 {
		t.Fatalf("uninterrupted: %d checkpoints, %d starts; want 2 and 1", j.checkpoints, j.starts)
	}

	w2 := gangWorld(t)
	j2 := w2.lender.job
	w2.lendLast(2)
	w2.runTo(t, hourNs/2)
	member := j2.members[0]
	if j2.phase != jobRunning {
		t.Fatalf("phase %d at 30 minutes, want running", j2.phase)
	}
	// The stretch up to the reclaim is the whole gang's work: booked after
	// the member left, it was credited at half the rate.
	done := j2.done + j2.rate()*float64(w2.eng.Now()-j2.phaseStart)
	w2.reclaim(member)
	if math.Abs(j2.done-done) > 1e-9*done {
		t.Fatalf("work booked at the reclaim %.4g FLOPs, want %.4g (two members up to now)", j2.done, done)
	}
	if member.up || len(j2.leaving) != 1 || j2.phase != jobSaving {
		t.Fatalf("a reclaimed member must wait for the checkpoint: up %v, leaving %d, phase %d", member.up, len(j2.leaving), j2.phase)
	}
	w2.runTo(t, hourNs/2+m.checkpointNs+w2.lender.switchNs)
	if !member.up || j2.phase != jobWaiting || j2.saved != j2.done {
		t.Fatalf("after the checkpoint: up %v, phase %d, saved %.3g of %.3g", member.up, j2.phase, j2.saved, j2.done)
	}
	w2.lend(member)
	w2.runTo(t, 6*hourNs)
	// Checkpoints: the reclaim's and the final one (the second stretch,
	// about 45 minutes, is shorter than checkpoint_every).
	if j2.finished != 1 || j2.starts != 2 || j2.checkpoints != 2 {
		t.Fatalf("interrupted: %d finished, %d starts, %d checkpoints; want 1, 2, 2", j2.finished, j2.starts, j2.checkpoints)
	}
	if extra := j2.achievedNs - j.achievedNs; extra < m.checkpointNs+m.loadNs {
		t.Fatalf("the reclaim added %.1f s; a checkpoint and a restart take %.1f s", float64(extra)/1e9, float64(m.checkpointNs+m.loadNs)/1e9)
	}
	if j2.stalledNs <= j.stalledNs {
		t.Fatalf("time lost %d ns interrupted, %d uninterrupted", j2.stalledNs, j.stalledNs)
	}
}

// TestLostMemberLosesUnsavedWork: a member taken without notice (a spot
// interruption) loses the work since the last checkpoint.
func TestLostMemberLosesUnsavedWork(t *testing.T) {
	w := gangWorld(t)
	j := w.lender.job
	w.lendLast(2)
	w.runTo(t, hourNs/2)
	j.advance(w.eng.Now())
	before := j.done
	j.lose(j.members[:1])
	if before <= 0 || j.lostFLOPs != before || j.done != 0 || j.redoNs <= 0 {
		t.Fatalf("lost %.3g FLOPs of %.3g done since the start; done now %.3g, redo %d ns", j.lostFLOPs, before, j.done, j.redoNs)
	}
}

// TestReclaimedReplicaReturnsOnce: a member on its way back (waiting for
// the checkpoint) is not reclaimed again, which would return it to serving
// twice; the lender takes the next one instead.
func TestReclaimedReplicaReturnsOnce(t *testing.T) {
	w := gangWorld(t)
	j := w.lender.job
	w.lendLast(2)
	w.runTo(t, hourNs/2)
	first, second := j.members[0], j.members[1]
	w.lender.reclaim(1)
	w.runTo(t, hourNs/2+1e9)
	w.lender.reclaim(1)
	if len(j.leaving) != 2 || j.leaving[0] != first || j.leaving[1] != second || w.lender.reclaims != 2 {
		t.Fatalf("leaving %d replicas after two reclaims of one, %d reclaims", len(j.leaving), w.lender.reclaims)
	}
	w.runTo(t, hourNs)
	seen := map[*replica]int{}
	for _, p := range w.pools[0].serving {
		seen[p]++
	}
	if len(w.pools[0].serving) != len(w.replicas) || len(seen) != len(w.replicas) {
		t.Fatalf("%d serving entries for %d distinct replicas of %d", len(w.pools[0].serving), len(seen), len(w.replicas))
	}
}

// TestFleetIdleRunReportsTheJob: left to the lender, a trickle of traffic
// lends all but min_serving replicas; the retrain finishes within the run
// and the KPIs say so.
func TestFleetIdleRunReportsTheJob(t *testing.T) {
	res, _ := run(t, scenario(t, gangFleet))
	tests := []struct {
		name   string
		lo, hi float64
	}{
		{"training_gang_replicas", 2, 2},
		{"training_progress", 1, 1}, // nothing due once the retrain is done
		{"training_achieved_hours", 0.5, 6},
		{"training_checkpoints", 1, 20},
		{"training_starts", 1, 20},
		{"training_time_lost_hours", 0.01, 6},
		{"training_idle_coverage", 1, 1},
	}
	for _, tt := range tests {
		v := kpi(t, res, tt.name, "")
		t.Logf("%s = %v", tt.name, v)
		if !(v >= tt.lo && v <= tt.hi) {
			t.Errorf("%s = %v, want %v..%v", tt.name, v, tt.lo, tt.hi)
		}
	}
}

// TestRetrainsEachPeriod: with a two-hour cadence over six hours, three
// retrains fall due (at 0, 2h and 4h) and each finishes within its period.
func TestRetrainsEachPeriod(t *testing.T) {
	sc := scenario(t, strings.Replace(gangFleet, "training: {", "training: {every: 2h, ", 1))
	w, err := New(Config{Scenario: sc, Sink: &MemorySink{}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if j := w.lender.job; j.finished != 3 {
		t.Fatalf("%d retrains finished, want 3 (progress %.3f)", j.finished, kpi(t, res, "training_progress", ""))
	}
	if h := kpi(t, res, "training_achieved_hours", ""); h <= 0 || h > 2 {
		t.Fatalf("mean retrain duration %.2f h, want within the 2 h period", h)
	}
}

// TestTrainingRunsInBF16: a retrain is mixed-precision (bf16 matmuls), so
// its time on the dedicated cluster and on lent replicas does not move with
// the format the fleet serves in. Pricing it at the serving activations
// halved a retrain's hours and cost when the fleet served fp8.
func TestTrainingRunsInBF16(t *testing.T) {
	hours := map[string]float64{}
	lent := map[string]float64{}
	for _, act := range []string{"bf16", "fp8"} {
		src := gangFleet + "precision: {weights: fp8, activations: " + act + "}\n"
		sc := scenario(t, src)
		w, err := New(Config{Scenario: sc, Sink: &MemorySink{}})
		if err != nil {
			t.Fatal(err)
		}
		lent[act] = w.training.replicaFLOPS
		res, _ := run(t, sc)
		hours[act] = kpi(t, res, "training_retrain_hours", "")
	}
	if hours["fp8"] != hours["bf16"] || lent["fp8"] != lent["bf16"] {
		t.Errorf("retrain hours %v, lent replica FLOP/s %v: the serving format moved them", hours, lent)
	}
}

// TestQuotaBoundsTheLending: training.quota is the work a run owes, in
// multiples of its pro-rata share of a retrain (6 h of a 7-day cadence:
// 1/28). Owing nothing, the run lends nothing and bills nothing; owing five
// shares, the job stops once it has trained them and every lent replica
// serves again; owing more than the one retrain due, the rest is billed on
// the dedicated cluster. Whatever it owes is trained or billed, none lost.
func TestQuotaBoundsTheLending(t *testing.T) {
	for _, q := range []string{"0", "5", "100"} {
		sc := scenario(t, strings.Replace(gangFleet, "training: {", "training: {quota: "+q+", ", 1))
		w, err := New(Config{Scenario: sc, Sink: &MemorySink{}})
		if err != nil {
			t.Fatal(err)
		}
		res, err := w.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		m, j := w.training, w.lender.job
		owed := *sc.Training.Quota / 28
		if math.Abs(m.quotaShare-owed) > 1e-12 {
			t.Fatalf("quota %s: owes %.6g retrains, want %.6g", q, m.quotaShare, owed)
		}
		coverage, billed := kpi(t, res, "training_idle_coverage", ""), kpi(t, res, "cost_training_usd", "")
		if got := coverage*owed + billed/m.costPerRetrain; math.Abs(got-owed) > 1e-9*math.Max(owed, 1) {
			t.Errorf("quota %s: %.6g retrains trained and billed, want the %.6g owed", q, got, owed)
		}
		// The same from the job's own count of work, not the coverage KPI
		// the bill is computed from: never past the quota, and with the
		// bill it makes up what the run owes.
		if j.done > m.quotaFLOPs*(1+1e-12) {
			t.Errorf("quota %s: %.6g FLOPs trained, past the %.6g owed", q, j.done, m.quotaFLOPs)
		}
		if got := j.done/m.flopsPerRetrain + billed/m.costPerRetrain; math.Abs(got-owed) > 1e-9*math.Max(owed, 1) {
			t.Errorf("quota %s: the job trained %.6g retrains and %.6g were billed, want the %.6g owed", q, j.done/m.flopsPerRetrain, billed/m.costPerRetrain, owed)
		}
		lends := kpi(t, res, "training_lends", "")
		switch q {
		case "0":
			if lends != 0 || billed != 0 {
				t.Errorf("quota 0: %v lends, $%.4g billed; want none", lends, billed)
			}
		case "5":
			if j.done != m.quotaFLOPs || j.finished != 0 || billed != 0 {
				t.Errorf("quota 5: %.6g FLOPs done of %.6g owed, %d retrains finished, $%.4g billed", j.done, m.quotaFLOPs, j.finished, billed)
			}
			for _, p := range w.replicas {
				if p.lent {
					t.Errorf("quota 5: a replica is still lent once the quota is trained")
				}
			}
		case "100":
			if j.finished != 1 || !(billed > 0) {
				t.Errorf("quota 100: %d retrains finished, $%.4g billed; want the one due and the rest billed", j.finished, billed)
			}
		}
		t.Logf("quota %s: %v lends, coverage %.3g, $%.4g billed", q, lends, coverage, billed)
	}
}
