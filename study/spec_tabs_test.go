package study

import (
	"strings"
	"testing"
)

// TestTabInPlainScalarSweep: an unquoted tab inside a sweep file's value
// (a name, a listed value) is refused at its line and column, as in a
// scenario: the YAML library read description: a<TAB>b as "ab", and a
// parameter value 1<TAB>6 as 16. Quoted, the tab is kept.
func TestTabInPlainScalarSweep(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"name: a\tb\nbase: baseline\n", "sweep.yaml:1:8: a tab inside unquoted text"},
		{"name: x\nbase: baseline\nparameters:\n  fleet.count: [1\t6, 2]\n", "sweep.yaml:4:18: a tab inside unquoted text, which this reader would take as 16"},
	} {
		_, err := ParseSpec("sweep.yaml", []byte(tt.src), t.TempDir(), nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v\nwant it to contain %q", tt.src, err, tt.want)
		}
	}
	if sp := parse(t, "name: x\ndescription: \"a\\tb\"\nbase: baseline\nparameters:\n  fleet.count: [1, 2]\n"); sp.Description != "a\tb" {
		t.Errorf("description %q, want a tab kept", sp.Description)
	}
}
