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
