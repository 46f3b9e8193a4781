package sim

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestHeldCapStopsAnOverloadedRun: a fleet that does not keep up holds
// every request it is sent, so Config.MaxHeld stops the run, naming it
// overloaded, once more than that are held at once; a run that stays under
// the cap gives the same results as one without it.
func TestHeldCapStopsAnOverloadedRun(t *testing.T) {
	// 1 replica of 8 slots at 200/s: the queue grows by thousands a minute.
	over := strings.Replace(strings.Replace(small8b, "rate: 20/s", "rate: 200/s", 1), "max_num_seqs: 64", "max_num_seqs: 8", 1)
	for _, c := range []struct {
		name, src string
		held      int64
		stopped   bool
	}{
		{"overloaded past the cap", over, 1000, true},
		{"overloaded, no cap", over, 0, false},
		{"keeps up under the cap", small8b, 1000, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			w, err := New(Config{Scenario: scenario(t, c.src), MaxHeld: c.held})
			if err != nil {
				t.Fatal(err)
			}
			res, err := w.Run(context.Background())
			var hc *HeldCapError
			switch {
			case c.stopped && (!errors.As(err, &hc) || hc.Held != c.held+1 || !strings.Contains(err.Error(), "overloaded: stopped with 1001 requests held at once")):
				t.Fatalf("want a HeldCapError at %d requests held, got %v", c.held+1, err)
			case !c.stopped && err != nil:
				t.Fatalf("want a whole run, got %v", err)
			case !c.stopped && c.held > 0:
				// The cap changes nothing for a run that stays under it.
				free, _ := run(t, scenario(t, c.src))
				if !reflect.DeepEqual(res.KPIs, free.KPIs) {
					t.Fatalf("KPIs under the cap differ from those without it")
				}
			}
		})
	}
}
