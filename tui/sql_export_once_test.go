package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestSQLExportOneInTheDashboard: one export runs at a time in the whole
// dashboard. ctrl+s in another console is refused and says where the
// export runs; closing the exporting console stops its export, whose
// outcome still reaches the footer, and only then may another start. The
// check was per console, and the export ran under the dashboard's
// context: a console opened after :back started a second export, and the
// first, its console gone, could no longer be stopped.
func TestSQLExportOneInTheDashboard(t *testing.T) {
	path := copyFixture(t)
	out := filepath.Join(t.TempDir(), "same.csv")
	a := New(Options{Path: path, IdleClose: -1})
	defer a.Close()
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	deliver := func(m tea.Msg) {
		for _, m := range msgsOf(func() tea.Msg { return m }) {
			a.Update(m)
		}
	}
	// console opens a console with a long query, as if run.
	console := func() *sqlScreen {
		a.Update(openSQLMsg{query: "SELECT 1"})
		s := a.top().(*sqlScreen)
		s.ran = "SELECT i, i * 2 AS j FROM range(100000000000) t(i)"
		return s
	}
	// refused presses ctrl+s, which must start nothing and say want.
	refused := func(when, want string) {
		t.Helper()
		_, cmd := a.Update(keyMsg("ctrl+s"))
		if a.top().(*sqlScreen).exporting {
			t.Errorf("%s: ctrl+s opened the export's name field while an export runs", when)
			a.Update(keyMsg("esc"))
			return
		}
		if cmd == nil || !strings.Contains(msgsOf(cmd)[0].(noticeMsg).text, want) {
			t.Errorf("%s: ctrl+s said %v, want %q", when, cmd, want)
		}
	}

	first := console()
	a.Update(keyMsg("ctrl+s"))
	for _, k := range out {
		a.Update(keyMsg(string(k)))
	}
	_, cmd := a.Update(keyMsg("enter"))
	cmds, ok := cmd().(tea.BatchMsg)
	if !ok || len(cmds) != 2 {
		t.Fatalf("ctrl+s: %#v, want the export and its tick", cmd())
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmds[0]() }()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(first.exp.tmp); err == nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the export writes no temporary file after 20 s: %v", err)
		}
	}

	console() // a second console over the first
	refused("a second console", "an export to "+out+" is running in another SQL console")
	a.Update(paletteActionMsg{action: "back"}) // closes the second: the first's export runs on
	if a.top() != first || first.exp == nil || first.exp.stopping {
		t.Fatalf("closing another console touched the export: top %T, export %+v", a.top(), first.exp)
	}

	a.Update(paletteActionMsg{action: "back"}) // closes the first: its export stops
	console()
	refused("a console opened after :back", "the export to "+out+" is stopping")
	select {
	case m := <-done:
		deliver(m)
	case <-time.After(20 * time.Second):
		t.Fatal("the export runs on 20 s after its console closed")
	}
	if !strings.Contains(a.notice, "export to "+out+" stopped: nothing was written") {
		t.Errorf("footer %q, want the export's outcome", a.notice)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "*")); len(left) > 0 {
		t.Errorf("files left: %v", left)
	}
	if _, cmd := a.Update(keyMsg("ctrl+s")); !a.top().(*sqlScreen).exporting {
		t.Errorf("ctrl+s once the export stopped: %v, want the name field", cmd)
	}
}
