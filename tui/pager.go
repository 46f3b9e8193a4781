package tui

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/format"
)

// pager shows the result of a query a page at a time: it asks the store
// for pageSize rows and only ever holds that page, so a result of millions
// of rows costs no more than one of a hundred. (Rows of huge values are
// the page query's to bound: the SQL console's cuts each value in DuckDB,
// sqlBound, as the driver copies a value whole.) Moving past the last row of
// a page fetches the next one. Pages are found with LIMIT/OFFSET, or, for
// a result in a known order of unique keys (a run's requests), by key:
// OFFSET makes the database sort and skip all the rows before the page,
// which grows with the page number, while a page by key asks only for the
// rows past the key a page next to it ended on.
type pager struct {
	sh       *shared
	owner    int                            // screen the results go to
	sql      func(limit, offset int) string // the page query
	keyset   keyFetch                       // or: a page by key (startKeyset)
	starts   map[int]rowKey                 // keyset: the first key of each page seen
	keys     []rowKey                       // keyset: the keys of the rows shown
	countSQL string                         // counts the rows; "" when total is known
	counter  countFetch                     // or: counts them so (startKeyset)
	args     []any
	pageSize int

	page     int
	want     int   // the page the keys asked for: page, or one on the way (seek)
	total    int64 // -1 while unknown
	cols     []sqlCol
	rows     [][]string
	err      error
	failed   int // the page whose query failed with err
	loading  bool
	elapsed  time.Duration
	seq      int // the newest request; older answers are dropped
	countSeq int // the request the current query's count was asked with
	// counting: the count runs, holding the store against writers, and
	// countStop ends it alone (stopCount); countStopped: it was ended so.
	counting, countStopped bool
	countStop              context.CancelFunc

	tbl        *table
	wantCursor int // where the cursor goes when the next page arrives (-1: last row)

	// loadingPage is the page on its way while loading (interrupt).
	loadingPage int

	// qctx is the parent of the current query's page and count queries;
	// stop cancels it, so a screen that leaves (or starts another query)
	// does not leave a runaway query holding the file for queryTimeout.
	qctx context.Context
	stop context.CancelFunc
}

type sqlCol struct {
	name, typ string
	numeric   bool
}

type pageMsg struct {
	addr
	seq     int
	page    int
	cols    []sqlCol
	rows    [][]string
	keys    []rowKey // keyset: each row's key
	elapsed time.Duration
	err     error
}

// rowKey is a row's place in a result paged by key: the value it is sorted
// by (nil where it is NULL, or where the order is by id alone) and its id,
// unique, which orders the rows of equal values.
type rowKey struct {
	val any
	id  int64
}

// keyBound says where a page by key starts: at the first row, at a key or
// just past it, or it is the rows just before a key or the last rows, which
// are asked for in reverse order.
type keyBound struct {
	op  boundOp
	key rowKey
}

type boundOp int

const (
	fromStart boundOp = iota
	fromKey           // the key's row and those after it
	afterKey          // the rows after the key's
	beforeKey         // the rows before the key's, nearest first
	fromEnd           // the last rows, the last first
)

// reversed says the database returns the rows nearest the bound first,
// that is, in reverse order.
func (b keyBound) reversed() bool { return b.op == beforeKey || b.op == fromEnd }

// keyFetch reads at most limit rows from bound b of a result paged by key,
// in the result's order (a reversed bound's rows put back in it), with each
// row's key; it runs in a Cmd, inside conn.read.
type keyFetch func(ctx context.Context, db *sql.DB, limit int, b keyBound) (cols []sqlCol, rows [][]string, keys []rowKey, err error)

// countFetch counts the rows of a result paged by key.
type countFetch func(ctx context.Context, db *sql.DB) (int64, error)

func (m pageMsg) loadErr() error { return m.err }

type countMsg struct {
	addr
	seq int
	n   int64
	err error
}

const defaultPageSize = 200

func newPager(sh *shared, owner int) *pager {
	return &pager{sh: sh, owner: owner, pageSize: defaultPageSize, total: -1, tbl: newTable(sh.st, nil)}
}

// start runs a new query from its first page.
func (p *pager) start(pageSQL func(limit, offset int) string, countSQL string, total int64, args ...any) tea.Cmd {
	p.cancel()
	p.qctx, p.stop = context.WithCancel(p.sh.conn.ctx)
	p.sql, p.keyset, p.countSQL, p.counter, p.args, p.total = pageSQL, nil, countSQL, nil, args, total
	p.page, p.want, p.rows, p.keys, p.cols, p.err = 0, 0, nil, nil, nil, nil
	p.countSeq = 0 // no count of an earlier query may set this one's total (count() sets it)
	p.counting, p.countStopped = false, false
	p.tbl.cursor, p.tbl.offset, p.tbl.skip = 0, 0, 0
	p.wantCursor = 0
	if pageSQL == nil { // startKeyset fetches once the key is set
		return nil
	}
	cmds := []tea.Cmd{p.fetch(0)}
	if countSQL != "" {
		cmds = append(cmds, p.count())
	}
	return tea.Batch(cmds...)
}

// refuse puts err in the place of the result for a query that was not
// run (refused before it reached the store: a write, a syntax error):
// the result of the query before, and any page or count of it still on
// its way, no longer show, since they would sit under a query they do not
// belong to.
func (p *pager) refuse(err error) {
	p.cancel()
	p.seq++ // an answer still on its way is the query before's: dropped
	p.sql, p.keyset, p.countSQL, p.counter, p.args, p.total = nil, nil, "", nil, nil, -1
	p.page, p.want, p.rows, p.keys, p.cols, p.err = 0, 0, nil, nil, nil, err
	p.countSeq, p.loading = 0, false
	p.counting, p.countStopped = false, false
	p.tbl.cursor, p.tbl.offset, p.tbl.skip = 0, 0, 0
	p.tbl.setRows(nil)
}

// startKeyset runs a query paged by key (keyFetch), with total rows, or,
// where total < 0, as many as counter counts. The pages after the first
// go from the last key of the page before; the last page (G) goes back
// from the end, and the pages before it from the first key of the page
// after, so no page costs more than the first however deep it lies.
func (p *pager) startKeyset(fetch keyFetch, counter countFetch, total int64) tea.Cmd {
	p.start(nil, "", total)
	p.keyset, p.counter, p.starts = fetch, counter, map[int]rowKey{}
	if counter != nil && total < 0 {
		return tea.Batch(p.fetch(0), p.count())
	}
	return p.fetch(0)
}

// pageBound is where page starts by key, and how many rows it holds at
// most.
func (p *pager) pageBound(page int) (keyBound, int) {
	if from, ok := p.starts[page]; ok {
		return keyBound{op: fromKey, key: from}, p.pageSize
	}
	if page == 0 {
		return keyBound{op: fromStart}, p.pageSize
	}
	if page == p.page+1 && len(p.keys) > 0 { // the page after the current one
		return keyBound{op: afterKey, key: p.keys[len(p.keys)-1]}, p.pageSize
	}
	if to, ok := p.starts[page+1]; ok { // the page before one whose start is known
		return keyBound{op: beforeKey, key: to}, p.pageSize
	}
	// The last page, from the end: what is left after the full pages.
	return keyBound{op: fromEnd}, int(p.total) - page*p.pageSize
}

// lastPageIndex is the number of the last page, -1 while the total is
// unknown.
func (p *pager) lastPageIndex() int {
	if p.total < 0 {
		return -1
	}
	return max(int((p.total-1)/int64(p.pageSize)), 0)
}

// cancel interrupts the current query's page and count queries.
func (p *pager) cancel() {
	if p.stop != nil {
		p.stop()
	}
}

// stopped is what interrupt stopped.
type stopped int

const (
	stoppedNothing stopped = iota
	stoppedPage            // a page on its way (and the count, if it ran)
	stoppedCount           // the count alone: the page shown stays
)

// interrupt stops the current query's page on its way and its count
// (ctrl+c in the SQL console), and keeps the pager usable: the page shown
// stays, with err as a failed move's error (p goes back to it), or err
// takes the result's place where no page came yet. The stopped page's
// answer is dropped, and later pages and counts get a fresh context: the
// cancelled one would fail them at once.
func (p *pager) interrupt(err error) stopped {
	if !p.loading {
		if p.stopCount() {
			return stoppedCount
		}
		return stoppedNothing
	}
	p.stopCount()
	p.cancel()
	p.qctx, p.stop = context.WithCancel(p.sh.conn.ctx)
	p.seq++
	p.loading = false
	p.err, p.failed, p.want = err, p.loadingPage, p.page
	if p.cols == nil {
		// No page of this query came: the rows still in the table are the
		// query's before (the Requests tab's previous sort), which read as
		// this one's under its error.
		p.tbl.setRows(nil)
	}
	return stoppedPage
}

// fetch asks for page, and makes it the page the pager goes to.
func (p *pager) fetch(page int) tea.Cmd {
	p.want = page
	return p.load(page)
}

// seek asks for the next page on the way to want, unless a page is
// loading: keys pressed meanwhile only move want, and the page's arrival
// seeks on (handle), so that n n moves two pages and g G ends on the last.
// A page by key (Requests) may need the pages between (nextStep).
func (p *pager) seek() tea.Cmd {
	if last := p.lastPageIndex(); last >= 0 && p.want > last {
		p.want = last
	}
	if p.loading || p.want == p.page {
		return nil
	}
	return p.load(p.nextStep())
}

// nextStep is the page to ask for on the way to want: want itself where
// its query can be written from what is known (the first page, the last
// by the count, any by offset once the total is known or behind the
// current page, a key range whose start or end a page walked gave), else
// the page next to the current one towards it. An offset past an
// uncounted end is not asked for: an empty page only says where the
// result ends when it is the one after the current page.
func (p *pager) nextStep() int {
	t := p.want
	_, known := p.starts[t]
	_, knownAfter := p.starts[t+1]
	switch {
	case t == 0, t == p.lastPageIndex(), t == p.page+1, t == p.page-1:
		return t
	case p.keyset == nil && (t < p.page || p.total >= 0):
		return t
	case p.keyset != nil && (known || knownAfter):
		return t
	case t > p.page:
		return p.page + 1
	}
	return p.page - 1
}

// load asks the store for page.
func (p *pager) load(page int) tea.Cmd {
	p.seq++
	p.loading, p.loadingPage = true, page
	seq, to, c, parent := p.seq, p.owner, p.sh.conn, p.qctx
	var read func(ctx context.Context, db *sql.DB, msg *pageMsg) error
	if p.keyset != nil {
		fetch := p.keyset
		bound, limit := p.pageBound(page)
		read = func(ctx context.Context, db *sql.DB, msg *pageMsg) (err error) {
			msg.cols, msg.rows, msg.keys, err = fetch(ctx, db, limit, bound)
			return err
		}
	} else {
		q, args := p.sql(p.pageSize, page*p.pageSize), p.args
		read = func(ctx context.Context, db *sql.DB, msg *pageMsg) (err error) {
			msg.cols, msg.rows, err = queryStrings(db, ctx, q, args...)
			return err
		}
	}
	return func() tea.Msg {
		ctx, cancel := c.queryCtxIn(parent)
		defer cancel()
		msg := pageMsg{addr: addr{to}, seq: seq, page: page}
		t0 := time.Now()
		msg.err = c.read(func(st *data.Store) error { return read(ctx, st.DB(), &msg) })
		msg.elapsed = time.Since(t0)
		return msg
	}
}

func (p *pager) count() tea.Cmd {
	p.countSeq = p.seq
	var cctx context.Context
	cctx, p.countStop = context.WithCancel(p.qctx)
	p.counting = true
	seq, to, c, q, args, stop := p.seq, p.owner, p.sh.conn, p.countSQL, p.args, p.countStop
	counter := p.counter
	if counter == nil {
		counter = func(ctx context.Context, db *sql.DB) (n int64, err error) {
			return n, db.QueryRowContext(ctx, q, args...).Scan(&n)
		}
	}
	return func() tea.Msg {
		defer stop()
		ctx, cancel := c.queryCtxIn(cctx)
		defer cancel()
		msg := countMsg{addr: addr{to}, seq: seq}
		msg.err = c.read(func(st *data.Store) (err error) {
			msg.n, err = counter(ctx, st.DB())
			return err
		})
		return msg
	}
}

// handle takes the pager's own messages; it reports whether msg was one,
// and asks for the next page on the way to the one the keys asked for.
func (p *pager) handle(msg tea.Msg) (bool, tea.Cmd) {
	switch m := msg.(type) {
	case pageMsg:
		if m.seq != p.seq {
			return true, nil
		}
		p.loading = false
		p.elapsed = m.elapsed
		if m.err != nil {
			p.err, p.want, p.failed = m.err, p.page, m.page // stay: the keys asked for a page that failed
			return true, nil
		}
		p.err = nil
		if len(m.rows) == 0 && m.page > 0 { // walked past the end
			p.total = int64(m.page * p.pageSize)
			p.want = p.page
			return true, nil
		}
		p.page, p.cols, p.rows, p.keys = m.page, m.cols, m.rows, m.keys
		if p.keyset != nil && len(m.keys) > 0 {
			p.starts[m.page] = m.keys[0]
		}
		if len(m.rows) < p.pageSize && p.total < 0 {
			p.total = int64(m.page*p.pageSize + len(m.rows))
		}
		p.setTable()
		return true, p.seek()
	case countMsg:
		// The count of this query, not of an earlier one (another filter
		// or sort) that answered late: G picks the last page by it.
		if m.seq == p.countSeq {
			p.counting = false
			if m.err == nil {
				p.total = m.n
			}
		}
		return true, nil
	}
	return false, nil
}

// stopCount ends the count of the current query, which holds the store
// against writers for as long as it runs (up to queryTimeout on a huge
// result), and keeps the page shown; it reports whether one was running.
func (p *pager) stopCount() bool {
	if !p.counting {
		return false
	}
	p.countStop()
	p.counting, p.countStopped = false, true
	return true
}

func (p *pager) setTable() {
	cols := make([]column, len(p.cols))
	for i, c := range p.cols {
		w := utf8.RuneCountInString(c.name)
		for _, r := range p.rows {
			w = max(w, utf8.RuneCountInString(r[i]))
		}
		cols[i] = column{title: c.name, width: min(max(w, 4), 40), right: c.numeric}
	}
	p.tbl.cols = cols
	rows := make([][]cell, len(p.rows))
	for i, r := range p.rows {
		row := make([]cell, len(r))
		for k, v := range r {
			row[k] = c(v)
			if v == "NULL" {
				row[k].tone = toneMuted
			}
		}
		rows[i] = row
	}
	p.tbl.setRows(rows)
	if p.wantCursor < 0 {
		p.tbl.cursor = len(rows) - 1
	} else {
		p.tbl.cursor = p.wantCursor
	}
	p.tbl.clamp()
}

func (p *pager) lastPage() bool {
	return p.total >= 0 && int64((p.page+1)*p.pageSize) >= p.total
}

// hasPageAfter says whether the result may have a page after page pg.
func (p *pager) hasPageAfter(pg int) bool {
	if last := p.lastPageIndex(); last >= 0 {
		return pg < last
	}
	// Uncounted: a full page may have another after it; a page on the way
	// is not loaded yet, and its arrival says.
	return pg != p.page || len(p.rows) == p.pageSize
}

// goTo makes pg the page to go to, with the cursor on its first row
// (cursor 0) or its last (-1): the last key pressed wins, whatever is
// loading (seek).
func (p *pager) goTo(pg, cursor int) tea.Cmd {
	p.want, p.wantCursor = pg, cursor
	return p.seek()
}

// moveFailed says that a page move failed while a page is held: the page
// shown before it is still there to go back to (backToPage).
func (p *pager) moveFailed() bool { return p.err != nil && p.cols != nil && !p.loading }

// backToPage leaves a failed page move's error for the page held before
// it, from which the keys move (and retry) again; it reports whether there
// was one. Without it a move that failed from the first page left the
// error up with no key to leave it (p had no page before to go to) but
// running the query again.
func (p *pager) backToPage() bool {
	if !p.moveFailed() {
		return false
	}
	p.err, p.want = nil, p.page
	return true
}

// key moves through the rows and pages; it reports whether it used the key.
// The pages keys move from the page asked for, which is the page shown
// unless one is on the way.
func (p *pager) key(m tea.KeyPressMsg) (bool, tea.Cmd) {
	if k := m.String(); (k == "p" || k == "[") && p.backToPage() {
		return true, nil
	}
	switch m.String() {
	case "down", "j":
		if p.tbl.cursor == len(p.rows)-1 && len(p.rows) == p.pageSize && !p.lastPage() && !p.loading {
			return true, p.goTo(p.page+1, 0)
		}
	case "up", "k":
		if p.tbl.cursor == 0 && p.page > 0 && !p.loading {
			return true, p.goTo(p.page-1, -1)
		}
	case "n", "]":
		if p.hasPageAfter(p.want) {
			return true, p.goTo(p.want+1, 0)
		}
		return true, nil
	case "p", "[":
		if p.want > 0 {
			return true, p.goTo(p.want-1, 0)
		}
		return true, nil
	case "end", "G": // the last row of the whole result, not of the page
		if last := p.lastPageIndex(); last > p.page || (last >= 0 && p.want != last) {
			return true, p.goTo(last, -1)
		}
	case "home", "g":
		if p.page > 0 || p.want > 0 {
			return true, p.goTo(0, 0)
		}
	case "right", "l":
		if p.tbl.skip < len(p.cols)-1 {
			p.tbl.skip++
		}
		return true, nil
	case "left", "h":
		if p.tbl.skip > 0 {
			p.tbl.skip--
		}
		return true, nil
	}
	return p.tbl.handleKey(m), nil
}

// status is the line under the table: rows shown of how many, the page
// and how long the query took.
func (p *pager) status() string { return p.statusIn(0) }

// statusFit is the status in w columns: where the full line does not fit
// (the SQL console at 44 columns cut "columns 1–3 of 12 (←/→)" to
// "columns 1…"), the query's time is left out and the column range and
// the count's note are said short, before what still does not fit is cut.
func (p *pager) statusFit(w int) string {
	if s := p.status(); ansi.StringWidth(s) <= w {
		return s
	}
	return fitWidth(p.statusIn(w), w)
}

// statusIn is the status, short when w > 0.
func (p *pager) statusIn(w int) string {
	short := w > 0
	switch {
	case p.moveFailed():
		return fmt.Sprintf("page %d failed: %s · p: back to page %d", p.failed+1, oneLine(p.err.Error()), p.page+1)
	case p.err != nil:
		return "error: " + oneLine(p.err.Error())
	case p.cols == nil && p.loading:
		return "running…"
	case p.cols == nil:
		return ""
	}
	// Row numbers print exactly (format.Thousands), not compactly: past a
	// million the compact form rounds to three digits, and the last page
	// of 2,053,437 rows read "rows 2.05M–2.05M of 2.05M".
	first := int64(p.page*p.pageSize + 1)
	last := int64(p.page*p.pageSize + len(p.rows))
	total := "counting…"
	switch {
	case p.total >= 0:
		total = format.Thousands(p.total)
	case p.countStopped:
		total = "? (not counted)"
	}
	var s string
	switch {
	case len(p.rows) == 0 && p.page == 0:
		s = "no rows" // not "rows 0–0 of 0 · page 1/1"
	case len(p.rows) == 0:
		s = fmt.Sprintf("no rows on page %d of %s", p.page+1, total)
	default:
		// The pages too: "page 1/5000000" read beside "of 1,000,000,000".
		s = fmt.Sprintf("rows %s–%s of %s · page %s", format.Thousands(first), format.Thousands(last), total, format.Thousands(int64(p.page+1)))
		if p.total >= 0 {
			s += "/" + format.Thousands(max((p.total+int64(p.pageSize)-1)/int64(p.pageSize), 1))
		}
	}
	if !short {
		s += fmt.Sprintf(" · %d ms", p.elapsed.Milliseconds())
	}
	if p.loading {
		s += " · loading…"
	}
	if p.counting && p.total < 0 {
		// The count is the query run in full: on a huge result it holds
		// the store for minutes while the status only said counting….
		s += pick(short, " · esc stops the count", " · the count holds the store against writers: esc stops it")
	}
	// The table leaves out whole the columns that do not fit: say which
	// show, or a wide result would not say it has more.
	if idx, _ := p.tbl.layout(); len(idx) > 0 && (p.tbl.skip > 0 || len(idx) < len(p.cols)) {
		from, to := idx[0]+1, idx[len(idx)-1]+1
		s += pick(short, fmt.Sprintf(" · cols %d–%d/%d ←/→", from, to, len(p.cols)),
			fmt.Sprintf(" · columns %d–%d of %d (←/→)", from, to, len(p.cols)))
	}
	return s
}

// pick is short where short is set, else long.
func pick(short bool, shortForm, long string) string {
	if short {
		return shortForm
	}
	return long
}

// queryStrings runs a query and formats every value for display.
func queryStrings(db *sql.DB, ctx context.Context, q string, args ...any) ([]sqlCol, [][]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, nil, err
	}
	if err := data.CheckReadable(types); err != nil { // the driver's own error names no column
		return nil, nil, err
	}
	cols := make([]sqlCol, len(types))
	parsed := make([]data.ColumnType, len(types)) // read once, not per cell
	for i, t := range types {
		cols[i] = sqlCol{name: t.Name(), typ: t.DatabaseTypeName(), numeric: numericType(t.DatabaseTypeName())}
		parsed[i] = data.ParseColumnType(cols[i].typ)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out [][]string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = formatCell(v, parsed[i], cols[i].typ)
		}
		out = append(out, row)
	}
	return cols, out, rows.Err()
}

func numericType(t string) bool {
	switch {
	case strings.HasPrefix(t, "DECIMAL"):
		return true
	}
	switch t {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
		"UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "REAL":
		return true
	}
	return false
}

// maxCellRunes is the most of a value a results cell keeps: a column is 40
// wide at most, and a value of a gigabyte was kept whole on every page and
// measured for its column's width (sql reads any query's values).
const maxCellRunes = 256

// cutCell cuts s after maxCellRunes runes with "…", copying only what it keeps.
func cutCell(s string) string {
	out, _ := format.CutRunes(s, maxCellRunes)
	return out
}

// formatCell prints a database value for a table cell, its column's type
// read once (ct; typ its name): NULL, numbers in full precision (as aiecon
// sql prints them), times in UTC, blobs in hex, lists and structs as JSON
// (as aiecon sql prints them: [1,2,3], {"a":1}); cut at maxCellRunes,
// before text or bytes are copied.
func formatCell(v any, ct data.ColumnType, typ string) string {
	switch x := ct.Value(v).(type) {
	case nil:
		return "NULL"
	case float64:
		return formatFloat(x, 64)
	case float32:
		return formatFloat(float64(x), 32)
	case time.Time:
		if typ == "DATE" {
			return x.Format("2006-01-02")
		}
		return x.UTC().Format("2006-01-02 15:04:05.000")
	case []byte:
		if utf8.Valid(x) { // enough bytes for one rune past the cut
			return cutCell(string(x[:min(len(x), utf8.UTFMax*(maxCellRunes+1))]))
		}
		if n := (maxCellRunes - 2) / 2; len(x) > n { // two hex digits a byte after \x
			return `\x` + hex.EncodeToString(x[:n]) + "…"
		}
		return `\x` + hex.EncodeToString(x)
	case string:
		return strings.ReplaceAll(cutCell(x), "\n", "⏎")
	default: // converted: an interval in a list prints as DuckDB writes it
		text, ok := data.NestedText(x) // a list or struct as aiecon sql prints it
		if !ok {
			text = fmt.Sprint(x)
		}
		return strings.ReplaceAll(cutCell(text), "\n", "⏎")
	}
}

// formatFloat prints a double (bits 64) or a float (32) as the shortest
// text that reads back as the same number, as aiecon sql does
// (17352.188996931163, 1.234567891e+06: rounding to fewer digits made two
// values read alike); a whole number below 1e15 without an exponent
// (1000000, not 1e+06).
func formatFloat(f float64, bits int) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}
