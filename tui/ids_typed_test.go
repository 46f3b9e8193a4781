package tui

import (
	"fmt"
	"strings"
	"testing"

	"aiecon/data"
)

// renameRun gives a stored run another id, in every table that holds it.
func renameRun(st *data.Store, from, to string) error {
	for _, t := range []string{"run_workloads", "replicas", "kpis", "windows", "requests", "sessions", "auctions", "runs"} {
		if _, err := st.DB().Exec("UPDATE "+t+" SET run_id = ? WHERE run_id = ?", to, from); err != nil {
			return fmt.Errorf("renaming run %s in %s: %w", from, t, err)
		}
	}
	return nil
}

// storeWith copies the fixture and changes it with edit, through the
// store's own connection.
func storeWith(t *testing.T, edit func(st *data.Store) error) string {
	t.Helper()
	path := copyFixture(t)
	st, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = edit(st)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCutIDsTypeBack: runs made in the same millisecond, alike to their
// last character, show in the runs list cut in the middle (1m98h…34s9p8);
// typed back as shown, or with three dots for the ellipsis, :run opens
// the run, and the palette lists it as the id is typed. :run said no such
// run: the id shown could not be typed back.
func TestCutIDsTypeBack(t *testing.T) {
	twins := map[int]string{3: "1m98hfprk34s9p8", 4: "1m98hfprk34s9p9"} // gpu-p5, traffic-spike
	path := storeWith(t, func(st *data.Store) error {
		for n, id := range twins {
			if err := renameRun(st, fixtureID(n), id); err != nil {
				return err
			}
		}
		return nil
	})
	s := startSession(t, testOptions(path), 100, 30)
	s.wait("9 of 9 runs", "1m98h…34s9p8", "1m98h…34s9p9")
	tests := []struct{ typed, id, name, other string }{
		{"1m98h…34s9p8", twins[3], "gpu-p5", "traffic-spike"},
		{"1m98h...34s9p9", twins[4], "traffic-spike", "gpu-p5"},
	}
	for _, tt := range tests {
		s.press(":", "text:run "+tt.typed)
		scr := s.wait("run " + tt.id + " " + tt.name)
		if strings.Contains(scr, "run "+twins[3]+" "+tt.other) || strings.Contains(scr, "run "+twins[4]+" "+tt.other) {
			t.Errorf("typing %q, the palette lists the other twin too:\n%s", tt.typed, scr)
		}
		s.press("enter")
		s.wait("Run "+tt.id, tt.name)
		s.press("esc")
		s.wait("9 of 9 runs")
	}
}

// TestForecastIDsToldApart: a forecast's id shows as long as it takes to
// tell it from every id the store holds, the forecasts' among them, and
// :forecast takes it back. The forecasts' ids were left out: two
// forecasts made in the same second both showed as 1m98hd69, the length
// the runs needed, which :forecast found ambiguous.
func TestForecastIDsToldApart(t *testing.T) {
	forecasts := []struct {
		id, name string
		runs     []int
		shown    string
	}{
		{"1m98hd69h3aaaaa", "plan-a", []int{1, 2}, "1m98hd69h3a"},
		{"1m98hd69h3bbbbb", "plan-b", []int{3, 4}, "1m98hd69h3b"},
	}
	path := storeWith(t, func(st *data.Store) error {
		for _, f := range forecasts {
			var runs []data.ForecastRun
			for i, n := range f.runs {
				runs = append(runs, data.ForecastRun{RunID: fixtureID(n), Variant: "owned", Period: i + 1})
			}
			if _, err := st.SaveForecast(t.Context(), data.ForecastInfo{ID: f.id, Name: f.name, SpecYAML: "name: " + f.name + "\n",
				PeriodLength: "quarter", Periods: 2, Samples: 1, ReportJSON: "{}", Version: "test"}, nil, runs); err != nil {
				return err
			}
		}
		return nil
	})
	s := startSession(t, testOptions(path), 100, 30)
	s.wait("9 of 9 runs", forecasts[0].shown+"  plan-a", forecasts[1].shown+"  plan-b")
	for _, f := range forecasts {
		s.press(":", "text:forecast "+f.shown, "enter")
		s.wait("Forecast " + f.name)
		s.press("esc")
		s.wait("9 of 9 runs")
	}
}
