package tui

import (
	"slices"
	"testing"
)

// TestSQLHistory walks the history as ↑ and ↓ do: back through the
// queries that ran, forward again to what was being typed.
func TestSQLHistory(t *testing.T) {
	var h sqlHistory
	if _, ok := h.prev("draft"); ok {
		t.Fatal("an empty history stepped back")
	}
	for _, q := range []string{"SELECT 1", "SELECT 2", "SELECT 2", "  ", "SELECT 3"} {
		h.add(q)
	}
	type move struct {
		up     bool
		want   string
		wantOK bool
	}
	moves := []move{
		{true, "SELECT 3", true}, {true, "SELECT 2", true}, {true, "SELECT 1", true}, {true, "", false},
		{false, "SELECT 2", true}, {false, "SELECT 3", true}, {false, "typing", true}, {false, "", false},
	}
	for i, m := range moves {
		var got string
		var ok bool
		if m.up {
			got, ok = h.prev("typing")
		} else {
			got, ok = h.next()
		}
		if got != m.want || ok != m.wantOK {
			t.Errorf("move %d (up %v) = %q %v, want %q %v", i, m.up, got, ok, m.want, m.wantOK)
		}
	}
	for i := 0; i < maxSQLHistory+10; i++ {
		h.add(string(rune('a'+i%26)) + "x" + string(rune('0'+i%10)))
	}
	if len(h.entries) != maxSQLHistory {
		t.Errorf("history holds %d entries, want at most %d", len(h.entries), maxSQLHistory)
	}
}

func TestComplete(t *testing.T) {
	names := []string{"runs", "run_summary", "run_id", "requests", "requests_v", "run_id", "ttft_s"}
	tests := []struct {
		prefix, insert string
		matches        []string
	}{
		{"run_s", "ummary", []string{"run_summary"}},
		{"RUN_S", "ummary", []string{"run_summary"}},
		{"ru", "n", []string{"run_id", "run_summary", "runs"}},
		{"req", "uests", []string{"requests", "requests_v"}},
		{"ttft_s", "", []string{"ttft_s"}},
		{"zz", "", nil},
		{"", "", nil},
	}
	for _, tt := range tests {
		ins, m := complete(tt.prefix, names)
		if ins != tt.insert || !slices.Equal(m, tt.matches) {
			t.Errorf("complete(%q) = %q %v, want %q %v", tt.prefix, ins, m, tt.insert, tt.matches)
		}
	}
}

func TestWordBefore(t *testing.T) {
	tests := []struct {
		line string
		col  int
		want string
	}{
		{"SELECT * FROM run_s", 19, "run_s"},
		{"SELECT ttft_s, e2", 17, "e2"},
		{"SELECT x.ab", 11, "ab"},
		{"SELECT ", 7, ""},
		{"runs", 2, "ru"},
		{"runs", 99, "runs"},
	}
	for _, tt := range tests {
		if got := wordBefore([]rune(tt.line), tt.col); got != tt.want {
			t.Errorf("wordBefore(%q, %d) = %q, want %q", tt.line, tt.col, got, tt.want)
		}
	}
}

// TestSQLTabCompletesOrFocuses presses tab at the end of a query: it
// completes part of a name, but after a whole name, even one that prefixes
// another (requests, requests_v), it moves to the results, or the keys
// meant for them would be typed into the query.
func TestSQLTabCompletesOrFocuses(t *testing.T) {
	for _, tc := range []struct {
		query, want string
		focusRes    bool
	}{
		{"select * from req", "select * from requests", false},
		{"select * from requests", "select * from requests", true},
		{"select * from REQUESTS", "select * from REQUESTS", true},
		{"select * from run_sum", "select * from run_summary", false},
		{"select * from ", "select * from ", true},
		{"select * from zz", "select * from zz", true},
	} {
		sh := testShared()
		sh.sqlNames = []string{"requests", "requests_v", "run_summary", "runs"}
		s := newSQLScreen(sh, tc.query)
		s.update(keyMsg("tab"))
		if got := s.ed.Value(); got != tc.want || s.focusRes != tc.focusRes {
			t.Errorf("tab after %q: query %q, results focused %v; want %q, %v", tc.query, got, s.focusRes, tc.want, tc.focusRes)
		}
	}
}
