package tui

import (
	"fmt"
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
