package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestRunReportsPrefixCache: the run report says what the prefix caches
// found (the hit rate is an output now), and says nothing with caching off.
func TestRunReportsPrefixCache(t *testing.T) {
	cases := []struct {
		name string
		set  string
		want bool
	}{
		{"caching on", "router=session-affinity", true},
		{"caching off", "fleet.replica.prefix_caching=false", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			args := []string{"run", "baseline", "--no-store", "--horizon", "5m", "--set", c.set}
			if code := Main(args, strings.NewReader(""), &out, &errb); code != exitOK {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			got := strings.Contains(out.String(), "  prefix cache: ") && strings.Contains(out.String(), "of prompt tokens found cached (in prompt tok/s, not in the tokens cost per Mtok counts; router session-affinity;")
			if got != c.want {
				t.Fatalf("prefix cache line shown %v, want %v:\n%s", got, c.want, out.String())
			}
		})
	}
}
