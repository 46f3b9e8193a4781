package sim

import (
	"aiecon/hw"
	"aiecon/model/llm"
)

// effCache memoises a GEMM efficiency by exact shape for one run. The
// calibrated profile is a smooth function with powers and logarithms, and a
// run prices the same attention and projection shapes over and over (decode
// contexts grow by one token per iteration, Neuron buckets repeat), so the
// memo returns the very same numbers at a fraction of the cost. It belongs to
// one World (one goroutine), and it is cleared if it ever grows past
// maxEffEntries so memory stays bounded.
type effCache struct {
	inner hw.Efficiency
	m     map[effKey]float64
}

type effKey struct {
	batch, m, n, k int32
	dt             uint8 // llm.DType.Index (255 if unknown): hashing the string cost more
}

const maxEffEntries = 1 << 20

func newEffCache(inner hw.Efficiency) *effCache {
	return &effCache{inner: inner, m: make(map[effKey]float64, 4096)}
}

// GEMM implements hw.Efficiency.
func (c *effCache) GEMM(batch, m, n, k int, dt llm.DType) float64 {
	key := effKey{int32(batch), int32(m), int32(n), int32(k), uint8(dt.Index())}
	if v, ok := c.m[key]; ok {
		return v
	}
	v := c.inner.GEMM(batch, m, n, k, dt)
	if len(c.m) >= maxEffEntries {
		clear(c.m)
	}
	c.m[key] = v
	return v
}
