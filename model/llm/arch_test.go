package llm

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func mustLookup(t testing.TB, name string) Arch {
	t.Helper()
	a, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func relErr(got, want float64) float64 { return math.Abs(got-want) / math.Abs(want) }

// The exact counts follow from the config.json shapes by the formula in
// Params (they are also the safetensors counts Hugging Face shows); the
// published counts are the rounded figures of the model cards.
func TestParamsMatchPublished(t *testing.T) {
	tests := []struct {
		name                 string
		exactTotal, exactAct float64
	}{
		{"llama-3-8b", 8_030_261_248, 8_030_261_248},
		{"llama-3.1-8b", 8_030_261_248, 8_030_261_248},
		{"llama-3-70b", 70_553_706_496, 70_553_706_496},
		{"llama-3.1-70b", 70_553_706_496, 70_553_706_496},
		{"llama-3.3-70b", 70_553_706_496, 70_553_706_496},
		{"llama-3.1-405b", 405_853_388_800, 405_853_388_800},
		{"mixtral-8x7b", 46_702_792_704, 12_879_925_248},
		{"llama-2-7b", 6_738_415_616, 6_738_415_616},
		{"llama-2-13b", 13_015_864_320, 13_015_864_320},
		{"llama-2-70b", 68_976_648_192, 68_976_648_192},
		{"codellama-13b", 13_016_028_160, 13_016_028_160},
		{"mistral-7b-v0.1", 7_241_732_096, 7_241_732_096},
		{"mistral-7b-instruct-v0.2", 7_241_732_096, 7_241_732_096},
		// The card's 5.1B active leaves out the 0.58B input embedding.
		{"gpt-oss-120b", 116_789_048_640, 5_710_443_840},
		{"gpt-j-6b", 6_050_254_848, 6_050_254_848},
		{"falcon-180b", 178_554_698_240, 178_554_698_240},
		{"llama-3.2-1b", 1_235_814_400, 1_235_814_400},
		{"llama-3.2-3b", 3_212_749_824, 3_212_749_824},
		{"codellama-7b", 6_738_546_688, 6_738_546_688},
		{"codellama-34b", 33_743_970_304, 33_743_970_304},
		{"codellama-70b", 68_976_910_336, 68_976_910_336},
		{"mistral-7b-v0.3", 7_248_023_552, 7_248_023_552},
		{"mistral-nemo-12b", 12_247_782_400, 12_247_782_400},
		{"mixtral-8x22b", 140_620_634_112, 39_152_031_744},
		// Qwen2.5's query, key and value biases are not counted: the
		// safetensors counts are 129,024 (7B) and 819,200 (72B) higher.
		{"qwen2.5-7b", 7_615_487_488, 7_615_487_488},
		{"qwen2.5-72b", 72_705_384_448, 72_705_384_448},
		{"qwen2.5-0.5b", 494_005_120, 494_005_120},
		{"qwen2.5-1.5b", 1_543_656_960, 1_543_656_960},
		{"qwen2.5-3b", 3_085_846_528, 3_085_846_528},
		{"qwen2.5-14b", 14_769_689_600, 14_769_689_600},
		{"qwen2.5-32b", 32_763_417_600, 32_763_417_600},
		// Qwen3's per-head query and key norms are not counted (256 weights a layer).
		{"qwen3-0.6b", 596_042_752, 596_042_752},
		{"qwen3-1.7b", 1_720_567_808, 1_720_567_808},
		{"qwen3-4b", 4_022_458_880, 4_022_458_880},
		{"qwen3-8b", 8_190_726_144, 8_190_726_144},
		{"qwen3-14b", 14_768_296_960, 14_768_296_960},
		{"qwen3-32b", 32_762_106_880, 32_762_106_880},
		{"qwen3-30b-a3b", 30_532_110_336, 3_353_020_416},
		{"qwen3-235b-a22b", 235_093_610_496, 22_190_739_456},
		{"llama-4-scout-17b-16e", 107_769_861_120, 17_172_894_720},
		{"llama-4-maverick-17b-128e", 400_711_848_960, 17_184_691_200},
	}
	// Published counts given to two digits, which round by more than 1%; the
	// cards' non-embedding counts (1.4B; 29.9B total) agree with the shapes.
	// Meta's 109B for Llama-4 Scout counts its vision encoder too (about
	// 0.9B by the config's vision_config); "17B" active is rounded.
	roundedTotal := map[string]float64{"qwen3-1.7b": 0.05 / 1.7, "llama-4-scout-17b-16e": 0.015}
	roundedActive := map[string]float64{"qwen3-30b-a3b": 0.1 / 3.3, "llama-4-scout-17b-16e": 0.5 / 17, "llama-4-maverick-17b-128e": 0.5 / 17}
	if len(tests) != len(Names()) {
		t.Fatalf("table covers %d architectures, catalog has %d", len(tests), len(Names()))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mustLookup(t, tt.name)
			total, active := a.Params()
			if total != tt.exactTotal || active != tt.exactAct {
				t.Errorf("Params() = %.0f, %.0f; want %.0f, %.0f", total, active, tt.exactTotal, tt.exactAct)
			}
			if tol := max(0.01, roundedTotal[tt.name]); relErr(total, a.PublishedParams) > tol {
				t.Errorf("total %.4g is %.2f%% from published %.4g (allowed %.1f%%)", total, 100*relErr(total, a.PublishedParams), a.PublishedParams, 100*tol)
			}
			if a.PublishedActiveParams > 0 {
				if tol := max(0.01, roundedActive[tt.name]); relErr(active, a.PublishedActiveParams) > tol {
					t.Errorf("active %.4g is %.2f%% from published %.4g (allowed %.1f%%)", active, 100*relErr(active, a.PublishedActiveParams), a.PublishedActiveParams, 100*tol)
				}
			}
			if a.Source == "" || !strings.Contains(a.Source, "https://") {
				t.Errorf("source %q cites no URL", a.Source)
			}
			if err := a.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestKVBytesPerToken(t *testing.T) {
	tests := []struct {
		name string
		kv   DType
		want float64
	}{
		{"llama-3.1-70b", BF16, 2 * 80 * 8 * 128 * 2}, // 327,680
		{"llama-3.1-70b", FP8, 2 * 80 * 8 * 128 * 1},
		{"llama-3.1-70b", FP32, 2 * 80 * 8 * 128 * 4},
		{"llama-3-8b", BF16, 2 * 32 * 8 * 128 * 2},
		{"llama-3.1-405b", BF16, 2 * 126 * 8 * 128 * 2},
		{"mixtral-8x7b", INT8, 2 * 32 * 8 * 128 * 1},
	}
	for _, tt := range tests {
		if got := mustLookup(t, tt.name).KVBytesPerToken(tt.kv); got != tt.want {
			t.Errorf("%s KVBytesPerToken(%s) = %v, want %v", tt.name, tt.kv, got, tt.want)
		}
	}
	if got := mustLookup(t, "llama-3.1-70b").KVBytesPerToken(BF16); got != 327_680 {
		t.Errorf("llama-3.1-70b bf16 = %v B/token, want 327,680", got)
	}
}

func TestWeightBytesAndFLOPsPerToken(t *testing.T) {
	a := mustLookup(t, "llama-3.1-70b")
	if got, want := a.WeightBytes(BF16), 2*70_553_706_496.0; got != want {
		t.Errorf("WeightBytes(bf16) = %v, want %v", got, want)
	}
	if got, want := a.WeightBytes(INT8), 70_553_706_496.0; got != want {
		t.Errorf("WeightBytes(int8) = %v, want %v", got, want)
	}
	// 2 x (params - embedding table - norm weights); the LM head is untied.
	norms := 80*2*8192.0 + 8192
	if got, want := a.FLOPsPerToken(), 2*(70_553_706_496-128256*8192-norms); got != want {
		t.Errorf("FLOPsPerToken = %v, want %v", got, want)
	}
	// Mixtral: top-2 experts plus the router, embedding excluded.
	m := mustLookup(t, "mixtral-8x7b")
	perLayer := 4096*(32+16)*128.0 + 32*128*4096 + 2*3*4096*14336 + 4096*8
	if got, want := m.FLOPsPerToken(), 2*(32*perLayer+32000*4096); got != want {
		t.Errorf("mixtral FLOPsPerToken = %v, want %v", got, want)
	}
	// A tied head still costs its GEMM.
	tied := a
	tied.TiedEmbeddings = true
	tt, _ := tied.Params()
	if tot, _ := a.Params(); tot-tt != 128256*8192 {
		t.Errorf("tying removes %v params, want %v", tot-tt, 128256*8192)
	}
	if tied.FLOPsPerToken() != a.FLOPsPerToken() {
		t.Errorf("tied FLOPsPerToken %v != untied %v", tied.FLOPsPerToken(), a.FLOPsPerToken())
	}
}

func TestHeadDimDefault(t *testing.T) {
	a := Arch{Name: "x", Hidden: 768, Layers: 2, Heads: 12, KVHeads: 12, FFN: 3072, Vocab: 1000, MaxContext: 1024}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := a.ResolvedHeadDim(); got != 64 {
		t.Errorf("ResolvedHeadDim = %d, want 64", got)
	}
	a.HeadDim = 80
	if got := a.ResolvedHeadDim(); got != 80 {
		t.Errorf("ResolvedHeadDim with head_dim 80 = %d", got)
	}
}

// Published releases are found under their Hugging Face ids and their
// chat and instruct names; quantised releases and other models are not.
func TestLookupReleaseNames(t *testing.T) {
	tests := []struct{ name, want string }{
		{"meta-llama/Llama-2-7b-chat-hf", "llama-2-7b"},
		{"meta-llama/Llama-2-70b-hf", "llama-2-70b"},
		{"meta-llama/Meta-Llama-3-8B-Instruct", "llama-3-8b"},
		{"Meta-Llama-3.1-70B-Instruct", "llama-3.1-70b"},
		{"meta-llama/Llama-3.3-70B-Instruct", "llama-3.3-70b"},
		{"llama2-13b-chat", "llama-2-13b"},
		{"llama3_8b_instruct", "llama-3-8b"},
		{"meta-llama/Llama-3.2-1B-Instruct", "llama-3.2-1b"},
		{"codellama/CodeLlama-34b-Instruct-hf", "codellama-34b"},
		{"mistralai/Mistral-7B-Instruct-v0.1", "mistral-7b-v0.1"},
		{"mistralai/Mistral-7B-Instruct-v0.2", "mistral-7b-instruct-v0.2"},
		{"mistralai/Mistral-7B-v0.2", "mistral-7b-instruct-v0.2"},
		{"mistralai/Mistral-7B-Instruct-v0.3", "mistral-7b-v0.3"},
		{"mistralai/Mixtral-8x7B-Instruct-v0.1", "mixtral-8x7b"},
		{"mistralai/Mixtral-8x22B-v0.1", "mixtral-8x22b"},
		{"mistralai/Mistral-Nemo-Instruct-2407", "mistral-nemo-12b"},
		{"Qwen/Qwen2.5-72B-Instruct", "qwen2.5-72b"},
		{"openai/gpt-oss-120b", "gpt-oss-120b"},
		{"Qwen/Qwen2.5-32B-Instruct", "qwen2.5-32b"},
		{"Qwen/Qwen3-8B", "qwen3-8b"},
		{"Qwen/Qwen3-8B-Base", "qwen3-8b"},
		{"Qwen/Qwen3-30B-A3B-Instruct-2507", "qwen3-30b-a3b"},
		{"Qwen/Qwen3-235B-A22B-Thinking-2507", "qwen3-235b-a22b"},
		{"deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "llama-3.3-70b"},
		{"deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "llama-3.1-8b"},
		{"deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "qwen2.5-32b"},
		{"meta-llama/Llama-4-Scout-17B-16E-Instruct", "llama-4-scout-17b-16e"},
		{"meta-llama/Llama-4-Maverick-17B-128E-Instruct", "llama-4-maverick-17b-128e"},
	}
	for _, tt := range tests {
		a, err := Lookup(tt.name)
		if err != nil || a.Name != tt.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tt.name, a.Name, err, tt.want)
		}
	}
	for _, name := range []string{
		"meta-llama/Llama-3.1-8B-Instruct-FP8", // a quantised release streams other weights
		"llama-3-13b", "qwen2.5-13b", "mistral-7b", "chat", "meta-/-hf", "",
	} {
		if a, err := Lookup(name); err == nil {
			t.Errorf("Lookup(%q) = %q; want an unknown-model error", name, a.Name)
		}
	}
}

// A quantised release's name is read as the release it quantises and the
// format its name states; a name stating none, or two, is not.
func TestQuantisedRelease(t *testing.T) {
	tests := []struct {
		name, base string
		weights    DType
	}{
		{"neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8", "meta-llama-3.1-8b-instruct", FP8},
		{"RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8-dynamic", "meta-llama-3.1-8b-instruct", FP8},
		{"hugging-quants/Meta-Llama-3.1-70B-Instruct-AWQ-INT4", "meta-llama-3.1-70b-instruct", INT4},
		{"TheBloke/Llama-2-13B-chat-GPTQ", "llama-2-13b-chat", INT4},
		{"RedHatAI/Meta-Llama-3.1-8B-Instruct-quantized.w4a16", "meta-llama-3.1-8b-instruct", INT4},
		{"Qwen/Qwen2.5-7B-Instruct-AWQ", "qwen2.5-7b-instruct", INT4},
		{"mistral_7b_v0.1_int8", "mistral-7b-v0.1", INT8},
	}
	for _, tt := range tests {
		base, w, ok := quantisedRelease(tt.name)
		if !ok || base != tt.base || w != tt.weights {
			t.Errorf("quantisedRelease(%q) = %q, %q, %v; want %q, %q", tt.name, base, w, ok, tt.base, tt.weights)
			continue
		}
		if _, err := Lookup(base); err != nil {
			t.Errorf("%q: its base %q is not found: %v", tt.name, base, err)
		}
	}
	for _, name := range []string{"meta-llama/Llama-3.1-8B-Instruct", "llama-3.1-8b", "model-fp8-awq", "fp8", "", "llama-3.3-70b-dynamic"} {
		if base, w, ok := quantisedRelease(name); ok {
			t.Errorf("quantisedRelease(%q) = %q, %q; want not ok", name, base, w)
		}
	}
}

func TestLookupAndNames(t *testing.T) {
	names := Names()
	if !slices.IsSorted(names) || len(names) != 41 {
		t.Errorf("Names() = %v, want 41 sorted names", names)
	}
	if a, err := Lookup(" Llama-3.3-70B "); err != nil || a.Name != "llama-3.3-70b" || a.MaxContext != 131072 {
		t.Errorf("Lookup case-insensitive: %+v, %v", a, err)
	}
	for _, n := range []string{"llama-3-8b", "llama-3-70b"} {
		if a := mustLookup(t, n); a.MaxContext != 8192 {
			t.Errorf("%s max context %d, want 8192", n, a.MaxContext)
		}
	}
	if a := mustLookup(t, "mixtral-8x7b"); a.MaxContext != 32768 || a.NumExperts() != 8 || a.TopK() != 2 {
		t.Errorf("mixtral: %+v", a)
	}
	_, err := Lookup("gpt-5")
	if err == nil || !strings.Contains(err.Error(), `"gpt-5"`) || !strings.Contains(err.Error(), "llama-3.1-405b, llama-3.1-70b") {
		t.Errorf("Lookup(gpt-5) error = %v; want the name and the known list", err)
	}
	// Lookup returns a copy: changing it does not change the catalog.
	a := mustLookup(t, "llama-3-8b")
	a.Layers = 1
	if mustLookup(t, "llama-3-8b").Layers != 32 {
		t.Error("Lookup result aliases the catalog")
	}
}

func TestValidateErrors(t *testing.T) {
	base := mustLookup(t, "llama-3-8b")
	moe := mustLookup(t, "mixtral-8x7b")
	tests := []struct {
		name   string
		arch   Arch
		mutate func(*Arch)
		want   []string
	}{
		{"empty name", base, func(a *Arch) { a.Name = "" }, []string{"name: required: a name"}},
		{"zero hidden", base, func(a *Arch) { a.Hidden = 0 }, []string{"hidden: required: the model width (hidden_size), a positive integer"}},
		{"negative layers and vocab", base, func(a *Arch) { a.Layers, a.Vocab = -1, 0 }, []string{"layers: -1 must be a positive integer", "vocab: required"}},
		{"no kv heads", base, func(a *Arch) { a.KVHeads = 0 }, []string{"kv_heads: required: key/value heads"}},
		{"gqa not divisible", base, func(a *Arch) { a.KVHeads = 5 }, []string{"kv_heads: heads (32) must be a multiple of kv_heads (5)"}},
		{"head_dim negative", base, func(a *Arch) { a.HeadDim = -2 }, []string{"head_dim: -2"}},
		{"head_dim default impossible", base, func(a *Arch) { a.HeadDim, a.Heads, a.KVHeads = 0, 24, 8; a.Hidden = 4100 },
			[]string{"head_dim: 0 means hidden/heads", "hidden (4100) is not a multiple of heads (24)"}},
		{"zero ffn", base, func(a *Arch) { a.FFN = 0 }, []string{"ffn: required"}},
		{"zero max context", base, func(a *Arch) { a.MaxContext = 0 }, []string{"max_context: required"}},
		{"max context past 32 bits", base, func(a *Arch) { a.MaxContext = 1e12 }, []string{"max_context: 1000000000000 is out of range (allowed: 1 to 16777216)"}},
		{"huge head_dim", base, func(a *Arch) { a.HeadDim = 1 << 30 }, []string{"head_dim 1073741824, experts 0, sliding_window 0: each must be at most 16777216"}},
		{"dense with top-2", base, func(a *Arch) { a.ActiveExperts = 2 }, []string{"active_experts: 2 must be 0 or 1 for a dense model"}},
		{"negative experts", base, func(a *Arch) { a.Experts = -1 }, []string{"experts: -1"}},
		{"top-k above experts", moe, func(a *Arch) { a.ActiveExperts = 9 }, []string{"active_experts: 9 must be between 1 and experts (8)"}},
		{"moe without top-k", moe, func(a *Arch) { a.ActiveExperts = 0 }, []string{"active_experts: 0 must be between 1 and experts (8)"}},
		{"negative published", base, func(a *Arch) { a.PublishedParams = -1 }, []string{"published_params: -1"}},
		{"active published on dense", base, func(a *Arch) { a.PublishedActiveParams = 1e9 }, []string{"published_active_params: only meaningful"}},
		{"published far from shape", base, func(a *Arch) { a.FFN = 7168 }, []string{"published_params: 8.03e+09 differs by", "(allowed 5%)"}},
		{"active published far", moe, func(a *Arch) { a.PublishedActiveParams = 20e9 }, []string{"published_active_params: 2e+10 differs"}},
		{"shared expert on dense", base, func(a *Arch) { a.SharedFFN = 1024 }, []string{"shared_ffn: only meaningful for a mixture of experts"}},
		{"negative shared expert", moe, func(a *Arch) { a.SharedFFN = -1 }, []string{"shared_ffn: -1 must not be negative"}},
		{"dense layers on dense", base, func(a *Arch) { a.DenseLayers, a.DenseFFN = 2, 1024 }, []string{"dense_layers: only meaningful", "dense_ffn: only meaningful"}},
		{"every layer dense", moe, func(a *Arch) { a.DenseLayers, a.DenseFFN = 32, 14336 }, []string{"dense_layers: 32 must be fewer than layers (32)"}},
		{"dense layers without width", moe, func(a *Arch) { a.DenseLayers = 4 }, []string{"dense_layers 4, dense_ffn 0: give both"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.arch
			tt.mutate(&a)
			err := a.Validate()
			if err == nil {
				t.Fatalf("Validate() = nil, want errors containing %q", tt.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "architecture "+`"`+a.Name+`"`) {
				t.Errorf("error %q does not name the architecture", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
		})
	}
}

func TestDTypeIndexFollowsDTypes(t *testing.T) {
	if len(DTypes) != NumDTypes {
		t.Fatalf("len(DTypes) = %d, NumDTypes = %d", len(DTypes), NumDTypes)
	}
	for i, d := range DTypes {
		if got := d.Index(); got != i {
			t.Errorf("%s.Index() = %d, want its position %d in DTypes", d, got, i)
		}
	}
	if got := DType("fp4").Index(); got != -1 {
		t.Errorf("unknown dtype: Index() = %d, want -1", got)
	}
}

func TestParseDTypeSpellings(t *testing.T) {
	tests := []struct {
		in   string
		want DType
	}{
		{"bf16", BF16}, {"BF16", BF16}, {" bfloat16 ", BF16}, {"float16", FP16}, {"FP16", FP16},
		{"float32", FP32}, {"fp8", FP8}, {"fp8_e4m3", FP8}, {"E5M2", FP8}, {"cfp8", FP8}, {"int8", INT8}, {"W8A16", INT8},
		{"int4", INT4}, {"w4a16", INT4}, {"INT4_AWQ", INT4}, {"awq", INT4}, {"gptq", INT4},
	}
	for _, tt := range tests {
		if got, err := ParseDType(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseDType(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	// Published formats aiecon does not price are refused as such; other
	// strings as unknown. Only the first kind may be skipped by validate.
	for _, tt := range []struct {
		in         string
		unmodelled bool
	}{
		{"", false}, {"float", false}, {"in4", false}, {"bf61", false},
		{"fp4", true}, {"nvfp4", true}, {" MXFP4 ", true}, {"w8a8", true}, {"nf4", true},
	} {
		d, err := ParseDType(tt.in)
		if err == nil {
			t.Errorf("ParseDType(%q) = %q; want an error", tt.in, d)
			continue
		}
		if got := UnmodelledFormat(tt.in); got != tt.unmodelled {
			t.Errorf("UnmodelledFormat(%q) = %v, want %v", tt.in, got, tt.unmodelled)
		}
		if want := map[bool]string{true: "not modelled", false: "unknown dtype"}[tt.unmodelled]; !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDType(%q): %v; want %q in it", tt.in, err, want)
		}
	}
}

// TestProblemsNameTheirFields: each problem carries the field it is on, so
// that a scenario's inline model puts each at its line; a negative layers
// no longer also reports sliding_layers past it.
func TestProblemsNameTheirFields(t *testing.T) {
	a := mustLookup(t, "llama-3-8b")
	a.Layers, a.Vocab, a.MaxContext = -1, 1e9, 0
	var got []string
	for _, p := range a.Problems() {
		got = append(got, p.Field+" | "+p.Detail())
	}
	want := []string{
		"layers | -1 must be a positive integer",
		"vocab | 1000000000 is out of range (allowed: 1 to 16777216)",
		"max_context | required: the longest sequence in tokens, prompt and output (max_position_embeddings), a positive integer",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
