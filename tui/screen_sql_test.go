package tui

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
)

// sqlShared is a shared state reading the store at path.
func sqlShared(t *testing.T, path string) *shared {
	t.Helper()
	sh := &shared{conn: newConn(path, -1), st: newStyles(), ctx: context.Background(),
		opts: Options{Path: path, Now: func() time.Time { return fixtureNow }, Location: time.UTC}}
	t.Cleanup(func() { sh.conn.close() })
	return sh
}

func sum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestSQLConsoleOnlyReads runs the attacks of issue 15 in the console: the
// parser guard refuses them, the sandbox under it refuses what reaches the
// store unchecked, and the store file does not change; export still works.
func TestSQLConsoleOnlyReads(t *testing.T) {
	path := copyFixture(t)
	dir := filepath.Dir(path)
	before := sum(t, path)
	sh := sqlShared(t, path)
	for _, q := range []string{
		"SELECT 1; COPY (SELECT 'x') TO '" + path + "'",
		"WITH x AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM x",
		"SELECT * FROM read_text('/etc/passwd')",
		"SELECT * FROM glob('/root/**')",
		"SELECT * FROM '/etc/passwd'",
		"FROM query('SELECT 1')",
	} {
		s := newSQLScreen(sh, q)
		msgs := msgsOf(s.run())
		m, ok := msgs[0].(sqlCheckedMsg)
		if !ok || m.err == nil {
			t.Errorf("%q: %#v, want a refusal", q, msgs)
			continue
		}
		if s.update(m); s.res.err == nil || !strings.Contains(s.res.err.Error(), "only reads") {
			t.Errorf("%q: the result's place shows %v", q, s.res.err)
		}
	}
	// Under the guard: the console's store is DuckDB's sandbox.
	for _, q := range []string{
		"COPY (SELECT 'x') TO '" + path + "'",
		"EXPORT DATABASE '" + filepath.Join(dir, "exp") + "'",
		"ATTACH '" + filepath.Join(dir, "other.duckdb") + "' AS o (READ_WRITE)",
		"SELECT * FROM read_csv('/etc/passwd')",
		"SET enable_external_access = true",
		"INSTALL httpfs",
	} {
		err := sh.conn.read(func(st *data.Store) error {
			_, err := st.DB().Exec(q)
			return err
		})
		if err == nil {
			t.Errorf("%q ran on the console's store", q)
		}
	}
	if sum(t, path) != before {
		t.Error("the store file changed")
	}

	// A typo is a syntax error, as `aiecon sql` says, not a write; a
	// comment before the query is no reason to refuse it.
	s := newSQLScreen(sh, "SELEC 1")
	if m, ok := msgsOf(s.run())[0].(sqlCheckedMsg); !ok || m.err == nil {
		t.Errorf("SELEC 1: %#v, want DuckDB's syntax error", m)
	} else if s.update(m); s.res.err == nil || strings.Contains(s.res.err.Error(), "only reads") || !strings.Contains(s.res.err.Error(), `syntax error at or near "SELEC"`) {
		t.Errorf("SELEC 1: the result's place shows %v", s.res.err)
	}
	s = newSQLScreen(sh, "-- cheapest runs\nSELECT name FROM runs ORDER BY name")
	if m, ok := msgsOf(s.run())[0].(sqlCheckedMsg); !ok || m.err != nil {
		t.Errorf("a query after a comment: %#v", m)
	}

	s = newSQLScreen(sh, "SELECT name FROM runs ORDER BY name")
	if m, ok := msgsOf(s.run())[0].(sqlCheckedMsg); !ok || m.err != nil {
		t.Fatalf("a plain query: %#v", m)
	} else {
		s.update(m)
	}
	out := filepath.Join(dir, "names.csv")
	m, ok := msgsOf(s.export(out))[0].(exportedMsg)
	if !ok || m.err != nil || m.rows == 0 {
		t.Fatalf("export: %#v", m)
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(b), "name\nbaseline\n") {
		t.Errorf("exported %q, %v", b, err)
	}
}

// TestPagerCancelStopsItsQuery: a pager's cancel (the SQL screen closing, or
// a new query) interrupts its query in flight; a runaway console query ran
// on for queryTimeout after esc, holding the file against writers.
func TestPagerCancelStopsItsQuery(t *testing.T) {
	sh := sqlShared(t, fixturePath)
	p := newPager(sh, 1)
	runaway := func(limit, offset int) string {
		return fmt.Sprintf("SELECT count(*) FROM range(1000000000000) a, range(10) b LIMIT %d OFFSET %d", limit, offset)
	}
	p.start(runaway, "", -1) // sets the query's context; its own Cmd is not run
	done := make(chan tea.Msg, 1)
	go func() { done <- p.fetch(0)() }()
	time.Sleep(200 * time.Millisecond) // let DuckDB start
	p.cancel()
	select {
	case msg := <-done:
		if m, ok := msg.(pageMsg); !ok || m.err == nil {
			t.Errorf("cancelled query answered %#v, want a pageMsg with an error", msg)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the query still runs 20 s after cancel")
	}
}

// TestSQLExportPromptDefault: ctrl+s opens the file name empty, the
// default as its placeholder, so that a name typed replaces it (it was
// appended to a pre-filled results.csv: results.csv/tmp/x/q.csv); the
// name given becomes the next default.
func TestSQLExportPromptDefault(t *testing.T) {
	s := newSQLScreen(testShared(), "SELECT 1")
	s.resize(100, 30)
	s.ran = "SELECT 1"
	s.update(keyMsg("ctrl+s"))
	if v := ansi.Strip(s.view(100, 30)); !strings.Contains(v, "export to (.csv or .parquet): results.csv") {
		t.Errorf("the prompt does not show its default:\n%s", v)
	}
	for _, k := range "q.txt" {
		s.update(keyMsg(string(k)))
	}
	m, ok := msgsOf(s.update(keyMsg("enter")))[0].(noticeMsg)
	if !ok || !strings.Contains(m.text, `"q.txt" must end in`) {
		t.Fatalf("typed q.txt: %#v", m)
	}
	s.update(keyMsg("ctrl+s"))
	if s.exportTo.Value() != "" || s.exportTo.Placeholder != "q.txt" {
		t.Errorf("reopened with %q, placeholder %q", s.exportTo.Value(), s.exportTo.Placeholder)
	}
}

// runSQL runs q in the console s as ctrl+r does: the check, then the first
// page and the count, each answer handled; it returns the Go memory the
// page and count took.
func runSQL(t *testing.T, s *sqlScreen, q string) uint64 {
	t.Helper()
	s.ed.SetValue(q)
	msgs := msgsOf(s.run())
	m, ok := msgs[0].(sqlCheckedMsg)
	if !ok || m.err != nil {
		t.Fatalf("%q: %#v", q, msgs)
	}
	cmd := s.update(m)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	answers := msgsOf(cmd)
	runtime.ReadMemStats(&after)
	for _, a := range answers {
		s.update(a)
	}
	return after.TotalAlloc - before.TotalAlloc
}

// TestSQLConsoleFetchesOnlyWhatItShows: DuckDB cuts a text to what a cell
// shows before the driver copies it, as aiecon sql does: a page of 200
// texts of 5 MB took 2.1 GB, the driver copying each whole before the
// cell cut it. Any other value past maxValueBytes fails the page, naming
// the column and what to do.
func TestSQLConsoleFetchesOnlyWhatItShows(t *testing.T) {
	sh := sqlShared(t, fixturePath)
	s := newSQLScreen(sh, "")
	s.resize(100, 30)
	const size = 32 << 20
	q := fmt.Sprintf("SELECT i, repeat('é', %d + i) AS big FROM range(2) t(i)", size/2) // computed, as from a table
	alloc := runSQL(t, s, q)
	if s.res.err != nil || len(s.res.rows) != 2 || s.res.rows[1][1] != strings.Repeat("é", maxCellRunes)+"…" {
		t.Fatalf("err %v, rows %.300q", s.res.err, s.res.rows)
	}
	if alloc > 2*size/4 {
		t.Errorf("showing %d characters of two texts of %d bytes allocated %d bytes", maxCellRunes, size, alloc)
	}

	defer func(n int64) { maxValueBytes = n }(maxValueBytes)
	maxValueBytes = 1000
	runSQL(t, s, "SELECT 1 AS n, range(1000) AS l")
	want := `column "l" holds a value of 4,890 bytes as text, more than the 1,000 bytes the console fetches of a value other than text`
	if s.res.err == nil || !strings.Contains(s.res.err.Error(), want) || !strings.Contains(s.res.err.Error(), "list[1:10]") {
		t.Errorf("a list past the bound: %v, want %q", s.res.err, want)
	}
	runSQL(t, s, "SELECT 1 AS n, range(10) AS l")
	if s.res.err != nil || s.res.rows[0][1] != "[0,1,2,3,4,5,6,7,8,9]" {
		t.Errorf("a list within the bound: %v %q", s.res.err, s.res.rows)
	}
}

// TestSQLErrorLineIsTheEditors: an error raised while the page runs, or
// while an export runs, names the editor's line; the query was on the
// wrappers' second line, and the error said LINE 3 for the editor's 2.
// Bounded or not (a query DuckDB cannot describe is read unbounded).
func TestSQLErrorLineIsTheEditors(t *testing.T) {
	sh := sqlShared(t, fixturePath)
	s := newSQLScreen(sh, "")
	out := filepath.Join(t.TempDir(), "x.csv")
	for _, q := range []string{"SELECT 1 AS a,\n  'abc'::INTEGER AS v", "SELECT 1 AS a,\n  nosuch AS v\nFROM run_summary"} {
		runSQL(t, s, q)
		if s.res.err == nil || !strings.Contains(s.res.err.Error(), "LINE 2:") {
			t.Errorf("%q: %v, want the error on LINE 2", q, s.res.err)
		}
		err := sh.conn.read(func(st *data.Store) error { _, err := st.ExportQuery(t.Context(), q, out); return err })
		if err == nil || !strings.Contains(err.Error(), "LINE 2:") {
			t.Errorf("%q exported: %v, want the error on LINE 2", q, err)
		}
	}
	// On the first line, the line quoted is the editor's, not the
	// wrapper's ("LINE 1: SELECT * FROM (SELECT nosuch …"), the caret
	// under the word at fault.
	q := "SELECT nosuch FROM run_summary"
	want := "LINE 1: " + q + "\n" + strings.Repeat(" ", len("LINE 1: SELECT ")) + "^"
	runSQL(t, s, q)
	if s.res.err == nil || !strings.Contains(s.res.err.Error(), want) {
		t.Errorf("%q: %v, want %q", q, s.res.err, want)
	}
	err := sh.conn.read(func(st *data.Store) error { _, err := st.ExportQuery(t.Context(), q, out); return err })
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("%q exported: %v, want %q", q, err, want)
	}
}

// TestSQLErrorsWhole: an error raised while the page runs shows whole in
// the results' place, scrolled with ↑/↓ when it is longer; it was cut to
// the status line's width.
func TestSQLErrorsWhole(t *testing.T) {
	sh := sqlShared(t, fixturePath)
	s := newSQLScreen(sh, "")
	s.resize(80, 22)
	runSQL(t, s, "SELECT cost_per_mtok_everything\nFROM run_summary")
	if s.res.err == nil {
		t.Fatal("no error")
	}
	whole := strings.Join(strings.Fields(s.res.err.Error()), " ")
	if v := strings.Join(strings.Fields(ansi.Strip(s.view(80, 22))), " "); !strings.Contains(v, whole) {
		t.Errorf("the screen does not show the error whole:\n%s\nwant %q", s.view(80, 22), whole)
	}

	// At 40×12 the error takes more lines than the results' 4: tab, then
	// ↓ scrolls it.
	s.resize(40, 12)
	lines := errorLines(s.res.err, 40)
	if len(lines) <= 5 {
		t.Fatalf("the error takes %d lines at 40 columns; the test needs more than 5", len(lines))
	}
	view := ansi.Strip(s.view(40, 12))
	if !strings.Contains(view, lines[0]) || strings.Contains(view, lines[4]) || !strings.Contains(view, fmt.Sprintf("lines 1–4 of %d", len(lines))) {
		t.Errorf("at 40×12:\n%s", view)
	}
	s.update(keyMsg("tab"))
	s.update(keyMsg("down"))
	if view = ansi.Strip(s.view(40, 12)); strings.Contains(view, lines[0]) || !strings.Contains(view, lines[4]) {
		t.Errorf("after ↓:\n%s", view)
	}
	s.update(keyMsg("G"))
	if view = ansi.Strip(s.view(40, 12)); !strings.Contains(view, lines[len(lines)-1]) {
		t.Errorf("after G:\n%s", view)
	}
}

// TestSQLExportStopsAndSaysSo: an export (ctrl+s) says that it runs and
// what it has written, esc stops it, from the editor or the results, and
// the screen stays; the temporary file goes and the name asked for is not
// written. Its outcome shows in the footer even once the screen is
// closed. An export ran under the dashboard's context alone: esc left it
// running, a hidden file grew to 2.6 GB with writers locked out, and its
// failure two minutes later went unsaid.
func TestSQLExportStopsAndSaysSo(t *testing.T) {
	path := copyFixture(t)
	dir := t.TempDir()
	a := New(Options{Path: path, IdleClose: -1})
	defer a.Close()
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	a.Update(openSQLMsg{query: "SELECT 1"})
	s := a.top().(*sqlScreen)
	s.ran = "SELECT i, i * 2 AS j FROM range(100000000000) t(i)" // as if run: the export reads it again
	// deliver hands the messages of cmd to the app, as the program does.
	deliver := func(cmd tea.Cmd) {
		for _, m := range msgsOf(cmd) {
			a.Update(m)
		}
	}
	// export starts an export to name with ctrl+s and returns its COPY,
	// started, and the look at its file.
	export := func(name string) (done <-chan tea.Msg, tick tea.Cmd) {
		t.Helper()
		a.Update(keyMsg("ctrl+s"))
		for _, k := range name {
			a.Update(keyMsg(string(k)))
		}
		_, cmd := a.Update(keyMsg("enter"))
		cmds, ok := cmd().(tea.BatchMsg)
		if !ok || len(cmds) != 2 {
			t.Fatalf("ctrl+s %s: %#v, want the export and its tick", name, cmd())
		}
		ch := make(chan tea.Msg, 1)
		go func() { ch <- cmds[0]() }()
		return ch, cmds[1]
	}
	// stop presses esc once the COPY writes, and hands its outcome to the
	// app.
	stop := func(name string, done <-chan tea.Msg, tick tea.Cmd) {
		t.Helper()
		out := filepath.Join(dir, name)
		if status := ansi.Strip(a.View().Content); !strings.Contains(status, "exporting to "+out+"…") || !strings.Contains(status, "esc stops it") {
			t.Errorf("%s: the screen does not say an export runs:\n%s", name, status)
		}
		deliver(tick) // a second on: what it has written
		if status := ansi.Strip(a.View().Content); !strings.Contains(status, " written · esc stops it") {
			t.Errorf("%s: no progress after a second:\n%s", name, status)
		}
		tmp := s.exp.tmp
		if _, err := os.Stat(tmp); err != nil {
			t.Fatalf("%s: the COPY writes no temporary file: %v", name, err)
		}
		a.Update(keyMsg("esc"))
		if a.top() != s {
			t.Fatalf("%s: esc left the screen while the export ran", name)
		}
		select {
		case m := <-done:
			deliver(func() tea.Msg { return m })
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: the export runs on 20 s after esc", name)
		}
		if s.exp != nil || !strings.Contains(a.notice, "export to "+out+" stopped: nothing was written") {
			t.Errorf("%s: after esc, export %v, notice %q", name, s.exp, a.notice)
		}
		time.Sleep(100 * time.Millisecond) // nothing writes after the COPY returned
		for _, f := range []string{out, tmp} {
			if _, err := os.Stat(f); !os.IsNotExist(err) {
				t.Errorf("%s: %s is left: %v", name, f, err)
			}
		}
	}

	done, tick := export(filepath.Join(dir, "editor.parquet"))
	// A second export waits for the first.
	if _, cmd := a.Update(keyMsg("ctrl+s")); cmd == nil || !strings.Contains(msgsOf(cmd)[0].(noticeMsg).text, "is running: esc stops it") {
		t.Error("ctrl+s started a second export")
	}
	stop("editor.parquet", done, tick)

	a.Update(keyMsg("tab")) // the results have the keyboard: esc is the root's
	done, tick = export(filepath.Join(dir, "results.parquet"))
	stop("results.parquet", done, tick)

	// An export whose failure arrives after its screen closed says so
	// (closing the screen stops an export, which has failed already).
	a.Update(keyMsg("tab"))
	s.ran = "SELECT 1"
	done, _ = export(filepath.Join(dir, "missing", "x.csv"))
	failed := <-done
	a.Update(paletteActionMsg{action: "back"})
	if _, ok := a.top().(*sqlScreen); ok {
		t.Fatal("the palette's back did not close the screen")
	}
	deliver(func() tea.Msg { return failed })
	if !strings.Contains(a.notice, "export failed: export to "+filepath.Join(dir, "missing", "x.csv")) || !a.noticeErr {
		t.Errorf("the failure of an export whose screen closed: notice %q", a.notice)
	}
}

// TestSQLExportTimeLimitSaysSo: an export stopped by the query time limit
// says so, not "failed" with DuckDB's word for an interrupt.
func TestSQLExportTimeLimitSaysSo(t *testing.T) {
	m := exportedMsg{addr: addr{3}, seq: 1, path: "/x/r.parquet", err: errors.New("INTERRUPT Error: Interrupted!")}
	var text string
	for _, msg := range msgsOf(func() tea.Msg { return exportDone(m, context.DeadlineExceeded) }) {
		if n, ok := msg.(noticeMsg); ok {
			text = n.text
		}
	}
	if want := "export to /x/r.parquet stopped after 2m0s, the longest a dashboard query runs"; !strings.Contains(text, want) {
		t.Errorf("notice %q, want %q", text, want)
	}
}

// TestSQLErrorKeepsItsScroll: a failed query's error, scrolled, stays
// where the user put it until the error shown changes. Every page that
// arrived put it back at the top: one asked for before that came late, n
// asking again for the page that failed (on a late page of the result),
// the query run again (ctrl+r, :refresh) to the same error.
func TestSQLErrorKeepsItsScroll(t *testing.T) {
	defer func(n int64) { maxValueBytes = n }(maxValueBytes)
	maxValueBytes = 1000 // a list of 1000 numbers is past it, and fails its page
	const (
		late  = "SELECT i, CASE WHEN i >= 200 THEN range(1000) END AS l FROM range(300) t(i)" // the second page fails
		first = "SELECT 1 AS n, range(1000) AS l FROM range(1) t(i)"                          // the first page fails
	)
	deliver := func(s *sqlScreen, cmd tea.Cmd) {
		for _, m := range msgsOf(cmd) {
			s.update(m)
		}
	}
	tests := []struct {
		name, query string
		then        func(t *testing.T, s *sqlScreen)
		top         bool // the error shown changed: back to its first line
	}{
		{"a page asked for before arrives late", late, func(t *testing.T, s *sqlScreen) {
			s.update(pageMsg{addr: addr{s.sid}, seq: s.res.seq - 1, rows: [][]string{{"0", "NULL"}}})
		}, false},
		{"the count arrives", late, func(t *testing.T, s *sqlScreen) {
			s.update(countMsg{addr: addr{s.sid}, seq: s.res.countSeq, n: 300})
		}, false},
		{"n asks again for the page that failed", late, func(t *testing.T, s *sqlScreen) {
			deliver(s, s.update(keyMsg("n")))
		}, false},
		{"the query is run again", first, func(t *testing.T, s *sqlScreen) { runSQL(t, s, first) }, false},
		{"the query is run again, its count answering before its page", first, func(t *testing.T, s *sqlScreen) {
			msgs := msgsOf(s.run())
			answers := msgsOf(s.update(msgs[0]))
			var counts, pages []tea.Msg
			for _, m := range answers {
				if _, ok := m.(countMsg); ok {
					counts = append(counts, m)
				} else {
					pages = append(pages, m)
				}
			}
			for _, m := range append(counts, pages...) {
				s.update(m)
			}
		}, false},
		{"run again, its first page shows, then n fails again", late, func(t *testing.T, s *sqlScreen) {
			runSQL(t, s, late)
			if s.res.err != nil {
				t.Fatalf("the first page failed: %v", s.res.err)
			}
			deliver(s, s.update(keyMsg("n")))
		}, true},
		{"another query fails otherwise", first, func(t *testing.T, s *sqlScreen) {
			runSQL(t, s, "SELECT 1 AS n, range(2000) AS l FROM range(1) t(i)")
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSQLScreen(sqlShared(t, fixturePath), "")
			s.resize(40, 12)
			runSQL(t, s, tt.query)
			s.update(keyMsg("tab"))
			if tt.query == late {
				if s.res.err != nil {
					t.Fatalf("the first page failed: %v", s.res.err)
				}
				deliver(s, s.update(keyMsg("n")))
			}
			if s.res.err == nil || len(errorLines(s.res.err, 40)) < 8 {
				t.Fatalf("the error %v does not take the 8 lines the test scrolls", s.res.err)
			}
			s.update(keyMsg("down"))
			s.update(keyMsg("down"))
			if st := ansi.Strip(s.view(40, 12)); !strings.Contains(st, "error lines 3–6 of") {
				t.Fatalf("↓ ↓ did not scroll the error to its third line:\n%s", st)
			}
			tt.then(t, s)
			want := "error lines 3–6 of"
			if tt.top {
				want = "error lines 1–4 of"
			}
			if st := ansi.Strip(s.view(40, 12)); s.res.err == nil || !strings.Contains(st, want) {
				t.Errorf("then %s: want %q:\n%s", tt.name, want, st)
			}
		})
	}
}

// TestSQLCountSaysItHoldsTheStore: while the console counts a result in
// the background (the query run in full, up to two minutes on a huge
// one) the status says the count holds the store against writers and that
// esc stops it; it said only "counting…". esc, from the editor or the
// result, then stops the count alone: the screen and its page stay, the
// total reads as not counted, and the next esc leaves.
func TestSQLCountSaysItHoldsTheStore(t *testing.T) {
	const holds = "the count holds the store against writers: esc stops it"
	for _, fromResult := range []bool{false, true} {
		s := newSQLScreen(testShared(), "SELECT * FROM range(10000000000000)")
		s.start("SELECT * FROM range(10000000000000)", data.BoundedQuery{Select: "SELECT * FROM range(10000000000000)"})
		rows := make([][]string, s.res.pageSize)
		for i := range rows {
			rows[i] = []string{"1"}
		}
		s.update(pageMsg{addr: addr{s.sid}, seq: s.res.seq, cols: []sqlCol{{name: "range"}}, rows: rows})
		if st := s.res.status(); !strings.Contains(st, "counting…") || !strings.Contains(st, holds) {
			t.Fatalf("status while counting: %q, want it to say %q", st, holds)
		}
		cctx := s.res.qctx // the count's context is a child of it
		var stopped bool
		if fromResult {
			s.focusRes = true
			stopped, _ = s.backCmd()
		} else {
			stopped = len(msgsOf(s.update(keyMsg("esc")))) == 0 // not back
		}
		if !stopped {
			t.Errorf("fromResult %v: esc while counting did not stop the count", fromResult)
		}
		st := s.res.status()
		if strings.Contains(st, holds) || !strings.Contains(st, "not counted") || !strings.Contains(st, "rows 1–200") {
			t.Errorf("fromResult %v: status after esc: %q, want the page shown and the total not counted", fromResult, st)
		}
		if cctx.Err() != nil {
			t.Errorf("fromResult %v: esc stopped the page queries too, not the count alone", fromResult)
		}
		if fromResult {
			if stopped, _ := s.backCmd(); stopped {
				t.Errorf("the next esc stopped a count again instead of going back")
			}
			continue
		}
		var back bool
		for _, m := range msgsOf(s.update(keyMsg("esc"))) {
			if a, ok := m.(paletteActionMsg); ok && a.action == "back" {
				back = true
			}
		}
		if !back {
			t.Errorf("the next esc did not leave the screen")
		}
	}
}

// TestSQLFailedPageMoveGoesBack: in the console, a page move that fails
// shows its error with the way back; p in the results shows the page held
// before it again, rather than leaving the error up until ctrl+r.
func TestSQLFailedPageMoveGoesBack(t *testing.T) {
	s := newSQLScreen(testShared(), "SELECT * FROM range(10)")
	s.resize(100, 30)
	s.start("SELECT * FROM range(10)", data.BoundedQuery{Select: "SELECT * FROM range(10)"})
	s.res.pageSize = 2
	s.update(pageMsg{addr: addr{s.sid}, seq: s.res.seq, cols: []sqlCol{{name: "range"}}, rows: [][]string{{"0"}, {"1"}}})
	s.focusRes = true
	if cmd := s.update(keyMsg("n")); cmd == nil {
		t.Fatal("n asked for no page")
	}
	s.update(pageMsg{addr: addr{s.sid}, seq: s.res.seq, page: 1, err: errors.New("IO Error: the store went away")})
	if v := s.view(100, 30); !strings.Contains(v, "the store went away") || !strings.Contains(v, "page 2 failed: its error is above · p: back to page 1") {
		t.Fatalf("after the failed move:\n%s", v)
	}
	s.update(keyMsg("p"))
	if v := s.view(100, 30); strings.Contains(v, "the store went away") || !strings.Contains(v, "rows 1–2 of counting… · page 1 ·") {
		t.Errorf("after p:\n%s", v)
	}
}

// TestSQLRefusedQueryReplacesResult: a query refused before it runs (a
// syntax error, a write, several statements, an empty editor) shows why
// whole in the result's place, as a failed query does; the result of the
// query before stayed under the new text, the refusal only in the footer,
// flattened to one line. A page of the query before that answers late
// does not bring it back.
func TestSQLRefusedQueryReplacesResult(t *testing.T) {
	sh := sqlShared(t, fixturePath)
	for _, tt := range []struct{ before, q, want string }{
		{"SELECT 'baseline-result' AS before", "selec * frm runs", `syntax error at or near "selec"`},
		{"SELECT 'baseline-result' AS before", "delete from runs", "only reads"},
		{"SELECT 'baseline-result' AS before", "select 1; drop table runs", "only reads"},
		{"SELECT 'baseline-result' AS before", "with x as (select 1) insert into runs select * from runs", "only reads"},
		{"SELECT 'baseline-result' AS before", "   ", "type a query first"},
		{"SELECT * FROM baseline_result", "delete from runs", "only reads"}, // fails as it runs
	} {
		s := newSQLScreen(sh, "")
		s.resize(100, 30)
		runSQL(t, s, tt.before)
		late := s.res.load(0) // a page of the query before, on its way
		s.ed.SetValue(tt.q)
		for _, m := range msgsOf(s.run()) {
			s.update(m)
		}
		for _, m := range msgsOf(late) {
			s.update(m)
		}
		v := ansi.Strip(s.view(100, 30))
		if strings.Contains(v, "baseline-result") || strings.Contains(v, "baseline_result") || !strings.Contains(v, tt.want) {
			t.Errorf("%q: the screen shows the result before or not %q:\n%s", tt.q, tt.want, v)
		}
		if n, ok := firstMsg(s.update(keyMsg("ctrl+s"))).(noticeMsg); !ok || !strings.Contains(n.text, "run a query first") {
			t.Errorf("%q: ctrl+s would export the result before: %#v", tt.q, n)
		}
	}
}

// firstMsg is the first message of cmd, nil when it has none.
func firstMsg(cmd tea.Cmd) tea.Msg {
	if ms := msgsOf(cmd); len(ms) > 0 {
		return ms[0]
	}
	return nil
}

// TestSQLNestedValuesAsAieconSQL: the console prints lists and structs
// read from the store as aiecon sql does, as JSON, a struct's fields in
// the order it declares them, as DuckDB does ({'b': 1, 'a': 2} printed
// {"a":2,"b":1}).
func TestSQLNestedValuesAsAieconSQL(t *testing.T) {
	s := newSQLScreen(sqlShared(t, fixturePath), "")
	s.resize(120, 30)
	runSQL(t, s, "SELECT [1,2,3] l, {'a':1} s, ['a b','c'] t, {'a':1, 'b': 'x y'} u, {'b': 1, 'a': 2} v, [{'z': 1, 'y': {'d': 1, 'c': 2}}] w")
	want := []string{"[1,2,3]", `{"a":1}`, `["a b","c"]`, `{"a":1,"b":"x y"}`, `{"b":1,"a":2}`, `[{"z":1,"y":{"d":1,"c":2}}]`}
	if s.res.err != nil || len(s.res.rows) != 1 || strings.Join(s.res.rows[0], " ") != strings.Join(want, " ") {
		t.Errorf("got %q (%v), want %q", s.res.rows, s.res.err, want)
	}
}

// TestSQLCountsReadExact: the page numbers of a huge result carry
// thousands separators as its row count does ("page 1/5000000" beside
// "of 1,000,000,000"), and an export says exactly how many rows it wrote
// ("1.00M rows" for exactly 1,000,000 read as rounded).
func TestSQLCountsReadExact(t *testing.T) {
	p := newPager(testShared(), 8)
	p.start(func(l, o int) string { return "" }, "", 1_000_000_000)
	p.handle(pageMsg{addr: addr{8}, seq: p.seq, page: 0, cols: []sqlCol{{name: "v"}}, rows: [][]string{{"1"}, {"2"}}})
	if st := p.status(); !strings.Contains(st, "of 1,000,000,000 · page 1/5,000,000") {
		t.Errorf("status %q, want the pages with thousands separators", st)
	}
	for _, m := range msgsOf(func() tea.Msg { return exportDone(exportedMsg{path: "/tmp/x.csv", rows: 1_000_000}, nil) }) {
		if n, ok := m.(noticeMsg); ok && !strings.Contains(n.text, "exported 1,000,000 rows to /tmp/x.csv") {
			t.Errorf("export notice %q, want the exact count", n.text)
		}
	}
}

func TestReadOnlyQuery(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"SELECT 1;", "SELECT 1", true},
		{"  with x as (select 1) select * from x ;; ", "with x as (select 1) select * from x", true},
		{"FROM runs", "FROM runs", true},
		{"DESCRIBE runs", "DESCRIBE runs", true},
		{"(SELECT 1)", "(SELECT 1)", true},
		{"DELETE FROM runs", "", false},
		{"drop table runs", "", false},
		{"COPY runs TO 'x.csv'", "", false},
		{"ATTACH 'x.db'", "", false},
		{"  ", "", false},
		{"-- cheapest runs\nSELECT 1", "-- cheapest runs\nSELECT 1", true},
		{"/* a note */ (  select 1)", "/* a note */ (  select 1)", true},
		{"-- a note\n/* and */ DELETE FROM runs", "", false},
		{"-- only a note", "", false},
		{"SELEC 1", "SELEC 1", true}, // DuckDB's parser names the typo
		{"1+1", "1+1", true},
		// A semicolon before a closing comment is dropped (the console
		// runs the query in a subquery), the comment kept on its own line.
		{"SELECT 1; -- cheapest first", "SELECT 1\n-- cheapest first", true},
		{"SELECT 1;\n-- cheapest first\n", "SELECT 1\n-- cheapest first", true},
		{"SELECT 1 -- a; b", "SELECT 1 -- a; b", true},
		{"SELECT ';--'", "SELECT ';--'", true},
		// Strings, quoted names and block comments are read whole.
		{"SELECT '--x'; -- c", "SELECT '--x'\n-- c", true},
		{"SELECT 1; /* c */", "SELECT 1\n/* c */", true},
		{"SELECT 'it''s;' AS \"a;--b\";", "SELECT 'it''s;' AS \"a;--b\"", true},
		{"SELECT 1; /* a */ -- b\n", "SELECT 1\n/* a */\n-- b", true},
		{"SELECT 1 /* a; */", "SELECT 1 /* a; */", true},
	}
	for _, tt := range tests {
		got, err := readOnlyQuery(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("readOnlyQuery(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestSQLScreenExportNeedsAFormat(t *testing.T) {
	s := newSQLScreen(testShared(), "SELECT 1")
	s.ran = "SELECT 1"
	for _, p := range []string{"out.txt", "out"} {
		m, ok := msgsOf(s.export(p))[0].(noticeMsg)
		if !ok || !m.err || !strings.Contains(m.text, ".csv or .parquet") {
			t.Errorf("export to %q: %#v", p, m)
		}
	}
}
