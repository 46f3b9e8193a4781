package sim

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTraceCutAtHorizon: a trace that runs past the horizon loses its
// later rows, and the run says how many and over what span (Result.
// TraceCuts); a looped trace, or one that ends in time, loses none.
func TestTraceCutAtHorizon(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("TIMESTAMP,ContextTokens,GeneratedTokens\n")
	t0 := time.Date(2023, 11, 16, 18, 0, 0, 0, time.UTC)
	for i := range 100 { // rows at 0, 1, ..., 99 s
		fmt.Fprintf(&b, "%s,100,10\n", t0.Add(time.Duration(i)*time.Second).Format("2006-01-02 15:04:05.0000000"))
	}
	if err := os.WriteFile(filepath.Join(dir, "t.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, horizon, trace string
		want                 []TraceCut
	}{
		{"cut", "1m", "{path: t.csv}", []TraceCut{{Rows: 40, FirstNs: 60e9, LastNs: 99e9}}},
		{"stretched", "1m", "{path: t.csv, time_scale: 2}", []TraceCut{{Rows: 70, FirstNs: 60e9, LastNs: 198e9}}},
		{"each row twice", "1m", "{path: t.csv, rate_scale: 2}", []TraceCut{{Rows: 40, FirstNs: 60e9, LastNs: 99e9}}},
		{"looped", "1m", "{path: t.csv, loop: true}", nil},
		{"ends in time", "2m", "{path: t.csv}", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := strings.NewReplacer("horizon: 10m", "horizon: "+c.horizon,
				"arrivals: {process: poisson, rate: 20/s}", "arrivals: {process: trace, trace: "+c.trace+"}").Replace(small8b)
			w, err := New(Config{Scenario: scenario(t, src), TraceDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			res, err := w.Run(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			for i := range c.want {
				c.want[i].Workload, c.want[i].Total = "chat", 100
			}
			if fmt.Sprint(res.TraceCuts) != fmt.Sprint(c.want) {
				t.Errorf("trace cuts %+v, want %+v", res.TraceCuts, c.want)
			}
		})
	}
}
