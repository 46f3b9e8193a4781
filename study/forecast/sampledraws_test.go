package forecast

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// drawnPlan draws every input Monte Carlo has, each uniform so that the
// test recomputes it from the stream by hand (min + u x (max - min)).
const drawnPlan = `name: drawn
base: baseline
periods: {count: 2, length: month}
day: {days: 1, slices: 2, horizon: 4m}
workloads:
  chat: {growth: 0.1/month, elasticity: -1.11}
variants:
  - {name: rented, procurement: {mode: rented, min: 4, max: 4}}
monte_carlo:
  samples: 3
  seed: 9
  growth: {dist: uniform, min: 0.5, max: 1.5}
  price: {dist: uniform, min: 0.9, max: 1.1}
  ctr: {dist: uniform, min: 0.75, max: 1.25}
  conversion: {dist: uniform, min: 0.8, max: 1.2}
  elasticity: {dist: uniform, min: -1.5, max: -0.7}
`

// TestSampleDrawsAreTheSeededDraws: the report keeps each sample's drawn
// inputs, named by the paths they set, and its seeds. A P90 period could
// not be traced to the draws behind it: neither --json nor the store gave
// the CTR or conversion a sample drew. Each value is recomputed from the
// draws' own stream (monte_carlo.seed, drawStream) in the order the
// draws are taken, and each is the value the sample's runs were set to.
func TestSampleDrawsAreTheSeededDraws(t *testing.T) {
	f := parse(t, drawnPlan)
	r := NewReport(f, nil, 0)
	if len(r.SampleDraws) != 3 {
		t.Fatalf("%d samples' draws, want 3: %+v", len(r.SampleDraws), r.SampleDraws)
	}
	stream := rand.New(rand.NewPCG(9, drawStream))
	uniform := func(lo, hi float64) float64 { return lo + stream.Float64()*(hi-lo) }
	shop := "workloads[shopping-assistant]"
	for i, sd := range r.SampleDraws {
		want := []DrawnInput{
			{"monte_carlo.growth", uniform(0.5, 1.5), "multiplier", []string{"workloads.chat.growth"}},
			{"monte_carlo.price", uniform(0.9, 1.1), "multiplier", []string{"workloads[chat].price.input_per_mtok",
				"workloads[chat].price.output_per_mtok", shop + ".price.input_per_mtok", shop + ".price.output_per_mtok", shop + ".agent.value.fee"}},
			{"monte_carlo.ctr", uniform(0.75, 1.25), "multiplier", []string{"ads.ctr"}},
			{"monte_carlo.conversion", uniform(0.8, 1.2), "multiplier", []string{shop + ".agent.value.conversion"}},
			{"monte_carlo.elasticity", uniform(-1.5, -0.7), "elasticity", []string{"workloads.chat.elasticity"}},
		}
		if sd.Sample != i || len(sd.Draws) != len(want) {
			t.Fatalf("sample %d: %+v, want sample %d with %d draws", i, sd, i, len(want))
		}
		for j, d := range sd.Draws {
			w := want[j]
			if d.Input != w.Input || d.Value != w.Value || d.Unit != w.Unit || !slices.Equal(d.Sets, w.Sets) {
				t.Errorf("sample %d draw %d: %+v, want %+v", i, j, d, w)
			}
		}
		if sd.Seeds != [2]uint64{1 + 2*uint64(i), 2 + 2*uint64(i)} { // seed 1, one day of 2 slices a sample
			t.Errorf("sample %d: seeds %v, want [%d %d]", i, sd.Seeds, 1+2*i, 2+2*i)
		}
	}
	checkDrawsSetRuns(t, f, r)
}

// checkDrawsSetRuns: the runs of each sample's first period are set to
// what its recorded draws make of the base scenario's values, and seeded
// within its recorded seeds.
func checkDrawsSetRuns(t *testing.T, f *Forecast, r *Report) {
	t.Helper()
	base := f.Base.Scenario
	chat, shop := f.workload("chat"), f.workload("shopping-assistant")
	seen := 0
	for _, j := range f.Jobs() {
		if j.Period != 1 {
			continue
		}
		sd := r.SampleDraws[j.Sample]
		price, ctr, conv := sd.Draws[1].Value, sd.Draws[2].Value, sd.Draws[3].Value
		for _, c := range []struct {
			path      string
			got, want float64
		}{
			{"workloads[chat].price.input_per_mtok", setValue(t, j.Sets, "workloads[chat].price.input_per_mtok="), chat.Price.InputPerMTok * price},
			{"workloads[shopping-assistant].agent.value.fee", setValue(t, j.Sets, "workloads[shopping-assistant].agent.value.fee="), shop.Agent.Value.Fee * price},
			{"ads.ctr", setValue(t, j.Sets, "ads.ctr="), math.Min(1, base.Ads.CTR*ctr)},
			{"workloads[shopping-assistant].agent.value.conversion", setValue(t, j.Sets, "workloads[shopping-assistant].agent.value.conversion="),
				math.Min(1, shop.Agent.Value.Conversion*conv)},
		} {
			if !near(c.got, c.want) {
				t.Errorf("sample %d: %s = %v, want %v from its recorded draw", j.Sample, c.path, c.got, c.want)
			}
		}
		if seed := uint64(setValue(t, j.Sets, "seed=")); seed < sd.Seeds[0] || seed > sd.Seeds[1] {
			t.Errorf("sample %d: run seeded %d, outside its recorded seeds %v", j.Sample, seed, sd.Seeds)
		}
		seen++
	}
	if seen != 6 { // 3 samples x 2 slices
		t.Fatalf("%d period-1 jobs, want 6", seen)
	}
}

// TestSampleDrawsStoredAndRead: the draws reach --json and the stored
// report (both the report's JSON) and a merge of shards, and the text
// report points at them; a report stored before they were kept still
// reads, without the note, and a forecast without monte_carlo has none.
func TestSampleDrawsStoredAndRead(t *testing.T) {
	f := parse(t, drawnPlan)
	body, err := json.Marshal(NewReport(f, nil, 0))
	if err != nil {
		t.Fatal(err)
	}
	merged, err := MergeReports(string(body), string(body))
	if err != nil {
		t.Fatal(err)
	}
	var legacy map[string]any
	if err := json.Unmarshal(body, &legacy); err != nil {
		t.Fatal(err)
	}
	delete(legacy, "sample_draws")
	old, err := json.Marshal(legacy)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, json string
		draws      int
	}{
		{"as stored now", string(body), 3},
		{"merged", merged, 3},
		{"stored before the draws", string(old), 0},
	} {
		r, ok := storedReport(tt.json)
		if !ok {
			t.Fatalf("%s: the report does not read", tt.name)
		}
		var text bytes.Buffer
		if err := r.WriteText(&text); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(r.SampleDraws) != tt.draws || strings.Contains(text.String(), "DRAWS: ") != (tt.draws > 0) {
			t.Errorf("%s: %d samples' draws, DRAWS note %v; want %d:\n%s", tt.name, len(r.SampleDraws),
				strings.Contains(text.String(), "DRAWS: "), tt.draws, text.String())
		}
		if tt.draws > 0 && !strings.Contains(text.String(), "sample_draws") {
			t.Errorf("%s: the DRAWS note does not name sample_draws:\n%s", tt.name, text.String())
		}
	}
	if err := f.SetSamples(1); err != nil { // the nominal future: nothing drawn
		t.Fatal(err)
	}
	if r := NewReport(f, nil, 0); r.SampleDraws != nil || r.drawsNote() != "" {
		t.Errorf("one sample without monte_carlo: draws %+v, note %q", r.SampleDraws, r.drawsNote())
	}
}
