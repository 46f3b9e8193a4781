package model

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestScenarioReferenceIsComplete: every settable field of the schema is in
// docs/scenarios.md, so a new field cannot ship undocumented.
func TestScenarioReferenceIsComplete(t *testing.T) {
	doc, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	skip := regexp.MustCompile(`^(model\.|variants\[\]\.|.*\.(dist|value|mean|median|p99|sigma|cv|std|min|max|values|trace|column)$)`)
	var missing []string
	for _, p := range Paths() {
		if skip.MatchString(p) && !strings.HasSuffix(p, "arrivals.cv") && !strings.HasSuffix(p, "arrivals.trace") {
			continue
		}
		leaf := p[strings.LastIndexAny(p, ".]")+1:]
		if !strings.Contains(text, "`"+p+"`") && !strings.Contains(text, leaf+"`") {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("docs/scenarios.md does not document: %s", strings.Join(missing, ", "))
	}
}

// TestBuiltinScenariosLoad: every embedded scenario parses with its comments
// and has a description.
func TestBuiltinScenariosParse(t *testing.T) {
	names := BuiltinNames()
	if len(names) < 6 {
		t.Fatalf("only %d built-in scenarios: %v", len(names), names)
	}
	for _, n := range names {
		src, err := Builtin(n)
		if err != nil {
			t.Fatal(err)
		}
		sc, _, err := Parse(n+".yaml", src)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if sc.Name != n || sc.Description == "" {
			t.Errorf("%s: name %q, description %q", n, sc.Name, sc.Description)
		}
	}
}
