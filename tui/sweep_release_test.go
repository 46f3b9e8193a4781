package tui

import (
	"context"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/study"
)

// TestSweepLoadLetsTheStoreGoWhileItParses: a sweep's load reads what it
// needs and lets the store go before it parses and resolves the points'
// scenarios for the overload check, so that a writer (aiecon run) waits
// only for the reads; it holds the store again for the check itself,
// which may read a run; and the marks are the ones the check gives.
func TestSweepLoadLetsTheStoreGoWhileItParses(t *testing.T) {
	path, id := sweepOf100(t)
	sh := testShared()
	sh.conn = newConn(path, -1)
	defer sh.conn.close()
	refs := func() int {
		sh.conn.mu.Lock()
		defer sh.conn.mu.Unlock()
		return sh.conn.refs
	}
	var atCompute, atCheck []int
	sweepComputeHook = func() { atCompute = append(atCompute, refs()) }
	defer func() { sweepComputeHook = nil }()
	sh.opts.Overload = func(ctx context.Context, st *data.Store) study.OverloadCheck {
		atCheck = append(atCheck, refs())
		return occupancyCheck(ctx, st)
	}
	s := newSweepScreen(sh, id)
	s.resize(120, 28)
	if got, want := s.view(120, 28), "loading sweep "+sh.short(id)+"…"; !strings.Contains(got, want) {
		t.Errorf("while loading one sweep the screen says %q, want %q", got, want)
	}
	m := msgsOf(s.load())[0].(sweepsLoadedMsg)
	if m.err != nil || m.overloadErr != nil {
		t.Fatal(m.err, m.overloadErr)
	}
	if len(atCompute) != 1 || atCompute[0] != 0 {
		t.Errorf("the store's readers when the scenarios are parsed: %v, want none", atCompute)
	}
	if len(atCheck) != 1 || atCheck[0] != 1 {
		t.Errorf("the store's readers when the check is made: %v, want the load's", atCheck)
	}
	over := 0
	for _, n := range m.overloaded {
		over += n
	}
	if over != 10 { // batch_occupancy i%10/10 > 0.85: one point in ten
		t.Errorf("%d overloaded runs, want 10", over)
	}
}
