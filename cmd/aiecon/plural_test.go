package main

import (
	"regexp"
	"strings"
	"testing"

	"aiecon/data"
)

// TestCountsAgreeWithTheirNumber: the lines that count runs said "1 runs
// forecasts made not listed" and "1 failed runs replaced by their complete
// copy"; each count now takes its noun's singular at 1, and the runs footer
// reads as a sentence ("3 runs made by forecasts not listed").
func TestCountsAgreeWithTheirNumber(t *testing.T) {
	footer := func(shown, total, hidden int) func() string {
		return func() string {
			var out strings.Builder
			printRunsFooter(&env{stdout: &out, stderr: &out}, "table", shown, total, hidden)
			return out.String()
		}
	}
	merged := func(st data.MergeStats) func() string {
		return func() string { return mergeLine("in.duckdb", st) }
	}
	tests := []struct {
		name string
		got  func() string
		want []string
	}{
		{"runs footer, one hidden", footer(0, 1, 1), []string{"0 of 1 run", "1 run made by forecasts not listed"}},
		{"runs footer, several hidden", footer(2, 5, 3), []string{"2 of 5 runs", "3 runs made by forecasts not listed"}},
		{"merge, one of each", merged(data.MergeStats{Interrupted: 3, InterruptedGone: 1, InterruptedAlive: 1, Replaced: 1}),
			[]string{"; 1 interrupted run (writer gone) copied as failed", "; 1 run still running when the input was copied, copied as failed",
				"; 1 run left running in the input (its writer stopped, or the input was copied while it ran) copied as failed", "; 1 failed run replaced by its complete copy"}},
		{"merge, several", merged(data.MergeStats{Interrupted: 6, InterruptedGone: 2, InterruptedAlive: 3, Replaced: 3}),
			[]string{"; 2 interrupted runs (writer gone) copied as failed", "; 3 runs still running when the input was copied",
				"; 1 run left running in the input", "; 3 failed runs replaced by their complete copy"}},
		{"report, one spot interruption", func() string { return fmtCountOf(1, "interruption") }, []string{"1 interruption"}},
		{"report, several scale-ups", func() string { return fmtCountOf(1480, "scale-up") }, []string{"1,480 scale-ups"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.got()
			for _, w := range tt.want {
				// \b: "1 run" is also in "1 runs".
				if !regexp.MustCompile(regexp.QuoteMeta(w) + `\b`).MatchString(got) {
					t.Errorf("no %q in %q", w, got)
				}
			}
		})
	}
}
