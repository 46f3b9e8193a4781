package format

import "testing"

func TestSizeLimit(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{{1 << 20, "1 MiB"}, {64 << 20, "64 MiB"}, {1000, "1,000 bytes"}, {1<<20 + 1, "1,048,577 bytes"}, {0, "0 bytes"}} {
		if got := SizeLimit(c.n); got != c.want {
			t.Errorf("SizeLimit(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
