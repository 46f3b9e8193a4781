package sim

import (
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/hw"
)

// smallL4 is Llama-3.1-8B on L4 GPUs (g6.xlarge): 16 GB of bf16 weights on a
// 24 GB card leaves a small KV cache; the caller adds arrivals and a fleet.
const smallL4 = `name: l4
horizon: 1d
window: 1h
model: llama-3.1-8b
output: {request_sample_rate: 0.05}
workloads:
  - name: chat
    class: api
    prompt_tokens: {dist: lognormal, median: 500, p99: 4000, max: 8000}
    output_tokens: {dist: lognormal, median: 200, p99: 1000, max: 2000}
    price: {input_per_mtok: 0.22, output_per_mtok: 0.22}
    slo: {ttft: 2s, tpot: 100ms}`

// conserved checks every arrival ended exactly one way.
func conserved(t *testing.T, res *Result, sink *MemorySink) {
	t.Helper()
	arrived := kpi(t, res, "requests_arrived", "")
	ended := kpi(t, res, "requests_completed", "") + kpi(t, res, "requests_dropped", "") + kpi(t, res, "requests_timed_out", "") +
		kpi(t, res, "requests_abandoned", "") + kpi(t, res, "requests_unfinished", "")
	if arrived != ended || (sink.Meta.RequestSampleRate == 1 && int(arrived) != len(sink.Reqs)) {
		t.Fatalf("arrived %v, ended %v, records %d", arrived, ended, len(sink.Reqs))
	}
}

func TestAutoscalingFollowsLoad(t *testing.T) {
	// One L4 instance facing a day-shaped load: the autoscaler must add
	// instances for the evening peak (paying for them while they load) and
	// release them in the night trough.
	sc := scenario(t, smallL4+`
    arrivals: {process: poisson, rate: 1.5/s, diurnal: default}
fleet:
  instance: g6.xlarge
  count: 1
  autoscale: {min: 1, max: 5, target: 0.5, provision_delay: 10m, cooldown: 10m, interval: 2m}
  replica: {tp: 1, scheduler: vllm, max_num_seqs: 32, max_model_len: 8192}
`)
	res, sink := run(t, sc)
	conserved(t, res, sink)
	ups, downs := kpi(t, res, "scale_ups", ""), kpi(t, res, "scale_downs", "")
	if ups == 0 || downs == 0 {
		t.Fatalf("scale-ups %v, scale-downs %v: the fleet should follow the day", ups, downs)
	}
	minPaid, maxPaid := math.Inf(1), 0.0
	for _, w := range sink.Wins {
		minPaid = math.Min(minPaid, w.ReplicasPaid)
		maxPaid = math.Max(maxPaid, w.ReplicasPaid)
		if w.ReplicasUp > w.ReplicasPaid+1e-9 {
			t.Fatalf("window at %d: %v replicas up but %v paid", w.StartNs, w.ReplicasUp, w.ReplicasPaid)
		}
	}
	if maxPaid < 2*minPaid {
		t.Fatalf("paid replicas ranged %v..%v; expected the peak to need at least twice the trough", minPaid, maxPaid)
	}
	// Provisioning is paid but not served: over the run, paid replica-time exceeds up time.
	if kpi(t, res, "instances_avg", "")*2 <= kpi(t, res, "replicas_up_avg", "") {
		t.Fatalf("instances %v x 2 replicas should exceed replicas up %v (provisioning is paid)", kpi(t, res, "instances_avg", ""), kpi(t, res, "replicas_up_avg", ""))
	}
}

func TestSpotInterruptions(t *testing.T) {
	src := strings.Replace(small8b, "  count: 1\n", "  count: 3\n  pricing: spot\n  spot: {discount: 0.6, interruptions_per_hour: 6, recovery: 2m}\n", 1)
	sc := scenario(t, src)
	res, sink := run(t, sc)
	conserved(t, res, sink)
	if n := kpi(t, res, "spot_interruptions", ""); n < 5 {
		t.Fatalf("only %v interruptions at 6/h/instance over 10 min x 3 instances", n)
	}
	// Interruptions cost capacity, not money: every instance stays paid.
	if got := kpi(t, res, "instances_avg", ""); math.Abs(got-3) > 1e-9 {
		t.Fatalf("instances_avg %v, want 3 (replacements are paid while they load)", got)
	}
	if kpi(t, res, "replicas_up_avg", "") >= 3 {
		t.Fatalf("replicas up %v: recoveries should take replicas down for a while", kpi(t, res, "replicas_up_avg", ""))
	}
	p5, err := hw.InstanceByName("p5.48xlarge")
	if err != nil {
		t.Fatal(err)
	}
	if want := p5.OnDemand.SI() * 0.4; math.Abs(kpi(t, res, "price_per_instance_hour_usd", "")-want) > 1e-9 {
		t.Fatalf("spot price %v, want on-demand minus 60%% = %v", kpi(t, res, "price_per_instance_hour_usd", ""), want)
	}
	preempted := 0
	for _, r := range sink.Reqs {
		if r.Preemptions > 0 && r.Status == StatusCompleted {
			preempted++
		}
	}
	if preempted == 0 {
		t.Fatalf("no request was moved off an interrupted replica and completed elsewhere")
	}
}

// TestFleetIdleTrainingUsesTroughs: the night trough leaves replicas idle,
// which the lender lends; the day's traffic takes them back. (At 3 requests
// a second every replica runs a few sequences all day and none is idle, so
// nothing is lent: the lender lends idle capacity, not empty batch slots.)
func TestFleetIdleTrainingUsesTroughs(t *testing.T) {
	sc := scenario(t, smallL4+`
    arrivals: {process: poisson, rate: 1/s, diurnal: default}
fleet:
  instance: g6.xlarge
  count: 4
  replica: {tp: 1, scheduler: vllm, max_num_seqs: 8, max_model_len: 8192}
training: {tokens: 1e8, kind: lora, where: fleet-idle, interval: 1m, switch_time: 30s}
`)
	res, sink := run(t, sc)
	conserved(t, res, sink)
	if kpi(t, res, "training_lends", "") == 0 || kpi(t, res, "training_reclaims", "") == 0 {
		t.Fatalf("lends %v, reclaims %v", kpi(t, res, "training_lends", ""), kpi(t, res, "training_reclaims", ""))
	}
	// More training in the night trough (hours 1-5) than at the evening peak (18-21).
	night, evening := 0.0, 0.0
	for _, w := range sink.Wins {
		h := w.StartNs / 3600e9
		switch {
		case h >= 1 && h < 5:
			night += w.TrainingFrac
		case h >= 18 && h < 21:
			evening += w.TrainingFrac
		}
	}
	if night/4 <= evening/3 {
		t.Fatalf("training share: night %.3f vs evening %.3f; troughs should train more", night/4, evening/3)
	}
	if cov := kpi(t, res, "training_idle_coverage", ""); cov <= 0 || cov > 1 {
		t.Fatalf("coverage %v out of range", cov)
	}
	// A replica lent while it drains its last requests is still up: its
	// busy time never exceeds its up time (up_ns stopped at the routing
	// set's exit, so lent replicas were busy for over 100% of it).
	for _, p := range res.Replicas {
		if p.BusyNs > p.UpNs {
			t.Fatalf("replica %d busy %d ns of %d ns up", p.ID, p.BusyNs, p.UpNs)
		}
	}
	// Lending costs some latency (consolidated replicas run fuller batches)
	// but must not wreck serving: compare with the same fleet not training.
	sc.Training = nil
	plain, _ := run(t, sc)
	with, without := kpi(t, res, "slo_attainment", ""), kpi(t, plain, "slo_attainment", "")
	t.Logf("SLO attainment %.3f lending to training, %.3f without", with, without)
	if with < without-0.05 {
		t.Fatalf("lending cost %.1f points of SLO attainment", 100*(without-with))
	}
}

func TestStaticBatching(t *testing.T) {
	src := strings.Replace(small8b, "scheduler: vllm, max_num_seqs: 64", "scheduler: static, max_num_seqs: 8", 1)
	res, sink := run(t, scenario(t, src))
	conserved(t, res, sink)
	// Within a static batch every member starts together and no new request
	// joins before the whole batch has finished.
	byStart := map[[2]int64][]RequestRecord{}
	for _, r := range sink.Reqs {
		if r.Status == StatusCompleted {
			k := [2]int64{int64(r.Replica), r.StartNs}
			byStart[k] = append(byStart[k], r)
		}
	}
	for k, batch := range byStart {
		if len(batch) > 8 {
			t.Fatalf("batch at %v has %d members, max_num_seqs is 8", k, len(batch))
		}
		end := int64(0)
		for _, r := range batch {
			end = max(end, r.FinishNs)
		}
		for k2, other := range byStart {
			if k2[0] == k[0] && k2[1] > k[1] && k2[1] < end {
				t.Fatalf("replica %d: a batch started at %d while the batch of %d ran until %d (%d members)", k[0], k2[1], k[1], end, len(other))
			}
		}
	}
}

// starvedL4 is smallL4 at 1 request/s on one L4 (g6.xlarge), whose KV
// cache holds few long requests at once.
const starvedL4 = smallL4 + `
    arrivals: {process: poisson, rate: 1/s}
fleet:
  instance: g6.xlarge
  replica: {tp: 1, scheduler: vllm, max_num_seqs: 64, max_model_len: 8192}
`

func TestKVPreemption(t *testing.T) {
	// Long outputs and a tiny KV budget (memory_reserve leaves little room)
	// force recompute preemptions; every preempted request still completes.
	sc := scenario(t, starvedL4+"drain: true\n")
	sc.Horizon = 120e9
	sc.Workloads[0].OutputTokens.Median, sc.Workloads[0].OutputTokens.P99 = 1500, 1900
	res, sink := run(t, sc)
	conserved(t, res, sink)
	if kpi(t, res, "preemptions", "") == 0 {
		t.Fatalf("no preemptions with a small KV cache (kv utilisation %v)", kpi(t, res, "kv_utilization", ""))
	}
	for _, r := range sink.Reqs {
		if r.Status != StatusCompleted {
			t.Fatalf("request %d ended %v in a drained run", r.ID, r.Status)
		}
	}
}

func TestTraceReplay(t *testing.T) {
	dir := t.TempDir()
	trace := "TIMESTAMP,ContextTokens,GeneratedTokens\n" +
		"2023-11-16 18:15:46.0000000,100,10\n" +
		"2023-11-16 18:15:46.5000000,200,20\n" +
		"2023-11-16 18:15:48.2500000,300,30\n"
	if err := os.WriteFile(filepath.Join(dir, "t.csv"), []byte(trace), 0o644); err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(small8b, "arrivals: {process: poisson, rate: 20/s}", "arrivals: {process: trace, trace: {path: t.csv, time_scale: 2, rate_scale: 2}}", 1)
	sc := scenario(t, src)
	sink := &MemorySink{}
	w, err := New(Config{Scenario: sc, Sink: sink, TraceDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		at     int64
		prompt int32
	}{{0, 100}, {0, 100}, {1e9, 200}, {1e9, 200}, {4.5e9, 300}, {4.5e9, 300}}
	if len(sink.Reqs) != len(want) {
		t.Fatalf("%d requests, want %d (each row twice)", len(sink.Reqs), len(want))
	}
	got := map[[2]int64]int{}
	for _, r := range sink.Reqs {
		got[[2]int64{r.ArrivalNs, int64(r.PromptTokens)}]++
	}
	for _, x := range want {
		if got[[2]int64{x.at, int64(x.prompt)}] == 0 {
			t.Fatalf("no request of %d tokens at %d ns (time_scale 2): %v", x.prompt, x.at, got)
		}
	}
	for _, r := range sink.Reqs {
		if r.OutputTokens != r.PromptTokens/10 {
			t.Fatalf("request %d generated %d tokens, the trace says %d", r.ID, r.OutputTokens, r.PromptTokens/10)
		}
	}
}

func TestReadTraceErrors(t *testing.T) {
	cases := map[string]string{
		"no header":      "2023-11-16 18:15:46,1,2\n",
		"bad time":       "TIMESTAMP,ContextTokens,GeneratedTokens\nyesterday,1,2\n",
		"bad tokens":     "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,-1,2\n",
		"out of order":   "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,1,2\n2023-11-16 18:15:45,1,2\n",
		"empty":          "TIMESTAMP,ContextTokens,GeneratedTokens\n",
		"missing column": "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,1\n",
		"extra column":   "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,1,2,3\n",
		"stray quote":    "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,1\"2,2\n",
	}
	for name, src := range cases {
		_, err := ReadTrace(strings.NewReader(src), "t.csv")
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if name != "empty" && !strings.Contains(err.Error(), "t.csv:") {
			t.Errorf("%s: error %q does not name the file and line", name, err)
		}
	}
}

// TestReadTraceZeroTokens: a row of 0 prompt or 0 output tokens is
// refused at its line, as a workload's 0 is; it was served as a call of
// one token (a 24 ms TTFT for an empty prompt) and counted as completed.
func TestReadTraceZeroTokens(t *testing.T) {
	const head = "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,5,5\n"
	for _, tt := range []struct{ row, want string }{
		{"2023-11-16 18:15:47,0,0", "t.csv:3: ContextTokens 0: a model call has at least one token of each (prompt and output)"},
		{"2023-11-16 18:15:47,0,5", "t.csv:3: ContextTokens 0:"},
		{"2023-11-16 18:15:47,5,0", "t.csv:3: GeneratedTokens 0: a model call has at least one token of each"},
		// A bad count names its column and the cell as written; it named neither.
		{"2023-11-16 18:15:47,-1,5", `t.csv:3: ContextTokens "-1": token counts must be whole numbers from 1 to 16777216`},
		{"2023-11-16 18:15:47,5,374.5", `t.csv:3: GeneratedTokens "374.5": token counts`},
		{"2023-11-16 18:15:47,NaN,5", `t.csv:3: ContextTokens "NaN": token counts`},
		{"2023-11-16 18:15:47,5,2e9", `t.csv:3: GeneratedTokens "2e9": token counts`},
		{"2023-11-16 18:15:47,16777217,5", `t.csv:3: ContextTokens "16777217": token counts`},
	} {
		_, err := ReadTrace(strings.NewReader(head+tt.row+"\n"), "t.csv")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("row %q: %v, want %q", tt.row, err, tt.want)
		}
	}
	if tr, err := ReadTrace(strings.NewReader(head+"2023-11-16 18:15:47,1,1\n"), "t.csv"); err != nil || tr.Len() != 2 {
		t.Fatalf("rows of one token each: %v", err)
	}
}

// TestReadTraceCSV: a trace is RFC 4180 CSV. Quoted fields (as a
// spreadsheet writes a timestamp) were refused as bad TIMESTAMP "\"...\"",
// a row longer than the header was read from its first columns, and a
// line over 1 MiB stopped the reader with "token too long".
func TestReadTraceCSV(t *testing.T) {
	src := "\ufeffTIMESTAMP,ContextTokens,GeneratedTokens,Note\n" +
		"\"2023-11-16 18:15:46.0000000\",100,10,plain\n" +
		"2023-11-16 18:15:47,\"200\",20,\"a, quoted note\"\n" +
		"2023-11-16 18:15:48,300,30," + strings.Repeat("x", 2<<20) + "\n"
	tr, err := ReadTrace(strings.NewReader(src), "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Len() != 3 || tr.Context[1] != 200 || tr.OffsetsNs[2] != 2e9 {
		t.Fatalf("read %d rows, contexts %v, offsets %v", tr.Len(), tr.Context, tr.OffsetsNs)
	}
	_, err = ReadTrace(strings.NewReader("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,1,2\n2023-11-16 18:15:47,1,2,3\n"), "t.csv")
	if err == nil || !strings.Contains(err.Error(), "t.csv:3: 4 fields, more than the header's 3") {
		t.Fatalf("a row longer than the header: %v", err)
	}
	// A line of spaces is skipped, a row shorter than the header that holds
	// the columns read is read, and a byte-order mark before a quoted
	// header is not part of it.
	tr, err = ReadTrace(strings.NewReader("\ufeff\"TIMESTAMP\",ContextTokens,GeneratedTokens,Note\n   \n2023-11-16 18:15:46,1,2\n"), "t.csv")
	if err != nil || tr.Len() != 1 {
		t.Fatalf("read %v rows, %v", tr, err)
	}
}

// zeros is an endless input with no line break, as /dev/zero reads.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

// TestReadTraceLineCap: a trace with no line break (/dev/zero as a trace or
// an empirical column) grew encoding/csv's line buffer until the process ran
// out of memory; a line past MaxTraceLineBytes is refused, naming the file
// and line, having read little more than the cap.
func TestReadTraceLineCap(t *testing.T) {
	z := &zeros{}
	_, err := ReadTrace(z, "/dev/zero")
	if err == nil || !strings.Contains(err.Error(), "/dev/zero:1: line longer than 4 MiB") {
		t.Fatalf("/dev/zero as a trace: %v", err)
	}
	if z.n > 2*MaxTraceLineBytes {
		t.Fatalf("read %d bytes before refusing a %d-byte line cap", z.n, MaxTraceLineBytes)
	}
	head := "TIMESTAMP,ContextTokens,GeneratedTokens,Note\n2023-11-16 18:15:46,1,2\n"
	_, err = ReadTrace(io.MultiReader(strings.NewReader(head), &zeros{}), "t.csv")
	if err == nil || !strings.Contains(err.Error(), "t.csv:3: line longer than") {
		t.Fatalf("a trace whose third line never ends: %v", err)
	}
	// A line exactly at the cap reads.
	at := head + "2023-11-16 18:15:47,3,4," + strings.Repeat("x", MaxTraceLineBytes-len("2023-11-16 18:15:47,3,4,")) + "\n"
	if tr, err := ReadTrace(strings.NewReader(at), "t.csv"); err != nil || tr.Len() != 2 {
		t.Fatalf("a line at the cap: %v, %v", tr, err)
	}
}

// TestBatchClassYieldsToInteractive: batch jobs wait behind api requests (a
// lower priority is admitted first) and pay the batch price.
func TestBatchClassYieldsToInteractive(t *testing.T) {
	sc := scenario(t, small8b+`
  - name: offline
    class: batch
    arrivals: {process: poisson, rate: 40/s}
    prompt_tokens: {dist: lognormal, median: 500, p99: 4000, max: 8000}
    output_tokens: {dist: lognormal, median: 200, p99: 1000, max: 2000}
    price: {input_per_mtok: 0.22, output_per_mtok: 0.22}
`)
	sc.Fleet.Replica.MaxNumSeqs = 32 // contention: api alone fits, api + batch does not
	res, _ := run(t, sc)
	apiQ, batchQ := kpi(t, res, "queue_p90_s", "chat"), kpi(t, res, "queue_p90_s", "offline")
	t.Logf("queue p90: api %.3f s, batch %.3f s", apiQ, batchQ)
	if !(batchQ > 3*apiQ) {
		t.Fatalf("batch jobs should wait behind api requests: queue p90 api %v, batch %v", apiQ, batchQ)
	}
	// Batch tier: half price per token.
	done := kpi(t, res, "requests_completed", "offline")
	in := kpi(t, res, "input_tokens_per_s", "offline") * float64(res.SimNs) / 1e9
	out := kpi(t, res, "output_tokens_per_s", "offline") * float64(res.SimNs) / 1e9
	if done == 0 || in == 0 || out == 0 {
		t.Fatal("no batch work completed")
	}
	apiIn := kpi(t, res, "input_tokens_per_s", "chat") * float64(res.SimNs) / 1e9
	apiOut := kpi(t, res, "output_tokens_per_s", "chat") * float64(res.SimNs) / 1e9
	want := (apiIn+apiOut)*0.22/1e6 + (in+out)*0.22*0.5/1e6
	if got := kpi(t, res, "revenue_api_usd", ""); math.Abs(got-want) > 1e-6*want {
		t.Fatalf("token revenue %v, want api at list + batch at half price = %v", got, want)
	}
}

// TestInterruptedRequestsAreDropped pins down what docs/model.md calls a
// dropped request (status queue_full) for the requests a spot interruption
// takes off their only replica: with no other replica of the pool up to
// take them, the waiting and the running ones alike are dropped for want of
// a replica up, at the interruption, unbilled, counted by requests_dropped
// and windows.dropped; a running one keeps its start and the tokens it had
// generated.
func TestInterruptedRequestsAreDropped(t *testing.T) {
	src := strings.Replace(small8b, "  count: 1\n", "  count: 1\n  pricing: spot\n  spot: {discount: 0.6, interruptions_per_hour: 12, recovery: 1m}\n", 1)
	sc := scenario(t, src)
	res, sink := run(t, sc)
	conserved(t, res, sink)
	if kpi(t, res, "spot_interruptions", "") == 0 {
		t.Fatal("no interruption: the test needs one")
	}
	var dropped, running int
	for _, r := range sink.Reqs {
		if r.Status != StatusQueueFull {
			continue
		}
		dropped++
		if r.RevenueUSD != 0 || r.FinishNs < r.ArrivalNs {
			t.Fatalf("dropped request %d: revenue %v, arrival %d, finish %d", r.ID, r.RevenueUSD, r.ArrivalNs, r.FinishNs)
		}
		if r.StartNs >= 0 { // was running when its instance stopped
			running++
			if r.Replica < 0 || r.FinishNs < r.StartNs {
				t.Fatalf("evacuated running request %d: replica %d, start %d, finish %d", r.ID, r.Replica, r.StartNs, r.FinishNs)
			}
		}
	}
	if running == 0 {
		t.Fatal("no running request was interrupted: the test needs one")
	}
	if got := kpi(t, res, "requests_dropped", ""); int(got) != dropped {
		t.Fatalf("requests_dropped %v, %d queue_full rows", got, dropped)
	}
	var winDropped int64
	for _, w := range sink.Wins {
		winDropped += w.Dropped
	}
	if want := int64(dropped) + int64(kpi(t, res, "requests_timed_out", "")); winDropped != want {
		t.Fatalf("windows dropped %d, want queue_full + timed out = %d", winDropped, want)
	}
	t.Logf("%d dropped, %d of them running when interrupted", dropped, running)
}

// TestReadTraceCSVPlace: a CSV syntax error in a trace is placed at
// FILE:LINE:COL through hw.CSVPlace, as validate, hw fit and calibrate
// import place theirs; a trace's said FILE:LINE and left the column out.
func TestReadTraceCSVPlace(t *testing.T) {
	const head = "TIMESTAMP,ContextTokens,GeneratedTokens\n"
	for _, tt := range []struct{ name, src, want string }{
		{"stray quote in a row", head + "2023-11-16 18:15:46,1\"2,2\n", "t.csv:2:22: bare \" in non-quoted-field"},
		{"stray quote in the header", "TIMESTAMP,Context\"Tokens,GeneratedTokens\n", "t.csv:1:18: bare \" in non-quoted-field"},
		{"quote left open", head + "\"2023-11-16 18:15:46,1,2\n2023-11-16 18:15:47,1,2\n", "(in the record that starts on line 2)"},
	} {
		_, err := ReadTrace(strings.NewReader(tt.src), "t.csv")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}
