package main

import (
	"strings"
	"testing"
	"time"
)

// TestSQLTimeout: a read-only query had no time limit (count(*) over
// range(10^11) ran until killed); --timeout interrupts it, exit 1 saying
// which limit stopped it, the store untouched; a negative one is refused;
// and without --timeout a read-only query gets the 5-minute default.
func TestSQLTimeout(t *testing.T) {
	db, _ := storeFixture(t)
	start := time.Now()
	code, _, errs := cli(t, db, "", "sql", "--timeout", "300ms", "SELECT count(*) FROM range(100000000000)")
	if code != 1 || !strings.Contains(errs, "query stopped after --timeout 300ms") || !strings.Contains(errs, "--timeout 0 for none") {
		t.Fatalf("want exit 1 naming the timeout, got %d: %s", code, errs)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("the query ran %v past its 300ms limit", took)
	}
	if code, out, errs := cli(t, db, "", "sql", "SELECT count(*) AS n FROM runs"); code != 0 || !strings.Contains(out, "3") {
		t.Errorf("the store after a timed-out query: exit %d %s %s", code, out, errs)
	}
	if code, _, errs := cli(t, db, "", "sql", "--timeout", "-1s", "SELECT 1"); code != 2 || !strings.Contains(errs, "--timeout -1s") {
		t.Errorf("a negative timeout: exit %d: %s", code, errs)
	}
	if f := newSQLCmd(&env{}).Flags().Lookup("timeout"); f == nil || f.DefValue != "5m0s" {
		t.Errorf("--timeout's default: %v", f)
	}
}
