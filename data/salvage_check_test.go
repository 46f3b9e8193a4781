package data

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCheckCompleteAgreesWithSalvage: CheckComplete finds no flaw exactly
// where Salvage's copy finds nothing damaged, and then reports what that
// copy reports (doctor writes no copy of a healthy store on its word);
// where Salvage would lose, fill in or leave out a link, it names a flaw,
// so that doctor salvages as before.
func TestCheckCompleteAgreesWithSalvage(t *testing.T) {
	orig, ids := damagedStore(t)
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, s *Store, path string)
		flaw   string // "" for none
	}{
		{"healthy", nil, ""},
		{"a table of the user's", execs(`CREATE TABLE mine(x INT)`, `INSERT INTO mine VALUES (1), (2)`), ""},
		{"a column added to requests", execs(`ALTER TABLE requests ADD COLUMN mine INT`), ""},
		{"a run's requests deleted", execs(`DELETE FROM requests WHERE run_id = '` + ids[1] + `'`), "complete runs (run " + ids[1] + " first) have in requests"},
		{"a run's windows deleted", execs(`DELETE FROM windows WHERE run_id = '` + ids[0] + `'`), "in windows"},
		{"a column dropped", execs(`ALTER TABLE requests DROP COLUMN replica`), "lacks columns of aiecon's"},
		{"a forecast linked to a failed run", func(t *testing.T, s *Store, _ string) {
			var failed string
			if err := s.DB().QueryRow(`SELECT run_id FROM runs WHERE status = 'failed'`).Scan(&failed); err != nil {
				t.Fatal(err)
			}
			values := []ForecastValue{{Variant: "v", Period: 1, Metric: "revenue_usd", Unit: "USD", Value: 10}}
			runs := []ForecastRun{{RunID: ids[0], Variant: "v", Period: 1}, {RunID: failed, Variant: "v", Period: 1, Slice: 1}}
			if _, err := s.SaveForecast(context.Background(), ForecastInfo{Name: "f", SpecYAML: "x", PeriodLength: "quarter", Periods: 1, Samples: 1, ReportJSON: "{}"}, values, runs); err != nil {
				t.Fatal(err)
			}
		}, "1 links from forecasts to runs that are not complete"},
		{"a forecast linked to complete runs", func(t *testing.T, s *Store, _ string) {
			values := []ForecastValue{{Variant: "v", Period: 1, Metric: "revenue_usd", Unit: "USD", Value: 10}}
			runs := []ForecastRun{{RunID: ids[0], Variant: "v", Period: 1}}
			if _, err := s.SaveForecast(context.Background(), ForecastInfo{Name: "f", SpecYAML: "x", PeriodLength: "quarter", Periods: 1, Samples: 1, ReportJSON: "{}"}, values, runs); err != nil {
				t.Fatal(err)
			}
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := copyStore(t, orig)
			if tc.damage != nil {
				s, err := Open(path, Options{})
				if err != nil {
					t.Fatal(err)
				}
				tc.damage(t, s, path)
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
			}
			ctx := context.Background()
			steps := 0
			got, flaw, err := CheckComplete(ctx, path, func(done, total int) {
				if done != steps+1 || done > total {
					t.Errorf("progress %d of %d after %d", done, total, steps)
				}
				steps = done
			})
			if err != nil {
				t.Fatal(err)
			}
			want, err := Salvage(ctx, path, filepath.Join(t.TempDir(), "saved.duckdb"))
			if err != nil {
				t.Fatal(err)
			}
			undamaged := len(want.Lost) == 0 && len(want.Extras) == 0 && len(want.Filled) == 0 && len(want.NoSketches) == 0 && want.MigratedFrom == 0
			switch {
			case tc.flaw == "" && flaw != nil:
				t.Fatalf("flaw %v, want none (salvage: %+v)", flaw, want)
			case tc.flaw != "" && (flaw == nil || !strings.Contains(flaw.Error(), tc.flaw)):
				t.Fatalf("flaw %v, want one saying %q", flaw, tc.flaw)
			case (flaw == nil) != undamaged:
				t.Fatalf("flaw %v, but Salvage found undamaged=%v: %+v", flaw, undamaged, want)
			case flaw == nil && (got.Runs != want.Runs || got.NotComplete != want.NotComplete || got.Sweeps != want.Sweeps ||
				got.Forecasts != want.Forecasts || !slices.Equal(got.LeftOut, want.LeftOut)):
				t.Fatalf("check %+v, salvage %+v", got, want)
			case flaw == nil && steps == 0:
				t.Fatal("no progress reported")
			}
		})
	}
}

// TestCheckCompleteOnADamagedBlock: a block of a run's requests that fails
// its checksum is a flaw, not a store found whole.
func TestCheckCompleteOnADamagedBlock(t *testing.T) {
	path, _ := damagedStore(t)
	flip(t, path, 3*4096+lastRunBlock(t, path)*262144+100000)
	_, flaw, err := CheckComplete(context.Background(), path, nil)
	if err == nil && flaw == nil {
		t.Fatal("a damaged block of requests checked as whole")
	}
}

// execs damages a store with SQL statements.
func execs(stmts ...string) func(t *testing.T, s *Store, path string) {
	return func(t *testing.T, s *Store, _ string) {
		for _, q := range stmts {
			if _, err := s.DB().Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
}

// copyStore copies the closed store file at path into a new directory.
func copyStore(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "store.duckdb")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
