package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
)

// Exit codes. Bad input (a broken scenario, a bad flag, a missing file) is 2 so
// scripts can tell it from a failure while running (1). A store another
// process holds is 1, not 2: the input was good, and the same command
// succeeds once the store is free, which a script may wait for and retry.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// badInput formats a message as the user's input error (model.InputError,
// the one type every package uses for it); it exits with code 2.
func badInput(format string, args ...any) error { return model.Input(format, args...) }

// fileArg is a command's optional FILE or built-in scenario argument, ""
// when none is given. One given empty is refused: `aiecon run "$SCENARIO"`
// with the variable unset ran (and stored) the built-in default scenario
// without a word, as if no argument had been given.
func fileArg(args []string, what string) (string, error) {
	if len(args) == 0 {
		return "", nil
	}
	if strings.TrimSpace(args[0]) == "" {
		return "", badInput("%s: the file argument is empty (an unset shell variable?); give a file or a built-in's name", what)
	}
	return args[0], nil
}

// asUsage marks an existing error as the user's input error.
func asUsage(err error) error { return model.AsInput(err) }

// env is what every command shares: its streams and process-wide settings.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dbPath         string // --db, else $AIECON_DB, else ./aiecon.duckdb
	dbFrom         string // where dbPath came from, as errors name it: "--db", "$AIECON_DB" or "" (the default)
	quiet          bool   // --quiet: no progress bars
	noStore        bool   // dbPath is a scratch store removed at exit (--no-store; useScratchStore)
	configDir      string // $AIECON_CONFIG_DIR ("" = the user config directory)
	releaseStop    func() // lifts Main's stop from YAML parses (model.StopOn); nil outside Main
}

// commandMakers is filled by init functions in the command files, one per
// command, so adding a command never edits a shared list.
var commandMakers []func(*env) *cobra.Command

func register(maker func(*env) *cobra.Command) { commandMakers = append(commandMakers, maker) }

// defaultDBPath resolves the store location: flag, then environment, then ./aiecon.duckdb.
func defaultDBPath() string {
	if p := os.Getenv("AIECON_DB"); strings.TrimSpace(p) != "" { // blank reads as unset: a store named "  " is a slip
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
sessions and conversational ads, with step times from a roofline whose constants
per accelerator family are fitted to published serving measurements and whose
GEMM efficiency curve comes from real batched matmul runs ('aiecon hw fit --cv'
cross-validates them), and projects latency, revenue, cost and margin.
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
	root.PersistentFlags().BoolVarP(&e.quiet, "quiet", "q", false, "no progress on stderr (bars, a line per run)")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if err := textArgs(cmd, args); err != nil {
			return err
		}
		return checkDBPath(e, cmd.Flags().Changed("db"), cmd.Name() == "sweep" || cmd.Name() == "forecast")
	}
	// Flag errors are the user's input errors.
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return asUsage(suggestFlag(cmd, plainFlagError(err))) })
	for _, mk := range commandMakers {
		root.AddCommand(mk(e))
	}
	explainArgs(root)
	decimalIntFlags(root)
	strictHelpAndCompletion(root)
	return root
}

// strictHelpAndCompletion makes cobra's help and completion commands
// refuse what they do not know, exit 2, as an unknown command is: `aiecon
// help nope` printed "Unknown help topic" and the usage, and `aiecon
// completion nope` the completion help, both exit 0, so a script took
// them for done. Cobra adds both only when it runs; added here, they are
// changed before.
func strictHelpAndCompletion(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			show := c.Run
			c.Run = nil
			c.RunE = func(cmd *cobra.Command, args []string) error {
				found, rest, err := cmd.Root().Find(args)
				if err != nil || found == nil {
					return unknownName(cmd.Root(), "help", args[0], "command", "aiecon help lists the commands")
				}
				if len(rest) > 0 { // help hw nope: hw's help was shown
					return unknownName(found, "help "+strings.TrimPrefix(found.CommandPath(), found.Root().Name()+" "), rest[0], "command",
						found.CommandPath()+" --help lists its commands")
				}
				show(cmd, args)
				return nil
			}
		case "completion":
			c.Args = cobra.ArbitraryArgs
			c.RunE = func(cmd *cobra.Command, args []string) error {
				if len(args) > 0 {
					return unknownName(cmd, "completion", args[0], "shell", "want bash, fish, powershell or zsh")
				}
				return cmd.Help()
			}
		}
	}
}

// unknownName refuses the name arg that command (help, completion) took
// as one of c's subcommands (a command, a shell), with c's nearest.
func unknownName(c *cobra.Command, command, arg, what, hint string) error {
	if near := c.SuggestionsFor(arg); len(near) > 0 {
		hint = "did you mean " + strings.Join(near, " or ") + "? " + hint
	}
	return badInput("%s %s: no such %s; %s", command, format.Typed(arg), what, hint)
}

// strconvDetail is Go's parse error inside pflag's message ("invalid argument
// "x" for "--limit" flag: strconv.ParseInt: parsing "x": invalid syntax").
// pflag's IntSlice flags parse with strconv.Atoi, whose errors are the
// ParseInt ones under another name.
var strconvDetail = regexp.MustCompile(`strconv\.(ParseInt|ParseUint|ParseFloat|ParseBool|Atoi): parsing "[^"]*": (invalid syntax|value out of range)`)

// plainFlagError says what a number or switch flag wants instead of naming
// the Go function that failed to parse it.
func plainFlagError(err error) error {
	m := strconvDetail.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	want := map[string]string{"ParseInt": "want a whole number", "Atoi": "want a whole number", "ParseUint": "want a whole number, 0 or more",
		"ParseFloat": "want a number", "ParseBool": "want true or false"}[m[1]]
	if m[2] == "value out of range" {
		want = "out of range"
	}
	return errors.New(strings.Replace(err.Error(), m[0], want, 1))
}

// explainArgs makes a wrong number of arguments name the command and its
// usage line: cobra's own "accepts 1 arg(s), received 0" says neither.
func explainArgs(c *cobra.Command) {
	if check := c.Args; check != nil && c.HasParent() {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
				return badInput("%s: %w; usage: %s", name, err, cmd.UseLine())
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		explainArgs(sub)
	}
}

// stopContext is a context that ends when its parent does, its error then
// model.ErrInterrupted: a command stopped by a signal printed "context
// canceled" wherever it wrapped ctx.Err(). It holds no cancelCtx of its
// own, so contexts derived from it take its error too.
type stopContext struct {
	context.Context // context.Background(), for its values and deadline
	done            <-chan struct{}
}

func (c stopContext) Done() <-chan struct{} { return c.done }

func (c stopContext) Err() error {
	select {
	case <-c.done:
		return model.ErrInterrupted
	default:
		return nil
	}
}

// interruptible is a context that ends with parent (which has no
// deadline and no values), its error model.ErrInterrupted.
func interruptible(parent context.Context) context.Context {
	return stopContext{Context: context.Background(), done: parent.Done()}
}

// stopSignals stop a command cleanly, as Ctrl-C does: Kubernetes and Slurm
// stop jobs with SIGTERM, and a closed terminal or ssh session sends SIGHUP.
// Without them a run or sweep dies at once and leaves its runs "running".
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// Main runs the CLI with the given arguments and streams and returns the exit code.
// A stop signal cancels the command's context so long runs stop cleanly.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return mainOn(processSignals{}, args, stdin, stdout, stderr)
}

// stopObserver is a signalSource told once a stop it delivered has
// cancelled the command's context: a test's, which stages a stop at a
// point of the command (while its report prints) and waits for it there
// rather than sleeping.
type stopObserver interface{ Stopped() }

// mainOn is Main hearing the signals of src.
func mainOn(src signalSource, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	stopCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// stopped closes at a stop only, not at the cancel on return: a Main
	// running beside this one in the same process (the package's tests
	// run several at once) may have taken it from model.StopOn while this
	// one ends, and its parse must not fail as if stopped.
	stopped := make(chan struct{})
	var stopOnce sync.Once
	stop := func() {
		stopOnce.Do(func() { close(stopped) })
		cancel()
		if o, ok := src.(stopObserver); ok {
			o.Stopped()
		}
	}
	watch := &stopWatch{grace: stopGrace, now: time.Now, cancel: stop, busy: data.Writing, exit: os.Exit, stderr: stderr}
	settle := watchStops(src, watch)
	ctx := interruptible(stopCtx)
	// Parsing and decoding YAML watch no context: this ends them at the
	// first signal too, even one that came between them. Released on
	// return, so no later Main watches this one's stop; the release
	// leaves any other Main's stop registered.
	releaseStop := model.StopOn(stopped)
	defer releaseStop()
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, configDir: os.Getenv(hw.ProfileDirEnv), releaseStop: releaseStop}
	root := newRootCmd(e)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	release := settle() // which stop came first, if any: the watch is over
	defer release()
	err = watch.blame(err)
	code := exitOK
	switch {
	case err == nil:
	case watch.pipeExplains(err):
		code = exitFailure // the pipe's stop, which exits 141 below
	default:
		code = reportError(e, root, cmd, args, err)
	}
	if watch.first == pipeSignal {
		// The reader closed the pipe before any stop signal came: the
		// command stopped cleanly, and exits as SIGPIPE would have ended
		// it (pipeSignal says why).
		return signalExitCode(syscall.SIGPIPE)
	}
	return code
}

// reportError says what err is on stderr, with the hints that apply, and
// returns the exit code it calls for.
func reportError(e *env, root, cmd *cobra.Command, args []string, err error) int {
	stderr := e.stderr
	// A path the user typed comes back raw inside the operating system's
	// and DuckDB's errors (open PATH: ...), where no caller can quote it:
	// its tab broke the line, its escape sequence rewrote the terminal.
	fmt.Fprintf(stderr, "aiecon: %s\n", format.VisibleLines(suggestionIndent(cmd == root, err.Error())))
	if cmd == root {
		misplacedFlagHint(stderr, root, args, err)
	}
	// doctor has just examined the store and said what it could not read:
	// sending the user to doctor again would say nothing more.
	if cmd.Name() != "doctor" || cmd.Parent() != root {
		damagedHint(stderr, err, e.dbPath)
	}
	// The root runs nothing of ours: an error that names it as the command
	// is cobra's own about the command line (an unknown command), which
	// reaches no hook of ours (flag errors pass the flag error function,
	// argument counts explainArgs) and carries no type to match.
	// A path the user may not read or write (--db, -o, --out) is theirs to
	// change: exit 2, as for a path that is not a store.
	if storeLogDenied(err, e.dbPath) {
		// A store the user may write in a folder they may not: DuckDB
		// writes its log beside the store, and says only that it could not.
		fmt.Fprintf(stderr, "aiecon: the folder of %s is not writable, and DuckDB writes its log %s.wal there: give it write permission, "+
			"or point --db at a store in a folder you may write\n", e.dbPath, e.dbPath)
		return exitUsage
	}
	// A stop signal is a failure of the run, wherever it landed: during a
	// pipe wait it comes wrapped in an input error, which must not make it
	// exit 2 where one during the run exits 1.
	if errors.Is(err, context.Canceled) {
		return exitFailure
	}
	if isInputError(err) || cmd == root || errors.Is(err, data.ErrNotStore) || errors.Is(err, data.ErrForeignDatabase) ||
		errors.Is(err, data.ErrMergeSchema) || errors.Is(err, data.ErrNewerSchema) || errors.Is(err, data.ErrOlderSchema) ||
		refusedStoreSQL(err) || userPathFault(err) {
		return exitUsage
	}
	return exitFailure
}

// userPathFault reports an error of a path the user gave that only they can
// change: one they may not read or write, one that runs through a regular
// file (-o afile/x.png, --out afile/sub) or one on a read-only file system.
// Each exits 2 whichever path it was: a path through a file exited 1 where
// one they may not write exited 2, for the same slip.
func userPathFault(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.ENOTDIR) || errors.Is(err, syscall.EROFS)
}

// refusedStoreSQL reports a store refused for views or functions that are
// not aiecon's (data.Options.Refuse): the user's to repair or replace, as
// a store of another schema is, which no retry changes.
func refusedStoreSQL(err error) bool {
	ve, ok := errors.AsType[*data.ViewsChangedError](err)
	return ok && ve.Refused
}

// damagedHint points the user at doctor when err met a damaged block that
// no CorruptError explains: for the store the error names (merge reads
// stores other than --db), else for --db, the store the command opened.
func damagedHint(stderr io.Writer, err error, dbPath string) {
	if !data.LooksDamaged(err) {
		return
	}
	path := data.DamagedStore(err)
	if path == "" {
		path = dbPath
	}
	if path == "" {
		return
	}
	fmt.Fprintf(stderr, "aiecon: the store %s looks damaged (a block it holds fails its checksum or lies past the end of the file): "+
		"`aiecon doctor --db %s` says which blocks and copies the complete runs it can still read into a new file\n", path, path)
}

// isInputError tells the user's errors (exit 2) by their type: the one
// input-error type, scenario validation errors, the store's "not there"
// sentinels (a log left without its store among them), and a store path
// that names a folder or that DuckDB cannot open (data.CheckPath: doctor
// --out, say), and a run written to an in-memory store (--db :memory:).
func isInputError(err error) bool {
	var ie *model.InputError
	var me model.Errors
	return errors.As(err, &ie) || errors.As(err, &me) ||
		errors.Is(err, data.ErrNoStore) || errors.Is(err, data.ErrNoDirectory) || errors.Is(err, data.ErrOrphanLog) ||
		errors.Is(err, data.ErrFolderPath) || errors.Is(err, data.ErrURLPath) || errors.Is(err, data.ErrMemoryStore)
}

// storeLogDenied reports DuckDB's refusal to open the store's own log
// (PATH.wal beside the store at dbPath) for want of permission: in a folder
// the user may not write. A log of another store, or another file, is not
// the store's folder's fault.
func storeLogDenied(err error, dbPath string) bool {
	if dbPath == "" {
		return false
	}
	abs, aerr := filepath.Abs(dbPath)
	if aerr != nil {
		return false
	}
	msg := err.Error()
	if !strings.Contains(msg, "Permission denied") || !strings.Contains(msg, abs+".wal") {
		return false
	}
	// A log that exists and is someone else's is the file's fault, not the folder's.
	_, serr := os.Stat(abs + ".wal")
	return errors.Is(serr, fs.ErrNotExist)
}

// suggestionIndent indents cobra's "Did you mean this?" list of an unknown
// command with spaces: it indents with a tab, which VisibleLines then
// printed as a literal \t before each suggestion.
func suggestionIndent(fromRoot bool, msg string) string {
	if !fromRoot || !strings.HasPrefix(msg, "unknown command ") {
		return msg
	}
	return strings.ReplaceAll(msg, "\n\t", "\n  ")
}
