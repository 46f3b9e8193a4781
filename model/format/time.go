package format

import (
	"fmt"
	"math"
	"time"
)

// Seconds prints a latency for a line of text: 420 us, 24 ms, 2.48 s, 218 s.
func Seconds(s float64) string {
	switch {
	case !Defined(s):
		return Undefined
	case s < 1e-3:
		return fmt.Sprintf("%.0f us", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.0f ms", s*1e3)
	case s < 100:
		return fmt.Sprintf("%.2f s", s)
	}
	return fmt.Sprintf("%.0f s", s)
}

// SecondsShort prints a duration for a line of words, in Short's digits:
// 300 ms, 8 s, 2.5 s.
func SecondsShort(s float64) string {
	switch {
	case !Defined(s):
		return Undefined
	case s > 0 && s < 1:
		return Short(s*1e3) + " ms"
	}
	return Short(s) + " s"
}

// SecondsCompact prints a latency for a cell: 0 s, 420 µs, 24.8 ms, 2.48 s,
// 218 s, 1.52 h.
func SecondsCompact(s float64) string {
	if !Defined(s) {
		return Undefined
	}
	a := math.Abs(s)
	switch {
	case a == 0:
		return "0 s"
	case a < 1e-3:
		return Sig(s*1e6) + " µs"
	case a < 1:
		return Sig(s*1e3) + " ms"
	case a < 3600:
		return Sig(s) + " s"
	}
	return Sig(s/3600) + " h"
}

// Wall prints a wall-clock duration: 420 ms, 12.3 s.
func Wall(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}
