package forecast

import (
	"strings"
	"testing"
)

// TestSLORiskNoteCountsHeldSamples: SLO AT RISK counts the samples a
// flagged period holds, as its band's OF k does: a shard runs whole
// (variant, sample, period) groups, so its period may hold 1 or 2 of the
// forecast's 3 samples, and the note read "2 of 3 samples" of a period the
// shard ran 2 samples of, both overloaded. A period of one sample has that
// sample for median, so the medians do show it there.
func TestSLORiskNoteCountsHeldSamples(t *testing.T) {
	ok := Period{Headroom: 0.3, SLOAttainment: 1, SessionAbandon: 0.4}
	full := Period{Headroom: 0.018, SLOAttainment: 0.995, SessionAbandon: 0.5}
	tests := []struct {
		name    string
		shard   string
		periods [][]Period // per period, the samples it holds
		want    []string
		avoid   []string
	}{
		{"whole", "", [][]Period{{full, ok, ok}, {full, full, ok}},
			[]string{"in quarters 1-2, up to 2 of 3 samples a quarter (the median too in quarter 2)", "the table's medians do not show it"}, nil},
		{"shard, one period of 2", "1/3", [][]Period{{full, full}},
			[]string{"in quarter 1, 2 of 2 samples (the median too in quarter 1)"}, []string{"of 3 samples", "do not show it"}},
		{"shard, periods of 1", "1/3", [][]Period{{full}, {full}},
			[]string{"in quarters 1-2, up to 1 of 1 sample a quarter (the median too in quarters 1-2)"}, []string{"of 3 samples", "do not show it"}},
		{"shard, periods of 1 and 2", "0/2", [][]Period{{full, ok}, {full}},
			[]string{"in quarters 1-2, up to 1 sample a quarter, of the 1 to 2 each holds (the median too in quarter 2)",
				"the table's medians do not show it"}, []string{"of 3 samples"}},
	}
	for _, tt := range tests {
		r := &Report{Name: "x", PeriodLen: "quarter", Periods: len(tt.periods), Samples: 3, Shard: tt.shard,
			Fleets: []FleetEconomy{{Variant: "owned", Mode: "owned"}}}
		for k, ps := range tt.periods {
			var samples []Period
			for i, p := range ps {
				p.Variant, p.Period, p.Sample = "owned", k+1, i
				samples = append(samples, p)
			}
			r.Summary = append(r.Summary, Summarize(samples)...)
		}
		note := r.sloRiskNote("owned")
		checkNote(t, tt.name, note, tt.want)
		for _, a := range tt.avoid {
			if strings.Contains(note, a) {
				t.Errorf("%s: note %q\nhas %q", tt.name, note, a)
			}
		}
	}
}
