package tui

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
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
		if n, ok := msgsOf(s.update(m))[0].(noticeMsg); !ok || !n.err || !strings.Contains(n.text, "only reads") {
			t.Errorf("%q: notice %#v", q, n)
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
	} else if n, ok := msgsOf(s.update(m))[0].(noticeMsg); !ok || !n.err || strings.Contains(n.text, "only reads") || !strings.Contains(n.text, `syntax error at or near "SELEC"`) {
		t.Errorf("SELEC 1: notice %#v", n)
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
