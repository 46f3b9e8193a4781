package tui

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/sim"
)

func TestNiceTimeStep(t *testing.T) {
	tests := []struct {
		span     float64
		maxTicks int
		want     float64
	}{
		{3600, 10, 600}, // 1h on a wide chart: every 10m
		{3600, 4, 900},  // narrow: every 15m
		{1800, 6, 300},  // 30m: every 5m
		{45, 5, 10},     // seconds
		{30 * 86400, 6, 7 * 86400},
		{1e9, 2, 365 * 86400 * 16}, // beyond the table: whole multiples of a year
		{0.5, 3, 1},
	}
	for _, tt := range tests {
		if got := niceTimeStep(tt.span, tt.maxTicks); got != tt.want {
			t.Errorf("niceTimeStep(%g, %d) = %g, want %g", tt.span, tt.maxTicks, got, tt.want)
		}
	}
}

// TestTimeTicksRegular: the labels along an axis are the multiples of one
// step, each on one column, never an irregular 0 10m 15m 25m.
func TestTimeTicksRegular(t *testing.T) {
	tests := []struct {
		span float64
		cols int
		want []string
	}{
		{3600, 80, []string{"0", "10m", "20m", "30m", "40m", "50m", "1h"}},
		{1800, 37, []string{"0", "10m", "20m", "30m"}},
		{600, 71, []string{"0", "2m", "4m", "6m", "8m", "10m"}},
		{86400, 50, []string{"0", "6h", "12h", "18h", "24h"}},
	}
	for _, tt := range tests {
		tk := newTimeTicks(tt.span, tt.cols)
		var got []string
		for col := 0; col <= tt.cols; col++ {
			if l := tk.label(col, float64(col)*tt.span/float64(tt.cols)); l != "" {
				got = append(got, l)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("span %gs on %d columns: labels %s, want %s", tt.span, tt.cols, strings.Join(got, " "), strings.Join(tt.want, " "))
		}
	}
}

// TestSparksSayLastWindow: the value beside a sparkline is the last
// window's, not the run's; beside a revenue of $596 a bare "$10.68/h" read
// as the run's rate.
func TestSparksSayLastWindow(t *testing.T) {
	s := newRunScreen(testShared(), "1m1q01")
	s.ws = []sim.WindowRecord{
		{StartNs: 0, EndNs: 60e9, Completions: 600, RevenueUSD: 10, TTFTP99S: 2, QueueDepthAvg: 3},
		{StartNs: 60e9, EndNs: 120e9, Completions: 60, RevenueUSD: 0.178, TTFTP99S: 0.5, QueueDepthAvg: 0.0835},
	}
	for _, w := range []int{80, 40} { // with a sparkline, and without room for one
		rows := strings.Split(ansi.Strip(s.sparks(w, 4)), "\n")
		for i, want := range []string{"last window 1.00/s", "last window $10.68/h", "last window 500 ms", "last window 0.0835 req"} {
			if i >= len(rows) || !strings.HasSuffix(strings.TrimSpace(rows[i]), want) {
				t.Errorf("at %d cells: row %d does not end in %q:\n%s", w, i, want, strings.Join(rows, "\n"))
			}
		}
	}
}

// TestQueueDepthHasUnit: a queue's depth is a number of requests; bare,
// as on the chart's axis (32.0, 16.0) or the launch's "queue 0.0835", it
// could be read as seconds, which the queue p99 card beside it is.
func TestQueueDepthHasUnit(t *testing.T) {
	ws := []sim.WindowRecord{
		{StartNs: 0, EndNs: 60e9, Completions: 600, QueueDepthAvg: 32, RunningAvg: 8, Dropped: 4000},
		{StartNs: 60e9, EndNs: 120e9, Completions: 60, QueueDepthAvg: 0.0835, RunningAvg: 4, Dropped: 7},
	}
	st := newStyles()
	l := newLaunchScreen(testShared(), "")
	l.running, l.ws, l.simNs, l.horizonNs = true, ws, 120e9, 3600e9
	for _, tc := range []struct {
		where, view, want string
	}{
		{"the chart's y axis", renderChart(st, runCharts[1], ws, 60, 12), "0 req└"},
		{"the overview's sparkline", (&runScreen{base: base{sh: testShared()}, ws: ws}).sparks(80, 4), "queue depth"},
		{"the launch's last window card", l.view(100, 28), "0.0835 req"},
		// The last window's drops, not every window's (4,007).
		{"the launch's last window card", strings.Join(strings.Fields(ansi.Strip(l.view(100, 28))), " "), "dropped 7"},
	} {
		if v := ansi.Strip(tc.view); !strings.Contains(v, tc.want) {
			t.Errorf("%s lacks %q:\n%s", tc.where, tc.want, v)
		}
	}
}

// TestRevenueChartSaysWhatCostHolds: the cost line is the windows' fleet
// cost, as aiecon plot names it; a run training on idle replicas says its
// line leaves that training out (it read $150/h against the Margin card's
// cost/h of $228.70 with no word why).
func TestRevenueChartSaysWhatCostHolds(t *testing.T) {
	spec := runCharts[len(runCharts)-1]
	ws := []sim.WindowRecord{{StartNs: 0, EndNs: 60e9, Completions: 6, RevenueUSD: 1, CostUSD: 2}}
	if got := spec.lines(ws)[1].name; got != "fleet cost $/h" {
		t.Errorf("cost series %q", got)
	}
	ws[0].TrainingFrac = 0.1
	if got := spec.lines(ws)[1].name; !strings.Contains(got, "no idle-replica training") {
		t.Errorf("cost series of a run training on idle replicas %q", got)
	}
}
