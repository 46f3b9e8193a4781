package runner

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/sim"
)

// repairman is a machine-repairman loop with deterministic service: n
// clients, all sending at 0, on m servers that each serve one request for
// serviceNs and answer its first token as they take it up (so a TTFT is
// the wait for a server); a client sends again as soon as it is answered.
// Served first come, first served until horizonNs.
func repairman(n, m int, serviceNs, horizonNs int64) []sim.RequestRecord {
	free := make([]int64, m) // when each server is next free
	ready := make([]int64, n)
	var reqs []sim.RequestRecord
	for {
		c := 0 // the client that sent first (the lowest index among ties)
		for i := range ready {
			if ready[i] < ready[c] {
				c = i
			}
		}
		s := 0
		for i := range free {
			if free[i] < free[s] {
				s = i
			}
		}
		start := max(ready[c], free[s])
		if start+serviceNs > horizonNs {
			return reqs
		}
		reqs = append(reqs, sim.RequestRecord{Status: sim.StatusCompleted, ArrivalNs: ready[c], StartNs: start,
			FirstTokenNs: start, FinishNs: start + serviceNs, OutputTokens: 2})
		free[s], ready[c] = start+serviceNs, start+serviceNs
	}
}

// TestWindowLatencies: a cold window scores the requests that complete
// within it, from the first, as a benchmark tool does. With 8 clients on 2
// servers of 1 s each, the first wave waits 0, 0, 1, 1, 2, 2, 3, 3 s, half
// the 3 s (N/M - 1 services) every later request waits, which is all the
// steady state (warm-up left out) sees.
func TestWindowLatencies(t *testing.T) {
	const s = int64(1e9)
	reqs := repairman(8, 2, s, 20*s)
	tests := []struct {
		name      string
		windowNs  int64
		n         int
		meanTTFTS float64
	}{
		{"the first wave", 4 * s, 8, 1.5},
		{"a completion at the window's end counts", 4*s - 1, 6, 1},
		// the second wave, 8 more requests, each waiting 3 s: (8 x 1.5 + 8 x 3) / 16
		{"two waves", 8 * s, 16, 2.25},
	}
	for _, tt := range tests {
		ttft, tpot, err := windowLatencies(reqs, tt.windowNs)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(ttft) != tt.n || len(tpot) != tt.n || math.Abs(mean(ttft)-tt.meanTTFTS) > 1e-9 {
			t.Errorf("%s: %d requests, mean TTFT %g s; want %d, %g s", tt.name, len(ttft), mean(ttft), tt.n, tt.meanTTFTS)
		}
	}
	// The steady state of the same loop: every request after the first wave waits 3 s.
	if ttft, _, err := steadyLatencies(reqs, 4*s); err != nil || mean(ttft) != 3 {
		t.Errorf("steady: mean TTFT %g s (%v), want 3 s", mean(ttft), err)
	}
	// A request the run cut short is not scored, whatever its times say.
	cut := append([]sim.RequestRecord{{Status: sim.StatusUnfinished, FirstTokenNs: 0, FinishNs: s / 2}}, reqs...)
	if ttft, _, _ := windowLatencies(cut, 4*s); len(ttft) != 8 {
		t.Errorf("an unfinished request was scored: %d requests", len(ttft))
	}
	// A window that ends before the first completion scores nothing, and says so.
	_, _, err := windowLatencies(reqs, s/2)
	if empty := (*emptyWindowError)(nil); !errors.As(err, &empty) || !strings.Contains(err.Error(), "within its 0.5s cold window") {
		t.Errorf("a window before any completion: %v", err)
	}
}

// TestClosedLoopProtocolCheck: a protocol validate cannot run is refused
// with a message naming the flag and what to give instead.
func TestClosedLoopProtocolCheck(t *testing.T) {
	loop := hw.ServingPoint{Model: "llama-3-8b", Instance: "p4de.24xlarge", Concurrency: 10, Line: 7, File: "f.csv"}
	stated := loop
	stated.WindowS = 300
	tests := []struct {
		name    string
		p       ClosedLoopProtocol
		points  []hw.ServingPoint
		wantErr string
	}{
		{"default", ClosedLoopProtocol{}, []hw.ServingPoint{loop}, ""},
		{"steady", ClosedLoopProtocol{Name: ProtocolSteady}, []hw.ServingPoint{loop}, ""},
		{"cold", ClosedLoopProtocol{Name: ProtocolColdWindow, WindowS: 500}, []hw.ServingPoint{loop}, ""},
		{"cold, every row states its window", ClosedLoopProtocol{Name: ProtocolColdWindow}, []hw.ServingPoint{stated}, ""},
		{"unknown", ClosedLoopProtocol{Name: "cold"}, nil, `--protocol "cold": want steady or cold-window`},
		{"window without protocol", ClosedLoopProtocol{WindowS: 500}, nil, "give --protocol cold-window with it"},
		{"window with steady", ClosedLoopProtocol{Name: ProtocolSteady, WindowS: 500}, nil, "which it needs (the protocol is steady):"},
		{"zero is not given", ClosedLoopProtocol{Name: ProtocolColdWindow}, []hw.ServingPoint{stated, loop}, "needs --window (such as --window 500s), or a window_s column stating every closed loop's: f.csv:7"},
		{"negative", ClosedLoopProtocol{Name: ProtocolColdWindow, WindowS: -5}, nil, "--window -5s is out of range (allowed: 1 s to 86400 s, a day)"},
		{"past a day", ClosedLoopProtocol{Name: ProtocolColdWindow, WindowS: 1e6}, nil, "--window 1e+06s is out of range"},
	}
	for _, tt := range tests {
		err := tt.p.Check()
		if err == nil {
			err = tt.p.CheckPoints(tt.points)
		}
		var in *InputError
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.wantErr != "" && (!errors.As(err, &in) || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: error %v, want an input error saying %q", tt.name, err, tt.wantErr)
		}
	}
}

// TestWindowFor: a row's own window_s sets a cold window unless the
// protocol is steady; --window is for the rows that state none; a row that
// is not a closed loop has none.
func TestWindowFor(t *testing.T) {
	loop := hw.ServingPoint{Concurrency: 10}
	stated := hw.ServingPoint{Concurrency: 10, WindowS: 300}
	tests := []struct {
		p    ClosedLoopProtocol
		pt   hw.ServingPoint
		want float64
	}{
		{ClosedLoopProtocol{}, loop, 0},
		{ClosedLoopProtocol{}, stated, 300},
		{ClosedLoopProtocol{Name: ProtocolSteady}, stated, 0},
		{ClosedLoopProtocol{Name: ProtocolColdWindow, WindowS: 500}, loop, 500},
		{ClosedLoopProtocol{Name: ProtocolColdWindow, WindowS: 500}, stated, 300},
		{ClosedLoopProtocol{Name: ProtocolColdWindow, WindowS: 500}, hw.ServingPoint{Batch: 8}, 0},
	}
	for _, tt := range tests {
		if got := tt.p.WindowFor(tt.pt); got != tt.want {
			t.Errorf("%+v on %+v: %g, want %g", tt.p, tt.pt, got, tt.want)
		}
	}
}

// TestColdWindowValidate: a loop whose KV cache holds fewer than its
// clients, validated in a cold window, runs for the window alone and scores
// the first waves, which wait less than the steady state's requests; the
// row records its window, and a window past the cost bound is skipped.
func TestColdWindowValidate(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	pt := hw.ServingPoint{Model: "llama-3-8b", Instance: "p4de.24xlarge", TP: 1, Batch: 250, Concurrency: 250, SeqLen: 8000,
		InputTokens: 7000, OutputTokens: 1000, WeightDType: "fp16", TTFTMs: 20000, TPOTMs: 30, Stat: "mean", Line: 2}
	run := func(p ClosedLoopProtocol) *ValidationReport {
		t.Helper()
		rep, err := Validate(context.Background(), []hw.ServingPoint{pt}, ValidateOptions{Protocol: p})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	steady, cold := run(ClosedLoopProtocol{}), run(ClosedLoopProtocol{Name: ProtocolColdWindow, WindowS: 120})
	if len(steady.Rows) != 1 || len(cold.Rows) != 1 {
		t.Fatalf("rows: steady %d, cold %d (skipped %v)", len(steady.Rows), len(cold.Rows), cold.Skipped)
	}
	s, c := steady.Rows[0], cold.Rows[0]
	if s.WindowS != 0 || c.WindowS != 120 || !(c.PredTTFTS < 0.8*s.PredTTFTS) {
		t.Errorf("steady TTFT %.1f s (window %g), cold %.1f s (window %g): want the cold window's first waves to wait less",
			s.PredTTFTS, s.WindowS, c.PredTTFTS, c.WindowS)
	}
	if n, m, w := cold.ClosedLoops(); n != 1 || m != 0 || w != 120 {
		t.Errorf("ClosedLoops: %d cold, %d steady, window %g", n, m, w)
	}
	// 1,024 clients of short requests for a day: billions of sequence-steps,
	// skipped before anything runs.
	pt = hw.ServingPoint{Model: "llama-3-8b", Instance: "p4de.24xlarge", TP: 1, Batch: 1024, Concurrency: 1024, SeqLen: 512,
		InputTokens: 128, OutputTokens: 128, WeightDType: "fp16", TTFTMs: 100, TPOTMs: 30, Line: 3}
	long := run(ClosedLoopProtocol{Name: ProtocolColdWindow, WindowS: hw.MaxWindowS})
	if len(long.Skipped) != 1 || !strings.Contains(long.Skipped[0].Reason, "its 86400s cold window holds about") {
		t.Errorf("a day-long window of 1,024 clients: %+v", long.Skipped)
	}
}
