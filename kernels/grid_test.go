package kernels

import (
	"slices"
	"testing"
)

func TestGrids(t *testing.T) {
	for _, c := range []struct {
		name     string
		grid     []Shape
		min, max int
		maxMNK   int
		maxM     int
	}{
		{"full", FullGrid(), 300, 500, 1 << 31, 2048},
		{"quick", QuickGrid(), 50, 120, 1 << 28, 1024},
	} {
		t.Run(c.name, func(t *testing.T) {
			if n := len(c.grid); n < c.min || n > c.max {
				t.Errorf("%d shapes, want %d..%d", n, c.min, c.max)
			}
			seen := map[Shape]bool{}
			hasGEMV, hasAttn, topM := false, false, 0
			for _, s := range c.grid {
				if err := s.Validate(); err != nil {
					t.Error(err)
				}
				if seen[s] {
					t.Errorf("%v appears twice", s)
				}
				seen[s] = true
				if s.Batch*s.M*s.N*s.K > c.maxMNK {
					t.Errorf("%v exceeds the cap %d", s, c.maxMNK)
				}
				hasGEMV = hasGEMV || (s.Batch == 1 && s.M == 1)
				hasAttn = hasAttn || (s.Batch > 1 && s.K == headDim)
				topM = max(topM, s.M)
			}
			if !hasGEMV || !hasAttn || topM != c.maxM {
				t.Errorf("coverage: decode GEMV %v, attention %v, largest M %d (want %d)", hasGEMV, hasAttn, topM, c.maxM)
			}
		})
	}
	if !slices.Equal(FullGrid(), FullGrid()) {
		t.Error("FullGrid is not deterministic")
	}
}
