package main

import (
	"strings"
	"testing"
	"time"
)

// TestFitProgressLines: hw fit printed nothing while a fit of thousands of
// rows ran for minutes; a line says what it is fitting once it has run two
// seconds, then at most every two seconds, naming the next family as it
// begins, and nothing under --quiet.
func TestFitProgressLines(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	for _, quiet := range []bool{false, true} {
		var b strings.Builder
		p := newFitProgress(&env{stderr: &b, quiet: quiet}, t0)
		p.begin("neuron-v2", 9996, false)
		p.tick(at(1))
		p.tick(at(2.4))
		p.tick(at(3))
		p.begin("gpu", 1, true)
		p.tick(at(4.5))
		p.finish()
		want := "hw fit: fitting neuron-v2 to 9996 rows, 2s so far (an interrupt stops it; nothing is written until it ends)\n" +
			"hw fit: fitting gpu to 1 row and cross-validating it (one refit per fold), 5s so far (an interrupt stops it; nothing is written until it ends)\n"
		if quiet {
			want = ""
		}
		if b.String() != want {
			t.Errorf("quiet %v: got\n%s\nwant\n%s", quiet, b.String(), want)
		}
	}
}

// TestFitProgressTerminalLineStays: on a terminal each line clears the one
// before it and stays standing; it had been written with the clearing
// sequence after it, which erased it as soon as it was drawn.
func TestFitProgressTerminalLineStays(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	var b strings.Builder
	p := newFitProgress(&env{stderr: &b}, t0)
	p.tty = true
	p.begin("neuron-v2", 65, false)
	p.tick(t0.Add(3 * time.Second))
	got := b.String()
	want := "\r\033[Khw fit: fitting neuron-v2 to 65 rows, 3s so far (an interrupt stops it; nothing is written until it ends)"
	if got != want {
		t.Fatalf("terminal line %q, want %q", got, want)
	}
	p.finish()
	if !strings.HasSuffix(b.String(), "\r\033[K") {
		t.Fatalf("finish left the line standing: %q", b.String())
	}
}
