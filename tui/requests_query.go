package tui

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// requestQuery is a Requests tab view as queries over the store: the run,
// the filter's words, the sort key (an expression over the requests table,
// "" for request_id alone) and its direction. The rows go in the order
// key (NULLs last), then request_id, as the tab has always shown them.
//
// A page is read in two steps. The first finds the page's request ids
// over the requests table alone, by key: the rows past the key a page next
// to it ended on, never an OFFSET, which sorted and skipped every row
// before the page (on 2 million requests the last page took 2.7 s, and
// even in id order the query through requests_v, which joins every
// request to its workload's name, took over a second going backwards).
// The second reads the shown columns (requestCols) of just those ids.
type requestQuery struct {
	runID string
	words []string
	key   string
	desc  bool
}

// where is the condition on the requests table: the run, and where the
// filter has words, the (workload, status) pairs whose text "workload
// status" holds every word, in any case, as text (a % or _ is no
// wildcard). The pairs are found in run_workloads (a few rows), so that
// no query joins the requests to it.
func (q requestQuery) where(ctx context.Context, db *sql.DB) (string, []any, error) {
	cond, args := "run_id = ?", []any{q.runID}
	if len(q.words) == 0 {
		return cond, args, nil
	}
	pairs := `SELECT w.workload, s.status::VARCHAR FROM run_workloads w,
		(SELECT unnest(enum_range(NULL::request_status)) AS status) s WHERE w.run_id = ?`
	pargs := []any{q.runID}
	for _, w := range q.words {
		pairs += " AND contains(lower(w.name || ' ' || s.status), lower(?))"
		pargs = append(pargs, w)
	}
	rows, err := db.QueryContext(ctx, pairs+" ORDER BY 1, 2", pargs...)
	if err != nil {
		return "", nil, fmt.Errorf("matching the filter to run %s's workloads: %w", q.runID, err)
	}
	defer rows.Close()
	var match []string
	for rows.Next() {
		var workload int64
		var status string
		if err := rows.Scan(&workload, &status); err != nil {
			return "", nil, fmt.Errorf("matching the filter to run %s's workloads: %w", q.runID, err)
		}
		match = append(match, "(workload = ? AND status = ?)")
		args = append(args, workload, status)
	}
	if err := rows.Err(); err != nil {
		return "", nil, fmt.Errorf("matching the filter to run %s's workloads: %w", q.runID, err)
	}
	if len(match) == 0 {
		return cond + " AND false", args, nil
	}
	return cond + " AND (" + strings.Join(match, " OR ") + ")", args, nil
}

// count is how many of the run's requests the filter keeps.
func (q requestQuery) count(ctx context.Context, db *sql.DB) (int64, error) {
	cond, args, err := q.where(ctx, db)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM requests WHERE "+cond, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting run %s's requests: %w", q.runID, err)
	}
	return n, nil
}

// orderBy is the ORDER BY of the view's order, or of its reverse, which
// puts the NULLs first and the ids in descending order.
func (q requestQuery) orderBy(reverse bool) string {
	dir := "ASC"
	if q.desc != reverse {
		dir = "DESC"
	}
	if q.key == "" {
		return "request_id " + dir
	}
	if reverse {
		return fmt.Sprintf("%s %s NULLS FIRST, request_id DESC", q.key, dir)
	}
	return fmt.Sprintf("%s %s NULLS LAST, request_id ASC", q.key, dir)
}

// bound is the condition that keeps the rows from b on (or before it), in
// the view's order.
func (q requestQuery) bound(b keyBound) (string, []any) {
	if b.op == fromStart || b.op == fromEnd {
		return "", nil
	}
	later, earlier := ">", "<" // in the view's order
	if q.desc {
		later, earlier = "<", ">"
	}
	idAfter := ">"
	if b.op == fromKey {
		idAfter = ">="
	}
	k, v, id := "("+q.key+")", b.key.val, b.key.id
	switch {
	case q.key == "" && b.op == beforeKey:
		return " AND request_id " + earlier + " ?", []any{id}
	case q.key == "" && b.op == fromKey:
		return " AND request_id " + later + "= ?", []any{id}
	case q.key == "":
		return " AND request_id " + later + " ?", []any{id}
	case b.op == beforeKey && v == nil: // the NULLs come last
		return fmt.Sprintf(" AND (%s IS NOT NULL OR request_id < ?)", k), []any{id}
	case b.op == beforeKey:
		return fmt.Sprintf(" AND (%s %s ? OR (%s = ? AND request_id < ?))", k, earlier, k), []any{v, v, id}
	case v == nil:
		return fmt.Sprintf(" AND %s IS NULL AND request_id %s ?", k, idAfter), []any{id}
	}
	return fmt.Sprintf(" AND (%s %s ? OR (%s = ? AND request_id %s ?) OR %s IS NULL)", k, later, k, idAfter, k), []any{v, v, id}
}

// fetch is the page of at most limit rows from b (keyFetch).
func (q requestQuery) fetch(ctx context.Context, db *sql.DB, limit int, b keyBound) ([]sqlCol, [][]string, []rowKey, error) {
	cond, args, err := q.where(ctx, db)
	if err != nil {
		return nil, nil, nil, err
	}
	keys, err := q.pageKeys(ctx, db, cond, args, limit, b)
	if err != nil {
		return nil, nil, nil, err
	}
	ids := make([]string, len(keys))
	at := make(map[string]int, len(keys)) // an id's row on the page
	for i, k := range keys {
		ids[i] = strconv.FormatInt(k.id, 10)
		at[ids[i]] = i
	}
	show := requestCols + " WHERE false"
	if len(ids) > 0 { // ids read from the store, written as integers
		show = requestCols + " WHERE run_id = ? AND request_id IN (" + strings.Join(ids, ", ") + ")"
	}
	cols, rows, err := queryStrings(db, ctx, show, q.runID)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("reading run %s's requests: %w", q.runID, err)
	}
	if len(rows) != len(keys) {
		return nil, nil, nil, fmt.Errorf("run %s: %d of the page's %d requests read back", q.runID, len(rows), len(keys))
	}
	slices.SortFunc(rows, func(a, b []string) int { return at[a[0]] - at[b[0]] })
	return cols, rows, keys, nil
}

// pageKeys is the keys of the page's rows, in the view's order.
func (q requestQuery) pageKeys(ctx context.Context, db *sql.DB, cond string, args []any, limit int, b keyBound) ([]rowKey, error) {
	sel := "request_id, NULL"
	if q.key != "" {
		sel = "request_id, " + q.key
	}
	bound, bargs := q.bound(b)
	stmt := fmt.Sprintf("SELECT %s FROM requests WHERE %s%s ORDER BY %s LIMIT %d", sel, cond, bound, q.orderBy(b.reversed()), max(limit, 0))
	rows, err := db.QueryContext(ctx, stmt, append(slices.Clip(args), bargs...)...)
	if err != nil {
		return nil, fmt.Errorf("finding a page of run %s's requests: %w", q.runID, err)
	}
	defer rows.Close()
	var keys []rowKey
	for rows.Next() {
		var k rowKey
		if err := rows.Scan(&k.id, &k.val); err != nil {
			return nil, fmt.Errorf("finding a page of run %s's requests: %w", q.runID, err)
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("finding a page of run %s's requests: %w", q.runID, err)
	}
	if b.reversed() {
		slices.Reverse(keys)
	}
	return keys, nil
}
