package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"aiecon/data"
	"aiecon/sim"
)

// bigStore writes a store holding one complete run with n stored requests
// (and the nine test runs), the size the 200 ms budget is about: all
// completed, with the same latencies.
func bigStore(b *testing.B, n int) (path, id string) {
	return storeWithRun(b, n, func(i int) sim.RequestRecord {
		arrival := int64(i) * int64(time.Hour) / int64(n)
		return sim.RequestRecord{ID: int64(i), Workload: int32(i % 2), Session: -1, Replica: int32(i % 32),
			Status: sim.StatusCompleted, ArrivalNs: arrival, StartNs: arrival + 1e7, FirstTokenNs: arrival + 3e8,
			FinishNs: arrival + 1e10, PromptTokens: 800, OutputTokens: 250, RevenueUSD: 7.56e-4}
	})
}

// storeWithRun writes a store holding the nine test runs and one complete
// run of n stored requests, the i-th of them rec(i), written in that order.
func storeWithRun(tb testing.TB, n int, rec func(i int) sim.RequestRecord) (path, id string) {
	tb.Helper()
	path = filepath.Join(tb.TempDir(), "big.duckdb")
	if err := buildFixture(path); err != nil {
		tb.Fatal(err)
	}
	st, err := data.Open(path, data.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	r := fixtureRun{n: 20, name: "million", seed: 1, instances: 16, rateRPS: 280, priceUSDh: 85.96}
	w, err := st.BeginRun(context.Background(), data.RunInfo{Name: r.name, Seed: 1, HorizonNs: int64(time.Hour), ResolvedYAML: fixtureYAML(r)})
	if err != nil {
		tb.Fatal(err)
	}
	s := synthesize(r)
	if err := w.Begin(s.meta); err != nil {
		tb.Fatal(err)
	}
	if err := w.Windows(s.windows); err != nil {
		tb.Fatal(err)
	}
	const batch = 65536
	buf := make([]sim.RequestRecord, 0, batch)
	for i := 0; i < n; i++ {
		buf = append(buf, rec(i))
		if len(buf) == batch || i == n-1 {
			if err := w.Requests(buf); err != nil {
				tb.Fatal(err)
			}
			buf = buf[:0]
		}
	}
	if err := w.End(s.summary); err != nil {
		tb.Fatal(err)
	}
	if err := w.Finish(1); err != nil {
		tb.Fatal(err)
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
			s.requests.starts = map[int]rowKey{}
			if msg := s.requests.fetch(0)().(pageMsg); msg.err != nil || len(msg.rows) != defaultPageSize {
				b.Fatalf("%d rows, %v", len(msg.rows), msg.err)
			}
		}
	})
	b.Run("requests_deep_page", func(b *testing.B) {
		c := newConn(path, -1)
		defer c.close()
		s := requestsOf(c, id)
		s.requests.starts = map[int]rowKey{0: {id: 999_000}}
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

// BenchmarkRequestPages measures the Requests tab's pages on a run of
// 2,000,000 stored requests of every status, with varied latencies: in id
// order, sorted by TTFT (worst first) and filtered ("chat completed"),
// the first page, the middle page (from request 1,000,000 on unfiltered),
// the last page as G
// reads it (from the end) and the page before it as p then reads it (up to
// the last page's first key), and the count of a sorted or filtered view.
// offset_first and offset_last are the LIMIT/OFFSET query over requests_v
// the tab ran for a sorted or filtered view before it paged them by key.
//
//	go test ./tui -run '^$' -bench RequestPages -benchtime 10x
func BenchmarkRequestPages(b *testing.B) {
	const n = 2_000_000
	path, id := storeWithRun(b, n, variedRequest(n, false))
	c := newConn(path, -1)
	defer c.close()
	for _, view := range []struct{ name, keys, filter string }{
		{"id", "", ""}, {"ttft", "sss", ""}, {"filtered", "", "chat completed"},
	} {
		s := requestsOf(c, id)
		s.d.Run.RequestsStored = n
		for _, k := range view.keys {
			s.req.key(keyMsg(string(k)))
		}
		setLine(&s.req.filter, view.filter)
		p, q := s.requests, s.req.query(id)
		for _, m := range msgsOf(s.loadRequests()) {
			p.handle(m) // the first page, and the total
		}
		last := p.lastPageIndex()
		if last < 2000 {
			b.Fatalf("%s: %d pages", view.name, last+1)
		}
		page := func(b *testing.B, pg int) pageMsg {
			msg := p.load(pg)().(pageMsg)
			if msg.err != nil || len(msg.rows) == 0 {
				b.Fatalf("%s page %d: %d rows, %v", view.name, pg, len(msg.rows), msg.err)
			}
			return msg
		}
		at := func(starts map[int]rowKey, shown int) { p.starts, p.page, p.keys = starts, shown, nil }
		b.Run(view.name+"/first", func(b *testing.B) {
			for b.Loop() {
				at(map[int]rowKey{}, 0)
				page(b, 0)
			}
		})
		deep := (last + 1) / 2 // page 5,000 of 10,000: from request 1,000,000 on
		mid := deepKey(b, c, q, deep*p.pageSize)
		b.Run(view.name+"/deep", func(b *testing.B) {
			for b.Loop() {
				at(map[int]rowKey{deep: mid}, 0)
				page(b, deep)
			}
		})
		var lastKey rowKey
		b.Run(view.name+"/last", func(b *testing.B) {
			for b.Loop() {
				at(map[int]rowKey{}, 0)
				lastKey = page(b, last).keys[0]
			}
		})
		b.Run(view.name+"/before_last", func(b *testing.B) {
			for b.Loop() {
				at(map[int]rowKey{last: lastKey}, last)
				page(b, last-1)
			}
		})
		if p.counter != nil {
			b.Run(view.name+"/count", func(b *testing.B) {
				for b.Loop() {
					if err := c.read(func(st *data.Store) error { _, err := p.counter(context.Background(), st.DB()); return err }); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		for _, off := range []struct {
			name   string
			offset int
		}{{"offset_first", 0}, {"offset_last", last * p.pageSize}} {
			b.Run(view.name+"/"+off.name, func(b *testing.B) {
				for b.Loop() {
					if err := c.read(func(st *data.Store) error {
						_, err := offsetPage(st.DB(), id, q.words, requestSorts[s.req.sortBy].col, s.req.desc, p.pageSize, off.offset)
						return err
					}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// deepKey is the key of the view's row at offset off, as a page that
// starts there records it.
func deepKey(b *testing.B, c *conn, q requestQuery, off int) rowKey {
	var k rowKey
	err := c.read(func(st *data.Store) error {
		cond, args, err := q.where(context.Background(), st.DB())
		if err != nil {
			return err
		}
		key := "NULL"
		if q.key != "" {
			key = q.key
		}
		return st.DB().QueryRow(fmt.Sprintf("SELECT request_id, %s FROM requests WHERE %s ORDER BY %s LIMIT 1 OFFSET %d",
			key, cond, q.orderBy(false), off), args...).Scan(&k.id, &k.val)
	})
	if err != nil {
		b.Fatal(err)
	}
	return k
}
