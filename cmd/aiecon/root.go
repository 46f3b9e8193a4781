package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/model"
	"aiecon/runner"
)

// Exit codes. Bad input (a broken scenario, a bad flag, a missing file) is 2 so
// scripts can tell it from a failure while running (1).
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError marks an error caused by the user's input; it exits with code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// badInput wraps err (or a formatted message) as a usage error.
func badInput(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// asUsage marks an existing error as the user's input error.
func asUsage(err error) error {
	if err == nil {
		return nil
	}
	return usageError{err}
}

// env is what every command shares: its streams and process-wide settings.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dbPath         string // --db, else $AIECON_DB, else ./aiecon.duckdb
	quiet          bool   // --quiet: no progress bars
}

// commandMakers is filled by init functions in the command files, one per
// command, so adding a command never edits a shared list.
var commandMakers []func(*env) *cobra.Command

func register(make func(*env) *cobra.Command) { commandMakers = append(commandMakers, make) }

// defaultDBPath resolves the store location: flag, then environment, then ./aiecon.duckdb.
func defaultDBPath() string {
	if p := os.Getenv("AIECON_DB"); p != "" {
		return p
	}
	return "aiecon.duckdb"
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "aiecon",
		Short: "Simulate the economics of serving LLMs and agents on Trainium, Inferentia and GPU fleets",
		Long: `aiecon is a discrete-event simulator and analytics tool for AI economics.

It simulates a fleet of accelerator instances serving an LLM to API users, agent
sessions and conversational ads, with step times from a roofline model calibrated
by real batched matmul runs, and projects latency, revenue, cost and margin.
Every run is stored in DuckDB (./aiecon.duckdb, or --db / $AIECON_DB).

Start with:  aiecon run            (the embedded default scenario)
             aiecon scenarios      (the other built-in scenarios)
             aiecon tui            (the dashboard)`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.PersistentFlags().StringVar(&e.dbPath, "db", defaultDBPath(), "DuckDB store `path` (env AIECON_DB)")
	root.PersistentFlags().BoolVarP(&e.quiet, "quiet", "q", false, "no progress output on stderr")
	// Flag errors are the user's input errors.
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return asUsage(err) })
	for _, mk := range commandMakers {
		root.AddCommand(mk(e))
	}
	explainArgs(root)
	return root
}

// explainArgs makes a wrong number of arguments name the command and its
// usage line: cobra's own "accepts 1 arg(s), received 0" says neither.
func explainArgs(c *cobra.Command) {
	if check := c.Args; check != nil && c.HasParent() {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
				return usageError{fmt.Errorf("%s: %w; usage: %s", name, err, cmd.UseLine())}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		explainArgs(sub)
	}
}

// stopSignals stop a command cleanly, as Ctrl-C does: Kubernetes and Slurm
// stop jobs with SIGTERM, and a closed terminal or ssh session sends SIGHUP.
// Without them a run or sweep dies at once and leaves its runs "running".
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// Main runs the CLI with the given arguments and streams and returns the exit code.
// A stop signal cancels the command's context so long runs stop cleanly.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	defer stop()
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCmd(e)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "aiecon: %v\n", err)
	var ue usageError
	var ie *runner.InputError
	var me model.Errors
	missing := errors.Is(err, data.ErrNoStore) || errors.Is(err, data.ErrNoDirectory)
	if errors.As(err, &ue) || errors.As(err, &ie) || errors.As(err, &me) || missing || isCobraUsageError(err) {
		return exitUsage
	}
	return exitFailure
}

// isCobraUsageError recognises cobra's own argument errors (unknown command,
// wrong number of arguments), which do not pass through the flag error hook.
func isCobraUsageError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "accepts ", "requires at least", "requires at most", "received ", "invalid argument", "unknown flag", "unknown shorthand"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
