package main

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"aiecon/data"
)

// TestShowSaysTheDescriptionPredatesOverrides: show printed the scenario's
// description ("… on 4 trn2.48xlarge …") over a run with fleet.count=2
// without the line run prints under it; both now print the same one, and
// neither for a variant's own set.
func TestShowSaysTheDescriptionPredatesOverrides(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "s.duckdb")
	for _, tt := range []struct {
		args []string
		want string // "" for no caveat
	}{
		{[]string{"baseline", "--set", "fleet.count=2"}, "with fleet.count=2, horizon=20s (the description above is the scenario's, before them)"},
		{[]string{"gpu-vs-trainium", "--variant", "p5", "--set", "fleet.count=2"}, "with fleet.count=2, horizon=20s (the description"},
		{[]string{"gpu-vs-trainium", "--variant", "p5"}, "with horizon=20s (the description"},
		// A value as it was read: the raw tab typed after it printed as
		// typed, and one kept in quotes escaped.
		{[]string{"baseline", "--set", "fleet.count=2\t "}, "with fleet.count=2, horizon=20s (the description"},
		{[]string{"baseline", "--set", "description=\"a\tb\""}, `with description="a\x09b", horizon=20s (the description`},
	} {
		code, out, errs := cli(t, db, "", append([]string{"run", "--horizon", "20s"}, tt.args...)...)
		if code != 0 {
			t.Fatalf("run %v: exit %d: %s", tt.args, code, errs)
		}
		if !strings.Contains(out, "\n"+tt.want) {
			t.Errorf("run %v does not say %q:\n%s", tt.args, tt.want, out)
		}
		code, shown, errs := cli(t, db, "", "show", "last")
		if code != 0 {
			t.Fatalf("show: exit %d: %s", code, errs)
		}
		if !strings.Contains(shown, "\n  "+tt.want) {
			t.Errorf("show of run %v does not say %q:\n%s", tt.args, tt.want, shown)
		}
		if strings.Contains(shown, "fleet.instance=") {
			t.Errorf("show of run %v names the variant's own set as coming after its description:\n%s", tt.args, shown)
		}
	}
}

// TestStoredSets: a sweep point's parameters may be JSON numbers, objects
// and null; each reads as a --set would give it, in stored order.
func TestStoredSets(t *testing.T) {
	for _, tt := range []struct {
		json string
		want []string
	}{
		{`{"fleet.count":2,"workloads[chat].arrival.rate":"20/s","x":{"a": 1}}`, []string{"fleet.count=2", "workloads[chat].arrival.rate=20/s", `x={"a":1}`}},
		// A sweep's null resets the field, as --set path=null does: it
		// read "hardware.calibration=", an empty value.
		{`{"hardware.calibration":null,"fleet.count":2}`, []string{"hardware.calibration=null", "fleet.count=2"}},
		{"", nil},
		{"[1]", nil},
	} {
		if got := storedSets(data.RunRecord{ParamsJSON: tt.json}); !slices.Equal(got, tt.want) {
			t.Errorf("storedSets(%s) = %q, want %q", tt.json, got, tt.want)
		}
	}
}

// TestShowNoCaveatOverAForecastRun: a forecast writes its runs'
// descriptions after their overrides ("… on 6 x trn2.48xlarge owned at
// $13.14 a server-hour …"), so show's line saying the description came
// before them was false there.
func TestShowNoCaveatOverAForecastRun(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "s.duckdb")
	if code, _, errs := cli(t, db, "", "run", "baseline", "--horizon", "20s", "--set", "fleet.count=2"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	s, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	runs, err := s.Runs(context.Background(), data.RunFilter{})
	if err == nil && len(runs) == 1 {
		_, err = s.SaveForecast(context.Background(), data.ForecastInfo{Name: "plan", PeriodLength: "quarter", Periods: 1, Samples: 1},
			nil, []data.ForecastRun{{RunID: runs[0].ID, Variant: "owned", Period: 1}})
	}
	if cerr := s.Close(); err != nil || cerr != nil {
		t.Fatalf("linking the run to a forecast: %v, %v (%d runs)", err, cerr, len(runs))
	}
	code, shown, errs := cli(t, db, "", "show", runs[0].ID)
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, errs)
	}
	if strings.Contains(shown, "the description above is the scenario's") {
		t.Errorf("show of a forecast's run says its description predates its overrides:\n%s", shown)
	}
}

// TestDescriptionOnOneLine: the run header and show print a description's
// tabs and line breaks as spaces, on one line, and escape its other
// control characters (the load writes them as escapes); --json gives it
// as stored. Both printed a tab as
// "\x09", which read as if the text held one, and show a line break as
// "\x0a".
func TestDescriptionOnOneLine(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "d.duckdb")
	code, out, errs := cli(t, db, "", "run", "--horizon", "20s", "--set", `description="col1\tcol2\nline2\x1bX"`)
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	const want = `col1 col2 line2\x1bX`
	if !strings.Contains(out, "baseline — "+want+"\n") {
		t.Errorf("run's header is not %q:\n%s", want, out)
	}
	code, shown, errs := cli(t, db, "", "show", "last")
	if code != 0 || !strings.Contains(shown, "\n  "+want+"\n") {
		t.Errorf("show (exit %d) does not print %q:\n%s%s", code, want, shown, errs)
	}
	code, js, errs := cli(t, db, "", "show", "last", "--json")
	if code != 0 || !strings.Contains(js, `"description": "col1\tcol2\nline2\\x1bX"`) {
		t.Errorf("show --json (exit %d) does not give the description as stored:\n%s%s", code, js, errs)
	}
}
