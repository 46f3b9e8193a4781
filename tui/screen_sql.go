package tui

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/format"
)

// sqlScreen is a read-only SQL console: an editor, the result paged
// through the store (LIMIT/OFFSET, never the whole result in memory), and
// export of the whole result to CSV or Parquet with DuckDB's COPY.
type sqlScreen struct {
	base
	ed       textarea.Model
	res      *pager
	focusRes bool
	ran      string            // the query of the result shown
	bound    data.BoundedQuery // ran, each value bounded (sqlBound)
	// errTop is the first line of a failed query's error shown (scrolled),
	// and errFor the error it scrolls: it goes back to the top only when
	// the error shown changes (errChanged).
	errTop int
	errFor string

	// exp is this console's export in progress (shared.export), nil when
	// none.
	exp *sqlExport

	exporting bool // the export's file name is being typed
	// exportTo is the export's file name. It opens empty with the default
	// (results.csv, then the last name given) as its placeholder: a
	// pre-filled name had what was typed appended to it
	// (results.csv/tmp/x/q.csv).
	exportTo  textinput.Model
	exportDef string
}

const defaultQuery = "SELECT * FROM run_summary ORDER BY started_at DESC"

var sqlKeys = struct {
	run, export, focus, hist, pages, cols, stopExport, stopQuery key.Binding
}{
	run:        key.NewBinding(key.WithKeys("ctrl+r", "f5"), key.WithHelp("ctrl+r", "run")),
	export:     key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "export CSV/Parquet")),
	focus:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete a name / results")),
	hist:       key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "history (first/last line)")),
	pages:      key.NewBinding(key.WithKeys("n", "p"), key.WithHelp("n/p", "next/previous page")),
	cols:       key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "scroll columns")),
	stopExport: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop the export")),
	stopQuery:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "stop the query")),
}

// sqlExport is an export in progress: ctrl+s starts it, esc stops it
// (stop cancels its COPY), and until its exportedMsg comes the status line
// says how long it has run and what it has written.
type sqlExport struct {
	owner    int // the console that started it: closing it stops the export
	path     string
	tmp      string // the temporary file it writes (data.ExportTempPath)
	seq      int
	stop     context.CancelFunc
	started  time.Time
	elapsed  time.Duration
	written  int64 // bytes of the temporary file at the last look
	stopping bool  // esc was pressed; the COPY is being interrupted
}

// exportedMsg is an export's outcome, for the screen: the export no longer
// runs. What it wrote or why it failed goes to the footer in a notice of
// its own (exportDone), which shows whatever screen is on top by then.
type exportedMsg struct {
	addr
	seq  int
	path string
	rows int64
	err  error
}

func (m exportedMsg) loadErr() error { return m.err }

// exportTickMsg is a look at a running export's temporary file.
type exportTickMsg struct {
	addr
	seq     int
	at      time.Time
	written int64
}

// exportTickEvery is how often the status line of a running export
// looks at the file it writes.
const exportTickEvery = time.Second

func newSQLScreen(sh *shared, query string) *sqlScreen {
	s := &sqlScreen{base: newBase(sh), ed: newSQLEditor(sh.st, 5)}
	if query == "" {
		query = defaultQuery
	}
	s.ed.SetValue(query)
	s.ed.Focus()
	s.res = newPager(sh, s.sid)
	s.exportDef = "results.csv"
	s.exportTo = newLineInput(sh.st, "export to (.csv or .parquet): ", s.exportDef)
	return s
}

func (s *sqlScreen) title() string { return "SQL" }

func (s *sqlScreen) init() tea.Cmd {
	if s.sh.sqlNames == nil {
		return tea.Batch(s.run(), loadSQLNames(s.sh.conn, s.sid))
	}
	return s.run()
}

func (s *sqlScreen) resize(w, h int) {
	s.w, s.h = w, h
	eh := 5
	if h >= 40 {
		eh = 10
	}
	s.ed.SetHeight(eh)
	s.ed.SetWidth(w)
	sizeLine(&s.exportTo, w)
	// Editor, rule, hint, table, status.
	s.res.tbl.setSize(w, max(h-eh-3, 2))
}

func (s *sqlScreen) mode() keyMode {
	if s.exporting || !s.focusRes {
		return keysText
	}
	return keysNormal
}

// back: esc in the results goes back to the editor.
func (s *sqlScreen) back() bool {
	if s.focusRes {
		s.focusRes = false
		s.ed.Focus()
		return true
	}
	s.leave()
	return false
}

// leave stops the query as the screen leaves the stack by any road
// (leaver), :back and :runs as well as esc: it must not run on for
// queryTimeout for a screen gone.
func (s *sqlScreen) leave() { s.res.cancel() }

// backCmd: esc while an export runs stops it, whichever part has the
// keyboard, and the screen stays; the next esc goes back as usual. So
// does esc while the result is being counted: it stops the count.
func (s *sqlScreen) backCmd() (bool, tea.Cmd) {
	if s.exp == nil {
		return s.res.stopCount(), nil // the count, likewise (its status says so)
	}
	s.stopExport()
	return true, nil
}

// errQueryStopped takes the result's place of a query that ctrl+c
// stopped before its first page came.
var errQueryStopped = errors.New("the query was stopped (ctrl+c) before its result came: ctrl+r runs it again")

// running says whether the console's query runs: a page on its way, its
// count while the status says "counting…" (a short result's count,
// known from its one page, ends unseen), or an export. (Its check,
// data.CheckQuery, only parses and binds it.)
func (s *sqlScreen) running() bool {
	return s.res.loading || s.res.counting && s.res.total < 0 || s.exp != nil
}

// interrupt is ctrl+c while the console's query runs: it stops what runs
// (the page on its way, the count, an export) through their
// contexts, keeps the typed query and the screen, and says so in the
// footer. done is false when nothing runs: ctrl+c then quits, as
// everywhere. Ctrl+c quit the dashboard mid-query and lost the query, the
// reflex key for "stop this" throwing away the session.
func (s *sqlScreen) interrupt() (done bool, cmd tea.Cmd) {
	if !s.running() {
		return false, nil
	}
	var stopped []string
	switch s.res.interrupt(errQueryStopped) {
	case stoppedPage:
		stopped = append(stopped, "the query")
	case stoppedCount:
		stopped = append(stopped, "the count of its rows")
	}
	if s.exp != nil && !s.exp.stopping {
		s.stopExport()
		stopped = append(stopped, "the export to "+s.exp.path)
	}
	s.errChanged()
	if len(stopped) == 0 { // an export already stopping: say it, do not quit
		return true, notice("the export is stopping; ctrl+c again once it has stopped quits", false)
	}
	return true, notice("stopped "+strings.Join(stopped, " and ")+" · ctrl+c again quits the dashboard", false)
}

// stopExport interrupts the export in progress; its exportedMsg says when
// it has stopped.
func (s *sqlScreen) stopExport() {
	s.exp.stop()
	s.exp.stopping = true
}

func (s *sqlScreen) keys() []key.Binding {
	if s.exporting {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "export")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		}
	}
	ks := []key.Binding{sqlKeys.run, sqlKeys.export, sqlKeys.focus}
	if s.exp != nil { // esc stops it first, from the editor or the results
		ks = []key.Binding{sqlKeys.stopExport, sqlKeys.run, sqlKeys.focus}
	}
	if s.running() { // ctrl+c stops it rather than quit (interrupt)
		ks = append([]key.Binding{sqlKeys.stopQuery}, ks...)
	}
	switch {
	case s.focusRes:
		ks = append(ks, sqlKeys.pages, sqlKeys.cols)
	case s.exp != nil:
		ks = append(ks, sqlKeys.hist)
	default:
		ks = append(ks, sqlKeys.hist, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")))
	}
	return ks
}

// readOnlyQuery is the console's first, quick look at a query: it returns
// it without a trailing semicolon and turns away a statement that plainly
// changes something (its first word, after comments, is a known write)
// without asking the store. Anything else, a query or a word it does not
// know (a typo such as SELEC), goes on to data.CheckQuery (checkedQuery),
// with DuckDB's parser, which says what the text is as `aiecon sql` does,
// and under it the sandbox the console's store is opened in.
func readOnlyQuery(q string) (string, error) {
	q = trimTail(q)
	if q == "" {
		return "", errors.New("type a query first (e.g. " + defaultQuery + ")")
	}
	first := firstWord(q)
	if first == "" {
		return "", errors.New("type a query first: the text holds only comments (e.g. " + defaultQuery + ")")
	}
	if writeKeywords[first] {
		return "", fmt.Errorf("the SQL console only reads: %s statements are not run here (aiecon sql --write changes the store)", first)
	}
	return q, nil
}

// writeKeywords start statements that change the store or reach outside it;
// the console refuses them before asking the store.
var writeKeywords = map[string]bool{
	"INSERT": true, "UPDATE": true, "DELETE": true, "MERGE": true, "UPSERT": true, "TRUNCATE": true,
	"CREATE": true, "DROP": true, "ALTER": true, "COMMENT": true,
	"COPY": true, "EXPORT": true, "IMPORT": true, "ATTACH": true, "DETACH": true, "USE": true,
	"INSTALL": true, "LOAD": true, "FORCE": true, "SET": true, "RESET": true, "PRAGMA": true, "CALL": true,
	"CHECKPOINT": true, "VACUUM": true, "ANALYZE": true, "BEGIN": true, "START": true,
	"COMMIT": true, "ROLLBACK": true, "ABORT": true, "END": true, "PREPARE": true, "EXECUTE": true, "DEALLOCATE": true,
}

// trimTail drops the whitespace and semicolons that end a query, also
// those before the comments that end it (SELECT 1; -- cheapest first),
// which it keeps, each on a line of its own: the console runs the query
// inside a subquery, where a semicolon is a syntax error and a comment is
// harmless. Strings and quoted names ('--x', "a;b", a doubled quote inside)
// and comments are read whole, so a ; or -- inside them is text. A query
// that ends in no semicolon is returned as typed, trimmed.
func trimTail(q string) string {
	end, semi := 0, false // end: just past the last code; semi: a ; after it
	var comments []string
	for i := 0; i < len(q); {
		switch {
		case strings.HasPrefix(q[i:], "--"):
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			comments = append(comments, strings.TrimRightFunc(q[i:i+j], unicode.IsSpace))
			i += j
		case strings.HasPrefix(q[i:], "/*"):
			j := len(q) - i
			if k := strings.Index(q[i+2:], "*/"); k >= 0 {
				j = k + 4
			}
			comments = append(comments, q[i:i+j])
			i += j
		case q[i] == ';':
			semi = true
			i++
		case q[i] == ' ' || q[i] == '\t' || q[i] == '\n' || q[i] == '\r':
			i++
		default:
			if q[i] == '\'' || q[i] == '"' {
				i = quotedEnd(q, i)
			} else {
				i++
			}
			end, semi, comments = i, false, nil
		}
	}
	if !semi {
		return strings.TrimSpace(q)
	}
	out := strings.TrimSpace(q[:end])
	for _, c := range comments {
		out += "\n" + c
	}
	return strings.TrimSpace(out)
}

// quotedEnd is the index just past the string or quoted name that opens at
// q[i] (a doubled quote inside it is part of it), or len(q) when it is not
// closed.
func quotedEnd(q string, i int) int {
	quote := q[i]
	for j := i + 1; j < len(q); j++ {
		if q[j] != quote {
			continue
		}
		if j+1 < len(q) && q[j+1] == quote {
			j++
			continue
		}
		return j + 1
	}
	return len(q)
}

// firstWord is the first word of q after whitespace, opening parentheses
// and complete comments (-- to the end of the line, /* */), upper case; ""
// when q holds nothing else.
func firstWord(q string) string {
	for {
		q = strings.TrimLeftFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == '(' })
		switch {
		case strings.HasPrefix(q, "--"):
			i := strings.IndexByte(q, '\n')
			if i < 0 {
				return ""
			}
			q = q[i+1:]
			continue
		case strings.HasPrefix(q, "/*"):
			i := strings.Index(q, "*/")
			if i < 0 {
				return ""
			}
			q = q[i+2:]
			continue
		}
		end := strings.IndexFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && r != '_' })
		switch {
		case end < 0:
			end = len(q)
		case end == 0 && q != "":
			return q[:1] // not a word (1+1, a quote): DuckDB says what it is
		}
		return strings.ToUpper(q[:end])
	}
}

// sqlCheckedMsg carries the verdict of data.CheckQuery on a query to run,
// and the query bounded (sqlBound) when it passed.
type sqlCheckedMsg struct {
	addr
	query string
	bound data.BoundedQuery
	err   error
}

func (s *sqlScreen) run() tea.Cmd {
	q, err := readOnlyQuery(s.ed.Value())
	if err != nil {
		s.refuse(err)
		return nil
	}
	c, to := s.sh.conn, s.sid
	return func() tea.Msg {
		ctx, cancel := c.queryCtx()
		defer cancel()
		msg := sqlCheckedMsg{addr: addr{to}, query: q}
		msg.err = c.read(func(st *data.Store) error {
			if err := data.CheckQuery(ctx, st.DB(), q); err != nil {
				return err
			}
			msg.bound = sqlBound(ctx, st.DB(), q)
			return nil
		})
		return msg
	}
}

// maxValueBytes is the most of one value other than a text that a page of
// the console fetches, as aiecon sql's table does: the driver copies each
// value into Go whole, past DuckDB's memory limit, and a page of 200
// texts of 5 MB took 2.1 GB to show 256 characters of each. A variable,
// so that tests need not allocate such sizes.
var maxValueBytes int64 = 1 << 20

// sqlBound is q (CheckQuery passed it) with each value bounded in DuckDB
// before the driver fetches it (data.BoundQuery): of a text the first
// maxCellRunes characters and one more, which tells the cell to cut; of
// any other value at most maxValueBytes, past which the page fails naming
// the column (tooLarge). Where the wrapped query does not pass the check
// itself, q is read unbounded, as aiecon sql does.
func sqlBound(ctx context.Context, db *sql.DB, q string) data.BoundedQuery {
	b := data.BoundQuery(ctx, db, q, data.ValueBounds{TextRunes: maxCellRunes + 1, MaxBytes: maxValueBytes})
	if data.CheckQuery(ctx, db, b.Select) != nil {
		return data.BoundedQuery{Select: "SELECT * FROM (" + q + "\n) AS q"}
	}
	return b
}

// start pages through a query that data.CheckQuery accepted. The query
// starts on the first line of the wrappers, so that DuckDB's "LINE n" in
// an error is the editor's line.
func (s *sqlScreen) start(q string, b data.BoundedQuery) tea.Cmd {
	s.ran, s.bound = q, b
	page := func(limit, offset int) string {
		return fmt.Sprintf("%s LIMIT %d OFFSET %d", b.Select, limit, offset)
	}
	return s.res.start(page, "SELECT count(*) FROM ("+q+"\n) AS q", -1)
}

// refuse shows why the query in the editor was not run whole in the
// result's place (errorView), as a query that fails does, DuckDB's LINE n
// and its caret kept: in the footer, flattened to one line and gone at
// the next key, it left the result of the query before under the new
// text. There is then no result to export (ctrl+s).
func (s *sqlScreen) refuse(err error) {
	s.ran, s.bound = "", data.BoundedQuery{}
	s.res.refuse(err)
	s.errChanged()
}

// tooLarge is err said in words, with what to do, when it is DuckDB's
// refusal of a value past maxValueBytes; other errors are returned as
// they are.
func (s *sqlScreen) tooLarge(err error) error {
	c, size, ok := s.bound.TooLarge(err)
	if !ok {
		return err
	}
	value := fmt.Sprintf("column %q holds a value of %s bytes", c.Name, format.Thousands(size))
	if c.Type != "VARCHAR" && c.Type != "BLOB" {
		value += " as text"
	}
	return fmt.Errorf("%s, more than the %s the console fetches of a value other than text (of a text it fetches what a cell shows): "+
		"select a part of it in the query (a list's first elements: list[1:10]), or export the result (ctrl+s), which writes every value whole",
		value, format.SizeLimit(maxValueBytes))
}

func (s *sqlScreen) update(msg tea.Msg) tea.Cmd {
	// DuckDB's LINE 1 quoted the wrappers the console runs the query in
	// (sqlBound, the count): it quotes the editor's line instead.
	switch m := msg.(type) {
	case pageMsg:
		m.err = data.UserLine(s.tooLarge(m.err), s.ran)
		msg = m
	case countMsg:
		m.err = data.UserLine(m.err, s.ran)
		msg = m
	}
	if ok, cmd := s.res.handle(msg); ok {
		s.errChanged()
		return cmd
	}
	switch m := msg.(type) {
	case sqlNamesMsg:
		if m.err == nil {
			s.sh.sqlNames, s.sh.sqlRelations = m.names, m.relations
		}
		return nil
	case sqlCheckedMsg:
		switch {
		case errors.Is(m.err, data.ErrNotAQuery):
			s.refuse(fmt.Errorf("the SQL console only reads: %w", m.err))
			return nil
		case m.err != nil: // a syntax error, a missing table: the query is wrong, not a write
			s.refuse(m.err)
			return nil
		}
		return s.start(m.query, m.bound)
	case exportedMsg:
		if s.exp != nil && s.exp.seq == m.seq {
			s.exp = nil
		}
		return nil
	case exportTickMsg:
		if s.exp == nil || s.exp.seq != m.seq {
			return nil
		}
		s.exp.elapsed, s.exp.written = m.at.Sub(s.exp.started), m.written
		return exportTick(s.sid, m.seq, s.exp.tmp)
	case refreshMsg:
		return s.run()
	case tea.PasteMsg:
		var cmd tea.Cmd
		if s.exporting {
			s.exportTo, cmd = s.exportTo.Update(m)
		} else if !s.focusRes {
			s.ed, cmd = s.ed.Update(m)
		}
		return cmd
	case tea.KeyPressMsg:
		return s.handleKey(m)
	}
	return nil
}

func (s *sqlScreen) handleKey(m tea.KeyPressMsg) tea.Cmd {
	if s.exporting {
		switch m.String() {
		case "esc":
			s.exporting = false
			s.exportTo.Blur()
		case "enter":
			s.exporting = false
			s.exportTo.Blur()
			if p := strings.TrimSpace(s.exportTo.Value()); p != "" {
				s.exportDef = p
			}
			return s.export(s.exportDef)
		default:
			var cmd tea.Cmd
			s.exportTo, cmd = s.exportTo.Update(m)
			return cmd
		}
		return nil
	}
	if !s.focusRes {
		if cmd, done := s.assist(m); done {
			return cmd
		}
	}
	switch {
	case key.Matches(m, sqlKeys.run):
		s.sh.sqlHist.add(s.ed.Value())
		return s.run()
	case key.Matches(m, sqlKeys.export):
		if s.ran == "" {
			return notice("run a query first (ctrl+r)", true)
		}
		if refusal := s.exportRunning(); refusal != "" {
			return notice(refusal, true)
		}
		s.exporting = true
		setLine(&s.exportTo, "")
		s.exportTo.Placeholder = s.exportDef
		return s.exportTo.Focus()
	case key.Matches(m, sqlKeys.focus):
		s.focusRes = !s.focusRes
		if s.focusRes {
			s.ed.Blur()
			return nil
		}
		return s.ed.Focus()
	}
	if s.focusRes {
		if s.res.err != nil && s.scrollError(m.String()) {
			return nil
		}
		_, cmd := s.res.key(m)
		return cmd
	}
	if m.String() == "esc" && s.exp != nil {
		s.stopExport()
		return nil
	}
	if m.String() == "esc" && s.res.stopCount() {
		return nil
	}
	if m.String() == "esc" {
		s.res.cancel() // the screen closes: its query must not run on for queryTimeout
		return cmdOf(paletteActionMsg{action: "back"})
	}
	var cmd tea.Cmd
	s.ed, cmd = s.ed.Update(m)
	return cmd
}

// assist is the editor's history (↑ on the first line, ↓ on the last)
// and completion (tab after part of a name; tab after nothing to complete
// or after a whole name still moves to the results). done says it used
// the key.
func (s *sqlScreen) assist(m tea.KeyPressMsg) (cmd tea.Cmd, done bool) {
	info := s.ed.LineInfo()
	switch m.String() {
	case "up":
		if s.ed.Line() == 0 && info.RowOffset == 0 {
			if q, ok := s.sh.sqlHist.prev(s.ed.Value()); ok {
				s.ed.SetValue(q)
			}
			return nil, true
		}
	case "down":
		if s.ed.Line() == s.ed.LineCount()-1 && info.RowOffset >= info.Height-1 {
			if q, ok := s.sh.sqlHist.next(); ok {
				s.ed.SetValue(q)
			}
			return nil, true
		}
	case "tab":
		lines := strings.Split(s.ed.Value(), "\n")
		word := wordBefore([]rune(lines[min(s.ed.Line(), len(lines)-1)]), s.ed.Column())
		ins, matches := complete(word, s.sh.sqlNames)
		// A whole name that prefixes others (requests, requests_v) would
		// otherwise keep tab listing them, and the keys meant for the
		// results would be typed into the query.
		whole := slices.ContainsFunc(matches, func(n string) bool { return strings.EqualFold(n, word) })
		if len(matches) == 0 || whole {
			return nil, false
		}
		s.ed.InsertString(ins)
		if len(matches) > 1 {
			return notice(fmt.Sprintf("%d names: %s", len(matches), strings.Join(matches, " ")), false), true
		}
		return nil, true
	}
	return nil, false
}

// export writes the whole result of the query shown (not just the page)
// with DuckDB's COPY (data.Store.ExportQuery), in the format the file
// name's extension says. It runs until it is done, esc stops it
// (stopExport) or closing the console does (App.stopOrphanExport), or
// queryTimeout passes, as a query; meanwhile it holds the
// store against writers, which the status line says (exportStatus).
func (s *sqlScreen) export(path string) tea.Cmd {
	path = strings.TrimSpace(path)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".parquet":
	default:
		return notice(fmt.Sprintf("export: %q must end in .csv or .parquet", path), true)
	}
	abs, err := outputPath(path)
	if err != nil {
		return notice("export: "+err.Error(), true)
	}
	ctx, stop := context.WithCancel(s.sh.conn.ctx) // closing the dashboard still ends it
	s.sh.expSeq++
	tmp := data.ExportTempPath(abs)
	s.exp = &sqlExport{owner: s.sid, path: abs, tmp: tmp, seq: s.sh.expSeq, stop: stop, started: time.Now()}
	s.sh.export = s.exp
	c, to, seq, q := s.sh.conn, s.sid, s.exp.seq, s.ran
	run := func() tea.Msg {
		defer stop()
		qctx, cancel := c.queryCtxIn(ctx)
		defer cancel()
		msg := exportedMsg{addr: addr{to}, seq: seq, path: abs}
		msg.err = c.read(func(st *data.Store) error {
			n, err := st.ExportQueryVia(qctx, q, abs, tmp)
			msg.rows = n
			return err
		})
		return exportDone(msg, qctx.Err())
	}
	return tea.Batch(run, exportTick(to, seq, tmp))
}

// exportRunning says why ctrl+s starts no export, "" when it may: one
// runs at a time in the dashboard, this console's or another's.
func (s *sqlScreen) exportRunning() string {
	e := s.sh.export
	switch {
	case e == nil:
		return ""
	case e.stopping:
		return "the export to " + e.path + " is stopping: ctrl+s again once it has"
	case e == s.exp:
		return "an export to " + e.path + " is running: esc stops it"
	}
	return "an export to " + e.path + " is running in another SQL console: esc there stops it, as closing that console does"
}

// exportDone delivers an export's outcome: to the screen, and to the
// footer as a notice, which shows even when the screen was closed
// meanwhile (:back, :runs), where the screen's own notice was dropped and
// a failure went unsaid. stopped is the export's context's error: it
// tells esc (or the dashboard closing) and the time limit from a failure.
func exportDone(m exportedMsg, stopped error) tea.Msg {
	var text string
	isErr := m.err != nil
	switch {
	case m.err == nil:
		// Exact: "1.00M rows" read as rounded for exactly 1,000,000.
		text = fmt.Sprintf("exported %s rows to %s", format.Thousands(m.rows), m.path)
	case errors.Is(stopped, context.Canceled): // asked for: no error
		text, isErr = "export to "+m.path+" stopped: nothing was written", false
	case errors.Is(stopped, context.DeadlineExceeded):
		text = fmt.Sprintf("export to %s stopped after %v, the longest a dashboard query runs (it holds the store against writers): "+
			"nothing was written", m.path, queryTimeout)
	default:
		text = "export failed: " + oneLine(m.err.Error())
	}
	return tea.BatchMsg{cmdOf(m), notice(text, isErr)}
}

// exportTick looks, after exportTickEvery, at what the export seq has
// written so far: DuckDB writes the result to its temporary file tmp
// (data.ExportTempPath), which takes the target's place when it is
// complete.
func exportTick(to, seq int, tmp string) tea.Cmd {
	return tea.Tick(exportTickEvery, func(at time.Time) tea.Msg {
		msg := exportTickMsg{addr: addr{to}, seq: seq, at: at}
		if fi, err := os.Stat(tmp); err == nil {
			msg.written = fi.Size()
		}
		return msg
	})
}

// exportStatus is the status line of a running export.
func (s *sqlScreen) exportStatus() string {
	if s.exp.stopping {
		return "stopping the export to " + s.exp.path + "…"
	}
	st := "exporting to " + s.exp.path + "…"
	if s.exp.elapsed > 0 {
		st += fmt.Sprintf(" %d s, %s written", int(s.exp.elapsed.Seconds()), byteSize(s.exp.written))
	}
	return st + " · esc stops it (it holds the store against writers)"
}

// byteSize writes a size in bytes, KB, MB or GB (powers of 1000), to
// three figures.
func byteSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1e6:
		return format.Sig(float64(n)/1e3) + " KB"
	case n < 1e9:
		return format.Sig(float64(n)/1e6) + " MB"
	}
	return format.Sig(float64(n)/1e9) + " GB"
}

// scrollError scrolls a failed query's error, shown in the results' place
// (errorView); used says the key was one of its.
func (s *sqlScreen) scrollError(k string) (used bool) {
	page := max(s.res.tbl.height-1, 1)
	switch k {
	case "down", "j":
		s.errTop++
	case "up", "k":
		s.errTop--
	case "pgdown", "space":
		s.errTop += page
	case "pgup":
		s.errTop -= page
	case "home", "g":
		s.errTop = 0
	case "end", "G":
		s.errTop = math.MaxInt32 // errorView clamps it
	default:
		return false
	}
	s.errTop = max(s.errTop, 0)
	return true
}

// errChanged puts the error's scroll back to the top when the error the
// pager holds, once no page is on its way, is another than the one
// scrolled. Every page that arrived did, stale or not: the error a user
// had scrolled to its end jumped back to its start when a page asked for
// before came late, when n asked again for the page that failed and it
// failed alike, or when the query was run again (ctrl+r, :refresh, the
// store free again) to the same error. While a page is on its way the
// pager holds no error (start clears it), and the count, answering
// first, would have read as the error gone.
func (s *sqlScreen) errChanged() {
	if s.res.loading {
		return
	}
	text := ""
	if s.res.err != nil {
		text = s.res.err.Error()
	}
	if text != s.errFor {
		s.errFor, s.errTop = text, 0
	}
}

// errorLines is a failed query's error laid out for width w: whole, with
// DuckDB's own line breaks (the LINE n and the ^ under it), long lines
// wrapped. The status line once showed it, cut at the width.
func errorLines(err error, w int) []string {
	return strings.Split(ansi.Wrap(strings.TrimRight(err.Error(), "\n"), max(w, 1), ""), "\n")
}

// errorView is a failed query's error in the results' place, h lines
// from errTop (clamped), and the status line that goes with it.
func (s *sqlScreen) errorView(w, h int) (body, status string) {
	lines := errorLines(s.res.err, w)
	s.errTop = min(s.errTop, max(len(lines)-h, 0))
	end := min(s.errTop+h, len(lines))
	status = "the query failed: its error is above"
	switch {
	case errors.Is(s.res.err, errQueryStopped):
		status = "the query was stopped: ctrl+r runs it again"
	case s.ran == "": // refused before it ran (refuse)
		status = "the query was not run: why is above"
	}
	if s.res.moveFailed() {
		status = fmt.Sprintf("page %d failed: its error is above · p: back to page %d", s.res.failed+1, s.res.page+1)
	}
	if len(lines) > h {
		how := "↑/↓ scroll"
		if !s.focusRes {
			how = "tab, ↑/↓ scroll" // the results have the keys after tab
		}
		status = fmt.Sprintf("error lines %d–%d of %d · %s", s.errTop+1, end, len(lines), how)
		if s.res.moveFailed() {
			status += fmt.Sprintf(" · p: back to page %d", s.res.page+1)
		}
	}
	return s.sh.st.errText.Render(strings.Join(lines[s.errTop:end], "\n")), status
}

func (s *sqlScreen) view(w, h int) string {
	st := s.sh.st
	edView := s.ed.View()
	rule := "results"
	if s.focusRes {
		rule = st.acc.Render("results (focused)")
	}
	lines := []string{fitBlock(edView, w, s.ed.Height()),
		st.muted.Render(fitWidth(s.sh.sqlRelations, w)),
		rule + st.muted.Render(" "+strings.Repeat("─", max(w-lipgloss.Width(rule)-1, 0)))}
	body := s.res.tbl.view()
	status := st.muted.Render(s.res.statusFit(w))
	switch {
	case s.res.err != nil:
		var text string
		body, text = s.errorView(w, s.res.tbl.height)
		status = st.errText.Render(fitWidth(text, w))
	case s.res.cols == nil:
		body = st.muted.Render("ctrl+r runs the query")
	}
	lines = append(lines, fitBlock(body, w, s.res.tbl.height))
	switch {
	case s.exporting:
		status = lineView(s.exportTo)
	case s.exp != nil:
		status = st.acc.Render(fitWidth(s.exportStatus(), w))
	}
	lines = append(lines, status)
	return strings.Join(lines, "\n")
}
