package data

import (
	"context"
	"database/sql"
	"strings"
	"testing"
)

// TestUserLine: an error in a query run inside the bounding wrapper
// quoted the wrapper on its LINE 1 ("LINE 1: SELECT * FROM (select nope
// from runs"), its caret at the wrapped line's column. It quotes the
// user's line, the caret under the same word; errors on a later line,
// and errors with no LINE, read as DuckDB gave them.
func TestUserLine(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	tests := []struct {
		name, q string
		want    []string // lines of the message, in order
		not     string
	}{
		{"first line", "select nope from range(1)", []string{"LINE 1: select nope from range(1)", "               ^"}, "FROM (select"},
		{"first line, indented", "  select 1 from range(1) where nope = 2", []string{"LINE 1:   select 1 from range(1) where nope = 2", "                                     ^"}, "FROM (  select"},
		{"later line", "select 1,\n nope from range(1)", []string{"LINE 2:  nope from range(1)", "         ^"}, "FROM ("},
		{"no LINE", "select 1/0::INTEGER[] from range(1)", nil, "FROM ("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, qerr := db.QueryContext(ctx, "SELECT * FROM ("+tt.q+"\n) AS q LIMIT 10")
			if qerr == nil {
				t.Fatal("the query ran")
			}
			got := UserLine(qerr, tt.q)
			msg := got.Error()
			at := 0
			for _, w := range tt.want {
				k := strings.Index(msg[at:], w+"\n")
				if k < 0 && strings.HasSuffix(msg, w) && at <= len(msg)-len(w) {
					k = len(msg) - len(w) - at
				}
				if k < 0 {
					t.Fatalf("the message lacks the line %q:\n%s", w, msg)
				}
				at += k + len(w)
			}
			if strings.Contains(msg, tt.not) {
				t.Errorf("the message quotes %q:\n%s", tt.not, msg)
			}
			if got != qerr && !strings.Contains(got.(interface{ Unwrap() error }).Unwrap().Error(), "FROM (") {
				t.Errorf("the reworded error does not wrap DuckDB's: %v", got)
			}
		})
	}
}
