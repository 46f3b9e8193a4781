package tui

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// The dashboard's figures read as the CLI's: requests that timed out are
// shown where drops are, the Margin card's latency loss is margin, a model
// mix names each of its models, and a money column is not shown without
// the horizon it covers where the runs' horizons differ.

// fixtureKPIs are the whole-run KPIs of a fixture run, read from the store.
func fixtureKPIs(t *testing.T, n int) kpiSet {
	t.Helper()
	st, err := data.Open(fixturePath, data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d, err := st.Run(context.Background(), fixtureID(n))
	if err != nil {
		t.Fatal(err)
	}
	return newKPISet(d.KPIs)
}

// TestTimedOutShownBesideDropped: the Workloads tab and the Compare
// headline show requests that timed out beside those dropped by a full
// queue (DROPPED 0 sat beside $2.47 lost to 2,361 timed-out requests), and
// Compare headlines the session abandon rate, as run does.
func TestTimedOutShownBesideDropped(t *testing.T) {
	k := fixtureKPIs(t, 1)
	timedOut := fmtCount(k.get("chat", kpi.RequestsTimedOut))
	if timedOut == "0" {
		t.Fatal("the fixture's chat has no timed-out request: the test shows nothing")
	}
	s := startSession(t, testOptions(fixturePath), 120, 30)
	s.wait("9 of 9 runs")
	s.press("end", "enter")
	s.wait("baseline · 1m1q01zz5b0c7d9")
	s.press("3")
	v := s.wait("DROPPED", "TIMED OUT")
	if !regexp.MustCompile(`(?m)^chat .* ` + regexp.QuoteMeta(timedOut) + ` `).MatchString(v) {
		t.Errorf("the chat row lacks its %s timed-out requests:\n%s", timedOut, v)
	}

	c := startSession(t, testOptions(fixturePath), 100, 60)
	c.wait("9 of 9 runs")
	c.press("end", "space", "up", "up", "space", "c")
	c.wait("baseline of the deltas", "requests dropped", "requests timed out", "session abandon rate")
}

// TestMarginCardLatencyLossIsMargin: the Margin card's latency line is the
// margin lost to latency (to queueing plus service time), not the revenue
// lost, which reads more ($896.24 against $892.85), and its label says so
// (it read "lat. loss", as the Workloads tab's revenue lost does).
func TestMarginCardLatencyLossIsMargin(t *testing.T) {
	k := fixtureKPIs(t, 1)
	margin := fmtUSD(k.get("", kpi.MarginLostToQueueingUSD) + k.get("", kpi.MarginLostToServiceTimeUSD))
	revenue := fmtUSD(k.get("", kpi.RevenueLostToLatencyUSD))
	if margin == revenue {
		t.Fatalf("the fixture's margin and revenue lost both read %s: the test tells nothing apart", margin)
	}
	s := startSession(t, testOptions(fixturePath), 120, 40)
	s.wait("9 of 9 runs")
	s.press("end", "enter")
	v := s.wait("Margin", "margin lost (lat.)")
	line := regexp.MustCompile(`margin lost \(lat\.\) +(\S+)`).FindStringSubmatch(v)
	if line == nil || line[1] != margin {
		t.Errorf("margin lost (lat.) reads %q, want the margin lost %s (the revenue lost is %s):\n%s", line, margin, revenue, v)
	}
}

// mixYAML is a model mix's resolved scenario, trimmed to what the setup
// line reads: the 70B on two instances at TP 32, the 8B on one at TP 8.
const mixYAML = `name: model-mix
horizon: 30m
model: llama-3.3-70b
fleet:
  instance: trn2.48xlarge
  count: 2
  pricing: capacity-block
  replica: {tp: 32, scheduler: neuron}
pools:
  - name: small
    model: llama-3.1-8b
    fleet:
      instance: trn2.48xlarge
      count: 1
      pricing: capacity-block
      replica: {tp: 8, scheduler: neuron}
routing: {rule: small-first, small: small, large: llama-3.3-70b, escalation: 0.2}
workloads:
  - name: chat
    class: api
    arrivals: {process: poisson, rate: 8/s}
`

// mixedStore is a store with a 1-hour run and a 30-minute model mix.
func mixedStore(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mixed.duckdb")
	st, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	for _, r := range []fixtureRun{
		{n: 1, name: "baseline", seed: 1, instances: 4, rateRPS: 30, priceUSDh: 35.76},
		{n: 2, name: "model-mix", seed: 1, instances: 3, rateRPS: 8, priceUSDh: 35.76, horizon: 30 * time.Minute, yaml: mixYAML},
	} {
		if err := writeFixtureRun(ctx, st, r); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// TestModelMixSetupNamesEachModel: the run header of a model mix names
// both models with their fleets and TP degrees, and the Fleet card both
// degrees (it read "llama-3.3-70b on 2 × trn2.48xlarge · TP 32" alone).
func TestModelMixSetupNamesEachModel(t *testing.T) {
	s := startSession(t, testOptions(mixedStore(t)), 160, 48)
	s.wait("2 of 2 runs")
	s.press("enter") // the newest run, the mix
	v := s.wait("model-mix · 1m1q02zz5b0c7d9", "Fleet")
	flat := strings.Join(strings.Fields(v), " ")
	for _, want := range []string{
		"llama-3.3-70b on 2 × trn2.48xlarge, TP 32 · small (llama-3.1-8b) on 1 × trn2.48xlarge, TP 8 · neuron scheduler · capacity-block",
		"TP 32/8",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the run screen lacks %q:\n%s", want, v)
		}
	}
}

// TestRunsListKeepsHorizonWithMoney: where the runs listed simulated
// different horizons, HORIZON stays beside MARGIN at every width (at 120
// columns it gave way while REVENUE and MARGIN stayed; below 80 it went
// first of the columns always shown, being the last); where they share
// one, REVENUE shows only with it.
func TestRunsListKeepsHorizonWithMoney(t *testing.T) {
	mixed := mixedStore(t)
	for _, tt := range []struct {
		name, path, runs string
		w                int
		horizon          bool
	}{
		{"different horizons, 120 columns", mixed, "2 of 2 runs", 120, true},
		{"different horizons, 80 columns", mixed, "2 of 2 runs", 80, true},
		// Below 80 the columns after it gave way from the right, HORIZON,
		// the last, first.
		{"different horizons, 60 columns", mixed, "2 of 2 runs", 60, true},
		{"different horizons, 44 columns, no MARGIN", mixed, "2 of 2", 44, false},
		{"one horizon, 60 columns", fixturePath, "9 of 9 runs", 60, false},
		{"one horizon, 120 columns", fixturePath, "9 of 9 runs", 120, true},
		{"one horizon, 80 columns", fixturePath, "9 of 9 runs", 80, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := startSession(t, testOptions(tt.path), tt.w, 24)
			v := s.wait(tt.runs, "$/MTOK")
			if tt.path == mixed && strings.Contains(v, "MARGIN") != strings.Contains(v, "HORIZON") {
				t.Errorf("MARGIN and HORIZON do not show together:\n%s", v)
			}
			if got := strings.Contains(v, "HORIZON"); got != tt.horizon {
				t.Errorf("HORIZON shown: %v, want %v:\n%s", got, tt.horizon, v)
			}
			if strings.Contains(v, "REVENUE") && !strings.Contains(v, "HORIZON") {
				t.Errorf("REVENUE shown without HORIZON:\n%s", v)
			}
			if tt.path == mixed && tt.horizon && !strings.Contains(v, "30m") {
				t.Errorf("the model mix's 30m horizon is not shown:\n%s", v)
			}
		})
	}
}

// TestLatencyLossLine: the Margin card's latency line is the margin lost
// where the run has it by cause, the revenue lost labelled as such where
// it has only that (a run stored before the split), a dash where neither.
func TestLatencyLossLine(t *testing.T) {
	for _, tt := range []struct {
		name        string
		kpis        map[string]float64
		label, want string
	}{
		{"margin by cause", map[string]float64{kpi.RevenueLostToLatencyUSD: 896.24, kpi.MarginLostToQueueingUSD: 623.45,
			kpi.MarginLostToServiceTimeUSD: 269.40}, "margin lost to latency", "$892.85"},
		{"revenue only", map[string]float64{kpi.RevenueLostToLatencyUSD: 896.24}, "revenue lost to latency", "$896.24"},
		{"neither", map[string]float64{}, "margin lost to latency", "-"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k := kpiSet{}
			for n, v := range tt.kpis {
				k[[2]string{"", n}] = sim.KPI{Name: n, Value: v}
			}
			if l := latencyLossLine(k); l.label != tt.label || l.value != tt.want {
				t.Errorf("%q %q, want %q %q", l.label, l.value, tt.label, tt.want)
			}
		})
	}
}

// TestLatencyLossLabelFits: the Margin card's latency line names margin
// (or revenue) lost in as many words as the card's width allows, and is
// never cut: at 80 columns "margin lost to latency" would read "margin
// lo…" beside its value. Where "margin" does not fit it says latency in
// whole words, under the card's title: "mgn lost" (80 and 160 columns)
// and "mgn lost lat." (100) read as no word at all.
func TestLatencyLossLabelFits(t *testing.T) {
	margin := kpiSet{}
	for n, v := range map[string]float64{kpi.MarginLostToQueueingUSD: 70.53, kpi.MarginLostToServiceTimeUSD: 268.73} {
		margin[[2]string{"", n}] = sim.KPI{Name: n, Value: v}
	}
	revenue := kpiSet{{"", kpi.RevenueLostToLatencyUSD}: sim.KPI{Name: kpi.RevenueLostToLatencyUSD, Value: 340.50}}
	st := newStyles()
	for _, tt := range []struct {
		k    kpiSet
		w    int
		want string
	}{
		{margin, 80, "latency $339.26"},
		{margin, 100, "latency loss $339.26"},
		{margin, 120, "margin lost (lat.) $339.26"},
		{margin, 140, "margin lost to latency $339.26"},
		{margin, 160, "latency $339.26"}, // eight cards to a row, as narrow as at 80
		{revenue, 80, "rev lost $340.50"},
		{revenue, 100, "rev. lost $340.50"},
		{revenue, 120, "rev. lost (lat.) $340.50"},
		{revenue, 140, "revenue lost to latency $340.50"},
	} {
		cs := make([]card, 8) // the overview's count: four to a row up to 159 columns, eight from 160
		cs[2] = card{title: "Margin", lines: []cardLine{latencyLossLine(tt.k)}}
		block, _ := renderCards(st, cs, tt.w, 4)
		got := ""
		for _, l := range strings.Split(ansi.Strip(block), "\n") {
			for _, inner := range strings.Split(l, "│") {
				if strings.Contains(inner, "$") {
					got = strings.Join(strings.Fields(inner), " ")
				}
			}
		}
		if got != tt.want {
			t.Errorf("at %d columns the line reads %q, want %q whole:\n%s", tt.w, got, tt.want, ansi.Strip(block))
		}
	}
}
