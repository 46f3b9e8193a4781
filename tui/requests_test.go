package tui

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"aiecon/data"
	"aiecon/model/format"
)

// TestRequestFilterSort: the filter's words become the query's words; s
// cycles the sort columns, each in its natural direction first, and o
// reverses; only the unfiltered id order takes its total from the
// registry.
func TestRequestFilterSort(t *testing.T) {
	tests := []struct {
		name      string
		filter    string
		keys      string
		wantWords []string
		wantKey   string
		wantDesc  bool
		describe  string
		plain     bool
	}{
		{"default", "", "", nil, "", false, "sorted by id ↑", true},
		{"one word", "chat", "", []string{"chat"}, "", false, "sorted by id ↑ · filter chat", false},
		{"two words", " chat  timed_out ", "", []string{"chat", "timed_out"}, "", false, "sorted by id ↑ · filter chat  timed_out", false},
		{"quote is data", "o'brien", "", []string{"o'brien"}, "", false, "sorted by id ↑ · filter o'brien", false},
		{"TTFT worst first", "", "sss", nil, "(first_token_ns - arrival_ns) / 1e9", true, "sorted by TTFT ↓", false},
		{"TTFT reversed", "", "ssso", nil, "(first_token_ns - arrival_ns) / 1e9", false, "sorted by TTFT ↑", false},
		{"id reversed", "", "o", nil, "", true, "sorted by id ↓", false},
		{"cycles back to id", "", strings.Repeat("s", len(requestSorts)), nil, "", false, "sorted by id ↑", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newReqView(newStyles())
			setLine(&v.filter, tt.filter)
			for _, k := range tt.keys {
				if used, changed, _ := v.key(keyMsg(string(k))); !used || !changed {
					t.Fatalf("key %c: used %v changed %v", k, used, changed)
				}
			}
			q := v.query("r1")
			if q.runID != "r1" || !slices.Equal(q.words, tt.wantWords) || q.key != tt.wantKey || q.desc != tt.wantDesc {
				t.Errorf("query = %+v, want words %q key %q desc %v", q, tt.wantWords, tt.wantKey, tt.wantDesc)
			}
			if got := v.describe(); got != tt.describe {
				t.Errorf("describe = %q, want %q", got, tt.describe)
			}
			if v.plain() != tt.plain {
				t.Errorf("plain = %v, want %v", v.plain(), tt.plain)
			}
		})
	}
}

// TestRequestFilterEditing: / focuses the field, enter applies it (the
// query runs again), esc in the field clears it.
func TestRequestFilterEditing(t *testing.T) {
	v := newReqView(newStyles())
	if used, changed, _ := v.key(keyMsg("/")); !used || changed || !v.editing {
		t.Fatalf("/ did not open the filter: used %v changed %v editing %v", used, changed, v.editing)
	}
	for _, k := range "chat" {
		if changed, _ := v.edit(keyMsg(string(k))); changed {
			t.Fatal("typing ran the query before enter")
		}
	}
	if changed, _ := v.edit(keyMsg("enter")); !changed || v.editing || v.filter.Value() != "chat" {
		t.Fatalf("enter: changed %v editing %v value %q", changed, v.editing, v.filter.Value())
	}
	v.key(keyMsg("/"))
	if changed, _ := v.edit(keyMsg("esc")); !changed || v.filter.Value() != "" || v.lines() != 0 {
		t.Errorf("esc: changed %v value %q lines %d", changed, v.filter.Value(), v.lines())
	}
}

// TestRequestsEndAndHome: G goes to the last request of the run, not of
// the page on screen; p then pages back from there by key, g returns to
// the first page, and n walks forward again. Against the test store's
// baseline run, 450 requests in pages of 200.
func TestRequestsEndAndHome(t *testing.T) {
	c := newConn(fixturePath, -1)
	defer c.close()
	s := requestsOf(c, fixtureID(1))
	s.d.Run.RequestsStored = 450
	p := s.requests
	s.loadRequests() // again, with the run's own count
	get := func(cmd tea.Cmd) {
		t.Helper()
		if cmd == nil {
			t.Fatal("no fetch")
		}
		msg := cmd().(pageMsg)
		if msg.err != nil {
			t.Fatal(msg.err)
		}
		p.handle(msg)
	}
	want := func(step string, page int, first, last, cursor string) {
		t.Helper()
		if p.page != page || p.rows[0][0] != first || p.rows[len(p.rows)-1][0] != last || p.rows[p.tbl.cursor][0] != cursor {
			t.Errorf("%s: page %d, ids %s..%s, cursor on %s; want page %d, %s..%s, cursor on %s", step, p.page,
				p.rows[0][0], p.rows[len(p.rows)-1][0], p.rows[p.tbl.cursor][0], page, first, last, cursor)
		}
	}
	press := func(k string) tea.Cmd {
		used, cmd := p.key(keyMsg(k))
		if !used {
			t.Fatalf("%s not used", k)
		}
		return cmd
	}
	get(p.fetch(0))
	want("first page", 0, "0", "199", "0")
	get(press("G"))
	want("G", 2, "400", "449", "449")
	get(press("p"))
	want("p from the end", 1, "200", "399", "200")
	get(press("g"))
	want("g", 0, "0", "199", "0")
	get(press("n"))
	want("n", 1, "200", "399", "200")
}

// TestStoreGoneSaysSo: a store file deleted while a run is open made the
// Requests tab say "no such store (no runs stored yet: aiecon r…", wrong
// over the runs just shown, and cut before the reason. It says that the
// file is gone, first; and the runs list keeps its runs and says so.
func TestStoreGoneSaysSo(t *testing.T) {
	path := copyFixture(t)
	s := startSession(t, testOptions(path), 80, 24)
	s.wait("9 of 9 runs")
	s.press("end", "enter")
	s.wait("baseline · 1m1q01zz5b0c7d9", "$/Mtok all costs")
	time.Sleep(150 * time.Millisecond) // let the idle close release the file
	for _, f := range []string{path, path + ".wal"} {
		if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	s.press("6")
	scr := s.wait("error: the store file is gone (deleted or moved since")
	if strings.Contains(scr, "no runs stored yet") {
		t.Errorf("the Requests tab says no runs are stored:\n%s", scr)
	}
	s.press("esc", "r")
	scr = s.wait("reload failed: the store file is gone", "baseline-8x")
	if strings.Contains(scr, "No store yet") {
		t.Errorf("the runs list says there is no store yet:\n%s", scr)
	}
}

// TestRequestFilterMatchesText: a filter word is matched as text, in any
// case; % and _ are no wildcards (/% listed every request, as ILIKE read
// it). Against the test store's baseline run, whose counts Go works out
// from every request's workload and status.
func TestRequestFilterMatchesText(t *testing.T) {
	c := newConn(fixturePath, -1)
	defer c.close()
	id := fixtureID(1)
	var texts []string // "workload status" of each request
	err := c.read(func(st *data.Store) error {
		rows, err := st.DB().Query("SELECT workload_name || ' ' || status FROM requests_v WHERE run_id = ?", id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			texts = append(texts, s)
		}
		return rows.Err()
	})
	if err != nil || len(texts) == 0 {
		t.Fatalf("reading the requests: %d, %v", len(texts), err)
	}
	for _, filter := range []string{"%", "_", "%_", "c_a", "chat", "CHAT", "chat timed_out", "TIMED_OUT"} {
		want := 0
		for _, s := range texts {
			ok := true
			for _, w := range strings.Fields(filter) {
				ok = ok && strings.Contains(strings.ToLower(s), strings.ToLower(w))
			}
			if ok {
				want++
			}
		}
		v := newReqView(newStyles())
		setLine(&v.filter, filter)
		var got int64
		if err := c.read(func(st *data.Store) (err error) {
			got, err = v.query(id).count(context.Background(), st.DB())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got != int64(want) {
			t.Errorf("filter %q: %d of %d requests, want %d", filter, got, len(texts), want)
		}
	}
}

// TestPagerKeysWhileLoading: keys pressed while a page loads move from the
// page asked for, not the one shown, and the pager goes on to it once the
// page arrives: n n moved one page, and g G ended on the first page (G was
// dropped while g's page loaded). By key (the Requests tab's id order)
// and sorted by id in reverse (also by key, since every view pages so),
// with the total known and not yet counted.
// Against the test store's baseline run: 450 requests, pages of 200.
func TestPagerKeysWhileLoading(t *testing.T) {
	c := newConn(fixturePath, -1)
	defer c.close()
	s := requestsOf(c, fixtureID(1))
	s.d.Run.RequestsStored = 450
	p := s.requests
	// settle runs cmd and the fetches each page's arrival asks for.
	settle := func(cmd tea.Cmd) {
		t.Helper()
		for cmd != nil {
			var next []tea.Cmd
			for _, m := range msgsOf(cmd) {
				if pm, ok := m.(pageMsg); ok && pm.err != nil {
					t.Fatal(pm.err)
				}
				if _, c := p.handle(m); c != nil {
					next = append(next, c)
				}
			}
			cmd = tea.Batch(next...)
		}
	}
	// keys presses ks at once, as a fast typist does: a key fetches only
	// when no page is loading, and the page arrives after the last key.
	keys := func(ks ...string) {
		t.Helper()
		var fetch tea.Cmd
		for _, k := range ks {
			loading := p.loading
			_, cmd := p.key(keyMsg(k))
			if cmd != nil && loading {
				t.Errorf("%s: fetched while a page was loading", k)
			}
			if cmd != nil {
				fetch = cmd
			}
		}
		settle(fetch)
	}
	for _, tc := range []struct {
		view    string // reqView keys: "" id order, "o" reversed
		counted bool   // the count answers before the keys
		keys    []string
		page    int
		first   string // the page's first id
		cursor  string // the id under the cursor
	}{
		{"", true, []string{"n", "n"}, 2, "400", "400"},
		{"", true, []string{"n", "n", "n"}, 2, "400", "400"},
		{"", true, []string{"G", "g"}, 0, "0", "0"},
		{"", true, []string{"n", "p"}, 0, "0", "0"},
		{"", true, []string{"n", "G", "p"}, 1, "200", "200"},
		{"o", true, []string{"n", "n"}, 2, "49", "49"},
		{"o", true, []string{"G", "p", "p"}, 0, "449", "449"},
		{"o", false, []string{"n", "n", "n"}, 2, "49", "49"},
		{"o", false, []string{"n", "p", "n"}, 1, "249", "249"},
	} {
		name := fmt.Sprintf("view %q, counted %v, keys %v", tc.view, tc.counted, tc.keys)
		s.req = newReqView(newStyles())
		for _, k := range tc.view {
			s.req.key(keyMsg(string(k)))
		}
		for _, m := range msgsOf(s.loadRequests()) {
			if _, ok := m.(countMsg); ok && !tc.counted {
				continue
			}
			p.handle(m)
		}
		keys(tc.keys...)
		if p.loading || p.page != tc.page || p.rows[0][0] != tc.first || p.rows[p.tbl.cursor][0] != tc.cursor {
			t.Errorf("%s: loading %v, page %d from id %s, cursor on %s; want page %d from %s, cursor on %s",
				name, p.loading, p.page, p.rows[0][0], p.rows[p.tbl.cursor][0], tc.page, tc.first, tc.cursor)
		}
		if p.total < 0 {
			continue // G waits for the count
		}
		// g then G: the last page, with the cursor on the last request.
		keys("g", "G")
		if last := p.rows[len(p.rows)-1][0]; p.page != 2 || p.rows[p.tbl.cursor][0] != last {
			t.Errorf("%s, then g G: page %d, cursor on %s; want page 2, cursor on %s", name, p.page, p.rows[p.tbl.cursor][0], last)
		}
	}
}

// TestRequestRevenueRounded: the Requests tab prints each request's
// revenue as the dashboard's money cells do (format.USDCompact: to the
// cent, three significant digits below it), not in full float precision
// (0.006918479999999999, from a run's request).
func TestRequestRevenueRounded(t *testing.T) {
	c := newConn(fixturePath, -1)
	defer c.close()
	raws := []float64{0.006918479999999999, 0.0047030399999999995, 0.000756, 0.0123456, 1.5049999, 0, 7.2e-07, 3e-10, 12.3456}
	for _, raw := range raws {
		var shown any
		err := c.read(func(st *data.Store) error {
			return st.DB().QueryRow("SELECT "+revenueRounded+" FROM (SELECT ?::DOUBLE AS revenue_usd)", raw).Scan(&shown)
		})
		if err != nil {
			t.Fatal(err)
		}
		w, err := strconv.ParseFloat(strings.TrimPrefix(format.USDCompact(raw), "$"), 64)
		if err != nil {
			t.Fatal(err)
		}
		if cell, want := formatValue(shown, "DOUBLE"), formatFloat(w, 64); cell != want {
			t.Errorf("revenue %v shown as %s, want %s (as %s)", raw, cell, want, format.USDCompact(raw))
		}
	}
}
