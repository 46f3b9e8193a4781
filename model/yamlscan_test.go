package model

import (
	"strings"
	"testing"
)

// TestCheckFlow: brackets, commas and dashes count only where YAML reads
// them as structure, so quoted text, comments and plain words holding them
// pass, and the error names where the bound is passed.
func TestCheckFlow(t *testing.T) {
	deep := strings.Repeat("[", MaxYAMLDepth+1)
	many := strings.Repeat("1,", MaxYAMLItems+1)
	words := strings.Repeat("[x ", MaxYAMLDepth+1) // unclosed, as in prose
	cases := []struct {
		name, src, want string
	}{
		{"brackets in double quotes", `description: "` + deep + `"` + "\n", ""},
		{"escaped quote in double quotes", `description: "a\"` + deep + `"` + "\n", ""},
		{"brackets in single quotes", `description: 'it''s ` + deep + `'` + "\n", ""},
		{"brackets in a comment", "name: x # " + deep + "\n", ""},
		{"brackets inside a plain word", "description: a" + deep + "\n", ""},
		{"commas outside flow", "description: " + many + "\n", ""},
		{"commas in a quoted flow item", `values: ["` + many + `"]` + "\n", ""},
		{"apostrophe in a plain word", "description: don't " + "[x]\nvalues: [" + strings.Repeat("1,", 10) + "1]\n", ""},
		{"dash inside a word", "name: a-b\nmodel: -x\n", ""},
		{"flow nesting", "name: x\nvalues: " + deep + "\n", "f.yaml:2:73: nesting deeper than 64 levels"},
		{"flow nesting after a multi-line string", "a: \"x\n\ny\"\nb: {c: " + deep + "\n", "f.yaml:4:71: nesting deeper than 64 levels"},
		{"flow entries", "values: [" + many + "]\n", "f.yaml:1:200011: more than 100000 list items"},
		{"nested flow entries", "values: [{a: 1}," + strings.Repeat("[1],", MaxYAMLItems) + "]\n", "f.yaml:1:400016: more than 100000 list items"},
		{"block items", "values:\n" + strings.Repeat("  - 1\n", MaxYAMLItems+1), "f.yaml:100002:3: more than 100000 list items"},
		// A block scalar's body is text, whatever brackets its words start with.
		{"brackets in a literal block", "description: |\n  see " + words + "\n  end\nname: x\n", ""},
		{"brackets in a folded block", "description: >-\n\n  " + words + "\n\n  " + words + "\nname: x\n", ""},
		{"brackets in a list item's block", "- name: a\n  text: |2\n    " + words + "\n- b\n", ""},
		{"brackets in a tagged block with a comment", "description: !!str | # why\n  " + words + "\n", ""},
		// The body ends at the first line less indented than its own; what
		// follows is scanned again.
		{"flow nesting after a block", "a: |\n  text\nvalues: " + deep + "\n", "f.yaml:3:73: nesting deeper than 64 levels"},
		{"flow nesting at the block's key indentation", "x:\n  a: |\n    text\n  b: " + deep + "\n", "f.yaml:4:70: nesting deeper than 64 levels"},
		{"flow nesting after an empty block", "x:\n  a: |\n  b: " + deep + "\n", "f.yaml:3:70: nesting deeper than 64 levels"},
		{"a | that is no header", "a: x |\nb: " + deep + "\n", "f.yaml:2:68: nesting deeper than 64 levels"},
		{"text after the indicator", "a: | x\n  " + deep + "\n", "f.yaml:2:67: nesting deeper than 64 levels"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := checkFlow("f.yaml", []byte(c.src))
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)):
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

// TestParseYAMLBlockScalarBrackets: a description written as a block
// scalar whose words start with 65 brackets is read as the text it is,
// and the same brackets as flow nesting are still refused.
func TestParseYAMLBlockScalarBrackets(t *testing.T) {
	words := strings.Repeat("[x ", MaxYAMLDepth+1) // unclosed, as in prose
	cases := []struct {
		name, src, want string
	}{
		{"literal", "name: a\ndescription: |\n  " + words + "\n  more\nseed: 1\n", ""},
		{"folded, kept", "name: a\ndescription: >+\n  " + words + "\n\nseed: 1\n", ""},
		{"flow", "name: a\ndescription: " + strings.Repeat("[", MaxYAMLDepth+1) + "\n", "nesting deeper than 64 levels"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tree, _, err := ParseYAML("f.yaml", []byte(c.src))
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("got %v, want %q", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			var v struct{ Description string }
			if err := decodeTree(tree, &v); err != nil || !strings.Contains(v.Description, words) {
				t.Fatalf("description %q, %v", v.Description, err)
			}
		})
	}
}
