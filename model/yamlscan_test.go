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
