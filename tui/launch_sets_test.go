package tui

import (
	"fmt"
	"strings"
	"testing"
)

// TestSplitSets: the "More --set" field splits as a shell splits flags,
// so that a flow-style YAML value with spaces is one set, as it is on the
// command line quoted.
func TestSplitSets(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
		err  string
	}{
		{"fleet.pricing=spot  router=round-robin ", []string{"fleet.pricing=spot", "router=round-robin"}, ""},
		{"ads.bid={dist: lognormal, median: 1, p99: 4} fleet.count=2",
			[]string{"ads.bid={dist: lognormal, median: 1, p99: 4}", "fleet.count=2"}, ""},
		{"ads.bid='{dist: lognormal, median: 1, p99: 4}'", []string{"ads.bid={dist: lognormal, median: 1, p99: 4}"}, ""},
		{`description="a b" seed=2`, []string{"description=a b", "seed=2"}, ""},
		{"workloads[chat].arrivals.rate=3/s", []string{"workloads[chat].arrivals.rate=3/s"}, ""},
		{"x=[1, 2] y={a: 'b }'}", []string{"x=[1, 2]", "y={a: 'b }'}"}, ""},
		{"fleet.count='2", nil, "the quote ' is not closed"},
		{"", nil, ""},
	} {
		got, err := splitSets(c.in)
		if fmt.Sprint(err) != fmt.Sprint(errOrNil(c.err)) || strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("splitSets(%q) = %q, %v; want %q, %s", c.in, got, err, c.want, c.err)
		}
	}
}

func errOrNil(s string) error {
	if s == "" {
		return nil
	}
	return fmt.Errorf("%s", s)
}
