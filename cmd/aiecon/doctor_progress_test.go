package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestDoctorProgress: nothing in the first progressAfter, then a line at
// most every progressEvery, each on its own line in a log and rewritten in
// place (and cleared at the end) on a terminal; nothing under --quiet.
func TestDoctorProgress(t *testing.T) {
	start := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name       string
		tty, quiet bool
		want       string
	}{
		{"log", false, false, "doctor: copying the complete runs, 100 of 1000 done, 3s so far; ETA 27s\n" +
			"doctor: copying the complete runs, 200 of 1000 done, 6s so far; ETA 24s\n"},
		{"terminal", true, false, "\r\033[Kdoctor: copying the complete runs, 100 of 1000 done, 3s so far; ETA 27s" +
			"\r\033[Kdoctor: copying the complete runs, 200 of 1000 done, 6s so far; ETA 24s\r\033[K"},
		{"quiet", false, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			e := &env{stderr: &b, quiet: tc.quiet}
			p := newDoctorProgress(e)
			if p.w != nil {
				p.tty, p.start = tc.tty, start
			}
			now := start
			p.now = func() time.Time { return now }
			for _, s := range []struct {
				at   time.Duration
				done int
			}{{time.Second, 50}, {3 * time.Second, 100}, {4 * time.Second, 150}, {6 * time.Second, 200}} {
				now = start.Add(s.at)
				p.copied(s.done, 1000)
			}
			p.finish()
			if got := b.String(); got != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
	var b bytes.Buffer
	p := newDoctorProgress(&env{stderr: &b})
	p.start = start
	p.now = func() time.Time { return start.Add(3 * time.Second) }
	p.checked(4, 17)
	if want := "doctor: reading every run back, 4 of 17 steps done, 3s so far\n"; !strings.HasSuffix(b.String(), want) {
		t.Errorf("checked: %q, want %q", b.String(), want)
	}
}
