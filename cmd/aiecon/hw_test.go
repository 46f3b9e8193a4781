package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"aiecon/hw"
)

// hwRun calls Main and returns its exit code, stdout and stderr.
func hwRun(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestHWList(t *testing.T) {
	code, out, errs := hwRun(t, "", "hw", "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"NAME", "ON-DEMAND $/h (DATE)", "CAPACITY BLOCK $/h (DATE)", "SPOT $/h (DATE)",
		"inf2.48xlarge     12     Inferentia2  24", // chips, chip, devices
		"12.98127 (2026-07-20)", "5.608 (since 2024-09-16)",
		// trn2: no on-demand price, the Capacity Blocks rate with its date
		"trn2.48xlarge     16     Trainium2    64       1536     10.672 PFLOP/s  unknown                        35.7608 (us-east-2, 2026-05-21)",
		"p5.48xlarge       8      H100         8        640      7.912 PFLOP/s   55.04 (2026-07-20)",
		// memory in one unit, stated: g5.12xlarge's source gives 96 GB
		"HBM GiB", "g5.12xlarge       4      A10G         4        89.4 ", "HBM is in GiB (2^30 bytes)",
		"27.2 (2026-08-06)", "Savings Plans up to 72%",
		// p5e's rate is us-east-2's; trn1's source names no region
		"43.26 (us-east-2, late 2024)", "9.532 (region not stated, 2026-10-08)",
		"p6-b200.48xlarge", "g6.xlarge",
		// the term the reserved rate stands for, and why no other is offered
		"its term is taken as 3 years", "no 1-year rate at today's prices is public",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("hw list lacks %q:\n%s", want, out)
		}
	}
	// No memory in GB beside GiB (96 GB printed beside 640 GiB).
	rows, _, _ := strings.Cut(out, "\n\n")
	if _, rows, _ = strings.Cut(rows, "\n"); strings.Contains(rows, " GB ") || strings.Contains(rows, " GiB ") {
		t.Errorf("hw list prints a memory with its own unit, not the column's:\n%s", out)
	}
	// An unknown price prints as unknown, never as a number.
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "trn2u.48xlarge") && !strings.Contains(line, "unknown") {
			t.Errorf("trn2u has no on-demand price in the sources: %q", line)
		}
	}

	code, out, _ = hwRun(t, "", "hw", "list", "--chips")
	if code != 0 || !strings.Contains(out, "Trainium2    neuron  8 NeuronCore-v3  4") || !strings.Contains(out, "1,2,4,8,16,32,64") {
		t.Errorf("hw list --chips (exit %d):\n%s", code, out)
	}
}

func TestHWListJSON(t *testing.T) {
	code, out, errs := hwRun(t, "", "hw", "list", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var insts []struct {
		Name     string `json:"name"`
		OnDemand struct {
			Value  float64 `json:"value"`
			Known  bool    `json:"known"`
			Source string  `json:"source"`
			Label  string  `json:"label"`
			Date   string  `json:"date"`
		} `json:"on_demand"`
	}
	if err := json.Unmarshal([]byte(out), &insts); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	found := false
	for _, in := range insts {
		if in.Name == "p5.48xlarge" {
			found = true
			if in.OnDemand.Value != 55.04 || !in.OnDemand.Known || in.OnDemand.Source != "KARP" || in.OnDemand.Label != "OFF" || in.OnDemand.Date != "2026-07-20" {
				t.Errorf("p5 on-demand = %+v", in.OnDemand)
			}
		}
		if in.Name == "p5e.48xlarge" && (in.OnDemand.Known || in.OnDemand.Value != 0) {
			t.Errorf("p5e on-demand is not in the sources: %+v", in.OnDemand)
		}
	}
	if !found || len(insts) < 17 {
		t.Errorf("%d instances, p5 found %v", len(insts), found)
	}
}

func TestHWShow(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"hw", "show", "trn1.32xlarge"}, []string{
			"trn1.32xlarge: instance of 16 x Trainium1 (neuron), 32 TP devices, TP degrees 1,2,4,8,16,32",
			"on_demand", "21.5 USD/h", "capacity_block", "9.532 USD/h", "3P", "2026-10-08",
			"Trainium1: neuron chip", "48 MiB", "tp_degrees", "1 x 128 x 128",
			"Sources:", "KARP", "aws/karpenter-provider-aws", "CB26 ",
		}},
		{[]string{"hw", "show", "h100"}, []string{
			"H100: gpu chip, 132 x SM", "989 TFLOP/s", "3P", "GPUK", "peak_fp32", "unknown",
			"in waves over the SMs", "AIECON", "recollection, unverified",
		}},
		{[]string{"hw", "show", "p4d.24xlarge"}, []string{
			"p4d.24xlarge: instance of 8 x A100-40GB (gpu), 8 TP devices, TP degrees 1,2,4,8",
			"21.957642 USD/h", "32.7726 before", "14.75 USD/h", "late 2024", "9.279 USD/h", "2024-09-28", "400 Gbit/s",
			"A100-40GB: gpu chip, 108 x SM", "1555 GB/s", "40 GiB", "NV-A100", "NVIDIA A100 Tensor Core GPU datasheet",
		}},
		{[]string{"hw", "show", "g6e.48xlarge"}, []string{
			"g6e.48xlarge: instance of 8 x L40S (gpu), 8 TP devices", "30.13118 USD/h", "384 GB",
			"L40S: gpu chip, 142 x SM", "362.05 TFLOP/s", "48 GB", "864 GB/s", "no NVLink", "32 GB/s", "NV-L40S",
		}},
		{[]string{"hw", "show", "g5.48xlarge"}, []string{"8 x A10G", "16.288 USD/h", "EC2", "aws.amazon.com/ec2/instance-types/g5"}},
		{[]string{"hw", "show", "g6.48xlarge"}, []string{"8 x L4", "13.3504 USD/h", "aws.amazon.com/ec2/instance-types/g6"}},
		{[]string{"hw", "show", "TRN2U.48XLARGE"}, []string{"on_demand", "unknown", "no row in the AWS Price List"}},
		{[]string{"hw", "show", "trn2.48xlarge"}, []string{"on_demand", "unknown", "no current public on-demand price", "35.7608 USD/h"}},
	}
	for _, tt := range tests {
		code, out, errs := hwRun(t, "", tt.args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", tt.args, code, errs)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v lacks %q:\n%s", tt.args, w, out)
			}
		}
	}
}

// TestHWShowSourcesEveryFact: every row of `hw show` for an instance (its
// own facts and its chip's) has a label and a source key that the listing
// of sources under the tables explains.
func TestHWShowSourcesEveryFact(t *testing.T) {
	for _, name := range []string{"p4d.24xlarge", "g5.48xlarge", "g6.48xlarge", "g6e.48xlarge", "p5.48xlarge"} {
		code, out, errs := hwRun(t, "", "hw", "show", name)
		if code != 0 {
			t.Fatalf("hw show %s: exit %d: %s", name, code, errs)
		}
		tables, sources, ok := strings.Cut(out, "\nSources:\n")
		if !ok {
			t.Fatalf("hw show %s lists no sources:\n%s", name, out)
		}
		rows := 0
		srcCol := -1
		for _, line := range strings.Split(tables, "\n") {
			if strings.HasPrefix(line, "FIELD") {
				srcCol = strings.Index(line, "SOURCE")
				continue
			}
			if strings.TrimSpace(line) == "" {
				srcCol = -1 // a table ended; the next starts at its own header
			}
			if srcCol < 0 {
				continue
			}
			rows++
			f := strings.Fields(line[srcCol:])
			label := strings.Fields(line[:srcCol])
			if len(f) == 0 || len(label) < 2 {
				t.Errorf("hw show %s: a row without a label or source: %q", name, line)
				continue
			}
			if !strings.Contains(sources, "  "+f[0]+" ") {
				t.Errorf("hw show %s: source %q of %q is not listed under Sources", name, f[0], line)
			}
		}
		if rows < 20 {
			t.Errorf("hw show %s: %d fact rows, want the instance's and its chip's", name, rows)
		}
	}
}

func TestHWShowJSON(t *testing.T) {
	code, out, errs := hwRun(t, "", "hw", "show", "inf2.48xlarge", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var v struct {
		Instance struct {
			Name string `json:"name"`
		} `json:"instance"`
		Chip struct {
			Name string `json:"name"`
			Peak struct {
				BF16 struct {
					Value float64 `json:"value"`
					Unit  string  `json:"unit"`
				} `json:"bf16"`
			} `json:"peak"`
		} `json:"chip"`
		Devices   int   `json:"devices"`
		TPDegrees []int `json:"tp_degrees"`
		Sources   []struct {
			Key string `json:"key"`
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if v.Instance.Name != "inf2.48xlarge" || v.Chip.Name != "Inferentia2" || v.Chip.Peak.BF16.Value != 190 ||
		v.Chip.Peak.BF16.Unit != "TFLOP/s" || v.Devices != 24 || len(v.TPDegrees) != 6 || len(v.Sources) == 0 {
		t.Errorf("got %+v", v)
	}
	code, out, _ = hwRun(t, "", "hw", "show", "B200", "--json")
	if code != 0 || !strings.Contains(out, `"chip"`) || !strings.Contains(out, `"GPUK"`) {
		t.Errorf("chip JSON (exit %d):\n%s", code, out)
	}
}

func TestHWShowUnknownName(t *testing.T) {
	code, out, errs := hwRun(t, "", "hw", "show", "trn2.48xl")
	if code != 2 {
		t.Errorf("exit %d, want 2 (bad input)", code)
	}
	if out != "" || !strings.Contains(errs, `"trn2.48xl"`) || !strings.Contains(errs, "nearest: trn2.48xlarge") {
		t.Errorf("stderr %q", errs)
	}
	if code, _, _ := hwRun(t, "", "hw", "show"); code != 2 {
		t.Errorf("no name: exit %d, want 2", code)
	}
}

func TestHWFit(t *testing.T) {
	t.Parallel()
	if code, _, errs := hwRun(t, "", "hw", "fit"); code != 2 || !strings.Contains(errs, "give --points") {
		t.Errorf("hw fit without points: exit %d, %q", code, errs)
	}
	// Published rows from stdin (Llama-2 on inf2, two models so that --cv
	// can leave one out), JSON out.
	csv := "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\n" +
		"llama-2-7b,inf2.48xlarge,24,1,4096,128,3968,bf16,27.64,6.470\n" +
		"llama-2-13b,inf2.48xlarge,24,1,8192,4096,4096,bf16,333.8,10.17\n" +
		"llama-2-70b,inf2.48xlarge,24,1,2048,1024,1024,bf16,277.0,33.73\n" +
		"llama-2-7b,inf2.48xlarge,24,8,4096,128,3968,bf16,77.36,12.11\n"
	code, out, errs := hwRun(t, csv, "hw", "fit", "--points", "-", "--json", "--cv")
	var v []struct {
		Serving struct {
			Family  string  `json:"family"`
			HBMFrac float64 `json:"hbm_frac"`
		} `json:"serving"`
		Report struct {
			Rows []any `json:"rows"`
		} `json:"report"`
		CV struct {
			Rows []any
		} `json:"cv"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || len(v) != 1 || len(v[0].Report.Rows) != 4 || len(v[0].CV.Rows) != 4 ||
		v[0].Serving.Family != "neuron-v2" || !(v[0].Serving.HBMFrac > 0) {
		t.Errorf("hw fit --points - --json --cv: exit %d, %s\n%s", code, errs, out)
	}
	code, out, errs = hwRun(t, csv, "hw", "fit", "--points", "-", "--cv")
	for _, w := range []string{"family neuron-v2", "CONSTANT", "prefill_s", "attn_scale", "leave-one-model-out", "worst rows", "± FOLDS",
		"measured at TP 24: 6.7-69B (active parameters", "THIN FIT: 4 distinct rows (8 numbers) for 8 free constants",
		"prompts measured to 4,096 tokens and contexts (prompt plus output) to 8,192, dense models only (run warns past the prompts, past 2x of the contexts, and on a mixture of experts)"} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("hw fit --cv lacks %q (exit %d, %s):\n%s", w, code, errs, out)
		}
	}
	// --cv-by tp (implying --cv) leaves one TP degree out: inf2's 24 and
	// trn1's 32 here.
	csv += "llama-2-70b,trn1.32xlarge,32,1,2048,1024,1024,bf16,232.5,26.04\n" +
		"llama-2-13b,trn1.32xlarge,32,1,8192,4096,4096,bf16,864.1,9.844\n"
	code, out, errs = hwRun(t, csv, "hw", "fit", "--points", "-", "--cv-by", "tp")
	for _, w := range []string{"leave-one-TP-degree-out cross-validation", "predicted without their TP degree", "± FOLDS"} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("hw fit --cv-by tp lacks %q (exit %d, %s):\n%s", w, code, errs, out)
		}
	}
	// --cv-by shape leaves one layer shape out: CodeLlama-13B's blocks are
	// Llama-2-13B's, so the two are one fold.
	csv += "codellama-13b,trn1.32xlarge,32,1,8192,4096,4096,bf16,868.6,9.86\n"
	code, out, errs = hwRun(t, csv, "hw", "fit", "--points", "-", "--cv-by", "shape", "--json")
	var shaped []struct {
		CV struct {
			By    string
			Folds map[string]any
		} `json:"cv"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &shaped) != nil || len(shaped) != 1 || shaped[0].CV.By != "shape" ||
		shaped[0].CV.Folds["codellama-13b+llama-2-13b"] == nil {
		t.Errorf("hw fit --cv-by shape --json: exit %d, %s; want a fold codellama-13b+llama-2-13b\n%s", code, errs, out)
	}
	code, out, errs = hwRun(t, csv, "hw", "fit", "--points", "-", "--cv-by", "shape")
	for _, w := range []string{"leave-one-layer-shape-out cross-validation", "predicted without their layer shape"} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("hw fit --cv-by shape lacks %q (exit %d, %s):\n%s", w, code, errs, out)
		}
	}
}

// TestHWFitRepeatedRows: a file concatenated with itself adds no
// information; the fit says so and counts distinct rows for THIN FIT (the
// copies had silenced it).
func TestHWFitRepeatedRows(t *testing.T) {
	src, err := os.ReadFile("../../examples/validate/neuron-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimRight(string(src), "\n")+"\n", "\n")
	body := strings.Join(lines[1:], "")
	path := filepath.Join(t.TempDir(), "twice.csv")
	if err := os.WriteFile(path, []byte(lines[0]+body+body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := hwRun(t, "", "hw", "fit", "--points", path)
	if code != 0 || !strings.Contains(out, "REPEATED ROWS: 6 rows repeat another exactly") || !strings.Contains(out, "THIN FIT: 6 distinct rows") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
}

func TestHWFitBadInput(t *testing.T) {
	tests := []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"hw", "fit", "--points", "/nonexistent/points.csv"}, "open /nonexistent/points.csv: no such file"},
		{"model,instance\n", []string{"hw", "fit", "--points", "-"}, "-:1: header lacks column(s) tp"},
		{"", []string{"hw", "fit", "--points", "-", "--family", "tpu"}, `--family "tpu"`},
		{"", []string{"hw", "fit", "--points", "-", "--cv-by", "chip"}, `--cv-by "chip": give model`},
		{"model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\n" +
			"llama-3-8b,trn1.32xlarge,32,8,4096,128,3968,int8,49.05,7.65\n" +
			"llama-3-8b,trn9.32xlarge,32,8,4096,128,3968,int8,49.05,7.65\n",
			[]string{"hw", "fit", "--points", "-"}, ":3:"},
	}
	for _, tt := range tests {
		code, _, errs := hwRun(t, tt.stdin, tt.args...)
		if code != 2 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, errs, tt.want)
		}
	}
}

// TestHWFitUnexercisedConstants: rows that all leave ttft_ms empty exercise
// no prefill_s. hw fit shows it as not fitted, at the committed value, in
// the table and the JSON, and --save refuses it, writing nothing, where the
// same rows with their TTFT save.
func TestHWFitUnexercisedConstants(t *testing.T) {
	src, err := os.ReadFile("../../examples/validate/neuron-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	full, noTTFT := filepath.Join(dir, "full.csv"), filepath.Join(dir, "nottft.csv")
	if err := os.WriteFile(full, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(noTTFT, []byte(withoutColumn(t, string(src), "ttft_ms")), 0o644); err != nil {
		t.Fatal(err)
	}
	prof, err := hw.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(prof)
	profPath := filepath.Join(dir, "profile.json")
	if err := os.WriteFile(profPath, js, 0o644); err != nil {
		t.Fatal(err)
	}
	committed, _ := hw.DefaultServing(hw.StepNeuronV2)

	code, out, errs := hwRun(t, "", "hw", "fit", "--points", noTTFT, "--family", "neuron-v2")
	row := regexp.MustCompile(`(?m)^prefill_s +not fitted +` + regexp.QuoteMeta(fmt.Sprintf("%.4g", committed.PrefillS)) + ` +s$`)
	if code != 0 || !row.MatchString(out) || !strings.Contains(out, "NOT FITTED: no row exercises prefill_s (prefill_s needs a row that gives ttft_ms)") {
		t.Errorf("exit %d, want prefill_s not fitted at the committed value:\n%s\n%s", code, out, errs)
	}
	code, out, _ = hwRun(t, "", "hw", "fit", "--points", noTTFT, "--family", "neuron-v2", "--json")
	var v []struct {
		Serving hw.Serving   `json:"serving"`
		Report  hw.FitReport `json:"report"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || len(v) != 1 ||
		!slices.Equal(v[0].Report.Unexercised, []string{"prefill_s"}) || v[0].Serving.PrefillS != committed.PrefillS {
		t.Errorf("--json: exit %d, want report.unexercised [prefill_s] and prefill_s %g:\n%.2000s", code, committed.PrefillS, out)
	}

	for _, tt := range []struct {
		points string
		code   int
		saved  int
		want   string
	}{
		{noTTFT, 2, 0, "--save: family neuron-v2: no row exercises prefill_s (prefill_s needs a row that gives ttft_ms): the fit held each at its committed value"},
		{full, 0, 1, "saved "},
	} {
		cfg := t.TempDir()
		code, out, errs := calRun(t, cfg, "hw", "fit", "--points", tt.points, "--family", "neuron-v2", "--calibration", profPath, "--save")
		if code != tt.code || !strings.Contains(errs, tt.want) || len(profiles(t, cfg)) != tt.saved || !strings.Contains(out, "CONSTANT") {
			t.Errorf("--save %s: exit %d, %d profiles saved; want %d, %d and %q\n%s\n%s",
				filepath.Base(tt.points), code, len(profiles(t, cfg)), tt.code, tt.saved, tt.want, out, errs)
		}
	}
}

// TestHWFitSaveNamesItsCrossValidation: a profile saved after --cv-by tp
// records its cross-validation as leaving one TP degree out; it had called
// every kind leave-one-model-out, and runs quote that record. (Over the
// sample's six rows of two degrees the record carries no figure:
// TestHWFitThinCrossValidation.)
func TestHWFitSaveNamesItsCrossValidation(t *testing.T) {
	dir := t.TempDir()
	prof, err := hw.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(prof)
	profPath := filepath.Join(dir, "profile.json")
	if err := os.WriteFile(profPath, js, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := t.TempDir()
	code, out, errs := calRun(t, cfg, "hw", "fit", "--points", "../../examples/validate/neuron-sample.csv", "--family", "neuron-v2",
		"--calibration", profPath, "--save", "--cv-by", "tp")
	saved := profiles(t, cfg)
	if code != 0 || len(saved) != 1 {
		t.Fatalf("exit %d, %d profiles saved\n%s\n%s", code, len(saved), out, errs)
	}
	b, err := os.ReadFile(saved[0])
	if err != nil {
		t.Fatal(err)
	}
	var p hw.Profile
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	for _, s := range p.Serving {
		if s.Family == hw.StepNeuronV2 && !strings.Contains(s.CV, "leave-one-TP-degree-out MAPE") && !strings.Contains(s.CV, " of 2 TP degrees") {
			t.Errorf("saved cross-validation %q, want it named leave-one-TP-degree-out", s.CV)
		}
	}
}

// TestHWFitHelpNamesEveryUnexercisableConstant: hw fit's help and
// docs/calibration.md name every constant a fit can hold unexercised, with
// the row that exercises it, as --save's refusal does: the help had left
// out kv_group_exp, so a user with only multi-head models met a refusal it
// did not mention.
func TestHWFitHelpNamesEveryUnexercisableConstant(t *testing.T) {
	code, out, errs := hwRun(t, "", "hw", "fit", "--help")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	help := strings.Join(strings.Fields(out), " ")
	doc, err := os.ReadFile("../../docs/calibration.md")
	if err != nil {
		t.Fatal(err)
	}
	_, para, _ := strings.Cut(string(doc), "A constant that no row exercises at all")
	para, _, _ = strings.Cut(para, "\n\n")
	for _, c := range hw.ExercisedBy {
		if want := c.Name + " needs " + c.Row; !strings.Contains(help, want) {
			t.Errorf("hw fit --help does not say %q:\n%s", want, out)
		}
		if !strings.Contains(para, "`"+c.Name+"`") {
			t.Errorf("docs/calibration.md's paragraph on constants no row exercises does not name %s:\n%s", c.Name, para)
		}
	}
}

// withoutColumn empties the named column of every data row of a CSV.
func withoutColumn(t *testing.T, text, name string) string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], name)
	if col < 0 {
		t.Fatalf("no column %q", name)
	}
	for _, r := range rows[1:] {
		r[col] = ""
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestHWFitNothingLeftToFit: when no row is left to learn from, hw fit
// names each row by file:line with its reason: a row whose throughput
// contradicts its latencies is not "skipped".
func TestHWFitNothingLeftToFit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "contradicts.csv")
	csv := "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,output_tok_s\n" +
		"llama-2-7b,inf2.48xlarge,24,1,4096,128,3968,bf16,27.63772011,1.5,156.1281689\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{}, {"--json"}} {
		code, _, errs := hwRun(t, "", append([]string{"hw", "fit", "--points", path}, args...)...)
		for _, w := range []string{"hw fit: no row to fit",
			"family neuron-v2: every row's throughput contradicts its latencies, nothing fitted\n",
			"not fitted " + path + ":2 (llama-2-7b on inf2.48xlarge TP24 BS1 128 in / 3968 out bf16 weights): published throughput 156.1 tok/s is 0.24 of"} {
			if code != 2 || !strings.Contains(errs, w) {
				t.Errorf("hw fit %v: exit %d, stderr lacks %q:\n%s", args, code, w, errs)
			}
		}
		if strings.Contains(errs, "skipped") {
			t.Errorf("hw fit %v calls a not-fitted row skipped:\n%s", args, errs)
		}
	}
}

// TestHWFitThinCrossValidation: neuron-v3's cross-validation over its two
// Trainium2 rows (two models, so each fold's constants learn from the other
// model's one row) printed "MAPE TTFT 37.4%, TPOT 4.4%" with no caveat, and
// --save recorded the figure for run to quote as the constants' error. Now
// the text says it is too thin to carry a figure, --json marks it
// (cv.Thin), the saved record has no figure, and the help says where the
// line is.
func TestHWFitThinCrossValidation(t *testing.T) {
	const sample = "../../examples/validate/neuron-sample.csv"
	code, out, errs := hwRun(t, "", "hw", "fit", "--points", sample, "--family", "neuron-v3", "--cv")
	if want := "THIN CROSS-VALIDATION: only 2 rows of 2 models, too few to carry an error figure"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("hw fit --family neuron-v3 --cv: exit %d, %s; want %q in\n%s", code, errs, want, out)
	}
	code, out, errs = hwRun(t, "", "hw", "fit", "--points", sample, "--family", "neuron-v3", "--cv", "--json")
	var v []struct {
		CV struct{ Thin string } `json:"cv"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || len(v) != 1 || !strings.HasPrefix(v[0].CV.Thin, "only 2 rows of 2 models") {
		t.Errorf("hw fit --json: exit %d, %s; want cv.Thin to say why\n%s", code, errs, out)
	}
	prof, err := hw.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(prof)
	profPath := filepath.Join(t.TempDir(), "profile.json")
	if err := os.WriteFile(profPath, js, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := t.TempDir()
	code, out, errs = calRun(t, cfg, "hw", "fit", "--points", sample, "--family", "neuron-v3", "--calibration", profPath, "--save", "--cv")
	saved := profiles(t, cfg)
	if code != 0 || len(saved) != 1 {
		t.Fatalf("--save: exit %d, %d profiles saved\n%s\n%s", code, len(saved), out, errs)
	}
	p, err := hw.LoadProfile(saved[0])
	if err != nil {
		t.Fatal(err)
	}
	s, ok := p.ServingFor(hw.StepNeuronV3)
	if want := "too few to cross-validate: 2 rows of 2 models"; !ok || s.CV != want {
		t.Errorf("saved record %q, want %q", s.CV, want)
	}
	code, out, errs = calRun(t, cfg, "run", "baseline", "--no-store", "--horizon", "1m", "--calibration", saved[0])
	// The step-times line alone: the calibration line above it quotes the
	// host fit's own held-out MAPE, which is no cross-validation figure.
	steps, _, _ := strings.Cut(out[strings.Index(out, "step times")+1:], "\n\n")
	if code != 0 || strings.Contains(steps, "MAPE") || !strings.Contains(steps, "too few to cross-validate: 2 rows of 2 models") {
		t.Errorf("run under the saved profile: exit %d, %s; want its step-times line to quote no figure\n%s", code, errs, out)
	}
	_, help, _ := hwRun(t, "", "hw", "fit", "--help")
	if want := fmt.Sprintf("fewer than %d rows or %d folds", hw.ThinFitRows, hw.MinCVFolds); !strings.Contains(strings.Join(strings.Fields(help), " "), want) {
		t.Errorf("hw fit --help lacks %q", want)
	}
}

// TestHWFitPricedAs: --priced-as fits one family's rows priced as the
// family that inherits from them structures its graphs, beside the
// committed fit so priced (what that family inherits, not the rows' own
// family's constants), and refuses, before reading any row, what means
// nothing: an unknown family, naming the known ones, a pairing no family
// inherits, no --family, --cv and --save.
func TestHWFitPricedAs(t *testing.T) {
	sample := "../../examples/validate/neuron-sample.csv"
	refusals := []struct {
		args []string
		want string
	}{
		{[]string{"--family", "neuron-v2", "--priced-as", "tpu"}, `--priced-as "tpu": known families are gpu, gpu-ampere, neuron-v2, neuron-v3 (fits that mean something: neuron-v2 as neuron-v3)`},
		{[]string{"--priced-as", "neuron-v3"}, "give --family"},
		{[]string{"--family", "neuron-v2", "--priced-as", "gpu"}, "gpu inherits no constants from neuron-v2"},
		{[]string{"--family", "neuron-v3", "--priced-as", "neuron-v2"}, "neuron-v2 inherits no constants from neuron-v3"},
		{[]string{"--family", "neuron-v2", "--priced-as", "neuron-v2"}, "are its own fit"},
		{[]string{"--family", "neuron-v2", "--priced-as", "neuron-v3", "--cv"}, "--cv cross-validates"},
		{[]string{"--family", "neuron-v2", "--priced-as", "neuron-v3", "--save", "--calibration", "latest"}, "--save has no place"},
		{[]string{"--family", "bogus", "--priced-as", "neuron-v3"}, `--family "bogus": known families are gpu, gpu-ampere, neuron-v2, neuron-v3`},
	}
	for _, tt := range refusals {
		args := append([]string{"hw", "fit", "--points", "/nonexistent/points.csv"}, tt.args...)
		if code, _, errs := hwRun(t, "", args...); code != 2 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, errs, tt.want)
		}
	}
	code, out, errs := hwRun(t, "", "hw", "fit", "--points", sample, "--family", "neuron-v2", "--priced-as", "neuron-v3", "--json")
	var v []struct {
		Serving hw.Serving   `json:"serving"`
		Default hw.Serving   `json:"committed_default"`
		Report  hw.FitReport `json:"report"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || len(v) != 1 {
		t.Fatalf("exit %d, %s\n%s", code, errs, out)
	}
	inherited, err := hw.CommittedServingAs("neuron-v2", "neuron-v3")
	if err != nil {
		t.Fatal(err)
	}
	own, _ := hw.DefaultServing("neuron-v2")
	if v[0].Report.PricedAs != "neuron-v3" || !slices.Equal(v[0].Default.Values(), inherited.Values()) || slices.Equal(own.Values(), inherited.Values()) {
		t.Errorf("priced as %q, committed %v; want neuron-v3 and the inherited fit %v (neuron-v2's own: %v)",
			v[0].Report.PricedAs, v[0].Default.Values(), inherited.Values(), own.Values())
	}
	code, out, errs = hwRun(t, "", "hw", "fit", "--points", sample, "--family", "neuron-v2", "--priced-as", "neuron-v3")
	if code != 0 || !strings.Contains(out, "PRICED AS neuron-v3") || !strings.Contains(v[0].Serving.Source, "priced as neuron-v3 structures its graphs") {
		t.Errorf("exit %d, %s\n%s", code, errs, out)
	}
}
