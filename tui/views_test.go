package tui

import (
	"strings"
	"testing"

	"aiecon/data"
)

// redefineView gives the store at path a view of aiecon's with the same
// columns and other SQL (a frozen copy of what it shows, as a user might
// make through `aiecon sql --write`): what reads it still works, and shows
// what that SQL computes (run_summary: the runs as of the copy).
func redefineView(t *testing.T, path, view string) {
	t.Helper()
	st, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().ExecContext(t.Context(),
		"CREATE TABLE frozen AS SELECT * FROM "+view+"; CREATE OR REPLACE VIEW "+view+" AS SELECT * FROM frozen"); err != nil {
		st.Close()
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestViewsChangedBanner: a store whose view was redefined with aiecon's
// columns and other SQL makes every CLI command warn as it opens it; the
// dashboard opened it without a word and listed what the new SQL computes
// under aiecon's names. Its first screen now says so in the banner and
// points at doctor, at every width, and a store with aiecon's views shows
// no such line.
func TestViewsChangedBanner(t *testing.T) {
	path := copyFixture(t)
	redefineView(t, path, "run_summary")
	for _, w := range []int{100, 40} {
		s := startSession(t, testOptions(path), w, 24)
		scr := s.wait("9 of 9 runs", "⚠", "run_summary")
		if w == 100 && !strings.Contains(scr, "aiecon doctor") {
			t.Errorf("%d columns: the banner does not point at doctor:\n%s", w, scr)
		}
	}
	s := startSession(t, testOptions(copyFixture(t)), 100, 24)
	if scr := s.wait("9 of 9 runs"); strings.Contains(scr, "⚠") || strings.Contains(scr, "redefined") {
		t.Errorf("a banner over a store with aiecon's views:\n%s", scr)
	}
}

// TestViewsChangedLaunch: the read-write open of a launch warns of the
// views too; that warning is not the store's close failing (the launch
// said "run stored; closing the store afterwards said: ... redefined"),
// and the banner stays. (forecast_bands: a frozen run_summary would not
// list the launched run, and its screen would say "no such run".)
func TestViewsChangedLaunch(t *testing.T) {
	path := copyFixture(t)
	redefineView(t, path, "forecast_bands")
	s := startSession(t, launchOptions(path), 100, 30)
	s.wait("9 of 9 runs", "forecast_bands")
	s.press("n")
	s.wait("Rate (chat)")
	s.press("down", "ctrl+u", "text:1m", "ctrl+r")
	scr := s.wait("✓ complete", "forecast_bands")
	if strings.Contains(scr, "closing the store") {
		t.Errorf("the views warning reads as a failure to close the store:\n%s", scr)
	}
}

// TestSQLStatusUnderViewsBanner: at 44×14 the views banner leaves the SQL
// console 11 rows for the 12 it is laid out for; clipping at the bottom
// lost its status line, and at 44 columns the line was cut mid-way
// ("columns 1…"). The status now keeps its row, above the key hints, and
// says the rows and the columns shown in short.
func TestSQLStatusUnderViewsBanner(t *testing.T) {
	path := copyFixture(t)
	redefineView(t, path, "run_summary")
	s := startSession(t, testOptions(path), 44, 14)
	s.wait("1m1q01zz", "⚠")
	s.press("e")
	scr := s.wait("views:", "rows 1–9 of 9")
	lines := strings.Split(scr, "\n")
	if len(lines) < 2 {
		t.Fatalf("the screen:\n%s", scr)
	}
	status := lines[len(lines)-2]
	for _, want := range []string{"rows 1–9 of 9 · page 1/1", "cols 1–", "←/→"} {
		if !strings.Contains(status, want) {
			t.Errorf("the status line %q lacks %q:\n%s", status, want, scr)
		}
	}
	if strings.Contains(status, "…") {
		t.Errorf("the status line is cut: %q", status)
	}
}
