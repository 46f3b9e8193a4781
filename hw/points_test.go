package hw

import (
	"math"
	"os"
	"strings"
	"testing"
)

const calibrationCSV = "../../shared/reference/neuron-calibration.csv"

// TestReadServingPointsReference reads the shared calibration CSV and checks
// it agrees with the points kept in the catalog.
func TestReadServingPointsReference(t *testing.T) {
	f, err := os.Open(calibrationCSV)
	if err != nil {
		t.Skipf("neuron-calibration.csv not available (%v); it lives in ../shared/reference", err)
	}
	defer f.Close()
	pts, err := ReadServingPoints(f)
	if err != nil {
		t.Fatal(err)
	}
	want := PublishedServingPoints()
	if len(pts) != len(want) {
		t.Fatalf("read %d points, the catalog has %d", len(pts), len(want))
	}
	for i, p := range pts {
		w := want[i]
		p.Line, p.Source, p.Label, p.Stat = 0, "", "", ""
		w.Source, w.Label = "", ""
		if p != w {
			t.Errorf("row %d = %+v, catalog %+v", i+2, p, w)
		}
	}
	if pts[0].Line != 2 || !strings.Contains(pts[0].Source, "inf2/throughput_data_decoder.csv") {
		t.Errorf("line/source not kept: %d %q", pts[0].Line, pts[0].Source)
	}
}

func TestReadServingPointsColumnsInAnyOrder(t *testing.T) {
	in := "ttft_ms,tpot_ms,extra,model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype\n" +
		"10,2,ignored,llama-3-8b,trn1.32xlarge,32,4,2048,100,200,BF16\n"
	pts, err := ReadServingPoints(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	p := pts[0]
	if p.TTFTMs != 10 || p.TPOTMs != 2 || p.Model != "llama-3-8b" || p.TP != 32 || p.Batch != 4 || p.SeqLen != 2048 ||
		p.InputTokens != 100 || p.OutputTokens != 200 || p.WeightDType != "bf16" || p.Line != 2 {
		t.Errorf("got %+v", p)
	}
}

// TestVaryingLengths: the note column is read, and a closed loop's output
// lengths count as left to the model only where it says vLLM's benchmark ran
// without --ignore-eos.
func TestVaryingLengths(t *testing.T) {
	in := "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,metric_kind,note\n" +
		"llama-3-8b,trn2.48xlarge,8,2,2048,512,128,bf16,51,10,max-concurrency=2 (closed loop),\"vllm bench serve --max-concurrency 2; No --ignore-eos\"\n" +
		"llama-3-8b,trn2.48xlarge,8,2,2048,512,128,bf16,51,10,max-concurrency=2 (closed loop),\"vllm bench serve --ignore-eos\"\n" +
		"llama-3-8b,trn2.48xlarge,8,2,2048,512,128,bf16,51,10,max-concurrency=2 (closed loop),\n"
	pts, err := ReadServingPoints(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false, false} {
		if got := pts[i].VaryingLengths(); got != want {
			t.Errorf("row %d (note %q): VaryingLengths %v, want %v", i+2, pts[i].Note, got, want)
		}
	}
	if !strings.HasPrefix(pts[0].Note, "vllm bench serve") {
		t.Errorf("note %q not read", pts[0].Note)
	}
}

func TestReadServingPointsErrors(t *testing.T) {
	const header = "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\n"
	const good = "llama-3-8b,inf2.48xlarge,24,8,4096,128,3968,int8,66.02,10.45\n"
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"empty input"}},
		{"header only", header, []string{"no data rows"}},
		{"missing columns", "model,instance,tp\n", []string{"line 1", "batch", "tpot_ms"}},
		{"bad integer", header + good + "llama-3-8b,inf2.48xlarge,twenty,8,4096,128,3968,int8,66,10\n", []string{"line 3", "column tp", `"twenty"`}},
		{"bad number", header + "llama-3-8b,inf2.48xlarge,24,8,4096,128,3968,int8,fast,10\n", []string{"line 2", "column ttft_ms"}},
		{"empty field", header + ",inf2.48xlarge,24,8,4096,128,3968,int8,66,10\n", []string{"line 2", "column model: empty"}},
		{"bad dtype", header + "llama-3-8b,inf2.48xlarge,24,8,4096,128,3968,int4,66,10\n", []string{"line 2", "weight_dtype \"int4\""}},
		{"does not fit", header + "llama-3-8b,inf2.48xlarge,24,8,4096,128,4000,int8,66,10\n", []string{"line 2", "exceeds seq_len 4096"}},
		{"non-positive latency", header + "llama-3-8b,inf2.48xlarge,24,8,4096,128,3968,int8,0,10\n", []string{"line 2", "ttft_ms: 0"}},
		{"short row", header + "llama-3-8b,inf2.48xlarge\n", []string{"line 2", "missing"}},
		{"bad throughput", strings.TrimSuffix(header, "\n") + ",output_tok_s,e2e_ms\n" + strings.TrimSuffix(good, "\n") + ",many,10\n",
			[]string{"line 2", "column output_tok_s", `"many"`}},
		{"negative latency", strings.TrimSuffix(header, "\n") + ",output_tok_s,e2e_ms\n" + strings.TrimSuffix(good, "\n") + ",100,-1\n",
			[]string{"line 2", "column e2e_ms", `"-1"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadServingPoints(strings.NewReader(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestClosedLoopMeasurement: a closed loop's throughput and end-to-end
// latency give the batch it decoded and Little's ratio, 1 in a steady loop.
func TestClosedLoopMeasurement(t *testing.T) {
	const header = "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,metric_kind,output_tok_s,e2e_ms\n"
	tests := []struct {
		name, row     string
		batch, little float64
	}{
		// 10 clients, 1,000 tokens each in 20 s: 0.5 requests/s x 20 s = 10.
		{"steady", "llama-3-8b,p4de.24xlarge,1,10,1200,200,1000,fp16,100,20,closed-loop concurrency=10,500,20000", 10, 1},
		// the same throughput over 20 clients: half of them were not in flight on average
		{"transient", "llama-3-8b,p4de.24xlarge,1,20,1200,200,1000,fp16,100,20,closed-loop concurrency=20,500,20000", 10, 0.5},
		{"not published", "llama-3-8b,p4de.24xlarge,1,10,1200,200,1000,fp16,100,20,closed-loop concurrency=10,,", 0, 0},
		{"static batch", "llama-3-8b,p4de.24xlarge,1,10,1200,200,1000,fp16,100,20,static,500,20000", 10, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pts, err := ReadServingPoints(strings.NewReader(header + tt.row + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			pt := pts[0]
			if b, l := pt.DecodingBatch(), pt.LittleRatio(); math.Abs(b-tt.batch) > 1e-9 || math.Abs(l-tt.little) > 1e-9 {
				t.Errorf("batch %g, Little's ratio %g; want %g, %g", b, l, tt.batch, tt.little)
			}
		})
	}
}
