package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"aiecon/data"
	"aiecon/model"
)

// traceScenario writes a trace and a scenario replaying it into a folder
// and returns the scenario's path.
func traceScenario(t *testing.T, trace, arrivals string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "t.csv"), []byte(trace), 0o644); err != nil {
		t.Fatal(err)
	}
	sc := `name: replay
model: llama-3.1-8b
fleet: {instance: inf2.48xlarge, replica: {tp: 8}}
workloads:
  - name: chat
    class: api
    arrivals: ` + arrivals + `
    prompt_tokens: 100
    output_tokens: 10
`
	path := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(path, []byte(sc), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const twoRowTrace = "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.0000000,10,5\n"

// manyRowTrace is a trace of n rows a second apart.
func manyRowTrace(n int) string {
	var b strings.Builder
	b.WriteString("TIMESTAMP,ContextTokens,GeneratedTokens\n")
	start := time.Date(2023, 11, 16, 18, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&b, "%s,100,10\n", start.Add(time.Duration(i)*time.Second).Format("2006-01-02 15:04:05"))
	}
	return b.String()
}

const sameInstantTrace = "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:46.6805900,10,5\n"

// TestAbsurdSizesRefusedAtLoad: each size of issue 15.5 that ran out of
// memory or filled the store is refused at load, with the estimate and what
// to change, as an input error (exit 2).
func TestAbsurdSizesRefusedAtLoad(t *testing.T) {
	cases := []struct {
		name string
		arg  string
		sets []string
		want string
	}{
		{"10000/s on the default horizon", "baseline", []string{"workloads[0].arrivals.rate=10000/s"}, "past the budget of 2e+07"},
		{"horizon 366d", "inferentia-small", []string{"horizon=366d"}, "shorten the horizon (--horizon)"},
		{"looped trace at one instant", traceScenario(t, sameInstantTrace, "{trace: {path: t.csv, loop: true}}"), nil, "repeats forever at one instant"},
		{"time_scale 1e-300 looped", traceScenario(t, twoRowTrace, "{trace: {path: t.csv, loop: true, time_scale: 1e-300}}"), nil, "repeats forever at one instant"},
		{"looped trace at 1ns period", traceScenario(t, twoRowTrace, "{trace: {path: t.csv, loop: true, time_scale: 1e-9}}"), nil, "past the budget"},
		// 100,000 trn2.48xlarge at tp 1 ran out of memory building the fleet.
		{"a fleet of millions of replicas", "baseline", []string{"fleet.count=100000", "model=llama-3.1-8b", "fleet.replica.tp=1"},
			"fleet.count 100000 x 64 replicas of tp 1 per trn2.48xlarge), past the budget of 1e+06"},
		{"autoscale to millions of replicas", "inferentia-small", []string{"fleet.autoscale.max=100000", "fleet.replica.tp=2"},
			"fleet.autoscale.max 100000 x 12 replicas"},
		// With pools the total is a sum: the message names the largest part.
		{"millions of replicas over pools", "model-mix", []string{"pools[0].fleet.count=100000", "pools[0].fleet.replica.tp=4"},
			"replicas (the most from pools[0].fleet.count 100000 x 16 replicas"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(c.arg, c.sets)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want an input error containing %q, got %v", c.want, err)
			}
		})
	}
	if _, err := Load(traceScenario(t, twoRowTrace, "{trace: {path: t.csv, loop: true}}"), nil); err != nil {
		t.Fatalf("an ordinary looped trace must load: %v", err)
	}
	// A benchmark's count of prompts at a high rate stops at the count: it
	// was estimated at rate x horizon (3.6e8 here) and refused.
	l, err := Load("inferentia-small", []string{"workloads[0].arrivals.rate=100000/s", "workloads[0].arrivals.count=1000", "horizon=1h"})
	if err != nil {
		t.Fatalf("1,000 prompts at 100,000/s must load: %v", err)
	}
	if e, err := EstimateRun(l.Scenario, nil); err != nil || e.Requests > 1000 {
		t.Errorf("estimated %v requests for a count of 1,000 (%v)", e.Requests, err)
	}
}

// TestRequestRowsSampledPastTheRowBudget: past the row budget, loading
// lowers the sample rate, records it in the resolved scenario and says so.
func TestRequestRowsSampledPastTheRowBudget(t *testing.T) {
	t.Setenv(EnvMaxRequestRows, "1000")
	l, err := Load("inferentia-small", []string{"horizon=10m"}) // about 3,600 requests
	if err != nil {
		t.Fatal(err)
	}
	rate := l.Scenario.Output.RequestSampleRate
	if rate >= 1 || rate*3600 > 1000 || rate*3600 < 500 {
		t.Fatalf("sample rate %v, want about 1000/3600", rate)
	}
	if len(l.Notes) != 1 || !strings.Contains(l.Notes[0], "storing a sample of") {
		t.Fatalf("notes %q", l.Notes)
	}
	if !strings.Contains(string(l.Resolved), "request_sample_rate: 0.27") {
		t.Fatalf("resolved YAML does not record the rate:\n%s", l.Resolved)
	}
	t.Setenv(EnvMaxRequestRows, "lots")
	if _, err := Load("inferentia-small", nil); err == nil || !strings.Contains(err.Error(), EnvMaxRequestRows) {
		t.Fatalf("a bad budget must be refused: %v", err)
	}
}

// TestTraceErrorsAtLoad: a bad trace is an input error naming the
// scenario's field and the trace's line, before anything runs.
func TestTraceErrorsAtLoad(t *testing.T) {
	cases := []struct{ name, trace, want string }{
		{"missing file", "", "arrivals.trace.path: trace: open"},
		{"bad row", "TIMESTAMP,ContextTokens,GeneratedTokens\nyesterday,1,1\n", `t.csv:2: bad TIMESTAMP "yesterday"`},
		{"timestamps past int64 ns", "TIMESTAMP,ContextTokens,GeneratedTokens\n1700-01-01 00:00:00,1,1\n2100-01-01 00:00:00,1,1\n", "t.csv:3: timestamp 2100-01-01 00:00:00 is more than"},
		{"binary garbage", "TIMESTAMP,ContextTokens,GeneratedTokens\n\x00\x01\xff,1,1\n", `bad TIMESTAMP "\x00\x01\xff"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := traceScenario(t, c.trace, "{trace: {path: t.csv}}")
			if c.trace == "" {
				os.Remove(filepath.Join(filepath.Dir(path), "t.csv"))
			}
			_, err := Load(path, nil)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "s.yaml:7:") {
				t.Fatalf("want an input error at s.yaml:7 containing %q, got %v", c.want, err)
			}
		})
	}
	// A trace is bounded by what the run replays of it, before it is read
	// whole (10^9 rows would hold 16 GB): its rows before the horizon, times
	// rate_scale, by the request budget, at the first row past it; every
	// row it holds by the memory budget, at 32 bytes a row. Every row was
	// counted against the request budget, and against the memory budget at
	// a request's 400 bytes: the head of a longer trace and a rate_scale
	// below 1 were refused.
	t.Run("rows past what the run replays", func(t *testing.T) {
		t.Setenv(EnvMaxRequests, "3")
		t.Setenv(EnvMaxMemory, "1MB")
		five := twoRowTrace + "2023-11-16 18:15:51,1,1\n2023-11-16 18:15:52,1,1\n2023-11-16 18:15:53,1,1\n" // 0, 3.3, 4.3, 5.3, 6.3 s
		for _, c := range []struct {
			name, trace, arrivals string
			sets                  []string
			want                  string // "" loads
		}{
			{"every row before the horizon", five, "{trace: {path: t.csv}}", nil,
				"t.csv:5: its rows before the horizon, times rate_scale, pass the request budget of 3; shorten the horizon (--horizon) or lower rate_scale, or raise the budget with AIECON_MAX_REQUESTS"},
			{"two rows before the horizon", five, "{trace: {path: t.csv}}", []string{"horizon=4s"}, ""},
			{"time_scale stretches them past it", five, "{trace: {path: t.csv, time_scale: 0.5}}", []string{"horizon=2s"}, ""},
			{"rate_scale 0.5 replays half", five, "{trace: {path: t.csv, rate_scale: 0.5}}", nil, ""},
			{"rate_scale 2 replays each twice", five, "{trace: {path: t.csv, rate_scale: 2}}", nil, "t.csv:3: its rows before the horizon"},
			{"rows held past the memory budget", manyRowTrace(40_000), "{trace: {path: t.csv}}", []string{"horizon=1s"},
				"t.csv:32770: more than 32768 rows: the memory budget of 1 MB holds about 3.28e+04 trace rows at 32 bytes each; raise it with AIECON_MAX_MEMORY, or cut the trace"},
			{"rows held under it", manyRowTrace(5000), "{trace: {path: t.csv, rate_scale: 0.0005}}", nil, ""},
		} {
			_, err := Load(traceScenario(t, c.trace, c.arrivals), c.sets)
			var ie *InputError
			switch {
			case c.want == "" && err != nil:
				t.Errorf("%s: want a load, got %v", c.name, err)
			case c.want != "" && (!errors.As(err, &ie) || !strings.Contains(err.Error(), c.want)):
				t.Errorf("%s: want an input error containing %q, got %v", c.name, c.want, err)
			}
		}
	})
	bom := traceScenario(t, "\ufeff"+twoRowTrace, "{trace: {path: t.csv}}")
	if _, err := Load(bom, nil); err != nil {
		t.Fatalf("a trace with a byte-order mark must load: %v", err)
	}
}

// TestClosedLoopStopsAtTheBudget: a closed loop's request count is not known
// before it runs (100 clients without think time over 366d ran for hours),
// so the run stops at the request budget, as an input error saying what to
// change, stored as failed.
func TestClosedLoopStopsAtTheBudget(t *testing.T) {
	t.Setenv(EnvMaxRequests, "2000")
	store, _ := storeAndSmallScenario(t)
	l, err := Load(traceScenario(t, twoRowTrace, "{process: closed, clients: 100, think_time: 0s}"), []string{"horizon=366d", "window=1d"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), l, Options{Store: store})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "stopped after 2001 requests") || !strings.Contains(err.Error(), "past the budget of 2e+03 requests (AIECON_MAX_REQUESTS)") {
		t.Fatalf("want an input error stopping at the budget, got %v", err)
	}
	runs, err := store.Runs(context.Background(), data.RunFilter{})
	if err != nil || len(runs) != 1 || runs[0].Status != data.StatusFailed {
		t.Fatalf("runs %+v (%v), want one failed run", runs, err)
	}
}

// TestSampleRateReadsWell: the stored rate is its two significant digits,
// rounded down, with no float residue in the scenario it is written to.
func TestSampleRateReadsWell(t *testing.T) {
	for _, tt := range []struct{ x, want string }{
		{"0.7049", "0.7"}, {"0.0123", "0.012"}, {"0.29999", "0.29"}, {"1", "1"}, {"0.000567", "0.00056"},
	} {
		x, _ := strconv.ParseFloat(tt.x, 64)
		if got := strconv.FormatFloat(sampleRate(x), 'g', -1, 64); got != tt.want {
			t.Errorf("sampleRate(%s) = %s, want %s", tt.x, got, tt.want)
		}
	}
}

// closedAgentScenario writes a closed loop of agent sessions and returns
// its path.
func closedAgentScenario(t *testing.T, clients, steps int) string {
	t.Helper()
	sc := `name: x
horizon: 60s
model: llama-3.1-8b
fleet: {instance: p5.48xlarge, count: 1, replica: {tp: 8}}
workloads:
  - name: chat
    class: agent
    arrivals: {process: closed, clients: ` + strconv.Itoa(clients) + `, think_time: 0s}
    prompt_tokens: 500
    output_tokens: 100
    agent: {steps: ` + strconv.Itoa(steps) + `, tool_latency: 0s}
`
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte(sc), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestClosedAgentPlansCountAgainstTheBudget: a million closed-loop agent
// clients of 1,000 steps planned every step as their sessions started and
// ran out of memory (6.6 GB after 90 s, then fatal) before a request
// reached the request budget; what the clients hold at once is estimated
// and refused at load, as an input error naming the workload.
func TestClosedAgentPlansCountAgainstTheBudget(t *testing.T) {
	_, err := Load(closedAgentScenario(t, 1_000_000, 1000), nil)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "workloads[0] chat: 1000000 clients x 1000 planned agent.steps") ||
		!strings.Contains(err.Error(), "lower arrivals.clients or agent.steps") {
		t.Fatalf("want an input error naming the clients and steps, got %v", err)
	}
	// The budget scales it: 10,000 clients of 100 steps (about 108 MB) pass
	// the default and not a budget of 100,000 requests (40 MB).
	if _, err := Load(closedAgentScenario(t, 10_000, 100), nil); err != nil {
		t.Fatalf("10,000 clients of 100 steps must load: %v", err)
	}
	t.Setenv(EnvMaxRequests, "100000")
	if _, err := Load(closedAgentScenario(t, 10_000, 100), nil); !errors.As(err, &ie) || !strings.Contains(err.Error(), "past the 38.1 MB") {
		t.Fatalf("want a refusal under a budget of 1e5 requests, got %v", err)
	}
	if _, err := Load(closedAgentScenario(t, 100, 4), nil); err != nil {
		t.Fatalf("100 clients of 4 steps must load: %v", err)
	}
}

// TestSessionStepsPastTheCapRefused: an agent whose steps reach past the
// 1,000 a session runs at their 99th percentile is refused at the field;
// the simulator used to cut them silently (5,000 steps ran as 1,000).
func TestSessionStepsPastTheCapRefused(t *testing.T) {
	src, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	l, err := LoadSource("baseline", src, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	agent := -1
	for i, w := range l.Scenario.Workloads {
		if w.Agent != nil {
			agent = i
			break
		}
	}
	if agent < 0 {
		t.Fatal("baseline has no agent workload")
	}
	field := fmt.Sprintf("workloads[%d].agent.steps", agent)
	tests := []struct {
		steps, want string // want "" = loads
	}{
		{"{dist: fixed, value: 5000}", "reaches 5000 steps at its 99th percentile, past the 1000 a session runs"},
		{"{dist: geometric, mean: 900}", "past the 1000 a session runs"},
		{"{dist: geometric, mean: 900, max: 1000}", ""},
		{"{dist: poisson, mean: 4}", ""},
		{"{dist: fixed, value: 1000}", ""},
	}
	for _, tt := range tests {
		_, err := LoadSource("baseline", src, "", []string{field + "=" + tt.steps})
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("steps %s: %v", tt.steps, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), field)):
			t.Errorf("steps %s: %v, want an error at %s saying %q", tt.steps, err, field, tt.want)
		}
	}
}

// msTrace is a trace of n rows 1 ms apart.
func msTrace(n int) string {
	var b strings.Builder
	b.WriteString("TIMESTAMP,ContextTokens,GeneratedTokens\n")
	for i := range n {
		fmt.Fprintf(&b, "2023-11-16 18:%02d:%02d.%03d,10,5\n", i/60000, i/1000%60, i%1000)
	}
	return b.String()
}

// TestTraceEstimateCountsTheHorizon: only the rows that arrive before the
// horizon count. A 3-million-row trace over a 1 s horizon was counted
// whole: its 1,000 arrivals were stored as a 66% sample, and at rate_scale
// 7 it was refused with advice to shorten a horizon already 1 s.
func TestTraceEstimateCountsTheHorizon(t *testing.T) {
	tenSeconds := msTrace(10_000)
	threeRows := "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:00:00,1,1\n2023-11-16 18:00:01,1,1\n2023-11-16 18:00:02,1,1\n"
	cases := []struct {
		name, trace, arrivals, horizon string
		want                           float64
	}{
		{"head of a long trace", tenSeconds, "{trace: {path: t.csv}}", "1s", 1000},
		{"rate_scale", tenSeconds, "{trace: {path: t.csv, rate_scale: 7}}", "1s", 7000},
		{"time_scale stretches", tenSeconds, "{trace: {path: t.csv, time_scale: 2}}", "1s", 500},
		{"horizon past the trace", tenSeconds, "{trace: {path: t.csv}}", "1m", 10_000},
		// A loop restarts after span 2 s plus one mean gap 1 s: a period of
		// 3 s, so 7 s holds two whole periods and the first row of a third.
		{"loop with a partial period", threeRows, "{trace: {path: t.csv, loop: true}}", "7s", 7},
		{"loop shorter than a period", threeRows, "{trace: {path: t.csv, loop: true}}", "1500ms", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := Load(traceScenario(t, c.trace, c.arrivals), []string{"horizon=" + c.horizon})
			if err != nil {
				t.Fatal(err)
			}
			e, err := EstimateRun(l.Scenario, l.Traces)
			if err != nil || e.Requests != c.want {
				t.Fatalf("estimated %v requests (%v), want %v", e.Requests, err, c.want)
			}
		})
	}
	// Through the budget: neither sampled nor refused.
	t.Setenv(EnvMaxRequestRows, "8000")
	t.Setenv(EnvMaxRequests, "20000")
	for _, arrivals := range []string{"{trace: {path: t.csv}}", "{trace: {path: t.csv, rate_scale: 7}}"} {
		l, err := Load(traceScenario(t, tenSeconds, arrivals), []string{"horizon=1s"})
		if err != nil {
			t.Fatalf("%s over 1s: %v", arrivals, err)
		}
		if len(l.Notes) != 0 || l.Scenario.Output.RequestSampleRate != 1 {
			t.Errorf("%s over 1s: notes %q, sample rate %v; want every row stored", arrivals, l.Notes, l.Scenario.Output.RequestSampleRate)
		}
	}
	// A looped trace is still refused past the budget.
	_, err := Load(traceScenario(t, tenSeconds, "{trace: {path: t.csv, loop: true}}"), []string{"horizon=1m"})
	if err == nil || !strings.Contains(err.Error(), "past the budget of 2e+04") {
		t.Fatalf("60,000 looped requests under a budget of 20,000: %v", err)
	}
}

// TestMemoryBudgetBoundsRequestsHeld: the memory budget bounds the requests
// a run holds at once, not every request of its horizon. A fleet that keeps
// up holds a flat few (47 MB peak RSS over 216,000 requests and over 864,000,
// measured), yet its worst case of every request held at once refused a
// well-sized run past 10.7 million requests; an overloaded one grows about
// 360 bytes a request held, and is stopped at the cap as overloaded, an
// input error naming AIECON_MAX_MEMORY, stored as failed. Closed-loop
// clients, which hold their memory before their requests count, are still
// refused at load; and a bad value is an error.
func TestMemoryBudgetBoundsRequestsHeld(t *testing.T) {
	// 2 MB leaves room for about 5,200 requests held at once: the 21,600
	// requests of an hour at 6/s (8.6 MB if all were held) on a fleet that
	// keeps up run whole.
	t.Setenv(EnvMaxMemory, "2MB")
	store, _ := storeAndSmallScenario(t)
	l, err := Load("inferentia-small", []string{"horizon=1h"})
	if err != nil {
		t.Fatalf("a well-sized hour must load under a 2 MB budget: %v", err)
	}
	if _, err := Run(context.Background(), l, Options{Store: store}); err != nil {
		t.Fatalf("a well-sized hour must run under a 2 MB budget: %v", err)
	}
	// At 200/s the same fleet falls behind and is stopped at the cap.
	l, err = Load("inferentia-small", []string{"horizon=1h", "workloads[0].arrivals.rate=200/s"})
	if err != nil {
		t.Fatalf("an overloaded hour loads; it is stopped as it runs: %v", err)
	}
	_, err = Run(context.Background(), l, Options{Store: store})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "overloaded: stopped with 5221 requests held at once") ||
		!strings.Contains(err.Error(), "memory budget of 2 MB") || !strings.Contains(err.Error(), "add replicas") ||
		!strings.Contains(err.Error(), "raise the budget with AIECON_MAX_MEMORY") {
		t.Fatalf("want an input error stopping the overloaded run at the cap, got %v", err)
	}
	runs, err := store.Runs(context.Background(), data.RunFilter{})
	if err != nil || len(runs) != 2 || runs[0].Status == runs[1].Status {
		t.Fatalf("runs %+v (%v), want one complete and one failed", runs, err)
	}
	// An agent's call held in the queue holds its session and the plan of
	// its steps behind it (an overloaded agent of 50 steps held about 6.8 KB
	// a call, measured; 2 GB under a cap of 256 MB sized at 400 bytes), so
	// the cap counts them: 400 + 400 + 50 x 100 bytes, 1,445 requests in 8
	// MB less the replicas' 4.4 KB.
	agent := filepath.Join(t.TempDir(), "agent.yaml")
	if err := os.WriteFile(agent, []byte(`name: agent
horizon: 1h
model: llama-3.1-8b
fleet: {instance: inf2.48xlarge, count: 1, replica: {tp: 8, scheduler: neuron, max_num_seqs: 16, max_model_len: 8192}}
workloads:
  - name: shop
    class: agent
    arrivals: {process: poisson, rate: 20/s}
    prompt_tokens: 40
    output_tokens: 50
    agent: {steps: 50, patience: 1000h, tool_latency: 300ms, tool_result_tokens: 50}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvMaxRequests, "1e9")
	t.Setenv(EnvMaxMemory, "8MB")
	if l, err = Load(agent, nil); err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), l, Options{})
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "overloaded: stopped with 1446 requests held at once") ||
		!strings.Contains(err.Error(), "at 5800 bytes a request") {
		t.Fatalf("want the overloaded agent stopped at 1,445 requests held, got %v", err)
	}
	t.Setenv(EnvMaxMemory, "2MB")
	// A fleet that leaves no room for requests is refused at load.
	if _, err := Load("inferentia-small", []string{"fleet.count=1000"}); !errors.As(err, &ie) ||
		!strings.Contains(err.Error(), "its fleet's 48000 batch slots (replicas x max_num_seqs: fleet.count 1000 x 3 replicas of tp 8 per inf2.48xlarge) and a queue of 12000") {
		t.Fatalf("want a fleet past the memory budget refused, got %v", err)
	}
	// Closed-loop clients count against it too: 500,000 agents of 100
	// planned steps hold about 5 GB, under the 7.5 GB of the request budget.
	t.Setenv(EnvMaxMemory, "")
	if _, err := Load(closedAgentScenario(t, 500_000, 100), nil); !errors.As(err, &ie) ||
		!strings.Contains(err.Error(), "past the memory budget of 4 GB") {
		t.Fatalf("want the closed loop refused by the memory budget, got %v", err)
	}
	// 19 million requests sit under the request budget and load; held at
	// once they would take 7.1 GB, past the default, so the cap bounds them.
	if _, err := Load("baseline", []string{"workloads[0].arrivals.rate=1e6/s", "horizon=19s"}); err != nil {
		t.Fatalf("19 million requests must load under the request budget: %v", err)
	}
	if _, err := Load("baseline", []string{"horizon=30d"}); err != nil {
		t.Fatalf("baseline over 30d must load: %v", err)
	}
	for _, v := range []string{"8GiB", "8589934592", " 8 GB "} {
		t.Setenv(EnvMaxMemory, v)
		if b, err := DefaultBudget(); err != nil || b.MaxMemoryBytes != 8<<30 {
			t.Errorf("%s=%q: got %v, %v; want 8 GiB", EnvMaxMemory, v, b.MaxMemoryBytes, err)
		}
	}
	for _, v := range []string{"x", "-1GB", "1000", "NaNGB", "1e400", "4 PB"} {
		t.Setenv(EnvMaxMemory, v)
		if _, err := Load("baseline", nil); err == nil || !strings.Contains(err.Error(), EnvMaxMemory) {
			t.Errorf("%s=%q: want an error naming it, got %v", EnvMaxMemory, v, err)
		}
	}
}

// TestUnsample: Unsample puts back the sample rate the scenario asked
// for, in the scenario and its resolved YAML, and drops the note, where
// the row budget lowered it; a load it did not lower is left as it was.
func TestUnsample(t *testing.T) {
	t.Setenv(EnvMaxRequestRows, "1000")
	for _, tt := range []struct {
		name    string
		sets    []string
		given   float64
		yaml    string // the rate in the resolved YAML
		sampled bool   // by the load, before Unsample
	}{
		{"sampled from the default", []string{"horizon=10m"}, 1, "1.0", true},
		{"sampled from the scenario's rate", []string{"horizon=10m", "output.request_sample_rate=0.9"}, 0.9, "0.9", true},
		{"under the budget", []string{"horizon=1m", "output.request_sample_rate=0.1"}, 0.1, "0.1", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Load("inferentia-small", tt.sets) // about 360 requests a minute
			if err != nil {
				t.Fatal(err)
			}
			if sampled := l.Scenario.Output.RequestSampleRate < tt.given; sampled != tt.sampled || len(l.Notes) != map[bool]int{true: 1}[sampled] {
				t.Fatalf("loaded at rate %v with notes %q; want it sampled below %v: %v", l.Scenario.Output.RequestSampleRate, l.Notes, tt.given, tt.sampled)
			}
			if err := l.Unsample(); err != nil {
				t.Fatal(err)
			}
			if got := l.Scenario.Output.RequestSampleRate; got != tt.given {
				t.Errorf("sample rate %v after Unsample, want %v", got, tt.given)
			}
			if len(l.Notes) != 0 {
				t.Errorf("notes %q after Unsample, want none", l.Notes)
			}
			if want := "request_sample_rate: " + tt.yaml + "\n"; !strings.Contains(string(l.Resolved), want) {
				t.Errorf("resolved YAML lacks %q:\n%s", want, l.Resolved)
			}
		})
	}
}
