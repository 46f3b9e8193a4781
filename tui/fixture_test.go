package tui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"aiecon/data"
	"aiecon/sim"
)

// The test store holds synthetic runs written through the real store
// writer (data.RunWriter, the sink the simulator feeds): the records are
// made up here, deterministically, so that the golden screens do not change
// whenever the simulator or its calibration does. The numbers come from a
// toy load curve chosen to look like a fleet (more instances: lower
// latency, higher cost); they are test data, not a model. The Launch tests
// run the real simulator.

// fixtureRun describes one synthetic run.
type fixtureRun struct {
	n         int // fixes the id and the start time
	name      string
	seed      uint64
	instances float64
	rateRPS   float64
	priceUSDh float64 // per instance-hour
	fail      string  // the run fails with this error after half its windows
	sweep     *fixtureSweep
	point     int
	params    string
	requests  int           // request records stored
	horizon   time.Duration // the horizon stored (0: 1h); the toy figures stay an hour's
	yaml      string        // the resolved scenario stored ("": fixtureYAML's)
}

// horizonNs is the run's stored horizon.
func (r fixtureRun) horizonNs() int64 {
	if r.horizon > 0 {
		return int64(r.horizon)
	}
	return int64(time.Hour)
}

type fixtureSweep struct {
	id, name, description string
	points                []string
}

// Fixed clock of the tests: "now" is 15:00 UTC on the day the runs start.
var (
	fixtureDay = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	fixtureNow = time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC)
)

func fixtureID(n int) string { return fmt.Sprintf("1m1q%02dzz5b0c7d9", n) }

var fixtureSweepGrid = &fixtureSweep{
	id: "1m1s01hh3k2j9x4", name: "fleet-x-rate", description: "instances against arrival rate",
	points: []string{
		`{"fleet.count": 4, "workloads[chat].arrivals.rate": "20/s"}`,
		`{"fleet.count": 8, "workloads[chat].arrivals.rate": "20/s"}`,
		`{"fleet.count": 4, "workloads[chat].arrivals.rate": "40/s"}`,
		`{"fleet.count": 8, "workloads[chat].arrivals.rate": "40/s"}`,
	},
}

func fixtureRuns() []fixtureRun {
	runs := []fixtureRun{
		{n: 1, name: "baseline", seed: 1, instances: 4, rateRPS: 30, priceUSDh: 85.96, requests: 450},
		{n: 2, name: "baseline-8x", seed: 1, instances: 8, rateRPS: 30, priceUSDh: 85.96, requests: 40},
		{n: 3, name: "gpu-p5", seed: 1, instances: 4, rateRPS: 30, priceUSDh: 98.32, requests: 40},
		{n: 4, name: "traffic-spike", seed: 2, instances: 4, rateRPS: 42, priceUSDh: 85.96, requests: 40},
		{n: 5, name: "interrupted", seed: 3, instances: 4, rateRPS: 30, priceUSDh: 85.96, fail: "interrupted: context canceled"},
	}
	for i := range fixtureSweepGrid.points {
		count := []float64{4, 8, 4, 8}[i]
		rate := []float64{20, 20, 40, 40}[i]
		runs = append(runs, fixtureRun{n: 6 + i, name: "baseline", seed: 1, instances: count, rateRPS: rate, priceUSDh: 85.96,
			sweep: fixtureSweepGrid, point: i, params: fixtureSweepGrid.points[i], requests: 20})
	}
	return runs
}

// buildFixture writes the test store at path.
func buildFixture(path string) error {
	st, err := data.Open(path, data.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	sweepIDs := map[*fixtureSweep]string{}
	for _, r := range fixtureRuns() {
		if r.sweep != nil && sweepIDs[r.sweep] == "" {
			id, err := st.CreateSweep(ctx, data.SweepInfo{Name: r.sweep.name, Description: r.sweep.description,
				SpecYAML: "base: baseline\n", Replications: 1, Points: r.sweep.points})
			if err != nil {
				return err
			}
			sweepIDs[r.sweep] = id
			if err := renameSweep(st, id, r.sweep.id); err != nil {
				return err
			}
		}
		if err := writeFixtureRun(ctx, st, r); err != nil {
			return fmt.Errorf("fixture run %d: %w", r.n, err)
		}
	}
	return nil
}

func writeFixtureRun(ctx context.Context, st *data.Store, r fixtureRun) error {
	info := data.RunInfo{Name: r.name, Description: "synthetic test run", Seed: r.seed, Version: "test",
		HorizonNs: r.horizonNs(), ScenarioYAML: fmt.Sprintf("name: %s\nseed: %d\nhorizon: 1h\nfleet:\n  count: %g\n", r.name, r.seed, r.instances),
		ResolvedYAML: fixtureYAML(r)}
	if r.yaml != "" {
		info.ResolvedYAML = r.yaml
	}
	if r.sweep != nil {
		info.SweepID, info.SweepPoint, info.ParamsJSON = r.sweep.id, r.point, r.params
	}
	w, err := st.BeginRun(ctx, info)
	if err != nil {
		return err
	}
	s := synthesize(r)
	if err := w.Begin(s.meta); err != nil {
		return err
	}
	if r.fail != "" {
		if err := w.Windows(s.windows[:len(s.windows)/2]); err != nil {
			return err
		}
		if err := w.Fail(errors.New(r.fail)); err != nil {
			return err
		}
	} else {
		for _, b := range [][]sim.WindowRecord{s.windows} {
			if err := w.Windows(b); err != nil {
				return err
			}
		}
		if err := w.Requests(s.requests); err != nil {
			return err
		}
		if err := w.End(s.summary); err != nil {
			return err
		}
		if err := w.Finish(1.25 + float64(r.n)/10); err != nil {
			return err
		}
	}
	return pinRun(st, w.ID(), r)
}

// pinRun gives a run its fixed id and times, so that goldens are stable.
func pinRun(st *data.Store, from string, r fixtureRun) error {
	to := fixtureID(r.n)
	for _, t := range []string{"run_workloads", "replicas", "kpis", "windows", "requests", "sessions", "auctions", "runs"} {
		if _, err := st.DB().Exec("UPDATE "+t+" SET run_id = ? WHERE run_id = ?", to, from); err != nil {
			return fmt.Errorf("pinning %s: %w", t, err)
		}
	}
	started := fixtureDay.Add(time.Duration(r.n) * 7 * time.Minute)
	_, err := st.DB().Exec(`UPDATE runs SET started_at = ?, finished_at = ?, writer_pid = 4242, writer_host = 'test' WHERE run_id = ?`,
		started, started.Add(2*time.Second), to)
	return err
}

func renameSweep(st *data.Store, from, to string) error {
	for _, q := range []string{`UPDATE sweep_points SET sweep_id = ? WHERE sweep_id = ?`, `UPDATE sweeps SET sweep_id = ? WHERE sweep_id = ?`} {
		if _, err := st.DB().Exec(q, to, from); err != nil {
			return err
		}
	}
	_, err := st.DB().Exec(`UPDATE sweeps SET created_at = ? WHERE sweep_id = ?`, fixtureDay.Add(30*time.Minute), to)
	return err
}

func fixtureYAML(r fixtureRun) string {
	return fmt.Sprintf(`name: %s
description: synthetic test run
seed: %d
horizon: 1h
window: 5m
model: llama-3.3-70b
fleet:
  instance: trn2.48xlarge
  count: %g
  pricing: on-demand
  replica: {tp: 32, scheduler: neuron}
workloads:
  - name: chat
    class: api
    arrivals: {process: poisson, rate: %g/s}
  - name: shopper
    class: agent
    arrivals: {process: poisson, rate: %g/s}
`, r.name, r.seed, r.instances, r.rateRPS*0.8, r.rateRPS*0.2)
}

type synthetic struct {
	meta     sim.RunMeta
	windows  []sim.WindowRecord
	requests []sim.RequestRecord
	summary  sim.Summary
}

// synthesize makes a run's records from a toy load curve: capacity 9 req/s
// per instance, latency rising as load nears capacity, a 25% daily swing.
func synthesize(r fixtureRun) synthetic {
	const (
		windows  = 12
		windowNs = int64(5 * time.Minute)
		inTok    = 800.0
		outTok   = 250.0
	)
	capRPS := r.instances * 9
	rho := r.rateRPS / capRPS
	served := math.Min(r.rateRPS, capRPS*0.98)
	dropped := r.rateRPS - served
	ttft50 := func(load float64) float64 { return 0.25 + 0.3*load/(1-math.Min(load, 0.97)) }
	slo := math.Max(math.Min(1-0.02-math.Max(0, rho-0.7)*1.2, 1), 0)
	var s synthetic
	s.meta = sim.RunMeta{Scenario: r.name, Seed: r.seed, HorizonNs: r.horizonNs(), WindowNs: windowNs, RequestSampleRate: 1,
		Workloads: []sim.WorkloadMeta{{Name: "chat", Class: "api"}, {Name: "shopper", Class: "agent"}}}
	replicas := int(r.instances) * 2
	for i := 0; i < replicas; i++ {
		s.meta.Replicas = append(s.meta.Replicas, sim.ReplicaMeta{ID: int32(i), Instance: int32(i / 2), Type: "trn2.48xlarge", TP: 32})
	}
	costPerWindow := r.instances * r.priceUSDh / windows
	revPerReq := (inTok + outTok) * 0.72 / 1e6
	for k := 0; k < windows; k++ {
		f := 1 + 0.25*math.Sin(2*math.Pi*float64(k)/windows)
		load := rho * f
		arr := r.rateRPS * 300 * f
		done := math.Min(arr, capRPS*0.98*300)
		w := sim.WindowRecord{StartNs: int64(k) * windowNs, EndNs: int64(k+1) * windowNs,
			Arrivals: int64(arr), Completions: int64(done), Dropped: int64(arr - done),
			InputTokens: int64(done * inTok), OutputTokens: int64(done * outTok),
			QueueDepthAvg: 3 * load / (1 - math.Min(load, 0.97)), RunningAvg: math.Min(load, 1) * 32 * float64(replicas),
			KVUtilAvg: math.Min(0.2+0.6*load, 0.97), BusyFrac: math.Min(load, 0.99), ReplicasUp: float64(replicas), ReplicasPaid: float64(replicas),
			TTFTP50S: ttft50(load), TTFTP99S: 3.2 * ttft50(load), TPOTP50S: 0.03 + 0.02*load, TPOTP99S: 0.045 + 0.03*load,
			E2EP99S: 3.2*ttft50(load) + 250*(0.045+0.03*load), RevenueUSD: done * revPerReq, CostUSD: costPerWindow,
			FLOPsFrac: 0.05 * math.Min(load, 1), BandwidthFrac: 0.4 * math.Min(load, 1)}
		if k == 0 { // nothing completed yet in the first window: undefined latencies
			w.TTFTP50S, w.TTFTP99S, w.TPOTP50S, w.TPOTP99S, w.E2EP99S = nan(), nan(), nan(), nan(), nan()
		}
		s.windows = append(s.windows, w)
	}
	for i := 0; i < r.requests; i++ {
		arrival := int64(i) * int64(time.Second) / int64(max(r.rateRPS, 1))
		q := sim.RequestRecord{ID: int64(i), Workload: int32(i % 5 / 4), Session: -1, Replica: int32(i % replicas),
			Status: sim.StatusCompleted, ArrivalNs: arrival, StartNs: arrival + 20e6, FirstTokenNs: arrival + 300e6,
			FinishNs: arrival + 300e6 + 250*40e6, PromptTokens: 800, OutputTokens: 250, RevenueUSD: revPerReq}
		if q.Workload == 1 {
			q.Session, q.Step = int64(i/5), 1
		}
		s.requests = append(s.requests, q)
	}
	hours := 1.0
	chatRPS, shopRPS := served*0.8, served*0.2
	sessions := shopRPS * 3600 / 4
	revAPI := chatRPS * 3600 * revPerReq
	fees := sessions * 0.002
	commerce := sessions * 0.08 * 45 * 0.15 * slo
	ads := sessions * 2 * 0.004 * 0.9
	lost := sessions * 0.08 * 45 * 0.15 * (1 - slo)
	licensing := sessions * 3 * 0.0005
	instUSD := r.instances * r.priceUSDh * hours
	cost := instUSD + licensing
	rev := revAPI + fees + commerce + ads
	mtok := served * 3600 * (inTok + outTok) / 1e6
	t50 := ttft50(rho)
	k := func(scope, name string, v float64, unit string) sim.KPI {
		return sim.KPI{Scope: scope, Name: name, Value: v, Unit: unit}
	}
	add := func(scope string, rps, sl float64) []sim.KPI {
		return []sim.KPI{
			k(scope, "requests_arrived", math.Round(rps/served*r.rateRPS*3600), "count"),
			k(scope, "requests_completed", math.Round(rps*3600), "count"),
			k(scope, "requests_dropped", math.Round(dropped*3600*rps/served), "count"),
			k(scope, "requests_timed_out", math.Round(rps*12), "count"),
			k(scope, "requests_abandoned", 0, "count"),
			k(scope, "requests_unfinished", math.Round(rps*2), "count"),
			k(scope, "throughput_rps", rps, "1/s"),
			k(scope, "input_tokens_per_s", rps*inTok, "tok/s"),
			k(scope, "output_tokens_per_s", rps*outTok, "tok/s"),
			k(scope, "ttft_p50_s", t50, "s"),
			k(scope, "ttft_p99_s", 3.2*t50, "s"),
			k(scope, "tpot_p99_s", 0.045+0.03*rho, "s"),
			k(scope, "e2e_p99_s", 3.2*t50+250*(0.045+0.03*rho), "s"),
			k(scope, "queue_p99_s", 2*t50, "s"),
			k(scope, "slo_attainment", sl, "fraction"),
			k(scope, "goodput_rps", rps*sl, "1/s"),
		}
	}
	kpis := add("", served, slo)
	kpis = append(kpis, add("chat", chatRPS, slo)...)
	kpis = append(kpis, add("shopper", shopRPS, math.Max(slo-0.03, 0))...)
	kpis = append(kpis,
		k("shopper", "revenue_usd", fees+commerce+ads+shopRPS*3600*revPerReq, "USD"),
		k("shopper", "revenue_lost_to_latency_usd", lost, "USD"),
		k("shopper", "session_abandon_rate", 1-slo, "fraction"),
		k("", "utilization", math.Min(rho, 0.99), "fraction"),
		k("", "batch_occupancy", 0.6*math.Min(rho, 1), "fraction"),
		k("", "flops_utilization", 0.05*math.Min(rho, 1), "fraction"),
		k("", "bandwidth_utilization", 0.4*math.Min(rho, 1), "fraction"),
		k("", "kv_utilization", math.Min(0.2+0.6*rho, 0.97), "fraction"),
		k("", "queue_depth_avg", 3*rho/(1-math.Min(rho, 0.97)), "requests"),
		k("", "instances_avg", r.instances, "count"),
		k("", "replicas_up_avg", float64(replicas), "count"),
		k("", "scale_ups", 0, "count"),
		k("", "scale_downs", 0, "count"),
		k("", "price_per_instance_hour_usd", r.priceUSDh, "USD/h"),
		k("", "cost_instances_usd", instUSD, "USD"),
		k("", "cost_training_usd", 0, "USD"),
		k("", "cost_licensing_usd", licensing, "USD"),
		k("", "cost_usd", cost, "USD"),
		k("", "cost_per_hour_usd", cost/hours, "USD/h"),
		k("", "cost_per_mtok_usd", instUSD/mtok, "USD/Mtok"),
		// The shopper's share of the fleet (a fifth of the calls) and its
		// licensing, over the sessions that completed.
		k("", "cost_per_request_usd", cost/math.Round(served*3600), "USD/request"),
		k("", "cost_per_session_usd", (0.2*instUSD+licensing)/(sessions*slo), "USD/session"),
		k("", "revenue_api_usd", revAPI, "USD"),
		k("", "revenue_agent_fees_usd", fees, "USD"),
		k("", "revenue_commerce_usd", commerce, "USD"),
		k("", "revenue_ads_usd", ads, "USD"),
		k("", "revenue_usd", rev, "USD"),
		k("", "margin_usd", rev-cost, "USD"),
		k("", "gross_margin", (rev-cost)/rev, "fraction"),
		k("", "revenue_lost_to_latency_usd", lost, "USD"),
		// The margin lost nets a revenue share: less than the revenue lost.
		k("", "margin_lost_to_queueing_usd", 0.6*lost, "USD"),
		k("", "margin_lost_to_service_time_usd", 0.3*lost, "USD"),
		k("", "session_abandon_rate", 1-slo, "fraction"),
	)
	s.summary.KPIs = kpis
	s.summary.Events = int64(r.rateRPS * 3600 * 6)
	s.summary.SimNs = int64(time.Hour)
	for i := 0; i < replicas; i++ {
		busy := int64(math.Min(rho, 0.99) * float64(time.Hour))
		s.summary.Replicas = append(s.summary.Replicas, sim.ReplicaRecord{ID: int32(i), Instance: int32(i / 2),
			Iterations: busy / int64(40*time.Millisecond), BusyNs: busy, UpNs: int64(time.Hour),
			PrefillTok: int64(served * 3600 * inTok / float64(replicas)), DecodeTok: int64(served * 3600 * outTok / float64(replicas)),
			Completed: int64(served * 3600 / float64(replicas))})
	}
	return s
}

// fixturePath is the store every test reads, built once by TestMain.
var fixturePath string

func TestMain(m *testing.M) {
	if os.Getenv(lockHolderEnv) != "" {
		holdLock() // a helper process of TestLockedStore; never returns
	}
	dir, err := os.MkdirTemp("", "aiecon-tui-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fixturePath = filepath.Join(dir, "fixture.duckdb")
	if err := buildFixture(fixturePath); err != nil {
		fmt.Fprintln(os.Stderr, "building the test store:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestWriteFixture writes the test store to $AIECON_TUI_FIXTURE, for
// looking at the dashboard by hand (scripts/tui-smoke.sh uses it when
// `aiecon run` cannot make runs).
func TestWriteFixture(t *testing.T) {
	path := os.Getenv("AIECON_TUI_FIXTURE")
	if path == "" {
		t.Skip("set AIECON_TUI_FIXTURE=/path/to/store.duckdb to write the test store there")
	}
	if err := buildFixture(path); err != nil {
		t.Fatal(err)
	}
}

// buildEmptyStore creates a store with the schema and no runs.
func buildEmptyStore(path string) error {
	st, err := data.Open(path, data.Options{})
	if err != nil {
		return err
	}
	return st.Close()
}
