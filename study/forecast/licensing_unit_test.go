package forecast

import (
	"context"
	"testing"

	"aiecon/runner"
)

// twoFleets serves the baseline's shopping agent (2 documents a call at
// $0.0005, no revenue share) on a fleet that times out most of its calls
// and on one sized to demand: the same contract, very different abandonment.
const twoFleets = `name: two-fleets
base: baseline
periods: {count: 1, length: month}
day: {slices: 1, horizon: 5m}
variants:
  - name: tight
    set: {fleet.count: 1, fleet.replica.queue_timeout: 5s}
    procurement: {mode: rented, min: 1, max: 1}
  - name: ample
    procurement: {mode: rented, min: 1, max: 6}
`

// TestLicensingPerRequestIsTheContracts: a call's documents are licensed as
// it is sent, so licensing per request is the contract's $0.001 on either
// fleet. Over the completed requests it read $0.00175 on the tight fleet
// and $0.00112 on the ample one, only because more of the tight fleet's
// users gave up; with a 5 s queue timeout it exceeded a whole session's.
func TestLicensingPerRequestIsTheContracts(t *testing.T) {
	f := parse(t, twoFleets)
	_, periods := execute(t, f)
	if len(periods) != 2 {
		t.Fatalf("%d periods, want one per variant", len(periods))
	}
	if a, b := float64(periods[0].SessionAbandon), float64(periods[1].SessionAbandon); !(a > b+0.2) {
		t.Fatalf("abandonment %v (tight) against %v (ample): the test needs the tight fleet to lose far more sessions", a, b)
	}
	const perCall = 2 * 0.0005
	for _, p := range periods {
		if !near(float64(p.LicensingPerReq), perCall) {
			t.Errorf("%s: licensing %v per request, want the contract's $%v (2 documents at $0.0005): %v requests arrived",
				p.Variant, p.LicensingPerReq, perCall, p.AgentRequestsArrived)
		}
	}
}

// TestLicensingPerSessionCountsItsSessions: the per-use licensing, which
// includes the sessions still running at a slice's end (their documents
// are licensed), is divided by every session started, those too; over the
// sessions that ended it counted their licensing without them.
func TestLicensingPerSessionCountsItsSessions(t *testing.T) {
	f := parse(t, twoFleets)
	_, periods := execute(t, f)
	jobs := f.Jobs() // one a variant: one period of one slice
	if len(jobs) != len(periods) {
		t.Fatalf("%d jobs for %d periods, want one each", len(jobs), len(periods))
	}
	for i, p := range periods {
		if p.Variant != f.Variants[jobs[i].Variant].Name {
			t.Fatalf("period %d is %s's, job %d %s's", i, p.Variant, i, f.Variants[jobs[i].Variant].Name)
		}
		l, err := runner.LoadSource(f.baseName, f.baseSrc, f.baseDir, append(mustSets(t, f), jobs[i].Sets...))
		if err != nil {
			t.Fatal(err)
		}
		out, err := runner.Run(context.Background(), l, runner.Options{})
		if err != nil {
			t.Fatal(err)
		}
		kpi := func(name string) float64 { k, _ := out.Result.KPI(name, ""); return k.Value }
		started, unfinished := kpi("sessions_started"), kpi("sessions_unfinished")
		if unfinished == 0 || started != kpi("sessions_completed")+kpi("sessions_abandoned")+unfinished {
			t.Fatalf("%s: %v sessions started, %v unfinished: the test needs some unfinished, and started to count them", p.Variant, started, unfinished)
		}
		if want := kpi("cost_licensing_usd") / started; !near(float64(p.LicensingPerSes), want) {
			t.Errorf("%s: licensing %v per session, want the runs' $%v over the %v sessions started", p.Variant, p.LicensingPerSes,
				kpi("cost_licensing_usd"), started)
		}
	}
}
