package kernels

import (
	"fmt"
	"os"
	"testing"

	"aiecon/hw"
)

func TestExperimentH200(t *testing.T) {
	path := os.Getenv("H200CSV")
	if path == "" {
		t.Skip()
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	imp, err := ReadImport(f, "H200", "h200")
	if err != nil {
		t.Fatal(err)
	}
	prof, _ := hw.BuiltinProfile()
	withImp, _ := hw.BuiltinProfile()
	withImp.Imported = append(withImp.Imported, imp...)
	var pts []hw.ServingPoint
	pf, _ := os.Open("../../shared/reference/serving-measurements/gpu-trtllm-0.9-static.csv")
	all, _ := hw.ReadServingPoints(pf)
	for _, p := range all {
		if p.Instance != "p4de.24xlarge" && p.Model != "gpt-j-6b" && p.Model != "falcon-180b" && p.Model != "mixtral-8x7b" {
			pts = append(pts, p)
		}
	}
	for name, pr := range map[string]*hw.Profile{"host": prof, "h200-import": withImp} {
		s, rep, err := hw.FitFamily(pts, pr)
		if err != nil {
			t.Fatal(err)
		}
		cv, err := hw.CrossValidate(pts, pr)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("%s: %v RMS %.3f CV TTFT %.1f%% TPOT %.1f%%\n", name, s.Values(), rep.RMSLogErr, 100*cv.TTFTMAPE, 100*cv.TPOTMAPE)
		for _, g := range cv.Groups {
			if g.Instance == "p5en.48xlarge" {
				fmt.Printf("  %-14s %-16s tp%d %s ttft %.1f%% (%+.1f) tpot %.1f%% (%+.1f)\n", g.Instance, g.Model, g.TP, g.WeightDType, 100*g.TTFTMAPE, 100*g.TTFTBias, 100*g.TPOTMAPE, 100*g.TPOTBias)
			}
		}
	}
}
