package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"aiecon/data"
)

// palette is the command line (:). It lists the commands and the runs that
// match what is typed; enter runs the highlighted one, or the typed command
// with its arguments ("run 1m8", "compare 1m8 1m9", "sql SELECT 1").
type palette struct {
	sh     *shared
	input  textinput.Model
	items  []paletteItem
	shown  []int // indexes of items matching the input
	cursor int
}

type paletteItem struct {
	label string // what is matched and shown
	desc  string
	msg   tea.Msg // what choosing it sends
}

// paletteCommands are the typed commands; the first word is the keyword.
var paletteCommands = []struct {
	usage, desc string
	args        bool // takes arguments
}{
	{"runs", "the list of runs", false},
	{"run ID", "open a run (an id prefix, or last)", true},
	{"compare ID ID…", "compare runs side by side", true},
	{"sweep [ID]", "the sweeps, or one sweep", true},
	{"forecast [ID]", "a stored forecast (default: the last)", true},
	{"sql [QUERY]", "the SQL console", true},
	{"launch [SCENARIO]", "launch a new run", true},
	{"refresh", "reload this screen", false},
	{"retry", "try the live store file again", false},
	{"snapshot", "read a snapshot copy of the store", false},
	{"back", "close this screen", false},
	{"help", "the keys", false},
	{"quit", "leave the dashboard", false},
}

// paletteUsages lists the commands for the help overlay, from the table
// the palette runs, so that help cannot leave one out.
func paletteUsages() []string {
	us := make([]string, len(paletteCommands))
	for i, c := range paletteCommands {
		us[i] = c.usage
	}
	return us
}

// newPalette opens the palette on a body w cells wide.
func newPalette(sh *shared, w int) *palette {
	in := newLineInput(sh.st, ": ", "command or run name")
	in.Focus()
	p := &palette{sh: sh, input: in}
	p.resize(w)
	p.fill()
	return p
}

// fill lists the commands and the store's runs as last read (shared.runs),
// and filters them by what is typed: again when the runs are read anew
// while the palette is open, so that a run stored meanwhile shows.
func (p *palette) fill() {
	// The highlighted item stays highlighted: runs read meanwhile refill an
	// open palette, and the cursor left at its index moved the highlight
	// to another run, which enter would then open.
	was, highlighted := p.highlighted()
	p.items = p.items[:0]
	for _, c := range paletteCommands {
		kw := strings.Fields(c.usage)[0]
		p.items = append(p.items, paletteItem{label: c.usage, desc: c.desc, msg: commandMsg(kw, nil)})
	}
	for _, r := range p.sh.runs {
		p.items = append(p.items, paletteItem{label: "run " + p.sh.short(r.id) + " " + r.name, desc: "open this run",
			msg: openRunMsg{ref: r.id}})
	}
	p.filter()
	if !highlighted {
		return
	}
	for k, i := range p.shown {
		if p.items[i].key() == was {
			p.cursor = k
			return
		}
	}
}

// highlighted is the key of the item under the cursor, if any.
func (p *palette) highlighted() (string, bool) {
	if p.cursor < 0 || p.cursor >= len(p.shown) || p.shown[p.cursor] >= len(p.items) {
		return "", false
	}
	return p.items[p.shown[p.cursor]].key(), true
}

// key tells items apart across a refill: a run by its id, whose label's
// abbreviation may lengthen as runs are added, a command by its label.
func (it paletteItem) key() string {
	if r, ok := it.msg.(openRunMsg); ok {
		return "run\x00" + r.ref
	}
	return "command\x00" + it.label
}

func paletteKeys() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose")),
		key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
	}
}

// commandMsg turns a keyword and its arguments into what the root does.
// Unknown keywords return nil.
func commandMsg(kw string, args []string) tea.Msg {
	switch kw {
	case "runs", "home":
		return homeMsg{}
	case "run", "open":
		if len(args) == 0 {
			return homeMsg{}
		}
		return openRunMsg{ref: args[0]}
	case "compare":
		if len(args) < 2 {
			return noticeMsg{text: "compare needs two or more run ids (or mark runs with space on the runs list and press c)", err: true}
		}
		return openCompareMsg{refs: args}
	case "sweep", "sweeps":
		id := ""
		if len(args) > 0 {
			id = args[0]
		}
		return openSweepMsg{id: id}
	case "forecast", "forecasts":
		ref := ""
		if len(args) > 0 {
			ref = args[0]
		}
		return openForecastMsg{ref: ref}
	case "sql":
		return openSQLMsg{query: strings.Join(args, " ")}
	case "launch", "new":
		// A file path may hold spaces: the rest of the line is the path
		// (choose keeps it as typed; cut at the first space, it named
		// another file).
		return openLaunchMsg{scenario: strings.Join(args, " ")}
	case "refresh", "retry", "snapshot", "help", "quit", "back":
		return paletteActionMsg{action: kw}
	}
	return nil
}

// filter shows the items matching the input. After a command that takes
// run ids (run, compare) it lists the runs matching the word being typed,
// for tab to complete.
func (p *palette) filter() {
	raw := strings.ToLower(p.input.Value())
	words := strings.Fields(raw)
	p.shown = p.shown[:0]
	if len(words) > 0 && (words[0] == "compare" || words[0] == "run") && (len(words) > 1 || strings.HasSuffix(raw, " ")) {
		partial := ""
		if !strings.HasSuffix(raw, " ") {
			partial = words[len(words)-1]
		}
		for i, it := range p.items {
			// An id as the runs list shows one too long for its column
			// (1m98h…34s9p8, or typed 1m98h...34s9p8) finds its run too.
			if r, ok := it.msg.(openRunMsg); ok && (strings.Contains(strings.ToLower(r.ref+" "+it.label), partial) || data.MatchesIDRef(r.ref, partial)) {
				p.shown = append(p.shown, i)
			}
		}
		p.cursor = min(p.cursor, max(len(p.shown)-1, 0))
		return
	}
	for i, it := range p.items {
		label := strings.ToLower(it.label)
		ok := true
		for k, w := range words {
			// The first word matches a prefix of the item; the others
			// anywhere, so "run base" finds the baseline runs.
			if k == 0 && !strings.HasPrefix(label, w) && !strings.Contains(label, " "+w) {
				ok = false
				break
			}
			if k > 0 && !strings.Contains(label, w) {
				ok = false
				break
			}
		}
		if ok {
			p.shown = append(p.shown, i)
		}
	}
	p.cursor = min(p.cursor, max(len(p.shown)-1, 0))
}

func (p *palette) resize(w int) { sizeLine(&p.input, w) }

// update handles a key; done closes the palette.
func (p *palette) update(m tea.KeyPressMsg) (done bool, cmd tea.Cmd) {
	switch m.String() {
	case "esc", "ctrl+c":
		return true, nil
	case "up", "ctrl+p":
		p.cursor = max(p.cursor-1, 0)
		return false, nil
	case "down", "ctrl+n":
		p.cursor = min(p.cursor+1, max(len(p.shown)-1, 0))
		return false, nil
	case "tab":
		if len(p.shown) == 0 {
			return false, nil
		}
		it := p.items[p.shown[p.cursor]]
		raw := p.input.Value()
		words := strings.Fields(raw)
		if r, ok := it.msg.(openRunMsg); ok && len(words) > 0 && (words[0] == "compare" || words[0] == "run") {
			// Complete the run id being typed.
			if !strings.HasSuffix(raw, " ") && len(words) > 1 {
				words = words[:len(words)-1]
			}
			setLine(&p.input, strings.Join(append(words, p.sh.short(r.ref)), " ")+" ")
		} else {
			setLine(&p.input, strings.Fields(it.label)[0]+" ")
		}
		p.filter()
		return false, nil
	case "enter":
		return true, p.choose()
	}
	p.input, cmd = p.input.Update(m)
	p.filter()
	return false, cmd
}

// paste puts pasted text in the input, as typing would.
func (p *palette) paste(m tea.PasteMsg) tea.Cmd {
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(m)
	p.filter()
	return cmd
}

// choose runs what was typed if it is a command with arguments, else the
// highlighted item.
func (p *palette) choose() tea.Cmd {
	fields := strings.Fields(p.input.Value())
	if len(fields) > 1 {
		if msg := commandMsg(strings.ToLower(fields[0]), fields[1:]); msg != nil {
			// A query or a path is the rest of the line as typed, its
			// spaces and all.
			rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(p.input.Value()), fields[0]))
			switch o := msg.(type) {
			case openSQLMsg:
				o.query = rest
				msg = o
			case openLaunchMsg:
				o.scenario = rest
				msg = o
			}
			return cmdOf(msg)
		}
	}
	if len(p.shown) == 0 {
		if len(fields) == 0 {
			return nil
		}
		return notice("no command "+fields[0]+": press : and look at the list", true)
	}
	return cmdOf(p.items[p.shown[p.cursor]].msg)
}

func (p *palette) view(w, h int) string {
	st := p.sh.st
	lines := []string{lineView(p.input), st.muted.Render(strings.Repeat("─", w))}
	room := max(h-2, 1)
	start := 0
	if p.cursor >= room {
		start = p.cursor - room + 1
	}
	// After "compare", enter runs the typed comparison, never a listed run:
	// a run's line says what tab does with it instead of "open this run".
	comparing := strings.HasPrefix(strings.ToLower(strings.TrimSpace(p.input.Value())), "compare")
	desc := func(it paletteItem) string {
		if _, isRun := it.msg.(openRunMsg); isRun && comparing {
			return "tab adds it to the comparison"
		}
		return it.desc
	}
	end := min(len(p.shown), start+h-len(lines))
	// The labels take the width the descriptions leave, at least what they
	// had (40 cells, or half a narrow screen): cut at 40, a run's name lost
	// its end with half the line empty, and runs of one scenario differ
	// there ("… [count=6 rate=40/s]").
	least := min(40, w/2)
	labelW, descW := least, 0
	for _, i := range p.shown[start:end] {
		labelW = max(labelW, lipgloss.Width(p.items[i].label))
		descW = max(descW, lipgloss.Width(desc(p.items[i])))
	}
	labelW = min(labelW, max(w-2-descW, least))
	for i := start; i < end; i++ {
		it := p.items[p.shown[i]]
		line := pad(it.label, labelW, false) + "  " + st.muted.Render(desc(it))
		if i == p.cursor {
			line = st.selected.Render(pad(it.label, labelW, false)) + "  " + desc(it)
		}
		lines = append(lines, fitWidth(line, w))
	}
	if len(p.shown) == 0 {
		lines = append(lines, st.muted.Render("no match: enter runs the typed command"))
	}
	return strings.Join(lines, "\n")
}
