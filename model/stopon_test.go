package model

import (
	"strings"
	"testing"
)

// TestStopOnReleasesItsOwn: each StopOn's release ends its own stop alone.
// StopOn held one channel, which each caller set and cleared: with two
// commands in one process (the CLI's parallel tests run Mains side by
// side), the first to return cleared the other's, whose later parses
// then ran on past its stop signal.
func TestStopOnReleasesItsOwn(t *testing.T) {
	cases := []struct {
		name     string
		release  []int // registrations released, in order, before the stop
		stop     int   // the registration whose channel closes
		stopping bool  // the work is stopped
	}{
		{"the other released first", []int{1}, 0, true},
		{"the stopped one released", []int{0}, 0, false},
		{"the first released, the second stopped", []int{0}, 1, true},
		{"both released", []int{1, 0}, 0, false},
		{"a release called twice", []int{1, 1}, 0, true},
		{"none released", nil, 1, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			chans := []chan struct{}{make(chan struct{}), make(chan struct{})}
			releases := []func(){StopOn(chans[0]), StopOn(chans[1])}
			defer releases[0]()
			defer releases[1]()
			for _, i := range c.release {
				releases[i]()
			}
			close(chans[c.stop])
			_, err := interruptible("reading s.yaml", func() (int, error) { return 1, nil })
			if stopped := err != nil && strings.Contains(err.Error(), "interrupted (a stop signal came) before reading s.yaml"); stopped != c.stopping || (err != nil && !stopped) {
				t.Errorf("got %v; want stopped: %v", err, c.stopping)
			}
		})
	}
}
