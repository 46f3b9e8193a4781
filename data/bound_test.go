package data

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestBoundQuery: DuckDB cuts a text to TextRunes and refuses any other
// value past MaxBytes, which TooLarge reads back as the column and the
// value's size; the query stays on the wrapper's first line, so DuckDB's
// line numbers are the user's; a query DuckDB cannot describe is read
// unbounded, and fails with DuckDB's own error.
func TestBoundQuery(t *testing.T) {
	s, _, _ := sandboxFixture(t)
	ctx := context.Background()
	b := ValueBounds{TextRunes: 5, MaxBytes: 100}
	q := BoundQuery(ctx, s.DB(), "SELECT 7 AS n, repeat('é', 50 + i) AS t, range(10 + i) AS l FROM range(1) r(i);", b)
	if len(q.Columns) != 3 || q.Columns[1] != (QueryColumn{"t", "VARCHAR"}) || q.Columns[2].Type != "BIGINT[]" {
		t.Fatalf("columns %v", q.Columns)
	}
	var n int
	var text string
	var list []any
	if err := s.DB().QueryRowContext(ctx, q.Select).Scan(&n, &text, &list); err != nil {
		t.Fatal(err)
	}
	if n != 7 || text != "ééééé" || len(list) != 10 {
		t.Errorf("got %d %q %v", n, text, list)
	}

	big := BoundQuery(ctx, s.DB(), "SELECT 1 AS n, range(100 + i) AS l FROM range(1) r(i)", b)
	_, err := s.DB().ExecContext(ctx, big.Select)
	if c, size, ok := big.TooLarge(err); !ok || c.Name != "l" || size != 390 {
		t.Errorf("a list past the bound: %v; TooLarge = %v %d %v", err, c, size, ok)
	}
	if _, _, ok := big.TooLarge(errors.New("Binder Error: something else")); ok {
		t.Error("TooLarge read another error as a refusal")
	}

	conv := BoundQuery(ctx, s.DB(), "SELECT 1 AS a,\n  'abc'::INTEGER AS v", b)
	_, err = s.DB().ExecContext(ctx, conv.Select)
	if err == nil || !strings.Contains(err.Error(), "LINE 2:") {
		t.Errorf("the error is not on the user's line 2: %v", err)
	}

	wrong := BoundQuery(ctx, s.DB(), "SELECT *\nFROM nosuch", b)
	if wrong.Columns != nil {
		t.Errorf("a query DuckDB cannot bind was described: %v", wrong.Columns)
	}
	_, err = s.DB().ExecContext(ctx, wrong.Select)
	if err == nil || !strings.Contains(err.Error(), "nosuch does not exist") || !strings.Contains(err.Error(), "LINE 2:") {
		t.Errorf("running a query DuckDB cannot describe: %v", err)
	}
}
