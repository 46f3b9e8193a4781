package hw

import (
	"fmt"
)

// MinBucket is the smallest Neuron shape bucket: automatic buckets are powers
// of 2 from 128 up to the maximum sequence length (NSDK
// libraries/nxd-inference/developer_guides/feature-guide.rst; docs/hardware.md).
const MinBucket = 128

// Bucket returns the compiled shape that n tokens run in: the smallest power
// of two >= max(n, MinBucket), capped at maxLen (the largest bucket is the
// maximum length itself when it is not a power of two). It fails when n > maxLen.
func Bucket(n, maxLen int) (int, error) {
	if n > maxLen {
		return 0, fmt.Errorf("%d tokens exceed the largest bucket %d", n, maxLen)
	}
	b := MinBucket
	for b < n {
		b *= 2
	}
	return min(b, maxLen), nil
}
