package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"aiecon/hw"
)

// TestShowResolvedRerunsTheRun: `aiecon show RUN --yaml=resolved`, run
// again, gives the stored run's KPIs to the last bit, for the slices of a
// forecast, whose arrival rates the forecast scales (11.250413596244188/s).
// The resolved scenario wrote rates to six digits (11.2504/s), and the
// rerun of a quarter-12 slice read $1,042 of revenue where the run had
// read $1,046. One quarter is forecast (9 ten-minute slices) and the
// rented fleet's three slices rerun.
func TestShowResolvedRerunsTheRun(t *testing.T) {
	if testing.Short() {
		t.Skip("forecasts one quarter (9 runs) and reruns three slices")
	}
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in calibration on both sides
	dir := t.TempDir()
	db := filepath.Join(dir, "f.duckdb")
	if code, _, errs := cli(t, db, "", "forecast", "--samples", "1", "--periods", "1", "-j", "1", "-q"); code != 0 {
		t.Fatalf("forecast: exit %d: %s", code, errs)
	}
	code, out, errs := cli(t, db, "", "sql", "select run_id from forecast_runs where variant = 'rented-p5en' order by slice")
	ids := regexp.MustCompile(`(?m)^([0-9a-z]{15})\s*$`).FindAllStringSubmatch(out, -1)
	if code != 0 || len(ids) != 3 {
		t.Fatalf("sql: exit %d, want the 3 slices' runs:\n%s%s", code, out, errs)
	}
	for _, id := range ids {
		code, yaml, errs := cli(t, db, "", "show", id[1], "--yaml=resolved")
		if code != 0 {
			t.Fatalf("show --yaml=resolved: exit %d: %s", code, errs)
		}
		path := filepath.Join(dir, id[1]+".yaml")
		if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs := cli(t, db, "", "run", path)
		rerun := regexp.MustCompile(`stored as run ([0-9a-z]{15}) in`).FindStringSubmatch(out)
		if code != 0 || rerun == nil {
			t.Fatalf("run %s: exit %d, no run stored:\n%s%s", path, code, out, errs)
		}
		if want, got := exactKPIs(t, db, id[1]), exactKPIs(t, db, rerun[1]); got != want {
			t.Errorf("slice %s rerun from its resolved scenario as %s: other KPIs\n%s\nwant\n%s\nits rates: %q",
				id[1], rerun[1], got, want, regexp.MustCompile(`rate: \S+`).FindAllString(yaml, -1))
		}
	}
}

// exactKPIs are a stored run's KPIs, every scope, each to the last bit.
func exactKPIs(t *testing.T, db, id string) string {
	t.Helper()
	code, out, errs := cli(t, db, "", "sql", "select scope, name, printf('%.17g', value) as v from kpis where run_id = '"+id+"' order by scope, name")
	if code != 0 || strings.Count(out, "\n") < 10 {
		t.Fatalf("sql of run %s's KPIs: exit %d:\n%s%s", id, code, out, errs)
	}
	return out
}
