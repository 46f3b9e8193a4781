package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"aiecon/data"
)

// sqlHistory is the SQL console's query history for the dashboard's
// session (shared by every SQL screen opened): ↑ on the editor's first
// line steps back, ↓ on its last line forward, and stepping past the
// newest brings back what was being typed, as a shell does.
type sqlHistory struct {
	entries []string
	pos     int    // index of the entry shown; len(entries) is the draft
	draft   string // the text being typed when the user stepped back
}

// maxSQLHistory bounds the history: older queries drop off.
const maxSQLHistory = 200

// add records a query that ran (not a repeat of the last one) and goes
// back to the draft position.
func (h *sqlHistory) add(q string) {
	q = strings.TrimSpace(q)
	if q != "" && (len(h.entries) == 0 || h.entries[len(h.entries)-1] != q) {
		h.entries = append(h.entries, q)
		if len(h.entries) > maxSQLHistory {
			h.entries = slices.Delete(h.entries, 0, len(h.entries)-maxSQLHistory)
		}
	}
	h.pos, h.draft = len(h.entries), ""
}

// prev is the entry before the one shown; current is the editor's text,
// kept as the draft when leaving it. ok is false at the oldest entry.
func (h *sqlHistory) prev(current string) (string, bool) {
	if h.pos == 0 {
		return "", false
	}
	if h.pos == len(h.entries) {
		h.draft = current
	}
	h.pos--
	return h.entries[h.pos], true
}

// next is the entry after the one shown, then the draft; ok is false on
// the draft.
func (h *sqlHistory) next() (string, bool) {
	if h.pos >= len(h.entries) {
		return "", false
	}
	h.pos++
	if h.pos == len(h.entries) {
		return h.draft, true
	}
	return h.entries[h.pos], true
}

// complete finds what completes prefix among names (case-insensitive,
// each name once): the text to insert (the common part of every match
// beyond the prefix) and the matches, for the user to see when there are
// several.
func complete(prefix string, names []string) (insert string, matches []string) {
	if prefix == "" {
		return "", nil
	}
	lp := strings.ToLower(prefix)
	for _, n := range names {
		if strings.HasPrefix(strings.ToLower(n), lp) && !slices.Contains(matches, n) {
			matches = append(matches, n)
		}
	}
	if len(matches) == 0 {
		return "", nil
	}
	slices.Sort(matches)
	common := []rune(matches[0])
	for _, m := range matches[1:] {
		r := []rune(m)
		k := 0
		for k < len(common) && k < len(r) && unicode.ToLower(common[k]) == unicode.ToLower(r[k]) {
			k++
		}
		common = common[:k]
	}
	return string(common[len([]rune(prefix)):]), matches
}

// wordBefore is the identifier that ends at column col of line: letters,
// digits and underscores, what a table or column name is made of.
func wordBefore(line []rune, col int) string {
	col = min(col, len(line))
	start := col
	for start > 0 && (unicode.IsLetter(line[start-1]) || unicode.IsDigit(line[start-1]) || line[start-1] == '_') {
		start--
	}
	return string(line[start:col])
}

// sqlNamesMsg carries the store's table, view and column names, the
// console's completions.
type sqlNamesMsg struct {
	addr
	names     []string
	relations string // "views: … · tables: …"
	err       error
}

func (m sqlNamesMsg) loadErr() error { return m.err }

// loadSQLNames reads the names of the store's tables and views and their
// columns from DuckDB's catalog.
func loadSQLNames(c *conn, to int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := c.queryCtx()
		defer cancel()
		msg := sqlNamesMsg{addr: addr{to}}
		msg.err = c.read(func(st *data.Store) error {
			var err error
			if msg.relations, err = relationsLine(ctx, st); err != nil {
				return err
			}
			return appendStrings(ctx, st, `SELECT DISTINCT table_name FROM information_schema.tables
				UNION SELECT DISTINCT column_name FROM information_schema.columns ORDER BY 1`, &msg.names)
		})
		return msg
	}
}

// relationsLine lists the store's views, then its tables, from its
// catalog: the console's reminder of what there is to query. It was once a
// fixed list, which forgot the forecast tables when they came.
func relationsLine(ctx context.Context, st *data.Store) (string, error) {
	rows, err := st.DB().QueryContext(ctx, `SELECT table_name, table_type = 'VIEW' FROM information_schema.tables
		ORDER BY table_type = 'VIEW' DESC, table_name`)
	if err != nil {
		return "", fmt.Errorf("listing the store's tables: %w", err)
	}
	defer rows.Close()
	var views, tables []string
	for rows.Next() {
		var name string
		var view bool
		if err := rows.Scan(&name, &view); err != nil {
			return "", fmt.Errorf("listing the store's tables: %w", err)
		}
		if view {
			views = append(views, name)
		} else {
			tables = append(tables, name)
		}
	}
	return "views: " + strings.Join(views, " ") + " · tables: " + strings.Join(tables, " "), rows.Err()
}
