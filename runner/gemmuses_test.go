package runner

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model/llm"
)

// slowH100BF16 is the built-in profile with imported H100 bf16 timings at
// a twentieth of the peak, saved under dir; with none, the built-in alone.
func slowH100BF16(t *testing.T, dir string, imported bool) (string, *hw.Profile) {
	t.Helper()
	b, err := hw.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	p := *b
	if imported {
		chip, err := hw.ChipByName("H100")
		if err != nil {
			t.Fatal(err)
		}
		dev := hw.DeviceOf(chip)
		ic := hw.ImportedCalibration{Chip: chip.Name, DType: llm.BF16, PeakFLOPSPerS: dev.Peak(llm.BF16), BytesPerS: dev.HBMBytesPerS, Source: "slow.csv"}
		for _, batch := range []int{1, 512} {
			for _, m := range []int{1, 16, 256, 4096} {
				for _, nk := range [][2]int{{128, 128}, {4096, 128}, {128, 4096}, {4096, 4096}} {
					flops := 2 * float64(batch) * float64(m) * float64(nk[0]) * float64(nk[1])
					ic.Measurements = append(ic.Measurements, hw.Measurement{Batch: batch, M: m, N: nk[0], K: nk[1], Seconds: 5e-6 + 20*flops/ic.PeakFLOPSPerS})
				}
			}
		}
		p.Imported = []hw.ImportedCalibration{ic}
	}
	path, err := hw.SaveProfile(dir, &p)
	if err != nil {
		t.Fatal(err)
	}
	return path, &p
}

// TestAttentionFormatUsed: with fp8 weights (W8A8) an H100 run's GEMMs
// multiply in fp8 but its attention core in bf16, which imported bf16
// timings price; the summary said those timings were "not used" by a run
// whose results they changed.
func TestAttentionFormatUsed(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	run := func(imported bool) (string, string) {
		path, p := slowH100BF16(t, t.TempDir(), imported)
		ls, err := LoadVariants("gpu-vs-trainium", []string{"precision.weights=fp8", "precision.activations=bf16", "horizon=1m", "hardware.calibration=" + path}, "p5")
		if err != nil {
			t.Fatal(err)
		}
		out, err := Run(context.Background(), ls[0], Options{})
		if err != nil {
			t.Fatal(err)
		}
		sc := ls[0].Scenario
		return fmt.Sprint(out.Result.KPIs), p.Summary(ScenarioChips(sc), ScenarioGEMMUses(sc))
	}
	with, summary := run(true)
	without, _ := run(false)
	if with == without {
		t.Fatal("the imported bf16 timings did not change the fp8-weights run: the test no longer shows they price it")
	}
	if want := "used by this run's bf16 attention"; !strings.Contains(summary, want) || strings.Contains(summary, "not used") {
		t.Errorf("summary %q: the bf16 timings changed the run, want it to say %q", summary, want)
	}
}
