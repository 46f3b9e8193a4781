package tui

import (
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// The dashboard's text fields are bubbles' textinput (filters, the
// palette, the Launch knobs, the export path) and textarea (the SQL
// editor), set up here so that every field looks and behaves alike:
//
//   - the cursor is plain reverse video and does not blink, so an idle
//     screen does not redraw twice a second;
//   - ctrl+v (and the textarea's copy key) are off: they read and write the
//     system clipboard through xclip or pbpaste, which a terminal over ssh
//     does not have, and their answers are messages of the component's own
//     that the screens would have to route back. The terminal's paste
//     (bracketed paste, tea.PasteMsg) works in every field.
//
// The components' other keys are the usual emacs ones: ctrl+a/e, ctrl+b/f,
// alt+b/f, ctrl+w, ctrl+u, ctrl+k, ctrl+d.

// newLineInput is a one-line field with a prompt and a placeholder shown
// while it is empty.
func newLineInput(st *styles, prompt, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.Placeholder = placeholder
	in.KeyMap.Paste.SetEnabled(false)
	plain := lipgloss.NewStyle()
	state := textinput.StyleState{Text: plain, Prompt: plain, Placeholder: st.muted, Suggestion: st.muted}
	in.SetStyles(textinput.Styles{Focused: state, Blurred: state, Cursor: textinput.CursorStyle{Blink: false}})
	return in
}

// setLine replaces a field's text and puts the cursor after it (textinput
// keeps the cursor where it was, which after a completion is mid-text).
func setLine(in *textinput.Model, v string) {
	in.SetValue(v)
	in.CursorEnd()
}

// sizeLine gives a field w cells in all: the prompt, the text and the
// cursor after it.
func sizeLine(in *textinput.Model, w int) {
	in.SetWidth(max(w-lipgloss.Width(in.Prompt)-1, 1))
}

// lineView draws a field as wide as its text (and the cursor), not padded
// to its width as textinput does, so that what follows it on the line (a
// Launch knob's "changed: --set …") stands right after the value.
func lineView(in textinput.Model) string {
	n := ansi.StringWidth(in.Value()) + 1
	if in.Value() == "" {
		n = max(ansi.StringWidth(in.Placeholder), 1)
	}
	return ansi.Truncate(in.View(), lipgloss.Width(in.Prompt)+min(n, in.Width()+1), "")
}

// newSQLEditor is the SQL console's editor: several lines, soft-wrapped at
// the width, with a "│ " gutter that marks its rows (accented while it has
// the keyboard).
func newSQLEditor(st *styles, height int) textarea.Model {
	ed := textarea.New()
	ed.Prompt = "│ "
	ed.ShowLineNumbers = false
	ed.EndOfBufferCharacter = ' '
	// No limits of the component's own: a pasted query may be long and
	// wide (textarea keeps at most 10,000 lines regardless).
	ed.MaxHeight, ed.MaxWidth = 0, 0
	ed.KeyMap.Paste.SetEnabled(false)
	ed.KeyMap.CopySelection.SetEnabled(false)
	plain := lipgloss.NewStyle()
	state := textarea.StyleState{Base: plain, Text: plain, CursorLine: plain, EndOfBuffer: plain,
		Placeholder: st.muted, Prompt: st.input, Selection: st.selected}
	blurred := state
	blurred.Prompt = st.muted
	ed.SetStyles(textarea.Styles{Focused: state, Blurred: blurred, Cursor: textarea.CursorStyle{Blink: false}})
	ed.SetHeight(height)
	return ed
}
