package llm

import (
	"fmt"
	"slices"
	"strings"
)

// DType is a numeric format for weights, activations or the KV cache.
type DType string

// The formats aiecon knows. FP8 covers the e4m3/e5m2 and Neuron cFP8 variants;
// they share a byte width and, on every catalogued chip, a peak. INT8 is a
// storage format (weights, KV cache). INT4 is a weight format only: 4-bit
// weight-only quantisation with group-wise scales (AWQ, Lin et al.,
// arXiv:2306.00978; GPTQ, Frantar et al., arXiv:2210.17323; TensorRT-LLM's
// int4_awq), whose weights are dequantised inside the GEMM, which runs in the
// activations' format (W4A16).
const (
	FP32 DType = "fp32"
	BF16 DType = "bf16"
	FP16 DType = "fp16"
	FP8  DType = "fp8"
	INT8 DType = "int8"
	INT4 DType = "int4"
)

// DTypes lists every known format in a stable order (for help text and validation).
var DTypes = []DType{FP32, BF16, FP16, FP8, INT8, INT4}

// NumDTypes is len(DTypes), as a constant for arrays indexed by DType.Index.
const NumDTypes = 6

// int4GroupSize is the number of 4-bit weights that share one fp16 scale:
// 128, the default of AWQ and of TensorRT-LLM's int4_awq, and GPTQ's usual
// setting. A zero point, where a method keeps one, adds 4 bits per group
// (0.4% of the weights' bytes) and is left out.
const int4GroupSize = 128

// Index is d's position in DTypes, or -1 for an unknown format: a dense key
// for per-dtype tables and caches (a switch, not a search, since hot paths
// call it).
func (d DType) Index() int {
	switch d {
	case FP32:
		return 0
	case BF16:
		return 1
	case FP16:
		return 2
	case FP8:
		return 3
	case INT8:
		return 4
	case INT4:
		return 5
	}
	return -1
}

// Bytes is the storage width of one element; for INT4, half a byte plus
// its share of its group's fp16 scale (0.5 + 2/128 = 0.515625).
func (d DType) Bytes() float64 {
	switch d {
	case FP32:
		return 4
	case BF16, FP16:
		return 2
	case FP8, INT8:
		return 1
	case INT4:
		return 0.5 + 2.0/int4GroupSize
	}
	return 0
}

// Valid reports whether d is one of DTypes.
func (d DType) Valid() bool { return d.Bytes() > 0 }

// WeightOnly reports whether d is a format for weights only, which no
// activation, KV cache or matrix unit runs in (INT4).
func (d DType) WeightOnly() bool { return d == INT4 }

// AllowedDTypes lists the formats for messages: "fp32, bf16, fp16, fp8,
// int8, int4".
func AllowedDTypes() string { return JoinDTypes(DTypes) }

// JoinDTypes prints formats as "bf16, fp16, int8".
func JoinDTypes(ds []DType) string {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = string(d)
	}
	return strings.Join(names, ", ")
}

// unmodelledFormats are formats that serving stacks publish measurements in
// and aiecon does not model, each as frameworks spell it: 4- and 6-bit
// floating point (Blackwell's tensor cores multiply fp4 natively, at a peak
// the catalog does not carry), NF4 (bitsandbytes), W4A8 and W8A8 (integer
// GEMMs on quantised activations), sub-4-bit weights.
var unmodelledFormats = []string{
	"fp4", "nvfp4", "mxfp4", "fp4_e2m1", "nf4", "fp6", "mxfp6", "int2", "int3",
	"w4a8", "w8a8", "int8_sq", "smoothquant",
}

// UnmodelledFormat reports whether s names a published numeric format that
// aiecon does not model (fp4, w8a8, ...), as opposed to a misspelling: a
// measurement in one is skipped with the reason, a misspelt one refused.
func UnmodelledFormat(s string) bool {
	return slices.Contains(unmodelledFormats, strings.ToLower(strings.TrimSpace(s)))
}

// ParseDType accepts the names in DTypes, in any case, and the other
// spellings frameworks print for the same formats (dtypeSpellings:
// PyTorch's "bfloat16", "float16", "float32"; "e4m3", "fp8_e4m3",
// "fp8_e5m2" and Neuron's "cfp8" for fp8; "w8a16", weight-only int8, for
// int8; "w4a16", "int4_awq" (TensorRT-LLM's name), "awq" and "gptq" for
// int4).
func ParseDType(s string) (DType, error) {
	key := strings.ToLower(strings.TrimSpace(s))
	if d, ok := dtypeSpellings[key]; ok {
		return d, nil
	}
	d := DType(key)
	if UnmodelledFormat(key) {
		return "", fmt.Errorf("dtype %q is not modelled (allowed: %s)", s, AllowedDTypes())
	}
	if !d.Valid() {
		return "", fmt.Errorf("unknown dtype %q (allowed: %s)", s, AllowedDTypes())
	}
	return d, nil
}

var dtypeSpellings = map[string]DType{
	"float32": FP32, "f32": FP32,
	"bfloat16": BF16,
	"float16":  FP16, "half": FP16, "f16": FP16,
	"float8": FP8, "e4m3": FP8, "fp8_e4m3": FP8, "fp8-e4m3": FP8, "e5m2": FP8, "fp8_e5m2": FP8, "fp8-e5m2": FP8, "cfp8": FP8,
	"w8a16": INT8,
	"w4a16": INT4, "int4_awq": INT4, "int4-awq": INT4, "int4_gptq": INT4, "int4-gptq": INT4, "awq": INT4, "gptq": INT4,
}
