package tui

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// The status line counts rows exactly: past a million the compact form
// read "rows 2.05M–2.05M of 2.05M" on the last page.
func TestPagerStatusCountsExactly(t *testing.T) {
	for _, tc := range []struct {
		total       int64
		page, shown int
		want        string
	}{
		{5, 0, 5, "rows 1–5 of 5 · page 1/1"},
		{13498, 67, 98, "rows 13,401–13,498 of 13,498 · page 68/68"},
		{2053437, 10267, 37, "rows 2,053,401–2,053,437 of 2,053,437 · page 10,268/10,268"},
	} {
		p := newPager(testShared(), 7)
		p.pageSize = 200
		p.start(func(l, o int) string { return "" }, "", tc.total)
		rows := make([][]string, tc.shown)
		for i := range rows {
			rows[i] = []string{"x"}
		}
		p.handle(pageMsg{addr: addr{7}, seq: p.seq, page: tc.page, cols: []sqlCol{{name: "v"}}, rows: rows})
		if got := p.status(); !strings.HasPrefix(got, tc.want+" ·") {
			t.Errorf("%d rows, page %d: status %q, want %q", tc.total, tc.page+1, got, tc.want)
		}
	}
}

func TestPagerPages(t *testing.T) {
	p := newPager(testShared(), 7)
	p.pageSize = 2
	p.start(func(l, o int) string { return "" }, "", 5)
	seq := p.seq
	row := func(v string) []string { return []string{v} }
	p.handle(pageMsg{addr: addr{7}, seq: seq, page: 0, cols: []sqlCol{{name: "v"}}, rows: [][]string{row("a"), row("b")}})
	if p.status() == "" || !strings.Contains(p.status(), "rows 1–2 of 5 · page 1/3") {
		t.Errorf("status %q", p.status())
	}
	p.tbl.cursor = 1
	used, cmd := p.key(keyMsg("down"))
	if !used || cmd == nil || p.seq != seq+1 {
		t.Fatal("down at the last row did not fetch the next page")
	}
	p.handle(pageMsg{addr: addr{7}, seq: seq, page: 0, rows: [][]string{row("stale")}})
	if p.rows[0][0] != "a" {
		t.Error("a stale page replaced the current one")
	}
	p.handle(pageMsg{addr: addr{7}, seq: p.seq, page: 1, cols: []sqlCol{{name: "v"}}, rows: [][]string{row("c"), row("d")}})
	if p.page != 1 || p.tbl.cursor != 0 || p.rows[0][0] != "c" {
		t.Errorf("page %d cursor %d rows %v", p.page, p.tbl.cursor, p.rows)
	}
	if _, cmd := p.key(keyMsg("up")); cmd == nil || p.wantCursor != -1 {
		t.Error("up at the first row did not go back a page")
	}
	// G asks for the last page of the result (rows 5 of 5: page 3), by
	// its offset, with the cursor on its last row.
	p.loading = false
	var asked []int
	p.sql = func(l, o int) string { asked = append(asked, o); return "" }
	if _, cmd := p.key(keyMsg("G")); cmd == nil || p.wantCursor != -1 || len(asked) != 1 || asked[0] != 4 {
		t.Errorf("G asked for offsets %v, cursor %d; want [4], -1", asked, p.wantCursor)
	}
	// A count that answers after another query started is the old query's:
	// it must not set the total G pages by.
	c := newPager(testShared(), 9)
	c.start(func(l, o int) string { return "" }, "SELECT 1", -1)
	old := c.countSeq
	c.start(func(l, o int) string { return "" }, "SELECT 2", -1)
	c.handle(countMsg{addr: addr{9}, seq: old, n: 5})
	if c.total != -1 {
		t.Errorf("a stale count set the total to %d", c.total)
	}
	c.handle(countMsg{addr: addr{9}, seq: c.countSeq, n: 7})
	if c.total != 7 {
		t.Errorf("the query's own count: total %d, want 7", c.total)
	}
	// Nor after a query that counts nothing (the Requests tab back to its
	// keyset pages, whose total is known).
	c.start(func(l, o int) string { return "" }, "SELECT 3", -1)
	old = c.countSeq
	c.startKeyset(func(context.Context, *sql.DB, int, keyBound) ([]sqlCol, [][]string, []rowKey, error) {
		return nil, nil, nil, nil
	}, nil, 1000)
	c.handle(countMsg{addr: addr{9}, seq: old, n: 5})
	if c.total != 1000 {
		t.Errorf("a filtered query's late count set the keyset total to %d, want 1000", c.total)
	}
	// A query (or a Requests filter) that matches nothing says so.
	e := newPager(testShared(), 8)
	e.start(func(l, o int) string { return "" }, "", 0)
	e.handle(pageMsg{addr: addr{8}, seq: e.seq, page: 0, cols: []sqlCol{{name: "v"}}})
	if st := e.status(); !strings.HasPrefix(st, "no rows ·") {
		t.Errorf("empty result: status %q, want \"no rows · …\"", st)
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    any
		typ  string
		want string
	}{
		{nil, "DOUBLE", "NULL"},
		{1.5, "DOUBLE", "1.5"},
		{3.0, "DOUBLE", "3"},
		// Full precision, as aiecon sql prints doubles (the shortest text
		// that reads back as the same number): 6 digits made 1234567.891
		// read 1.23457e+06 and 17352.188996931163 read 17352.2.
		{1.0 / 3, "DOUBLE", "0.3333333333333333"},
		{1234567.891, "DOUBLE", "1.234567891e+06"},
		{17352.188996931163, "DOUBLE", "17352.188996931163"},
		{float32(0.1), "FLOAT", "0.1"},
		{1e6, "DOUBLE", "1000000"}, // a whole number stays whole
		{math.Inf(1), "DOUBLE", "+Inf"},
		{int64(7), "BIGINT", "7"},
		{"a\nb", "VARCHAR", "a⏎b"},
		{[]byte{0x01, 0xff}, "BLOB", `\x01ff`},
		{[]byte{0x08, 0x11, 0x08, 0xf6, 0x1b, 0xc4, 0x45, 0x5e, 0x85, 0x61, 0xbe, 0x8d, 0x11, 0xcc, 0xfb, 0xc1}, "UUID", "081108f6-1bc4-455e-8561-be8d11ccfbc1"},
		{time.Date(2026, 3, 14, 9, 7, 0, 0, time.UTC), "TIMESTAMP", "2026-03-14 09:07:00.000"},
		// A long value keeps its first maxCellRunes runes: a value of a
		// gigabyte was kept, measured and rendered whole.
		{strings.Repeat("é\n", 200) + "more", "VARCHAR", strings.Repeat("é⏎", 128) + "…"},
		{[]byte(strings.Repeat("ab", 200)), "BLOB", strings.Repeat("ab", 128) + "…"},
		{append([]byte{0xff}, make([]byte, 300)...), "BLOB", `\xff` + strings.Repeat("00", 126) + "…"},
		{strings.Repeat("x", maxCellRunes), "VARCHAR", strings.Repeat("x", maxCellRunes)},
		// Lists and structs as aiecon sql prints them (JSON): Go's form
		// read ['a b','c'] as three elements and a struct as map[a:1].
		{[]any{int32(1), int32(2), int32(3)}, "INTEGER[]", "[1,2,3]"},
		{[]any{"a b", "c"}, "VARCHAR[]", `["a b","c"]`},
		{map[string]any{"a": int32(1), "b": "x y"}, "STRUCT(a INTEGER, b VARCHAR)", `{"a":1,"b":"x y"}`},
		// A struct's fields in the order its type declares them, as DuckDB
		// prints them: the driver's map printed {"a":2,"b":1}.
		{map[string]any{"a": int32(2), "b": int32(1)}, `STRUCT("b" INTEGER, "a" INTEGER)`, `{"b":1,"a":2}`},
		{[]any{math.NaN(), "l1\nl2"}, "VARCHAR[]", `[null,"l1\nl2"]`},
		// A MAP as DuckDB prints it: Go's form inside it read {k=[1 2]}.
		{orderedMap("k", []any{int32(1), int32(2)}, "l", "x,y"), "MAP(VARCHAR, INTEGER[])", "{k=[1, 2], l='x,y'}"},
	}
	for _, tt := range tests {
		if got := formatValue(tt.v, tt.typ); got != tt.want {
			t.Errorf("formatValue(%#v, %s) = %q, want %q", tt.v, tt.typ, got, tt.want)
		}
	}
}

// orderedMap is a MAP as the driver scans it, of keys and values in turn.
func orderedMap(kv ...any) duckdb.OrderedMap {
	var m duckdb.OrderedMap
	for i := 0; i+1 < len(kv); i += 2 {
		m.Set(kv[i], kv[i+1])
	}
	return m
}

// TestPagerFailedMoveGoesBack: a page move that fails (the store gone,
// the query interrupted) keeps the page shown before it; p (or [) leaves
// the error for that page, from which n moves, and retries, again. A
// move that failed from the first page left the error up with no key to
// leave it but running the query again. A query whose first page failed
// has no page to go back to: p leaves its error alone.
func TestPagerFailedMoveGoesBack(t *testing.T) {
	row := func(v string) []string { return []string{v} }
	broken := errors.New("IO Error: the store went away")
	for _, tc := range []struct {
		name       string
		from, move string // the page held, and the key whose move fails
		failedPage int
	}{
		{"n from the first page", "0", "n", 1},
		{"] from the first page", "0", "]", 1},
		{"p from the second page", "1", "p", 0},
	} {
		p := newPager(testShared(), 7)
		p.pageSize = 2
		p.start(func(l, o int) string { return "" }, "", 6)
		held := 0
		if tc.from == "1" {
			held = 1
		}
		p.want = held
		p.handle(pageMsg{addr: addr{7}, seq: p.seq, page: held, cols: []sqlCol{{name: "v"}}, rows: [][]string{row("a"), row("b")}})
		if _, cmd := p.key(keyMsg(tc.move)); cmd == nil {
			t.Fatalf("%s: %s asked for no page", tc.name, tc.move)
		}
		p.handle(pageMsg{addr: addr{7}, seq: p.seq, page: tc.failedPage, err: broken})
		want := fmt.Sprintf("page %d failed: %s · p: back to page %d", tc.failedPage+1, broken, held+1)
		if st := p.status(); st != want {
			t.Errorf("%s: status %q, want %q", tc.name, st, want)
		}
		if used, cmd := p.key(keyMsg("p")); !used || cmd != nil {
			t.Errorf("%s: p after the failed move: used %v, asked for a page %v; want it to go back to the page held", tc.name, used, cmd != nil)
		}
		if p.err != nil || p.page != held || p.rows[0][0] != "a" || !strings.HasPrefix(p.status(), "rows ") {
			t.Errorf("%s: after p: error %v, page %d, status %q; want page %d shown", tc.name, p.err, p.page, p.status(), held+1)
		}
		seq := p.seq
		if _, cmd := p.key(keyMsg(tc.move)); cmd == nil || p.seq != seq+1 || p.want != tc.failedPage {
			t.Errorf("%s: %s again did not retry page %d (want %d)", tc.name, tc.move, tc.failedPage+1, p.want+1)
		}
	}
	q := newPager(testShared(), 7)
	q.start(func(l, o int) string { return "" }, "", -1)
	q.handle(pageMsg{addr: addr{7}, seq: q.seq, page: 0, err: broken})
	if q.key(keyMsg("p")); q.err == nil {
		t.Error("p cleared the error of a query whose first page failed: there is no page to show")
	}
}
