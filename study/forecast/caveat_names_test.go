package forecast

import (
	"slices"
	"strings"
	"testing"
)

// TestStoredCaveatNamesCarrySizes: the dashboard's names of a stored
// report's caveats give UNFINISHED SESSIONS and RESERVED INSTANCES IDLE
// their size, the figures their notes (compare --forecast's) state, and
// the other caveats their title alone.
func TestStoredCaveatNamesCarrySizes(t *testing.T) {
	const report = `{"period_length": "quarter", "summary": [` +
		`{"variant": "v", "period": 1, "samples_detail": [{"variant": "v", "period": 1, "revenue_usd": 1000, "revenue_unfinished_counted_usd": 387, ` +
		`"headroom": 0.5, "slo_attainment": 1}, {"variant": "v", "period": 1, "sample": 2, "revenue_usd": 1000, "revenue_unfinished_counted_usd": 404, ` +
		`"headroom": 0.5, "slo_attainment": 1}]}, ` +
		`{"variant": "v", "period": 2, "samples_detail": [{"variant": "v", "period": 2, "reserved_idle_instances": 3, ` +
		`"reserved_idle_usd": 53900, "headroom": 0.5, "slo_attainment": 0.5}]}]}`
	names := StoredCaveatNames(report, "v")
	for _, tt := range []struct{ name, inNote string }{
		{"UNFINISHED SESSIONS 38.7% to 40.4% of revenue", "UNFINISHED SESSIONS: 38.7% to 40.4% of revenue_usd"},
		{"RESERVED INSTANCES IDLE $53.9k", "; $53.9k in all."},
		{"SLO AT RISK", "SLO AT RISK: "},
	} {
		if !slices.Contains(names, tt.name) {
			t.Errorf("names %q, want %q among them", names, tt.name)
		}
		if !slices.ContainsFunc(StoredCaveats(report, "v"), func(n string) bool { return strings.Contains(n, tt.inNote) }) {
			t.Errorf("no note says %q: %q", tt.inNote, StoredCaveats(report, "v"))
		}
	}
	if got := StoredCaveatNames("", "v"); got != nil {
		t.Errorf("no report: %q", got)
	}
}
