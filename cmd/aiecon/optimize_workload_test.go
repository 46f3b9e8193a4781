package main

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"
)

// TestOptimizeNamesWorstAgent: an evaluation's session abandonment is the
// highest of its agent workloads', and its session_fail_rate and
// sessions_failed are that workload's; --format json gave the figures
// without the workload, so a program could not tell whose they were.
// It names them (null where none is known, or the highest is shared), and
// the BEST line and NO FLEET MET THE TARGET name the workload where there
// are several agent workloads, as they do the worst SLO workload.
func TestOptimizeNamesWorstAgent(t *testing.T) {
	for _, tt := range []struct {
		name                  string
		agents                []string
		abandonWork, failWork string
		wantJSON              []string // substrings of each evaluation's JSON
		best                  string   // a substring of the BEST line
		noBest                string   // a substring the BEST line must not have
	}{
		{"two agents", []string{"shop", "travel"}, "travel", "travel",
			[]string{`"session_abandon_rate_max_workload":"travel"`, `"session_fail_rate_workload":"travel"`},
			"session abandonment 48.2% (worst workload: travel), margin", ""},
		{"one agent", []string{"shop"}, "shop", "shop",
			[]string{`"session_abandon_rate_max_workload":"shop"`, `"session_fail_rate_workload":"shop"`},
			"session abandonment 48.2%, margin", "worst workload: shop"},
		{"two agents tied", []string{"shop", "travel"}, "", "shop",
			[]string{`"session_abandon_rate_max_workload":null`, `"session_fail_rate_workload":"shop"`},
			"session abandonment 48.2%, margin", "(worst workload: shop)"},
		{"no session ended", []string{"shop", "travel"}, "", "",
			[]string{`"session_abandon_rate_max_workload":null`, `"session_fail_rate_workload":null`},
			"session abandonment 48.2%, margin", "worst workload: s"},
	} {
		res := abandonResult(tt.agents)
		for _, e := range res.Evals {
			e.SessionAbandonWorkload, e.SessionFailWorkload = tt.abandonWork, tt.failWork
		}
		var out strings.Builder
		printBest(&out, res, 0)
		best, _, _ := strings.Cut(out.String(), "\n")
		if !strings.Contains(best, tt.best) || tt.noBest != "" && strings.Contains(best, tt.noBest) {
			t.Errorf("%s: BEST line %q, want %q and not %q", tt.name, best, tt.best, tt.noBest)
		}
		js, err := json.Marshal(optimizeJSON(res, "x.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Evaluations []json.RawMessage `json:"evaluations"`
		}
		if err := json.Unmarshal(js, &got); err != nil {
			t.Fatal(err)
		}
		for i, e := range got.Evaluations {
			for _, want := range tt.wantJSON {
				if !strings.Contains(string(e), want) {
					t.Errorf("%s: evaluation %d lacks %s:\n%s", tt.name, i, want, e)
				}
			}
		}
	}
}

// TestNoFleetNoteNamesWorstAgent: where the abandonment limit kept every
// fleet out, the note's lowest abandonment and the share the fleet failed
// are of one agent workload, which it names where there are several.
func TestNoFleetNoteNamesWorstAgent(t *testing.T) {
	for _, tt := range []struct {
		name   string
		agents []string
		want   []string
		not    string
	}{
		{"two agents", []string{"shop", "travel"},
			[]string{"was 33.3% (worst workload: travel) (4 x trn2.48xlarge", "10.0% of travel's sessions that ended there the fleet failed"}, ""},
		{"one agent", []string{"travel"}, []string{"was 33.3% (4 x trn2.48xlarge", "10.0% of the sessions that ended there"}, "worst workload"},
	} {
		res := abandonResult(tt.agents)
		limit := 0.1
		res.Best, res.MaxSessionAbandon = nil, &limit
		for _, e := range res.Evals {
			e.Feasible, e.SessionFail, e.SessionAbandonWorkload, e.SessionFailWorkload = false, 0.1, "travel", "travel"
		}
		note := noFleetNote(res)
		for _, w := range tt.want {
			if !strings.Contains(note, w) {
				t.Errorf("%s: note lacks %q:\n%s", tt.name, w, note)
			}
		}
		if tt.not != "" && strings.Contains(note, tt.not) {
			t.Errorf("%s: note has %q:\n%s", tt.name, tt.not, note)
		}
	}
}

// TestFrontierNamesWorstAgent: FRONTIER's ABANDON is the highest abandon
// rate of the agent workloads, and with several it showed no workload per
// row, so 48.2% read as every agent's while --format json named travel.
// With several, a key after the rate names it, explained above the table;
// with one, or none known (a tie, no session ended), the rate stands bare.
func TestFrontierNamesWorstAgent(t *testing.T) {
	for _, tt := range []struct {
		name        string
		agents      []string
		abandonWork string
		want, not   []string
	}{
		{"two agents", []string{"shop", "travel"}, "travel",
			[]string{"after it, whose it is: shop shop, t travel (none where", "100.0%  48.2% t  ", "18.4%   79.2% t  "}, nil},
		{"one agent", []string{"travel"}, "travel",
			[]string{"100.0%  48.2%    "}, []string{"timed out); after it, whose it is", "48.2% t"}},
		{"two agents tied", []string{"shop", "travel"}, "",
			[]string{"whose it is: shop shop, t travel", "100.0%  48.2%    "}, []string{"48.2% s", "48.2% t"}},
	} {
		res := abandonResult(tt.agents)
		for _, e := range res.Evals {
			e.SessionAbandonWorkload = tt.abandonWork
		}
		var out strings.Builder
		if err := printFrontier(&out, res, 0); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s: FRONTIER lacks %q:\n%s", tt.name, w, out.String())
			}
		}
		for _, w := range tt.not {
			if strings.Contains(out.String(), w) {
				t.Errorf("%s: FRONTIER has %q:\n%s", tt.name, w, out.String())
			}
		}
	}
}

// TestWorkloadKeys: each key is the shortest start of one workload's name
// that starts no other's, counted in characters, and the whole name where
// it starts another's, never ending in a space; no two keys are equal.
func TestWorkloadKeys(t *testing.T) {
	for _, tt := range []struct {
		names []string
		want  map[string]string
	}{
		{[]string{"shopping", "research"}, map[string]string{"shopping": "s", "research": "r"}},
		{[]string{"shopping-assistant", "shopping-cart", "travel"},
			map[string]string{"shopping-assistant": "shopping-a", "shopping-cart": "shopping-c", "travel": "t"}},
		{[]string{"chat", "chat-pro"}, map[string]string{"chat": "chat", "chat-pro": "chat-"}},
		{[]string{"été", "étage", "ours"}, map[string]string{"été": "été", "étage": "éta", "ours": "o"}},
		{[]string{"a", "b"}, map[string]string{"a": "a", "b": "b"}},
		{[]string{"x", "x y", "x z"}, map[string]string{"x": "x", "x y": "x y", "x z": "x z"}},
	} {
		got := workloadKeys(tt.names)
		if !maps.Equal(got, tt.want) {
			t.Errorf("workloadKeys(%q) = %q, want %q", tt.names, got, tt.want)
		}
	}
}

// TestFrontierNamesWorstSLO: FRONTIER's SLO is the lowest attainment of
// the workloads with an SLO, and with several it named none per row, so
// 18.4% read as every workload's while --format json named one
// (slo_attainment_min_workload). With several, a key after it names the
// workload, explained above the table, from the same keys as ABANDON's so
// that a key names one workload in both columns; with one SLO workload,
// or none known (a tie, no request ended), it stands bare.
func TestFrontierNamesWorstSLO(t *testing.T) {
	for _, tt := range []struct {
		name      string
		slos      []string
		agents    []string
		worst     string
		want, not []string
	}{
		{"two SLO workloads", []string{"chat", "shopping-assistant"}, nil, "chat",
			[]string{"SLO is the lowest SLO attainment of the workloads; after it, whose it is: c chat, s shopping-assistant (none where",
				"  18.4% c   ", "  100.0% c  "}, []string{"ABANDON"}},
		{"keys shared with ABANDON", []string{"chat", "shopping-assistant"}, []string{"shopping-assistant", "support"}, "shopping-assistant",
			[]string{"whose it is: c chat, sh shopping-assistant (none", "whose it is: sh shopping-assistant, su support (none",
				"  18.4% sh  "}, nil},
		{"one SLO workload", []string{"chat"}, nil, "chat", []string{"  18.4%  "}, []string{"SLO is the lowest", "18.4% c"}},
		{"tied", []string{"chat", "shopping-assistant"}, nil, "", []string{"whose it is: c chat", "  18.4%  "}, []string{"18.4% c", "18.4% s"}},
	} {
		res := abandonResult(tt.agents)
		res.SLOs = tt.slos
		for _, e := range res.Evals {
			e.AttainmentWorkload = tt.worst
		}
		var out strings.Builder
		if err := printFrontier(&out, res, 0); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s: FRONTIER lacks %q:\n%s", tt.name, w, out.String())
			}
		}
		for _, w := range tt.not {
			if strings.Contains(out.String(), w) {
				t.Errorf("%s: FRONTIER has %q:\n%s", tt.name, w, out.String())
			}
		}
	}
}
