package hw

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"aiecon/model/llm"
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
		{"bad dtype", header + "llama-3-8b,inf2.48xlarge,24,8,4096,128,3968,in4,66,10\n", []string{"line 2", "weight_dtype \"in4\""}},
		{"does not fit", header + "llama-3-8b,inf2.48xlarge,24,8,4096,128,4000,int8,66,10\n", []string{"line 2", "exceeds seq_len 4096"}},
		{"non-positive latency", header + "llama-3-8b,inf2.48xlarge,24,8,4096,128,3968,int8,0,10\n", []string{"line 2", "ttft_ms: 0", "leave the cell empty"}},
		{"no metric", header + "llama-3-8b,inf2.48xlarge,24,8,4096,128,3968,int8,,\n", []string{"line 2", "ttft_ms, tpot_ms: neither is given"}},
		{"short row", header + "llama-3-8b,inf2.48xlarge\n", []string{"line 2", "missing"}},
		{"long row", header + good + "llama-3-8b,inf2.48xlarge,24,8,4096,128,3968,int8,66,10,Real Time, batch\n",
			[]string{"line 3", "12 fields", "names 10 columns"}},
		{"bad throughput", strings.TrimSuffix(header, "\n") + ",output_tok_s,e2e_ms\n" + strings.TrimSuffix(good, "\n") + ",many,10\n",
			[]string{"line 2", "column output_tok_s", `"many"`}},
		{"negative latency", strings.TrimSuffix(header, "\n") + ",output_tok_s,e2e_ms\n" + strings.TrimSuffix(good, "\n") + ",100,-1\n",
			[]string{"line 2", "column e2e_ms", `"-1"`}},
		{"bad kv dtype", strings.TrimSuffix(header, "\n") + ",kv_dtype\n" + strings.TrimSuffix(good, "\n") + ",fp9\n",
			[]string{"line 2", "column kv_dtype", `"fp9"`}},
		{"weight-only kv dtype", strings.TrimSuffix(header, "\n") + ",kv_dtype\n" + strings.TrimSuffix(good, "\n") + ",int4\n",
			[]string{"line 2", "column kv_dtype: int4 is a weight format only"}},
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

// TestPointKVFormat: a row's KV cache is its kv_dtype where it states one;
// otherwise fp8 weights bring an fp8 cache, as TensorRT-LLM's and NxD
// Inference's fp8 modes quantise both, except under vLLM or SGLang off
// Neuron, whose default keeps the cache 16-bit.
func TestPointKVFormat(t *testing.T) {
	const csv = "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,framework,kv_dtype\n" +
		"llama-3-8b,p5.48xlarge,1,8,2048,1024,1024,fp8,50,5,TensorRT-LLM 0.9.0,\n" +
		"llama-3-8b,p5.48xlarge,1,8,2048,1024,1024,fp8,50,5,vLLM 0.10 (vllm bench serve),\n" +
		"llama-3-8b,p5.48xlarge,1,8,2048,1024,1024,fp8,50,5,SGLang,\n" +
		"llama-3-8b,trn2.48xlarge,8,8,2048,1024,1024,fp8,50,5,vllm-neuron,\n" +
		"llama-3-8b,trn2.48xlarge,8,8,2048,1024,1024,fp8,50,5,NxD Inference + vLLM,\n" +
		"llama-3-8b,p5.48xlarge,1,8,2048,1024,1024,fp8,50,5,vLLM,auto\n" +
		"llama-3-8b,p5.48xlarge,1,8,2048,1024,1024,fp8,50,5,vLLM,fp8_e4m3\n" +
		"llama-3-8b,p5.48xlarge,1,8,2048,1024,1024,bf16,50,5,,\n" +
		// Only where the chip multiplies fp8 does fp8 quantise the cache
		// too: NeuronCore-v2 and Ampere keep the 16-bit cache beside fp8
		// weights, unless the row says otherwise.
		"llama-3-8b,inf2.48xlarge,24,8,2048,1024,1024,fp8,50,5,transformers-neuronx,\n" +
		"llama-3-8b,trn1.32xlarge,32,8,2048,1024,1024,fp8,50,5,NxD Inference,\n" +
		"llama-3-8b,p4de.24xlarge,1,8,2048,1024,1024,fp8,50,5,TensorRT-LLM 0.9.0,\n" +
		"llama-3-8b,p5en.48xlarge,1,8,2048,1024,1024,fp8,50,5,TensorRT-LLM 0.9.0,\n" +
		"llama-3-8b,inf2.48xlarge,24,8,2048,1024,1024,fp8,50,5,transformers-neuronx,fp8\n"
	pts, err := ReadServingPoints(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	want := []llm.DType{llm.FP8, llm.BF16, llm.BF16, llm.FP8, llm.FP8, llm.BF16, llm.FP8, llm.BF16,
		llm.BF16, llm.BF16, llm.BF16, llm.FP8, llm.FP8}
	if len(pts) != len(want) {
		t.Fatalf("%d points, want %d", len(pts), len(want))
	}
	for i, pt := range pts {
		if got := pt.Shard().KV; got != want[i] {
			t.Errorf("line %d (%s, kv_dtype %q): KV %s, want %s", pt.Line, pt.Framework, pt.KVDType, got, want[i])
		}
	}
}

// TestOneMetricRows: a source that publishes only one of TTFT and TPOT
// leaves the other cell empty; the row compares the one it gives.
func TestOneMetricRows(t *testing.T) {
	const in = "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\n" +
		"llama-3-8b,inf2.48xlarge,24,1,4096,128,1,int8,66.02,\n" +
		"llama-3-8b,inf2.48xlarge,24,1,4096,128,512,int8,,10.45\n"
	pts, err := ReadServingPoints(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if !pts[0].HasTTFT() || pts[0].HasTPOT() || pts[1].HasTTFT() || !pts[1].HasTPOT() {
		t.Errorf("HasTTFT/HasTPOT: %+v", pts)
	}
	// Errors and their means count only the metrics a row publishes.
	rows := []FitRow{
		{Point: pts[0], TTFTRelErr: 0.2},
		{Point: pts[1], TPOTRelErr: -0.1},
		{Point: pts[1], TPOTRelErr: 0.3},
	}
	groups, ttft, tpot := GroupErrors(rows)
	if len(groups) != 1 || groups[0].Rows != 3 || groups[0].TTFTRows != 1 || groups[0].TPOTRows != 2 {
		t.Fatalf("groups %+v", groups)
	}
	g := groups[0]
	if math.Abs(ttft-0.2) > 1e-12 || math.Abs(tpot-0.2) > 1e-12 || math.Abs(g.TPOTBias-0.1) > 1e-12 {
		t.Errorf("MAPE TTFT %g, TPOT %g, TPOT bias %g; want 0.2, 0.2, 0.1", ttft, tpot, g.TPOTBias)
	}
	if n1, n2 := MetricRows(groups); n1 != 1 || n2 != 2 {
		t.Errorf("MetricRows = %d, %d; want 1, 2", n1, n2)
	}
	// A negative time beside an empty cell is out of range, not missing.
	_, err = ReadServingPoints(strings.NewReader(strings.Replace(in, "66.02,", "-5,", 1)))
	if err == nil || !strings.Contains(err.Error(), "ttft_ms: -5 is out of range") || strings.Contains(err.Error(), "neither") {
		t.Errorf("negative TTFT, empty TPOT: %v", err)
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

// TestReadServingPointsHostile: a file a spreadsheet wrote (a byte-order
// mark, CRLF, a quoted field across lines) reads; a header that names a
// column twice, values no benchmark measures and files too long to simulate
// are refused, naming file:line and the column.
func TestReadServingPointsHostile(t *testing.T) {
	const header = "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms"
	const row = "llama-3-8b,trn1.32xlarge,32,8,4096,128,3968,int8,49.05,7.65"
	many := header + "\n" + strings.Repeat(row+"\n", MaxServingPointRows+1)
	tests := []struct {
		name, in, wantErr string
	}{
		{"bom and crlf", "\ufeff" + header + "\r\n" + row + "\r\n", ""},
		{"quoted newline", header + ",note\n" + row + ",\"two\nlines\"\n", ""},
		{"duplicate column", header + ",TP\n" + row + ",4\n", `f.csv:1: column "tp" appears twice in the header (columns 3 and 11)`},
		{"ttft 1e308", header + "\n" + strings.Replace(row, "49.05", "1e308", 1) + "\n", "f.csv:2 (llama-3-8b on trn1.32xlarge TP32 BS8 128 in / 3968 out int8 weights): ttft_ms: 1e+308 is out of range"},
		{"tpot 1e-300", header + "\n" + strings.Replace(row, "7.65", "1e-300", 1) + "\n", "tpot_ms: 1e-300 is out of range (allowed: 0.001 to 60000 ms)"},
		{"tpot NaN", header + "\n" + strings.Replace(row, "7.65", "NaN", 1) + "\n", "tpot_ms: NaN is out of range"},
		{"classic Mac line ends", strings.ReplaceAll(header+"\n"+row+"\n", "\n", "\r"), "carriage return alone"},
		// Excel's "Unicode text": the header "lacked" every column.
		{"UTF-16", utf16LE(header + "\n" + row + "\n"), "f.csv:1: it is UTF-16 text"},
		// A CR elsewhere in a header is said as found, not blamed on classic
		// Mac line ends, which every file with one was.
		{"a stray CR in a header", strings.Replace(header, ",tpot_ms", "\r,tpot_ms", 1) + "\n" + row + "\n",
			"f.csv:1: the header holds 1 carriage return(s), the first in column 9: is this a CSV file?"},
		{"a binary file", "\x7fELF\x02\x01\r\x00abc,d\ref\n1,2\n",
			"f.csv:1: the header holds 2 carriage return(s) and 4 other control byte(s), the first in column 1: is this a CSV file?"},
		// Go's ParseFloat reads these; no measurement table means them.
		{"digit separators", header + "\n" + strings.Replace(row, "7.65", "7_650", 1) + "\n", `column tpot_ms: "7_650" is not a number`},
		{"a hexadecimal float", header + "\n" + strings.Replace(row, "7.65", "0x1p4", 1) + "\n", `column tpot_ms: "0x1p4" is not a number`},
		{"tp 10^6", header + "\n" + strings.Replace(row, ",32,", ",1000000,", 1) + "\n", "tp: 1000000 is out of range (allowed: 1 to 1024)"},
		{"batch 10^9", header + "\n" + strings.Replace(row, ",8,", ",1000000000,", 1) + "\n", "batch: 1000000000 is out of range (allowed: 1 to 4096)"},
		{"seq_len 10^9", header + "\n" + strings.Replace(row, "4096", "1000000000", 1) + "\n", "seq_len: 1000000000 is out of range (allowed: 1 to 1048576)"},
		// Each load's limit is the one that binds, said once: the parser had
		// allowed 10,000,000 clients and a rate of 1e6, refused later.
		{"clients 10^7", header + ",metric_kind\n" + row + ",closed-loop concurrency=10000000\n", "concurrency must be a whole number from 1 to 4096, the most sequences a replica batches"},
		{"clients 4097", header + ",metric_kind\n" + row + ",closed-loop concurrency=4097\n", "from 1 to 4096, the most sequences"},
		{"rate 2e6", header + ",metric_kind\n" + row + ",request-rate=2e6\n", "request rate must be a number from 0.001 to 10000 requests/s, or inf"},
		{"rate 20000", header + ",metric_kind\n" + row + ",request-rate=20000\n", "from 0.001 to 10000 requests/s"},
		{"rate 1e-4", header + ",metric_kind\n" + row + ",request-rate=1e-4\n", "from 0.001 to 10000 requests/s"},
		{"prompts 10^6", header + ",metric_kind\n" + row + ",request-rate=4 num-prompts=1000000\n", "num-prompts must be a whole number from 1 to 100000,"},
		{"two concurrencies", header + ",metric_kind\n" + row + ",closed-loop concurrency=5 closed-loop concurrency=6\n", `f.csv:2: column metric_kind: "closed-loop concurrency=5 closed-loop concurrency=6" gives concurrency twice, 5 and 6`},
		{"prompts 10^6 in a note", header + ",metric_kind,note\n" + row + ",request-rate=4,--num-prompts 1000000\n", "num-prompts: 1000000 is out of range (allowed: 1 to 100000)"},
		// A throughput or latency no benchmark measures: 1e300 tokens/s had
		// printed a 300-digit decoding batch.
		{"output_tok_s 1e300", header + ",output_tok_s\n" + row + ",1e300\n", "f.csv:2 (llama-3-8b on trn1.32xlarge TP32 BS8 128 in / 3968 out int8 weights): output_tok_s: 1e+300 is out of range (allowed: 0.001 to 1e+07 tokens/s)"},
		{"output_tok_s 1e-300", header + ",output_tok_s\n" + row + ",1e-300\n", "output_tok_s: 1e-300 is out of range (allowed: 0.001 to 1e+07 tokens/s)"},
		{"output_tok_s at its bound", header + ",output_tok_s\n" + row + ",1e7\n", ""},
		{"e2e_ms 1e300", header + ",e2e_ms\n" + row + ",1e300\n", "f.csv:2 (llama-3-8b on trn1.32xlarge TP32 BS8 128 in / 3968 out int8 weights): e2e_ms: 1e+300 is out of range (allowed: 0.001 to 8.64e+07 ms)"},
		{"e2e_ms past a day", header + ",e2e_ms\n" + row + ",86400001\n", "e2e_ms: 8.6400001e+07 is out of range"},
		{"e2e_ms a day", header + ",e2e_ms\n" + row + ",86400000\n", ""},
		{"empty throughput and latency", header + ",output_tok_s,e2e_ms\n" + row + ",,\n", ""},
		// A written 0 had read as the empty cell, "not published".
		{"output_tok_s 0", header + ",output_tok_s,e2e_ms\n" + row + ",0,\n", "f.csv:2: column output_tok_s: 0 is not a throughput (leave the cell empty where the source publishes none)"},
		{"e2e_ms 0", header + ",output_tok_s,e2e_ms\n" + row + ",,0\n", "f.csv:2: column e2e_ms: 0 is not a time (leave the cell empty where the source publishes none)"},
		{"e2e_ms 0.0", header + ",e2e_ms\n" + row + ",0.0\n", "column e2e_ms: 0.0 is not a time"},
		{"output_tok_s -0", header + ",output_tok_s\n" + row + ",-0\n", "column output_tok_s: -0 is not a throughput"},
		// Past float64: quoted as typed, not as the +Inf it overflowed to.
		{"ttft_ms 1e400", header + "\n" + strings.Replace(row, "49.05,7.65", "1e400,7.65", 1) + "\n", "f.csv:2: column ttft_ms: 1e400 is out of range (allowed: 0.001 to 3.6e+06 ms)"},
		{"tpot_ms -1e400", header + "\n" + strings.Replace(row, "49.05,7.65", "49.05,-1E400", 1) + "\n", "f.csv:2: column tpot_ms: -1E400 is out of range (allowed: 0.001 to 60000 ms)"},
		{"two errors on one line", header + "\n" + strings.Replace(row, "49.05,7.65", "-1,+Inf", 1) + "\n", "ttft_ms: -1 is out of range (allowed: 0.001 to 3.6e+06 ms); tpot_ms: +Inf is out of range"},
		{"too many rows", many, fmt.Sprintf("f.csv:%d: more than %d data rows", MaxServingPointRows+2, MaxServingPointRows)},
		{"too many bytes", header + ",note\n" + row + ",\"" + strings.Repeat("x", maxServingPointBytes) + "\"\n", "larger than 32 MiB"},
	}
	for _, tt := range tests {
		pts, err := ReadServingPointsFile(strings.NewReader(tt.in), "f.csv")
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.wantErr == "" && (len(pts) != 1 || pts[0].File != "f.csv" || pts[0].Model != "llama-3-8b"):
			t.Errorf("%s: read %+v", tt.name, pts)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.wantErr)
		case err != nil && strings.Contains(err.Error(), "\n"):
			t.Errorf("%s: error spans lines: %q", tt.name, err)
		}
	}
}

// TestBoundedReaderAtTheBound: input exactly as long as the bound reads to
// its end; one byte more fails.
func TestBoundedReaderAtTheBound(t *testing.T) {
	for _, tt := range []struct {
		n       int
		wantErr bool
	}{{10, false}, {11, true}, {9, false}} {
		_, err := io.ReadAll(BoundedReader(strings.NewReader(strings.Repeat("x", tt.n)), 10, "test"))
		if (err != nil) != tt.wantErr {
			t.Errorf("%d bytes under a bound of 10: error %v", tt.n, err)
		}
	}
}

// TestFP8DecodesLikeInt8OnNeuronV2: docs/model.md prices fp8 weights on
// NeuronCore-v2 as int8 ones (narrow in memory, multiplied in bf16), so a
// validate row with fp8 weights decodes as fast as one with int8 weights;
// the fp8 KV cache that fp8 weights bring on Hopper made it 23% faster.
func TestFP8DecodesLikeInt8OnNeuronV2(t *testing.T) {
	arch, err := llm.Lookup("llama-3-8b")
	if err != nil {
		t.Fatal(err)
	}
	def, _ := DefaultServing(StepNeuronV2)
	perf, err := NewPerf(mustInstance(t, "inf2.48xlarge"), 24, AssumedEfficiency, def)
	if err != nil {
		t.Fatal(err)
	}
	tpot := map[llm.DType]float64{}
	for _, w := range []llm.DType{llm.INT8, llm.FP8} {
		pt := ServingPoint{Model: "llama-3-8b", Instance: "inf2.48xlarge", TP: 24, Batch: 64, SeqLen: 4096,
			InputTokens: 128, OutputTokens: 3968, WeightDType: w, TTFTMs: 1, TPOTMs: 1}
		pr, err := Predict(pt, arch, perf)
		if err != nil {
			t.Fatal(err)
		}
		tpot[w] = pr.TPOTS
	}
	if math.Abs(tpot[llm.FP8]/tpot[llm.INT8]-1) > 1e-9 {
		t.Errorf("inf2 batch 64: fp8 weights decode in %.2f ms, int8 in %.2f ms; want the same", 1e3*tpot[llm.FP8], 1e3*tpot[llm.INT8])
	}
}

// TestWindowColumn: the optional window_s column states a closed loop's
// cold-start measurement window in seconds; an empty cell (or no column, as
// in the published files) states none. A zero, a negative, a window past a
// day, and one on a load that has no window are refused, naming the column.
func TestWindowColumn(t *testing.T) {
	const header = "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,metric_kind,window_s\n"
	const loop = "llama-3-8b,p4de.24xlarge,1,10,1200,200,1000,fp16,100,20,closed-loop concurrency=10,"
	const static = "llama-3-8b,p4de.24xlarge,1,10,1200,200,1000,fp16,100,20,static,"
	tests := []struct {
		name, row string
		want      float64
		wantErr   string
	}{
		{"stated", loop + "500", 500, ""},
		{"fraction", loop + "90.5", 90.5, ""},
		{"empty", loop, 0, ""},
		{"zero", loop + "0", 0, "column window_s: 0 is not a window (allowed: 1 s to 86400 s, a day; leave the cell empty"},
		{"negative", loop + "-5", 0, `column window_s: "-5" is not a non-negative number`},
		{"under a second", loop + "0.5", 0, "window_s: 0.5 is out of range (allowed: 1 s to 86400 s, a day)"},
		{"past a day", loop + "500000", 0, "window_s: 500000 is out of range"},
		{"not a number", loop + "10m", 0, `column window_s: "10m" is not a non-negative number`},
		{"static batch", static + "500", 0, "window_s: only a closed loop (metric_kind closed-loop concurrency=N) is measured over a window"},
	}
	for _, tt := range tests {
		pts, err := ReadServingPointsFile(strings.NewReader(header+tt.row+"\n"), "w.csv")
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.wantErr == "" && pts[0].WindowS != tt.want:
			t.Errorf("%s: window %g, want %g", tt.name, pts[0].WindowS, tt.want)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "w.csv:2")):
			t.Errorf("%s: error %v, want one naming w.csv:2 and %q", tt.name, err, tt.wantErr)
		}
	}
}

// utf16LE is s in UTF-16, little-endian, after a byte-order mark, as
// Excel's "Unicode text" saves a table.
func utf16LE(s string) string {
	b := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}
