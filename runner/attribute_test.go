package runner

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/model"
)

// TestRenameErrorsNameTheSet: an error a --set causes by changing a list
// element's name names the --set, not the base file's line: the element
// is found by the name the file gives it (workloads[chat].name=... was
// "built-in baseline:22:11: workloads[0].name: ..."), a pool by its name as
// a workload is (pools[small] was never matched), and an error quoting the
// name given or taken away (a duplicate, a reference to the old name) is
// the rename's.
func TestRenameErrorsNameTheSet(t *testing.T) {
	checkSetErrors(t, []setErrorCase{
		{"baseline", []string{`workloads[chat].name=""`}, []string{`--set workloads[chat].name="": workloads[chat].name: required`}},
		{"baseline", []string{"workloads[chat].name=" + strings.Repeat("x", 201)},
			[]string{"--set workloads[chat].name=xxx"}},
		{"baseline", []string{"workloads[chat].name=shopping-assistant"}, []string{
			`--set workloads[chat].name=shopping-assistant: workloads[1].name: duplicate workload name "shopping-assistant"`,
			`--set workloads[chat].name=shopping-assistant: ads.workloads[0]: "shopping-assistant" is class api`}},
		{"baseline", []string{"workloads[chat].name=x", "workloads[x].arrivals.rate=-1"},
			[]string{"--set workloads[x].arrivals.rate=-1: workloads[x].arrivals.rate:"}},
		{"model-mix", []string{"pools[small].fleet.count=-1"}, []string{"--set pools[small].fleet.count=-1: pools[small].fleet.count:"}},
		{"model-mix", []string{"pools[small].name=tiny"}, []string{`--set pools[small].name=tiny: routing.small: no pool named "small"`}},
		{"model-mix", []string{"pools[0].name=tiny"}, []string{`--set pools[0].name=tiny: routing.small: no pool named "small"`}},
	})
}

// TestCausedErrorsNameTheSet: an error on a field no --set gave, that a
// --set of another field causes, names that --set: --set
// fleet.pricing=owned was "built-in baseline:15:11:
// fleet.price_usd_per_hour: required with pricing: owned", the file's
// instance line, and said nothing of the --set. A --set of the field
// itself is still the one named.
func TestCausedErrorsNameTheSet(t *testing.T) {
	const owned = "fleet.price_usd_per_hour: required with pricing: owned"
	checkSetErrors(t, []setErrorCase{
		{"baseline", []string{"fleet.pricing=owned"}, []string{"--set fleet.pricing=owned: " + owned}},
		{"baseline", []string{"fleet.pricing=owned", "fleet.count=2"}, []string{"--set fleet.pricing=owned: " + owned}},
		{"baseline", []string{"fleet.pricing=owned", "fleet.price_usd_per_hour=null"},
			[]string{"--set fleet.price_usd_per_hour=null: " + owned}},
		{"model-mix", []string{"pools[small].fleet.pricing=owned"},
			[]string{"--set pools[small].fleet.pricing=owned: pools[small]." + owned}},
		// A field of a block the --set created, not the file's line of
		// the nearest block it writes.
		{"baseline", []string{"fleet.replica.speculative.draft=llama-3.2-1b"},
			[]string{"--set fleet.replica.speculative.draft=llama-3.2-1b: fleet.replica.speculative.acceptance: required"}},
		{"model-mix", []string{"pools[small].fleet.replica.speculative.draft=llama-3.2-1b"},
			[]string{"--set pools[small].fleet.replica.speculative.draft=llama-3.2-1b: pools[small].fleet.replica.speculative.acceptance: required"}},
		{"inferentia-small", []string{"fleet.instance=trn2.48xlarge"},
			[]string{"--set fleet.instance=trn2.48xlarge: fleet.pricing: the catalog has no on-demand price for trn2.48xlarge"}},
		// A block the file does not write, made by a --set of a field in
		// it (ads, an agent block), and an error whose cause a --set
		// removed or replaced (routing): the --set, not the line of an
		// unrelated field of the file (the workload's class).
		{"inferentia-small", []string{"ads.slots=2"}, []string{"--set ads.slots=2: ads: ads run on agent turns, but no workload has class agent"}},
		{"inferentia-small", []string{"workloads[chat].agent.steps=3"},
			[]string{"--set workloads[chat].agent.steps=3: workloads[chat].agent: only meaningful for class agent"}},
		{"model-mix", []string{"routing=null"}, []string{"--set routing=null: pools: routing is required with pools"}},
		{"model-mix", []string{"routing.rule=workload", "routing.small=null", "routing.large=null", "routing.escalation=null", "routing.workloads={chat: llama-3.3-70b}"},
			[]string{`--set routing.workloads={chat: llama-3.3-70b}: pools[0]: pool "small" receives no traffic under routing rule workload`}},
		// A horizon under the file's window, a fleet too small for its
		// fleet-idle training: the --set, not the file's window or where.
		{"retrain-weekly", []string{"horizon=3m"}, []string{"--set horizon=3m: window: 10m is longer than the horizon 3m"}},
		{"retrain-weekly", []string{"fleet.count=1"}, []string{"--set fleet.count=1: training.where: the training job does not fit"}},
		// An instance whose schedulers exclude the file's: the --set of
		// the instance, not the file's scheduler line.
		{"baseline", []string{"fleet.instance=p5.48xlarge", "fleet.replica.tp=8"},
			[]string{`--set fleet.instance=p5.48xlarge: fleet.replica.scheduler: scheduler "neuron" does not run on p5.48xlarge`}},
		{"baseline", []string{"fleet.instance=p5.48xlarge", "fleet.replica.scheduler=vllm"},
			[]string{"--set fleet.instance=p5.48xlarge: fleet.replica.tp: 32 exceeds the 8 devices of p5.48xlarge"}},
		{"baseline", []string{"fleet.replica.tp=32", "fleet.instance=p5.48xlarge", "fleet.replica.scheduler=vllm"},
			[]string{"--set fleet.replica.tp=32: fleet.replica.tp: 32 exceeds the 8 devices of p5.48xlarge"}},
		// A model that does not fit the file's TP, or the instance's memory:
		// the --set of the model or of the instance, whichever came last,
		// not the file's tp line.
		{"baseline", []string{"model=llama-3.1-405b"},
			[]string{"--set model=llama-3.1-405b: fleet.replica.tp: llama-3.1-405b weights (26.2 GB per device at tp 32) do not fit"}},
		{"baseline", []string{"model=llama-3.1-405b", "fleet.instance=trn1.32xlarge", "fleet.pricing=on-demand"},
			[]string{"--set fleet.instance=trn1.32xlarge: fleet.replica.tp: llama-3.1-405b weights"}},
		{"inferentia-small", []string{"fleet.instance=inf2.xlarge", "fleet.replica.tp=2", "model=codellama-13b"},
			[]string{"--set model=codellama-13b: fleet.replica.max_model_len: 8192 tokens of KV cache do not fit beside the weights"}},
		// A model of a shorter context than the file's max_model_len, and
		// the buckets that follow it: the --set of the model, or of
		// max_model_len for the default buckets.
		{"baseline", []string{"model=llama-2-70b"}, []string{
			"--set model=llama-2-70b: fleet.replica.max_model_len: 8192 is out of range (allowed: 2, a prompt token and an output token, to the model's max context 4096)",
			"--set model=llama-2-70b: fleet.replica.context_buckets: the largest bucket 8192 is past the model's max context 4096",
			"--set model=llama-2-70b: fleet.replica.sequence_buckets: the largest bucket 8192 is past the model's max context 4096"}},
		{"model-mix", []string{"pools[small].model=llama-2-7b"}, []string{
			"--set pools[small].model=llama-2-7b: pools[small].fleet.replica.max_model_len: 8192 is out of range",
			"--set pools[small].model=llama-2-7b: pools[small].fleet.replica.context_buckets:",
			"--set pools[small].model=llama-2-7b: pools[small].fleet.replica.sequence_buckets:"}},
		{"baseline", []string{"fleet.replica.max_model_len=200000"}, []string{
			"--set fleet.replica.max_model_len=200000: fleet.replica.max_model_len: 200000 is out of range",
			"--set fleet.replica.max_model_len=200000: fleet.replica.context_buckets: the largest bucket 200000 is past",
			"--set fleet.replica.max_model_len=200000: fleet.replica.sequence_buckets: the largest bucket 200000 is past"}},
		// The model names the main pool: the file's routing to it names
		// no pool once a --set changes the model.
		{"model-mix", []string{"model=llama-3.1-70b"},
			[]string{`--set model=llama-3.1-70b: routing.large: no pool named "llama-3.3-70b" (pools: llama-3.1-70b, small)`}},
		// Spot pricing on an instance without a spot quote; a weight format
		// the file's instance does not run.
		{"inferentia-small", []string{"fleet.pricing=spot"},
			[]string{"--set fleet.pricing=spot: fleet.spot.discount: required: the catalog has no dated spot quote for inf2.48xlarge"}},
		{"baseline", []string{"precision.weights=int4"},
			[]string{"--set precision.weights=int4: fleet.instance: trn2.48xlarge does not run int4 weights (precision.weights)"}},
		// Training: a dedicated instance the catalog has no on-demand
		// price for, a model whose fine-tune the fleet's idle replicas
		// cannot hold.
		{"retrain-weekly", []string{"training.instance=trn2.48xlarge"},
			[]string{"--set training.instance=trn2.48xlarge: training.price_usd_per_hour: the catalog has no on-demand price for trn2.48xlarge"}},
		{"retrain-weekly", []string{"model=llama-3.1-405b"},
			[]string{"--set model=llama-3.1-405b: training.where: the training job does not fit"}},
		// Fields the new process, class or rule needs or has no use for;
		// autoscaling set below fleet.autoscale beside fleet-idle training.
		{"baseline", []string{"workloads[chat].arrivals.process=closed"}, []string{
			"--set workloads[chat].arrivals.process=closed: workloads[chat].arrivals.clients: closed arrivals need clients",
			"--set workloads[chat].arrivals.process=closed: workloads[chat].arrivals: closed arrivals take clients, think_time and ramp only"}},
		{"baseline", []string{"workloads[chat].arrivals.process=gamma"},
			[]string{"--set workloads[chat].arrivals.process=gamma: workloads[chat].arrivals.cv: gamma arrivals need cv"}},
		{"baseline", []string{"workloads[chat].arrivals.process=burst"}, []string{
			"--set workloads[chat].arrivals.process=burst: workloads[chat].arrivals.count: burst arrivals need count",
			"--set workloads[chat].arrivals.process=burst: workloads[chat].arrivals: burst arrivals take count and at only"}},
		{"baseline", []string{"workloads[chat].arrivals.process=trace"},
			[]string{"--set workloads[chat].arrivals.process=trace: workloads[chat].arrivals.trace.path: required: the trace CSV"}},
		{"baseline", []string{"workloads[shopping-assistant].class=api"}, []string{
			"--set workloads[shopping-assistant].class=api: workloads[shopping-assistant].agent: only meaningful for class agent",
			"--set workloads[shopping-assistant].class=api: ads: ads run on agent turns, but no workload has class agent"}},
		{"model-mix", []string{"routing.rule=workload"}, []string{
			"--set routing.rule=workload: routing.escalation: only meaningful with rule small-first, not workload",
			"--set routing.rule=workload: routing.small: small and large are for rules prompt-length and small-first"}},
		{"model-mix", []string{"routing.rule=prompt-length"}, []string{
			"--set routing.rule=prompt-length: routing.escalation: only meaningful with rule small-first, not prompt-length",
			"--set routing.rule=prompt-length: routing.threshold: 0 is out of range"}},
		{"retrain-weekly", []string{"fleet.autoscale.max=8"},
			[]string{"--set fleet.autoscale.max=8: training.where: fleet-idle training lends idle replicas, autoscaling releases them"}},
	})
	// Fields that builtins leave to their defaults, written in a file.
	text, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := func(name string, oldnew ...string) string {
		t.Helper()
		b := text
		for i := 0; i < len(oldnew); i += 2 {
			if !bytes.Contains(b, []byte(oldnew[i])) {
				t.Fatalf("%s: no %q in baseline", name, oldnew[i])
			}
			b = bytes.Replace(b, []byte(oldnew[i]), []byte(oldnew[i+1]), 1)
		}
		path := filepath.Join(dir, name+".yaml")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	const replica = "max_num_seqs: 16, max_model_len: 8192}"
	gpu := file("gpu", "instance: trn2.48xlarge", "instance: p5.48xlarge", "pricing: capacity-block ", "pricing: on-demand ",
		"tp: 32, scheduler: neuron", "tp: 8, scheduler: vllm")
	autoscale := file("autoscale", "  count: 4\n", "  count: 4\n  autoscale: {min: 2, max: 8}\n")
	burst := file("burst", "arrivals: {process: poisson, rate: 2.5/s}", "arrivals: {process: burst, count: 100, at: 30m}")
	window := file("window", "horizon: 1h\n", "horizon: 1h\nwindow: 1s\n")
	perInstance := file("per-instance", replica, "max_num_seqs: 16, max_model_len: 8192, per_instance: 2}")
	buckets := file("buckets", replica, "max_num_seqs: 16, max_model_len: 8192, context_buckets: [1024, 8192], sequence_buckets: [1024, 8192]}")
	// On p5 with vLLM, as gpu.
	baseline := text
	if text, err = os.ReadFile(gpu); err != nil {
		t.Fatal(err)
	}
	batched := file("batched", replica, "max_num_seqs: 16, max_model_len: 8192, max_batched_tokens: 256}")
	moe := file("moe", "model: llama-3.3-70b\n", "model: gpt-oss-120b\nprecision: {expert_weights: fp8}\n")
	fp8 := file("fp8", "model: llama-3.3-70b\n", "model: llama-3.3-70b\nprecision: {activations: fp8}\n")
	price := file("price", "  count: 4\n", "  count: 4\n  price_usd_per_hour: 50\n")
	text = baseline
	speculative := file("speculative", replica, "max_num_seqs: 16, max_model_len: 8192, speculative: {draft: eagle, acceptance: 0.7}}")
	checkSetErrors(t, []setErrorCase{
		{gpu, []string{"model=qwen2.5-7b"},
			[]string{"--set model=qwen2.5-7b: fleet.replica.tp: qwen2.5-7b has 28 attention heads, not divisible by tp 8"}},
		{autoscale, []string{"fleet.count=1"}, []string{"--set fleet.count=1: fleet.autoscale.min: 2 is out of range (allowed: 1 to fleet.count 1)"}},
		{autoscale, []string{"fleet.count=10"}, []string{"--set fleet.count=10: fleet.autoscale.max: 8 is out of range (allowed: fleet.count 10 to"}},
		{burst, []string{"horizon=10m"}, []string{"--set horizon=10m: workloads[0].arrivals.at: 30m is out of range"}},
		{window, []string{"horizon=30d"}, []string{"--set horizon=30d: window: 1s gives 2592000 windows over 30d"}},
		{perInstance, []string{"fleet.instance=trn1.32xlarge", "fleet.pricing=on-demand"},
			[]string{"--set fleet.instance=trn1.32xlarge: fleet.replica.per_instance: 2 is out of range (allowed: 1 to 1 replicas of tp 32 on trn1.32xlarge)"}},
		{buckets, []string{"fleet.replica.max_model_len=16384"}, []string{
			"--set fleet.replica.max_model_len=16384: fleet.replica.context_buckets: the largest bucket 8192 is below 16384",
			"--set fleet.replica.max_model_len=16384: fleet.replica.sequence_buckets: the largest bucket 8192 is below 16384"}},
		{buckets, []string{"fleet.instance=p5.48xlarge", "fleet.pricing=on-demand", "fleet.replica.tp=8", "fleet.replica.scheduler=vllm"},
			[]string{"--set fleet.replica.scheduler=vllm: fleet.replica.context_buckets: buckets only apply to schedulers neuron and neuron-chunked"}},
		{speculative, []string{"fleet.replica.scheduler=neuron-chunked"},
			[]string{"--set fleet.replica.scheduler=neuron-chunked: fleet.replica.speculative: speculative decoding runs with schedulers vllm and neuron"}},
		{batched, []string{"fleet.replica.max_num_seqs=512"},
			[]string{"--set fleet.replica.max_num_seqs=512: fleet.replica.max_batched_tokens: 256 is below max_num_seqs 512"}},
		{moe, []string{"model=llama-3.3-70b"},
			[]string{"--set model=llama-3.3-70b: precision.expert_weights: is the format of a mixture of experts' routed experts"}},
		{fp8, []string{"precision.weights=int4"},
			[]string{"--set precision.weights=int4: precision.activations: int4 weights (precision.weights) compute in bf16 or fp16 (W4A16)"}},
		{price, []string{"fleet.pricing=spot"},
			[]string{"--set fleet.pricing=spot: fleet.spot.discount: required with fleet.price_usd_per_hour"}},
	})
	// The message says how to give the price.
	_, err = Load("baseline", []string{"fleet.pricing=owned"})
	if err == nil || !strings.Contains(err.Error(), "--set fleet.price_usd_per_hour=N") {
		t.Errorf("owned without a price: %v, want it to say --set fleet.price_usd_per_hour=N", err)
	}
}

// TestPaidCPCErrorNamesTheSet: a paid_cpc the file gives that a --set of
// the ctr, the pricing or the reserve puts below the reserve's price per
// click is that --set's error, not the file's ads line's, and it says how
// to use the bids as written.
func TestPaidCPCErrorNamesTheSet(t *testing.T) {
	text, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ads.yaml")
	text = bytes.Replace(text, []byte("  reserve: 0.2\n"), []byte("  reserve: 0.2\n  paid_cpc: 1.5\n"), 1)
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	const msg = "ads.paid_cpc: 1.5 is below the reserve 0.2 per mille ($2 per click at ctr 0.0001)"
	checkSetErrors(t, []setErrorCase{
		{path, []string{"ads.pricing=cpm", "ads.ctr=0.0001"}, []string{"--set ads.ctr=0.0001: " + msg}},
		{path, []string{"ads.ctr=0.0001", "ads.pricing=cpm"}, []string{"--set ads.pricing=cpm: " + msg}},
		{path, []string{"ads.reserve=2"}, []string{"--set ads.reserve=2: ads.paid_cpc: 1.5 is below the reserve 2,"}},
	})
	if _, err := Load(path, []string{"ads.reserve=2"}); err == nil || !strings.Contains(err.Error(), "give paid_cpc: 0") {
		t.Errorf("%v, want it to say paid_cpc: 0 uses the bids as written", err)
	}
}

// TestVariantSetErrorsNameTheSet: an error a variant's set causes is that
// set's, at its line, not a --set nobody typed ("variant own: --set
// fleet.pricing=owned: ..."), and the advice to --set the owned price,
// which would price every variant (the rented one at $N, not the
// catalog's), is to add it to the variant's set.
func TestVariantSetErrorsNameTheSet(t *testing.T) {
	text, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "own.yaml")
	ownLine := bytes.Count(text, []byte("\n")) + 3 // the line of variant own, with the value at column 38
	text = append(text, "variants:\n  - {name: rented, set: {fleet.count: 2}}\n  - {name: own, set: {fleet.pricing: owned}}\n"...)
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("variant own: %s:%d:38: set {fleet.pricing: owned}: fleet.price_usd_per_hour: required with pricing: owned: ", path, ownLine)
	advice := "; give it, e.g. add fleet.price_usd_per_hour: N to this variant's set (USD per server-hour)"
	for _, sets := range [][]string{nil, {"horizon=1m"}} {
		_, err := LoadVariants(path, sets, "")
		if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), advice) {
			t.Errorf("%v: %v, want %q ... %q", sets, err, want, advice)
		}
	}
}

type setErrorCase struct {
	scenario string
	sets     []string
	want     []string // each line of the error starts with one
}

// checkSetErrors loads each case's scenario with its sets and checks the
// lines of the error.
func checkSetErrors(t *testing.T, tests []setErrorCase) {
	t.Helper()
	for _, tt := range tests {
		_, err := Load(tt.scenario, tt.sets)
		if err == nil {
			t.Errorf("%s %v: loaded", tt.scenario, tt.sets)
			continue
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != len(tt.want) {
			t.Errorf("%s %v: %q, want %d lines", tt.scenario, tt.sets, err, len(tt.want))
			continue
		}
		for i, w := range tt.want {
			if !strings.HasPrefix(lines[i], w) {
				t.Errorf("%s %v: line %d %q, want it to start %q", tt.scenario, tt.sets, i+1, lines[i], w)
			}
		}
	}
}

// TestRangeSetErrorsNameTheField: a --set of one field of a group checked
// together (the latency penalty's, training's thresholds and timing) is
// named with its value, not blamed on the group's first field at the
// built-in file's line.
func TestRangeSetErrorsNameTheField(t *testing.T) {
	const b, tr = "baseline", "retrain-weekly"
	checkSetErrors(t, []setErrorCase{
		{b, []string{"ads.latency_penalty.loss_per_100ms=5"},
			[]string{"--set ads.latency_penalty.loss_per_100ms=5: ads.latency_penalty.loss_per_100ms: 5 is out of range (allowed: 0 to 1)"}},
		{b, []string{"ads.latency_penalty.floor=2"},
			[]string{"--set ads.latency_penalty.floor=2: ads.latency_penalty.floor: 2 is out of range (allowed: 0 to 1)"}},
		{b, []string{"ads.latency_penalty.threshold=-1s"},
			[]string{"--set ads.latency_penalty.threshold=-1s: ads.latency_penalty.threshold: -1s must not be negative"}},
		{tr, []string{"training.reclaim_above=2"},
			[]string{"--set training.reclaim_above=2: training.reclaim_above: 2 is out of range (allowed: above lend_below 0.3, at most 1.5)"}},
		{tr, []string{"training.reclaim_above=0.2"},
			[]string{"--set training.reclaim_above=0.2: training.lend_below: 0.3 is not below reclaim_above 0.2"}},
		{tr, []string{"training.switch_time=-1s"},
			[]string{"--set training.switch_time=-1s: training.switch_time: -1s must not be negative"}},
		{tr, []string{"training.interval=10ms"},
			[]string{"--set training.interval=10ms: training.interval: 10ms is out of range (allowed: at least 1s)"}},
	})
}

// TestSetErrorsKeepTheSetsSpelling: an error an override causes names its
// list elements as the override does, in the field and in the advice:
// "--set pools[small].fleet.count=-1: pools[0].fleet.count" read as if
// another pool were meant. An element named by index, and a field of an
// element the override does not name, keep their index.
func TestSetErrorsKeepTheSetsSpelling(t *testing.T) {
	checkSetErrors(t, []setErrorCase{
		{"model-mix", []string{"pools[small].fleet.pricing=owned"}, []string{"--set pools[small].fleet.pricing=owned: " +
			"pools[small].fleet.price_usd_per_hour: required with pricing: owned: what an owned server costs its owner per hour " +
			"(depreciation, power, facility and operations) has no catalog figure; give it, e.g. --set pools[small].fleet.price_usd_per_hour=N"}},
		{"model-mix", []string{"pools[0].fleet.count=-1"}, []string{"--set pools[0].fleet.count=-1: pools[0].fleet.count: -1 is out of range"}},
		{"baseline", []string{"workloads[chat].prompt_tokens=-3"}, []string{"--set workloads[chat].prompt_tokens=-3: workloads[chat].prompt_tokens.value:"}},
		{"baseline", []string{"workloads[shopping-assistant].agent.retrieval.docs_per_step=-1"},
			[]string{"--set workloads[shopping-assistant].agent.retrieval.docs_per_step=-1: workloads[shopping-assistant].agent.retrieval.docs_per_step:"}},
	})
	// A variant's set, too.
	path := withVariants(t, "  - name: tiny\n    set:\n      workloads[chat].arrivals.rate: -1/s\n")
	if _, err := LoadVariants(path, nil, "tiny"); err == nil ||
		!strings.Contains(err.Error(), "set {workloads[chat].arrivals.rate: -1/s}: workloads[chat].arrivals.rate:") {
		t.Errorf("variant set {workloads[chat].arrivals.rate: -1/s}: %v", err)
	}
	// Only where a path starts: pools[0] inside another path is not the pool.
	spelled := spelling("pools[small].fleet.count", []any{model.DecodeTree([]byte("pools:\n  - name: small\n"))})
	if got := spelled("pools[0].fleet.count, x.pools[0].y, pools[1].fleet"); got != "pools[small].fleet.count, x.pools[0].y, pools[1].fleet" {
		t.Errorf("spelled: %q", got)
	}
}
