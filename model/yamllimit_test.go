package model

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// longMapping is validScenario with an ignored mapping of n keys, the
// shape that made goccy's parser quadratic.
func longMapping(n int) string {
	var b strings.Builder
	b.WriteString(validScenario + "x_ignored:\n")
	for i := range n {
		fmt.Fprintf(&b, "  k%d: %d\n", i, i)
	}
	return b.String()
}

// TestLongYAMLRefusedBeforeParsing: a text past MaxYAMLEntries mapping
// entries is refused by counting, at once and at the line where it passes
// the bound; 20,000 keys took 37 s to parse and 300,000 more than 10 min.
// Long lists, block scalars and comments pass: a sweep over 5,000 values
// was refused when the bound counted lines and commas.
func TestLongYAMLRefusedBeforeParsing(t *testing.T) {
	flow := "name: {" + strings.Repeat("a: 1, ", 100_000) + "}\n"
	cases := []struct {
		name string
		run  func() error
		want string
	}{
		{"block mapping of 100,000 keys", func() error { _, _, err := Parse("big.yaml", []byte(longMapping(100_000))); return err },
			"big.yaml:4996:8:"},
		{"explicit keys", func() error {
			_, _, err := Parse("q.yaml", []byte(validScenario+"x:\n"+strings.Repeat("  ? k\n", 10_000)))
			return err
		}, "q.yaml:"},
		{"flow mapping of 100,000 keys on one line", func() error { _, _, err := Parse("flow.yaml", []byte(flow)); return err },
			"flow.yaml:1:"},
		{"the scenario under a --set", func() error {
			_, err := ApplyOverridesIn("big.yaml", []byte(longMapping(100_000)), []Override{{Path: "seed", Value: "2"}})
			return err
		}, "big.yaml:4996:8:"},
		{"a --set value", func() error {
			_, err := ApplyOverridesIn("t.yaml", []byte(validScenario), []Override{{Path: "description", Value: "{" + strings.Repeat("a: 1, ", 100_000) + "}"}})
			return err
		}, "--set description:1:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			err := c.run()
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "more than 5000 mapping entries") {
				t.Fatalf("got %v, want %q and the bound named", err, c.want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v to refuse", d)
			}
		})
	}
	if _, _, err := Parse("ok.yaml", []byte(longMapping(MaxYAMLEntries-100))); err == nil || strings.Contains(err.Error(), "mapping entries") {
		t.Errorf("a text under the bound: got %v, want only the unknown field", err)
	}
	long := "\n# " + strings.Repeat("a: b, ", 10) + "\nx_list: [" + strings.Repeat("1, ", 20_000) + "1]\nx_block:\n" +
		strings.Repeat("  - 08:30\n", 20_000) + "x_text: |\n" + strings.Repeat("  many, commas, and lines\n", 20_000)
	if _, _, err := Parse("lists.yaml", []byte(validScenario+long)); err == nil || strings.Contains(err.Error(), "mapping entries") {
		t.Errorf("long lists, a block scalar and comments: got %v, want only the unknown fields", err)
	}
}

// TestParseEndsAtAStopSignal: the first Ctrl-C or SIGTERM ends a parse,
// which watches no context, whether it comes during the parse or before
// it (the CLI's context cancelled, StopOn); it took a second signal. The
// stop comes during the work where the work itself closes it, so that
// "while" is certain and no clock decides which case ran.
func TestParseEndsAtAStopSignal(t *testing.T) {
	parse := func() error {
		_, _, err := ParseYAML("long.yaml", []byte(longMapping(MaxYAMLEntries-100)))
		return err
	}
	cases := []struct {
		name string
		run  func(stop chan struct{}) error
		want string
	}{
		{"stop before the parse", func(stop chan struct{}) error { close(stop); return parse() },
			"interrupted (a stop signal came) before reading long.yaml"},
		{"stop during the work", func(stop chan struct{}) error {
			hold := make(chan struct{}) // a parse that ends only after the test
			defer close(hold)
			_, err := interruptible("reading long.yaml", func() (int, error) {
				close(stop)
				<-hold
				return 0, nil
			})
			return err
		}, "interrupted (a stop signal came) while reading long.yaml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stop := make(chan struct{})
			defer StopOn(stop)()
			if err := c.run(stop); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

// TestDeepAndWideYAMLBlamesTheFirstFault: a text past both the entry
// count and the nesting depth is refused for the one that comes first in
// it: 6000 nested flow mappings on one line were blamed on their 5001st
// entry, with advice about lists and trace files, not their 65th level.
func TestDeepAndWideYAMLBlamesTheFirstFault(t *testing.T) {
	deep := "x: " + strings.Repeat("{a: ", 6000) + "1" + strings.Repeat("}", 6000) + "\n"
	for _, tc := range []struct {
		name, src, want, notWant string
	}{
		{"deep first", "name: mini\n" + deep, "deep.yaml:2:260: nesting deeper than 64 levels", "mapping entries"},
		{"wide first", longMapping(MaxYAMLEntries+10) + deep, "more than 5000 mapping entries", "nesting"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseYAML("deep.yaml", []byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), tc.notWant) {
				t.Errorf("err = %v, want %q and not %q", err, tc.want, tc.notWant)
			}
		})
	}
}
