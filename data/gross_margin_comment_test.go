package data

import (
	"strings"
	"testing"
)

// TestGrossMarginSaysBeforeTraining: the schema says that gross_margin is
// the margin before training, wherever an analyst reads it (run_summary,
// the view and its column, and sweep_results, which passes it through):
// retrain-weekly/daily reads a gross_margin of 0.7632 beside a margin_usd
// of -1839.84, and the view called it "a fraction of revenue" alone.
func TestGrossMarginSaysBeforeTraining(t *testing.T) {
	comments := schemaComments(t)
	for _, tt := range []struct{ relation, want string }{
		{"run_summary", "gross_margin a fraction of revenue before training"},
		{"run_summary.gross_margin", "the margin before training"},
		{"sweep_results.gross_margin", "the margin before training"},
	} {
		if got := comments[tt.relation]; !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q lacks %q", tt.relation, got, tt.want)
		}
	}
}
