package runner

import (
	"path/filepath"
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/model/llm"
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
	xs := StepTimesExtrapolations(sc)
	if len(xs) != 2 || !strings.HasPrefix(xs[0], "llama-3.1-8b at TP 8 on p5.48xlarge (gpu constants): 1.0B active parameters per device") ||
		!strings.HasPrefix(xs[1], "llama-3.1-8b at TP 4 on p4de.24xlarge (gpu-ampere constants): 2.0B") {
		t.Errorf("extrapolations %q, want the 8B main fleet at TP8 and the 8B pool at TP4, not the 70B pool", xs)
	}
	if src := StepTimesSource(sc); !strings.Contains(src, "; extrapolated: 1.0B active parameters per device (8.0B at TP 8)") {
		t.Errorf("source %q does not say the main fleet is extrapolated", src)
	}
	sc.Fleet.Replica.TP, sc.Pools = 1, nil
	if xs := StepTimesExtrapolations(sc); len(xs) != 0 {
		t.Errorf("8B at TP1 on H100, as measured: %q", xs)
	}
	if src := StepTimesSource(sc); strings.Contains(src, "extrapolated") {
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
		xs := StepTimesExtrapolations(sc)
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
	src := StepTimesSource(sc)
	if !strings.Contains(src, "the run's calibration profile cannot be read now") || strings.Contains(src, "fitted under the built-in profile") {
		t.Errorf("source %q: want the unreadable profile said, not a guess", src)
	}
}
