package data

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSalvageKeepsForecasts: a forecast, its periods and its links to the
// runs copied come over (doctor used to drop them and say nothing was
// lost), and a link to a run left behind is named.
func TestSalvageKeepsForecasts(t *testing.T) {
	path, ids := damagedStore(t)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	values := []ForecastValue{{Variant: "v", Period: 1, Metric: "revenue_usd", Unit: "USD", Value: 10}}
	runs := []ForecastRun{{RunID: ids[0], Variant: "v", Period: 1}, {RunID: ids[1], Variant: "v", Period: 1, Slice: 1}}
	if _, err := s.SaveForecast(ctx, ForecastInfo{Name: "f", SpecYAML: "x", PeriodLength: "quarter", Periods: 1, Samples: 1, ReportJSON: "{}"}, values, runs); err != nil {
		t.Fatal(err)
	}
	// The second run's requests deleted by hand: it is no longer the run it
	// was stored as, so it stays behind, and so does its forecast link.
	if _, err := s.DB().Exec(`DELETE FROM requests WHERE run_id = ?`, ids[1]); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "saved.duckdb")
	st, err := Salvage(ctx, path, out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Runs != len(ids)-1 || st.Forecasts != 1 || len(st.Lost) != 1 || !strings.Contains(st.Lost[0].Err.Error(), "0 rows read back of the 5000") {
		t.Fatalf("salvage: %+v", st)
	}
	if len(st.Extras) != 1 || !strings.Contains(st.Extras[0].Err.Error(), "1 links from forecasts to runs that were not copied") {
		t.Fatalf("extras: %+v", st.Extras)
	}
	o, err := Open(out, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	var forecasts, periods, links int
	if err := o.DB().QueryRow(`SELECT (SELECT count(*) FROM forecasts), (SELECT count(*) FROM forecast_periods), (SELECT count(*) FROM forecast_runs)`).Scan(&forecasts, &periods, &links); err != nil {
		t.Fatal(err)
	}
	if forecasts != 1 || periods != 1 || links != 1 {
		t.Errorf("copied %d forecasts, %d period rows, %d run links; want 1, 1, 1", forecasts, periods, links)
	}
}

// TestSalvageInterrupted: a cancelled salvage says so and leaves no half
// store that would read as a whole one.
func TestSalvageInterrupted(t *testing.T) {
	path, _ := damagedStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	salvageRefused(t, ctx, path, "interrupted")
}

// salvageRefused checks that salvaging in fails with an error containing
// want and leaves no output store behind.
func salvageRefused(t *testing.T, ctx context.Context, in, want string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.duckdb")
	if _, err := Salvage(ctx, in, out); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("salvage: %v, want an error with %q", err, want)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an output store was left behind: %v", err)
	}
}

// TestCutShortStore: a store cut short is named as such by the block check,
// and the error a later read meets is known for damage (it was a bare
// "IO Error: Could not read enough bytes").
func TestCutShortStore(t *testing.T) {
	path, _ := damagedStore(t)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, fi.Size()*3/4); err != nil {
		t.Fatal(err)
	}
	c, err := CheckBlocks(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.String(), "CUT SHORT: the live header records") {
		t.Errorf("block check: %s", c)
	}
	read := errors.New(`reading run x: IO Error: Could not read enough bytes from file "s.duckdb": attempted to read 199680 bytes from location 2958336`)
	if !LooksDamaged(read) {
		t.Errorf("not known for damage: %v", read)
	}
	if LooksDamaged(&CorruptError{Path: path, Err: read}) {
		t.Error("a CorruptError already says so")
	}
}

// TestSalvageRefusesANewerStore: a store a newer aiecon wrote is not
// copied into this build's schema, which could drop what it does not know.
func TestSalvageRefusesANewerStore(t *testing.T) {
	path, _ := damagedStore(t)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`INSERT INTO schema_version (version, name) VALUES (?, 'future')`, SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	salvageRefused(t, context.Background(), path, "is newer than this aiecon's")
}
