package tui

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
)

func summary(id, name string, cost, margin float64) data.RunSummary {
	return data.RunSummary{ID: id, Name: name, Status: data.StatusComplete, StartedAt: fixtureDay, HorizonS: 3600,
		CostPerMTokUSD: cost, MarginUSD: margin, TTFTP99S: 1, SLOAttainment: 0.99, RevenueUSD: 10, ThroughputRPS: 3, Utilization: 0.5}
}

func loadedRuns(s *runsScreen) {
	runs := []data.RunSummary{
		summary("1m1q04aaaaaaaaa", "point-b", 2, 5),
		summary("1m1q03aaaaaaaaa", "point-a", 4, 1),
		summary("1m1q02aaaaaaaaa", "cheap", 1, -3),
		summary("1m1q01aaaaaaaaa", "dear", 9, math.NaN()),
	}
	runs[0].SweepID, runs[0].SweepPoint = "1m1s01aaaaaaaaa", 1
	runs[1].SweepID, runs[1].SweepPoint = "1m1s01aaaaaaaaa", 0
	s.update(runsLoadedMsg{addr: addr{s.sid}, runs: runs,
		sweeps: []data.Sweep{{ID: "1m1s01aaaaaaaaa", Name: "grid", Points: 2, Replications: 1}},
		params: map[string]map[int]string{"1m1s01aaaaaaaaa": {0: `{"fleet.count": 4}`, 1: `{"fleet.count": 8}`}}})
}

func rowLabels(s *runsScreen) []string {
	var out []string
	for _, r := range s.rows {
		out = append(out, r.label)
	}
	return out
}

func TestRunsScreenGroupsSortsFilters(t *testing.T) {
	s := newRunsScreen(testShared())
	s.resize(100, 20)
	loadedRuns(s)
	// Newest first; a sweep folded, saying what it varies.
	want := []string{"grid · 2 points over count · 2 runs", "cheap", "dear"}
	if got := rowLabels(s); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("rows %q, want %q", got, want)
	}
	s.update(keyMsg("right")) // unfolded: its points in point order, compact
	want = []string{"grid · 2 points over count · 2 runs", "├ x4", "└ x8", "cheap", "dear"}
	if got := rowLabels(s); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("unfolded rows %q, want %q", got, want)
	}
	s.update(keyMsg("down")) // the status line spells the point out
	if v := ansi.Strip(s.view(100, 20)); !strings.Contains(v, "grid point 0: count=4") {
		t.Errorf("the selected point's parameters are not on the status line:\n%s", v)
	}
	s.update(keyMsg("up"))
	s.update(keyMsg("s")) // cost per Mtok, cheapest first; the sweep sits at its cheapest run
	want = []string{"cheap", "grid · 2 points over count · 2 runs", "├ x8", "└ x4", "dear"}
	if got := rowLabels(s); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sorted by cost: %q, want %q", got, want)
	}
	s.update(keyMsg("s")) // margin, best first; an undefined margin goes last
	if got := rowLabels(s); got[len(got)-1] != "dear" {
		t.Errorf("sorted by margin: %q, want the NaN margin last", got)
	}
	s.update(keyMsg("/"))
	if s.mode() != keysText {
		t.Fatal("/ did not focus the filter")
	}
	for _, k := range "cheap" {
		s.update(keyMsg(string(k)))
	}
	s.update(keyMsg("enter"))
	if got := rowLabels(s); len(got) != 1 || got[0] != "cheap" {
		t.Errorf("filtered: %q", got)
	}
	if !s.back() || len(s.rows) != 5 {
		t.Errorf("esc did not clear the filter: %q", rowLabels(s))
	}
	if s.back() {
		t.Error("esc with no filter should close the screen")
	}
}

func TestRunsScreenMarksCompareAndOpen(t *testing.T) {
	s := newRunsScreen(testShared())
	s.resize(100, 20)
	loadedRuns(s)
	s.update(keyMsg("right")) // unfold the sweep
	s.tbl.cursor = 4          // dear
	s.update(keyMsg("space"))
	s.tbl.cursor = 3 // cheap
	s.update(keyMsg("space"))
	msgs := msgsOf(s.update(keyMsg("c")))
	cm, ok := msgs[0].(openCompareMsg)
	if !ok || strings.Join(cm.refs, ",") != "1m1q01aaaaaaaaa,1m1q02aaaaaaaaa" {
		t.Fatalf("c sent %#v, want a comparison with the first marked (dear) as baseline", msgs)
	}
	s.tbl.cursor = 0
	if m, ok := msgsOf(s.update(keyMsg("enter")))[0].(openSweepMsg); !ok || m.id != "1m1s01aaaaaaaaa" {
		t.Errorf("enter on a sweep sent %#v", m)
	}
	s.tbl.cursor = 1 // point 0
	if m, ok := msgsOf(s.update(keyMsg("enter")))[0].(openRunMsg); !ok || m.ref != "1m1q03aaaaaaaaa" {
		t.Errorf("enter on a run sent %#v", m)
	}
	s.update(keyMsg("left")) // fold the sweep the cursor is in
	if len(s.rows) != 3 || s.tbl.cursor != 0 {
		t.Errorf("after folding: %q, cursor %d", rowLabels(s), s.tbl.cursor)
	}
	// A failed reload keeps the rows and says why.
	s.update(runsLoadedMsg{addr: addr{s.sid}, err: errors.New("disk on fire")})
	if len(s.rows) != 3 || !strings.Contains(ansi.Strip(s.view(100, 20)), "reload failed: disk on fire") {
		t.Errorf("failed reload: rows %q, view:\n%s", rowLabels(s), s.view(100, 20))
	}
}

// TestOptimizePointsLabelledByWhatTheySet: an optimizer's sweep resets a
// candidate's scheduler settings (scheduler "", buckets [], the rest
// null); its label and its points' say nothing of them.
func TestOptimizePointsLabelledByWhatTheySet(t *testing.T) {
	s := newRunsScreen(testShared())
	s.resize(160, 20)
	runs := []data.RunSummary{summary("1m1q02aaaaaaaaa", "opt-b", 2, 5), summary("1m1q01aaaaaaaaa", "opt-a", 4, 1)}
	for i := range runs {
		runs[i].SweepID, runs[i].SweepPoint = "1m1s01aaaaaaaaa", 1-i
	}
	point := func(tp, count int) string {
		return fmt.Sprintf(`{"fleet.instance": "trn2.48xlarge", "fleet.replica.tp": %d, "fleet.replica.per_instance": null, `+
			`"fleet.replica.scheduler": "", "fleet.replica.max_num_seqs": 64, "fleet.replica.context_buckets": [], `+
			`"fleet.replica.sequence_buckets": [], "fleet.count": %d}`, tp, count)
	}
	s.update(runsLoadedMsg{addr: addr{s.sid}, runs: runs,
		sweeps: []data.Sweep{{ID: "1m1s01aaaaaaaaa", Name: "optimize-acme", Points: 2, Replications: 1}},
		params: map[string]map[int]string{"1m1s01aaaaaaaaa": {0: point(8, 4), 1: point(32, 2)}}})
	s.update(keyMsg("right"))
	want := []string{"optimize-acme · 2 points over instance × tp × max_num_seqs × count · 2 runs",
		"├ trn2.48xl tp8 max_num_seqs=64 x4", "└ trn2.48xl tp32 max_num_seqs=64 x2"}
	if got := rowLabels(s); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("rows %q, want %q", got, want)
	}
}

// TestRunsSeedShownWhole: a seed of 10 digits widens the SEED column (it
// was cut to 12345… at 130 to 160 columns).
func TestRunsSeedShownWhole(t *testing.T) {
	for w := 100; w <= 200; w += 5 {
		s := newRunsScreen(testShared())
		s.resize(w, 20)
		r := summary("1m1q04aaaaaaaaa", "seeded", 2, 5)
		r.Seed = 1234567891
		s.update(runsLoadedMsg{addr: addr{s.sid}, runs: []data.RunSummary{r}})
		v := ansi.Strip(s.view(w, 20))
		if strings.Contains(v, "12345…") || strings.Contains(v, "SEED") && !strings.Contains(v, "1234567891") {
			t.Errorf("%d columns: the seed is cut:\n%s", w, v)
		}
	}
}
