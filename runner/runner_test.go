package runner

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/model"
	"aiecon/sim"
)

func TestLoadInputErrors(t *testing.T) {
	cases := map[string][]string{
		"nope.yaml":        nil,
		"no-such-scenario": nil,
		"baseline":         {"fleet.cnt=3"},
		"inferentia-small": {"fleet.count=three"},
	}
	for arg, sets := range cases {
		_, err := Load(arg, sets)
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("Load(%q, %v): %v is not an InputError", arg, sets, err)
		}
	}
	_, err := Load("inferentia-small", []string{"fleet.count=three"})
	if err == nil || !strings.Contains(err.Error(), "--set fleet.count=three") {
		t.Errorf("a bad --set value should be attributed to the --set: %v", err)
	}
}

func TestLoadVariants(t *testing.T) {
	ls, err := LoadVariants("gpu-vs-trainium", []string{"horizon=5m"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 2 || ls[0].Scenario.Name != "gpu-vs-trainium/trn2" || ls[1].Scenario.Name != "gpu-vs-trainium/p5" {
		t.Fatalf("variants: %d, names %v", len(ls), names(ls))
	}
	p5 := ls[1].Scenario
	if p5.Fleet.Instance != "p5.48xlarge" || p5.Fleet.Replica.TP != 8 || p5.Fleet.Replica.Scheduler != "vllm" || p5.Horizon != 5*model.Minute {
		t.Fatalf("p5 variant not applied: %+v", p5.Fleet)
	}
	if strings.Contains(string(ls[1].Resolved), "variants:") {
		t.Fatal("a variant's resolved YAML still lists the variants")
	}
	one, err := LoadVariants("gpu-vs-trainium", nil, "p5")
	if err != nil || len(one) != 1 {
		t.Fatalf("--variant p5: %v, %d", err, len(one))
	}
	if _, err := LoadVariants("gpu-vs-trainium", nil, "tpu"); err == nil || !strings.Contains(err.Error(), "variants: trn2, p5") {
		t.Fatalf("unknown variant: %v", err)
	}
}

func names(ls []*Loaded) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Scenario.Name)
	}
	return out
}

// TestValidatePublishedPoints: validate reproduces each published point as a
// burst on one replica; its errors are the absolute percentage errors of the
// simulated p50s, and the mean is over both metrics of every row.
func TestValidatePublishedPoints(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not the user's
	pts := hw.PublishedServingPoints()
	rep, err := Validate(context.Background(), pts)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != len(pts) || rep.Calibration != "built-in" {
		t.Fatalf("%d rows, calibration %q", len(rep.Rows), rep.Calibration)
	}
	var sum float64
	for _, r := range rep.Rows {
		if r.Scheduler != "neuron" {
			t.Errorf("%s: scheduler %s, want neuron", r.Point.Instance, r.Scheduler)
		}
		want := math.Abs(r.PredTTFTS*1e3-r.Point.TTFTMs) / r.Point.TTFTMs
		if math.Abs(want-r.TTFTAPE) > 1e-12 {
			t.Errorf("TTFT APE %v, want %v", r.TTFTAPE, want)
		}
		sum += r.TTFTAPE + r.TPOTAPE
	}
	if math.Abs(rep.MAPE-sum/float64(2*len(rep.Rows))) > 1e-12 {
		t.Fatalf("MAPE %v, want %v", rep.MAPE, sum/float64(2*len(rep.Rows)))
	}
	// The serving constants were fitted to these very points: the error is small.
	if rep.MAPE > 0.15 {
		t.Fatalf("MAPE %.1f%% on the calibration points", 100*rep.MAPE)
	}
}

// storeAndSmallScenario opens a fresh store (closed when the test ends),
// with the built-in calibration, and loads two minutes of inferentia-small.
func storeAndSmallScenario(t *testing.T) (*data.Store, *Loaded) {
	t.Helper()
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	store, err := data.Open(filepath.Join(t.TempDir(), "s.duckdb"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	l, err := Load("inferentia-small", []string{"horizon=2m"})
	if err != nil {
		t.Fatal(err)
	}
	return store, l
}

func TestRunStoresCompleteOrFailed(t *testing.T) {
	store, l := storeAndSmallScenario(t)
	out, err := Run(context.Background(), l, Options{Store: store, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := store.Run(context.Background(), out.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Run.Status != "complete" {
		t.Fatalf("stored run status %q", d.Run.Status)
	}
	// Ctrl-C in the middle of a run: it stops and is stored as failed.
	long, err := Load("baseline", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err = Run(ctx, long, Options{Store: store, Progress: func(sim.Progress) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: %v", err)
	}
	runs, err := store.Runs(context.Background(), data.RunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]int{}
	for _, r := range runs {
		statuses[r.Status]++
	}
	if statuses["complete"] != 1 || statuses["failed"] != 1 {
		t.Fatalf("statuses %v, want one complete and one failed", statuses)
	}
}

// panicSink fails the way a simulator bug would: by panicking mid-run.
type panicSink struct{ sim.MemorySink }

func (p *panicSink) Windows([]sim.WindowRecord) error { panic("boom in window") }

// TestRunRecoversASimulatorPanic: a panic inside one simulation is that
// run's failure, stored with the panic's message; the process goes on.
func TestRunRecoversASimulatorPanic(t *testing.T) {
	store, l := storeAndSmallScenario(t)
	_, err := Run(context.Background(), l, Options{Store: store, Tee: &panicSink{}})
	if err == nil || !strings.Contains(err.Error(), "simulator panic: boom in window") {
		t.Fatalf("want the panic as the run's error, got %v", err)
	}
	runs, err := store.Runs(context.Background(), data.RunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Status != data.StatusFailed {
		t.Fatalf("runs %+v, want one failed run", runs)
	}
	d, err := store.Run(context.Background(), runs[0].ID)
	if err != nil || !strings.Contains(d.Run.Error, "boom in window") {
		t.Fatalf("stored error %q (%v), want the panic message", d.Run.Error, err)
	}
}
