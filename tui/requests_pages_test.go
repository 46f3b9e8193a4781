package tui

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"aiecon/data"
	"aiecon/sim"
)

// variedRequest is the i-th of n requests of every status, with ties in
// every sort column, NULL latencies (never admitted, no first token,
// unfinished, one output token), and some of a workload the run does not
// name (their workload_name is NULL). scramble gives the ids gaps and
// writes them out of order; without it they increase, as a run writes
// them near enough.
func variedRequest(n int, scramble bool) func(i int) sim.RequestRecord {
	return func(i int) sim.RequestRecord {
		h := splitmix(uint64(i))
		id := int64(i)
		if scramble {
			id = int64(i*7919%n)*3 + 1
		}
		q := sim.RequestRecord{ID: id, Workload: 0, Session: -1, Replica: int32(h % 8), Status: sim.StatusCompleted,
			ArrivalNs: int64(i/2) * 1e8, PromptTokens: int32(100 * (1 + h>>44%4)), OutputTokens: int32(1 + h>>32%4)}
		switch h % 11 {
		case 0:
			q.Workload = 2 // not in run_workloads
		case 1, 2:
			q.Workload, q.Session, q.Step = 1, int64(i/5), 1
		}
		q.StartNs = q.ArrivalNs + int64(h>>16%6)*10e6
		q.FirstTokenNs = q.StartNs + int64(h>>24%6)*100e6
		q.FinishNs = q.FirstTokenNs + int64(q.OutputTokens)*int64(h>>40%3+1)*20e6
		q.RevenueUSD = []float64{0, 0.0005, 0.001, 0.0123456}[h>>52%4]
		switch h >> 8 % 10 {
		case 0, 1:
			q.Status = []sim.RequestStatus{sim.StatusQueueFull, sim.StatusTimedOut}[h>>8%10]
			q.Replica, q.StartNs, q.FirstTokenNs, q.FinishNs = -1, -1, -1, q.ArrivalNs+5e8
			q.OutputTokens, q.RevenueUSD = 0, 0
		case 2:
			q.Status, q.FinishNs, q.RevenueUSD = sim.StatusAbandoned, q.ArrivalNs+9e8, 0
			if h>>48%2 == 0 {
				q.FirstTokenNs = -1
			}
		case 3:
			q.Status, q.FinishNs, q.RevenueUSD = sim.StatusUnfinished, -1, 0
		}
		return q
	}
}

// splitmix is SplitMix64's mix of x: a fixed, well-spread hash.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// offsetPage is a page as the Requests tab read it before it paged every
// view by key: requests_v filtered on the words, ORDER BY the view's column
// (NULLs last) and request_id, LIMIT and OFFSET.
func offsetPage(db *sql.DB, runID string, words []string, col string, desc bool, limit, offset int) ([][]string, error) {
	cond, args := offsetWhere(runID, words)
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	q := fmt.Sprintf("%s WHERE %s ORDER BY %s %s NULLS LAST, request_id LIMIT %d OFFSET %d", requestCols, cond, col, dir, limit, offset)
	_, rows, err := queryStrings(db, context.Background(), q, args...)
	return rows, err
}

// offsetWhere is the condition offsetPage and the count read the rows by.
func offsetWhere(runID string, words []string) (string, []any) {
	cond, args := "run_id = ?", []any{runID}
	for _, w := range words {
		cond += " AND contains(lower(workload_name || ' ' || status), lower(?))"
		args = append(args, w)
	}
	return cond, args
}

// TestRequestPagesAreTheOffsetPages: every page of every view (each sort
// column in both directions, with and without a filter) holds the rows, in
// the order, that the LIMIT/OFFSET query over requests_v gave it, walking
// forward (n), and from the end (G) back (p) to the start; and the total is what requests_v counts. Pages of 9 over 150 requests
// of every status, with ties, NULLs and ids written out of order.
func TestRequestPagesAreTheOffsetPages(t *testing.T) {
	const n, size = 150, 9
	path, id := storeWithRun(t, n, variedRequest(n, true))
	c := newConn(path, -1)
	defer c.close()
	for si, srt := range requestSorts {
		for _, reverse := range []bool{false, true} {
			for _, filter := range []string{"", "CHAT completed", "shop", "no such words"} {
				name := fmt.Sprintf("%s desc=%v filter %q", srt.name, srt.desc != reverse, filter)
				s := newRunScreen(testShared(), id)
				s.sh.conn = c
				s.d = &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: id}, RequestsStored: n}}
				s.requests.pageSize = size
				s.req.sortBy, s.req.desc = si, srt.desc != reverse
				setLine(&s.req.filter, filter)
				checkOffsetPages(t, name, c, s, srt.col)
			}
		}
	}
}

// checkOffsetPages walks s's Requests pages and holds each to offsetPage.
func checkOffsetPages(t *testing.T, name string, c *conn, s *runScreen, col string) {
	t.Helper()
	p, words := s.requests, strings.Fields(s.req.filter.Value())
	var want [][][]string // the pages by offset, and the count
	var total int64
	err := c.read(func(st *data.Store) error {
		cond, args := offsetWhere(s.d.Run.ID, words)
		if err := st.DB().QueryRow("SELECT count(*) FROM requests_v WHERE "+cond, args...).Scan(&total); err != nil {
			return err
		}
		for off := 0; off == 0 || off < int(total); off += p.pageSize {
			rows, err := offsetPage(st.DB(), s.d.Run.ID, words, col, s.req.desc, p.pageSize, off)
			if err != nil {
				return err
			}
			want = append(want, rows)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%s: the offset pages: %v", name, err)
	}
	settle := func(cmd tea.Cmd) {
		t.Helper()
		for cmd != nil {
			var next []tea.Cmd
			for _, m := range msgsOf(cmd) {
				if pm, ok := m.(pageMsg); ok && pm.err != nil {
					t.Fatalf("%s: page %d: %v", name, pm.page, pm.err)
				}
				if _, c := p.handle(m); c != nil {
					next = append(next, c)
				}
			}
			cmd = tea.Batch(next...)
		}
	}
	check := func(step string) {
		t.Helper()
		if p.page >= len(want) || !slices.EqualFunc(p.rows, want[p.page], slices.Equal) {
			t.Fatalf("%s, %s: page %d holds ids %v, want %v", name, step, p.page, pageIDs(p.rows), pageIDs(want[min(p.page, len(want)-1)]))
		}
	}
	settle(s.loadRequests())
	if p.total != total {
		t.Fatalf("%s: total %d, want %d", name, p.total, total)
	}
	check("first page")
	press := func(k string) { _, cmd := p.key(keyMsg(k)); settle(cmd) }
	for p.page < len(want)-1 { // each page from the last key of the one before
		press("n")
		check("n")
	}
	settle(s.loadRequests()) // afresh: no page's start known
	press("G")               // the last rows, from the end
	check("G")
	for p.page > 0 { // each page up to the first key of the one after
		press("p")
		check("p")
	}
	press("G") // from its first key, now known
	check("G again")
}

// pageIDs is the ids of a page's rows, for a failure's message.
func pageIDs(rows [][]string) []string {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r[0]
	}
	return ids
}

// TestRequestSortKeysAreTheView: each sort's key, written over the
// requests table, is its requests_v column in every row, NULLs included,
// so pages found by key hold what the view sorted shows.
func TestRequestSortKeysAreTheView(t *testing.T) {
	const n = 300
	path, id := storeWithRun(t, n, variedRequest(n, true))
	c := newConn(path, -1)
	defer c.close()
	for _, srt := range requestSorts {
		key := srt.key
		if key == "" {
			key = "request_id"
		}
		var rows, differ int
		err := c.read(func(st *data.Store) error {
			return st.DB().QueryRow(`SELECT count(*), count(*) FILTER (q.k IS DISTINCT FROM v.`+srt.col+`)
				FROM (SELECT run_id, request_id, `+key+` AS k FROM requests) q JOIN requests_v v USING (run_id, request_id)
				WHERE run_id = ?`, id).Scan(&rows, &differ)
		})
		if err != nil || rows != n || differ != 0 {
			t.Errorf("sort %s: %d of %d rows differ from requests_v.%s (%v)", srt.name, differ, rows, srt.col, err)
		}
	}
}
