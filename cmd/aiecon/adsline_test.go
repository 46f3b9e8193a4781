package main

import (
	"regexp"
	"testing"

	"aiecon/hw"
)

// With a reserve above every bid the auctions run and fill nothing; run
// still prints the ads line, with 0 impressions and the fill rate, so that
// the run does not read as one with ads switched off.
func TestRunPrintsAdsLineAtZeroFill(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"zero fill", []string{"--set", "ads.reserve=1000"}, `(?m)^  ads +[1-9][0-9,]* auctions, 0 impressions \(0\.0% of slots filled\)`},
		{"filled", nil, `(?m)^  ads +[1-9][0-9,]* auctions, [1-9][0-9,]* impressions \([1-9][0-9.]*% of slots filled\)`},
	} {
		args := append([]string{"run", "--no-store", "--horizon", "10m"}, tc.args...)
		code, out, errs := hwRun(t, "", args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.name, code, errs)
		}
		if !regexp.MustCompile(tc.want).MatchString(out) {
			t.Errorf("%s: no ads line matching %s in:\n%s", tc.name, tc.want, out)
		}
	}
}
