package model

import (
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestMarshalYAMLKeepsControls: goccy writes a tab raw and its reader drops
// it ("a<TAB>b" back as "ab"), or, in a literal block, fails; MarshalYAML
// writes such strings escaped, so each reads back as it was.
func TestMarshalYAMLKeepsControls(t *testing.T) {
	type doc struct {
		Name string `yaml:"name"`
		Text string `yaml:"text"`
	}
	for _, s := range []string{"a\tb", "\tlead", "trail\t", "a\n\tb", "\ta\nb", "a\x1bb", "a\rb", "plain", "two\nlines"} {
		for _, flow := range []bool{false, true} {
			out, err := MarshalYAML(yaml.MapSlice{{Key: "x", Value: yaml.MapSlice{{Key: "d", Value: s}}}, {Key: "s", Value: doc{s, s}}}, yaml.Flow(flow))
			if err != nil {
				t.Fatal(err)
			}
			var back struct {
				X struct{ D string } `yaml:"x"`
				S doc                `yaml:"s"`
			}
			if err := yaml.Unmarshal(out, &back); err != nil || back.X.D != s || back.S.Name != s || back.S.Text != s {
				t.Errorf("%q (flow %v) written as %q read back as %q, %+v (%v)", s, flow, out, back.X.D, back.S, err)
			}
		}
	}
}

// TestOverridesKeepTabs: any --set re-wrote the scenario with a tab raw,
// read back without it, so a name with a tab (refused) became "ab"
// (accepted) and a description lost its tabs. A tab typed in a --set's
// plain value, which YAML drops, is refused with the way to keep it.
func TestOverridesKeepTabs(t *testing.T) {
	src := []byte(strings.Replace(validScenario, "name: t\n", "name: \"a\\tb\"\ndescription: \"col1\\tcol2\"\n", 1))
	out, err := ApplyOverrides(src, []Override{{Path: "seed", Value: "2"}})
	if err != nil {
		t.Fatal(err)
	}
	tree := DecodeTree(out)
	for path, want := range map[string]string{"name": "a\tb", "description": "col1\tcol2"} {
		if got, _ := LookupPath(tree, path); got != want {
			t.Errorf("after --set seed=2, %s is %q, want %q:\n%s", path, got, want, out)
		}
	}
	out, err = ApplyOverrides(src, []Override{{Path: "description", Value: `"x\ty"`}})
	if got, _ := LookupPath(DecodeTree(out), "description"); err != nil || got != "x\ty" {
		t.Errorf(`--set description="x\ty": %q, %v`, got, err)
	}
	for _, v := range []string{"x\ty", "[x\ty]", "{a: x\ty}"} {
		_, err := ApplyOverrides(src, []Override{{Path: "description", Value: v}})
		if err == nil || !strings.Contains(err.Error(), "quote the value") {
			t.Errorf("--set description=%q: %v, want the tab refused", v, err)
		}
	}
}
