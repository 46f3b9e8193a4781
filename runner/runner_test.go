package runner

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/llm"
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
	for _, set := range []string{"fleet.count=three", "workloads[chat].arrivals.rate=-3/s", "workloads[0].arrivals.rate=-3/s",
		"workloads[0].price.input_per_mtok=-1", "workloads[chat].slo.tpot=-1ms"} {
		_, err := Load("baseline", []string{set})
		if err == nil || !strings.HasPrefix(err.Error(), "--set "+set+": ") {
			t.Errorf("a bad --set value should be attributed to the --set %s: %v", set, err)
		}
	}
	// A --set that adds a line: the errors it does not cause are placed at
	// their lines in the file as written, not in the text after the --set;
	// the training that no longer fits is the --set's (training.where's
	// cause, the fleet's layout), where it was the file's line 11.
	src := []byte("name: x\nmodel: llama-3.1-8b\nfleet:\n  instance: g6.xlarge\n  count: 1\n" +
		"workloads:\n  - name: chat\n    class: api\n    arrivals: {process: poisson, rate: 1/s}\n" +
		"training:\n  where: fleet-idle\n  every: 7d\n  params: 8e9\n  tokens: 1e8\n")
	_, err := LoadSource("x.yaml", src, "", []string{"fleet.replica.per_instance=1"})
	if err == nil || !strings.Contains(err.Error(), "x.yaml:7:9: workloads[0].prompt_tokens: required") ||
		!strings.Contains(err.Error(), "--set fleet.replica.per_instance=1: training.where: the training job does not fit") {
		t.Errorf("want the workload's error at x.yaml:7 (as written) and the training's named for the --set: %v", err)
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
	// A --set is checked on top of the variant, not the base: TP 4 fits the
	// p5 variant's H100s, not the base's trn2 (it was refused).
	tp4, err := LoadVariants("gpu-vs-trainium", []string{"fleet.replica.tp=4"}, "p5")
	if err != nil || tp4[0].Scenario.Fleet.Replica.TP != 4 || len(tp4[0].User) != 1 {
		t.Fatalf("--variant p5 --set fleet.replica.tp=4: %v", err)
	}
	// A --set of the variants themselves still applies to them.
	three, err := LoadVariants("gpu-vs-trainium", []string{"variants[p5].set={fleet.count: 3}"}, "p5")
	if err != nil || three[0].Scenario.Fleet.Count != 3 {
		t.Fatalf("--set variants[p5].set: %v", err)
	}
	// A path no scenario has is one error, not the first variant's.
	if _, err := LoadVariants("gpu-vs-trainium", []string{"flet.count=2"}, ""); err == nil || strings.HasPrefix(err.Error(), "variant ") ||
		!strings.Contains(err.Error(), "unknown field flet.count") {
		t.Fatalf("--set flet.count: %v", err)
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
// static batch on one replica; its errors are the signed relative errors of
// the simulated medians, the groups and the overall MAPE summarise them, and
// rows aiecon cannot express are skipped with the reason.
func TestValidatePublishedPoints(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not the user's
	pts := hw.PublishedServingPoints()
	spec := pts[0]
	spec.SpecDecode = "EAGLE3"
	rep, err := Validate(context.Background(), append(pts, spec), ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != len(pts) || rep.Calibration != "built-in" || len(rep.Skipped) != 1 || len(rep.Groups) != 2 {
		t.Fatalf("%d rows, %d skipped, %d groups, calibration %q", len(rep.Rows), len(rep.Skipped), len(rep.Groups), rep.Calibration)
	}
	var sum float64
	for _, r := range rep.Rows {
		if r.Scheduler != "static" {
			t.Errorf("%s: scheduler %s, want static", r.Point.Instance, r.Scheduler)
		}
		if want := r.PredTTFTS*1e3/r.Point.TTFTMs - 1; math.Abs(want-r.TTFTErr) > 1e-12 {
			t.Errorf("TTFT error %v, want %v", r.TTFTErr, want)
		}
		sum += math.Abs(r.TTFTErr) + math.Abs(r.TPOTErr)
	}
	if math.Abs(rep.MAPE-sum/float64(2*len(rep.Rows))) > 1e-12 {
		t.Fatalf("MAPE %v, want %v", rep.MAPE, sum/float64(2*len(rep.Rows)))
	}
	// Both points are in the Neuron training set: the error is small.
	if rep.MAPE > 0.2 {
		t.Fatalf("MAPE %.1f%% on the published points", 100*rep.MAPE)
	}
}

// TestValidateMatchesPredict: the simulator's static batch and hw.Predict,
// the closed form the fit uses, agree on a Neuron and a GPU point.
func TestValidateMatchesPredict(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	pts := []hw.ServingPoint{
		{Model: "llama-2-70b", Instance: "trn1.32xlarge", TP: 32, Batch: 4, SeqLen: 4096, InputTokens: 2048, OutputTokens: 300, WeightDType: llm.BF16, TTFTMs: 1, TPOTMs: 1},
		{Model: "llama-2-7b", Instance: "p5.48xlarge", TP: 1, Batch: 8, SeqLen: 2176, InputTokens: 2048, OutputTokens: 20, WeightDType: llm.FP8, TTFTMs: 1, TPOTMs: 1},
	}
	rep, err := Validate(context.Background(), pts, ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	prof, _ := hw.BuiltinProfile()
	for i, pt := range pts {
		inst, _ := hw.InstanceByName(pt.Instance)
		chip, _ := inst.ChipSpec()
		s, _ := hw.DefaultServing(chip.StepFamily)
		perf, err := hw.NewPerf(inst, pt.TP, prof.ForChip(chip.Name), s)
		if err != nil {
			t.Fatal(err)
		}
		arch, _ := llm.Lookup(pt.Model)
		pr, err := hw.Predict(pt, arch, perf)
		if err != nil {
			t.Fatal(err)
		}
		r := rep.Rows[i]
		if math.Abs(r.PredTTFTS/pr.TTFTS-1) > 1e-3 || math.Abs(r.PredTPOTS/pr.TPOTS-1) > 1e-3 {
			t.Errorf("%s: simulated TTFT %.6g TPOT %.6g, predicted %.6g %.6g", pt, r.PredTTFTS, r.PredTPOTS, pr.TTFTS, pr.TPOTS)
		}
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

// TestRunSaysWhenRegistered: Registered is called with the stored run's id
// once its row exists, so that a caller cancelling the run can tell "kept
// as failed" from "nothing stored"; a run cancelled before that, or not
// stored, never calls it.
func TestRunSaysWhenRegistered(t *testing.T) {
	store, _ := storeAndSmallScenario(t)
	l, err := Load("baseline", nil) // long enough to report progress
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name          string
		store         *data.Store
		cancelAtStart bool // else at the first progress report
		wantCall      bool
	}{
		{"cancelled while simulating", store, false, true},
		{"cancelled before it registers", store, true, false},
		{"not stored", nil, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if c.cancelAtStart {
				cancel()
			}
			var got []string
			_, err := Run(ctx, l, Options{Store: c.store, Progress: func(sim.Progress) { cancel() },
				Registered: func(id string) { got = append(got, id) }})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled run: %v", err)
			}
			if !c.wantCall {
				if len(got) != 0 {
					t.Fatalf("Registered called with %v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("Registered called %d times, want once", len(got))
			}
			d, err := store.Run(context.Background(), got[0])
			if err != nil || d.Run.Status != "failed" {
				t.Fatalf("run %s as stored: %+v, %v; want it failed", got[0], d, err)
			}
		})
	}
	runs, err := store.Runs(context.Background(), data.RunFilter{})
	if err != nil || len(runs) != 1 {
		t.Fatalf("%d runs stored (%v), want only the one cancelled while simulating", len(runs), err)
	}
}

// TestSimulateThenFinish: a simulated run is stored as running until
// Finish commits it, so a sweep worker may simulate the next run meanwhile;
// a second simulation can run while the first waits.
func TestSimulateThenFinish(t *testing.T) {
	store, l := storeAndSmallScenario(t)
	ctx := context.Background()
	first, err := Simulate(ctx, l, Options{Store: store, Name: "first"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := Simulate(ctx, l, Options{Store: store, Name: "second"})
	if err != nil {
		t.Fatal(err)
	}
	if runs, err := store.Runs(ctx, data.RunFilter{Status: data.StatusRunning}); err != nil || len(runs) != 2 {
		t.Fatalf("before Finish: %d runs running (%v), want 2", len(runs), err)
	}
	for _, s := range []*Simulated{first, second} {
		out, err := s.Finish()
		if err != nil {
			t.Fatal(err)
		}
		d, err := store.Run(ctx, out.RunID)
		if err != nil || d.Run.Status != data.StatusComplete || out.Result == nil {
			t.Fatalf("after Finish: %+v, %v", d, err)
		}
	}
	// Without a store there is nothing to commit.
	s, err := Simulate(ctx, l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if out, err := s.Finish(); err != nil || out.RunID != "" {
		t.Errorf("unstored Finish: %+v, %v", out, err)
	}
}

// TestFinishFailedKeepsTheOutcome: a run simulated in full whose storing
// fails (a full disk, here a store closed under it) returns its results
// beside the error, so that `aiecon run` can still print them; it returned
// none.
func TestFinishFailedKeepsTheOutcome(t *testing.T) {
	store, l := storeAndSmallScenario(t)
	s, err := Simulate(context.Background(), l, Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	store.Close() // fails the open run
	out, err := s.Finish()
	if err == nil || out == nil || out.Result == nil || out.RunID != "" {
		t.Fatalf("Finish on a closed store: %+v, %v; want the results, no run id and an error", out, err)
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

// TestClosedLoopScenario: a closed-loop row runs N clients with no think
// time on the chip's continuous-batching scheduler; on a GPU with the
// in-flight batching token budget, reservation admission and KV share
// validate assumes for the published NIM (TensorRT-LLM) loops, on Neuron with
// the scheduler's own and on-demand admission.
func TestClosedLoopScenario(t *testing.T) {
	const free = "vllm bench serve ... --max-concurrency 50; no --ignore-eos"
	tests := []struct {
		instance, model string
		tp              int
		note, framework string
		want, not       []string
	}{
		{"p4de.24xlarge", "llama-3-8b", 1, "", "NIM", []string{"scheduler: vllm", "max_num_seqs: 50", fmt.Sprintf("max_batched_tokens: %d", closedLoopTokenBudget),
			"admission: reserve-max", "kv_memory_fraction: 0.8", "memory_reserve: 0.02", "process: closed, clients: 50, think_time: 0s}"}, []string{"ramp"}},
		// A vLLM row keeps vLLM's defaults: its own budget and admission,
		// its KV cache in 90% of the GPU memory.
		{"p4de.24xlarge", "llama-3-8b", 1, "", "vLLM 0.6", []string{"scheduler: vllm", "memory_reserve: 0.1}"},
			[]string{"max_batched_tokens", "admission", "kv_memory_fraction"}},
		{"trn2.48xlarge", "llama-3.1-8b", 8, "", "", []string{"scheduler: neuron", "memory_reserve: 0.02", "process: closed, clients: 50, think_time: 0s}"}, []string{"max_batched_tokens", "admission", "kv_memory_fraction"}},
		// Output lengths left to the model: the clients join over one
		// predicted lifetime (TestClosedLoopRamp, sim, says why).
		{"trn2.48xlarge", "llama-3.1-8b", 8, free, "vllm-neuron", []string{"process: closed, clients: 50, think_time: 0s, ramp: ", "memory_reserve: 0.02"}, nil},
	}
	for _, tt := range tests {
		pt := hw.ServingPoint{Model: tt.model, Instance: tt.instance, TP: tt.tp, Batch: 50, Concurrency: 50, SeqLen: 2200,
			InputTokens: 2000, OutputTokens: 200, WeightDType: llm.BF16, TTFTMs: 1, TPOTMs: 1, Note: tt.note, Framework: tt.framework}
		y, err := ValidationScenario(pt)
		if err != nil {
			t.Fatalf("%s: %v", tt.instance, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(y, w) {
				t.Errorf("%s: scenario lacks %q:\n%s", tt.instance, w, y)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(y, w) {
				t.Errorf("%s: scenario has %q:\n%s", tt.instance, w, y)
			}
		}
	}
}

// TestSpotDiscountFromTheCatalogQuote: unset, a spot fleet's discount is
// what the catalog's dated spot quote implies (the fleet pays the quote);
// the scenario's where it sets one; and an error naming the field where the
// catalog has no quote or the scenario sets its own base price, since a
// discount no source gives is unknown.
func TestSpotDiscountFromTheCatalogQuote(t *testing.T) {
	gpu := []string{"fleet.replica.tp=8", "fleet.replica.scheduler=vllm", "fleet.pricing=spot"}
	for _, tt := range []struct {
		sets    []string
		want    float64
		wantErr string
	}{
		{sets: append([]string{"fleet.instance=p5en.48xlarge"}, gpu...), want: 1 - 27.2/63.296},
		{sets: append([]string{"fleet.instance=p5en.48xlarge", "fleet.spot.discount=0.3"}, gpu...), want: 0.3},
		{sets: append([]string{"fleet.instance=p5.48xlarge", "fleet.spot.discount=0"}, gpu...), want: 0},
		{sets: append([]string{"fleet.instance=p5.48xlarge"}, gpu...), wantErr: "fleet.spot.discount: required: the catalog has no dated spot quote for p5.48xlarge"},
		{sets: append([]string{"fleet.instance=p5en.48xlarge", "fleet.price_usd_per_hour=50"}, gpu...), wantErr: "fleet.spot.discount: required with fleet.price_usd_per_hour"},
	} {
		l, err := Load("baseline", tt.sets)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%v: error %v, want one containing %q", tt.sets, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := l.Scenario.Fleet.Spot.Discount; math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%v: discount %v, want %v", tt.sets, got, tt.want)
		}
	}
}

// TestResolvedWritesValueDefaults checks that a resolved scenario writes out
// the defaults that are values, not absences (prefix caching on, bucketing
// on with a neuron scheduler), and that it loads back as itself: a stored
// run's resolved scenario re-runs the same run.
func TestResolvedWritesValueDefaults(t *testing.T) {
	ls, err := LoadVariants("gpu-vs-trainium", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		y := string(l.Resolved)
		neuron := strings.HasPrefix(l.Scenario.Fleet.Replica.Scheduler, "neuron")
		if !strings.Contains(y, "prefix_caching: true") {
			t.Errorf("%s: resolved scenario leaves out prefix_caching:\n%s", l.Scenario.Name, y)
		}
		if got := strings.Contains(y, "enable_bucketing: true"); got != neuron {
			t.Errorf("%s (scheduler %s): enable_bucketing written %v", l.Scenario.Name, l.Scenario.Fleet.Replica.Scheduler, got)
		}
		again, err := LoadSource("resolved.yaml", l.Resolved, "", nil)
		if err != nil {
			t.Fatalf("%s: its resolved scenario does not load: %v", l.Scenario.Name, err)
		}
		if string(again.Resolved) != y {
			t.Errorf("%s: resolving the resolved scenario again moved it:\n%s\nthen\n%s", l.Scenario.Name, y, again.Resolved)
		}
	}
}

// TestScenarioGEMMUses: the formats a run's GEMMs multiply in per chip, as
// the profile summary names them: the activations' format, fp8 where the
// step family multiplies fp8 weights natively (W8A8), and then the
// attention core's, the activations' format, where the GEMMs use another.
func TestScenarioGEMMUses(t *testing.T) {
	for _, tt := range []struct {
		sets []string
		want []hw.GEMMUse
	}{
		{[]string{"precision.weights=fp16", "precision.activations=fp16", "precision.kv_cache=fp16"}, []hw.GEMMUse{{Chip: "H100", DType: llm.FP16}}},
		// The attention core multiplies in the activations' format.
		{[]string{"precision.weights=fp8", "precision.activations=bf16"}, []hw.GEMMUse{{Chip: "H100", DType: llm.FP8}, {Chip: "H100", DType: llm.BF16, Attention: true}}},
	} {
		ls, err := LoadVariants("gpu-vs-trainium", tt.sets, "p5")
		if err != nil {
			t.Fatalf("%v: %v", tt.sets, err)
		}
		if got := ScenarioGEMMUses(ls[0].Scenario); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%v: ScenarioGEMMUses = %v, want %v", tt.sets, got, tt.want)
		}
	}
}
