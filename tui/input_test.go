package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// TestTextFields checks the bubbles fields as the dashboard sets them up:
// the editing keys the screens and the docs rely on, paste, a cursor that
// does not blink, no clipboard commands, and a one-line field drawn as wide
// as its text.
func TestTextFields(t *testing.T) {
	st := newStyles()
	ed := newSQLEditor(st, 3)
	ed.SetWidth(40)
	if cmd := ed.Focus(); cmd != nil {
		t.Error("focusing the SQL editor starts a blink")
	}
	for _, k := range []string{"S", "E", "L", "enter", "1", "left", "backspace", "ctrl+e", "space", "x"} {
		ed, _ = ed.Update(keyMsg(k))
	}
	if got := ed.Value(); got != "SEL1 x" {
		t.Errorf("value %q, want the lines joined by backspace at a line start", got)
	}
	ed, _ = ed.Update(tea.PasteMsg{Content: "a\nb"})
	if got := ed.Value(); got != "SEL1 xa\nb" {
		t.Errorf("after paste %q", got)
	}
	for _, k := range []string{"ctrl+w", "up", "ctrl+a", "ctrl+k"} {
		ed, _ = ed.Update(keyMsg(k))
	}
	if got := ed.Value(); got != "\n" {
		t.Errorf("after deletions %q", got)
	}
	if _, cmd := ed.Update(keyMsg("ctrl+v")); cmd != nil {
		t.Error("ctrl+v in the SQL editor reads the system clipboard")
	}
	ed.SetValue("SELECT 1")
	if rows := strings.Split(ansi.Strip(ed.View()), "\n"); len(rows) != 3 || strings.TrimSpace(rows[0]) != "│ SELECT 1" || strings.TrimSpace(rows[2]) != "│" {
		t.Errorf("editor rows %q, want 3 rows in the gutter", rows)
	}

	one := newLineInput(st, "> ", "hint")
	sizeLine(&one, 30)
	if cmd := one.Focus(); cmd != nil {
		t.Error("focusing a field starts a blink")
	}
	if got := ansi.Strip(lineView(one)); got != "> hint" {
		t.Errorf("empty field shows %q, want the prompt and the placeholder", got)
	}
	one, _ = one.Update(tea.PasteMsg{Content: "a\nb"})
	one, _ = one.Update(keyMsg("enter"))
	if one.Value() != "a b" {
		t.Errorf("one line: %q (a newline is a space; enter is left to the screen)", one.Value())
	}
	if got := ansi.Strip(lineView(one)); got != "> a b " {
		t.Errorf("field shows %q, want the text and the cursor cell, no padding", got)
	}
	if _, cmd := one.Update(keyMsg("ctrl+v")); cmd != nil {
		t.Error("ctrl+v in a field reads the system clipboard")
	}
	setLine(&one, "seed")
	for _, k := range []string{"ctrl+a", "x"} {
		one, _ = one.Update(keyMsg(k))
	}
	setLine(&one, "count")
	one, _ = one.Update(keyMsg("s"))
	if one.Value() != "counts" {
		t.Errorf("after setLine typing gave %q, want it at the end", one.Value())
	}
	setLine(&one, strings.Repeat("x", 100))
	if w := ansi.StringWidth(lineView(one)); w != 30 {
		t.Errorf("a long value takes %d cells, want the field's 30", w)
	}
}
