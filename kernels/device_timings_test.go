package kernels

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"aiecon/hw"
	"aiecon/model/llm"
)

// h100Timings is the H100 kernel sweep that scripts/gpu-kernel-timings.py
// measured and docs/calibration.md reports ("Device timings (H100)").
const h100Timings = "../hw/profiles/device/h100-80gb-hbm3-2026-12-05"

// TestCommittedH100Timings checks that the committed device sweep imports as
// `aiecon calibrate import` reads it and still says what the docs quote: the
// shape counts, the bf16 prefill efficiency and the repeat's agreement.
func TestCommittedH100Timings(t *testing.T) {
	cals := importFile(t, filepath.Join(h100Timings, "gemm.csv"))
	counts := map[llm.DType]int{}
	for _, c := range cals {
		counts[c.DType] = len(c.Measurements)
	}
	if counts[llm.BF16] != 1145 || counts[llm.FP8] != 726 {
		t.Errorf("imported %d bf16 and %d fp8 shapes, docs/calibration.md says 1145 and 726", counts[llm.BF16], counts[llm.FP8])
	}
	// Llama-3-70B's MLP up projection at TP8 (N 2 x 28672 / 8, K 8192) on a
	// 4,096-token prefill: docs quote about 0.7 of the dense bf16 peak.
	for _, c := range cals {
		if c.DType != llm.BF16 {
			continue
		}
		if eta := c.Eta(1, 4096, 7168, 8192); eta < 0.6 || eta > 0.8 {
			t.Errorf("bf16 efficiency at 4096x7168x8192 = %.3f, want 0.6-0.8 (docs: about 0.7)", eta)
		}
	}
	// The repeat run on the same machine agrees shape by shape: docs quote
	// a median ratio within 1% and 90% of shapes within 10%.
	first, again := readSeconds(t, filepath.Join(h100Timings, "gemm.csv")), readSeconds(t, filepath.Join(h100Timings, "gemm-repeat.csv"))
	var ratios []float64
	for k, s := range first {
		if r, ok := again[k]; ok {
			ratios = append(ratios, r/s)
		}
	}
	if len(ratios) != len(first) {
		t.Fatalf("the repeat has %d of the first run's %d shapes", len(ratios), len(first))
	}
	sort.Float64s(ratios)
	med, p5, p95 := ratios[len(ratios)/2], ratios[len(ratios)/20], ratios[len(ratios)-1-len(ratios)/20]
	if med < 0.99 || med > 1.01 || p5 < 0.9 || p95 > 1.1 {
		t.Errorf("repeat/first: median %.3f, 5th percentile %.3f, 95th %.3f; docs quote 1.005, 0.91, 1.07", med, p5, p95)
	}
}

func importFile(t *testing.T, path string) []hw.ImportedCalibration {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cals, err := ReadImport(f, "H100", path)
	if err != nil {
		t.Fatal(err)
	}
	return cals
}

// readSeconds maps each row's dtype and shape to its seconds.
func readSeconds(t *testing.T, path string) map[[5]string]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[[5]string]float64{}
	for _, r := range recs[1:] { // hw,dtype,batch,m,n,k,seconds
		s, err := strconv.ParseFloat(r[6], 64)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out[[5]string{r[1], r[2], r[3], r[4], r[5]}] = s
	}
	return out
}
