package tui

import (
	"errors"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"aiecon/data"
)

// addRun stores a run in the store at path, as another process would,
// once the dashboard has let the file go (its IdleClose).
func addRun(t *testing.T, path string) {
	t.Helper()
	var st *data.Store
	var err error
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if st, err = data.Open(path, data.Options{}); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.BeginRun(t.Context(), data.RunInfo{Name: "added meanwhile"})
	if err == nil {
		err = w.Fail(errors.New("a run another process stored"))
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestHeaderRunCountFollowsTheStore: the header's run count follows runs
// another process stores while a screen other than the runs list is on
// top, when that screen reloads (r or :refresh) and when the runs list
// shows again, and the palette offers the run stored meanwhile from then
// on. The header kept the runs list's last count: a run screen said 9 runs
// of a store that held 10; r on Sweep, Compare and Forecast reloaded the
// screen alone, where :refresh read the count; and the palette offered
// the runs of the runs list's last load, without the run the header
// counted.
func TestHeaderRunCountFollowsTheStore(t *testing.T) {
	toCompare := []string{"end", "space", "up", "up", "space", "up", "up", "space", "c"}
	tests := []struct {
		name     string
		forecast bool     // store a forecast over two of the fixture's runs first
		open     []string // from the runs list to the screen that reloads
		opened   string   // what that screen shows
		reload   []string
		send     tea.Msg // or what reloads it
	}{
		{"run, r", false, []string{":", "text:run 1m1q01", "enter"}, "1-7 tabs", []string{"r"}, nil},
		{"run, :refresh", false, []string{":", "text:run 1m1q01", "enter"}, "1-7 tabs", []string{":", "text:refresh", "enter"}, nil},
		{"sweeps, :refresh", false, []string{":", "text:sweep", "enter"}, "fleet-x-rate", []string{":", "text:refresh", "enter"}, nil},
		{"sweeps, r", false, []string{":", "text:sweep", "enter"}, "fleet-x-rate", []string{"r"}, nil},
		{"sweep, r", false, []string{"home", "enter"}, "Heatmap", []string{"r"}, nil},
		{"compare, r", false, toCompare, "baseline of the deltas", []string{"r"}, nil},
		{"forecast, r", true, []string{":", "text:forecast", "enter"}, "Forecast plan", []string{"r"}, nil},
		// The retry tick's probe finding the store free again reloads
		// what shows.
		{"sweeps, the store free again", false, []string{":", "text:sweep", "enter"}, "fleet-x-rate", nil, probeMsg{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := copyFixture(t)
			if tt.forecast {
				saveForecast(t, path)
			}
			s := startSession(t, testOptions(path), 100, 30)
			s.wait("9 of 9 runs", "· 9 runs ·")
			s.press(tt.open...)
			s.wait(tt.opened, "· 9 runs ·")
			addRun(t, path)
			s.press(tt.reload...)
			if tt.send != nil {
				s.send(tt.send)
			}
			s.wait(tt.opened, "· 10 runs ·")
			s.press(":", "text:run added")
			s.wait("added meanwhile")
			s.press("esc", "esc")
			s.wait("10 of 10 runs", "· 10 runs ·")
		})
	}
}

// saveForecast stores a forecast, plan, over two of the fixture's runs in
// the store at path, through the store's own SaveForecast.
func saveForecast(t *testing.T, path string) {
	t.Helper()
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
}
