package tui

import (
	"fmt"
	"slices"
	"testing"

	"aiecon/data"
)

// TestSweepKeysBeforeLoadCount: keys pressed while the sweep loads act
// once it has, in order, as they do while a page loads in Requests and
// SQL: `:sweep ID` then a key typed at once lost the key.
func TestSweepKeysBeforeLoadCount(t *testing.T) {
	s := newSweepScreen(testShared(), "sw")
	s.resize(100, 28)
	var pts []data.SweepPoint
	for i := range 3 {
		r := data.RunSummary{ID: fmt.Sprintf("r%d", i), Status: data.StatusComplete, CostPerMTokUSD: float64(i + 1)}
		pts = append(pts, data.SweepPoint{Point: i, ParamsJSON: fmt.Sprintf(`{"n": %d}`, i+1), Runs: []data.RunSummary{r}})
	}
	for _, k := range []string{"m", "m", "v", "down"} {
		s.update(keyMsg(k))
	}
	s.update(sweepsLoadedMsg{addr: addr{s.sid}, sweeps: []data.Sweep{{ID: "sw", Name: "grid", Points: len(pts), Replications: 1}}, points: pts})
	if s.kpi != 2 || !s.heatTop || s.tbl.selected() != 1 {
		t.Errorf("after m m v down typed before the load: heatmap KPI %d, heatmap on top %v, row %d; want 2, true, 1",
			s.kpi, s.heatTop, s.tbl.selected())
	}
}

// TestSweepKeysBeforeLoadPastTheQueue: past the maxEarlyKeys kept while
// the sweep loads, a key is dropped, not handled at once on the screen
// still loading, ahead of the keys kept (r loaded it again, v was lost
// unsaid); once the sweep has loaded the kept keys act in order and a
// notice says how many were dropped.
func TestSweepKeysBeforeLoadPastTheQueue(t *testing.T) {
	s := newSweepScreen(testShared(), "sw")
	s.resize(100, 28)
	var pts []data.SweepPoint
	for i := range 3 {
		r := data.RunSummary{ID: fmt.Sprintf("r%d", i), Status: data.StatusComplete, CostPerMTokUSD: float64(i + 1)}
		pts = append(pts, data.SweepPoint{Point: i, ParamsJSON: fmt.Sprintf(`{"n": %d}`, i+1), Runs: []data.RunSummary{r}})
	}
	keys := append(slices.Repeat([]string{"m"}, maxEarlyKeys-1), "down", "r", "v")
	for i, k := range keys {
		if cmd := s.update(keyMsg(k)); cmd != nil {
			t.Errorf("key %d, %q, typed before the load acted at once", i+1, k)
		}
	}
	cmd := s.update(sweepsLoadedMsg{addr: addr{s.sid}, sweeps: []data.Sweep{{ID: "sw", Name: "grid", Points: len(pts), Replications: 1}}, points: pts})
	if s.kpi != (maxEarlyKeys-1)%len(heatKPIs) || s.tbl.selected() != 1 || s.heatTop {
		t.Errorf("after %d keys typed before the load: heatmap KPI %d, row %d, heatmap on top %v; want the first %d played: %d, 1, false",
			len(keys), s.kpi, s.tbl.selected(), s.heatTop, maxEarlyKeys, (maxEarlyKeys-1)%len(heatKPIs))
	}
	var note string
	for _, m := range msgsOf(cmd) {
		if n, ok := m.(noticeMsg); ok {
			note = n.text
		}
	}
	if want := fmt.Sprintf("2 keys typed while the sweep loaded were dropped: the first %d acted", maxEarlyKeys); note != want {
		t.Errorf("notice %q, want %q", note, want)
	}
}
