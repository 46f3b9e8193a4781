package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"aiecon/model"
	"aiecon/model/format"
)

// seedFlag is --seed, checked as it is parsed: a whole number from 1 to
// 2^63-1, since the store keeps seeds as BIGINT (a larger one failed in the
// driver) and "--seed abc" deserves better than strconv's message.
type seedFlag uint64

func (s *seedFlag) String() string { return strconv.FormatUint(uint64(*s), 10) }
func (s *seedFlag) Type() string   { return "seed" }

func (s *seedFlag) Set(v string) error {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil || n == 0 || n > math.MaxInt64 {
		return fmt.Errorf("want a whole number from 1 to %d", int64(math.MaxInt64))
	}
	*s = seedFlag(n)
	return nil
}

// horizonFlag is --horizon, checked as it is parsed, so that an error names
// --horizon rather than the --set it becomes.
type horizonFlag string

func (h *horizonFlag) String() string { return string(*h) }
func (h *horizonFlag) Type() string   { return "duration" }

func (h *horizonFlag) Set(v string) error {
	d, err := model.ParseDuration(v)
	if errors.Is(err, model.ErrNoUnit) {
		return fmt.Errorf("duration %q needs a unit: want a duration from 1s to %v%s", v, model.MaxHorizon, horizonUnits(v))
	}
	if err != nil && !errors.Is(err, model.ErrDurationRange) {
		return err
	}
	// A duration past any (10000000h) was given the parser's range, not
	// the horizon's.
	if err != nil || d < model.Second || d > model.MaxHorizon {
		return fmt.Errorf("want a duration from 1s to %v", model.MaxHorizon)
	}
	*h = horizonFlag(v)
	return nil
}

// horizonUnits is ", e.g. 5m or 5h" for a bare number given as a horizon:
// the number with the first two units (minutes and hours first, the
// horizon's usual) that make a horizon of 1s to model.MaxHorizon, "" where
// none does. ParseDuration's own "5s or 5ms" offered 5ms, which --horizon
// then refused.
func horizonUnits(v string) string {
	var ok []string
	for _, unit := range []string{"m", "h", "s", "d"} {
		d, err := model.ParseDuration(v + unit)
		if err == nil && d >= model.Second && d <= model.MaxHorizon && len(ok) < 2 {
			ok = append(ok, v+unit)
		}
	}
	if len(ok) == 0 {
		return ""
	}
	return ", e.g. " + strings.Join(ok, " or ")
}

// setsFlag is --set (repeatable), each checked as it is parsed for an
// empty value (model.CheckTypedSet), the same for run, sweep and optimize.
type setsFlag struct{ sets *[]string }

func (f setsFlag) String() string { return "[" + strings.Join(*f.sets, ",") + "]" }
func (f setsFlag) Type() string   { return "stringArray" }

func (f setsFlag) Set(v string) error {
	if err := model.CheckTypedSet(v); err != nil {
		return err
	}
	*f.sets = append(*f.sets, v)
	return nil
}

// flagAndSet refuses a flag given with a --set of the field it stands for
// (--horizon 5s with --set horizon=1e9h): the flag won, so the --set was
// never checked (1e9h ran, exit 0) and the banner showed two horizons.
// Both are named as typed, quoted where they hold a tab or an escape.
func flagAndSet(sets []string, field, flag, value string) error {
	for _, s := range sets {
		if path, _, ok := strings.Cut(s, "="); ok && strings.TrimSpace(path) == field {
			return badInput("--%s %s and %s both set %s; give one", flag, format.Typed(value), model.TypedSet(s), field)
		}
	}
	return nil
}

// warnRepeatedSets warns on stderr of each path that two --set give
// (model.RepeatedSets), naming the one that wins: the last.
func warnRepeatedSets(w io.Writer, sets []string) {
	for _, r := range model.RepeatedSets(sets) {
		fmt.Fprintln(w, "aiecon: warning: "+r)
	}
}

// addSetFlag adds --set to fl, its values appended to sets.
func addSetFlag(fl *pflag.FlagSet, sets *[]string, usage string) {
	fl.Var(setsFlag{sets}, "set", usage)
	fl.Lookup("set").DefValue = "" // help shows no "(default [])", as for a string array
}

// maxJobs bounds --jobs: each worker holds one simulation in memory, and
// workers past the CPUs add no speed (-j 100000000 ran out of memory
// starting its goroutines).
const maxJobs = 1024

// checkJobs refuses a --jobs outside 1 to maxJobs.
func checkJobs(n int) error {
	if n < 1 || n > maxJobs {
		return badInput("--jobs %d: want 1 to %d (each worker holds one run in memory; this machine has %d CPUs)", n, maxJobs, runtime.NumCPU())
	}
	return nil
}

// refuseNonPositive refuses a count flag given as 0 whose zero value means
// "the default": `--samples 0` ran every Monte Carlo sample, which is not
// what someone typing it meant. A negative count gets the same words
// (--periods -1 was told how many periods the forecast has).
func refuseNonPositive(cmd *cobra.Command, names ...string) error {
	for _, n := range names {
		fl := cmd.Flags().Lookup(n)
		if fl == nil || !fl.Changed {
			continue
		}
		if v, err := strconv.ParseInt(fl.Value.String(), 10, 64); err == nil && v <= 0 {
			return badInput("--%s %d: want 1 or more (leave --%s out for the default)", n, v, n)
		}
	}
	return nil
}

// textArgs refuses arguments and flag values that are not UTF-8 text: the
// store binds them as text, and DuckDB failed with "could not bind
// parameter" (exit 1) on `run --name` or `runs --name` with a byte 0xff.
func textArgs(cmd *cobra.Command, args []string) error {
	for i, a := range args {
		if at := notUTF8(a); at >= 0 {
			return badInput("argument %d %q: byte 0x%02x at offset %d is not UTF-8 text", i+1, a, a[at], at)
		}
	}
	var err error
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if f.Name == "db" && strings.TrimSpace(f.Value.String()) == "" && err == nil {
			err = badInput("--db: empty path; give a store file (or leave --db out for $AIECON_DB, else ./aiecon.duckdb)")
		}
		if v := f.Value.String(); err == nil {
			if at := notUTF8(v); at >= 0 {
				err = badInput("--%s %q: byte 0x%02x at offset %d is not UTF-8 text", f.Name, v, v[at], at)
			}
		}
	})
	return err
}

// notUTF8 is the offset of the first byte of s that is not UTF-8, or -1.
func notUTF8(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return -1
}
