package runner

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"aiecon/hw"
	"aiecon/model/llm"
)

// openPoint is Llama-3-8B on one A100 under vLLM: 1,000-token prompts,
// 200-token answers, TTFT 80 ms and TPOT 12 ms as the "measurement" (only
// the predictions are checked here).
func openPoint(kind string) hw.ServingPoint {
	pt := hw.ServingPoint{Model: "llama-3-8b", Instance: "p4de.24xlarge", TP: 1, Batch: 1, SeqLen: 4096,
		InputTokens: 1000, OutputTokens: 200, WeightDType: llm.FP16, TTFTMs: 80, TPOTMs: 12, Framework: "vllm", Stat: "p50"}
	rows, err := hw.ReadServingPoints(strings.NewReader("model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,metric_kind\n" +
		"llama-3-8b,p4de.24xlarge,1,1,4096,1000,200,fp16,80,12," + kind + "\n"))
	if err != nil {
		panic(err)
	}
	pt.RequestRate, pt.AllAtOnce, pt.Prompts, pt.UnknownLoad = rows[0].RequestRate, rows[0].AllAtOnce, rows[0].Prompts, rows[0].UnknownLoad
	return pt
}

// An open loop's latencies follow its load: at a trickle every request is
// alone, so TTFT and TPOT are a lone request's (the static batch of one);
// they grow with the rate, most when every prompt arrives at once.
func TestOpenLoopFollowsItsLoad(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	kinds := []string{"", "request-rate=0.2 num-prompts=100", "request-rate=0.2", "request-rate=6 num-prompts=200", "request-rate=inf num-prompts=200"}
	var pts []hw.ServingPoint
	for _, k := range kinds {
		pts = append(pts, openPoint(k))
	}
	rep, err := Validate(context.Background(), pts, ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != len(kinds) {
		t.Fatalf("%d rows, %d skipped (%v); want %d rows", len(rep.Rows), len(rep.Skipped), rep.Skipped, len(kinds))
	}
	alone := rep.Rows[0]
	for _, r := range rep.Rows[1:3] {
		if math.Abs(r.PredTTFTS/alone.PredTTFTS-1) > 0.05 || math.Abs(r.PredTPOTS/alone.PredTPOTS-1) > 0.05 {
			t.Errorf("%s: TTFT %.1f ms, TPOT %.2f ms; alone %.1f, %.2f (want within 5%%)", r.Point,
				1e3*r.PredTTFTS, 1e3*r.PredTPOTS, 1e3*alone.PredTTFTS, 1e3*alone.PredTPOTS)
		}
	}
	for i := 3; i < len(rep.Rows); i++ {
		lo, hi := rep.Rows[i-1], rep.Rows[i]
		if !(hi.PredTTFTS > lo.PredTTFTS && hi.PredTPOTS > lo.PredTPOTS) {
			t.Errorf("%s: TTFT %.1f ms, TPOT %.2f ms, not above the lighter load's %.1f, %.2f", hi.Point,
				1e3*hi.PredTTFTS, 1e3*hi.PredTPOTS, 1e3*lo.PredTTFTS, 1e3*lo.PredTPOTS)
		}
		if hi.Scheduler != "vllm" {
			t.Errorf("%s: scheduler %s, want the chip's continuous batching (vllm)", hi.Point, hi.Scheduler)
		}
	}
}

// Loads validate cannot pin down are skipped with their reason, not
// simulated as something else: a rate above what the replica serves with
// no prompt count, every prompt at once with no count, a rate with a
// concurrency cap, and a metric_kind naming no load.
func TestOpenLoopSkips(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	tests := []struct{ kind, reason string }{
		{"request-rate=200", "more than the simulated replica serves"},
		{"request-rate=inf", "does not say how many"},
		{"request-rate=2 max-concurrency=8", "none of the loads aiecon simulates"},
		{"offline throughput", "none of the loads aiecon simulates"},
	}
	var pts []hw.ServingPoint
	for _, tt := range tests {
		pts = append(pts, openPoint(tt.kind))
	}
	rep, err := Validate(context.Background(), pts, ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != len(tests) {
		t.Fatalf("%d skipped, %d rows; want all %d skipped", len(rep.Skipped), len(rep.Rows), len(tests))
	}
	for i, tt := range tests { // skipped in the order of the points
		if !strings.Contains(rep.Skipped[i].Reason, tt.reason) {
			t.Errorf("%s skipped because %q; want %q", tt.kind, rep.Skipped[i].Reason, tt.reason)
		}
	}
}

// The statistic is the row's: a percentile is computed as numpy's
// percentile (linear between order statistics), which vLLM reports.
func TestQuantileMatchesNumpy(t *testing.T) {
	xs := []float64{4, 1, 3, 2, 10}
	for _, tt := range []struct{ q, want float64 }{{0, 1}, {0.5, 3}, {0.9, 7.6}, {0.99, 9.76}, {1, 10}} {
		if got := quantile(xs, tt.q); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("quantile(%v, %g) = %g, want %g (numpy.percentile)", xs, tt.q, got, tt.want)
		}
	}
	if !math.IsNaN(quantile(nil, 0.9)) {
		t.Error("quantile of nothing should be NaN")
	}
}

// TestOpenLoopSkipsPastBound: an open loop is bounded as a closed one is
// (loopSkipSeqSteps): every request it sends, over each draw of its
// arrivals, is its work, and past the bound it is skipped with its figures
// and its line, where it had simulated for minutes (a counted one) or
// filled memory (a steady one). A burst is drawn once; loops under the
// bound run.
func TestOpenLoopSkipsPastBound(t *testing.T) {
	point := func(out int, kind string) hw.ServingPoint {
		rows, err := hw.ReadServingPoints(strings.NewReader("model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,metric_kind\n" +
			"llama-3.1-8b,p5.48xlarge,8,1,131072,1000," + strconv.Itoa(out) + ",bf16,50,10," + kind + "\n"))
		if err != nil {
			t.Fatal(err)
		}
		rows[0].File = "ol.csv"
		return rows[0]
	}
	tests := []struct {
		name string
		pt   hw.ServingPoint
		want string // "" for run
	}{
		{"counted, past", point(100000, "request-rate=10000 num-prompts=601"),
			"5 draws of the arrivals x 601 requests (num-prompts) x 100,000 output tokens is 300,500,000 sequence-steps of decoding, past the 300,000,000 a row may simulate (it could take minutes); aiecon validate ol.csv --scenario 2 prints"},
		{"counted, at the bound", point(100000, "request-rate=10000 num-prompts=600"), ""},
		{"burst, past", point(100000, "request-rate=inf num-prompts=3001"), "3,001 requests at once x 100,000 output tokens is 300,100,000"},
		{"burst, drawn once", point(100000, "request-rate=inf num-prompts=3000"), ""},
		{"steady, past", point(100000, "request-rate=10000"), "5 draws of the arrivals x about "},
		{"steady, small", point(200, "request-rate=2"), ""},
		{"published size", point(200, "request-rate=6 num-prompts=1000"), ""},
	}
	for _, tt := range tests {
		got := loopTooLong(tt.pt, 0)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	start := time.Now()
	rep := validatePoints(t, "llama-3.1-8b,p5.48xlarge,8,1,131072,1000,100000,bf16,50,10,request-rate=10000 num-prompts=1000,\n", ValidateOptions{})
	if len(rep.Rows) != 0 || len(rep.Skipped) != 1 || !strings.Contains(rep.Skipped[0].Reason, "is 500,000,000 sequence-steps of decoding, past the 300,000,000") {
		t.Errorf("rows %d, skipped %v; want the open loop skipped for its length", len(rep.Rows), rep.Skipped)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("skipping took %v; want it decided before anything runs", d)
	}
}
