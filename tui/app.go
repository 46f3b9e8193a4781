package tui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/study"
)

// App is the dashboard's root model: a header, a stack of screens, a footer
// with key hints, and the overlays (help, command palette).
type App struct {
	sh           *shared
	cancel       context.CancelFunc
	stack        []screen
	width        int
	height       int
	bodyW, bodyH int // the size the screens were last given

	showHelp bool
	helpTop  int // the first help line shown, where help is taller than the body (helpView)
	palette  *palette

	notice    string
	noticeErr bool

	// Store state shown in the header and banner.
	runCount   int
	runsKnown  bool
	locked     *data.LockedError
	retrying   bool // a retry tick is scheduled
	snapshotAt time.Time
	// views is what the store said of its views as the runs list last
	// opened it (nil: they are aiecon's), for the banner: every CLI
	// command warns of it, and the dashboard listed what a redefined view
	// computes without a word.
	views *data.ViewsChangedError
}

// New builds the dashboard; Run (or a tea.Program) runs it. Close it after.
func New(opts Options) *App {
	if opts.IdleClose == 0 {
		opts.IdleClose = DefaultIdleClose
	}
	ctx, cancel := context.WithCancel(context.Background())
	sh := &shared{conn: newConn(opts.Path, opts.IdleClose), st: newStyles(), opts: opts, ctx: ctx, overMemo: study.NewOverloadMemo(), caveats: &sweepCaveats{}}
	a := &App{sh: sh, cancel: cancel, width: 80, height: 24}
	a.stack = []screen{newRunsScreen(sh)}
	return a
}

// Close cancels a run in progress and releases the store.
func (a *App) Close() error {
	a.cancel()
	return a.sh.conn.close()
}

// Run runs the dashboard on the terminal until the user quits.
func Run(ctx context.Context, opts Options, progOpts ...tea.ProgramOption) error {
	a := New(opts)
	defer a.Close()
	p := tea.NewProgram(a, append([]tea.ProgramOption{tea.WithContext(ctx)}, progOpts...)...)
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // the caller cancelled: a normal way to stop
	}
	return err
}

// Init starts on the runs list, or on a snapshot when asked.
func (a *App) Init() tea.Cmd {
	if a.sh.opts.Snapshot {
		return a.snapshotCmd()
	}
	return a.top().init()
}

func (a *App) top() screen { return a.stack[len(a.stack)-1] }

func (a *App) find(id int) screen {
	for _, s := range a.stack {
		if s.id() == id {
			return s
		}
	}
	return nil
}

// Messages of the store state machine.
type (
	retryTickMsg struct{}
	probeMsg     struct{ err error }
	snapshotMsg  struct {
		at  time.Time
		err error
	}
)

const retryEvery = 5 * time.Second

// Update routes a message: keys to the overlays or the top screen,
// navigation to the stack, results to the screen that asked for them.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := a.update(msg)
	a.stopOrphanExport()
	// The banner comes and goes with the store state: keep the screens
	// sized to the body that is left.
	if w, h := a.screenSize(); w != a.bodyW || h != a.bodyH {
		a.bodyW, a.bodyH = w, h
		for _, s := range a.stack {
			s.resize(w, h)
		}
		if a.palette != nil {
			a.palette.resize(w)
		}
	}
	return a, cmd
}

func (a *App) update(msg tea.Msg) tea.Cmd {
	var retry tea.Cmd
	if r, ok := msg.(loadResult); ok {
		a.observe(r.loadErr())
		if a.locked != nil && a.snapshotAt.IsZero() {
			retry = a.scheduleRetry() // the banner promises a retry every few seconds
		}
	}
	if retry != nil {
		return tea.Batch(retry, a.update(msg))
	}
	if cmd, done := a.navigate(msg); done {
		return cmd
	}
	if cmd, done := a.storeState(msg); done {
		return cmd
	}
	switch m := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = m.Width, m.Height
		a.sh.width = m.Width
		return nil
	case tea.KeyPressMsg:
		return a.handleKey(m)
	case tea.PasteMsg:
		if a.palette != nil { // else the top screen's field takes it
			return a.palette.paste(m)
		}
	case runsLoadedMsg:
		if m.opened {
			a.views = m.views
		}
		if m.err == nil {
			a.runCount, a.runsKnown = len(m.runs), true
			a.sh.runs = a.sh.runs[:0]
			for _, r := range m.runs {
				a.sh.runs = append(a.sh.runs, runRef{id: r.ID, name: r.Name})
			}
			a.sh.idLen = abbrevLen(runIDs(m.runs, m.sweeps))
		}
	case runDoneMsg:
		// A launch stored a run (complete or failed): the runs list under it
		// reloads too, which also updates the count in the header.
		cmds := []tea.Cmd{a.stack[0].update(refreshMsg{})}
		if s := a.find(m.target()); s != nil {
			cmds = append(cmds, s.update(m))
		}
		return tea.Batch(cmds...)
	case noticeMsg:
		a.notice, a.noticeErr = m.text, m.err
		return nil
	case exportedMsg: // whether or not its console is still open
		if e := a.sh.export; e != nil && e.seq == m.seq {
			a.sh.export = nil
		}
	}
	if t, ok := msg.(targeted); ok {
		if s := a.find(t.target()); s != nil {
			return s.update(msg)
		}
		return nil
	}
	// Anything else (component ticks, refresh) belongs to the top screen.
	return a.top().update(msg)
}

// stopOrphanExport stops the SQL export whose console has closed (esc,
// :back, :runs...), whichever way it went: no key could stop it any more,
// and nothing on screen said that it held the store against writers. Its
// outcome still comes to the footer (exportDone).
func (a *App) stopOrphanExport() {
	e := a.sh.export
	if e == nil || e.stopping || a.find(e.owner) != nil {
		return
	}
	e.stop()
	e.stopping = true
	a.notice, a.noticeErr = "stopping the export to "+e.path+": its SQL console closed", false
}

// navigate opens, replaces and pops screens and runs palette actions; done
// says it handled the message.
func (a *App) navigate(msg tea.Msg) (cmd tea.Cmd, done bool) {
	switch m := msg.(type) {
	case openRunMsg:
		s := newRunScreen(a.sh, m.ref)
		if i := a.index(m.replaces); i > 0 {
			return a.replace(i, s), true
		}
		if rs, ok := a.top().(*runScreen); ok && rs.failedToOpen() && len(a.stack) > 1 {
			a.stack = a.stack[:len(a.stack)-1]
		}
		return a.push(s), true
	case openCompareMsg:
		cmd := a.push(newCompareScreen(a.sh, m.refs))
		a.notice, a.noticeErr = m.note, false
		return cmd, true
	case openSweepMsg:
		return a.push(newSweepScreen(a.sh, m.id)), true
	case openForecastMsg:
		return a.push(newForecastScreen(a.sh, m.ref)), true
	case openSQLMsg:
		return a.push(newSQLScreen(a.sh, m.query)), true
	case openLaunchMsg:
		return a.push(newLaunchScreen(a.sh, m.scenario)), true
	case openPaletteMsg:
		a.palette = newPalette(a.sh, a.bodyW)
		setLine(&a.palette.input, m.text)
		a.palette.filter()
		return nil, true
	case homeMsg:
		a.stack = a.stack[:1]
		return a.activateTop(), true
	case paletteActionMsg:
		return a.runAction(m.action), true
	case closeScreenMsg:
		a.notice, a.noticeErr = m.why, true
		for i, sc := range a.stack {
			if i > 0 && sc.id() == m.sid {
				a.stack = slices.Delete(a.stack, i, i+1)
				if i == len(a.stack) { // it was on top
					return a.activateTop(), true
				}
				return nil, true
			}
		}
		return nil, true
	}
	return nil, false
}

// storeState follows the store lock: retries, probes and snapshots; done
// says it handled the message.
func (a *App) storeState(msg tea.Msg) (cmd tea.Cmd, done bool) {
	switch m := msg.(type) {
	case retryTickMsg:
		a.retrying = false
		if a.locked == nil || !a.snapshotAt.IsZero() {
			return nil, true
		}
		return a.probeCmd(), true
	case probeMsg:
		if m.err != nil {
			var le *data.LockedError
			if errors.As(m.err, &le) {
				a.locked = le
				return a.scheduleRetry(), true
			}
			return notice("retry: "+m.err.Error(), true), true
		}
		wasSnap := !a.snapshotAt.IsZero()
		a.locked, a.snapshotAt, a.sh.snapshot = nil, time.Time{}, false
		msg := "the store is free again: showing live data"
		if wasSnap {
			msg = "back on the live file"
		}
		return tea.Batch(notice(msg, false), a.reloadAll()), true
	case snapshotMsg:
		if m.err != nil {
			return notice(m.err.Error(), true), true
		}
		a.snapshotAt, a.sh.snapshot = m.at, true
		return tea.Batch(notice("reading a snapshot copy taken "+m.at.In(a.sh.loc()).Format("15:04:05"), false), a.reloadAll()), true
	}
	return nil, false
}

// observe turns a store error into the lock banner, and a success into its
// end.
func (a *App) observe(err error) {
	var le *data.LockedError
	switch {
	case errors.As(err, &le):
		a.locked = le
	case err == nil && a.snapshotAt.IsZero():
		a.locked = nil
	}
}

func (a *App) scheduleRetry() tea.Cmd {
	if a.retrying {
		return nil
	}
	a.retrying = true
	return tea.Tick(retryEvery, func(time.Time) tea.Msg { return retryTickMsg{} })
}

func (a *App) probeCmd() tea.Cmd {
	c := a.sh.conn
	return func() tea.Msg { return probeMsg{err: c.probe()} }
}

func (a *App) snapshotCmd() tea.Cmd {
	c := a.sh.conn
	return func() tea.Msg {
		at, err := c.useSnapshot()
		return snapshotMsg{at: at, err: err}
	}
}

// reloadAll reloads the top screen now and the others when they show again.
func (a *App) reloadAll() tea.Cmd { return a.top().update(refreshMsg{}) }

// index is where the screen of the given id is on the stack, -1 if it is
// not there (0 is never an id).
func (a *App) index(id int) int {
	return slices.IndexFunc(a.stack, func(s screen) bool { return s.id() == id })
}

// replace puts s in place of the screen at i, which need not be on top.
func (a *App) replace(i int, s screen) tea.Cmd {
	if i == len(a.stack)-1 {
		a.stack = a.stack[:i]
		return a.push(s)
	}
	w, h := a.screenSize()
	s.resize(w, h)
	a.stack[i] = s
	return s.init()
}

func (a *App) push(s screen) tea.Cmd {
	w, h := a.screenSize()
	s.resize(w, h)
	a.stack = append(a.stack, s)
	a.notice = ""
	return s.init()
}

func (a *App) pop() tea.Cmd {
	if len(a.stack) == 1 {
		return nil
	}
	a.stack = a.stack[:len(a.stack)-1]
	return a.activateTop()
}

func (a *App) activateTop() tea.Cmd {
	if ac, ok := a.top().(activator); ok {
		return ac.activate()
	}
	return nil
}

var globalKeys = struct {
	quit, help, palette, back, retry, snapshot key.Binding
}{
	quit:     key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
	help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
	palette:  key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "commands")),
	back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	retry:    key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "retry the live file")),
	snapshot: key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "snapshot copy")),
}

func (a *App) handleKey(m tea.KeyPressMsg) tea.Cmd {
	a.notice = ""
	if a.tooSmall() {
		return a.tooSmallKey(m)
	}
	if a.palette != nil {
		return a.updatePalette(m)
	}
	if a.showHelp {
		return a.helpKey(m)
	}
	top := a.top()
	mode := top.mode()
	if mode == keysModal {
		return top.update(m)
	}
	if m.String() == "ctrl+c" {
		return tea.Quit
	}
	if mode == keysText {
		return top.update(m)
	}
	switch {
	case key.Matches(m, globalKeys.quit):
		return tea.Quit
	case key.Matches(m, globalKeys.help):
		a.showHelp, a.helpTop = true, 0
		return nil
	case key.Matches(m, globalKeys.palette):
		a.palette = newPalette(a.sh, a.bodyW)
		return nil
	case key.Matches(m, globalKeys.back):
		if bc, ok := top.(backCmder); ok {
			if done, cmd := bc.backCmd(); done {
				return cmd
			}
		}
		if top.back() {
			return nil
		}
		return a.pop()
	case key.Matches(m, globalKeys.retry) && (a.locked != nil || !a.snapshotAt.IsZero()):
		return a.probeCmd()
	case key.Matches(m, globalKeys.snapshot) && a.locked != nil && a.snapshotAt.IsZero():
		return a.snapshotCmd()
	case key.Matches(m, globalKeys.retry), key.Matches(m, globalKeys.snapshot):
		// Help lists R and S everywhere; where they do nothing, say why
		// rather than ignore the key.
		if !a.snapshotAt.IsZero() {
			return notice("already on a snapshot: R goes back to the live file", false)
		}
		return notice("the store is live: R and S are for a store another process holds", false)
	}
	return top.update(m)
}

func (a *App) updatePalette(m tea.KeyPressMsg) tea.Cmd {
	done, cmd := a.palette.update(m)
	if done {
		a.palette = nil
	}
	return cmd
}

// paletteActionMsg is what the palette asks the root to do.
type paletteActionMsg struct{ action string }

func (a *App) runAction(action string) tea.Cmd {
	switch action {
	case "quit":
		return tea.Quit
	case "help":
		a.showHelp = true
	case "retry":
		return a.probeCmd()
	case "snapshot":
		return a.snapshotCmd()
	case "refresh":
		return a.top().update(refreshMsg{})
	case "back":
		return a.pop()
	}
	return nil
}

// bodySize is the space the screens get: the terminal minus the header,
// the banner (when there is one) and the footer.
func (a *App) bodySize() (int, int) {
	h := a.height - 2
	if b := a.banner(); b != "" {
		h -= strings.Count(b, "\n") + 1
	}
	return a.width, max(h, 1)
}

// Screens are laid out for at least minBodyW×minBodyH cells and clipped
// to the body when the terminal is smaller, so that no screen has to
// handle a terminal of one cell.
const minBodyW, minBodyH = 40, 12

// screenSize is the size the screens lay themselves out for.
func (a *App) screenSize() (int, int) {
	w, h := a.bodySize()
	return max(w, minBodyW), max(h, minBodyH)
}

// minTermW×minTermH is the smallest terminal the dashboard draws on: below
// it the screens, laid out for minBodyW columns, would be clipped at the
// right edge mid-number (a run header ending price_usd_per_hour=1), so it
// says what it needs instead. Rows clipped at the bottom of a 40×12
// terminal are missing, not misread.
const minTermW, minTermH = minBodyW, 12

func (a *App) tooSmall() bool { return a.width < minTermW || a.height < minTermH }

// tooSmallView fills the terminal with what size it needs, and which keys
// work meanwhile: q quits, but for a text field (only ctrl+c) and a screen
// that holds the keyboard (a launch), whose own keys are said instead;
// "q quits" was untrue there.
func (a *App) tooSmallView() string {
	keys := "q quits"
	if a.textTop() {
		keys = "ctrl+c quits (q does not: a text field has the keyboard)"
	}
	if a.modalTop() {
		var ks []string
		for _, b := range a.top().keys() {
			ks = append(ks, b.Help().Key+" "+b.Help().Desc)
		}
		keys = strings.Join(ks, " · ")
	}
	msg := fmt.Sprintf("terminal too small: %d×%d, needs at least %d×%d (80×24 shows it all) · %s",
		a.width, a.height, minTermW, minTermH, keys)
	lines := strings.Split(wrap(msg, max(a.width, 1)), "\n")
	out := make([]string, max(a.height, 3))
	for i := range out {
		if i < len(lines) {
			out[i] = a.sh.st.warn.Render(fitWidth(lines[i], max(a.width, 1)))
		}
	}
	return strings.Join(out, "\n")
}

// modalTop says the top screen holds the keyboard, with no overlay over it.
func (a *App) modalTop() bool {
	return a.palette == nil && !a.showHelp && a.top().mode() == keysModal
}

// textTop says a text field has the keyboard: the palette, or a screen's
// field (a filter, the SQL editor, a Launch knob) with no overlay over it.
func (a *App) textTop() bool {
	return a.palette != nil || !a.showHelp && a.top().mode() == keysText
}

// tooSmallKey handles a key while the terminal is too small to show what
// it would do: q and ctrl+c quit (only ctrl+c while a text field has the
// keyboard), but for a screen that holds the keyboard (a launch), which
// gets esc and ctrl+c, its cancel keys, as always; any other key is
// dropped.
func (a *App) tooSmallKey(m tea.KeyPressMsg) tea.Cmd {
	modal := a.modalTop()
	switch k := m.String(); {
	case modal && (k == "esc" || k == "ctrl+c"):
		return a.top().update(m)
	case !modal && k == "ctrl+c":
		return tea.Quit
	case !modal && k == "q" && !a.textTop():
		// In a text field q is text: quitting on it threw away a query
		// being typed into the SQL editor when the terminal shrank.
		return tea.Quit
	}
	return nil
}

// View draws the frame. It never does I/O: everything it shows is state.
func (a *App) View() tea.View {
	if a.tooSmall() {
		v := tea.NewView(a.tooSmallView())
		v.AltScreen = true
		v.WindowTitle = "aiecon · " + a.top().title()
		return v
	}
	w, h := a.bodySize()
	sw, sh := a.screenSize()
	var body string
	switch {
	case a.showHelp:
		body = a.helpView(sw, min(sh, h))
	case a.palette != nil:
		body = a.palette.view(sw, sh)
	default:
		if c, ok := a.top().(clippedScreen); ok {
			c.setVisibleRows(h)
		}
		body = a.top().view(sw, sh)
	}
	if sh > h {
		body = keepLastLine(body, h)
	}
	parts := []string{a.header()}
	if b := a.banner(); b != "" {
		parts = append(parts, b)
	}
	// A notice of several lines covers the bottom of the body until the
	// next key, rather than lose its end to the width.
	foot := a.footer()
	parts = append(parts, fitBlock(body, w, h-strings.Count(foot, "\n")), foot)
	v := tea.NewView(strings.Join(parts, "\n"))
	v.AltScreen = true
	v.WindowTitle = "aiecon · " + a.top().title()
	return v
}

func (a *App) header() string {
	st := a.sh.st
	var crumbs []string
	for _, s := range a.stack {
		crumbs = append(crumbs, s.title())
	}
	store := filepath.Base(a.sh.opts.Path)
	infos := []string{store}
	if a.runsKnown {
		infos = []string{store + fmt.Sprintf(" · %d run%s", a.runCount, plural(a.runCount)), store}
	}
	mode := "read-only"
	switch {
	case !a.snapshotAt.IsZero():
		mode = "snapshot"
	case a.locked != nil:
		mode = "in use"
	}
	// Where the breadcrumb leaves too little room, the run count goes,
	// then the store's name, before the mode is cut mid-word ("read-…"
	// beside a long forecast's name at 80 columns); the mode itself is
	// never cut: the breadcrumb makes room for it (fitCrumbs), which a
	// stack of screens (each :sweep, :forecast pushes one) pushed off.
	right := st.barAccent.Render(" " + mode + " ")
	brand := st.barAccent.Render(" aiecon ")
	room := a.width - lipgloss.Width(brand) - lipgloss.Width(right) - 1
	left := brand + st.bar.Render(" "+fitCrumbs(crumbs, room-2)+" ")
	for _, info := range infos {
		r := st.barDim.Render(" "+info+" · ") + st.barAccent.Render(mode+" ")
		if lipgloss.Width(left)+1+lipgloss.Width(r) <= a.width {
			right = r
			break
		}
	}
	return joinBar(st, left, right, a.width)
}

// fitCrumbs is the breadcrumb of titles in at most w columns: the
// screens nearest the first are dropped for "…" (the one on top is where
// the user is), and the top's title is cut at its end only when it alone
// does not fit.
func fitCrumbs(titles []string, w int) string {
	const sep = " › "
	s := strings.Join(titles, sep)
	for i := 1; lipgloss.Width(s) > w && i < len(titles); i++ {
		s = "…" + sep + strings.Join(titles[i:], sep)
	}
	if lipgloss.Width(s) > w {
		s = ansi.Truncate(s, max(w, 1), "…")
	}
	return s
}

// banner is the persistent lines over the body: that the store is not
// live, and that its views are not aiecon's.
func (a *App) banner() string {
	var lines []string
	for _, l := range []string{a.storeBanner(), a.viewsBanner()} {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// viewsBanner says that the store's views are not aiecon's, as every CLI
// command warns as it opens it; it names the store the user gave, not a
// snapshot copy of it.
func (a *App) viewsBanner() string {
	if a.views == nil {
		return ""
	}
	path, found := a.sh.opts.Path, a.views.Finding()
	var short []string // "run_summary redefined", for a narrow terminal
	for _, v := range a.views.Changed {
		short = append(short, v+" redefined")
	}
	for _, v := range a.views.Missing {
		short = append(short, v+" missing")
	}
	return a.fitBanner(
		fmt.Sprintf("⚠ %s %s: what reads them may not mean what aiecon's docs say · `aiecon doctor --db %s` names them", filepath.Base(path), found, path),
		fmt.Sprintf("⚠ %s %s: what reads them may not mean what the docs say · see `aiecon doctor`", filepath.Base(path), found),
		fmt.Sprintf("⚠ %s %s · see `aiecon doctor`", filepath.Base(path), found),
		fmt.Sprintf("⚠ %s · aiecon doctor", strings.Join(short, ", ")),
	)
}

// storeBanner is the line that says the store is not live.
func (a *App) storeBanner() string {
	var variants []string
	switch {
	case !a.snapshotAt.IsZero():
		at := a.snapshotAt.In(a.sh.loc()).Format("15:04:05")
		variants = []string{
			fmt.Sprintf("⚠ reading a snapshot of %s taken %s · may miss the newest runs · R live file", filepath.Base(a.sh.opts.Path), at),
			fmt.Sprintf("⚠ snapshot taken %s · may miss the newest runs · R live file", at),
			fmt.Sprintf("⚠ snapshot %s · R live file", at),
		}
	case a.locked != nil:
		who := lockHolder(a.locked)
		variants = []string{
			fmt.Sprintf("⚠ %s is in use by %s · showing earlier data · R retry · S snapshot", filepath.Base(a.sh.opts.Path), who),
			fmt.Sprintf("⚠ store in use by %s · showing earlier data · R retry · S snapshot", who),
			fmt.Sprintf("⚠ in use by %s · R retry · S snapshot", who),
		}
	default:
		return ""
	}
	return a.fitBanner(variants...)
}

// fitBanner renders the longest of the variants that fits the width, or
// the last cut to it.
func (a *App) fitBanner(variants ...string) string {
	for _, v := range variants {
		if lipgloss.Width(v) <= a.width {
			return a.sh.st.banner.Render(v)
		}
	}
	return a.sh.st.banner.Render(fitWidth(variants[len(variants)-1], a.width))
}

func lockHolder(le *data.LockedError) string {
	switch {
	case le.PID > 0 && le.Program != "":
		return fmt.Sprintf("%s (PID %d)", filepath.Base(le.Program), le.PID)
	case le.PID > 0:
		return fmt.Sprintf("process %d", le.PID)
	}
	return "another process"
}

// maxNoticeLines is how many lines a long notice may take: an error's
// reason comes last ("export to PATH: IO Error: Cannot open file…"), and
// cut at the width it was lost. A notice longer still loses its middle
// (noticeLines).
const maxNoticeLines = 3

// noticeLines wraps a notice to at most n lines of w cells. One that does
// not fit keeps its start, what failed, and on its last line its end, why,
// cutting the middle: cut at the end, a path of 600 characters hid the
// reason ("file name too long") that the lines are there for.
func noticeLines(text string, w, n int) []string {
	lines := wrapped(text, w)
	if len(lines) <= n {
		return lines
	}
	// Too many lines as written: the notice goes on one line, and is
	// counted again, since lines of their own (a DuckDB error's LINE 1:,
	// a blank line) may fit once joined: "a\nb\nc\nd" is one line of
	// 80 cells, and taking n-1 lines of it ran out of range.
	flat := strings.ReplaceAll(text, "\n", " ")
	lines = wrapped(flat, w)
	if len(lines) <= n {
		return lines
	}
	// What the first n-1 lines leave wraps to two lines or more, so it is
	// wider than a line: its last w-1 cells come after what those lines
	// show.
	tail := ansi.TruncateLeft(flat, lipgloss.Width(flat)-(w-1), "…")
	return append(lines[:n-1], tail)
}

// wrapped is s wrapped to w cells at its spaces; only a word wider than a
// line (a long path) breaks, after a "/" where it can: broken at every
// "/", a notice wrapped inside a rate ("… 2400/min, 5/" then "h)").
func wrapped(s string, w int) []string {
	var out []string
	for _, l := range strings.Split(ansi.Wordwrap(s, w, ""), "\n") {
		if lipgloss.Width(l) > w {
			l = ansi.Wrap(l, w, "/")
		}
		out = append(out, strings.Split(l, "\n")...)
	}
	return out
}

func (a *App) footer() string {
	st := a.sh.st
	if a.notice != "" {
		s := st.good
		if a.noticeErr {
			s = st.errText
		}
		_, h := a.bodySize()
		lines := noticeLines(a.notice, max(a.width, 1), min(maxNoticeLines, h))
		for i, l := range lines {
			lines[i] = s.Render(fitWidth(strings.TrimRight(l, " "), a.width))
		}
		return strings.Join(lines, "\n")
	}
	var bs, global []key.Binding
	switch {
	case a.palette != nil:
		bs = paletteKeys()
	case a.showHelp:
		if a.helpScrolls() {
			bs = append(bs, key.NewBinding(key.WithHelp("↑/↓", "scroll")))
		}
		bs = append(bs, key.NewBinding(key.WithHelp("any key", "close help")))
	default:
		bs = a.top().keys()
		if a.top().mode() == keysNormal {
			if len(a.stack) > 1 {
				global = append(global, globalKeys.back)
			}
			global = append(global, globalKeys.palette, globalKeys.help, globalKeys.quit)
		}
	}
	right := hints(st, global, a.width)
	left := hints(st, bs, a.width-lipgloss.Width(right)-4)
	gap := a.width - lipgloss.Width(left) - lipgloss.Width(right)
	if right == "" || gap < 2 {
		return fitWidth(left, a.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// hints renders key bindings on one line, dropping from the end what does
// not fit the width (? lists them all).
func hints(st *styles, bs []key.Binding, width int) string {
	var out []string
	used := -2
	for _, b := range bs {
		h := b.Help()
		if h.Key == "" {
			continue
		}
		part := st.key.Render(h.Key) + " " + st.keyDesc.Render(h.Desc)
		w := lipgloss.Width(part) + 2
		if used+w > width {
			continue // a shorter one further on may still fit
		}
		out = append(out, part)
		used += w
	}
	return strings.Join(out, "  ")
}

// typingNoter is a form screen (Launch): its help says which keys its text
// fields take as text.
type typingNoter interface{ typingNote() string }

// helpKey scrolls a help taller than the body (↑/↓, pgup/pgdown) and
// closes it on any other key; ctrl+c quits.
func (a *App) helpKey(m tea.KeyPressMsg) tea.Cmd {
	sw, sh := a.screenSize()
	_, h := a.bodySize()
	rows := max(min(sh, h)-1, 1) // the last row says what is cut
	step := 0
	switch m.String() {
	case "ctrl+c":
		return tea.Quit
	case "down", "j":
		step = 1
	case "up", "k":
		step = -1
	case "pgdown", "space":
		step = rows
	case "pgup":
		step = -rows
	}
	if step == 0 || !a.helpScrolls() {
		a.showHelp = false
		return nil
	}
	last := max(len(a.helpLines(sw))-rows, 0)
	a.helpTop = min(max(a.helpTop+step, 0), last)
	return nil
}

// helpScrolls reports whether help is taller than the body.
func (a *App) helpScrolls() bool {
	sw, sh := a.screenSize()
	_, h := a.bodySize()
	return len(a.helpLines(sw)) > min(sh, h)
}

// helpView is help laid out for w×h: where it is taller, the rows from
// helpTop and a last row that says how many lines are above and below and
// how to scroll. It was cut at the bottom without a word on a short
// terminal (60×15 lost "Everywhere", "Tables" and the commands).
func (a *App) helpView(w, h int) string {
	lines := a.helpLines(w)
	if len(lines) <= h || h < 2 {
		return strings.Join(lines, "\n")
	}
	rows := h - 1
	top := min(max(a.helpTop, 0), len(lines)-rows)
	shown := lines[top : top+rows]
	below := len(lines) - top - rows
	mark := fmt.Sprintf("… %d more lines below, %d above · ↑/↓ scroll", below, top)
	if below == 0 {
		mark = fmt.Sprintf("… %d lines above · ↑ scroll", top)
	}
	return strings.Join(append(shown[:rows:rows], a.sh.st.muted.Render(fitWidth(mark, w))), "\n")
}

// helpLines lists every key: the screen's, then the global ones, each
// section in as many columns as the width holds; one entry a line.
func (a *App) helpLines(w int) []string {
	st := a.sh.st
	const colW = 40
	cols := max(1, min(3, w/colW))
	section := func(title string, bs []key.Binding) []string {
		var items []string
		for _, b := range bs {
			if hp := b.Help(); hp.Key != "" {
				items = append(items, "  "+st.key.Render(pad(hp.Key, 10, false))+" "+pad(hp.Desc, colW-14, false))
			}
		}
		lines := []string{st.title.Render(title)}
		rows := (len(items) + cols - 1) / cols
		for r := 0; r < rows; r++ {
			var line string
			for c := 0; c < cols; c++ {
				if i := c*rows + r; i < len(items) {
					line += items[i]
				}
			}
			lines = append(lines, line)
		}
		return append(lines, "")
	}
	var lines []string
	lines = append(lines, section(a.top().title(), a.top().keys())...)
	// A form says which keys its text fields type: there ?, : and q are
	// text, not the global keys listed below; and it has no table.
	form, isForm := a.top().(typingNoter)
	if isForm {
		lines = append(lines, st.muted.Render(wrap(form.typingNote(), w)), "")
	}
	everywhere := "Everywhere"
	if isForm {
		everywhere = "Everywhere but in a text field"
	}
	lines = append(lines, section(everywhere, []key.Binding{globalKeys.palette, globalKeys.help, globalKeys.back,
		globalKeys.quit, key.NewBinding(key.WithHelp("ctrl+c", "quit; cancels a launch")),
		globalKeys.retry, globalKeys.snapshot})...)
	if !isForm {
		lines = append(lines, section("Tables", []key.Binding{tableKeys.up, tableKeys.down, tableKeys.pgUp, tableKeys.pgDown, tableKeys.top, tableKeys.bottom})...)
	}
	for _, l := range wrapItems(append([]string{"Commands (:):"}, paletteUsages()...), w) {
		lines = append(lines, st.muted.Render(l))
	}
	return strings.Split(strings.Join(lines, "\n"), "\n")
}

// wrapItems lays items out on lines of at most w cells, "a · b · c", never
// breaking inside an item, and leaving the separator at the end of a line
// rather than at the start of the next.
func wrapItems(items []string, w int) []string {
	var lines []string
	line := ""
	for i, it := range items {
		sep := " · "
		if i <= 1 { // the title and the first item
			sep = " "
		}
		room := w
		if i < len(items)-1 {
			room -= 2 // " ·", the separator that may end this line
		}
		switch {
		case line == "":
			line = it
		case lipgloss.Width(line+sep+it) > room:
			lines = append(lines, strings.TrimRight(line+sep, " "))
			line = it
		default:
			line += sep + it
		}
	}
	return append(lines, line)
}

// joinBar puts left and right on one bar of the given width.
func joinBar(st *styles, left, right string, width int) string {
	gap := width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		// Narrow: keep the breadcrumb, cut the store info.
		right = ansi.Truncate(right, max(width-lipgloss.Width(left)-1, 0), "…")
		gap = max(width-lipgloss.Width(left)-lipgloss.Width(right), 0)
	}
	return ansi.Truncate(left+st.bar.Render(strings.Repeat(" ", gap))+right, width, "")
}

// clippedScreen is a screen that lays out a window scrolled by keys, whose
// page must be the rows shown: told the body's rows (h, fewer than it is
// laid out for on a small terminal, whose rows above its last keepLastLine
// drops) before each view, it shows and scrolls by those.
type clippedScreen interface{ setVisibleRows(h int) }

// keepLastLine clips a screen laid out for more rows than the body has
// (minBodyH, where a banner takes a row of a small terminal) to h rows,
// dropping rows above its last rather than the last: a screen's last line
// is its status (the SQL console's row count and columns), which clipping
// at the bottom lost at 44×14 under the views banner.
func keepLastLine(s string, h int) string {
	lines := strings.Split(s, "\n")
	if h < 2 || len(lines) <= h {
		return s
	}
	return strings.Join(append(lines[:h-1:h-1], lines[len(lines)-1]), "\n")
}

// fitBlock makes s exactly w×h: extra lines are cut, long lines truncated,
// missing lines added, so the frame never jumps.
func fitBlock(s string, w, h int) string {
	if h <= 0 {
		return ""
	}
	w = max(w, 0)
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
