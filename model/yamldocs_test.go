package model

import (
	"strconv"
	"strings"
	"testing"
)

// TestOneYAMLDocument: a version directive is no document of its own (a
// file starting %YAML 1.1 was refused as several documents), and a second
// document is named at the line that starts it, also after an empty
// first one (which goccy dropped, and which was refused as an empty
// scenario).
func TestOneYAMLDocument(t *testing.T) {
	lines := strings.Count(validScenario, "\n")
	cases := []struct {
		name, src, want string
	}{
		{"a %YAML 1.1 directive", "%YAML 1.1\n---\n" + validScenario, ""},
		{"a directive, a comment and an end marker", "# made by a tool\n%YAML 1.2\n--- # the scenario\n" + validScenario + "...\n", ""},
		{"a start marker", "---\n" + validScenario, ""},
		{"a block scalar with dashes", strings.Replace(validScenario, "name: t\n", "name: t\ndescription: |\n  ---\n  ---\n", 1), ""},
		{"an empty document first", "--- \n---\n" + validScenario, "t.yaml:2:1: a second YAML document starts here"},
		{"a second scenario", validScenario + "---\n" + validScenario, "t.yaml:" + strconv.Itoa(lines+1) + ":1: a second YAML document starts here"},
		{"after an end marker", "%YAML 1.1\n---\n" + validScenario + "...\n%YAML 1.1\n--- x\n", "t.yaml:" + strconv.Itoa(lines+5) + ":1: a second YAML document"},
		{"a second document after a directive", "%YAML 1.1\n---\n" + validScenario + "---\n" + validScenario, "t.yaml:" + strconv.Itoa(lines+3) + ":1: a second YAML document"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc, _, err := Load("t.yaml", []byte(c.src), testCatalog{})
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want == "" && sc.Name != "t":
				t.Fatalf("loaded %q, want t", sc.Name)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	// A --set's reader of the same file agrees.
	if _, err := ApplyOverridesIn("t.yaml", []byte("%YAML 1.1\n---\n"+validScenario), []Override{{Path: "seed", Value: "2"}}); err != nil {
		t.Errorf("--set on a file with a directive: %v", err)
	}
}
