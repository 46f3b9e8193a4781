package runner

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/sim"
)

// TestRunStepTimesCoverageWarningSizesUnpinned: a Trainium2 run's STEP
// TIMES THINLY FITTED warning says which constants no Trainium2
// measurement pins and what share of its mean decode step they price, at
// the batch the run reached; it said only "treat latency and cost per
// token as estimates", while those constants carried most of the step. A
// constant the scenario sets is the run's own, out of the inherited ones;
// with all of them set the share goes. A GPU run gets no such sentence.
func TestRunStepTimesCoverageWarningSizesUnpinned(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	tests := []struct {
		name, scenario string
		sets           []string
		want, not      []string
		observed       bool // says the run's mean batch
	}{
		{"trn2", "../examples/scenarios/trn2-buckets-chunked.yaml", nil,
			[]string{"is priced by constants inherited from neuron-v2, fitted to 59 transformers-neuronx rows on Inferentia2 and Trainium1",
				"collective_s ", "kv_frac and kv_group_exp ", "link_frac ", "by hbm_frac, fitted to 2 Trainium2 rows at batches of 1 to 2",
				"No Trainium2 measurement pins the inherited ones, nor hbm_frac past batch 2", `(docs/calibration.md, "Families")`}, []string{"layer_s"}, true},
		{"trn2 kv set", "../examples/scenarios/trn2-buckets-chunked.yaml", []string{"hardware.kv_frac=0.8", "hardware.kv_group_exp=0.5"},
			[]string{"inherited from neuron-v2", "collective_s "}, []string{"kv_frac", "kv_group_exp"}, true},
		{"trn2 inherited set", "../examples/scenarios/trn2-buckets-chunked.yaml",
			[]string{"hardware.kv_frac=0.8", "hardware.kv_group_exp=0.5", "hardware.collective_s=0.00003", "hardware.link_frac=0.5", "hardware.layer_s=0.00001"},
			[]string{"STEP TIMES THINLY FITTED"}, []string{"inherited", "Of a decode step"}, false},
		{"p5", "../examples/scenarios/p5-chat-api.yaml", nil, nil, []string{"Of a decode step", "inherited"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Load(tt.scenario, append([]string{"horizon=1m"}, tt.sets...))
			if err != nil {
				t.Fatal(err)
			}
			s, err := Simulate(context.Background(), l, Options{})
			if err != nil {
				t.Fatal(err)
			}
			out, err := s.Finish()
			if err != nil {
				t.Fatal(err)
			}
			w := RunStepTimesCoverageWarning(l.Scenario, out.Result)
			want := tt.want
			if tt.observed {
				running, _ := out.Result.KPI("running_avg", "")
				up, _ := out.Result.KPI("replicas_up_avg", "")
				want = append(want, fmt.Sprintf("this run's mean batch (%.1f sequences)", running.Value/up.Value))
			}
			for _, s := range want {
				if !strings.Contains(w, s) {
					t.Errorf("warning %q lacks %q", w, s)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(w, s) {
					t.Errorf("warning %q says %q", w, s)
				}
			}
			checkStoredCoverage(t, l.Scenario, out.Result, w, tt.observed)
		})
	}
}

// checkStoredCoverage: StoredStepTimesCoverageWarning, given what the
// store keeps of res (its KPIs and its main pool's lengths), says what
// run said (ran); without the lengths, where run priced its own mean step
// (observed), it says the share cannot be recomputed and gives none, and
// elsewhere what run said.
func checkStoredCoverage(t *testing.T, sc *model.Scenario, res *sim.Result, ran string, observed bool) {
	t.Helper()
	kept := &sim.Result{KPIs: res.KPIs, Lengths: res.Lengths[:1]}
	if got := StoredStepTimesCoverageWarning(sc, kept); got != ran {
		t.Errorf("stored with its lengths: %q, want run's %q", got, ran)
	}
	got := StoredStepTimesCoverageWarning(sc, &sim.Result{KPIs: res.KPIs})
	switch {
	case !observed && got != ran:
		t.Errorf("stored without lengths: %q, want run's %q", got, ran)
	case observed && (!strings.Contains(got, "cannot be recomputed") || strings.Contains(got, "%")):
		t.Errorf("stored without lengths: %q, want the share said not to be recomputable, and none given", got)
	}
}

// TestUnpinnedNotePaddedDecode: where the run's scheduler pads decode to
// Neuron's compiled shapes (neuron, neuron-chunked), the note says that one
// call at the 99th-percentile context puts every slot on its bucket, and
// that the inherited constants then price more of a longer step; where it
// does not (vllm on the same chip) it says nothing of buckets. Without a
// run the step is a full batch at the scenario's 99th-percentile context.
func TestUnpinnedNotePaddedDecode(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	tests := []struct {
		scheduler string
		padded    bool
	}{
		{"neuron-chunked", true}, {"neuron", true}, {"vllm", false},
	}
	for _, tt := range tests {
		sets := []string{"fleet.replica.scheduler=" + tt.scheduler}
		if !tt.padded { // buckets are the Neuron schedulers' alone
			sets = append(sets, "fleet.replica.context_buckets=null", "fleet.replica.sequence_buckets=null")
		}
		l, err := Load("../examples/scenarios/trn2-buckets-chunked.yaml", sets)
		if err != nil {
			t.Fatal(err)
		}
		sc := l.Scenario
		s, chip, err := runServing(sc)
		if err != nil {
			t.Fatal(err)
		}
		w := unpinnedNote(sc, s, chip, decodeLoad{batch: 20, ctx: 1000, longCtx: 5000, what: "a test load"})
		padded := strings.Contains(w, "one call at the 99th-percentile context (5,000 tokens) puts every slot on the 8,192 bucket, where the step takes")
		if padded != tt.padded || !strings.Contains(w, "Of a decode step at a test load") {
			t.Errorf("%s: note %q, want padding said %v", tt.scheduler, w, tt.padded)
		}
		if tt.padded && !strings.Contains(w, "padded to 32 slots over the 1,024-token bucket") {
			t.Errorf("%s: note %q does not say the step's padded shape", tt.scheduler, w)
		}
		if w := StepTimesCoverageWarning(sc); !strings.Contains(w, "a full batch of 32 at the scenario's 99th-percentile context") {
			t.Errorf("%s: warning before a run %q does not price a full batch", tt.scheduler, w)
		}
	}
}
