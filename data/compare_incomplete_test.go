package data

import (
	"strings"
	"testing"
)

// TestIncompleteWarning: comparing two failed runs printed an empty
// table and no reason; the comparison says which runs did not complete
// and that they have no KPIs, and says nothing where all completed.
func TestIncompleteWarning(t *testing.T) {
	done, failed := RunSummary{Status: StatusComplete}, RunSummary{Status: StatusFailed}
	row := []CompareRow{{Name: "cost_per_mtok_usd"}}
	tests := []struct {
		name string
		runs []RunSummary
		rows []CompareRow
		want string // "" for no warning
	}{
		{"all complete", []RunSummary{done, done}, row, ""},
		{"both failed", []RunSummary{failed, failed}, nil,
			"NO KPIS: the baseline (failed) and run 2 (failed) did not complete, and a run stores its KPIs only when it completes, so there is nothing to compare"},
		{"one failed", []RunSummary{done, failed, done}, row, "INCOMPLETE: run 2 (failed) did not complete"},
		{"two of three failed", []RunSummary{failed, done, failed}, row, "INCOMPLETE: the baseline (failed) and run 3 (failed) did not complete, and a run stores its KPIs only when it completes, so their columns are empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Comparison{Runs: tt.runs, Rows: tt.rows}
			got := c.IncompleteWarningNaming(nil)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("warning %q, want %q", got, tt.want)
			}
			if ws := c.Warnings(); tt.want != "" && (len(ws) == 0 || ws[0] != got) {
				t.Errorf("Warnings %q does not give it first", ws)
			}
		})
	}
}
