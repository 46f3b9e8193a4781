package tui

import (
	"context"
	"path/filepath"
	"testing"

	"aiecon/data"
	"aiecon/runner"
)

// BenchmarkLaunchThreads measures what a launch costs, whole (open the
// store read-write, simulate, store the run, close and checkpoint), on
// DuckDB's default worker threads and on the one thread that the launch's
// store uses (writeOptions): the price of not leaking the file's instance
// when a read is interrupted during a launch.
//
//	go test ./tui -run '^$' -bench LaunchThreads -benchtime 3x
func BenchmarkLaunchThreads(b *testing.B) {
	runs := []struct {
		name string
		sets []string
	}{
		{"baseline", nil},
		// One simulated hour with twenty times the chat traffic, on a
		// fleet that serves it: a launch that stores ~200k requests.
		{"baseline_busy", []string{"workloads[chat].arrivals.rate=50/s", "fleet.count=40"}},
	}
	for _, r := range runs {
		l, err := runner.Load("baseline", r.sets)
		if err != nil {
			b.Fatal(err)
		}
		for _, threads := range []int{0, 1} {
			b.Run(r.name+"/threads="+map[int]string{0: "default", 1: "1"}[threads], func(b *testing.B) {
				dir := b.TempDir()
				var requests int64
				for b.Loop() {
					st, err := data.Open(filepath.Join(dir, "bench.duckdb"), data.Options{Threads: threads})
					if err != nil {
						b.Fatal(err)
					}
					out, err := runner.Run(context.Background(), l, runner.Options{Store: st})
					if err != nil {
						b.Fatal(err)
					}
					if err := st.DB().QueryRow("SELECT count(*) FROM requests WHERE run_id = ?", out.RunID).Scan(&requests); err != nil {
						b.Fatal(err)
					}
					if err := st.Close(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(requests), "requests")
			})
		}
	}
}
