package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/model"
	"aiecon/runner"
	"aiecon/sim"
)

// launchOptions runs the real simulator with the assumed efficiency, so the
// tests do not depend on the calibration profiles of the machine.
func launchOptions(path string) Options {
	o := testOptions(path)
	o.Calibration = &runner.Calibration{Eff: hw.DefaultEfficiency, Source: "test"}
	return o
}

func storedRuns(t *testing.T, path string) []data.RunSummary {
	t.Helper()
	var runs []data.RunSummary
	c := newConn(path, -1)
	defer c.close()
	if err := c.read(func(st *data.Store) error {
		var err error
		runs, err = st.Runs(t.Context(), data.RunFilter{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return runs
}

// TestLaunchRunsAndOpens launches the built-in baseline with a shorter
// horizon and more instances: the run is simulated, stored, and opens; the
// store is free for other writers afterwards.
func TestLaunchRunsAndOpens(t *testing.T) {
	path := copyFixture(t)
	s := startSession(t, launchOptions(path), 100, 30)
	s.wait("9 of 9 runs")
	s.press("n")
	s.wait("Rate (chat)", "Horizon", "Instances")
	// Focus starts on Seed: down to Horizon, then Instances.
	s.press("down", "ctrl+u", "text:2m", "down", "ctrl+u", "text:6")
	s.wait("changed: --set horizon=2m", "changed: --set fleet.count=6")
	s.press("ctrl+r")
	scr := s.wait("✓ complete", "horizon 2m", "$/Mtok all costs")
	if !strings.Contains(scr, "Runs › Run ") {
		t.Errorf("the launched run did not replace the Launch screen:\n%s", scr)
	}
	runs := storedRuns(t, path)
	if len(runs) != 10 {
		t.Fatalf("%d runs stored, want 10", len(runs))
	}
	r := runs[0] // newest first
	if r.Name != "baseline [horizon=2m fleet.count=6]" || r.Status != data.StatusComplete || r.HorizonS != 120 {
		t.Errorf("stored run %+v, want a complete 2m baseline named with its changed knobs, as `aiecon run` names it", r)
	}
	if !strings.Contains(scr, shortID(r.ID, 0)) {
		t.Errorf("the screen does not show the stored run %s:\n%s", r.ID, scr)
	}
	// The dashboard holds no lock once the run is stored and shown (the
	// read-only store closes after its idle time).
	time.Sleep(200 * time.Millisecond)
	release := lockStore(t, path)
	release()
	s.press("esc")
	s.wait("10 of 10 runs")
}

// TestLaunchShowsProgressAndCancels: a long run shows its progress and
// live KPIs; esc cancels it and the store keeps it as failed.
func TestLaunchShowsProgressAndCancels(t *testing.T) {
	path := copyFixture(t)
	s := startSession(t, launchOptions(path), 100, 30)
	s.wait("9 of 9 runs")
	s.press("n")
	s.wait("Rate (chat)")
	s.press("down", "ctrl+u", "text:30d", "ctrl+r")
	scr := s.wait("Running baseline", "esc or ctrl+c cancels (the run is kept as failed)", "Served so far", "simulated")
	if strings.Contains(scr, "q quit") {
		t.Errorf("q is offered while a run is in progress:\n%s", scr)
	}
	// Wait for at least one window so the live KPIs have filled in.
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(s.rec.last(), "Windows") || strings.Contains(s.rec.last(), "│ 0 ") {
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.press("esc")
	s.wait("run cancelled: it is kept in the store as failed")
	runs := storedRuns(t, path)
	if len(runs) != 10 || runs[0].Status != data.StatusFailed {
		t.Fatalf("after cancelling: %d runs, newest %+v; want 10 with the newest failed", len(runs), runs[0])
	}
	s.press("esc")
	s.wait("10 of 10 runs", "✗")
}

// TestLaunchCancelledBeforeStored: esc while the run still waits for the
// store (another process holds it) cancels a run that was never
// registered: the notice says nothing was stored, not that it is kept as
// failed, and the store has no new run.
func TestLaunchCancelledBeforeStored(t *testing.T) {
	path := copyFixture(t)
	s := startSession(t, launchOptions(path), 100, 30)
	s.wait("9 of 9 runs")
	s.press("n")
	s.wait("Rate (chat)")
	release := lockStore(t, path) // beginWrite waits for it (launchLockWait)
	defer release()
	s.press("down", "ctrl+u", "text:30d", "ctrl+r")
	scr := s.wait("Running baseline")
	if strings.Contains(scr, "kept as failed") { // not registered while the store is held
		t.Errorf("a run not yet stored says a cancel keeps it as failed:\n%s", scr)
	}
	s.press("esc")
	scr = s.wait("run cancelled before it was stored: nothing was stored")
	if strings.Contains(scr, "kept in the store as failed") {
		t.Errorf("a run never stored is said to be kept as failed:\n%s", scr)
	}
	release()
	if n := len(storedRuns(t, path)); n != 9 {
		t.Errorf("%d runs stored after a launch cancelled before it was stored, want 9", n)
	}
}

// TestLaunchRejectsBadKnobs: a bad value is reported with the --set that
// caused it, and nothing runs.
func TestLaunchRejectsBadKnobs(t *testing.T) {
	path := copyFixture(t)
	s := startSession(t, launchOptions(path), 100, 30)
	s.wait("9 of 9 runs")
	s.press("n")
	s.wait("Rate (chat)")
	s.press("ctrl+u", "text:many", "ctrl+r")
	s.wait(`--set seed=many: seed: want an integer`)
	s.press("ctrl+u", "text:1", "down", "down", "down", "down", "down", "text:count=3", "ctrl+r")
	s.wait("--set count: unknown field count")
	s.press("ctrl+u", "text:fleet.count", "ctrl+r")
	s.wait(`more --set: "fleet.count" is not path=value`)
	// A knob's error names the --set the user changed, its workload as
	// the --set does (chat, not index 0), not a line of the built-in.
	s.press("ctrl+u", "up", "ctrl+u", "text:-3/s", "ctrl+r")
	scr := s.wait("--set workloads[chat].arrivals.rate=-3/s: workloads[chat].arrivals.rate: -3/s: want a positive rate")
	if strings.Contains(scr, "built-in baseline:") {
		t.Errorf("the error blames the built-in scenario:\n%s", scr)
	}
	if n := len(storedRuns(t, path)); n != 9 {
		t.Errorf("%d runs stored after rejected launches, want 9", n)
	}
}

// TestLaunchVariant: the chooser offers a scenario's variants; choosing
// one fills the knobs with the variant's values and runs the variant.
func TestLaunchVariant(t *testing.T) {
	entries := listVariants(0)().(variantsMsg).entries
	from, to := slices.Index(entries, "baseline"), slices.Index(entries, "gpu-vs-trainium/p5")
	if from < 0 || to < from {
		t.Fatalf("chooser entries %q: want baseline before gpu-vs-trainium/p5", entries)
	}
	path := copyFixture(t)
	s := startSession(t, launchOptions(path), 100, 30)
	s.wait("9 of 9 runs")
	s.press("n")
	s.wait("Rate (chat)", fmt.Sprintf("%d/%d", from+1, len(entries)+1))
	s.press("up", "up") // from Seed, past Run name, to the chooser
	for range to - from {
		s.press("right")
	}
	s.wait(fmt.Sprintf("%d/%d", to+1, len(entries)+1), "p5.48xlarge", "1 x p5.48xlarge (8 x H100)")
	s.press("down", "down", "down", "ctrl+u", "text:1m", "ctrl+r") // to Horizon
	scr := s.wait("✓ complete", "gpu-vs-trainium/p5", "p5.48xlarge", "vllm scheduler")
	if !strings.Contains(scr, "horizon 1m") {
		t.Errorf("the variant did not run with the horizon set:\n%s", scr)
	}
}

// TestLiveWindowsBeforeTheEnd: a watched run hands its windows over as
// they close, so the Launch cards advance; a run of fewer windows than the
// simulator's batch used to show none until it ended ("0 windows" at 31%).
func TestLiveWindowsBeforeTheEnd(t *testing.T) {
	l, err := runner.Load("baseline", []string{"horizon=20m"}) // 20 windows of 1m
	if err != nil {
		t.Fatal(err)
	}
	feed := newLiveFeed()
	var seenMidway int
	progress := func(p sim.Progress) {
		feed.progress(p)
		if p.SimNs > p.HorizonNs/2 && seenMidway == 0 {
			feed.mu.Lock()
			seenMidway = len(feed.windows)
			feed.mu.Unlock()
		}
	}
	cal := runner.Calibration{Eff: hw.DefaultEfficiency, Source: "test"}
	if _, err := runner.Run(t.Context(), l, runner.Options{Tee: feed, Progress: progress, Calibration: &cal}); err != nil {
		t.Fatal(err)
	}
	if seenMidway < 5 {
		t.Errorf("past half the horizon the screen had %d windows, want the ~10 that had closed", seenMidway)
	}
}

// settle feeds the messages of cmd, and of what they return, back to the
// Launch screen; it returns the prepared launch, which it does not start.
func settle(s *launchScreen, cmd tea.Cmd) *preparedMsg {
	var prepared *preparedMsg
	for _, m := range msgsOf(cmd) {
		if p, ok := m.(preparedMsg); ok {
			prepared = &p
			continue
		}
		if p := settle(s, s.update(m)); p != nil {
			prepared = p
		}
	}
	return prepared
}

// TestLaunchFileFillsKnobs: a scenario file typed in the File field fills
// the knobs with its values whichever key leaves the field, and ctrl+r in
// the field launches with them. Only enter used to load it: the knobs kept
// the previous scenario's values, and since an unchanged knob is not sent
// the run used the file's while the form showed others.
func TestLaunchFileFillsKnobs(t *testing.T) {
	src, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(strings.Replace(string(src), "\nhorizon: 1h\n", "\nhorizon: 7m\n", 1), "\n  count: 4\n", "\n  count: 3\n", 1)
	path := filepath.Join(t.TempDir(), "mine.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  tea.KeyPressMsg
	}{
		{"down", keyMsg("down")},
		{"tab", keyMsg("tab")},
		{"up", keyMsg("up")},
		{"shift+tab", tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}},
		{"enter", keyMsg("enter")},
		{"ctrl+r", keyMsg("ctrl+r")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newLaunchScreen(testShared(), "")
			s.resize(100, 28)
			settle(s, s.init())
			if got := s.fields[fHorizon].ed.Value(); got != "1h" {
				t.Fatalf("the built-in baseline's horizon is %q, want 1h", got)
			}
			s.setFocus(s.chooserFocus())
			for s.choice != len(s.builtins) {
				settle(s, s.update(keyMsg("right")))
			}
			s.update(keyMsg("down")) // to the File field
			settle(s, s.update(tea.PasteMsg{Content: path}))
			prepared := settle(s, s.update(tt.key))
			if h, n := s.fields[fHorizon].ed.Value(), s.fields[fCount].ed.Value(); h != "7m" || n != "3" {
				t.Errorf("after %s the knobs show horizon %q and %q instances, want the file's 7m and 3", tt.name, h, n)
			}
			if sets, _ := s.sets(); len(sets) != 0 {
				t.Errorf("untouched knobs give sets %q", sets)
			}
			if tt.name != "ctrl+r" {
				return
			}
			if prepared == nil || prepared.err != nil {
				t.Fatalf("ctrl+r prepared %+v", prepared)
			}
			if sc := prepared.l.Scenario; sc.Horizon.String() != "7m" || sc.Fleet.Count != 3 {
				t.Errorf("ctrl+r launches horizon %s with %d instances, want the file's 7m and 3", sc.Horizon, sc.Fleet.Count)
			}
		})
	}
}

// TestLaunchFileExpandsHome: a leading ~ in the File field (or in
// :launch ~/x.yaml) is the home directory, as in the dashboard's other
// path fields; the runner was given ~/mine.yaml as typed and said no such
// file. A file that is not there is named both as typed and as expanded.
func TestLaunchFileExpandsHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	src, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(string(src), "\nhorizon: 1h\n", "\nhorizon: 7m\n", 1)
	if err := os.WriteFile(filepath.Join(home, "mine.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	typed := func(path string) func() *launchScreen { // typed in the File field, then ctrl+r
		return func() *launchScreen {
			s := newLaunchScreen(testShared(), "")
			s.resize(100, 28)
			settle(s, s.init())
			s.setFocus(s.chooserFocus())
			for s.choice != len(s.builtins) {
				settle(s, s.update(keyMsg("right")))
			}
			s.update(keyMsg("down")) // to the File field
			settle(s, s.update(tea.PasteMsg{Content: path}))
			return s
		}
	}
	palette := func(path string) func() *launchScreen { // :launch PATH
		return func() *launchScreen {
			s := newLaunchScreen(testShared(), path)
			s.resize(100, 28)
			settle(s, s.init())
			return s
		}
	}
	tests := []struct {
		name    string
		open    func() *launchScreen
		wantErr []string // nil: the file loads
	}{
		{"File ~/mine.yaml", typed("~/mine.yaml"), nil},
		{":launch ~/mine.yaml", palette("~/mine.yaml"), nil},
		{"File ~/nope.yaml", typed("~/nope.yaml"), []string{"~/nope.yaml is " + filepath.Join(home, "nope.yaml") + ":", "does not exist"}},
		{":launch ~/nope.yaml", palette("~/nope.yaml"), []string{"~/nope.yaml is " + filepath.Join(home, "nope.yaml") + ":", "does not exist"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.open()
			prepared := settle(s, s.update(keyMsg("ctrl+r")))
			if tt.wantErr != nil {
				view := strings.Join(strings.Fields(ansi.Strip(s.view(100, 28))), " ")
				for _, want := range tt.wantErr {
					if s.loadErr == nil || !strings.Contains(s.loadErr.Error(), want) || !strings.Contains(view, want) {
						t.Errorf("load error %v, and the form:\n%s\nwant %q", s.loadErr, view, want)
					}
				}
				return
			}
			if s.loadErr != nil || prepared == nil || prepared.err != nil {
				t.Fatalf("load error %v, prepared %+v", s.loadErr, prepared)
			}
			if h := s.fields[fHorizon].ed.Value(); h != "7m" || prepared.l.Scenario.Horizon.String() != "7m" {
				t.Errorf("the knobs show horizon %q and ctrl+r launches %s, want the file's 7m", h, prepared.l.Scenario.Horizon)
			}
		})
	}
}

// TestLaunchKeepsKnobsTypedWhileLoading: a knob typed in after choosing
// another scenario, before its values arrive, keeps what was typed (and is
// sent as a change); the load used to overwrite it with the scenario's.
func TestLaunchKeepsKnobsTypedWhileLoading(t *testing.T) {
	s := newLaunchScreen(testShared(), "")
	s.resize(100, 28)
	settle(s, s.init())
	s.setFocus(s.chooserFocus())
	load := s.update(keyMsg("right")) // the next built-in, not yet loaded
	for s.focus != fCount {
		s.update(keyMsg("down"))
	}
	setLine(&s.fields[fCount].ed, "")
	s.update(tea.PasteMsg{Content: "9"})
	settle(s, load)
	if s.knobsFor != s.entry() {
		t.Fatalf("the knobs are for %q, want %q", s.knobsFor, s.entry())
	}
	if got := s.fields[fCount].ed.Value(); got != "9" {
		t.Errorf("the count typed while loading reads %q after the load, want 9", got)
	}
	if sets, _ := s.sets(); !slices.Contains(sets, "fleet.count=9") {
		t.Errorf("sets %q, want fleet.count=9 among them", sets)
	}
	if got, want := s.fields[fHorizon].ed.Value(), s.loaded.Scenario.Horizon.String(); got != want {
		t.Errorf("an untouched knob reads %q, want the scenario's %q", got, want)
	}
}

// TestLaunchRateTypedForAnotherWorkload: a rate typed while the next
// scenario loads is kept only if that scenario's first workload is the one
// the field was labelled with; otherwise it would be sent as another
// workload's rate.
func TestLaunchRateTypedForAnotherWorkload(t *testing.T) {
	l, err := runner.Load("baseline", nil)
	if err != nil {
		t.Fatal(err)
	}
	sc := l.Scenario
	own := "workloads[" + sc.Workloads[0].Name + "].arrivals.rate"
	for _, tt := range []struct {
		path, want string
	}{
		{own, "9/s"},
		{"workloads[someone-else].arrivals.rate", sc.Workloads[0].Arrivals.Rate.String()},
	} {
		s := newLaunchScreen(testShared(), "")
		f := s.fields[fRate]
		f.path, f.typedEarly = tt.path, true
		setLine(&f.ed, "9/s")
		s.fillKnobs(sc)
		if got := f.ed.Value(); got != tt.want {
			t.Errorf("typed under %s: the rate reads %q, want %q", tt.path, got, tt.want)
		}
	}
}

// TestLaunchArrowsInAField: in a knob, ←/→ move the text cursor and keep
// the edits (typing 5 in Seed, then →, switched the scenario and reset Seed
// to 1); on the chooser they change the scenario; in the File field of
// file… they move the cursor too. A label of 16 characters keeps a space
// before its value.
func TestLaunchArrowsInAField(t *testing.T) {
	s := newLaunchScreen(testShared(), "")
	s.resize(100, 28)
	settle(s, s.init())
	choice := s.choice
	setLine(&s.fields[fSeed].ed, "1")
	s.update(tea.PasteMsg{Content: "5"})
	settle(s, s.update(keyMsg("left")))
	s.update(tea.PasteMsg{Content: "2"})
	settle(s, s.update(keyMsg("right")))
	if got := s.fields[fSeed].ed.Value(); got != "125" || s.choice != choice {
		t.Errorf("in Seed, ←/→: seed %q, choice %d (was %d); want 125 and the same scenario", got, s.choice, choice)
	}
	if ks := s.keys(); !slices.ContainsFunc(ks, func(k key.Binding) bool { return k.Help().Desc == "move in the text" }) {
		t.Errorf("the footer in a field does not say ←/→ move in the text")
	}
	s.update(keyMsg("up"))
	s.update(keyMsg("up"))
	if s.focus != s.chooserFocus() || s.mode() != keysNormal {
		t.Fatalf("up from Seed twice: focus %d, want the chooser", s.focus)
	}
	settle(s, s.update(keyMsg("right")))
	if s.choice == choice {
		t.Error("→ on the chooser did not change the scenario")
	}
	for s.choice != len(s.builtins) {
		settle(s, s.update(keyMsg("right")))
	}
	s.update(keyMsg("down"))
	if s.focus != fFile {
		t.Fatalf("down from the chooser on file…: focus %d, want File", s.focus)
	}
	s.update(tea.PasteMsg{Content: "ac"})
	s.update(keyMsg("left"))
	s.update(tea.PasteMsg{Content: "b"})
	if got := s.fields[fFile].ed.Value(); got != "abc" || s.choice != len(s.builtins) {
		t.Errorf("in File, ←: %q on choice %d, want abc on file…", got, s.choice)
	}

	s.fields[fRate].label = "Rate (assistant)"
	if v := ansi.Strip(s.view(100, 28)); !strings.Contains(v, "Rate (assistant) ") {
		t.Errorf("a 16-character label runs into its value:\n%s", v)
	}
}

// TestLaunchHelpSaysWhatTypes: the help on the Launch screen says that in
// a field ?, : and q are typed, and lists no table keys (it listed them,
// and ? : q as global, while a field took them as text).
func TestLaunchHelpSaysWhatTypes(t *testing.T) {
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	defer a.Close()
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	a.Update(openLaunchMsg{})
	v := strings.Join(strings.Fields(ansi.Strip(a.helpView(100, 40))), " ")
	for _, want := range []string{"? : q and digits included", "Everywhere but in a text field"} {
		if !strings.Contains(v, want) {
			t.Errorf("the Launch help lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "Tables") {
		t.Errorf("the Launch help lists table keys:\n%s", v)
	}
}

// TestLaunchOnAChosenSnapshot: on a snapshot the user chose (:snapshot on
// a store nobody holds) the form does not promise to store the run in the
// file, and a launch is refused with the true reason and the way back (it
// said the file "was in use").
func TestLaunchOnAChosenSnapshot(t *testing.T) {
	path := copyFixture(t)
	s := startSession(t, launchOptions(path), 100, 30)
	s.wait("9 of 9 runs")
	s.press(":", "text:snapshot", "enter")
	s.wait("reading a snapshot")
	s.press("n")
	scr := s.wait("Rate (chat)", "[ Run ]")
	if strings.Contains(scr, "the run is stored in") {
		t.Errorf("on a snapshot the form promises to store the run in the file:\n%s", scr)
	}
	s.wait("reading a snapshot: runs are stored in the live file (R on Run, or after esc, goes back to it)")
	s.press("ctrl+r")
	scr = s.wait("not launched: the dashboard is reading a snapshot copy of store.duckdb")
	if strings.Contains(scr, "was in use") {
		t.Errorf("the refusal says the store was in use, which it was not:\n%s", scr)
	}
	if n := len(storedRuns(t, path)); n != 9 {
		t.Errorf("%d runs stored, want 9", n)
	}
	// R on Run goes back, as the form said.
	s.press("down", "down", "down", "down", "down", "down", "R")
	scr = s.wait("back on the live file", "the run is stored in store.duckdb")
	if strings.Contains(scr, "not launched") {
		t.Errorf("the refusal for the snapshot stays on the live file:\n%s", scr)
	}
}

// TestLaunchHorizonRange: a horizon too long for any duration says it is
// out of the horizon's range, as a negative one does (it said "bad
// duration", as for a typo).
func TestLaunchHorizonRange(t *testing.T) {
	path := copyFixture(t)
	s := startSession(t, launchOptions(path), 100, 30)
	s.wait("9 of 9 runs")
	s.press("n")
	s.wait("Rate (chat)")
	for _, h := range []string{"-5m", "99999999h", "36600d"} {
		s.press("down", "ctrl+u", "text:"+h, "ctrl+r")
		s.wait("--set horizon=" + h + ": horizon: " + h + " is out of range (allowed: 1s to 366d)")
		s.press("up")
	}
}

// TestLaunchMoreSetsCannotOverrideAKnob: a More --set of a path a knob
// sets ran its value while the knob went on showing its own (horizon=1s
// under Horizon 1h, fleet.count=2 under Instances 4). It is refused,
// naming the knob, and nothing runs; a path no knob sets still goes.
func TestLaunchMoreSetsCannotOverrideAKnob(t *testing.T) {
	path := copyFixture(t)
	s := startSession(t, launchOptions(path), 100, 30)
	s.wait("9 of 9 runs")
	s.press("n")
	s.wait("Rate (chat)")
	s.press("down", "down", "down", "down", "down") // Seed to More --set
	for _, tt := range []struct{ set, head, want string }{
		{"horizon=1s", "more --set horizon=1s:", `more --set horizon=1s: the Horizon field sets horizon, and shows "1h"; type the value there`},
		{"window=1m  fleet.count=2", "more --set fleet.count=2:", `more --set fleet.count=2: the Instances field sets fleet.count, and shows "4"`},
		{"workloads[0].arrivals.rate=9/s", "more --set workloads[0].arrivals.rate=9/s:",
			`the Rate (chat) field sets workloads[chat].arrivals.rate, and shows "2.5/s"`},
		{"workloads[chat].arrivals.rate=9/s", "more --set workloads[chat].arrivals.rate=9/s:", "the Rate (chat) field sets workloads[chat].arrivals.rate"},
		{"seed=5", "more --set seed=5:", `the Seed field sets seed, and shows "1"`},
	} {
		s.press("ctrl+u", "text:"+tt.set, "ctrl+r")
		scr := s.wait(tt.head)
		if flat := strings.Join(strings.Fields(scr), " "); !strings.Contains(flat, tt.want) {
			t.Errorf("more --set %s: the screen does not say %q:\n%s", tt.set, tt.want, scr)
		}
	}
	if n := len(storedRuns(t, path)); n != 9 {
		t.Errorf("%d runs stored after refused launches, want 9", n)
	}
	// A path no knob sets goes, beside the knobs' own.
	s.press("ctrl+u", "text:window=30s", "up", "up", "up", "up", "ctrl+u", "text:1m", "ctrl+r")
	s.wait("✓ complete", "horizon 1m")
	if runs := storedRuns(t, path); len(runs) != 10 || runs[0].Name != "baseline [horizon=1m window=30s]" {
		t.Errorf("stored %d runs, the newest %+v; want a 10th, baseline [horizon=1m window=30s]", len(runs), runs[0])
	}
}
