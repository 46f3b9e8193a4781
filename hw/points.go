package hw

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"aiecon/model/format"
	"aiecon/model/llm"
)

// ServingPoint is one published serving measurement: a model served
// statically batched on an instance, with its median time to first token and
// time per output token.
type ServingPoint struct {
	Model        string    `json:"model"`
	Instance     string    `json:"instance"`
	TP           int       `json:"tp"`
	Batch        int       `json:"batch"`
	SeqLen       int       `json:"seq_len"` // the compiled maximum sequence length
	InputTokens  int       `json:"input_tokens"`
	OutputTokens int       `json:"output_tokens"`
	WeightDType  llm.DType `json:"weight_dtype"`
	// TTFTMs and TPOTMs are the measured times; 0 where the source publishes
	// none of one (an empty cell). A row publishes at least one.
	TTFTMs float64 `json:"ttft_ms,omitempty"`
	TPOTMs float64 `json:"tpot_ms,omitempty"`
	Source string  `json:"source,omitempty"`
	Label  Label   `json:"label,omitempty"`
	Line   int     `json:"line,omitempty"` // CSV line it was read from (0 for the catalog)
	File   string  `json:"file,omitempty"` // the file it was read from, for messages

	// Load is how the measurement applied its requests: a static batch of
	// Batch requests (0, the default), a closed loop of Concurrency
	// clients, each sending its next request when the previous completes,
	// or an open loop (below). From the optional metric_kind column
	// ("closed-loop concurrency=N", "max-concurrency=N (closed loop)",
	// "request-rate=R"; points_load.go).
	Concurrency int `json:"concurrency,omitempty"`
	// RequestRate is an open loop's rate in requests per second, and
	// AllAtOnce an open loop that sent every request at once (a request
	// rate of inf); Prompts is how many requests it sent, where the row
	// says (0: unknown). UnknownLoad is a metric_kind that names none of
	// the loads aiecon simulates (points_load.go), kept for the skip reason.
	RequestRate float64 `json:"request_rate,omitempty"`
	AllAtOnce   bool    `json:"all_at_once,omitempty"`
	Prompts     int     `json:"prompts,omitempty"`
	UnknownLoad string  `json:"unknown_load,omitempty"`
	// Stat is the statistic ttft_ms and tpot_ms report: "p50" (a median) or
	// "mean", from the optional stat column ("median", "p50", "mean"; a
	// single run counts as its own median).
	Stat string `json:"stat,omitempty"`
	// SpecDecode is the optional spec_decode column: "" or "none" for plain
	// decoding, else the speculative decoding the measurement used.
	SpecDecode string `json:"spec_decode,omitempty"`
	// Framework is the optional framework column: for reports, and for
	// what a framework does by default where the row does not say (Shard,
	// the loops' admission in runner).
	Framework string `json:"framework,omitempty"`
	// KVDType is the optional kv_dtype column, the KV cache's format where
	// the source states it ("": Shard's default).
	KVDType llm.DType `json:"kv_dtype,omitempty"`
	// OutputTokS and E2EMs are the optional output_tok_s and e2e_ms columns
	// (0 where absent or empty): a closed loop's output tokens per second
	// and mean end-to-end latency, which say what batch the engine ran and
	// whether the loop was steady (DecodingBatch, LittleRatio).
	OutputTokS float64 `json:"output_tok_s,omitempty"`
	E2EMs      float64 `json:"e2e_ms,omitempty"`
	// WindowS is the optional window_s column: a closed loop measured, as
	// benchmark tools such as GenAI-Perf measure, from a cold start (every
	// client sending at once at 0, no warm-up) over a fixed window of this
	// many seconds, counting the requests that complete inside it. 0 where
	// the row states none: validate then measures the loop as its
	// --protocol says (a steady state by default).
	WindowS float64 `json:"window_s,omitempty"`
	// Note is the optional note column: how the measurement was taken, in
	// words (see VaryingLengths).
	Note string `json:"note,omitempty"`
	// HFID is the optional hf_id column, the Hugging Face id of the
	// checkpoint measured: where the model column names no catalog model
	// (Arch), the id may ("mistral-7b" could be any of three releases;
	// "mistralai/Mistral-7B-Instruct-v0.1" is one).
	HFID string `json:"hf_id,omitempty"`
	// Inline is the architecture of a model the catalog lacks, given in a
	// models file (validate and hw fit --models): Arch returns it.
	Inline *llm.Arch `json:"-"`
}

// Arch is the architecture of the point's model: Inline where a models file
// gave it, else the catalog's, the model column read as llm.Lookup reads a
// name, or else the hf_id column.
func (pt ServingPoint) Arch() (llm.Arch, error) {
	if pt.Inline != nil {
		return *pt.Inline, nil
	}
	a, err := pt.lookup(pt.Model)
	if err == nil || pt.HFID == "" {
		return a, err
	}
	if b, errID := pt.lookup(pt.HFID); errID == nil {
		return b, nil
	}
	return a, fmt.Errorf("%w; nor is its hf_id %q", err, pt.HFID)
}

// lookup is llm.Lookup, which also reads a quantised release
// (llm.LookupQuantised) as the model it quantises when the row's
// weight_dtype is the format the release's name states: the row then says
// what its weights stream as. Otherwise the error says what does not match.
func (pt ServingPoint) lookup(name string) (llm.Arch, error) {
	a, err := llm.Lookup(name)
	if err == nil {
		return a, nil
	}
	b, w, ok := llm.LookupQuantised(name)
	switch {
	case !ok:
		return a, err
	case w != pt.WeightDType:
		return a, fmt.Errorf("%w: %q is %s quantised to %s, and the row's weight_dtype is %s; give it as %s to read the row as %s in %s",
			err, name, b.Name, w, pt.WeightDType, w, b.Name, w)
	}
	return b, nil
}

// HasTTFT reports whether the row publishes a TTFT; HasTPOT, a TPOT.
func (pt ServingPoint) HasTTFT() bool { return pt.TTFTMs > 0 }

// HasTPOT reports whether the row publishes a TPOT.
func (pt ServingPoint) HasTPOT() bool { return pt.TPOTMs > 0 }

// DecodingBatch is the mean number of sequences decoding that a closed
// loop's measurement implies: output tokens per second times the seconds
// each sequence takes per token. 0 when the row has no throughput.
func (pt ServingPoint) DecodingBatch() float64 { return pt.OutputTokS * pt.TPOTMs / 1e3 }

// LittleRatio is a closed loop's request throughput times its mean
// end-to-end latency, over its concurrency: 1 in a steady loop (Little's
// law, with no think time), below 1 when the measurement covered a
// transient (the clients starting together). 0 when the row lacks the
// throughput or the latency.
func (pt ServingPoint) LittleRatio() float64 {
	if pt.Concurrency == 0 || pt.OutputTokens == 0 {
		return 0
	}
	return pt.OutputTokS / float64(pt.OutputTokens) * pt.E2EMs / 1e3 / float64(pt.Concurrency)
}

// ThroughputRatio is a static batch's published output throughput over
// the one its own latencies imply, batch x output tokens / (TTFT + (output
// - 1) x TPOT): about 1 when the throughput and the latencies measured the
// same run. It may exceed 1 (TPOT is a median, and the early decode steps of
// a long output, in small compiled buckets, are faster than it); below 1,
// time the latencies do not account for went into the run. 0 for a loop or
// a row without the throughput, either latency or a second output token.
func (pt ServingPoint) ThroughputRatio() float64 {
	if pt.ClosedLoop() || pt.OpenLoop() || pt.OutputTokS <= 0 || !pt.HasTTFT() || !pt.HasTPOT() ||
		pt.OutputTokens < 2 || pt.Batch < 1 {
		return 0
	}
	e2e := (pt.TTFTMs + float64(pt.OutputTokens-1)*pt.TPOTMs) / 1e3
	return pt.OutputTokS * e2e / float64(pt.Batch*pt.OutputTokens)
}

// ContradictedBelow is the throughput ratio under which a static batch's
// latencies and throughput cannot describe one run: in the published
// Neuron SDK 2.18 tables every other row lies at 0.98-1.18 and these at
// 0.43-0.65, and in the TensorRT-LLM 0.9 rows all at 1.000
// (docs/calibration.md, "Rows whose throughput contradicts their latencies").
const ContradictedBelow = 0.9

// ThroughputContradicts reports whether the row's published throughput is
// under ContradictedBelow of what its TTFT and TPOT imply (ThroughputRatio).
func (pt ServingPoint) ThroughputContradicts() bool {
	r := pt.ThroughputRatio()
	return r > 0 && r < ContradictedBelow
}

// VaryingLengths reports whether the row's note says its output lengths
// were not forced: vLLM's benchmark run without --ignore-eos ("no
// --ignore-eos"), so a request may stop before output_tokens and the
// clients of a closed loop drift out of step. Benchmarks that force the
// length (GenAI-Perf's, --ignore-eos) keep clients that started together in
// step.
func (pt ServingPoint) VaryingLengths() bool {
	return strings.Contains(strings.ToLower(pt.Note), "no --ignore-eos")
}

// ClosedLoop reports whether the point is a closed loop rather than a static batch.
func (pt ServingPoint) ClosedLoop() bool { return pt.Concurrency > 0 }

// Speculative reports whether the point used speculative decoding.
func (pt ServingPoint) Speculative() bool {
	return pt.SpecDecode != "" && !strings.EqualFold(pt.SpecDecode, "none")
}

func (pt ServingPoint) String() string {
	load := fmt.Sprintf("BS%d", pt.Batch)
	switch {
	case pt.ClosedLoop():
		load = fmt.Sprintf("%d clients", pt.Concurrency)
	case pt.AllAtOnce && pt.Prompts == 0:
		load = "all at once"
	case pt.AllAtOnce:
		load = fmt.Sprintf("%d at once", pt.Prompts)
	case pt.OpenLoop() && pt.Prompts > 0:
		load = fmt.Sprintf("%d at %g req/s", pt.Prompts, pt.RequestRate)
	case pt.OpenLoop():
		load = fmt.Sprintf("%g req/s", pt.RequestRate)
	}
	return fmt.Sprintf("%s on %s TP%d %s %d in / %d out %s weights", pt.Model, pt.Instance, pt.TP, load, pt.InputTokens, pt.OutputTokens, pt.WeightDType)
}

// Where names the point in error messages: its file and line, where it
// was read from one, and its configuration.
func (pt ServingPoint) Where() string {
	if pt.Line > 0 && pt.File != "" {
		return fmt.Sprintf("%s:%d (%s)", pt.File, pt.Line, pt)
	}
	if pt.Line > 0 {
		return fmt.Sprintf("line %d (%s)", pt.Line, pt)
	}
	return pt.String()
}

// Shard is how the point's replica runs the model: the point's TP and
// weight format, bf16 activations, and the KV cache in the row's kv_dtype,
// or where it states none, bf16, except that fp8 weights come with an fp8
// KV cache (the fp8 modes of TensorRT-LLM and NxD Inference quantise both)
// where the chip multiplies fp8 (fp8KVByDefault), unless the framework
// column names vLLM or SGLang off Neuron, whose default (kv-cache-dtype
// auto) keeps the cache in the model's 16-bit format whatever the weights.
func (pt ServingPoint) Shard() llm.Shard {
	sh := llm.Shard{TP: pt.TP, Weights: pt.WeightDType, Activations: llm.BF16, KV: llm.BF16}
	switch {
	case pt.KVDType != "":
		sh.KV = pt.KVDType
	case pt.WeightDType == llm.FP8 && pt.fp8KVByDefault() && !pt.autoKVFramework():
		sh.KV = llm.FP8
	}
	return sh
}

// fp8KVByDefault reports whether the point's chip runs fp8 weights in an
// fp8 mode, the one that quantises the KV cache beside them: its step
// family multiplies fp8 weights in fp8 (W8A8: Hopper and later, Trainium2).
// Ampere has no fp8 arithmetic (the catalog's A100 and A10G carry no fp8
// peak), so TensorRT-LLM's fp8 mode, which quantises the cache, does not
// run there (its precision support matrix lists FP8 from Ada and Hopper:
// NVIDIA/TensorRT-LLM docs/source/reference/precision.md, not checked
// against a copy at hand): fp8 weights there are weight-only and the cache
// keeps the 16-bit default. NeuronCore-v2 dequantises fp8 weights before
// each matmul as it does int8 (family_neuronv2.go), and no published row or
// source at hand quantises its cache; an fp8 cache beside fp8 weights made
// them decode faster than int8 ones there (22.5 against 29.3 ms a token
// for Llama-3-8B at TP 24 on inf2, batch 64, 128 + 3,968 tokens), which
// docs/model.md prices alike.
// A row that states its kv_dtype is read as it says, on any chip.
func (pt ServingPoint) fp8KVByDefault() bool {
	in, err := InstanceByName(pt.Instance)
	if err != nil {
		return false
	}
	chip, err := in.ChipSpec()
	if err != nil {
		return false
	}
	f, err := stepFamilyByName(chip.StepFamily)
	if err != nil {
		return false
	}
	r, err := f.resident(llm.Shard{TP: 1, Weights: llm.FP8, Activations: llm.BF16, KV: llm.BF16})
	return err == nil && r.Compute == llm.FP8
}

// autoKVFramework reports whether the row ran on a server whose KV cache
// defaults to the model's 16-bit format (vLLM's and SGLang's kv-cache-dtype
// auto) rather than following fp8 weights: its framework column names vLLM
// or SGLang (and not TensorRT-LLM beneath them), on a GPU. vLLM on Neuron
// runs NxD Inference's cache, whatever the column calls it.
func (pt ServingPoint) autoKVFramework() bool {
	f := strings.ToLower(pt.Framework)
	if !(strings.Contains(f, "vllm") || strings.Contains(f, "sglang")) || strings.Contains(f, "tensorrt") {
		return false
	}
	in, err := InstanceByName(pt.Instance)
	if err != nil {
		return false
	}
	chip, err := in.ChipSpec()
	return err == nil && !StepFamilyCompiled(chip.StepFamily)
}

// UnmodelledWeights says why the point's weights cannot be predicted: a
// published format aiecon does not model (llm.UnmodelledFormat: fp4, w8a8,
// ...; such a point passes Validate), or one its instance's step family
// does not run (int4 on Neuron); "" otherwise, and for an unknown instance,
// which is an error of its own. Fit and validate skip such a point with
// this reason rather than refuse its file.
func (pt ServingPoint) UnmodelledWeights() string {
	if !pt.WeightDType.Valid() {
		return fmt.Sprintf("weight format %s: not one aiecon models (it models %s; docs/model.md, \"Formats\")", pt.WeightDType, llm.AllowedDTypes())
	}
	inst, err := InstanceByName(pt.Instance)
	if err != nil {
		return ""
	}
	chip, err := inst.ChipSpec()
	if err != nil {
		return ""
	}
	f, err := stepFamilyByName(chip.StepFamily)
	if err != nil {
		return ""
	}
	if _, err := f.resident(pt.Shard()); err != nil {
		return err.Error()
	}
	return ""
}

// Validate checks the ranges (pointBounds says why each bound is where it
// is); the error names the point.
func (pt ServingPoint) Validate() error {
	var errs []error
	for _, f := range []struct {
		name   string
		v, max int
	}{{"tp", pt.TP, maxPointTP}, {"batch", pt.Batch, maxPointSeqs}, {"seq_len", pt.SeqLen, maxPointSeqLen},
		{"input_tokens", pt.InputTokens, maxPointSeqLen}, {"output_tokens", pt.OutputTokens, maxPointSeqLen}} {
		if f.v < 1 || f.v > f.max {
			errs = append(errs, fmt.Errorf("%s: %d is out of range (allowed: 1 to %d)", f.name, f.v, f.max))
		}
	}
	if pt.Concurrency > maxPointSeqs {
		errs = append(errs, fmt.Errorf("metric_kind: concurrency=%d is out of range (allowed: %s)", pt.Concurrency, concurrencyAllowed))
	}
	if pt.Prompts > maxPointPrompts {
		errs = append(errs, fmt.Errorf("num-prompts: %d is out of range (allowed: %s)", pt.Prompts, promptsAllowed))
	}
	switch {
	case pt.RequestRate > 0 && (pt.RequestRate < minPointRate || pt.RequestRate > maxPointRate):
		errs = append(errs, fmt.Errorf("metric_kind: request rate %g is out of range (allowed: %s)", pt.RequestRate, rateAllowed))
	case pt.RequestRate > 0 && float64(pt.Prompts)/pt.RequestRate > maxOpenSpanS:
		errs = append(errs, fmt.Errorf("metric_kind: %d prompts at %g requests/s take %.0f days to send (allowed: at most %d)",
			pt.Prompts, pt.RequestRate, float64(pt.Prompts)/pt.RequestRate/86400, maxOpenSpanS/86400))
	}
	if err := pt.validateWindow(); err != nil {
		errs = append(errs, err)
	}
	if pt.InputTokens+pt.OutputTokens > pt.SeqLen {
		errs = append(errs, fmt.Errorf("input_tokens + output_tokens = %d exceeds seq_len %d", pt.InputTokens+pt.OutputTokens, pt.SeqLen))
	}
	if !pt.WeightDType.Valid() && !llm.UnmodelledFormat(string(pt.WeightDType)) {
		errs = append(errs, fmt.Errorf("weight_dtype %q: allowed %s", pt.WeightDType, llm.AllowedDTypes()))
	}
	if pt.TTFTMs == 0 && pt.TPOTMs == 0 {
		errs = append(errs, errors.New("ttft_ms, tpot_ms: neither is given; a row compares at least one"))
	}
	if pt.HasTPOT() && pt.OutputTokens == 1 {
		errs = append(errs, errors.New("tpot_ms: one output token has no time between tokens; leave tpot_ms empty"))
	}
	for _, f := range []struct {
		name        string
		v, min, max float64
		unit        string
	}{{"ttft_ms", pt.TTFTMs, minPointMs, maxPointTTFTMs, "ms"}, {"tpot_ms", pt.TPOTMs, minPointMs, maxPointTPOTMs, "ms"},
		{"output_tok_s", pt.OutputTokS, minPointTokS, maxPointTokS, "tokens/s"}, {"e2e_ms", pt.E2EMs, minPointMs, maxPointE2EMs, "ms"}} {
		if f.v != 0 && !(f.v >= f.min && f.v <= f.max) { // 0 is an empty cell
			errs = append(errs, fmt.Errorf("%s: %g is out of range (allowed: %g to %g %s)", f.name, f.v, f.min, f.max, f.unit))
		}
	}
	if len(errs) > 0 {
		// one line: a CSV's errors are read beside its other messages
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Error()
		}
		return fmt.Errorf("serving point %s: %s", pt.Where(), strings.Join(msgs, "; "))
	}
	return nil
}

// publishedPoints are official Neuron serving measurements from the Neuron
// SDK's benchmark tables (each row's Source names the file and SDK release).
var publishedPoints = []ServingPoint{
	{Model: "llama-3-8b", Instance: "inf2.48xlarge", TP: 24, Batch: 8, SeqLen: 4096, InputTokens: 128, OutputTokens: 3968,
		WeightDType: llm.INT8, TTFTMs: 66.02, TPOTMs: 10.45, Label: Official,
		Source: "NSDK about-neuron/benchmarks/inf2/throughput_data_decoder.csv (Neuron 2.18.1)"},
	{Model: "llama-3-8b", Instance: "trn1.32xlarge", TP: 32, Batch: 8, SeqLen: 4096, InputTokens: 128, OutputTokens: 3968,
		WeightDType: llm.INT8, TTFTMs: 49.05, TPOTMs: 7.65, Label: Official,
		Source: "NSDK about-neuron/benchmarks/trn1/throughput_data_decoder.csv (Neuron 2.18.1)"},
}

// PublishedServingPoints returns the official Neuron serving points the
// default constants are fitted to. Only tests call it (hw's, runner's and
// the golden digests'), as the points the defaults must reproduce.
func PublishedServingPoints() []ServingPoint { return append([]ServingPoint(nil), publishedPoints...) }

// servingColumns are the required CSV columns; servingShaping the optional
// ones parsePoint reads that change what is simulated or compared (a
// closed loop, the statistic, speculative decoding, the KV format);
// servingOptional the other optional ones it reads, which only label a row
// or feed a check (a source, a note, Little's law's throughput); and
// servingDescriptive those the published files carry for people (p99s, a
// chip count), read by no one and ignored without a word. Any other column
// is ignored with a warning, or refused where it looks like a misspelling
// of a required or shaping one (UnreadColumns): a misspelled note costs a
// label, a misspelled metric_kind the experiment, and a file refused for a
// column that was only a label would cost a whole validation.
var (
	servingColumns     = []string{"model", "instance", "tp", "batch", "seq_len", "input_tokens", "output_tokens", "weight_dtype", "ttft_ms", "tpot_ms"}
	servingShaping     = []string{"spec_decode", "kv_dtype", "stat", "metric_kind", "window_s"}
	servingOptional    = []string{"source", "framework", "note", "hf_id", "output_tok_s", "e2e_ms"}
	servingDescriptive = []string{"ttft_p99_ms", "tpot_p99_ms", "ttft_p95_ms", "tpot_p95_ms", "sdk_version", "chips", "static_batch", "gpu", "repeat"}
)

// weightDType reads the weight_dtype column as llm.ParseDType reads a
// format; an unknown one is kept as written, for Validate to name.
func weightDType(s string) llm.DType {
	if d, err := llm.ParseDType(s); err == nil {
		return d
	}
	return llm.DType(strings.ToLower(s))
}

// ReadServingPoints reads serving points from CSV with a header naming at
// least the columns model, instance, tp, batch, seq_len, input_tokens,
// output_tokens, weight_dtype, ttft_ms, tpot_ms (any order; the optional
// columns of ServingPoint are kept, other columns are ignored, and one
// that looks like a misspelled column it reads is refused). Errors name
// the line and the column. The program reads through ReadServingPointsWarn;
// this and ReadServingPointsFile are its forms for tests (hw's, runner's
// and cmd/aiecon's), which want neither the warnings nor, here, a name.
func ReadServingPoints(r io.Reader) ([]ServingPoint, error) {
	return ReadServingPointsFile(r, "")
}

// ReadServingPointsWarn is ReadServingPointsFile that calls warn (when not
// nil) with one line naming the columns it ignores, other than the
// descriptive ones the published files carry: a column the reader does not
// know was dropped without a word.
func ReadServingPointsWarn(r io.Reader, name string, warn func(string)) ([]ServingPoint, error) {
	return readServingPoints(r, name, warn)
}

// ReadServingPointsFile is ReadServingPoints for a named file: each point
// records the name, and errors begin with it ("file:line: column x: ...").
// A gzip-compressed file is decompressed (Gunzipped), a byte-order mark is
// skipped; a file past MaxServingPointRows rows or
// maxServingPointBytes bytes is refused before it is read to the end.
func ReadServingPointsFile(r io.Reader, name string) ([]ServingPoint, error) {
	return readServingPoints(r, name, nil)
}

func readServingPoints(r io.Reader, name string, warn func(string)) ([]ServingPoint, error) {
	whole := name
	if whole == "" {
		whole = "serving points"
	}
	at := func(line int) string {
		if name == "" {
			return fmt.Sprintf("serving points: line %d", line)
		}
		return fmt.Sprintf("%s:%d", name, line)
	}
	// A .csv.gz is read as traces are; the bound is on what it decompresses to.
	plain, err := Gunzipped(r, whole, "serving-points file")
	if err != nil {
		return nil, err
	}
	lim := BoundedReader(plain, maxServingPointBytes, fmt.Sprintf("a serving-points file is a table of measurements, at most %d rows", MaxServingPointRows))
	cr := csv.NewReader(skipBOM(lim))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	col, width, ignored, err := readPointHeader(cr)
	if err != nil {
		if cerr := CSVPlace(err, name, at); cerr != nil {
			return nil, cerr
		}
		return nil, fmt.Errorf("%s: %w", at(1), err)
	}
	if len(ignored) > 0 && warn != nil {
		// At most 20 named, as import lists its bad rows: a header of 20,000
		// extra columns printed a warning of 400 KB.
		warn(fmt.Sprintf("%s: ignoring column(s) aiecon does not read: %s", at(1), format.ListFirst(ignored, 20)))
	}
	var pts []ServingPoint
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if cerr := CSVPlace(err, name, at); cerr != nil {
				return nil, cerr
			}
			return nil, fmt.Errorf("%s: %w", whole, err)
		}
		line, _ := cr.FieldPos(0)
		// A row may stop short of optional trailing columns, but one longer
		// than the header has shifted its cells (an unquoted comma in a note)
		// or holds cells no column names: either way its numbers cannot be
		// trusted to be in the columns they are read from.
		if len(rec) > width {
			return nil, fmt.Errorf("%s: %d fields, but the header names %d columns (a comma inside a cell needs the cell in double quotes)", at(line), len(rec), width)
		}
		if len(pts) == MaxServingPointRows {
			return nil, fmt.Errorf("%s: more than %d data rows: split the file (validate simulates every row)", at(line), MaxServingPointRows)
		}
		pt, err := parsePoint(rec, col, line)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", at(line), err)
		}
		pt.File = name
		if err := pt.Validate(); err != nil {
			return nil, err
		}
		pts = append(pts, pt)
	}
	if len(pts) == 0 {
		return nil, fmt.Errorf("%s: no data rows after the header", at(1))
	}
	return pts, nil
}

// CSVPlace puts a csv.ParseError's place first, FILE:LINE:COL as every
// other message does, where encoding/csv says "parse error on line 2,
// column 362" after it (nil: err is no ParseError). at(line) is the place
// of a line of the file, which name names ("" for one with no name). The
// CSV readers of serving points and of kernel timings share it, so that
// validate, hw fit and calibrate import place an error alike.
func CSVPlace(err error, name string, at func(int) string) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return nil
	}
	start := ""
	if pe.StartLine != pe.Line { // a quoted cell across lines: a quote left open
		start = fmt.Sprintf(" (in the record that starts on line %d)", pe.StartLine)
	}
	if name == "" {
		return fmt.Errorf("%s, column %d: %w%s", at(pe.Line), pe.Column, pe.Err, start)
	}
	return fmt.Errorf("%s:%d: %w%s", at(pe.Line), pe.Column, pe.Err, start)
}

// readPointHeader reads the header line into a column index by name, says
// how many columns it has, and lists those it ignores (UnreadColumns).
func readPointHeader(cr *csv.Reader) (map[string]int, int, []string, error) {
	header, err := cr.Read()
	if err == io.EOF {
		return nil, 0, nil, errors.New("empty input, want a CSV header line")
	}
	if err != nil {
		return nil, 0, nil, err
	}
	col, err := HeaderIndex(header, servingColumns)
	// A near miss is named before a missing column ("ttft-ms" is why the
	// header lacks ttft_ms), but not before CR line ends: the "header" is
	// then the whole file, its cells read as column names.
	ignored, nerr := UnreadColumns(header, append(append([]string(nil), servingColumns...), servingShaping...),
		append(append([]string(nil), servingOptional...), servingDescriptive...))
	if nerr != nil && !strings.Contains(strings.Join(header, ","), "\r") {
		return nil, 0, nil, nerr
	}
	return col, len(header), ignored, err
}

func parsePoint(rec []string, col map[string]int, line int) (ServingPoint, error) {
	field := func(name string) (string, error) {
		i := col[name]
		if i >= len(rec) {
			return "", fmt.Errorf("column %s: missing (the row has %d fields)", name, len(rec))
		}
		return strings.TrimSpace(rec[i]), nil
	}
	var errs []error
	str := func(name string) string {
		s, err := field(name)
		if err != nil {
			errs = append(errs, err)
		} else if s == "" {
			errs = append(errs, fmt.Errorf("column %s: empty", name))
		}
		return s
	}
	integer := func(name string) int {
		s := str(name)
		if s == "" {
			return 0
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("column %s: %q is not an integer", name, s))
		}
		return v
	}
	metric := func(name string, maxMs float64) float64 {
		s, err := field(name)
		if err == nil {
			var v float64
			v, err = parseMetric(name, s, maxMs)
			errs = append(errs, err)
			return v
		}
		errs = append(errs, err)
		return 0
	}
	pt := ServingPoint{
		Model: str("model"), Instance: str("instance"),
		TP: integer("tp"), Batch: integer("batch"), SeqLen: integer("seq_len"),
		InputTokens: integer("input_tokens"), OutputTokens: integer("output_tokens"),
		WeightDType: weightDType(str("weight_dtype")),
		TTFTMs:      metric("ttft_ms", maxPointTTFTMs), TPOTMs: metric("tpot_ms", maxPointTPOTMs),
		Line: line,
	}
	opt := func(name string) string {
		if _, ok := col[name]; !ok {
			return ""
		}
		v, _ := field(name)
		return v
	}
	pt.Source, pt.Framework, pt.SpecDecode, pt.Note, pt.HFID = opt("source"), opt("framework"), opt("spec_decode"), opt("note"), opt("hf_id")
	kv, err := kvDType(opt("kv_dtype"))
	pt.KVDType, errs = kv, append(errs, err)
	if st, err := parseStat(opt("stat")); err != nil {
		errs = append(errs, err)
	} else {
		pt.Stat = st
	}
	if err := pt.parseLoad(opt("metric_kind"), pt.Note); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, measuredColumn(opt, "output_tok_s", "a throughput", &pt.OutputTokS),
		measuredColumn(opt, "e2e_ms", "a time", &pt.E2EMs), windowColumn(opt, &pt.WindowS))
	return pt, errors.Join(errs...)
}

// parseMetric reads a ttft_ms or tpot_ms cell s, at most maxMs: empty
// where the source publishes only the other (read as 0,
// ServingPoint.HasTTFT), so a written 0 is refused here; Validate checks
// the range of the rest.
func parseMetric(name, s string, maxMs float64) (float64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := parseDecimal(s)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return v, fmt.Errorf("column %s: %q is not a number", name, s)
	case err != nil && math.IsInf(v, 0):
		// Past float64 (1e400): quoted as typed, where Validate named the
		// value it overflowed to ("+Inf is out of range"). An Inf written
		// as such is left to Validate, with the row's other range errors.
		return v, fmt.Errorf("column %s: %s is out of range (allowed: %g to %g ms)", name, s, minPointMs, maxMs)
	case v == 0:
		return v, fmt.Errorf("column %s: %s is not a time (leave the cell empty where the source publishes none)", name, s)
	}
	return v, nil
}

// kvDType reads the optional kv_dtype column: "" where it is empty or
// "auto" (vLLM's and SGLang's spelling of "the server's default", which
// Shard then applies).
func kvDType(s string) (llm.DType, error) {
	if s == "" || strings.EqualFold(strings.TrimSpace(s), "auto") {
		return "", nil
	}
	d, err := llm.ParseDType(s)
	switch {
	case err != nil:
		return "", fmt.Errorf("column kv_dtype: %w", err)
	case d.WeightOnly():
		return "", fmt.Errorf("column kv_dtype: %s is a weight format only", d)
	}
	return d, nil
}

// optionalNumber reads an optional non-negative number column into dst,
// which stays 0 when the column is absent or empty.
func optionalNumber(opt func(string) string, name string, dst *float64) error {
	s := opt(name)
	if s == "" {
		return nil
	}
	v, err := parseDecimal(s)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return fmt.Errorf("column %s: %q is not a non-negative number", name, s)
	}
	*dst = v
	return nil
}

// measuredColumn reads an optional measured column (output_tok_s, e2e_ms;
// noun says what its value is) into dst, 0 where it is absent or empty. A
// written 0 is refused, as ttft_ms's is: it would read as the empty cell,
// "not published", and a unit slip that rounds to 0 would pass unseen;
// Validate checks the range of the rest.
func measuredColumn(opt func(string) string, name, noun string, dst *float64) error {
	if err := optionalNumber(opt, name, dst); err != nil {
		return err
	}
	if s := opt(name); s != "" && *dst == 0 {
		return fmt.Errorf("column %s: %s is not %s (leave the cell empty where the source publishes none)", name, s, noun)
	}
	return nil
}

// windowColumn reads the optional window_s column into dst (0 where it is
// absent or empty). A written 0 is refused: it would read as "no window",
// which the empty cell says; Validate checks the range of the rest.
func windowColumn(opt func(string) string, dst *float64) error {
	if err := optionalNumber(opt, "window_s", dst); err != nil {
		return err
	}
	if s := opt("window_s"); s != "" && *dst == 0 {
		return fmt.Errorf("column window_s: %s is not a window (allowed: %s; leave the cell empty where the benchmark states none)", s, WindowAllowed)
	}
	return nil
}

// parseStat reads the stat column: medians ("p50", "median", a single
// run), means, and other percentiles ("p90", "p99.9"), as "p50", "mean"
// or "pNN".
func parseStat(s string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	switch {
	case l == "" || l == "p50" || l == "median" || strings.HasPrefix(l, "single run"):
		return "p50", nil
	case l == "mean" || l == "average" || l == "avg":
		return "mean", nil
	}
	if q, ok := strings.CutPrefix(l, "p"); ok {
		if v, err := strconv.ParseFloat(q, 64); err == nil && v > 0 && v < 100 {
			return "p" + strconv.FormatFloat(v, 'f', -1, 64), nil
		}
	}
	return "", fmt.Errorf("column stat: %q is not a statistic aiecon compares (median, mean, or a percentile: p followed by a number above 0 and below 100, such as p90 or p99.9)", s)
}

// parseDecimal reads a decimal number as a measurement table writes it
// (digits, a point, an exponent): Go's ParseFloat also takes "1_000" and
// hexadecimal floats such as "0x1p4", which no table means.
func parseDecimal(s string) (float64, error) {
	switch strings.ToLower(strings.TrimLeft(s, "+-")) {
	case "nan", "inf", "infinity": // read, so that the range check names them
		return strconv.ParseFloat(s, 64)
	}
	if strings.IndexFunc(s, func(r rune) bool { return !strings.ContainsRune("0123456789.eE+-", r) }) >= 0 {
		return 0, strconv.ErrSyntax
	}
	return strconv.ParseFloat(s, 64)
}
