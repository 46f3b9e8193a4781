package main

import (
	"errors"
	"fmt"
	"testing"

	"aiecon/data"
	"aiecon/model"
	"aiecon/runner"
)

// TestInputErrorsByType checks that the exit code follows the error's type
// however deeply it is wrapped, and never its message: a failure that talks
// about "status" or "unknown command" is still a failure.
func TestInputErrorsByType(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"model.Input", model.Input("bad %s", "thing"), true},
		{"wrapped twice", fmt.Errorf("sweep: %w", fmt.Errorf("point 3: %w", model.Input("bad"))), true},
		{"runner alias", fmt.Errorf("loading: %w", &runner.InputError{Err: errors.New("no such file")}), true},
		{"badInput", fmt.Errorf("cmd: %w", badInput("--limit %d", -1)), true},
		{"validation errors", fmt.Errorf("x.yaml: %w", model.Errors{{Field: "fleet.count"}}), true},
		{"missing store", fmt.Errorf("open: %w", data.ErrNoStore), true},
		{"folder path (doctor's salvage, a library open)", fmt.Errorf("salvaging: %w", data.CheckPath("nd/")), true},
		{"failure that reads like input", errors.New("unknown command: invalid argument for status (read-only)"), false},
		{"plain failure", fmt.Errorf("writing: %w", errors.New("disk full")), false},
	}
	for _, c := range cases {
		if got := isInputError(c.err); got != c.want {
			t.Errorf("%s: isInputError = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestInputErrorsExit2 runs the commands whose input errors used to be told
// by their message text.
func TestInputErrorsExit2(t *testing.T) {
	t.Parallel()
	db, ids := storeFixture(t)
	for _, args := range [][]string{
		{"nosuchcommand"},
		{"runs", "--status", "done"},
		{"compare", ids[0], ids[0]},
		{"sql", "DELETE FROM runs"},
		{"tui"}, // standard output is a buffer, not a terminal
	} {
		if code, _, errs := cli(t, db, "", args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, errs)
		}
	}
}
