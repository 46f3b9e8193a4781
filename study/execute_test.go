package study

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"aiecon/data"
)

// TestMain points the calibration lookup at an empty folder, so that runs
// use the built-in profile and not whatever the user has calibrated.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "study-config-")
	if err != nil {
		panic(err)
	}
	os.Setenv("AIECON_CONFIG_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const smallSweep = `name: small
base: baseline
set: {horizon: 1m}
parameters:
  fleet.count: [1, 2, 3]
replications: 3
kpis: [cost_per_mtok_usd, "slo_attainment[chat]", margin_usd]
`

func openStore(t testing.TB) *data.Store {
	t.Helper()
	s, err := data.Open(filepath.Join(t.TempDir(), "s.duckdb"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// kpisByRun maps (point, replication, scope, name) to the stored value.
func kpisByRun(t *testing.T, s *data.Store, id string) map[string]float64 {
	t.Helper()
	ks, err := s.SweepKPIs(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, k := range ks {
		out[fmt.Sprintf("%d/%d/%s/%s", k.Point, k.Replication, k.Scope, k.Name)] = k.Value
	}
	return out
}

func sameKPIs(t *testing.T, what string, a, b map[string]float64) {
	t.Helper()
	if len(a) != len(b) || len(a) == 0 {
		t.Errorf("%s: %d KPIs against %d", what, len(a), len(b))
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || math.Float64bits(v) != math.Float64bits(w) && !(math.IsNaN(v) && math.IsNaN(w)) {
			t.Errorf("%s: KPI %s = %v against %v", what, k, v, w)
			return
		}
	}
}

func TestExecuteInterruptResumeSummarize(t *testing.T) {
	ctx := context.Background()
	p := plan(t, smallSweep)
	if err := p.CheckKPIs(ctx); err != nil {
		t.Fatal(err)
	}
	s := openStore(t)
	id := data.NewID()
	if created, err := Register(ctx, s, p, id); err != nil || !created {
		t.Fatalf("Register: %v %v", created, err)
	}

	// Cancel after two runs: those stay, nothing is left running.
	cctx, cancel := context.WithCancel(ctx)
	var mu sync.Mutex
	var events []Progress
	out, err := Execute(cctx, p, Options{Store: s, SweepID: id, Workers: 2, Progress: func(pr Progress) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, pr)
		if pr.Done == 2 {
			cancel()
		}
	}})
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	if !out.Interrupted || out.Done < 2 || out.Done+out.Failed >= 9 || out.Total != 9 {
		t.Fatalf("interrupted outcome %+v", out)
	}
	pending, complete, err := Pending(ctx, s, id, p, ShardSpec{})
	if err != nil || complete != out.Done || len(pending) != 9-out.Done {
		t.Fatalf("after the interrupt: %d pending, %d complete (%v); %d were done", len(pending), complete, err, out.Done)
	}

	// Resume runs exactly the rest.
	again, err := Execute(ctx, p, Options{Store: s, SweepID: id, Workers: 2})
	if err != nil || again.Done != 9-out.Done || again.Skipped != out.Done || again.Failed != 0 || again.Interrupted {
		t.Fatalf("resume: %+v %v", again, err)
	}
	sum, err := Summarize(ctx, s, id, p, ShardSpec{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Runs != 9 || len(sum.Points) != 3 || len(sum.Missing) != 0 || sum.Units[0] != "USD/Mtok" {
		t.Fatalf("summary %+v", sum)
	}
	// Each interval is the mean of the stored values of the point's three runs.
	vals := kpisByRun(t, s, id)
	for _, ps := range sum.Points {
		var xs []float64
		for rep := 0; rep < 3; rep++ {
			xs = append(xs, vals[fmt.Sprintf("%d/%d//margin_usd", ps.Point.Index, rep)])
		}
		want := MeanCI(xs, ConfidenceLevel)
		if got := ps.KPIs[2]; ps.Runs != 3 || got.N != 3 || math.Abs(got.Mean-want.Mean) > 1e-12 || math.Abs(got.HalfWidth-want.HalfWidth) > 1e-12 {
			t.Errorf("point %d margin %+v, want %+v", ps.Point.Index, got, want)
		}
	}

	// Workers change nothing: one worker, another sweep id, identical KPIs.
	s1 := openStore(t)
	id1 := data.NewID()
	if _, err := Register(ctx, s1, p, id1); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(ctx, p, Options{Store: s1, SweepID: id1, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	sameKPIs(t, "one worker against two", kpisByRun(t, s1, id1), vals)

	// Two shards into one store (the derived id) give the same KPIs.
	s2 := openStore(t)
	for i := 0; i < 2; i++ {
		if _, err := Register(ctx, s2, p, p.DerivedID()); err != nil {
			t.Fatal(err)
		}
		o, err := Execute(ctx, p, Options{Store: s2, SweepID: p.DerivedID(), Workers: 2, Shard: ShardSpec{Index: i, Count: 2}})
		if err != nil || o.Total != []int{6, 3}[i] {
			t.Fatalf("shard %d: %+v %v", i, o, err)
		}
	}
	sameKPIs(t, "two shards against one process", kpisByRun(t, s2, p.DerivedID()), vals)
}

func TestExecuteRecordsFailures(t *testing.T) {
	ctx := context.Background()
	// A trace read when the plan loads and gone when the runs start fails
	// every run: the failures are recorded, and the dispatch stops after
	// the configured streak.
	trace := filepath.Join(t.TempDir(), "gone.csv")
	if err := os.WriteFile(trace, []byte("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,10,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := plan(t, `name: broken
base: baseline
set:
  horizon: 1m
  workloads[chat].arrivals.process: trace
  workloads[chat].arrivals.rate: 0/s
  workloads[chat].arrivals.trace.path: `+trace+`
parameters:
  fleet.count: [1, 2, 3, 4, 5, 6]
`)
	os.Remove(trace)
	s := openStore(t)
	id := data.NewID()
	if _, err := Register(ctx, s, p, id); err != nil {
		t.Fatal(err)
	}
	out, err := Execute(ctx, p, Options{Store: s, SweepID: id, Workers: 1, MaxConsecutiveFailures: 3})
	if err != nil {
		t.Fatal(err)
	}
	if out.Failed != 3 || !out.Stopped || out.Done != 0 || len(out.Failures) != 3 || out.Failures[0].Err == nil {
		t.Errorf("outcome %+v", out)
	}
}

// BenchmarkSweep100 runs 100-point sweeps of 10-simulated-minute scenarios
// with one and two workers, each iteration into a fresh store:
//
//   - baseline: the built-in baseline (Trainium, 10 fleet sizes x 10 chat
//     rates of 1-10/s); a run simulates in about 10 ms, so storing it
//     (registration, request rows, the final transaction: three commits
//     with their fsyncs) costs about as much as simulating it;
//   - gpu: the same traffic grid on p5.48xlarge with vLLM (4-40/s), where
//     simulating dominates.
//
// wall_s is the sweep's wall time plus closing the store (its final
// checkpoint). Run it with (about two minutes on two cores):
//
//	go test ./study -run '^$' -bench Sweep100 -benchtime 1x
func BenchmarkSweep100(b *testing.B) {
	for _, sc := range []struct{ name, spec string }{{"baseline", benchSweep}, {"gpu", benchSweepGPU}} {
		p := benchPlan(b, sc.spec)
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/j%d", sc.name, workers), func(b *testing.B) {
				for b.Loop() {
					s := openStore(b)
					id := data.NewID()
					if _, err := Register(context.Background(), s, p, id); err != nil {
						b.Fatal(err)
					}
					out, err := Execute(context.Background(), p, Options{Store: s, SweepID: id, Workers: workers})
					if err != nil || out.Done != 100 {
						b.Fatalf("%+v %v", out, err)
					}
					// Closing checkpoints what the write-ahead log still holds:
					// work the sweep owes, so it counts.
					closeStart := time.Now()
					if err := s.Close(); err != nil {
						b.Fatal(err)
					}
					b.ReportMetric((out.Wall + time.Since(closeStart)).Seconds(), "wall_s")
				}
			})
		}
	}
}

const benchSweep = `name: bench100
base: baseline
set: {horizon: 10m}
parameters:
  fleet.count: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
  workloads[chat].arrivals.rate: {from: 1/s, to: 10/s, step: 1/s}
`

const benchSweepGPU = `name: bench100-gpu
base: baseline
set:
  horizon: 10m
  fleet.instance: p5.48xlarge
  fleet.replica.tp: 8
  fleet.replica.scheduler: vllm
  fleet.replica.max_num_seqs: 64
parameters:
  fleet.count: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
  workloads[chat].arrivals.rate: {from: 4/s, to: 40/s, step: 4/s}
`

func benchPlan(tb testing.TB, spec string) *Plan {
	tb.Helper()
	sp, err := ParseSpec("bench.yaml", []byte(spec), "", nil)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := NewPlan(sp)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}
