package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestRunReportsPrefixCache: the run report says what the prefix caches
// found (the hit rate is an output now), and says nothing with caching off.
// Cost per Mtok is over the completed calls' tokens, cached ones included,
// priced or not, as a token price counts them; with cached tokens the cost per Mtok computed (cached prompt
// apart) stands beside it, and without them, where the two are one, not.
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
			args := []string{"run", "baseline", "--no-store", "--horizon", "5m", "--width", "0", "--set", c.set}
			if code := Main(args, strings.NewReader(""), &out, &errb); code != exitOK {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			got := strings.Contains(out.String(), "  prefix cache: ") && strings.Contains(out.String(), "of prompt tokens found cached (in prompt tok/s and in the tokens that cost per Mtok counts; router session-affinity;")
			if got != c.want {
				t.Fatalf("prefix cache line shown %v, want %v:\n%s", got, c.want, out.String())
			}
			if !strings.Contains(out.String(), "at the fleet's price; per token of the completed calls (prompt, cached included, and output; priced or not), as a token price counts them") {
				t.Errorf("cost per Mtok does not say whose tokens it counts:\n%s", out.String())
			}
			if got := strings.Contains(out.String(), "all costs per Mtok computed (cached prompt apart)"); got != c.want {
				t.Errorf("cost per Mtok computed shown %v, want %v:\n%s", got, c.want, out.String())
			}
		})
	}
}
