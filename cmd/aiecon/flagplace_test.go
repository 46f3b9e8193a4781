package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestMisplacedFlagNamed: a command's flag before the command's name made
// cobra take the command for the flag's value and report the next word as
// an unknown command (or, with nothing but flags after the command's name,
// the flag as unknown to aiecon); the error now says whose flag it is and
// where it goes.
func TestMisplacedFlagNamed(t *testing.T) {
	tests := []struct {
		args []string
		want string // "" for no hint
	}{
		{[]string{"--no-store", "run", "baseline"}, "as in aiecon run --no-store"},
		{[]string{"--no-store", "forecast", "x.yaml"}, "as in aiecon forecast --no-store"},
		// Nothing, or only flags, after the command's name: cobra reports
		// the flag as unknown, not the command.
		{[]string{"--no-store", "run"}, "as in aiecon run --no-store"},
		{[]string{"--no-store", "run", "--horizon", "5m"}, "as in aiecon run --no-store"},
		{[]string{"run", "--nosuchflag"}, ""},
		{[]string{"nosuchcommand"}, ""},
		{[]string{"--nosuchflag", "run"}, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Main(tt.args, strings.NewReader(""), &out, &errb)
			if code != exitUsage {
				t.Errorf("exit %d, want %d: %s", code, exitUsage, errb.String())
			}
			got := errb.String()
			if tt.want == "" {
				if strings.Contains(got, "is a flag of") {
					t.Errorf("a hint where none applies:\n%s", got)
				}
				return
			}
			if !strings.Contains(got, tt.want) || !strings.Contains(got, "after the command's name") {
				t.Errorf("stderr:\n%s\nwant it to contain %q", got, tt.want)
			}
		})
	}
}
