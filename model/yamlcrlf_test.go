package model

import (
	"strings"
	"testing"
)

// commented is validScenario under a comment header and with a trailing
// comment, the shape of a built-in scenario saved by an editor on Windows:
// goccy's scanner counts a CRLF that ends a comment as two lines, so each
// comment above an error moved it one line down.
const commented = "# a comment\n# another\n#\n" + validScenario + "# trailing\n"

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// loneCR is s with classic Mac line ends: a CR alone ends each line.
func loneCR(s string) string { return strings.ReplaceAll(s, "\n", "\r") }

// TestCRLFErrorsAtTheLinesOfLF: every way an error gets its line:column
// (the text checks, the tab and leading-zero checks on tokens, the parser,
// the strict decoder, the whole-number check and Source.Position after a
// load) reports the same place in a CRLF file, and in a file whose lines
// end with a CR alone (which YAML reads as a line break too), as in the
// same file with LF: the control-character check counted LFs only, and
// put every error of a CR file on its line 1.
func TestCRLFErrorsAtTheLinesOfLF(t *testing.T) {
	at := func(old, new string) string { return strings.Replace(commented, old, new, 1) }
	for _, c := range []struct{ name, src, want string }{
		{"fraction in a count", at("count: 2", "count: 1.5"), "t.yaml:8:10: fleet.count"},
		{"unknown key", at("  count: 2", "  # why\n  cuont: 2"), "t.yaml:9:3:"},
		{"syntax error", at("model: llama-3.3-70b", "model: [unclosed"), "t.yaml:6:1:"},
		{"leading zero", at("count: 2", "count: 02"), "t.yaml:8:10:"},
		{"tab in plain text", at("name: t", "name: a\tb"), "t.yaml:4:"},
		{"control character", at("name: t", "name: a\x01"), "t.yaml:4:8:"},
		{"validation after decoding", at("count: 2", "count: 0"), "t.yaml:8:10: fleet.count"},
		{"comment inside a mapping", at("    class: api", "    # the API\n    # class\n    class: nope"), "t.yaml:14:12:"},
	} {
		_, _, lfErr := Load("t.yaml", []byte(c.src), testCatalog{})
		if lfErr == nil || !strings.Contains(lfErr.Error(), c.want) {
			t.Errorf("%s: want %q with LF, got %v", c.name, c.want, lfErr)
		}
		for ends, src := range map[string]string{"CRLF": crlf(c.src), "lone CR": loneCR(c.src)} {
			_, _, err := Load("t.yaml", []byte(src), testCatalog{})
			if err == nil || lfErr == nil || err.Error() != lfErr.Error() {
				t.Errorf("%s: %s reports\n\t%v\nwhere LF reports\n\t%v", c.name, ends, err, lfErr)
			}
		}
	}
}

// TestCRLFScalarsReadAsLF: a CRLF, and a CR alone, is one line break in
// every scalar style, as YAML 1.2 (5.4) says: folded to a space in flow
// scalars, kept as "\n" (never "\r\n" or "\r") in a literal block, and an
// escaped one joins the lines.
func TestCRLFScalarsReadAsLF(t *testing.T) {
	text := "dq: \"a\n  b\"\nsq: 'c\n  d'\nplain: e\n  f\nesc: \"g\\\n  h\"\nlit: |\n  i\n  j\nfold: >\n  k\n  l\nblank: \"m\n\n  n\"\n"
	want := map[string]string{"dq": "a b", "sq": "c d", "plain": "e f", "esc": "gh",
		"lit": "i\nj\n", "fold": "k l\n", "blank": "m\nn"}
	for ends, src := range map[string]string{"CRLF": crlf(text), "lone CR": loneCR(text)} {
		tree, _, err := ParseYAML("t.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%s: %v", ends, err)
		}
		var got map[string]string
		if err := decodeTree(tree, &got); err != nil {
			t.Fatalf("%s: %v", ends, err)
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: %s: got %q, want %q", ends, k, got[k], w)
			}
		}
	}
}
