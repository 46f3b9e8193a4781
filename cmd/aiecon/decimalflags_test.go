package main

import (
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestIntegerFlagsReadBase10: every integer flag reads its value in base
// 10. pflag's IntVar and Uint64Var read Go literals, so --vs 010 was
// point 8, calibrate --seed 010 was seed 8, and 0x1, 0b1, 0o1 and 1_0
// were numbers.
func TestIntegerFlagsReadBase10(t *testing.T) {
	nd, nds := errNotDecimal.Error(), errNotDecimals.Error()
	cases := []struct {
		value           string
		int, slice, uns string // the flag's value after Set, or the error
	}{
		{"010", "10", "[10]", "10"},
		{"08", "8", "[8]", "8"},
		{"+3", "3", "[3]", "3"},
		{"-5", "-5", "[-5]", errNegative.Error()},
		{"0", "0", "[0]", "0"},
		{"18446744073709551615", "out of range", "out of range", "18446744073709551615"},
		{"0x1", nd, nds, nd},
		{"0b1", nd, nds, nd},
		{"0o1", nd, nds, nd},
		{"1_0", nd, nds, nd},
		{"1e9", nd, nds, nd},
		{"--1", nd, nds, nd},
		{" 1", nd, nds, nd},
		{"", nd, nds, nd},
		{"99999999999999999999", "out of range", "out of range", "out of range"},
		{"8,010", nd, "[8,10]", nd},
		{",,", nd, nds, nd},
	}
	flags, unsigned := 0, 0
	for _, path := range integerFlags(t) {
		for _, c := range cases {
			f := integerFlag(t, path)
			want := c.int
			switch typ := f.Value.Type(); {
			case strings.HasSuffix(typ, "Slice"):
				want = c.slice
			case strings.HasPrefix(typ, "uint"):
				want = c.uns
			}
			got := ""
			if err := f.Value.Set(c.value); err != nil {
				got = err.Error()
			} else {
				got = f.Value.String()
			}
			if got != want {
				t.Errorf("%s %q: got %q, want %q", path, c.value, got, want)
			}
		}
		flags++
		if strings.HasPrefix(integerFlag(t, path).Value.Type(), "uint") {
			unsigned++
		}
	}
	if flags < 15 || unsigned < 2 { // --vs, --periods, --samples, -j, --tp, --max-count, --limit, calibrate --seed...
		t.Fatalf("found %d integer flags, %d unsigned; the walk misses some", flags, unsigned)
	}
}

// integerType matches pflag's names of its integer flag types, signed or
// not, one or a list: the walk below finds them by name, not through
// decimalFlagTypes, so a type that table misses is tested, and fails.
var integerType = regexp.MustCompile(`^u?int(8|16|32|64)?(Slice)?$`)

// integerFlags names every integer flag of the command tree as
// "COMMAND PATH --FLAG".
func integerFlags(t *testing.T) []string {
	t.Helper()
	var paths []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if integerType.MatchString(f.Value.Type()) {
				paths = append(paths, c.CommandPath()+" --"+f.Name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(&env{stdout: io.Discard, stderr: io.Discard}))
	return paths
}

// integerFlag is the flag path names, in a new command tree.
func integerFlag(t *testing.T, path string) *pflag.Flag {
	t.Helper()
	words := strings.Fields(path)
	c, _, err := newRootCmd(&env{stdout: io.Discard, stderr: io.Discard}).Find(words[1 : len(words)-1])
	if err != nil {
		t.Fatal(err)
	}
	f := c.Flags().Lookup(strings.TrimPrefix(words[len(words)-1], "--"))
	if f == nil {
		t.Fatalf("%s: no such flag", path)
	}
	return f
}

// TestIntegerFlagErrors: the refusal names the flag and wants base 10,
// and an IntSlice's strconv.Atoi error never reaches the user raw.
func TestIntegerFlagErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "x.yaml", "--vs", "0x1"}, `invalid argument "0x1" for "--vs" flag: want a whole number in base 10`},
		{[]string{"forecast", "--periods", "0o11", "--no-store"}, `invalid argument "0o11" for "--periods" flag: want a whole number in base 10`},
		{[]string{"sweep", "x.yaml", "-j", "0x2"}, `invalid argument "0x2" for "-j, --jobs" flag: want a whole number in base 10`},
		{[]string{"optimize", "baseline", "--tp", ",,"}, `invalid argument ",," for "--tp" flag: want whole numbers in base 10, separated by commas`},
		{[]string{"optimize", "baseline", "--max-num-seqs", "1e9"}, `invalid argument "1e9" for "--max-num-seqs" flag: want whole numbers in base 10`},
		{[]string{"runs", "--limit", "99999999999999999999"}, `invalid argument "99999999999999999999" for "--limit" flag: out of range`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, _, errs := hwRun(t, "", c.args...)
			if code != exitUsage || !strings.Contains(errs, c.want) || strings.Contains(errs, "strconv") {
				t.Errorf("exit %d, stderr %q; want exit 2 with %q", code, errs, c.want)
			}
		})
	}
}

// TestPlainFlagErrorAtoi: pflag's IntSlice flags fail with strconv.Atoi,
// which plainFlagError turned into words for ParseInt only.
func TestPlainFlagErrorAtoi(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`invalid argument ",," for "--tp" flag: strconv.Atoi: parsing "": invalid syntax`, `invalid argument ",," for "--tp" flag: want a whole number`},
		{`invalid argument "1e99" for "--tp" flag: strconv.Atoi: parsing "1e99": value out of range`, `invalid argument "1e99" for "--tp" flag: out of range`},
		{`invalid argument "x" for "--limit" flag: strconv.ParseInt: parsing "x": invalid syntax`, `invalid argument "x" for "--limit" flag: want a whole number`},
	} {
		if got := plainFlagError(errors.New(c.in)).Error(); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

// TestHelpOneDefault: no flag's help line states its default twice.
// decimalInt hides an IntSlice from pflag's zero-value check, so a list
// flag whose usage wrote its own default (optimize --tp "(default: every
// supported one)") got pflag's "(default [])" after it as well.
func TestHelpOneDefault(t *testing.T) {
	lines := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, l := range strings.Split(c.NonInheritedFlags().FlagUsages(), "\n") {
			if strings.Count(l, "(default") > 1 || strings.Contains(l, "(default [])") {
				t.Errorf("%s --help: %s", c.CommandPath(), strings.TrimSpace(l))
			}
			lines++
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(&env{stdout: io.Discard, stderr: io.Discard}))
	if lines < 100 {
		t.Fatalf("read %d flag lines; the walk misses commands", lines)
	}
}
