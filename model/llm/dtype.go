package llm

import (
	"fmt"
	"strings"
)

// DType is a numeric format for weights, activations or the KV cache.
type DType string

// The formats aiecon knows. FP8 covers the e4m3/e5m2 and Neuron cFP8 variants;
// they share a byte width and, on every catalogued chip, a peak.
const (
	FP32 DType = "fp32"
	BF16 DType = "bf16"
	FP16 DType = "fp16"
	FP8  DType = "fp8"
	INT8 DType = "int8"
)

// DTypes lists every known format in a stable order (for help text and validation).
var DTypes = []DType{FP32, BF16, FP16, FP8, INT8}

// NumDTypes is len(DTypes), as a constant for arrays indexed by DType.Index.
const NumDTypes = 5

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
	}
	return -1
}

// Bytes is the storage width of one element.
func (d DType) Bytes() float64 {
	switch d {
	case FP32:
		return 4
	case BF16, FP16:
		return 2
	case FP8, INT8:
		return 1
	}
	return 0
}

// Valid reports whether d is one of DTypes.
func (d DType) Valid() bool { return d.Bytes() > 0 }

// ParseDType accepts the names in DTypes, in any case, and the other
// spellings frameworks print for the same formats (dtypeSpellings:
// PyTorch's "bfloat16", "float16", "float32"; "e4m3", "fp8_e4m3",
// "fp8_e5m2" and Neuron's "cfp8" for fp8).
func ParseDType(s string) (DType, error) {
	key := strings.ToLower(strings.TrimSpace(s))
	if d, ok := dtypeSpellings[key]; ok {
		return d, nil
	}
	d := DType(key)
	if !d.Valid() {
		return "", fmt.Errorf("unknown dtype %q (allowed: fp32, bf16, fp16, fp8, int8)", s)
	}
	return d, nil
}

var dtypeSpellings = map[string]DType{
	"float32": FP32, "f32": FP32,
	"bfloat16": BF16,
	"float16":  FP16, "half": FP16, "f16": FP16,
	"float8": FP8, "e4m3": FP8, "fp8_e4m3": FP8, "fp8-e4m3": FP8, "e5m2": FP8, "fp8_e5m2": FP8, "fp8-e5m2": FP8, "cfp8": FP8,
}
