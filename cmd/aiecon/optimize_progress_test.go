package main

import (
	"strings"
	"testing"
	"time"

	"aiecon/study"
)

// TestRoundProgressLines: a round of many runs printed nothing until it
// ended (hours with --replications 10000); its runs ended are shown once
// it has run two seconds, at most every two seconds, counted afresh each
// round, and a short round prints nothing.
func TestRoundProgressLines(t *testing.T) {
	var out strings.Builder
	t0 := time.Unix(1_000_000, 0)
	now := t0
	p := newRoundProgress(&out, func() time.Time { return now })
	at := func(round int, s float64, ended, total int) {
		now = t0.Add(time.Duration(s * float64(time.Second)))
		p.update(round, study.Progress{Total: total, Done: ended, Started: t0})
	}
	at(1, 0.5, 1, 4) // short round: nothing
	at(1, 1.5, 4, 4)
	at(2, 1, 1, 100) // round 2 starts at t0 too (Started)
	at(2, 2.5, 10, 100)
	at(2, 3, 12, 100) // within two seconds of the last line
	at(2, 5, 40, 100)
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{"round 2: 10 of 100 runs ended (0 failed), 3s; ETA 23s", "round 2: 40 of 100 runs ended (0 failed), 5s; ETA 8s"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", out.String(), strings.Join(want, "\n"))
	}
}
