package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/llm"
	"aiecon/sim"
)

// TestStepTimesExtrapolations: the main fleet and each pool are checked
// against the sizes per device their family's constants were fitted to;
// the source line carries the main fleet's.
func TestStepTimesExtrapolations(t *testing.T) {
	fleet := func(instance string, tp int) model.Fleet {
		var f model.Fleet
		f.Instance, f.Replica.TP = instance, tp
		return f
	}
	sc := &model.Scenario{Model: model.ModelRef{Name: "llama-3.1-8b"}, Fleet: fleet("p5.48xlarge", 8)}
	sc.Pools = []model.Pool{{Name: "big", Model: model.ModelRef{Name: "llama-3.3-70b"}, Fleet: fleet("p5.48xlarge", 8)},
		{Name: "small", Model: model.ModelRef{Name: "llama-3.1-8b"}, Fleet: fleet("p4de.24xlarge", 4)}}
	xs := StepTimesExtrapolations(sc, nil)
	if len(xs) != 2 || !strings.HasPrefix(xs[0], "llama-3.1-8b at TP 8 on p5.48xlarge (gpu constants): 1.0B active parameters per device") ||
		!strings.HasPrefix(xs[1], "llama-3.1-8b at TP 4 on p4de.24xlarge (gpu-ampere constants): 2.0B") {
		t.Errorf("extrapolations %q, want the 8B main fleet at TP8 and the 8B pool at TP4, not the 70B pool", xs)
	}
	if src := StepTimesSource(sc, nil); !strings.Contains(src, "; EXTRAPOLATED: 1.0B per device;") {
		t.Errorf("source %q does not say the main fleet is extrapolated", src)
	}
	sc.Fleet.Replica.TP, sc.Pools = 1, nil
	if xs := StepTimesExtrapolations(sc, nil); len(xs) != 0 {
		t.Errorf("8B at TP1 on H100, as measured: %q", xs)
	}
	if src := StepTimesSource(sc, nil); strings.Contains(src, "EXTRAPOLATED") {
		t.Errorf("source %q", src)
	}

	// A weight format no fitted measurement stored is named too, alone or
	// beside the size; bf16 counts as the fp16 the GPU rows stored.
	for _, tt := range []struct {
		instance string
		tp       int
		weights  llm.DType
		want     string // "" = covered
	}{
		{"p5.48xlarge", 1, llm.BF16, ""},
		{"p5.48xlarge", 1, llm.FP8, ""},
		{"p5.48xlarge", 1, llm.INT8, "llama-3.1-8b at TP 1 on p5.48xlarge (gpu constants): int8 weights, while the measurements they were fitted to stored fp16 or fp8"},
		{"p4de.24xlarge", 1, llm.FP8, "fp8 weights, while the measurements they were fitted to stored fp16"},
		{"p4de.24xlarge", 1, llm.INT4, "int4 weights, while the measurements they were fitted to stored fp16"},
		{"p5.48xlarge", 8, llm.INT8, "1.0B active parameters per device (8.0B at TP 8), while the measurements they were fitted to ran 6.7-69B per device; int8 weights"},
	} {
		sc.Fleet, sc.Precision.Weights = fleet(tt.instance, tt.tp), tt.weights
		xs := StepTimesExtrapolations(sc, nil)
		if tt.want == "" && len(xs) != 0 || tt.want != "" && (len(xs) != 1 || !strings.Contains(xs[0], tt.want)) {
			t.Errorf("%s weights at TP %d on %s: %q, want %q", tt.weights, tt.tp, tt.instance, xs, tt.want)
		}
	}
}

// A run whose calibration profile can no longer be read (a stored run shown
// after its file went) says so, rather than that its constants were fitted
// under the built-in profile, which it cannot know.
func TestStepTimesSourceUnreadableProfile(t *testing.T) {
	sc := &model.Scenario{Model: model.ModelRef{Name: "llama-3.3-70b"}}
	sc.Fleet.Instance, sc.Fleet.Replica.TP = "p5.48xlarge", 8
	sc.Hardware.Calibration = filepath.Join(t.TempDir(), "gone.json")
	src := StepTimesSource(sc, nil)
	if !strings.Contains(src, "the run's calibration profile cannot be read now") || strings.Contains(src, "fitted under the built-in profile") {
		t.Errorf("source %q: want the unreadable profile said, not a guess", src)
	}
}

// lengthScenario is one fleet serving one workload; the tests fill in the
// model, instance, replica and workload.
const lengthScenario = `
name: lengths
model: MODEL
fleet: {instance: INSTANCE, replica: REPLICA}
workloads:
  - WORKLOAD
`

func loadLengths(t *testing.T, modelName, instance, replica, workload string) *model.Scenario {
	t.Helper()
	src := strings.NewReplacer("MODEL", modelName, "INSTANCE", instance, "REPLICA", replica, "WORKLOAD", workload).Replace(lengthScenario)
	l, err := LoadSource("lengths.yaml", []byte(src), "", nil)
	if err != nil {
		t.Fatalf("%s", err)
	}
	return l.Scenario
}

// TestLengthAndMoEExtrapolations: a fleet whose prompts reach past the
// longest prompt its family's constants were fitted to, or whose
// contexts reach more than twice the longest context, or that serves a
// mixture of experts on constants fitted to dense models only, is called
// extrapolated, with the figure and the fitted maximum; one within them is
// not. Before a run the scenario bounds the lengths (99th percentiles, an
// agent's growing context, cut to max_model_len); after one, what it
// served decides.
func TestLengthAndMoEExtrapolations(t *testing.T) {
	const (
		api  = `{name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: PROMPT, output_tokens: OUTPUT}`
		inf2 = "inf2.48xlarge"
		p5   = "p5.48xlarge"
	)
	chat := func(prompt, output string) string {
		return strings.NewReplacer("PROMPT", prompt, "OUTPUT", output).Replace(api)
	}
	agent := func(steps int) string {
		return fmt.Sprintf(`{name: shop, class: agent, arrivals: {rate: 1/s}, prompt_tokens: 50, output_tokens: 100,
      agent: {system_prompt_tokens: 1000, steps: %d, tool_result_tokens: 200}}`, steps)
	}
	tests := []struct {
		name                     string
		model, instance, replica string
		workload                 string
		served                   []sim.PoolLengths // nil: before a run
		want                     []string          // nil: covered
	}{
		{"inf2: 8k prompts, as measured", "llama-3.1-8b", inf2, "{tp: 24, max_num_seqs: 8, max_model_len: 16384}", chat("8192", "500"), nil, nil},
		{"inf2: 32k prompts", "llama-3.1-8b", inf2, "{tp: 24, max_num_seqs: 8, max_model_len: 40000}", chat("32768", "500"), nil,
			[]string{"llama-3.1-8b at TP 24 on inf2.48xlarge (neuron-v2 constants): prompts to 32,768 tokens, while the measurements they were fitted to reached 8,192"}},
		{"inf2: a lognormal's 99th percentile, not its median", "llama-3.1-8b", inf2, "{tp: 24, max_num_seqs: 8, max_model_len: 40000}",
			chat("{dist: lognormal, median: 4000, p99: 20000}", "500"), nil, []string{"prompts to 20,000 tokens"}},
		{"inf2: max_model_len cuts the prompts", "llama-3.1-8b", inf2, "{tp: 24, max_num_seqs: 8, max_model_len: 8193}",
			chat("{dist: lognormal, median: 4000, p99: 50000}", "500"), nil, nil},
		{"inf2: long outputs reach past the contexts measured", "llama-3.1-8b", inf2, "{tp: 24, max_num_seqs: 8, max_model_len: 40000}", chat("4000", "30000"), nil,
			[]string{"contexts (prompt plus output) to 34,000 tokens, while the measurements they were fitted to reached 16,384"}},
		{"p5: a 6,000-token prompt is past the GPU rows' 2,048", "llama-3.1-8b", p5, "{tp: 1}", chat("6000", "200"), nil,
			[]string{"prompts to 6,000 tokens, while the measurements they were fitted to reached 2,048"}},
		{"p5: an agent of 4 steps stays within", "llama-3.1-8b", p5, "{tp: 1}", agent(4), nil, nil},
		{"p5: one step more reaches past the longest prompt", "llama-3.1-8b", p5, "{tp: 1}", agent(5), nil,
			[]string{"prompts to 2,250 tokens, while the measurements they were fitted to reached 2,048"}},
		{"p5: an agent's context grows past them in 12 steps", "llama-3.1-8b", p5, "{tp: 1}", agent(12), nil,
			[]string{"prompts to 4,350 tokens"}},
		{"p5: served prompts decide after a run", "llama-3.1-8b", p5, "{tp: 1}", chat("1000", "200"),
			[]sim.PoolLengths{{Calls: 100, PromptP99: 9000.4, ContextP99: 9200}}, []string{"prompts to 9,000 tokens", "contexts (prompt plus output) to 9,200 tokens"}},
		{"p5: served short prompts clear a long bound", "llama-3.1-8b", p5, "{tp: 1}", chat("6000", "200"),
			[]sim.PoolLengths{{Calls: 100, PromptP99: 2000, ContextP99: 3200}}, nil},
		{"p5: nothing served, the bound holds", "llama-3.1-8b", p5, "{tp: 1}", chat("6000", "200"),
			[]sim.PoolLengths{{}}, []string{"prompts to 6,000 tokens"}},
		{"p5: Mixtral on dense rows", "mixtral-8x7b", p5, "{tp: 2}", chat("1000", "200"), nil,
			[]string{"mixtral-8x7b at TP 2 on p5.48xlarge (gpu constants): a mixture of experts, while every measurement they were fitted to served a dense model"}},
		{"p5: a dense model of the same size", "llama-2-13b", p5, "{tp: 2}", chat("1000", "200"), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := loadLengths(t, tt.model, tt.instance, tt.replica, tt.workload)
			var res *sim.Result
			if tt.served != nil {
				res = &sim.Result{Lengths: tt.served}
			}
			xs := StepTimesExtrapolations(sc, res)
			if tt.want == nil && len(xs) != 0 {
				t.Errorf("%q, want none", xs)
			}
			if tt.want != nil && len(xs) != 1 {
				t.Fatalf("%q, want one naming %q", xs, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(xs[0], w) {
					t.Errorf("%q, want %q in it", xs[0], w)
				}
			}
			if src := StepTimesSource(sc, res); (tt.want == nil) == strings.Contains(src, "EXTRAPOLATED") {
				t.Errorf("source %q, want extrapolated: %v", src, tt.want != nil)
			}
		})
	}
}

// TestLengthsSetConstantsAndRouting: a scenario that sets every constant
// gets no length warning (nor any other); under prompt-length routing the
// small pool's prompts are cut to the threshold, while the large pool
// sees the long ones; under workload routing a pool sees only its own
// workloads' lengths.
func TestLengthsSetConstantsAndRouting(t *testing.T) {
	sc := loadLengths(t, "llama-3.1-8b", "p5.48xlarge", "{tp: 1}",
		`{name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 6000, output_tokens: 200}`)
	if xs := StepTimesExtrapolations(sc, nil); len(xs) != 1 {
		t.Fatalf("%q, want the 6,000-token prompts flagged", xs)
	}
	g := 0.5
	sc.Hardware = model.HardwareOverrides{PrefillS: 1e-3, LayerS: 1e-5, CollectiveS: 1e-5, HBMFrac: 0.8, KVFrac: 0.8,
		GEMMScale: 1, AttnScale: 1, LinkFrac: 0.8, KVGroupExp: &g}
	if xs := StepTimesExtrapolations(sc, nil); len(xs) != 0 {
		t.Errorf("every constant set: %q", xs)
	}
	if name, gaps := MainFleetGaps(sc); name != "" || len(gaps) != 0 {
		t.Errorf("every constant set, layout: %q %+v", name, gaps)
	}

	const mix = `
name: mix
model: llama-3.3-70b
fleet: {instance: p5.48xlarge, replica: {tp: 8}}
pools:
  - {name: small, model: llama-3.1-8b, fleet: {instance: p5.48xlarge, replica: {tp: 1}}}
ROUTING
workloads:
  - {name: short, class: api, arrivals: {rate: 1/s}, prompt_tokens: 1000, output_tokens: 200}
  - {name: long, class: api, arrivals: {rate: 1/s}, prompt_tokens: 6000, output_tokens: 200}
`
	for _, tt := range []struct {
		routing string
		want    []string // per pool, main first: "" = covered
	}{
		{"routing: {rule: prompt-length, threshold: 2000, small: small, large: llama-3.3-70b}", []string{"prompts to 6,000 tokens", ""}},
		{"routing: {rule: workload, workloads: {long: small}}", []string{"", "prompts to 6,000 tokens"}},
		{"routing: {rule: small-first, small: small, large: llama-3.3-70b, escalation: 0.2}", []string{"prompts to 6,000 tokens", "prompts to 6,000 tokens"}},
	} {
		l, err := LoadSource("mix.yaml", []byte(strings.Replace(mix, "ROUTING", tt.routing, 1)), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		xs := StepTimesExtrapolations(l.Scenario, nil)
		var got []string
		for _, x := range xs {
			if strings.Contains(x, "prompts to") {
				got = append(got, x)
			}
		}
		var want []string
		for i, w := range tt.want {
			if w != "" {
				want = append(want, []string{"llama-3.3-70b at TP 8", "llama-3.1-8b at TP 1"}[i])
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %q, want length warnings for %q", tt.routing, got, want)
			continue
		}
		for i := range got {
			if !strings.HasPrefix(got[i], want[i]) || !strings.Contains(got[i], "prompts to 6,000 tokens") {
				t.Errorf("%s: %q, want %q with prompts to 6,000 tokens", tt.routing, got[i], want[i])
			}
		}
	}
}

// TestStepTimesSourceSaysWhatItCovers: the step-times line says what the
// constants were fitted to (the stack, static batches or loops, the
// chips), "carried over" to a chip not among them, what checks continuous
// batching where the fleet batches continuously and the fit had no loop,
// and, briefly, where the fleet is extrapolated; what it must not say is
// said too.
func TestStepTimesSourceSaysWhatItCovers(t *testing.T) {
	const chat = `{name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 1000, output_tokens: 200}`
	const trn2 = "trn2.48xlarge, pricing: capacity-block" // no on-demand price
	// The counts and errors are the committed record's, so that a refit
	// does not move this test.
	gpu, _ := hw.DefaultServing(hw.StepGPU)
	v2, _ := hw.DefaultServing(hw.StepNeuronV2)
	nim, _ := hw.ContinuousBatchingCheck(hw.StepGPU)
	gpuFit := fmt.Sprintf("fitted to %d static batches of TensorRT-LLM 0.9.0 on H100, H200", gpu.FittedRows)
	tests := []struct {
		name, model, instance, replica string
		want, not                      []string
	}{
		{"H100 under vLLM", "llama-3.1-8b", "p5.48xlarge", "{tp: 1}",
			[]string{"gpu constants, EST, " + gpuFit + "; leave-one-model-out MAPE: TTFT ",
				fmt.Sprintf("continuous batching checked only by %d NIM (TensorRT-LLM) loops on A100-80GB: TTFT %.1f%%, TPOT %.1f%%", nim.Rows, 100*nim.TTFTMAPE, 100*nim.TPOTMAPE),
				// The loops are in sample for two of validate's settings.
				"in sample for validate's KV cache fraction and token budget, chosen on them"},
			[]string{"carried over", "EXTRAPOLATED", fmt.Sprintf("(%d rows)", gpu.FittedRows)}},
		{"H100 static batches, as fitted", "llama-3.1-8b", "p5.48xlarge", "{tp: 1, scheduler: static}",
			[]string{gpuFit}, []string{"continuous batching", "EXTRAPOLATED"}},
		{"B200: carried over", "llama-3.1-8b", "p6-b200.48xlarge", "{tp: 1}",
			[]string{gpuFit + ", carried over to B200;"}, nil},
		{"MoE on H100: extrapolated, in brief", "gpt-oss-120b", "p5.48xlarge", "{tp: 8}",
			[]string{"; EXTRAPOLATED: 0.7B per device, MoE;"}, []string{"while the measurements"}},
		{"inf2 under its Neuron scheduler", "llama-3.1-8b", "inf2.48xlarge", "{tp: 24, max_num_seqs: 8}",
			[]string{fmt.Sprintf("fitted to %d static batches of transformers-neuronx on Inferentia2, Trainium1", v2.FittedRows),
				"no published loop of clients checks their continuous batching"},
			[]string{"EXTRAPOLATED", "NIM"}},
		{"trn2: fitted to a loop, batch 256 past its batches", "llama-3.1-8b", trn2, "{tp: 8, max_num_seqs: 256}",
			[]string{"fitted to 2 rows (1 static batch, 1 loop of clients) of NxD Inference + vLLM and vllm-neuron on Trainium2; too few to cross-validate: 2 rows of 2 models; EXTRAPOLATED: batches to 256"},
			[]string{"continuous batching", "carried over"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := StepTimesSource(loadLengths(t, tt.model, tt.instance, tt.replica, chat), nil)
			for _, w := range tt.want {
				if !strings.Contains(src, w) {
					t.Errorf("%q\nwant %q in it", src, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(src, n) {
					t.Errorf("%q\nwant no %q in it", src, n)
				}
			}
		})
	}
}

// TestLoopCheckUpToDate validates the NIM closed loops again, under the
// committed constants, and fails when the figures the step-times line
// quotes for continuous batching on GPUs (hw.ContinuousBatchingCheck)
// drift from what validate finds.
func TestLoopCheckUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("validates 264 closed loops")
	}
	const path = "../../shared/reference/serving-measurements/gpu-nim-a100.csv"
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("the public NIM loops are not here (%v)", err)
	}
	defer f.Close()
	pts, err := hw.ReadServingPoints(f)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not the user's
	rep, err := Validate(context.Background(), pts, ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, ok := hw.ContinuousBatchingCheck(hw.StepGPU)
	if !ok {
		t.Fatal("no continuous-batching check for the GPUs")
	}
	if len(rep.Rows) != c.Rows || math.Abs(rep.MAPETTFT-c.TTFTMAPE) > 0.0005 || math.Abs(rep.MAPETPOT-c.TPOTMAPE) > 0.0005 {
		t.Errorf("validate: %d rows, TTFT %.2f%%, TPOT %.2f%%; committed %d rows, %.1f%%, %.1f%%: update hw/coverage_loops.go and docs/calibration.md",
			len(rep.Rows), 100*rep.MAPETTFT, 100*rep.MAPETPOT, c.Rows, 100*c.TTFTMAPE, 100*c.TPOTMAPE)
	}
}

// TestMainFleetGaps: a layout a search weighs is named with each axis it
// lies outside its constants on, in a fixed order: the chip first where
// the constants are carried over to it from other chips (B200, L40S from
// H100 and H200), then what run's STEP TIMES EXTRAPOLATED names (size per
// device, lengths bounded from the scenario, the batch max_num_seqs
// allows); a covered layout has none.
func TestMainFleetGaps(t *testing.T) {
	const short = `{name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 1000, output_tokens: 200}`
	const long = `{name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 9000, output_tokens: 200}`
	tests := []struct {
		name, model, instance, replica, workload string
		wantFleet                                string
		wantAxes                                 []string
		wantBriefs                               []string
	}{
		{"covered", "llama-3.1-8b", "p5.48xlarge", "{tp: 1, max_num_seqs: 64}", short, "", nil, nil},
		{"size per device", "llama-3.1-8b", "p5.48xlarge", "{tp: 8, max_num_seqs: 64}", short,
			"llama-3.1-8b at TP 8 on p5.48xlarge (gpu constants)", []string{hw.AxisSize}, []string{"1.0B per device"}},
		{"prompts", "llama-3.1-8b", "p5.48xlarge", "{tp: 1, max_num_seqs: 64}", long,
			"llama-3.1-8b at TP 1 on p5.48xlarge (gpu constants)", []string{hw.AxisPrompt, hw.AxisContext},
			[]string{"prompts to 9,000 tokens", "contexts to 9,200 tokens"}},
		{"chip carried over", "llama-3.1-8b", "p6-b200.48xlarge", "{tp: 1, max_num_seqs: 64}", short,
			"llama-3.1-8b at TP 1 on p6-b200.48xlarge (gpu constants)", []string{hw.AxisChip}, []string{"carried over to B200"}},
		{"chip, size and batch", "llama-3.1-8b", "p6-b200.48xlarge", "{tp: 8, max_num_seqs: 4096}", short,
			"llama-3.1-8b at TP 8 on p6-b200.48xlarge (gpu constants)", []string{hw.AxisChip, hw.AxisSize, hw.AxisBatch},
			[]string{"carried over to B200", "1.0B per device", "batches to 4,096"}},
	}
	for _, tt := range tests {
		sc := loadLengths(t, tt.model, tt.instance, tt.replica, tt.workload)
		fleet, gaps := MainFleetGaps(sc)
		var axes, briefs []string
		for _, g := range gaps {
			axes, briefs = append(axes, g.Axis), append(briefs, g.Brief)
			if g.Detail == "" {
				t.Errorf("%s: gap %+v without its detail", tt.name, g)
			}
		}
		if fleet != tt.wantFleet || fmt.Sprint(axes) != fmt.Sprint(tt.wantAxes) || fmt.Sprint(briefs) != fmt.Sprint(tt.wantBriefs) {
			t.Errorf("%s: %q, axes %q, briefs %q; want %q, %q, %q", tt.name, fleet, axes, briefs, tt.wantFleet, tt.wantAxes, tt.wantBriefs)
		}
	}
}

// TestStepTimesSourceQuotesNoThinFigure: constants fitted to fewer than
// hw.ThinFitRows rows get no cross-validated figure on the step-times line,
// though the profile that carries them records one: hw fit --save wrote
// "leave-one-model-out MAPE: TTFT 37.4%, TPOT 4.4% (2 rows)" for neuron-v3
// (two predictions, each from constants fitted to the other model's one
// row), and run quoted it as the error of the constants. A record fitted
// to enough rows is quoted as it stands.
func TestStepTimesSourceQuotesNoThinFigure(t *testing.T) {
	v3, _ := hw.DefaultServing(hw.StepNeuronV3)
	for _, tt := range []struct {
		rows      int
		cv        string
		want, not string
	}{
		{2, "leave-one-model-out MAPE: TTFT 37.4%, TPOT 4.4% (2 rows)", "; too few to cross-validate: 2 rows;", "MAPE"},
		{hw.ThinFitRows, "leave-one-model-out MAPE: TTFT 20.0%, TPOT 5.0% (10 rows)", "; leave-one-model-out MAPE: TTFT 20.0%, TPOT 5.0%;", "too few"},
	} {
		prof, err := hw.BuiltinProfile()
		if err != nil {
			t.Fatal(err)
		}
		s := v3
		s.CV, s.FittedRows = tt.cv, tt.rows
		prof.Serving = []hw.Serving{s}
		js, err := json.Marshal(prof)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "profile.json")
		if err := os.WriteFile(path, js, 0o644); err != nil {
			t.Fatal(err)
		}
		sc := loadLengths(t, "llama-3.3-70b", "trn2.48xlarge, pricing: capacity-block", "{tp: 32}",
			`{name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 1000, output_tokens: 200}`)
		sc.Hardware.Calibration = path
		src := StepTimesSource(sc, nil)
		if !strings.Contains(src, "constants of this run's calibration profile") || !strings.Contains(src, tt.want) || strings.Contains(src, tt.not) {
			t.Errorf("%d rows, record %q: %q\nwant %q in it and no %q", tt.rows, tt.cv, src, tt.want, tt.not)
		}
	}
}

// TestSpeculativeExtrapolated: a fleet that decodes speculatively lies
// outside every measurement its constants were fitted to (none decoded
// speculatively, and validate skips the published speculative rows, which
// state no acceptance rate), so run warns STEP TIMES EXTRAPOLATED for the
// draft-model and EAGLE variants of the speculative example and says what
// that leaves unvalidated; plain decoding of the same fleet is covered.
// The example's run printed no caveat at all while its README said it did.
// It says so once, found by the gap's axis, not its words, and without the
// caveat on sizes, TP degrees and lengths unless another gap calls for it:
// the warning said its point twice and added that paragraph.
func TestSpeculativeExtrapolated(t *testing.T) {
	// Its prompts (99th percentile 4,000 tokens) pass the GPU rows' 2,048,
	// a gap of their own: capped at 2,048, speculation is the only one.
	loaded, err := LoadVariantsWith("../examples/scenarios/p5-spec-decode.yaml", []string{"workloads[chat].prompt_tokens.max=2048"}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"draft-8b": "the llama-3.1-8b proposer", "eagle": "the eagle proposer", "no-spec": ""}
	for _, l := range loaded {
		_, variant, _ := strings.Cut(l.Scenario.Name, "/")
		w := StepTimesExtrapolatedWarning(l.Scenario, nil)
		src := StepTimesSource(l.Scenario, nil)
		if want[variant] == "" {
			if strings.Contains(w, "speculative") || strings.Contains(src, "speculative") {
				t.Errorf("%s: warning %q, source %q, want no speculative gap", variant, w, src)
			}
			continue
		}
		for _, s := range []string{"llama-3.3-70b at TP 8 on p5.48xlarge (gpu constants): speculative decoding with " + want[variant],
			"decoded one token a step", "at the scenario's acceptance rate", "are the model's, not a measurement's."} {
			if !strings.Contains(w, s) {
				t.Errorf("%s: warning %q lacks %q", variant, w, s)
			}
		}
		if n := strings.Count(w, "validat"); n != 1 || strings.Contains(w, "misjudge even which chip") {
			t.Errorf("%s: warning says its point %d times, or has the general caveat: %q", variant, n, w)
		}
		l.Scenario.Fleet.Replica.MaxNumSeqs = 4096 // a batch gap beside it: the general caveat applies
		if w := StepTimesExtrapolatedWarning(l.Scenario, nil); !strings.Contains(w, "batches of up to 4,096") ||
			!strings.Contains(w, "misjudge even which chip") || !strings.Contains(w, "not a measurement's") {
			t.Errorf("%s at max_num_seqs 4096: %q", variant, w)
		}
		if !strings.Contains(src, "EXTRAPOLATED: speculative decoding") {
			t.Errorf("%s: source %q does not say the fleet is extrapolated", variant, src)
		}
	}
}

// TestStoredStepTimesLengths: a stored run's step-times line and STEP
// TIMES EXTRAPOLATED warning compare the main fleet's lengths the store
// kept with the measured ones, as run compared them (show printed no
// prompt gap where run had printed "prompts to 6,143 tokens"), and leave
// out those it did not keep rather than read the scenario's estimate
// ("prompts to 6,000 tokens" beside the 6,143 the run had printed); the
// warning, where gaps read from the scenario alone give it (a mixture of
// experts), then says which lengths cannot be recomputed.
func TestStoredStepTimesLengths(t *testing.T) {
	const chat = `{name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 6000, output_tokens: 200}`
	kept := &sim.Result{Lengths: []sim.PoolLengths{{Calls: 10, PromptP99: 6143, ContextP99: 6343, PromptMean: 6000, ContextMean: 6200}}}
	promptLost := &sim.Result{Lengths: []sim.PoolLengths{{Calls: 10, ContextP99: 6343, PromptMean: 6000, ContextMean: 6200}}}
	for _, tt := range []struct {
		name, model, replica string
		res                  *sim.Result
		gap                  bool   // the prompt gap given, as run gave it
		extrapolated         bool   // the warning given
		lost                 string // what it says cannot be recomputed; "" for nothing
	}{
		{"long prompts, none kept", "llama-3.1-8b", "{tp: 1}", nil, false, false, ""},
		{"long prompts, prompt not kept", "llama-3.1-8b", "{tp: 1}", promptLost, false, false, ""},
		{"long prompts, kept", "llama-3.1-8b", "{tp: 1}", kept, true, true, ""},
		{"a mixture of experts, none kept", "mixtral-8x7b", "{tp: 2}", nil, false, true, "the calls' prompt and context lengths"},
		{"a mixture of experts, prompt not kept", "mixtral-8x7b", "{tp: 2}", promptLost, false, true, "the calls' 99th-percentile prompt"},
		{"a mixture of experts, kept", "mixtral-8x7b", "{tp: 2}", kept, true, true, ""},
	} {
		sc := loadLengths(t, tt.model, "p5.48xlarge", tt.replica, chat)
		if src := StepTimesSource(sc, nil); !strings.Contains(src, "prompts to 6,000 tokens") {
			t.Fatalf("%s: before a run the scenario's estimate is owed: %q", tt.name, src)
		}
		src, w := StoredStepTimesSource(sc, tt.res), StoredStepTimesExtrapolatedWarning(sc, tt.res)
		if got := strings.Contains(src, "prompts to 6,143 tokens"); got != tt.gap || strings.Contains(src, "6,000") {
			t.Errorf("%s: stored line %q, want the run's prompt gap %v and never the scenario's", tt.name, src, tt.gap)
		}
		if got := strings.Contains(src, "EXTRAPOLATED"); got != tt.extrapolated {
			t.Errorf("%s: stored, EXTRAPOLATED %v, want %v: %q", tt.name, got, tt.extrapolated, src)
		}
		if (w != "") != tt.extrapolated || strings.Contains(w, "prompts to 6,143 tokens") != tt.gap {
			t.Errorf("%s: stored warning %q, want given %v, prompt gap %v", tt.name, w, tt.extrapolated, tt.gap)
		}
		if tt.res == kept && w != StepTimesExtrapolatedWarning(sc, kept) {
			t.Errorf("%s: stored warning\n%s\nwant run's\n%s", tt.name, w, StepTimesExtrapolatedWarning(sc, kept))
		}
		if got := strings.Contains(w, "cannot be recomputed"); got != (tt.lost != "") || !strings.Contains(w, tt.lost) {
			t.Errorf("%s: stored warning %q, want %q said not recomputable", tt.name, w, tt.lost)
		}
	}
}

// TestStepTimesExtrapolationsScenarioSetNotInherited: a Trainium2 fleet
// past its rows' batches is told that kv_frac and kv_group_exp are
// neuron-v2's, unless the scenario sets them itself (hardware.kv_frac,
// hardware.kv_group_exp): the run prices with its values, and the warning
// calling them inherited misread the fit plan as the run's constants.
func TestStepTimesExtrapolationsScenarioSetNotInherited(t *testing.T) {
	zero, half := 0.0, 0.5
	tests := []struct {
		name      string
		hardware  model.HardwareOverrides
		inherited string // the constants the warning names inherited; "" for none
		set       string // what it says the scenario set
	}{
		{"none set", model.HardwareOverrides{}, "kv_frac and kv_group_exp, which price", ""},
		{"kv_group_exp 0", model.HardwareOverrides{KVGroupExp: &zero}, "kv_frac, which prices", "(kv_group_exp is set by the scenario)"},
		{"kv_frac", model.HardwareOverrides{KVFrac: 0.6}, "kv_group_exp, which prices", "(kv_frac is set by the scenario)"},
		{"both", model.HardwareOverrides{KVFrac: 0.6, KVGroupExp: &half}, "", ""},
	}
	for _, tt := range tests {
		sc := &model.Scenario{Model: model.ModelRef{Name: "llama-3.1-8b"}, Hardware: tt.hardware}
		sc.Fleet.Instance, sc.Fleet.Replica.TP, sc.Fleet.Replica.MaxNumSeqs = "trn2.48xlarge", 8, 64
		xs := StepTimesExtrapolations(sc, nil)
		joined := strings.Join(xs, "\n")
		if len(xs) != 1 || !strings.Contains(joined, "batches of up to 64 sequences") {
			t.Fatalf("%s: %q, want the batch of 64 past Trainium2's rows", tt.name, xs)
		}
		switch {
		case tt.inherited == "" && strings.Contains(joined, "inherited"):
			t.Errorf("%s: %q names a constant inherited, the scenario sets both", tt.name, joined)
		case tt.inherited != "" && !strings.Contains(joined, "; "+tt.inherited+" the KV a decode step reads, "):
			t.Errorf("%s: %q, want %q named inherited", tt.name, joined, tt.inherited)
		case !strings.Contains(joined, tt.set) || tt.set == "" && strings.Contains(joined, "set by the scenario"):
			t.Errorf("%s: %q, want %q", tt.name, joined, tt.set)
		}
	}
	// The names are the constants' own (hw.ConstantNames), all nine.
	all := model.HardwareOverrides{PrefillS: 1, LayerS: 1, CollectiveS: 1, HBMFrac: 1, KVFrac: 1, GEMMScale: 1, AttnScale: 1, LinkFrac: 1, KVGroupExp: &half}
	names := all.ConstantNamesSet()
	for _, c := range hw.ConstantNames {
		if !slices.Contains(names, c.Name) {
			t.Errorf("ConstantNamesSet %q lacks %s", names, c.Name)
		}
	}
	if len(names) != len(hw.ConstantNames) {
		t.Errorf("ConstantNamesSet %q, want the %d of hw.ConstantNames", names, len(hw.ConstantNames))
	}
}
