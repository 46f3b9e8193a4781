package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"aiecon/data"
)

// recorder wraps the app for teatest and keeps the last screen it drew, as
// plain text, so a test can wait for a screen to show before it goes on.
type recorder struct {
	app    *App
	mu     sync.Mutex
	screen string
}

func (r *recorder) Init() tea.Cmd { return r.app.Init() }

func (r *recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := r.app.Update(msg)
	return r, cmd
}

func (r *recorder) View() tea.View {
	v := r.app.View()
	r.mu.Lock()
	r.screen = ansi.Strip(v.Content)
	r.mu.Unlock()
	return v
}

func (r *recorder) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.screen
}

// session is a dashboard running under teatest on a fixed-size terminal
// with the ASCII colour profile (no colours, as with NO_COLOR).
type session struct {
	t   *testing.T
	tm  *teatest.TestModel
	rec *recorder
}

func testOptions(path string) Options {
	return Options{Path: path, Version: "test", Now: func() time.Time { return fixtureNow }, Location: time.UTC,
		IdleClose: 50 * time.Millisecond}
}

func startSession(t *testing.T, opts Options, w, h int) *session {
	t.Helper()
	if why := wedgedStore(opts.Path); why != "" {
		t.Fatalf("an earlier session left the store %s unable to close (%s): this one would block on it too", opts.Path, why)
	}
	app := New(opts)
	rec := &recorder{app: app}
	tm := teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	s := &session{t: t, tm: tm, rec: rec}
	t.Cleanup(func() {
		endSession(func(err error) { t.Error(err) }, opts.Path, func() { tm.Quit() }, func() { app.Close() }, sendWait, closeWait)
	})
	return s
}

// wait blocks until the screen contains every one of the texts.
func (s *session) wait(texts ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		scr := s.rec.last()
		ok := true
		for _, x := range texts {
			if !strings.Contains(scr, x) {
				ok = false
				break
			}
		}
		if ok {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %q; it shows:\n%s", texts, scr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitProse is wait for sentences a dialog or notice wraps at a width that
// depends on the text (a temporary folder's name varies in length from run
// to run): it matches the screen with box borders dropped and every run of
// spaces and line breaks read as one space.
func (s *session) waitProse(texts ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		scr := s.rec.last()
		flat := flattenProse(scr)
		ok := true
		for _, x := range texts {
			if !strings.Contains(flat, flattenProse(x)) {
				ok = false
				break
			}
		}
		if ok {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %q (read as prose); it shows:\n%s", texts, scr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// flattenProse drops box-drawing borders and collapses white space.
func flattenProse(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune("│╭╮╰╯─", r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// press sends keys: names (enter, esc, down, ctrl+r, …) or single
// characters; "text:…" types a string.
func (s *session) press(keys ...string) {
	for _, k := range keys {
		if t, ok := strings.CutPrefix(k, "text:"); ok {
			for _, c := range t {
				s.send(tea.KeyPressMsg{Code: c, Text: string(c)})
			}
			continue
		}
		s.send(keyMsg(k))
	}
}

// send gives the dashboard a message, failing the test if Update does not
// take it within sendWait.
func (s *session) send(msg tea.Msg) {
	s.t.Helper()
	if err := within(sendWait, fmt.Sprintf("sending %T %v", msg, msg), func() { s.tm.Send(msg) }); err != nil {
		s.t.Fatal(err)
	}
}

var namedKeys = map[string]rune{
	"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "up": tea.KeyUp, "down": tea.KeyDown,
	"left": tea.KeyLeft, "right": tea.KeyRight, "home": tea.KeyHome, "end": tea.KeyEnd, "space": tea.KeySpace,
	"backspace": tea.KeyBackspace, "pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp,
}

func keyMsg(k string) tea.KeyPressMsg {
	if c, ok := strings.CutPrefix(k, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(c[0]), Mod: tea.ModCtrl}
	}
	if r, ok := namedKeys[k]; ok {
		m := tea.KeyPressMsg{Code: r}
		if k == "space" {
			m.Text = " "
		}
		return m
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// golden quits and compares the final screen with the golden file
// (go test ./tui -update rewrites them). Paths that differ between
// machines are masked.
func (s *session) golden(masks map[string]string) {
	s.t.Helper()
	if err := within(sendWait, "quitting the dashboard", func() { s.tm.Quit() }); err != nil {
		s.t.Fatal(err)
	}
	fm := s.tm.FinalModel(s.t, teatest.WithFinalTimeout(10*time.Second))
	out := ansi.Strip(fm.(*recorder).app.View().Content)
	for from, to := range masks {
		out = strings.ReplaceAll(out, from, to)
	}
	// Query times vary from run to run.
	out = elapsedRE.ReplaceAllString(out, "· N ms")
	// Trailing spaces are invisible in a golden file; drop them.
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	teatest.RequireEqualOutput(s.t, []byte(strings.Join(lines, "\n")+"\n"))
}

var elapsedRE = regexp.MustCompile(`· \d+ ms`)

// step is a few key presses and what the screen shows after them.
type step struct {
	keys []string
	want []string
}

// TestScreens navigates every screen of the test store at two terminal
// sizes and compares what it shows with golden files.
func TestScreens(t *testing.T) {
	home := step{want: []string{"9 of 9 runs"}}
	// Mark baseline, baseline-8x and gpu-p5 (space marks and moves down).
	markThree := []string{"end", "space", "up", "up", "space", "up", "up", "space", "c"}
	openBaseline := step{keys: []string{"end", "enter"}, want: []string{"baseline · 1m1q01zz5b0c7d9", "$/Mtok all costs"}}
	tests := []struct {
		name  string
		w, h  int
		steps []step
	}{
		{"runs", 100, 30, []step{home}},
		{"runs_80x24", 80, 24, []step{home}},
		// STARTED gives the date, today's too (it read 09:35:00).
		{"runs_160x40", 160, 40, []step{home, {want: []string{"STARTED", "Mar 14 09:35"}}}},
		{"runs_unfolded_80x24", 80, 24, []step{home, {keys: []string{"right", "down"}, want: []string{"├ x4 20/s", "point 0: count=4 rate=20/s"}}}},
		{"runs_unfolded_160x40", 160, 40, []step{home, {keys: []string{"right", "down"}, want: []string{"├ x4 20/s", "point 0: count=4 rate=20/s"}}}},
		{"runs_filtered", 100, 30, []step{home, {keys: []string{"/", "text:spike", "enter"}, want: []string{"1 of 9 runs"}}}},
		{"runs_sorted_by_cost", 100, 30, []step{home, {keys: []string{"s"}, want: []string{"sorted by cost/Mtok ↑"}}}},
		// At 80 columns REVENUE is left out: the status line says the
		// order is by a column not shown, as no header carries the arrow.
		{"runs_sorted_by_revenue_80x24", 80, 24, []step{home, {keys: []string{"s", "s", "s", "s", "s"}, want: []string{"sorted by revenue ↓ (REVENUE not shown at this width)"}}}},
		{"runs_marked", 100, 30, []step{home, {keys: []string{"end", "space", "up", "up", "space"}, want: []string{"2 marked"}}}},
		{"run_overview", 100, 30, []step{home, openBaseline}},
		{"run_overview_80x24", 80, 24, []step{home, openBaseline}},
		{"run_overview_160x48", 160, 48, []step{home, openBaseline}},
		{"run_charts", 100, 30, []step{home, openBaseline, {keys: []string{"2"}, want: []string{"Revenue and cost"}}}},
		{"run_charts_80x24", 80, 24, []step{home, openBaseline, {keys: []string{"2", "right", "right"}, want: []string{"charts 3–4 of 4"}}}},
		{"run_workloads", 100, 30, []step{home, openBaseline, {keys: []string{"3"}, want: []string{"WORKLOAD", "shopper"}}}},
		// At 120 columns the drops show, those timed out beside those a full queue dropped.
		{"run_workloads_120x30", 120, 30, []step{home, openBaseline, {keys: []string{"3"}, want: []string{"DROPPED", "TIMED OUT"}}}},
		{"run_replicas", 100, 30, []step{home, openBaseline, {keys: []string{"4"}, want: []string{"REPLICA"}}}},
		// The KPIs tab scrolls: its last line says which rows show.
		{"run_kpis", 100, 30, []step{home, openBaseline, {keys: []string{"5"}, want: []string{"SCOPE", "cost per Mtok", "rows 1–21 of 81"}}}},
		{"run_kpis_end_80x24", 80, 24, []step{home, openBaseline, {keys: []string{"5", "end"}, want: []string{"SCOPE", "–81 of 81"}}}},
		{"run_requests", 100, 30, []step{home, openBaseline, {keys: []string{"6"}, want: []string{"rows 1–200 of 450 · page 1/3"}}}},
		{"run_requests_page2", 100, 30, []step{home, openBaseline, {keys: []string{"6"}, want: []string{"page 1/3"}},
			{keys: []string{"n"}, want: []string{"rows 201–400 of 450 · page 2/3"}}}},
		{"run_requests_filtered_sorted", 100, 30, []step{home, openBaseline, {keys: []string{"6"}, want: []string{"page 1/3"}},
			{keys: []string{"/", "text:shop", "enter", "s", "o"}, want: []string{"sorted by arrival ↓ · filter shop", "/shop", "rows 1–90 of 90", " 449  shopper"}}}},
		// At 80 columns the order and the filter stay, the pager's end is cut.
		{"run_requests_filtered_sorted_80x24", 80, 24, []step{home, openBaseline, {keys: []string{"6"}, want: []string{"page 1/3"}},
			{keys: []string{"/", "text:shop", "enter", "s", "s", "s"}, want: []string{"rows 1–90 of 90 · page 1/1 · cols 1–9/13 ←/→ · sorted by TTFT ↓ · filter shop"}}}},
		{"run_scenario", 100, 30, []step{home, openBaseline, {keys: []string{"7"}, want: []string{"resolved scenario"}}}},
		{"run_failed", 100, 30, []step{home, {keys: []string{"down", "enter"}, want: []string{"✗ failed", "has no KPIs"}}}},
		// At 80 columns the header cuts the error: the body says it.
		{"run_failed_80x24", 80, 24, []step{home, {keys: []string{"down", "enter"}, want: []string{"✗ failed", "it was cancelled before it finished"}}}},
		{"compare", 100, 30, []step{home, {keys: markThree, want: []string{"baseline of the deltas", "ΔC"}}}},
		{"compare_80x24", 80, 24, []step{home, {keys: markThree, want: []string{"baseline of the deltas", "runs A–B of 3 · ←/→ more"}}}},
		{"compare_workload_all", 100, 30, []step{home, {keys: []string{"end", "space", "up", "up", "space", "c"}, want: []string{"ΔB"}},
			{keys: []string{"w", "a"}, want: []string{"workload chat · all KPIs"}}}},
		{"sweep", 100, 30, []step{home, {keys: []string{"enter"}, want: []string{"Heatmap: cost per Mtok", "4 points"}}}},
		{"sweep_margin_swapped", 100, 30, []step{home, {keys: []string{"enter"}, want: []string{"Heatmap"}},
			{keys: []string{"m", "x"}, want: []string{"Heatmap: margin over rate × count"}}}},
		{"sweep_80x24", 80, 24, []step{home, {keys: []string{"enter"}, want: []string{"Heatmap", "4 points"}}}},
		{"sweeps", 100, 30, []step{home, {keys: []string{"w"}, want: []string{"Heatmap"}}, {keys: []string{"esc", ":", "text:sweep", "enter"}, want: []string{"1 sweep", "fleet-x-rate"}}}},
		{"sweep_last", 100, 30, []step{home, {keys: []string{":", "text:sweep last", "enter"}, want: []string{"Heatmap", "4 points"}}}},
		{"sql", 100, 30, []step{home, {keys: []string{"e"}, want: []string{"rows 1–9 of 9", "views: forecast_bands requests_v run_summary"}}}},
		{"sql_query", 100, 30, []step{home, {keys: []string{"e"}, want: []string{"rows 1–9 of 9", "views: forecast_bands"}},
			{keys: []string{"ctrl+u", "text:SELECT scope, count(*) AS kpis FROM kpis GROUP BY scope ORDER BY scope", "ctrl+r"}, want: []string{"rows 1–3 of 3"}}}},
		{"sql_80x24", 80, 24, []step{home, {keys: []string{"e"}, want: []string{"rows 1–9 of 9", "views: forecast_bands"}},
			{keys: []string{"ctrl+u", "text:SELECT name, status, round(cost_per_mtok_usd, 2) AS usd_per_mtok FROM run_summary WHERE status = 'complete' ORDER BY usd_per_mtok", "ctrl+r"},
				want: []string{"rows 1–8 of 8"}}}},
		{"sql_refused", 100, 30, []step{home, {keys: []string{"e"}, want: []string{"rows 1–9 of 9", "views: forecast_bands"}},
			{keys: []string{"ctrl+u", "text:DROP TABLE runs", "ctrl+r"}, want: []string{"DROP statements are not run here"}}}},
		{"sql_completion", 100, 30, []step{home, {keys: []string{"e"}, want: []string{"rows 1–9 of 9", "views: forecast_bands"}},
			{keys: []string{"ctrl+u", "text:SELECT name, cost_per_m", "tab", "text: FROM run_s", "tab", "text: WHERE stat", "tab", "text: = 'complete' ORDER BY star", "tab"},
				want: []string{"SELECT name, cost_per_mtok_usd FROM run_summary WHERE status = 'complete' ORDER BY start", "2 names: start_ns started_at"}}}},
		{"sql_history", 100, 30, []step{home, {keys: []string{"e"}, want: []string{"rows 1–9 of 9", "views: forecast_bands"}},
			{keys: []string{"ctrl+u", "text:SELECT 'first' || '-q' AS one", "ctrl+r"}, want: []string{"first-q", "rows 1–1 of 1 "}},
			{keys: []string{"ctrl+u", "text:SELECT 'second' || '-q' AS two", "ctrl+r"}, want: []string{"second-q", "rows 1–1 of 1 "}},
			{keys: []string{"ctrl+u", "text:SELECT 3", "up", "up"}, want: []string{"│ SELECT 'first' || '-q' AS one"}},
			{keys: []string{"down", "down"}, want: []string{"│ SELECT 3"}}}},
		{"help", 100, 30, []step{home, {keys: []string{"?"}, want: []string{"Everywhere"}}}},
		{"palette", 100, 30, []step{home, {keys: []string{":", "text:run base"}, want: []string{"run 1m1q02zz baseline-8x"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startSession(t, testOptions(fixturePath), tt.w, tt.h)
			for _, st := range tt.steps {
				s.press(st.keys...)
				s.wait(st.want...)
			}
			s.golden(map[string]string{fixturePath: "<store>"})
		})
	}
}

// TestEmptyAndMissingStores: a store with no runs and a path with no store
// both say what to do instead of showing an empty table.
func TestEmptyAndMissingStores(t *testing.T) {
	dir := t.TempDir()
	t.Run("missing", func(t *testing.T) {
		path := filepath.Join(dir, "none.duckdb")
		s := startSession(t, testOptions(path), 100, 30)
		s.wait("No store yet", "Press n to launch a run", "store: "+path)
	})
	// A path in a folder that does not exist: a launch cannot create the
	// store there, so the hint says so rather than "press n".
	t.Run("missing_dir", func(t *testing.T) {
		nodir := filepath.Join(dir, "no-such-dir")
		path := filepath.Join(nodir, "x.duckdb")
		s := startSession(t, testOptions(path), 100, 30)
		v := s.waitProse("No store folder", "does not exist", nodir)
		if strings.Contains(v, "Press n") {
			t.Errorf("the hint offers a launch, which cannot create the store:\n%s", v)
		}
	})
	// A path ending in a separator names a folder: the dashboard said "No
	// store yet, press n", and the launch made a file of the name without
	// the separator. It says what is wrong, and a launch stores nothing.
	t.Run("folder_path", func(t *testing.T) {
		path := filepath.Join(dir, "nd") + string(filepath.Separator)
		s := startSession(t, launchOptions(path), 100, 30)
		v := s.waitProse("Not a store file", "ends in a path separator, so names a folder", "store: "+path)
		if strings.Contains(v, "Press n") {
			t.Errorf("the hint offers a launch, which cannot create the store:\n%s", v)
		}
		s.press("n")
		s.wait("Rate (chat)")
		s.press("down", "ctrl+u", "text:1m", "ctrl+r")
		s.waitProse("the run failed: opening the store " + path + ": ends in a path")
		if _, err := os.Stat(filepath.Join(dir, "nd")); err == nil {
			t.Errorf("the launch created %s", filepath.Join(dir, "nd"))
		}
	})
	t.Run("empty", func(t *testing.T) {
		path := filepath.Join(dir, "empty.duckdb")
		if err := buildEmptyStore(path); err != nil {
			t.Fatal(err)
		}
		s := startSession(t, testOptions(path), 100, 30)
		s.wait("No runs yet", "store: "+path, "empty.duckdb · 0 runs")
	})
	t.Run("sweeps_none", func(t *testing.T) {
		s := startSession(t, testOptions(filepath.Join(dir, "empty.duckdb")), 100, 30)
		s.wait("No runs yet")
		s.press(":", "text:sweep", "enter")
		s.wait("No sweeps yet")
		s.golden(map[string]string{dir: "<dir>"})
	})
}

// TestLockedStore: while another process writes the store the dashboard
// says who holds it and offers a snapshot; the snapshot shows the runs;
// R while the holder still has it says so and stays on the snapshot (it
// gave no sign at all); when the holder is gone, R goes back to the live
// file.
func TestLockedStore(t *testing.T) {
	path := copyFixture(t)
	release := lockStore(t, path)
	s := startSession(t, testOptions(path), 100, 30)
	scr := s.wait("The store is in use", "S  open a snapshot copy", "in use by")
	if !strings.Contains(scr, "PID") {
		t.Errorf("the lock message does not name the holder:\n%s", scr)
	}
	s.press("S")
	s.wait("reading a snapshot", "9 of 9 runs", "R live file")
	s.press("R")
	s.wait("is still in use by", "staying on the snapshot", "reading a snapshot", "baseline-8x")
	release()
	s.press("R")
	scr = s.wait("back on the live file", "9 of 9 runs")
	if strings.Contains(scr, "⚠") {
		t.Errorf("the banner is still there after going back to the live file:\n%s", scr)
	}
}

// TestLockKeepsWhatWasShown: a reload that finds the store locked keeps
// the screen's data and says why it is stale.
func TestLockKeepsWhatWasShown(t *testing.T) {
	path := copyFixture(t)
	s := startSession(t, testOptions(path), 100, 30)
	s.wait("9 of 9 runs")
	time.Sleep(150 * time.Millisecond) // let the idle close release the file
	lockStore(t, path)
	s.press("r")
	scr := s.wait("reload failed: the store is in use", "is in use by", "9 of 9 runs", "R retry")
	if !strings.Contains(scr, "baseline-8x") {
		t.Errorf("the runs are gone after a failed reload:\n%s", scr)
	}
}

// TestAnySize: every screen draws at sizes from tiny to huge without
// failing, and fills exactly the terminal.
func TestAnySize(t *testing.T) {
	s := startSession(t, testOptions(fixturePath), 100, 30)
	s.wait("9 of 9 runs")
	visits := [][]string{
		{"end", "enter"}, {"2"}, {"3"}, {"4"}, {"5"}, {"6"}, {"7"}, {"esc"},
		{"enter"}, {"esc"}, {"end", "space", "up", "up", "space", "c"}, {"esc"},
		{"e"}, {"esc"}, {"n"}, {"esc"}, {"?"}, {"esc"}, {":"}, {"esc"},
	}
	sizes := [][2]int{{100, 30}, {20, 6}, {1, 1}, {45, 12}, {240, 70}}
	for _, v := range visits {
		s.press(v...)
		for _, sz := range sizes {
			s.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			deadline := time.Now().Add(5 * time.Second)
			for {
				lines := strings.Split(s.rec.last(), "\n")
				if len(lines) == max(sz[1], 3) || (sz[1] < 3 && len(lines) == 3) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("after %v at %dx%d the screen has %d lines:\n%s", v, sz[0], sz[1], len(lines), s.rec.last())
				}
				time.Sleep(5 * time.Millisecond)
			}
		}
	}
}

// TestNoSuchRun: a run id that matches nothing says so, instead of
// blaming the store, and its screen closes (it stayed on the stack: :run
// zzzz twice read Runs › Run zzzz › Run zzzz); a prefix of several runs
// says it is ambiguous and lists them, rather than "no such run", and a
// second try replaces that screen. Its footer offers nothing that needs a
// run (x export, c compare), which did nothing there.
func TestNoSuchRun(t *testing.T) {
	s := startSession(t, testOptions(fixturePath), 100, 30)
	s.wait("9 of 9 runs")
	for range 2 {
		s.press(":", "text:run zzzz", "enter")
		scr := s.wait(`run "zzzz": no such run`, "9 of 9 runs")
		if strings.Contains(scr, "Run zzzz") {
			t.Errorf("the screen of run zzzz stayed open:\n%s", scr)
		}
	}
	for range 2 {
		s.press(":", "text:run 1m1q0", "enter")
		scr := s.wait("Ambiguous run id", "it matches 1m1q01zz5b0c7d9,", "1m1q02zz5b0c7d9")
		for _, bad := range []string{"No such run", "x export", "c compare", "1-7 tabs", "Run 1m1q0 › Run 1m1q0"} {
			if strings.Contains(scr, bad) {
				t.Errorf("run 1m1q0: the screen shows %q:\n%s", bad, scr)
			}
		}
	}
	s.press("esc")
	s.wait("9 of 9 runs")
}

// TestForecastRunsFold: a forecast stored (through the store's own
// SaveForecast) over two of the fixture's runs folds them into one line of
// the runs list, read from the real store, and enter opens the forecast.
func TestForecastRunsFold(t *testing.T) {
	path := copyFixture(t)
	st, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.SaveForecast(t.Context(), data.ForecastInfo{Name: "plan", SpecYAML: "name: plan\n", PeriodLength: "quarter",
		Periods: 2, Samples: 1, ReportJSON: "{}", Version: "test"}, nil,
		[]data.ForecastRun{{RunID: fixtureID(1), Variant: "owned", Period: 1}, {RunID: fixtureID(2), Variant: "owned", Period: 2}})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	s := startSession(t, testOptions(path), 100, 30)
	scr := s.wait("9 of 9 runs", "plan · 2 quarters × 1 variant · 2 runs")
	if strings.Contains(scr, "baseline-8x") {
		t.Errorf("a forecast's run is listed on its own while the forecast is folded:\n%s", scr)
	}
	s.press("/", "text:plan", "enter")
	s.wait("2 of 9 runs", "owned q1 d0 h0", "owned q2 d0 h0")
	s.press("home")
	s.wait("forecast plan · 2 quarters")
	s.press("enter")
	s.wait("Forecast plan")
}
