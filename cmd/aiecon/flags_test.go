package main

import (
	"strings"
	"testing"
)

// TestFlagInputErrors: bad --seed, --horizon and hw subcommands exit 2 with
// a message naming the flag, not strconv's or the --set it becomes.
func TestFlagInputErrors(t *testing.T) {
	cases := []struct {
		args    []string
		code    int
		want    string
		notWant string
	}{
		{[]string{"run", "--no-store", "--seed", "abc"}, 2, `invalid argument "abc" for "--seed" flag: want a whole number from 1 to 9223372036854775807`, "strconv"},
		{[]string{"run", "--no-store", "--seed", "9223372036854775808"}, 2, "want a whole number from 1", "driver"},
		{[]string{"run", "--no-store", "--horizon", "10"}, 2, `invalid argument "10" for "--horizon" flag: duration "10" needs a unit`, "--set"},
		{[]string{"run", "--no-store", "--horizon", "367d"}, 2, "at most 366d", "--set"},
		{[]string{"sweep", "x.yaml", "--seed", "-1"}, 2, "want a whole number from 1", "strconv"},
		{[]string{"hw", "bogus"}, 2, `unknown command "bogus" for "aiecon hw"`, ""},
		{[]string{"run", "--no-store", "--set", "seed=18446744073709551616"}, 2, "seed: out of range (allowed: 1 to 2^63-1", ""},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, _, errs := hwRun(t, "", c.args...)
			if code != c.code || !strings.Contains(errs, c.want) || (c.notWant != "" && strings.Contains(errs, c.notWant)) {
				t.Fatalf("exit %d, stderr %q; want exit %d with %q and without %q", code, errs, c.code, c.want, c.notWant)
			}
		})
	}
	if code, out, _ := hwRun(t, "", "hw"); code != 0 || !strings.Contains(out, "Available Commands") {
		t.Errorf("plain hw: exit %d, want its help:\n%s", code, out)
	}
}
