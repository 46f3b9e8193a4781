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
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"aiecon/model"
	"aiecon/runner"
	"aiecon/sim"
)

// launchScreen runs a new simulation: pick a built-in scenario or a file,
// change a few knobs (each becomes a --set), run it with a live progress
// bar and KPIs that fill in as windows complete. The store is opened
// read-write only while the run is written; when it is done the run opens.
type launchScreen struct {
	base
	builtins []string // built-in scenarios, and their variants as name/variant
	choice   int      // index into builtins; len(builtins) = a file
	fields   []*field
	// focus is an index into fields; len(fields) is the Run button and
	// chooserFocus() the scenario chooser, where ←/→ change the scenario
	// (in a field they move the text cursor).
	focus   int
	loaded  *runner.Loaded
	loadErr error // the chosen scenario does not load
	// prepErr is why the last launch was refused (a bad knob). It is about
	// the values at that moment, so an edit clears it: left on screen it
	// blamed fleet.count=72h once the field read 72hq.
	prepErr error
	prepSeq int // the newest prepare; an older answer is dropped
	// knobsFor is the chooser entry whose values the knobs hold. An
	// unchanged knob is not sent, so a launch with the knobs of another
	// entry would run values the form does not show.
	knobsFor string
	// launchOnLoad: ctrl+r came before the knobs of the entry were loaded;
	// the launch follows the load.
	launchOnLoad bool
	// preparing: a launch's scenario is being loaded with the knobs, and
	// the run starts when it is. From ctrl+r (with launchOnLoad) until the
	// run ends the screen holds the keyboard (starting): : and ? opened
	// the palette or help in the gap, which then stayed over the run and
	// closed the screen (back) or the dashboard (quit) under it.
	preparing bool

	// While running.
	running    bool
	cancelling bool
	cancel     context.CancelFunc
	feed       *liveFeed
	started    time.Time
	now        time.Time
	horizonNs  int64
	simNs      int64
	events     uint64
	ws         []sim.WindowRecord
	runErr     error
	runName    string
	// notes are what loading the scenario with the knobs noted
	// (preparedMsg.notes), said when the run starts and when it is stored.
	notes []string
	// runID is the run's id once its row is in the store (the feed says
	// so): only from then on does a cancel keep it as failed.
	runID string
	bar   progress.Model // drawn at the fraction simulated, not animated
}

// field is a knob of the form: a label, a text field, and the override
// path it sets (empty for the name and the file path).
type field struct {
	label, path, hint string
	ed                textinput.Model
	orig              string // the scenario's value; unchanged means no --set
	// typedEarly: the user changed the knob while the chosen entry's
	// values were still loading; the load keeps the user's value (it
	// replaced it, and a quick edit after a switch was lost).
	typedEarly bool
}

const (
	fFile = iota
	fName
	fSeed
	fHorizon
	fCount
	fInstance
	fRate
	fSets
)

type scenarioLoadedMsg struct {
	addr
	entry string // the chooser entry it was loaded for (indices move when variants arrive)
	l     *runner.Loaded
	err   error
}

type preparedMsg struct {
	addr
	seq int
	l   *runner.Loaded
	err error
	// notes are what `aiecon run` notes on stderr as it loads the
	// scenario: what loading changed on its own (runner.Loaded.Notes: a
	// request sample rate lowered to keep the store within its budget),
	// then the file's own values that are bad where a knob replaces them
	// (runner.MaskedByOverrides). Only the latter were said here, so a
	// launch stored a sample of its requests without a word.
	notes []string
}

type runDoneMsg struct {
	addr
	// id is the run's once its row is in the store (runner's Registered),
	// also when it failed or was cancelled after that; "" when nothing was
	// stored (cancelled while the store opened, say).
	id       string
	err      error
	closeErr error  // closing the store after a complete run
	repaired string // what opening the store repaired (data.RepairReport), if anything
}

var launchKeys = struct {
	run, choose, cursor, move, cancel, callOff key.Binding
}{
	run:     key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "run")),
	choose:  key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "scenario")),
	cursor:  key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "move in the text")),
	move:    key.NewBinding(key.WithKeys("up", "down", "tab"), key.WithHelp("↑/↓", "field")),
	cancel:  key.NewBinding(key.WithKeys("esc", "ctrl+c"), key.WithHelp("esc/ctrl+c", "cancel the run")),
	callOff: key.NewBinding(key.WithKeys("esc", "ctrl+c"), key.WithHelp("esc/ctrl+c", "call the launch off")),
}

func newLaunchScreen(sh *shared, scenario string) *launchScreen {
	s := &launchScreen{base: newBase(sh), builtins: model.BuiltinNames(), bar: newProgressBar()}
	mk := func(label, path, hint string) *field {
		return &field{label: label, path: path, hint: hint, ed: newLineInput(sh.st, "", hint)}
	}
	s.fields = []*field{
		fFile:     mk("File", "", "path/to/scenario.yaml (instead of a built-in)"),
		fName:     mk("Run name", "", "default: the scenario's name [changed knobs]"),
		fSeed:     mk("Seed", "seed", ""),
		fHorizon:  mk("Horizon", "horizon", "e.g. 5m, 1h"),
		fCount:    mk("Instances", "fleet.count", ""),
		fInstance: mk("Instance", "fleet.instance", "e.g. trn2.48xlarge"),
		fRate:     mk("Arrival rate", "", "e.g. 30/s"),
		fSets:     mk("More --set", "", "path=value path=value …"),
	}
	s.choice = slices.Index(s.builtins, model.DefaultScenario)
	if name, _, ok := strings.Cut(scenario, "/"); ok && slices.Contains(s.builtins, name) {
		// A variant (launch gpu-vs-trainium/p5): listed before the
		// variants are, so that the choice holds when they arrive.
		s.builtins = slices.Insert(s.builtins, slices.Index(s.builtins, name)+1, scenario)
	}
	if scenario != "" {
		if i := slices.Index(s.builtins, scenario); i >= 0 {
			s.choice = i
		} else {
			s.choice = len(s.builtins)
			setLine(&s.fields[fFile].ed, scenario)
		}
	}
	if s.choice < 0 {
		s.choice = 0
	}
	s.focus = fSeed
	return s
}

func (s *launchScreen) title() string { return "Launch" }

func (s *launchScreen) init() tea.Cmd { return tea.Batch(s.loadScenario(), listVariants(s.sid)) }

// arg is the scenario to load (a built-in's name or a file) and variant
// the variant of it chosen, "" for the scenario itself.
func (s *launchScreen) arg() (arg, variant string) {
	if s.choice < len(s.builtins) {
		arg, variant, _ = strings.Cut(s.builtins[s.choice], "/")
		return arg, variant
	}
	return strings.TrimSpace(s.fields[fFile].ed.Value()), ""
}

// loadScenario reads the chosen scenario (a file read, so in a Cmd) to
// fill the knobs with its values.
func (s *launchScreen) loadScenario() tea.Cmd {
	arg, variant := s.arg()
	to, entry := s.sid, s.entry()
	if arg == "" {
		return nil
	}
	return func() tea.Msg {
		l, err := loadChoice(arg, variant, nil)
		return scenarioLoadedMsg{addr: addr{to}, entry: entry, l: l, err: err}
	}
}

func (s *launchScreen) resize(w, h int) {
	s.w, s.h = w, h
	for _, f := range s.fields {
		sizeLine(&f.ed, min(w-18, 61))
	}
	s.bar.SetWidth(barWidth(w))
}

// starting says a launch was asked for and its run has not started yet.
func (s *launchScreen) starting() bool { return s.launchOnLoad || s.preparing }

func (s *launchScreen) mode() keyMode {
	if s.running || s.starting() {
		return keysModal
	}
	if s.focus < len(s.fields) {
		return keysText
	}
	return keysNormal
}

func (s *launchScreen) back() bool { return false }

func (s *launchScreen) keys() []key.Binding {
	if s.running {
		return []key.Binding{launchKeys.cancel}
	}
	if s.starting() {
		return []key.Binding{launchKeys.callOff}
	}
	ks := []key.Binding{launchKeys.run, launchKeys.move}
	switch {
	case s.focus == s.chooserFocus():
		ks = append(ks, launchKeys.choose)
	case s.focus < len(s.fields):
		ks = append(ks, launchKeys.cursor)
	}
	if s.mode() == keysText {
		// Off the fields the footer adds the global keys, esc back among
		// them: the footer said it twice.
		ks = append(ks, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")))
	}
	return ks
}

// chooserFocus is the focus of the scenario chooser: after the Run button,
// so that down from Run and up from the first field reach it.
func (s *launchScreen) chooserFocus() int { return len(s.fields) + 1 }

// typingNote says, for the help, which keys a text field takes: there
// letters, ?, : and q are typed, not the global keys they are elsewhere.
func (s *launchScreen) typingNote() string {
	return "In a field (File, the knobs) every printable key is typed, ? : q and digits included, and ←/→ move in the text; " +
		"↑/↓ or tab leave it, ctrl+r runs, esc goes back, ctrl+c quits. On the Scenario line ←/→ change the scenario, " +
		"and on it or on [ Run ] the global keys below work."
}

func (s *launchScreen) update(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case variantsMsg:
		s.addVariants(m.entries)
		return nil
	case scenarioLoadedMsg:
		return s.scenarioLoaded(m)
	case preparedMsg:
		if m.seq != s.prepSeq || s.running {
			return nil
		}
		s.preparing = false
		if m.err != nil {
			return s.refuse(m.err)
		}
		s.notes = m.notes
		if len(m.notes) > 0 { // said in the footer, as `aiecon run` says them on stderr
			return tea.Batch(notice(s.notesText(), true), s.start(m.l))
		}
		return s.start(m.l)
	case refreshMsg: // back on the live file, say: a refusal for the snapshot no longer holds
		if errors.Is(s.prepErr, errOnSnapshot) && !s.sh.snapshot {
			s.prepErr = nil
		}
		return nil
	case liveMsg:
		return s.live(m)
	case runDoneMsg:
		late := s.cancelling // esc came, yet the run may have ended whole
		s.running, s.cancelling = false, false
		if s.cancel != nil {
			s.cancel()
		}
		if m.err != nil {
			if errors.Is(m.err, context.Canceled) {
				return cancelledNotice(m.id)
			}
			s.runErr = m.err
			return s.unlessShown(notice("the run failed: "+oneLine(m.err.Error()), true))
		}
		text, warn := s.storedNotice(m, late)
		return cmdOf(openRunMsg{ref: m.id, replaces: s.sid, notice: text, noticeErr: warn})
	case tea.PasteMsg:
		if !s.running && !s.starting() && s.focus < len(s.fields) {
			return s.edit(m)
		}
	case tea.KeyPressMsg:
		switch {
		case s.running:
			return s.runningKey(m)
		case s.starting():
			return s.startingKey(m)
		}
		return s.handleKey(m)
	}
	return nil
}

// storedNotice says that the run m ended is stored, and what the store
// said, or what loading the scenario noted (notesText), if anything:
// the notice at the start is replaced by this one, and a short run's
// lasted a moment. The run's screen, which replaces Launch, says it
// (openRunMsg.notice); warn says it is a warning.
//
// late is a cancel that came after the simulation had ended: its results
// are whole and the store committed them complete in one transaction
// (runner.Simulated.Finish), as `aiecon run` keeps a run stopped then.
// Failing them would call a finished run failed, and a cancel during the
// commit could not be honoured anyway; so the notice says the run is
// complete, where the header had said a cancel keeps it as failed.
func (s *launchScreen) storedNotice(m runDoneMsg, late bool) (text string, warn bool) {
	text, warn = "run "+m.id+" stored", false
	if late {
		text, warn = "the cancel came too late, the simulation had ended: run "+m.id+" is stored complete", true
	}
	if m.repaired != "" {
		text, warn = text+"; the store had been damaged by a kill or a failed write and was "+m.repaired, true
	}
	if m.closeErr != nil {
		text, warn = text+"; closing the store afterwards said: "+oneLine(m.closeErr.Error()), true
	}
	if len(s.notes) > 0 {
		text, warn = text+"; "+s.notesText(), true
	}
	return text, warn
}

// notesText is the notes of the launch's load (launchScreen.notes).
func (s *launchScreen) notesText() string { return "note: " + strings.Join(s.notes, "; ") }

// scenarioLoaded fills the knobs with the chosen entry's values, and
// launches where ctrl+r came before they were loaded.
func (s *launchScreen) scenarioLoaded(m scenarioLoadedMsg) tea.Cmd {
	if m.entry != s.entry() {
		return nil
	}
	launch := s.launchOnLoad
	s.loadErr, s.launchOnLoad = m.err, false
	if m.err != nil {
		if launch && s.knobsChanged() {
			// A knob may replace the bad value, as --set does for `aiecon
			// run`: the launch tries the file with the knobs, and is
			// refused only if it still does not load.
			return s.prepare()
		}
		return s.unlessShown(errNotice(m.err))
	}
	s.loaded, s.knobsFor = m.l, m.entry
	s.fillKnobs(m.l.Scenario)
	if launch {
		return s.prepare()
	}
	return nil
}

// cancelledNotice says what a cancel left: the run as failed once its row
// was written (id), else nothing, when esc came while the store opened or
// before the run was registered.
func cancelledNotice(id string) tea.Cmd {
	if id == "" {
		return notice("run cancelled before it was stored: nothing was stored", true)
	}
	return notice("run cancelled: it is kept in the store as failed", true)
}

// runningKey handles a key while the run is in progress: esc or ctrl+c
// cancels it.
func (s *launchScreen) runningKey(m tea.KeyPressMsg) tea.Cmd {
	switch m.String() {
	case "esc", "ctrl+c":
		if !s.cancelling {
			s.cancelling = true
			s.cancel()
		}
	case "q":
		// q quits everywhere else. Here a stray q must not throw a
		// long run away, but it must not go unanswered either.
		if s.cancelling {
			return notice("q does not quit while a run is in progress: it is being cancelled"+s.cancelKeeps(), false)
		}
		return notice("q does not quit while a run is in progress: esc or ctrl+c cancels it"+s.cancelKeeps(), false)
	}
	return nil
}

// cancelKeeps is what the cancel keys' hints add about what a cancel
// leaves: the run kept as failed once it is registered (runID), nothing
// before, when the store is still opening and a cancel stores nothing
// (cancelledNotice), so the hint says nothing then.
func (s *launchScreen) cancelKeeps() string {
	switch {
	case s.runID == "":
		return ""
	case s.horizonNs > 0 && s.simNs >= s.horizonNs:
		// At the horizon the simulation is ending (or draining): a cancel
		// may land only once its results are being stored, and the run is
		// then kept complete (runDoneMsg says which it was).
		return " (at its horizon a cancel may come too late: the run is then kept complete)"
	}
	return " (the run is kept as failed)"
}

// startingKey handles a key between ctrl+r and the run's start: esc or
// ctrl+c calls the launch off, and any other key is answered, not typed
// (the run would not use what it changed).
func (s *launchScreen) startingKey(m tea.KeyPressMsg) tea.Cmd {
	if k := m.String(); k != "esc" && k != "ctrl+c" {
		return notice("the run is starting: esc or ctrl+c calls it off", false)
	}
	s.launchOnLoad, s.preparing = false, false
	s.prepSeq++ // the launch being prepared is dropped when it is ready
	return notice("launch called off: nothing ran", false)
}

// handleKey edits the form. Leaving the File field, by whichever key,
// loads the file typed, so that the knobs show its values.
func (s *launchScreen) handleKey(m tea.KeyPressMsg) tea.Cmd {
	from := s.focus
	cmd := s.formKey(m)
	if from == fFile && s.focus != fFile && s.knobsFor != s.entry() {
		return tea.Batch(cmd, s.loadScenario())
	}
	return cmd
}

func (s *launchScreen) formKey(m tea.KeyPressMsg) tea.Cmd {
	k := m.String()
	switch k {
	case "ctrl+r":
		return s.launch()
	case "esc":
		return cmdOf(paletteActionMsg{action: "back"})
	case "up", "shift+tab":
		s.setFocus((s.focus + len(s.fields) + 1) % (len(s.fields) + 2))
		return nil
	case "down", "tab":
		s.setFocus((s.focus + 1) % (len(s.fields) + 2))
		return nil
	case "enter":
		if s.focus == len(s.fields) {
			return s.launch()
		}
		s.setFocus((s.focus + 1) % (len(s.fields) + 2))
		return nil
	case "left", "right":
		if s.focus != s.chooserFocus() {
			// In a field they move the text cursor: switching the
			// scenario from there reset every knob typed (5 in Seed, then
			// →, left Seed 1).
			break
		}
		step := 1
		if k == "left" {
			step = len(s.builtins)
		}
		s.choice = (s.choice + step) % (len(s.builtins) + 1)
		s.loaded, s.loadErr, s.prepErr = nil, nil, nil
		for _, f := range s.fields {
			f.typedEarly = false // another entry: its values replace the edits
		}
		return s.loadScenario()
	}
	if s.focus < len(s.fields) {
		return s.edit(m)
	}
	return nil
}

// edit passes a key or a paste to the focused field; a change to it
// clears the refusal of the last launch, which may no longer hold.
func (s *launchScreen) edit(msg tea.Msg) tea.Cmd {
	f := s.fields[s.focus]
	before := f.ed.Value()
	var cmd tea.Cmd
	f.ed, cmd = f.ed.Update(msg)
	if f.ed.Value() != before {
		s.prepErr = nil
		if s.focus != fFile && s.knobsFor != s.entry() {
			f.typedEarly = true
		}
	}
	return cmd
}

func (s *launchScreen) setFocus(i int) {
	if i == fFile && s.choice < len(s.builtins) {
		if s.focus > fFile && s.focus != s.chooserFocus() {
			i = s.chooserFocus() // skipping up past the file field
		} else {
			i = fName
		}
	}
	for k, f := range s.fields {
		if k == i {
			f.ed.Focus() // no Cmd: the cursor does not blink
		} else {
			f.ed.Blur()
		}
	}
	s.focus = i
}

// fillKnobs puts the scenario's values in the knobs, but for a knob the
// user typed in while they loaded, which keeps what was typed.
func (s *launchScreen) fillKnobs(sc *model.Scenario) {
	set := func(i int, v string) {
		f := s.fields[i]
		if !f.typedEarly {
			setLine(&f.ed, v)
		}
		f.orig, f.typedEarly = v, false
	}
	set(fSeed, fmt.Sprint(sc.Seed))
	set(fHorizon, sc.Horizon.String())
	set(fCount, fmt.Sprint(sc.Fleet.Count))
	set(fInstance, sc.Fleet.Instance)
	before := s.fields[fRate].path
	s.fields[fRate].path = ""
	rate := ""
	if len(sc.Workloads) > 0 {
		w := sc.Workloads[0]
		s.fields[fRate].path = "workloads[" + w.Name + "].arrivals.rate"
		s.fields[fRate].label = "Rate (" + w.Name + ")"
		if w.Arrivals.Rate > 0 {
			rate = w.Arrivals.Rate.String()
		}
	}
	if s.fields[fRate].path != before {
		// A rate typed under another workload's label is not this one's.
		s.fields[fRate].typedEarly = false
	}
	set(fRate, rate)
	s.setFocus(s.focus)
}

// override is the --set a knob makes, if it makes one: not when it holds
// the scenario's value, nor when it is empty. An emptied knob keeps the
// scenario's value, as a run without that --set does; the form says so
// rather than call it a change.
func (f *field) override() (set string, ok bool) {
	v := strings.TrimSpace(f.ed.Value())
	if f.path == "" || v == f.orig || v == "" {
		return "", false
	}
	return f.path + "=" + v, true
}

// sets turns the changed knobs into overrides.
func (s *launchScreen) sets() ([]string, error) {
	var out []string
	for i, f := range s.fields {
		set, ok := f.override()
		if !ok {
			continue
		}
		// A horizon too long to be a duration at all is out of the
		// horizon's range, as -5m is, not a malformed duration.
		if i == fHorizon {
			v := strings.TrimSpace(f.ed.Value())
			if _, err := model.ParseDuration(v); errors.Is(err, model.ErrDurationRange) {
				return nil, fmt.Errorf("--set %s: horizon: %s is out of range (allowed: 1s to %v)", set, v, model.MaxHorizon)
			}
		}
		out = append(out, set)
	}
	more, err := splitSets(s.fields[fSets].ed.Value())
	if err != nil {
		return nil, fmt.Errorf("more --set: %w", err)
	}
	owned := s.knobPaths()
	for _, kv := range more {
		path, _, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("more --set: %q is not path=value", kv)
		}
		if err := model.CheckTypedSet(kv); err != nil { // an empty value would reset the field
			return nil, fmt.Errorf("more --set: %w", err)
		}
		if f, ok := owned[strings.TrimSpace(path)]; ok {
			return nil, fmt.Errorf("more --set %s: the %s field sets %s, and shows %q; type the value there", kv, f.label, f.path, strings.TrimSpace(f.ed.Value()))
		}
		out = append(out, kv)
	}
	return out, nil
}

// repeatedSets says what `aiecon run` warns of when a --set path is given
// twice (model.RepeatedSets): More --set fleet.pricing=spot
// fleet.pricing=on-demand ran on-demand without a word. A repeat is no
// error (the last wins, as on the command line), so the form says it under
// the field as it is typed and still launches. Sets the form refuses are
// refused at launch in their own words; they warn of nothing here.
func (s *launchScreen) repeatedSets() []string {
	sets, err := s.sets()
	if err != nil {
		return nil
	}
	return model.RepeatedSets(sets)
}

// knobPaths are the paths the knobs set, each with its knob, so that More
// --set cannot set one behind it: horizon=1s there ran 1s while the
// Horizon field went on showing 1h. The rate knob's workload is the first,
// so workloads[0] names it too.
func (s *launchScreen) knobPaths() map[string]*field {
	owned := map[string]*field{}
	for i, f := range s.fields {
		if f.path == "" {
			continue
		}
		owned[f.path] = f
		if i == fRate {
			owned["workloads[0].arrivals.rate"] = f
		}
	}
	return owned
}

// launch runs the scenario with the knobs, once the knobs hold the chosen
// entry's values: until they do (a file path typed and ctrl+r pressed in
// its field, or a load still on its way) it loads them first.
func (s *launchScreen) launch() tea.Cmd {
	if arg, _ := s.arg(); arg != "" && s.knobsFor != s.entry() {
		s.launchOnLoad = true
		return s.loadScenario()
	}
	return s.prepare()
}

// errOnSnapshot is a launch refused because reads go to a snapshot copy.
var errOnSnapshot = errors.New("not launched")

// prepare loads and validates the scenario with the knobs (in a Cmd: it
// may read a file), then starts the run.
func (s *launchScreen) prepare() tea.Cmd {
	arg, variant := s.arg()
	if s.sh.snapshot { // the store would refuse it (beginWrite): say why before anything runs
		return s.refuse(fmt.Errorf("%w: the dashboard is reading a snapshot copy of %s, and runs are stored in the live file: "+
			"R on Run, or after esc, goes back to it", errOnSnapshot, filepath.Base(s.sh.opts.Path)))
	}
	if arg == "" {
		return s.refuse(errors.New("choose a built-in scenario (←/→ on the Scenario line) or type a file path"))
	}
	// The name is checked as `aiecon run --name` checks it: every listing
	// prints it, and a name of 5000 characters or with U+202E in it (which
	// turns the rest of a line around) was stored from here.
	if msg := model.BadLabel(s.name()); msg != "" {
		s.prepSeq++
		return s.refuse(fmt.Errorf("Run name: %s", msg))
	}
	sets, err := s.sets()
	if err != nil {
		s.prepSeq++ // whatever is still being prepared is stale now
		return s.refuse(err)
	}
	s.loadErr, s.prepErr, s.runErr = nil, nil, nil
	s.prepSeq++
	s.preparing = true
	to, seq := s.sid, s.prepSeq
	return func() tea.Msg {
		l, err := loadChoice(arg, variant, sets)
		if err != nil {
			return preparedMsg{addr: addr{to}, seq: seq, err: err}
		}
		return preparedMsg{addr: addr{to}, seq: seq, l: l, notes: loadNotes(l)}
	}
}

// knobsChanged says whether the knobs make any --set (a bad one counts:
// prepare refuses it in its own words).
func (s *launchScreen) knobsChanged() bool {
	sets, err := s.sets()
	return err != nil || len(sets) > 0
}

// refuse keeps why a launch was refused under the form, and says it in the
// footer too where the form's end is below the screen (unlessShown): on a
// small terminal (40x12) ctrl+r seemed to do nothing.
func (s *launchScreen) refuse(err error) tea.Cmd {
	s.prepErr = err
	return s.unlessShown(errNotice(err))
}

// unlessShown is the notice of an error the form shows at its end (a
// refusal, a load or run error), for where the form is taller than the
// screen and its end does not show; nil where it shows. Said in both
// places, each error took 2 to 4 of 24 rows twice.
func (s *launchScreen) unlessShown(cmd tea.Cmd) tea.Cmd {
	if strings.Count(s.view(s.w, s.h), "\n")+1 <= s.h {
		return nil
	}
	return cmd
}

// errNotice is an error as a footer notice, on one line (a scenario's
// errors come one a line), which the footer wraps.
func errNotice(err error) tea.Cmd { return notice(oneLine(err.Error()), true) }

// name is the run name typed, "" for the runner's default.
func (s *launchScreen) name() string { return strings.TrimSpace(s.fields[fName].ed.Value()) }

// start runs the simulation in a Cmd; progress and windows come back
// through the live feed.
func (s *launchScreen) start(l *runner.Loaded) tea.Cmd {
	ctx, cancel := context.WithCancel(s.sh.ctx)
	s.cancel = cancel
	s.feed = newLiveFeed()
	s.running, s.cancelling = true, false
	s.started, s.now, s.runID = time.Now(), time.Now(), ""
	s.horizonNs, s.simNs, s.events, s.ws = int64(l.Scenario.Horizon), 0, 0, nil
	// An empty name is the runner's default, as for `aiecon run`: the
	// scenario's name with the changed knobs, so that the run tells apart
	// from the scenario's other runs in the list.
	s.runName = s.name()
	if s.runName == "" {
		s.runName = l.DefaultRunName()
	}
	feed, c, to := s.feed, s.sh.conn, s.sid
	opts := runner.Options{Name: s.runName, Version: s.sh.opts.Version, Progress: feed.progress, Tee: feed,
		Calibration: s.sh.opts.Calibration}
	run := func() tea.Msg {
		defer feed.finish()
		st, repaired, err := c.beginWrite(ctx)
		if err != nil {
			return runDoneMsg{addr: addr{to}, err: err}
		}
		var id string // set in this goroutine, by runner.Run
		opts.Store, opts.Registered = st, func(r string) { id = r; feed.registered(r) }
		out, err := runner.Run(ctx, l, opts)
		cerr := c.endWrite()
		if err != nil {
			return runDoneMsg{addr: addr{to}, id: id, err: err}
		}
		// The run is stored complete; a failure to close the store after it
		// does not undo that, so it is only reported.
		return runDoneMsg{addr: addr{to}, id: out.RunID, closeErr: cerr, repaired: repaired}
	}
	return tea.Batch(run, feed.listen(to))
}

func (s *launchScreen) live(m liveMsg) tea.Cmd {
	s.now = m.at
	s.ws = append(s.ws, m.windows...)
	if m.runID != "" {
		s.runID = m.runID
	}
	if m.hasProg {
		s.simNs, s.events = max(s.simNs, m.prog.SimNs), m.prog.Events
	}
	if n := len(s.ws); n > 0 {
		s.simNs = max(s.simNs, s.ws[n-1].EndNs)
	}
	if m.last || !s.running {
		return nil
	}
	return s.feed.listen(s.sid)
}

func (s *launchScreen) view(w, h int) string {
	if s.running {
		return s.runningView(w, h)
	}
	st := s.sh.st
	var lines []string
	label := st.title.Render("Scenario")
	if s.focus == s.chooserFocus() {
		label = st.selected.Render("Scenario")
	}
	lines = append(lines, label+"  "+s.chooser(w-10))
	if s.loaded != nil && s.loaded.Scenario.Description != "" {
		lines = append(lines, st.muted.Render(fitWidth("          "+s.loaded.Scenario.Description, w)))
	}
	lines = append(lines, "")
	labelW := 16 // at least a space between a label and its value
	for _, f := range s.fields {
		labelW = max(labelW, lipgloss.Width(f.label)+1)
	}
	for i, f := range s.fields {
		if i == fFile && s.choice < len(s.builtins) {
			continue
		}
		marker := "  "
		if i == s.focus {
			marker = st.acc.Render("▸ ")
		}
		note := ""
		if set, ok := f.override(); ok {
			note = st.warn.Render("  changed: --set " + set)
		} else if f.path != "" && f.orig != "" && strings.TrimSpace(f.ed.Value()) == "" {
			note = st.muted.Render("  empty: keeps the scenario's " + f.orig)
		}
		lines = append(lines, fitWidth(marker+pad(f.label, labelW, false)+lineView(f.ed)+note, w))
	}
	for _, r := range s.repeatedSets() {
		lines = append(lines, st.warn.Render(wrap("warning: "+r, w)))
	}
	lines = append(lines, "")
	btn := "[ Run ]"
	if s.focus == len(s.fields) {
		btn = st.selected.Render(btn)
	} else {
		btn = st.acc.Render(btn)
	}
	if !s.sh.snapshot {
		lines = append(lines, "  "+btn+st.muted.Render("  enter on Run or ctrl+r · the run is stored in "+filepath.Base(s.sh.opts.Path)))
	} else { // beginWrite refuses: say so before, and how to leave
		lines = append(lines, "  "+btn+st.muted.Render("  enter on Run or ctrl+r"),
			st.warn.Render(wrap("reading a snapshot: runs are stored in the live file (R on Run, or after esc, goes back to it)", w)))
	}
	if s.starting() {
		lines = append(lines, "", st.acc.Render(fitWidth("starting the run… esc or ctrl+c calls it off", w)))
	}
	for _, err := range []error{s.loadErr, s.prepErr} {
		if err != nil {
			lines = append(lines, "", st.errText.Render(wrap(oneLineKeepBreaks(err.Error()), w)))
		}
	}
	if s.runErr != nil {
		lines = append(lines, "", st.errText.Render(wrap("the run failed: "+s.runErr.Error(), w)))
	}
	return strings.Join(lines, "\n")
}

// chooser shows the scenarios around the chosen one, as many as fit.
func (s *launchScreen) chooser(w int) string {
	st := s.sh.st
	names := append(slices.Clone(s.builtins), "file…")
	item := func(i int) string {
		if i == s.choice {
			return st.selected.Render(" " + names[i] + " ")
		}
		return st.muted.Render(" " + names[i] + " ")
	}
	lo, hi := s.choice, s.choice+1
	used := lipgloss.Width(item(s.choice))
	keys := "←/→"
	if s.focus != s.chooserFocus() { // in a field ←/→ move the cursor
		keys = "↑ then ←/→"
	}
	count := fmt.Sprintf("  %d/%d %s", s.choice+1, len(names), keys)
	room := w - len(count) - 4
	for grew := true; grew; {
		grew = false
		if hi < len(names) && used+lipgloss.Width(item(hi)) <= room {
			used += lipgloss.Width(item(hi))
			hi++
			grew = true
		}
		if lo > 0 && used+lipgloss.Width(item(lo-1)) <= room {
			lo--
			used += lipgloss.Width(item(lo))
			grew = true
		}
	}
	var b strings.Builder
	b.WriteString("‹")
	if lo > 0 {
		b.WriteString(st.muted.Render("…"))
	}
	for i := lo; i < hi; i++ {
		b.WriteString(item(i))
	}
	if hi < len(names) {
		b.WriteString(st.muted.Render("…"))
	}
	b.WriteString("›" + st.muted.Render(count))
	return b.String()
}

func (s *launchScreen) runningView(w, h int) string {
	st := s.sh.st
	frac := 0.0
	if s.horizonNs > 0 {
		frac = min(float64(s.simNs)/float64(s.horizonNs), 1)
	}
	state, how := "Running", " · esc or ctrl+c cancels"
	if s.cancelling { // the keys were pressed: the header no longer offers them
		state, how = "Cancelling", " · waiting for the run to stop"
	}
	head := st.title.Render(fmt.Sprintf("%s %s", state, s.runName)) + st.muted.Render(how+s.cancelKeeps())
	bar := s.bar.ViewAs(frac)
	info := fmt.Sprintf("simulated %s of %s · %s events · %s wall clock", fmtClock(float64(s.simNs)/1e9),
		fmtSimTime(s.horizonNs), fmtSig(float64(s.events)), fmtSeconds(s.now.Sub(s.started).Seconds()))
	// The header wraps: cut at 80 columns, it lost what a cancel keeps.
	lines := append(wrapped(head, w), "", bar, st.muted.Render(fitWidth(info, w)), "")
	// KPIs so far, from the windows completed.
	var done, arr int64
	var rev, cost float64
	for _, x := range s.ws {
		done += x.Completions
		arr += x.Arrivals
		rev += x.RevenueUSD
		cost += x.CostUSD
	}
	simS := float64(s.simNs) / 1e9
	// The last window's own figures: its card summed the drops of every
	// window so far under "Last window".
	lastTTFT, lastQ, lastDrop := nan(), nan(), nan()
	if n := len(s.ws); n > 0 {
		lastTTFT, lastQ, lastDrop = s.ws[n-1].TTFTP99S, s.ws[n-1].QueueDepthAvg, float64(s.ws[n-1].Dropped)
	}
	rate := nan()
	if simS > 0 && len(s.ws) > 0 {
		rate = float64(done) / (float64(s.ws[len(s.ws)-1].EndNs) / 1e9)
	}
	cards := []card{
		{title: "Served so far", value: fmtSig(rate) + " done/s", lines: []cardLine{{label: "completed", value: fmtCount(float64(done))}, {label: "arrived", value: fmtCount(float64(arr))}}},
		{title: "Revenue so far", value: fmtUSD(rev), lines: []cardLine{{label: "cost", value: fmtUSD(cost)}, {label: "margin", value: fmtUSD(rev - cost), tone: signTone(rev - cost)}}},
		{title: "Last window", value: "TTFT p99 " + fmtSeconds(lastTTFT), lines: []cardLine{{label: "queue", value: fmtRequests(lastQ)}, {label: "dropped", value: fmtCount(lastDrop)}}},
		{title: "Windows", value: fmt.Sprint(len(s.ws)), lines: []cardLine{{label: "width", value: s.windowWidth()}, {label: "horizon", value: fmtSimTime(s.horizonNs)}}},
	}
	block, bh := renderCards(st, cards, w, 2)
	lines = append(lines, block)
	if rest := h - len(lines) - bh + 1; rest >= 8 && len(s.ws) > 0 {
		lines = append(lines, renderChart(st, runCharts[0], s.ws, w, rest-1))
	}
	return strings.Join(lines, "\n")
}

func (s *launchScreen) windowWidth() string {
	if len(s.ws) == 0 {
		return dash
	}
	return fmtSimTime(s.ws[0].EndNs - s.ws[0].StartNs)
}

// newProgressBar is the bar of a run in progress: full blocks in the
// accent colour over muted shade, and the percentage to a tenth. It is
// drawn with ViewAs at the fraction simulated so far, without bubbles'
// spring animation: the runner reports progress often enough, and an
// animation would redraw the screen 60 times a second while it settles.
func newProgressBar() progress.Model {
	bar := progress.New(progress.WithColors(colAccent), progress.WithFillCharacters('█', '░'))
	bar.EmptyColor = colMuted
	bar.PercentFormat = " %5.1f%%"
	return bar
}

// barWidth is the progress bar's width with its percentage: up to 80 cells
// of bar, at least 10.
func barWidth(w int) int { return max(min(w-8, 80), 10) + len(" 100.0%") }

// wrap breaks text into lines of at most w cells at spaces.
func wrap(s string, w int) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			if line != "" && lipgloss.Width(line)+1+lipgloss.Width(word) > w { // cells, not bytes: "·" is two
				out = append(out, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += word
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// oneLineKeepBreaks collapses runs of spaces but keeps line breaks (a
// scenario error lists one problem per line).
func oneLineKeepBreaks(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}
