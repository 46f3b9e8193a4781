package model

import (
	"strings"
	"testing"
)

// TestDescriptionBounded: a description is one line for listings; a 10 MB
// one was accepted, printed in every header and stored whole.
func TestDescriptionBounded(t *testing.T) {
	withDesc := func(d string) string {
		return strings.Replace(validScenario, "name: t\n", "name: t\ndescription: "+d+"\n", 1)
	}
	variant := func(d string) string {
		return validScenario + "variants:\n  - name: v\n    description: " + d + "\n    set: {fleet.count: 3}\n"
	}
	cases := []struct {
		name, src, want string
	}{
		{"at the bound", withDesc(strings.Repeat("é", MaxDescriptionRunes)), ""},
		{"past the bound", withDesc(strings.Repeat("d", MaxDescriptionRunes+1)), "t.yaml:2:14: description: 2001 characters; at most 2000"},
		{"a variant's past the bound", variant(strings.Repeat("d", MaxDescriptionRunes+1)), "variants[0].description: 2001 characters; at most 2000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Load("t.yaml", []byte(c.src), testCatalog{})
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}
