package forecast

import (
	"context"
	"math"
	"strings"
	"testing"

	kpicat "aiecon/model/kpi"
	"aiecon/runner"
	"aiecon/study"
)

// idleForecast is one quarter of the baseline on eight owned trn2 servers
// whose monthly LoRA retrain trains on idle replicas, simulated as two
// 5-minute slices: the night's (00-12h, the trough) and the day's (12-24h,
// the peak). The short restart lets a 5-minute slice train. Eight servers
// leave replicas idle (on four, every replica runs a few sequences all day
// and the lender, which lends only idle capacity, lends none).
const idleForecast = `name: idle
base: baseline
set:
  workloads[chat].arrivals.diurnal: default
  workloads[shopping-assistant].arrivals.diurnal: default
  training.every: 30d
  training.tokens: 2e9
  training.kind: lora
  training.where: fleet-idle
  training.interval: 30s
  training.restart_warmup: 10s
periods: {count: 1, length: quarter}
day: {slices: 2, horizon: 5m}
variants:
  - name: owned
    procurement: {mode: owned, initial: 8}
    ownership: {server_usd: 200000, facility_usd_per_kw_month: 100, ops_usd_per_year: 10000}
`

// TestIdleTrainingInTroughs: a fleet-idle retrain is trained in the day's
// trough slice, which owes the whole day's share (quota 2 of 2 slices),
// and the peak slice lends nothing, where a slice left to itself starts
// with a retrain due and lends replicas at the peak too. No work is lost:
// what the trough's lent replicas trained plus what is billed on the
// dedicated cluster is the day's share.
func TestIdleTrainingInTroughs(t *testing.T) {
	f := parse(t, idleForecast)
	runs, periods := execute(t, f)
	if len(runs) != 2 {
		t.Fatalf("%d runs, want 2 slices", len(runs))
	}
	trough, peak := runs[0], runs[1]
	if trough.TrainingQuota != 2 || peak.TrainingQuota != 0 {
		t.Fatalf("quotas %v (trough) and %v (peak), want 2 and 0", trough.TrainingQuota, peak.TrainingQuota)
	}
	if k := peak.KPIs; k[kpicat.TrainingLends] != 0 || k[kpicat.TrainingReplicaHours] != 0 || k[kpicat.CostTrainingUSD] != 0 {
		t.Errorf("the peak slice lent %v replicas for %v replica-hours and billed $%v; want none",
			k[kpicat.TrainingLends], k[kpicat.TrainingReplicaHours], k[kpicat.CostTrainingUSD])
	}
	if trough.KPIs[kpicat.TrainingFLOPsDone] <= 0 {
		t.Errorf("the trough slice trained nothing")
	}
	lends := unquotedLends(t, f, peak.Job)
	if lends == 0 {
		t.Errorf("without its quota the peak slice lends nothing either: the test shows nothing")
	}
	t.Logf("peak slice: %v lends without its quota, none with it; trough coverage %.3g", lends, trough.KPIs[kpicat.TrainingIdleCoverage])
	// The day's share of a retrain, in retrains: two 5-minute slices
	// standing for 24 h of a 30-day cadence, scaled back to a day.
	share := 5.0 / 60 / (30 * 24)
	var done float64
	for _, r := range runs {
		done += r.TrainingQuota*share*r.KPIs[kpicat.TrainingIdleCoverage] + r.KPIs[kpicat.CostTrainingUSD]/r.KPIs[kpicat.TrainingCostPerRetrainUSD]
	}
	if want := 2 * share; math.Abs(done-want) > 1e-9*want {
		t.Errorf("trained and billed %.6g retrains, want the %.6g the day owes", done, want)
	}
	p := periods[0]
	if c := float64(p.TrainingIdleCoverage); !(c > 0 && c <= 1) || p.TrainingLentShare <= 0 {
		t.Errorf("period coverage %v, lent share %v", c, p.TrainingLentShare)
	}
	if r := NewReport(f, periods, len(runs)); !r.IdleTrainingInTroughs || !strings.Contains(r.idleTrainingNote("owned"), "below the day's mean demand") {
		t.Errorf("the note does not say where the retrain trained: %q", r.idleTrainingNote("owned"))
	}
}

// unquotedLends runs job j without its training.quota, as every slice ran
// before the troughs owed the day's share, and returns its lends.
func unquotedLends(t *testing.T, f *Forecast, j Job) float64 {
	t.Helper()
	j.Sets = slicesWithout(j.Sets, "training.quota=")
	var cals study.Calibrations
	r, err := f.runJob(context.Background(), j, Options{}, func(l *runner.Loaded) (*runner.Calibration, error) { return cals.Get(l) })
	if err != nil {
		t.Fatal(err)
	}
	return r.KPIs[kpicat.TrainingLends]
}

func slicesWithout(sets []string, prefix string) []string {
	var out []string
	for _, s := range sets {
		if !strings.HasPrefix(s, prefix) {
			out = append(out, s)
		}
	}
	return out
}

// TestTroughQuotas: the slices below the day's mean demand owe the day's
// share in proportion to their depth below it, the others nothing; the
// quotas add up to the slices' count (the whole day), and a flat day has
// every slice owe its own share.
func TestTroughQuotas(t *testing.T) {
	// Six slices of the default curve: 00-04h (0.42 of the day's mean
	// demand) and 04-08h (0.60) are the troughs.
	f := parse(t, strings.Replace(idleForecast, "slices: 2", "slices: 6", 1))
	q := f.troughQuotas(f.workloadsOf(), []float64{1, 1})
	sum := 0.0
	for _, x := range q {
		sum += x
	}
	if math.Abs(sum-6) > 1e-12 || !(q[0] > q[1] && q[1] > 0) || q[2]+q[3]+q[4]+q[5] != 0 {
		t.Errorf("default curve, 6 slices: quotas %v (sum %v); want 00-04h above 04-08h, none after 08h, sum 6", q, sum)
	}
	flat := parse(t, strings.NewReplacer("arrivals.diurnal: default", "arrivals.diurnal: flat").Replace(idleForecast))
	if q := flat.troughQuotas(flat.workloadsOf(), []float64{1, 1}); q[0] != 1 || q[1] != 1 {
		t.Errorf("flat curve: quotas %v, want 1 each", q)
	}
}

// TestTrainNote: the TRAIN column's basis is stated under the table: the
// periods that train, the cadence and retrains a period, the dedicated
// cluster, its price per instance-hour and MFU, and one retrain's hours
// and cost as the runs report them, so that TRAIN = retrains x cost per
// retrain can be checked. The report named none of them.
func TestTrainNote(t *testing.T) {
	src := strings.Replace(small, "variants:", "roadmap:\n  - {from: 2, set: {training.every: 30d, training.tokens: 2e9, "+
		"training.instances: 4, training.price_usd_per_hour: 20}}\nvariants:", 1)
	f := parse(t, src)
	var periods []Period
	for k := 1; k <= 2; k++ {
		periods = append(periods, Period{Variant: "rented", Period: k, TrainingRetrainHours: 69.3, TrainingPerRetrainUSD: 5544})
	}
	r := NewReport(f, periods, 0)
	want := "TRAINING: quarter 2: a retrain every 720h (3.04 a quarter) on 4 x trn1.32xlarge at $20/h each, MFU 0.3: 69.3 h and $5.54k a retrain."
	if got := r.trainNote("rented"); !strings.Contains(got, want) {
		t.Errorf("note %q\nwant %q", got, want)
	}
	// A committed cluster (training.pricing: reserved) at the catalog's
	// reserved rate is paid for the whole cadence, and the note says so.
	f = parse(t, strings.Replace(src, "training.price_usd_per_hour: 20", "training.pricing: reserved", 1))
	r = NewReport(f, periods, 0)
	want = "quarter 2: a retrain every 720h (3.04 a quarter) on 4 x trn1.32xlarge at $8.2/h each, reserved, paid for every hour of the cadence, MFU 0.3"
	if got := r.trainNote("rented"); !strings.Contains(got, want) {
		t.Errorf("reserved: note %q\nwant %q", got, want)
	}
}
