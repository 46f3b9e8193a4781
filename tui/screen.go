package tui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"aiecon/data"
	"aiecon/runner"
	"aiecon/study"
)

// screen is one page of the dashboard. The root model keeps a stack of
// them (esc pops), routes key presses to the top one and every result of a
// Cmd to the screen that asked for it (by id), so a result that arrives
// after its screen was closed is dropped.
type screen interface {
	// id is unique for the life of the app.
	id() int
	// title is the screen's part of the breadcrumb in the header.
	title() string
	// init returns the Cmd that loads the screen's data.
	init() tea.Cmd
	// update handles a key press (top screen only) or a message addressed
	// to the screen. It mutates the screen and returns I/O as Cmds.
	update(msg tea.Msg) tea.Cmd
	// view renders the body in exactly w×h cells (the root pads and clips).
	view(w, h int) string
	// resize tells the screen its body size, for components that keep one.
	resize(w, h int)
	// keys are the screen's bindings: the first few show in the footer, all
	// of them in the help (?).
	keys() []key.Binding
	// mode says which keys the root may take before the screen sees them.
	mode() keyMode
	// back handles esc; false lets the root close the screen.
	back() bool
}

// keyMode is how much of the keyboard a screen claims.
type keyMode uint8

const (
	// keysNormal: q, ?, :, esc and the lock keys are the root's.
	keysNormal keyMode = iota
	// keysText: a text field has focus; only ctrl+c is the root's, and esc
	// goes to the screen (which usually leaves the field).
	keysText
	// keysModal: every key goes to the screen, ctrl+c included (a run in
	// progress uses it to cancel).
	keysModal
)

// backCmder is a screen whose esc may need I/O before it closes (clearing
// a filter that the store applies): done says it used the esc.
type backCmder interface {
	backCmd() (done bool, cmd tea.Cmd)
}

// interrupter is a screen whose ctrl+c stops work in progress (a SQL
// query) rather than quit: done says there was something to stop.
type interrupter interface {
	interrupt() (done bool, cmd tea.Cmd)
}

// activator is a screen that reloads when it is on top again after the
// screen above it closed (the runs list after a launch, say).
type activator interface{ activate() tea.Cmd }

// shared is what every screen reads: the store, the styles, the clock.
type shared struct {
	conn  *conn
	st    *styles
	opts  Options
	ctx   context.Context // cancelled when the dashboard exits
	runs  []runRef        // the last run list loaded, for the palette
	idLen int             // how many characters tell the loaded ids apart
	// idLens is each loaded id's shortest unique prefix (uniqueLens).
	idLens map[string]int
	ids    int
	width  int
	// The SQL console's history and completions, kept for the session so
	// that a console opened again has them.
	sqlHist  sqlHistory
	sqlNames []string
	// sqlRelations is the SQL console's line of the store's views and
	// tables, read from its catalog with sqlNames.
	sqlRelations string
	// snapshot: reads go to a snapshot copy (the App's snapshotAt is set),
	// so a launch cannot store its run until R goes back to the live file.
	snapshot bool
	// export is the SQL export in progress, nil when none: one runs at a
	// time in the whole dashboard, not per console (a console opened again
	// after :back started a second, and the first, its console gone, could
	// no longer be stopped). expSeq numbers them.
	export *sqlExport
	expSeq int
	// overMemo keeps the overload check's answers (Options.Overload) by
	// run for the session, so that a sweep opened or refreshed again
	// resolves only the points with runs it has not checked; nil: none.
	overMemo *study.OverloadMemo
	// caveats keeps, beside overMemo, the tally of the CLI's warnings
	// over the runs the check visited, by sweep; nil: none kept.
	caveats *sweepCaveats
}

// runRef is a run as the palette offers it.
type runRef struct{ id, name string }

// short is how an id appears on screen: as long as it takes to tell it
// from the other ids of the store (storeIDs: runs, sweeps and forecasts;
// a prefix :run, :sweep and :forecast resolve), at least minIDLen; an id
// not loaded yet as long as the longest loaded one needs.
func (sh *shared) short(id string) string {
	if n, ok := sh.idLens[id]; ok {
		return shortID(id, n)
	}
	return shortID(id, sh.idLen)
}

func (sh *shared) newID() int {
	sh.ids++
	return sh.ids
}

func (sh *shared) now() time.Time {
	if sh.opts.Now != nil {
		return sh.opts.Now()
	}
	return time.Now()
}

func (sh *shared) loc() *time.Location {
	if sh.opts.Location != nil {
		return sh.opts.Location
	}
	return time.Local
}

// base holds what every screen has; screens embed it.
type base struct {
	sid  int
	sh   *shared
	w, h int // body size, set by resize
}

func (b *base) id() int { return b.sid }

func newBase(sh *shared) base { return base{sid: sh.newID(), sh: sh} }

// addr addresses a message to a screen.
type addr struct{ to int }

func (a addr) target() int { return a.to }

type targeted interface{ target() int }

// loadResult is a message carrying the outcome of store access; the root
// watches them to tell the user when the store is locked or free again.
type loadResult interface{ loadErr() error }

// Navigation and status messages, handled by the root.
type (
	openRunMsg struct {
		ref string // id, prefix or "last"
		// replaces is the id of the screen the run replaces (the Launch
		// screen of a run that finished), 0 for none. By id, not the top screen: a
		// screen opened over a running launch was the one replaced, and
		// the Launch screen stayed under it.
		replaces int
		// notice, if any, is said in the footer once the screen is open
		// (noticeErr: as a warning): a launch's "run … stored" and its
		// notes. Sent beside this message as a noticeMsg, it was wiped
		// whenever the two came in the other order, as the screen pushed
		// clears the footer.
		notice    string
		noticeErr bool
	}
	// closeScreenMsg closes the screen sid, which could not open what it
	// was asked to (a run id that names none), and says why.
	closeScreenMsg struct {
		sid int
		why string
	}
	// openCompareMsg opens the compare screen on refs; note, if any, is
	// shown under it as a notice (what the runs stand for).
	openCompareMsg struct {
		refs []string
		note string
	}
	openSweepMsg  struct{ id string } // "" lists the sweeps
	openSQLMsg    struct{ query string }
	openLaunchMsg struct{ scenario string }
	homeMsg       struct{}
	// openPaletteMsg opens the command palette with some text typed.
	openPaletteMsg struct{ text string }
	// refreshMsg asks the top screen to reload.
	refreshMsg struct{}
	// noticeMsg shows a line in the footer until the next key press.
	noticeMsg struct {
		text string
		err  bool
	}
)

func cmdOf(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

func notice(format string, err bool) tea.Cmd { return cmdOf(noticeMsg{text: format, err: err}) }

// Options configure the dashboard.
type Options struct {
	// Path is the DuckDB store file.
	Path string
	// Version is recorded with the runs the Launch screen makes.
	Version string
	// Snapshot starts on a snapshot copy of the file instead of the file.
	Snapshot bool
	// IdleClose closes the read-only store after this long without a query,
	// so that other aiecon processes can write it; 0 means the default
	// (2 s), a negative value keeps it open.
	IdleClose time.Duration
	// Calibration prices the launched runs; nil lets the runner pick the
	// newest calibration profile, as `aiecon run` does.
	Calibration *runner.Calibration
	// Overload is aiecon run's overload check (its OVERLOADED and SATURATED
	// warnings) for a store's runs, which lives with the CLI's report: the
	// sweep screen marks the points whose runs it flags, as aiecon sweep's
	// table does, and ranks none of them. Nil leaves them unchecked, and
	// the screen says so.
	Overload func(ctx context.Context, st *data.Store) study.OverloadCheck
	// RunsOverloaded is the same check asked of stored runs, by run, as
	// aiecon compare asks it (data.Comparison.Overloaded): the compare
	// screen marks the runs it flags OVERLOADED and warns, in compare's
	// words, that their cost per Mtok is no saving. Nil leaves them
	// unchecked.
	RunsOverloaded func(ctx context.Context, st *data.Store, runs []data.RunSummary) ([]bool, error)
	// RunWarnings are the warnings aiecon show prints under a stored run
	// (OVERLOADED, SESSIONS ABANDONED, COMMERCE COUNTED GROSS, STEP TIMES
	// THINLY FITTED ...), from the CLI's checks, which live with its
	// report: the run screen names them under the run line and shows them
	// in full on i. It may read files (the run's calibration profile), so
	// the screen calls it in the Cmd that loads the run. Nil shows none.
	RunWarnings func(d *data.RunDetail) []string
	// Now and Location fix the clock and time zone of the "started"
	// columns (tests); nil means time.Now and time.Local.
	Now      func() time.Time
	Location *time.Location
}

// DefaultIdleClose is how long the dashboard keeps the store open after its
// last query: short, because a writer (aiecon run) waits for it meanwhile.
const DefaultIdleClose = 500 * time.Millisecond
