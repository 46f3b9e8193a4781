package model

import (
	"strings"
	"testing"
)

// TestLeadingZeroRefused: goccy read 010 as octal 8 (YAML 1.1), so
// `fleet.count: 010` ran 8 instances; a leading-zero integer is refused at
// its line and column, in a file and in a --set value, tagged !!int or
// !!float as well (goccy decodes !!int 010 as 8 too: count: !!int 010 ran
// 8 instances), and the forms that say what they mean pass.
func TestLeadingZeroRefused(t *testing.T) {
	withCount := func(v string) string { return strings.Replace(validScenario, "count: 2", "count: "+v, 1) }
	cases := []struct {
		name string
		run  func() error
		want string // "" = no leading-zero error
	}{
		{"010 in a file", func() error { _, _, err := Parse("f.yaml", []byte(withCount("010"))); return err },
			"f.yaml:5:10: 010 has a leading zero, so YAML 1.1 reads it as octal (8) and YAML 1.2 as 10: write 10 (decimal) or 0o10 (octal)"},
		{"08 in a file", func() error { _, _, err := Parse("f.yaml", []byte(withCount("08"))); return err },
			"f.yaml:5:10: 08 has a leading zero, which YAML 1.1 keeps for octal numbers: write 8"},
		{"-010 in a list", func() error { _, _, err := Parse("f.yaml", []byte(validScenario+"x: [1, -010]\n")); return err },
			"write -10 (decimal) or -0o10 (octal)"},
		{"--set fleet.count=010", func() error {
			_, err := ApplyOverridesIn("f.yaml", []byte(validScenario), []Override{{Path: "fleet.count", Value: "010"}})
			return err
		}, "--set fleet.count:1:1: 010 has a leading zero"},
		{"!!int 010 in a file", func() error { _, _, err := Parse("f.yaml", []byte(withCount("!!int 010"))); return err },
			"f.yaml:5:10: 010 has a leading zero, so YAML 1.1 reads it as octal (8) and YAML 1.2 as 10"},
		{"!!int 017 on a seed", func() error {
			_, _, err := Parse("f.yaml", []byte(validScenario+"seed: !!int 017\n"))
			return err
		}, "f.yaml:13:7: 017 has a leading zero, so YAML 1.1 reads it as octal (15) and YAML 1.2 as 17"},
		{"!!int before an anchor", func() error { _, _, err := Parse("f.yaml", []byte(withCount("!!int &n 010"))); return err },
			"010 has a leading zero"},
		{"!!float 010", func() error { _, _, err := Parse("f.yaml", []byte(withCount("!!float 010"))); return err },
			"010 has a leading zero"},
		{"--set fleet.count=!!int 010", func() error {
			_, err := ApplyOverridesIn("f.yaml", []byte(validScenario), []Override{{Path: "fleet.count", Value: "!!int 010"}})
			return err
		}, "010 has a leading zero"},
		{"quoted '010'", func() error { _, _, err := Parse("f.yaml", []byte(validScenario+"description: '010'\n")); return err }, ""},
		{"!!str 010", func() error {
			_, _, err := Parse("f.yaml", []byte(validScenario+"description: !!str 010\n"))
			return err
		}, ""},
		{"a block scalar's text", func() error {
			_, _, err := Parse("f.yaml", []byte(validScenario+"description: |-\n  010\nx: >-\n  08\ny: |- # a comment\n  010\n"))
			return err
		}, ""},
		{"0o10", func() error { _, _, err := Parse("f.yaml", []byte(withCount("0o10"))); return err }, ""},
		{"0 and 0.5 and 010.5", func() error { _, _, err := Parse("f.yaml", []byte(validScenario+"x: [0, 0.5, 010.5]\n")); return err }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.run()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if c.want == "" && strings.Contains(got, "leading zero") || c.want != "" && !strings.Contains(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
