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
	if cmd, done := a.closeNotFound(msg); done {
		return cmd
	}
	if cmd, done := a.storeState(msg); done {
		return cmd
	}
	if c, ok := msg.(idsCarrier); ok {
		a.setIDs(c.storeIDs())
	}
	switch m := msg.(type) {
	case idsLoadedMsg:
		return nil
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
		var cmd tea.Cmd
		if i := a.index(m.replaces); i > 0 {
			cmd = a.replace(i, s)
		} else {
			if rs, ok := a.top().(*runScreen); ok && rs.failedToOpen() && len(a.stack) > 1 {
				a.cut(len(a.stack) - 1)
			}
			cmd = a.push(s)
		}
		if m.notice != "" {
			a.notice, a.noticeErr = m.notice, m.noticeErr
		}
		return cmd, true
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
		a.cut(1)
		return a.activateTop(), true
	case paletteActionMsg:
		return a.runAction(m.action), true
	case closeScreenMsg:
		a.notice, a.noticeErr = m.why, true
		for i, sc := range a.stack {
			if i > 0 && sc.id() == m.sid {
				leave(sc)
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
				if !a.snapshotAt.IsZero() {
					// Only R probes from a snapshot (the retry tick does
					// not), so the user asked, and the unchanged snapshot
					// banner alone read as the key doing nothing.
					return notice(fmt.Sprintf("%s is still in use by %s · staying on the snapshot · R retry",
						filepath.Base(a.sh.opts.Path), lockHolder(le)), true), true
				}
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
func (a *App) reloadAll() tea.Cmd { return a.refreshTop() }

// refreshTop reloads the top screen, and the store's ids with it
// (storeIDs): the header's run count was the runs list's last, stale on
// any other screen while another process added runs, after the retry
// tick's reload, :refresh or r. The runs list and a run read them with
// what they load.
func (a *App) refreshTop() tea.Cmd {
	cmd := a.top().update(refreshMsg{})
	switch a.top().(type) {
	case *runsScreen, *runScreen:
		return cmd
	}
	return tea.Batch(cmd, loadIDs(a.sh.conn))
}

// refreshKey is what r does on every screen that has it: what :refresh
// does (refreshTop), through the root, so that the store's ids (the
// header's run count, the palette's runs) are read with the screen. On
// Sweep, Compare and Forecast, r reloaded the screen alone, and the header
// kept its count while :refresh on the same screen moved it.
func refreshKey() tea.Cmd { return cmdOf(paletteActionMsg{action: "refresh"}) }

// idsCarrier is a message that brings the store's ids (storeIDs); nil
// where it could not read them.
type idsCarrier interface{ storeIDs() *storeIDs }

// idsLoadedMsg is loadIDs' answer.
type idsLoadedMsg struct {
	ids *storeIDs
	err error
}

func (m idsLoadedMsg) loadErr() error      { return m.err }
func (m idsLoadedMsg) storeIDs() *storeIDs { return m.ids }

// loadIDs reads the store's ids, in a Cmd: Update never reads the store.
func loadIDs(c *conn) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := c.queryCtx()
		defer cancel()
		var msg idsLoadedMsg
		msg.err = c.read(func(st *data.Store) (err error) {
			msg.ids, err = readStoreIDs(ctx, st)
			return err
		})
		return msg
	}
}

// setIDs makes ids (where read) the header's run count, the runs the
// palette offers (an open one's list too) and what the ids shown are told
// apart from. The palette took its runs from the runs list's loads alone,
// so a run stored since was counted in the header after a reload
// elsewhere, but :run and :compare did not offer it.
func (a *App) setIDs(ids *storeIDs) {
	if ids == nil {
		return
	}
	a.runCount, a.runsKnown = len(ids.runs), true
	a.sh.runs = ids.runs
	a.sh.idLen, a.sh.idLens = abbrevLen(ids.ids), uniqueLens(ids.ids)
	if a.palette != nil {
		a.palette.fill()
	}
}

// index is where the screen of the given id is on the stack, -1 if it is
// not there (0 is never an id).
func (a *App) index(id int) int {
	return slices.IndexFunc(a.stack, func(s screen) bool { return s.id() == id })
}

// replace puts s in place of the screen at i, which need not be on top.
func (a *App) replace(i int, s screen) tea.Cmd {
	if i == len(a.stack)-1 {
		a.cut(i)
		return a.push(s)
	}
	w, h := a.screenSize()
	s.resize(w, h)
	leave(a.stack[i])
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
	a.cut(len(a.stack) - 1)
	return a.activateTop()
}

// leaver is a screen that runs queries which must stop when it leaves the
// stack, by whatever road: esc, :back, :runs, a screen put in its place.
// Esc alone stopped them (back), so :back or :runs left a run's Requests
// query holding the store for up to queryTimeout for a screen gone.
type leaver interface{ leave() }

// leave stops what s runs, if it is a leaver.
func leave(s screen) {
	if l, ok := s.(leaver); ok {
		l.leave()
	}
}

// cut takes the screens from i up off the stack, stopping what they run.
func (a *App) cut(i int) {
	for _, s := range a.stack[i:] {
		leave(s)
	}
	a.stack = a.stack[:i]
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
		return a.ctrlC()
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

// ctrlC stops what the top screen runs (a SQL query), else quits: with
// nothing to stop, ctrl+c keeps its meaning everywhere.
func (a *App) ctrlC() tea.Cmd {
	if in, ok := a.top().(interrupter); ok {
		if done, cmd := in.interrupt(); done {
			return cmd
		}
	}
	return tea.Quit
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
		return a.refreshTop()
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
		return a.ctrlC()
	case !modal && k == "q" && !a.textTop():
		// In a text field q is text: quitting on it threw away a query
		// being typed into the SQL editor when the terminal shrank.
		return tea.Quit
	}
	return nil
}
