package forecast

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestNotesDescribeTheirVariants: COMMERCE COUNTED GROSS and ABANDONMENT
// DECIDES THE COMPARISON describe each variant's workloads, as its set and
// roadmap leave them, naming the variants where they differ. Both read the
// base's: a variant that credited only its incremental orders was told its
// commerce was gross, and a variant patient for ten minutes was said to
// abandon on the base's 20 seconds.
func TestNotesDescribeTheirVariants(t *testing.T) {
	const incremental = "      workloads[shopping-assistant].agent.value.incremental: 0.3\n"
	grossLater := incremental + "    roadmap:\n      - from: 3\n        set:\n          workloads[shopping-assistant].agent.value.incremental: null\n"
	for _, tt := range []struct{ name, set, want string }{
		{"own share", incremental, "COMMERCE COUNTED GROSS: the COMMERCE column of base's shopping-assistant is the take on every order of a " +
			"converted session, purchases the shopper would have made without the assistant included, and GROSS% and OPER% rest on it; " +
			"own credits only the orders value.incremental says the assistant causes"},
		{"gross from quarter 3", grossLater, "the COMMERCE column of base's shopping-assistant and own's shopping-assistant in quarter 3 is the take"},
		{"alike", "      workloads[chat].arrivals.rate: 3/s\n", "COMMERCE COUNTED GROSS: the COMMERCE column is the take on every order of a converted shopping-assistant session"},
	} {
		if note := NewReport(parse(t, strings.Replace(ownDemand, "%s", tt.set, 1)), nil, 0).CommerceNote(); !strings.Contains(note, tt.want) {
			t.Errorf("%s: note %q\nwant %q", tt.name, note, tt.want)
		}
	}

	r := abandonReport(parse(t, strings.Replace(ownDemand, "%s", "      workloads[shopping-assistant].agent.patience: 600s\n", 1)))
	note := r.AbandonmentNote()
	for _, w := range []string{"ABANDONMENT DECIDES THE COMPARISON: own's operating margin over the horizon is $4M above base's",
		"by variant, workloads[shopping-assistant].agent.patience (own: 600 s; base: median 20 s, p99 120 s)"} {
		if !strings.Contains(note, w) {
			t.Errorf("abandonment note %q\nwant %q", note, w)
		}
	}
	body, _ := json.Marshal(r)
	if !slices.Contains(StoredCaveats(string(body), "base"), note) {
		t.Errorf("not among the stored report's caveats")
	}
}

// abandonReport is f's report with own's operating margin $4M above
// base's, $3M of it revenue base loses to latency: the abandonment note's
// case.
func abandonReport(f *Forecast) *Report {
	r := NewReport(f, nil, 0)
	r.Samples = 2
	for _, v := range []struct {
		name     string
		om, lost float64
		abandon  Ratio
	}{{"own", 10e6, 1e6, 0.1}, {"base", 6e6, 4e6, 0.4}} {
		var ps []Period
		for s := range 2 {
			ps = append(ps, Period{Variant: v.name, Sample: s, Period: 1, OperatingMarginUSD: v.om, SessionsLostToLatencyUSD: v.lost, SessionAbandon: v.abandon})
		}
		r.Summary = append(r.Summary, Summarize(ps)...)
	}
	return r
}

// TestAbandonmentNoteStatesSharedOnce: where the variants compared hold
// the abandonment's assumptions differently, the note states what they
// share once and then, by variant, only what differs, with the periods a
// roadmap changes it in. It repeated every assumption for each variant,
// so the one patience that differed hid in a paragraph. A report stored
// without the values gives each variant's whole, as it did.
func TestAbandonmentNoteStatesSharedOnce(t *testing.T) {
	const at = "workloads[shopping-assistant].agent."
	const tools = at + "tool_call_tokens (unset: every tool call draws output_tokens, as long as an answer)"
	for _, tt := range []struct {
		name, set string
		stored    bool // a report stored before the values were kept
		want      string
	}{
		{"patience", "      " + at + "patience: 600s\n", false,
			at + "patience_on (ttft) and " + tools + ", alike in own and base; by variant, " + at + "patience (own: 600 s; base: median 20 s, p99 120 s)"},
		{"from quarter 3", "      " + at + "patience: 600s\n    roadmap:\n      - from: 3\n        set:\n          " + at + "patience: 10s\n", false,
			"by variant, " + at + "patience (own: 600 s in quarters 1-2 and 10 s in quarter 3; base: median 20 s, p99 120 s)"},
		{"two fields", "      " + at + "patience: 600s\n      " + at + "patience_on: e2e\n", false,
			tools + ", alike in own and base; by variant, " + at + "patience (own: 600 s; base: median 20 s, p99 120 s) and " +
				at + "patience_on (own: e2e; base: ttft)"},
		{"stored before", "      " + at + "patience: 600s\n", true, "for own, " + at + "patience (600 s, on ttft"},
	} {
		r := abandonReport(parse(t, strings.Replace(ownDemand, "%s", tt.set, 1)))
		if tt.stored {
			r.AbandonmentValuesBy = nil
		}
		note := r.AbandonmentNote()
		if !strings.Contains(note, tt.want) {
			t.Errorf("%s: note %q\nwant %q", tt.name, note, tt.want)
		}
		if n := strings.Count(note, at+"tool_call_tokens"); !tt.stored && n != 1 {
			t.Errorf("%s: tool_call_tokens named %d times, want once: %q", tt.name, n, note)
		}
	}
}

// TestStoredCommerceNoteNamesTheLines: under compare --forecast, which
// prints the stored USD metrics' lines, COMMERCE COUNTED GROSS names those
// lines, every one of which is a stored USD metric; it named a COMMERCE
// column and GROSS% and OPER%, which compare does not print. The
// forecast's own table keeps its columns' names.
func TestStoredCommerceNoteNamesTheLines(t *testing.T) {
	usd := map[string]bool{}
	for _, m := range Metrics {
		usd[m.Name] = m.Unit == "USD"
	}
	for _, tt := range []struct{ name, set string }{
		{"alike", "      workloads[chat].arrivals.rate: 3/s\n"},
		{"own share", "      workloads[shopping-assistant].agent.value.incremental: 0.3\n"},
	} {
		r := NewReport(parse(t, strings.Replace(ownDemand, "%s", tt.set, 1)), nil, 0)
		body, _ := json.Marshal(r)
		var stored string
		for _, note := range StoredCaveats(string(body), "base") {
			if strings.HasPrefix(note, "COMMERCE COUNTED GROSS: ") {
				stored = note
			}
		}
		names := regexp.MustCompile(`\b[a-z_]+_usd\b`).FindAllString(stored, -1)
		if !slices.Contains(names, "revenue_commerce_usd") || !slices.Contains(names, "operating_margin_usd") {
			t.Errorf("%s: stored note %q names %v, want revenue_commerce_usd and the margins' lines", tt.name, stored, names)
		}
		for _, n := range names {
			if !usd[n] {
				t.Errorf("%s: stored note names %s, not a line compare --forecast prints", tt.name, n)
			}
		}
		for _, column := range []string{"COMMERCE column", "GROSS%", "OPER%"} {
			if strings.Contains(stored, column) {
				t.Errorf("%s: stored note %q names the table's %s", tt.name, stored, column)
			}
		}
		if table := r.CommerceNote(); !strings.Contains(table, "the COMMERCE column") || !strings.Contains(table, "GROSS% and OPER%") {
			t.Errorf("%s: the table's note %q does not name its columns", tt.name, table)
		}
	}
}
