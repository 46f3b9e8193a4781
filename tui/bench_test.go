package tui

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"aiecon/data"
	"aiecon/sim"
)

// bigStore writes a store holding one complete run with n stored requests
// (and the nine test runs), the size the 200 ms budget is about.
func bigStore(b *testing.B, n int) (path, id string) {
	b.Helper()
	path = filepath.Join(b.TempDir(), "big.duckdb")
	if err := buildFixture(path); err != nil {
		b.Fatal(err)
	}
	st, err := data.Open(path, data.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	r := fixtureRun{n: 20, name: "million", seed: 1, instances: 16, rateRPS: 280, priceUSDh: 85.96}
	w, err := st.BeginRun(context.Background(), data.RunInfo{Name: r.name, Seed: 1, HorizonNs: int64(time.Hour), ResolvedYAML: fixtureYAML(r)})
	if err != nil {
		b.Fatal(err)
	}
	s := synthesize(r)
	if err := w.Begin(s.meta); err != nil {
		b.Fatal(err)
	}
	if err := w.Windows(s.windows); err != nil {
		b.Fatal(err)
	}
	const batch = 65536
	buf := make([]sim.RequestRecord, 0, batch)
	for i := 0; i < n; i++ {
		arrival := int64(i) * int64(time.Hour) / int64(n)
		buf = append(buf, sim.RequestRecord{ID: int64(i), Workload: int32(i % 2), Session: -1, Replica: int32(i % 32),
			Status: sim.StatusCompleted, ArrivalNs: arrival, StartNs: arrival + 1e7, FirstTokenNs: arrival + 3e8,
			FinishNs: arrival + 1e10, PromptTokens: 800, OutputTokens: 250, RevenueUSD: 7.56e-4})
		if len(buf) == batch || i == n-1 {
			if err := w.Requests(buf); err != nil {
				b.Fatal(err)
			}
			buf = buf[:0]
		}
	}
	if err := w.End(s.summary); err != nil {
		b.Fatal(err)
	}
	if err := w.Finish(1); err != nil {
		b.Fatal(err)
	}
	return path, w.ID()
}

// BenchmarkOpenRun measures what opening a run costs with a million
// requests stored: the Run screen's load Cmd (resolve the id, read the run,
// its KPIs, replicas and windows) and drawing the screen. "cold" includes
// opening the store file, as the dashboard does after its idle close;
// "warm" finds it open.
//
//	go test ./tui -run '^$' -bench OpenRun -benchtime 20x
func BenchmarkOpenRun(b *testing.B) {
	path, id := bigStore(b, 1_000_000)
	open := func(b *testing.B, c *conn) {
		msg := loadRun(c, 1, id[:10], nil)().(runLoadedMsg)
		if msg.err != nil {
			b.Fatal(msg.err)
		}
		s := newRunScreen(testShared(), id)
		s.sid = 1
		s.resize(100, 28)
		s.update(msg)
		if s.d.Run.RequestsStored != 1_000_000 {
			b.Fatalf("the run has %d requests", s.d.Run.RequestsStored)
		}
		_ = s.view(100, 28)
	}
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			c := newConn(path, -1)
			open(b, c)
			c.close()
		}
	})
	// The Requests tab pages through the million rows: the first page, and
	// the next page from deep inside (as after many pgdn).
	b.Run("requests_first_page", func(b *testing.B) {
		c := newConn(path, -1)
		defer c.close()
		s := requestsOf(c, id)
		for b.Loop() {
			s.requests.starts = map[int]int64{0: math.MinInt64}
			if msg := s.requests.fetch(0)().(pageMsg); msg.err != nil || len(msg.rows) != defaultPageSize {
				b.Fatalf("%d rows, %v", len(msg.rows), msg.err)
			}
		}
	})
	b.Run("requests_deep_page", func(b *testing.B) {
		c := newConn(path, -1)
		defer c.close()
		s := requestsOf(c, id)
		s.requests.starts = map[int]int64{0: 999_000}
		for b.Loop() {
			if msg := s.requests.fetch(0)().(pageMsg); msg.err != nil || len(msg.rows) != defaultPageSize || msg.rows[0][0] != "999000" {
				b.Fatalf("%d rows from %v, %v", len(msg.rows), msg.rows[0][0], msg.err)
			}
		}
	})
	b.Run("warm", func(b *testing.B) {
		c := newConn(path, -1)
		defer c.close()
		open(b, c) // opens the file
		for b.Loop() {
			open(b, c)
		}
	})
}

func requestsOf(c *conn, id string) *runScreen {
	s := newRunScreen(testShared(), id)
	s.sh.conn = c
	s.d = &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: id}, RequestsStored: 1_000_000}}
	s.loadRequests() // sets the query up; the benchmark runs the fetches
	return s
}
