package model

import (
	"math"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// aliasBomb is a 1 KB "billion laughs": nine levels of nine references, so
// a decoder would build 9^9 (387 million) strings.
func aliasBomb(indent string) string {
	var b strings.Builder
	b.WriteString(indent + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		p := "*a" + string(rune('0'+i-1))
		b.WriteString(indent + "a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" + strings.Repeat(p+", ", 8) + p + "]\n")
	}
	return b.String()
}

// TestYAMLBombsRefusedBeforeAllocating feeds the memory bombs of issue 15.4
// through every way YAML comes in and checks each is refused quickly and
// with little memory (without the bounds each took gigabytes).
func TestYAMLBombsRefusedBeforeAllocating(t *testing.T) {
	variantBomb := validScenario + "variants:\n  - name: v\n    set: {fleet.count: 3}\n    description:\n" + aliasBomb("      ")
	deep := "name: " + strings.Repeat("[", 30_000) + strings.Repeat("]", 30_000) + "\n"
	deepBlock := validScenario + "output:\n" + func() string {
		var b strings.Builder
		for i := 0; i < 200; i++ {
			b.WriteString(strings.Repeat(" ", i+1) + "- \n")
		}
		return b.String()
	}()
	const mb = 1 << 20
	parse := func(src string) func() error {
		return func() error { _, _, err := Parse("big.yaml", []byte(src)); return err }
	}
	cases := []struct {
		name string
		run  func() error
		want string
	}{
		// 1 MB files whose tokens cost hundreds of bytes each, refused
		// before they are lexed (lexing them took 0.5 GB and seconds).
		{"1 MB of [", parse(strings.Repeat("[", mb)), "big.yaml:1:65: nesting deeper than 64"},
		{"1 MB flow list", parse("workloads: [" + strings.Repeat("1,", mb/2) + "1]\n"), "more than 100000 list items"},
		{"1 MB block list", parse("workloads:\n" + strings.Repeat("- 1\n", mb/4)), "big.yaml:100002:1: more than 100000 list items"},
		{"1 MB of comments", parse(strings.Repeat("#\n", mb/2) + validScenario), "big.yaml:100001:1: more than 100000"},
		{"5 MB string", parse("description: \"" + strings.Repeat("d", 5*mb) + "\"\n"), "big.yaml: 5242896 bytes of YAML, more than the 4 MiB"},
		{"1 MB --set value", func() error {
			_, err := ApplyOverridesIn("t.yaml", []byte(validScenario), []Override{{Path: "description", Value: "[" + strings.Repeat("1,", mb/2) + "1]"}})
			return err
		}, "more than 100000 list items"},
		{"alias bomb in variants[].description", func() error { _, _, err := Parse("bomb.yaml", []byte(variantBomb)); return err }, "bomb.yaml:"},
		{"alias bomb in the scenario before --set", func() error {
			_, err := ApplyOverridesIn("bomb.yaml", []byte(variantBomb), []Override{{Path: "seed", Value: "2"}})
			return err
		}, "alias"},
		{"alias bomb as a --set value", func() error {
			_, err := ApplyOverridesIn("t.yaml", []byte(validScenario), []Override{{Path: "description", Value: "{" + strings.ReplaceAll(aliasBomb(""), "\n", ", ") + "}"}})
			return err
		}, "alias"},
		{"flow nesting 30,000 deep", func() error { _, _, err := Parse("deep.yaml", []byte(deep)); return err }, "deep.yaml:1:"},
		{"block nesting 200 deep", func() error { _, _, err := Parse("deep.yaml", []byte(deepBlock)); return err }, "nesting deeper than"},
		{"deep --set value", func() error {
			_, err := ApplyOverridesIn("t.yaml", []byte(validScenario), []Override{{Path: "description", Value: strings.Repeat("[", 30_000)}})
			return err
		}, "nesting deeper than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// TotalAlloc counts every goroutine's allocations, and a
			// goroutine an earlier test left running once pushed a 17 MB
			// refusal over the bound; the least of three tries is this
			// refusal's own cost (a real bomb exceeds it every time).
			var alloc uint64 = math.MaxUint64
			var elapsed time.Duration
			for try := 0; try < 3 && alloc > 64<<20; try++ {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				start := time.Now()
				err := c.run()
				elapsed = time.Since(start)
				runtime.ReadMemStats(&after)
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("want an error mentioning %q, got %v", c.want, err)
				}
				alloc = min(alloc, after.TotalAlloc-before.TotalAlloc)
			}
			if alloc > 64<<20 {
				t.Errorf("allocated %d MB before refusing", alloc>>20)
			}
			if elapsed > 5*time.Second {
				t.Errorf("took %v before refusing", elapsed)
			}
		})
	}
}

// TestYAMLAliasesWithinBoundsStillWork keeps ordinary anchors usable.
func TestYAMLAliasesWithinBoundsStillWork(t *testing.T) {
	src := strings.Replace(validScenario, "    output_tokens: 250\n", "    output_tokens: &out 250\n", 1) +
		"  - name: chat2\n    class: api\n    arrivals: {rate: 1/s}\n    prompt_tokens: *out\n    output_tokens: *out\n"
	sc, _, err := Load("t.yaml", []byte(src), testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	if got := sc.Workloads[1].PromptTokens.Value; got != 250 {
		t.Errorf("alias decoded as %v, want 250", got)
	}
}

// TestYAMLTextChecks covers the byte-order mark and non-text bytes.
func TestYAMLTextChecks(t *testing.T) {
	if _, _, err := Load("bom.yaml", append([]byte("\xEF\xBB\xBF"), validScenario...), testCatalog{}); err != nil {
		t.Errorf("a leading BOM must be ignored: %v", err)
	}
	for _, c := range []struct{ name, src, want string }{
		{"invalid UTF-8 name", "name: caf\xe9\n", "t.yaml:1:10: byte 0xe9 is not UTF-8 text"},
		{"binary garbage", "name: x\n\x00\x01\x02\xff", "t.yaml:2:1: control character U+0000"},
	} {
		_, _, err := Parse("t.yaml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: want %q, got %v", c.name, c.want, err)
		}
		// ContainsAny reads its set as runes, so "\xff" in it would be
		// U+FFFD, not the byte: invalid UTF-8 is what a raw byte echoed
		// makes of the message.
		if err != nil && (!utf8.ValidString(err.Error()) || strings.ContainsAny(err.Error(), "\x00\x01\x02")) {
			t.Errorf("%s: the error echoes raw bytes: %q", c.name, err.Error())
		}
	}
}

// TestErrorsBeforeSetNameTheFile: a scenario that cannot take a --set is
// reported at its file, not as "scenario before --set" (issue 15.11), and
// as it is without overrides: "before --set:" was wrong for --horizon.
func TestErrorsBeforeSetNameTheFile(t *testing.T) {
	_, err := ApplyOverridesIn("my.yaml", []byte("name: [unclosed\n"), []Override{{Path: "horizon", Value: "1m"}})
	if err == nil || !strings.HasPrefix(err.Error(), "my.yaml:1:") {
		t.Fatalf("want the file named, got %v", err)
	}
}

// TestSeveralDocumentsWithASet: a second YAML document is refused with a
// --set as without one, at its line; the merge kept the first and dropped
// the rest.
func TestSeveralDocumentsWithASet(t *testing.T) {
	_, err := ApplyOverridesIn("my.yaml", []byte(validScenario+"---\nname: other\n"), []Override{{Path: "seed", Value: "2"}})
	if err == nil || !strings.Contains(err.Error(), "my.yaml:13:1: a second YAML document starts here") {
		t.Fatalf("want several documents refused, got %v", err)
	}
}

// TestHugeMaxModelLenTerminates: the default Neuron buckets of a huge
// max_model_len once doubled past the int range and looped forever (found
// by FuzzLoadWithSet); the load must end with a range error.
func TestHugeMaxModelLenTerminates(t *testing.T) {
	done := make(chan error, 1)
	go func() {
		_, _, err := Load("t.yaml", []byte(strings.Replace(validScenario, "tp: 32", "tp: 32, max_model_len: 9000000000000000000", 1)), testCatalog{})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "fleet.replica.max_model_len") {
			t.Fatalf("want a max_model_len range error, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("loading did not finish in 10 s")
	}
}

// TestNonTextKeysRefused: a key that is not text (1:, true:, ~:) made the
// strict decoder drop the mapping around it, so "name: required" was
// reported for a file that sets name, and the bad key was never named.
func TestNonTextKeysRefused(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"integer", "name: x\n1: 2\n", "t.yaml:2:1: 1: a key must be a field name (text), not an integer"},
		{"boolean", "name: x\ntrue: 2\n", "t.yaml:2:1: true: a key must be a field name (text), not a boolean"},
		{"tilde", "name: x\n~: 2\n", "t.yaml:2:1: ~: a key must be a field name (text), not null"},
		{"null", "name: x\nnull: 2\n", "t.yaml:2:1: null: a key must be a field name (text), not null"},
		{"float", "name: x\n1.5: 2\n", "t.yaml:2:1: 1.5: a key must be a field name (text), not a number"},
		{"nested flow", "name: x\nfleet: {instance: p5.48xlarge, 8: 1}\n", "t.yaml:2:32: 8: a key must be a field name (text), not an integer"},
		{"in a list", "name: x\nworkloads:\n  - name: a\n    3: 4\n", "t.yaml:4:5: 3: a key must be a field name (text), not an integer"},
		{"explicit key", "name: x\n? 7\n: 2\n", "t.yaml:2:3: 7: a key must be a field name (text), not an integer"},
		{"alias of a number", "name: &k 1\n*k : 3\n", "t.yaml:2:1: *k: a key must be a field name (text), not an integer"},
		{"in a valid scenario", validScenario + "1: 2\n", "1: a key must be a field name (text), not an integer"},
		{"quoted is text", "name: x\n\"1\": 2\n", `unknown field "1"`},
		{"str tag is text", "name: x\n!!str 1: 2\n", `unknown field "1"`},
	} {
		_, _, err := Parse("t.yaml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: want %q, got %v", c.name, c.want, err)
		}
	}
}

// TestWorkloadNamesAsKeys: the keys of routing.workloads and of a
// forecast's workloads are workload names, so an unquoted 2024 or true
// there is a name, read as text, as it was before non-text keys were
// refused; null stays refused, and so does a number as a field name.
func TestWorkloadNamesAsKeys(t *testing.T) {
	for _, src := range []string{
		"routing: {rule: workload, workloads: {2024: small, true: big, 1.5: x}}\n",
		"routing:\n  workloads:\n    2024: small\n",
		"workloads:\n  2024: {growth: 0.1}\n",
	} {
		if _, _, err := ParseYAML("t.yaml", []byte(src)); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
	var spec struct {
		Workloads map[string]struct {
			Growth float64 `yaml:"growth"`
		} `yaml:"workloads"`
	}
	tree, text, err := ParseYAML("t.yaml", []byte("workloads:\n  2024: {growth: 0.1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := DecodeStrict(tree, text, &spec); err != nil || spec.Workloads["2024"].Growth != 0.1 {
		t.Errorf("decoded %+v, %v; want workload 2024 with growth 0.1", spec, err)
	}
	for _, c := range []struct{ src, want string }{
		{"routing: {workloads: {~: small}}\n", "~: a key must be a field name (text), not null"},
		{"routing: {workloads: {2024: {3: 4}}}\n", "3: a key must be a field name (text), not an integer"},
		{"workloads:\n  - name: a\n    3: 4\n", "3: a key must be a field name (text), not an integer"},
	} {
		if _, _, err := ParseYAML("t.yaml", []byte(c.src)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: want %q, got %v", c.src, c.want, err)
		}
	}
}
