package kernels

import "slices"

// The calibration grids cover the GEMM shapes LLM serving runs on one
// tensor-parallel device, as model/llm emits them, scaled to what a CPU times
// in minutes:
//
//   - dense projections and MLPs: M, the tokens in the batch, from 1 (one
//     decode sequence) to 2048 (a prefill chunk) in powers of two; N and K
//     from the projection and MLP sizes of 8B-70B models divided by tensor
//     parallelism (Llama-3-8B at TP 8: qkv 768 x 4096, o 4096 x 512,
//     gate/up 3584 x 4096, down 4096 x 1792; Llama-3.3-70B at TP 32: qkv
//     320 x 8192, o 8192 x 256), on a ladder of ratio about 1.7 from 256 to
//     3584 whose rungs are not powers of two, as real sizes mostly are not;
//   - attention, which model/llm describes as the per-KV-head QK^T product:
//     Batch = KV heads (times sequences in decode), M = query heads per KV
//     head (times tokens in prefill), N = keys, K = head dimension 128.
//
// Shapes whose work exceeds the grid's cap on Batch*M*N*K are dropped: on a
// 2-core host they take seconds each and sit on the compute-bound plateau
// that the shapes just below the cap already show.

// FullGrid is the calibration grid: about 400 shapes, some minutes per
// format and pass on a 2-core host.
func FullGrid() []Shape {
	ms := []int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}
	nks := []int{256, 448, 768, 1280, 2048, 3584}
	return grid(ms, nks, []int{8, 64}, []int{1, 8, 64, 512}, []int{256, 1024, 4096}, 1<<31)
}

// QuickGrid is a coarser grid (about 80 shapes, mostly small) that runs in
// well under a minute, for tests and a first look.
func QuickGrid() []Shape {
	ms := []int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}
	return grid(ms, []int{256, 768, 2048}, []int{8}, []int{1, 8, 64}, []int{512}, 1<<28)
}

// headDim is the K of the grid's attention shapes: 128, the head dimension
// of the Llama, Mistral and Mixtral models. It is not every catalogued
// model's: gpt-oss-120b, falcon-180b and llama-3.2-1b use 64 and gpt-j-6b
// 256 (model/llm/catalog.go), and their attention is priced by the fitted
// model at a K the grid did not time.
const headDim = 128

// grid builds the dense shapes (every M with every (N, K) pair from nks) and
// the attention shapes (Batch x M x keys x headDim), keeping those with
// Batch*M*N*K <= maxMNK, in a stable order.
func grid(ms, nks, batches, attnMs, keys []int, maxMNK int) []Shape {
	var out []Shape
	keep := func(s Shape) {
		if s.Batch*s.M*s.N*s.K <= maxMNK {
			out = append(out, s)
		}
	}
	for _, m := range ms {
		for _, n := range nks {
			for _, k := range nks {
				keep(Shape{Batch: 1, M: m, N: n, K: k})
			}
		}
	}
	for _, b := range batches {
		for _, m := range attnMs {
			for _, n := range keys {
				keep(Shape{Batch: b, M: m, N: n, K: headDim})
			}
		}
	}
	return slices.Clip(out)
}
