package data

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// rssBytes reads the process's resident set size (Linux), 0 elsewhere.
func rssBytes() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestWriterMemoryIsBounded streams three million requests with a 64 MB
// buffer pool and checks that memory stops growing with the run: the Go
// side holds a few chunks, and DuckDB, which caches the blocks it wrote
// (about 30 MB per million requests), evicts them at its limit.
func TestWriterMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("streams three million rows; skipped with -short")
	}
	const limitMB = 64
	s, err := Open(filepath.Join(t.TempDir(), "mem.duckdb"), Options{MemoryLimit: strconv.Itoa(limitMB) + "MB"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w, err := s.BeginRun(context.Background(), RunInfo{Name: "memory"})
	if err != nil {
		t.Fatal(err)
	}
	src := newSynthRun(1, 50_000)
	if err := w.Begin(src.Meta); err != nil {
		t.Fatal(err)
	}
	duckMB := func() float64 {
		var used int64
		if err := s.DB().QueryRow(`SELECT sum(memory_usage_bytes) FROM duckdb_memory()`).Scan(&used); err != nil {
			t.Fatal(err)
		}
		return float64(used) / (1 << 20)
	}
	var ms runtime.MemStats
	var peakHeap, midRSS, endRSS int64
	var peakDuck float64
	const batches = 60
	for i := 0; i < batches; i++ {
		for j := range src.Requests {
			src.Requests[j].ID = int64(i*len(src.Requests) + j)
		}
		if err := w.Requests(src.Requests); err != nil {
			t.Fatal(err)
		}
		if i%10 == 9 {
			// The live heap: what the writer holds, not the garbage a
			// lazy collector has yet to reclaim (of this and earlier tests).
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peakHeap = max(peakHeap, int64(ms.HeapAlloc))
			peakDuck = max(peakDuck, duckMB())
		}
		switch i {
		case batches / 2:
			midRSS = rssBytes()
		case batches - 1:
			endRSS = rssBytes()
		}
	}
	if err := w.End(src.Summary); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(1); err != nil {
		t.Fatal(err)
	}
	t.Logf("3M requests: live Go heap peak %.1f MB, DuckDB peak %.0f MiB (limit %d), RSS %.0f MB at 1.5M rows, %.0f MB at 3M",
		float64(peakHeap)/1e6, peakDuck, limitMB, float64(midRSS)/1e6, float64(endRSS)/1e6)
	if peakHeap > 100e6 {
		t.Errorf("the live Go heap reached %.0f MB while streaming", float64(peakHeap)/1e6)
	}
	if peakDuck > 1.25*limitMB {
		t.Errorf("DuckDB used %.0f MiB, over its %d MiB limit", peakDuck, limitMB)
	}
	if midRSS > 0 && endRSS-midRSS > 40e6 {
		t.Errorf("the process grew by %.0f MB over the second 1.5M rows: memory is not bounded", float64(endRSS-midRSS)/1e6)
	}
}
