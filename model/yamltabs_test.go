package model

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestTabInDoubleQuotes: a tab written inside a double-quoted string is
// text (YAML 1.2, 7.3.1), whatever follows the string; goccy's scanner
// skipped a character after it, so the next key was refused ("value is not
// allowed in this context") or read into the string's line. Tabs that
// fold away (leading a continuation line, trailing a line) stay folded,
// and the positions after the string are the file's.
func TestTabInDoubleQuotes(t *testing.T) {
	tests := []struct {
		name, src string
		want      map[string]any
		field     string // a field after the string, placed at line:col
		line, col int
	}{
		{"a key follows", "a: \"x\ty\"\nb: 1\n", map[string]any{"a": "x\ty", "b": uint64(1)}, "b", 2, 4},
		{"two tabs", "a: \"x\t\ty\"\nb: 1\n", map[string]any{"a": "x\t\ty", "b": uint64(1)}, "b", 2, 4},
		{"a leading tab", "a: \"\txy\"\nb: 1\n", map[string]any{"a": "\txy", "b": uint64(1)}, "b", 2, 4},
		{"before the closing quote", "a: \"xy\t\"\nb: 1\n", map[string]any{"a": "xy\t", "b": uint64(1)}, "b", 2, 4},
		{"in a flow mapping", "m: {a: \"x\ty\", b: 2}\n", map[string]any{"m": map[string]any{"a": "x\ty", "b": uint64(2)}}, "m.b", 1, 18},
		{"in a list", "- \"x\ty\"\n- b\n", nil, "[1]", 2, 3},
		{"in a key", "\"x\ty\": 1\nb: 2\n", map[string]any{"x\ty": uint64(1), "b": uint64(2)}, "b", 2, 4},
		{"escaped", "a: \"x\\ty\"\nb: 1\n", map[string]any{"a": "x\ty", "b": uint64(1)}, "b", 2, 4},
		{"folded tabs stay folded", "a: \"x\t\n  \ty\tz\"\nb: 1\n", map[string]any{"a": "x y\tz", "b": uint64(1)}, "b", 3, 4},
		{"two strings", "a: \"x\ty\"\nb: \"u\tv\"\nc: 1\n", map[string]any{"a": "x\ty", "b": "u\tv", "c": uint64(1)}, "c", 3, 4},
		{"a comment follows", "a: \"x\ty\"  # note\nb: 1\n", map[string]any{"a": "x\ty", "b": uint64(1)}, "b", 2, 4},
	}
	for _, tt := range tests {
		tree, _, err := ParseYAML("t.yaml", []byte(tt.src))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if tt.want != nil {
			var got map[string]any
			if err := decodeTree(tree, &got); err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s: decoded %#v (%v), want %#v", tt.name, got, err, tt.want)
			}
		}
		s := &Source{File: "t.yaml", tree: tree}
		if line, col := s.Position(tt.field); line != tt.line || col != tt.col {
			t.Errorf("%s: %s at %d:%d, want %d:%d", tt.name, tt.field, line, col, tt.line, tt.col)
		}
	}
}

// TestTabInDoubleQuotesBounded: each string mended lexes the text again,
// so past maxQuotedTabStrings the next is refused at its line, asking for
// \t, rather than lexing a large file thousands of times.
func TestTabInDoubleQuotesBounded(t *testing.T) {
	var b strings.Builder
	for i := range maxQuotedTabStrings + 1 {
		fmt.Fprintf(&b, "k%d: \"x\ty\"\n", i)
	}
	_, _, err := ParseYAML("t.yaml", []byte(b.String()))
	want := fmt.Sprintf("t.yaml:%d:", maxQuotedTabStrings+1)
	if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), `write each as \t`) {
		t.Errorf("error %v, want %s... write each as \\t", err, want)
	}
	if _, _, err := ParseYAML("t.yaml", []byte(strings.Replace(b.String(), "\t", `\t`, 1))); err != nil {
		t.Errorf("with one written \\t: %v", err)
	}
}

// TestTabInDoubleQuotesScenario: the reviewer's case, a description with a
// tab above the next key, loads with its tab.
func TestTabInDoubleQuotesScenario(t *testing.T) {
	src := strings.Replace(validScenario, "name: t\n", "name: t\ndescription: \"a\tb\"\n", 1)
	sc, _, err := Load("t.yaml", []byte(src), testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Description != "a\tb" || sc.Model.Name != "llama-3.3-70b" {
		t.Errorf("description %q, model %q", sc.Description, sc.Model.Name)
	}
}

// TestTabInPlainScalar: a tab between two characters of unquoted text is
// text to YAML, but goccy drops it (name: a<TAB>b was read as "ab",
// count: 1<TAB>2 as 12), so it is refused at the tab, asking for quotes.
// White space YAML folds away (after ': ' and '- ', before a comment,
// leading or trailing a line) and the text of quoted strings, block
// scalars and comments keep passing.
func TestTabInPlainScalar(t *testing.T) {
	for _, tt := range []struct{ src, at, read string }{
		{"name: a\tb\nx: 1\n", "t.yaml:1:8:", `"ab"`},
		{"name: a \tb\n", "t.yaml:1:9:", `"a b"`},
		{"count: 1\t2\n", "t.yaml:1:9:", "12"},
		{"name:\ta\tb\n", "t.yaml:1:8:", `"ab"`},
		{"- a\tb\n", "t.yaml:1:4:", `"ab"`},
		{"m: {a: x\ty, b: 2}\n", "t.yaml:1:9:", `"xy"`},
		{"m: [x\ty]\n", "t.yaml:1:6:", `"xy"`},
		{"a\tb: 1\n", "t.yaml:1:2:", `"ab"`},
		{"name: a\n  b\tc\n", "t.yaml:2:4:", `"a bc"`},
		{"name: !!str a\tb\n", "t.yaml:1:14:", `"ab"`},
		{"name: &x a\tb\n", "t.yaml:1:11:", `"ab"`},
		{"d: \"x\ty\"\nname: é\tb\r\n", "t.yaml:2:8:", `"éb"`},
	} {
		_, _, err := ParseYAML("t.yaml", []byte(tt.src))
		want := tt.at + " a tab inside unquoted text, which this reader would take as " + tt.read + ": quote the value and write the tab as \\t"
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: %v\nwant %s...", tt.src, err, want)
		}
	}
	for src, want := range map[string]any{
		"name:\ta\n":             "a",
		"name: a\t\n":            "a",
		"name: a\t# note\tx\n":   "a",
		"name: a\n  \tb\n":       "a b",
		"name: a\t\n  b\n":       "a b",
		"name: 'a\tb'\n":         "a\tb",
		"name: |\n  a\tb\n":      "a\tb\n",
		"name: > # c\n  a\tb\n":  "a\tb\n",
		"name: [x\t, y]\n":       []any{"x", "y"},
		"name: {a\t: b}\n":       map[string]any{"a": "b"},
		"name:\n  -\ta\n  - b\n": []any{"a", "b"},
	} {
		tree, _, err := ParseYAML("t.yaml", []byte(src))
		var got map[string]any
		if err == nil {
			err = decodeTree(tree, &got)
		}
		if err != nil || !reflect.DeepEqual(got["name"], want) {
			t.Errorf("%q: %#v, %v; want %#v", src, got["name"], err, want)
		}
	}
}

// TestTabInPlainScalarScenario: the reviewer's case, a scenario's name
// with an unquoted tab, is refused at its line, not run as "ab"; a --set
// of one says how to keep it.
func TestTabInPlainScalarScenario(t *testing.T) {
	src := strings.Replace(validScenario, "name: t\n", "name: a\tb\n", 1)
	_, _, err := Load("t.yaml", []byte(src), testCatalog{})
	if err == nil || !strings.Contains(err.Error(), "t.yaml:1:8: a tab inside unquoted text") {
		t.Errorf("name: a<TAB>b: %v", err)
	}
	_, err = ApplyOverrides([]byte(validScenario), []Override{{Path: "description", Value: "x\ty"}})
	if err == nil || !strings.Contains(err.Error(), `--set description: the value "x\ty" holds a tab`) {
		t.Errorf("--set description=x<TAB>y: %v", err)
	}
}
