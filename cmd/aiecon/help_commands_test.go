package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// helpCommandRE finds a command line a help text quotes in prose
// ('aiecon compare --forecast FORECAST').
var helpCommandRE = regexp.MustCompile(`'(aiecon [^']+)'`)

// helpCommands are the command lines cmd's help gives: its examples, one a
// line, and those its description quotes.
func helpCommands(cmd *cobra.Command) []string {
	var lines []string
	for _, l := range strings.Split(cmd.Example, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "aiecon ") {
			lines = append(lines, l)
		}
	}
	for _, m := range helpCommandRE.FindAllStringSubmatch(cmd.Long, -1) {
		lines = append(lines, strings.Join(strings.Fields(m[1]), " "))
	}
	return lines
}

// helpPlaceholders stand in for the upper-case words help texts write
// for what the user supplies.
var helpPlaceholders = map[string]string{
	"FORECAST": "last", "RUN": "last", "SWEEP": "last", "OUT": "out.duckdb", "SHARD...": "s0.duckdb",
	"FILE.yaml": "f.yaml", "BUILTIN": "baseline",
}

// shellWords splits a command line into words as a shell does for the
// quoting examples use ('...', "..." with \" inside), up to the first
// pipe, redirection, "&&", ";" or comment.
func shellWords(line string) []string {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\'' || c == '"':
			end := i + 1
			for end < len(line) && line[end] != c {
				if c == '"' && line[end] == '\\' && end+1 < len(line) {
					end++
				}
				w.WriteByte(line[end])
				end++
			}
			i, inWord = end, true
		case c == ' ' || c == '\t':
			if inWord {
				words, inWord = append(words, w.String()), false
				w.Reset()
			}
		case !inWord && strings.ContainsRune("|>#&;<", rune(c)):
			return words
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// checkHelpCommand parses line as the CLI would, without running it: the
// command exists and takes its flags and arguments.
func checkHelpCommand(line string) error {
	var sink bytes.Buffer
	root := newRootCmd(&env{stdout: &sink, stderr: &sink})
	args := shellWords(line)[1:]
	for i, a := range args {
		if v, ok := helpPlaceholders[a]; ok {
			args[i] = v
		}
	}
	cmd, rest, err := root.Find(args)
	if err != nil {
		return err
	}
	if err := cmd.ParseFlags(rest); err != nil {
		return err
	}
	return cmd.ValidateArgs(cmd.Flags().Args())
}

// TestForecastHelpCommandsParse: every command line forecast's help gives
// is one the CLI takes ('aiecon compare FORECAST', in its description,
// wanted two runs; --forecast compares a forecast's variants).
func TestForecastHelpCommandsParse(t *testing.T) {
	var sink bytes.Buffer
	root := newRootCmd(&env{stdout: &sink, stderr: &sink})
	fc, _, err := root.Find([]string{"forecast"})
	if err != nil {
		t.Fatal(err)
	}
	lines := helpCommands(fc)
	if len(lines) < 6 {
		t.Fatalf("found %d command lines in forecast's help: %q", len(lines), lines)
	}
	for _, l := range lines {
		if err := checkHelpCommand(l); err != nil {
			t.Errorf("forecast --help gives %q: %v", l, err)
		}
	}
}

// TestHelpExamplesParse: every example line of every command's help is
// one the CLI takes: the command exists, and takes the flags and the
// number of arguments given.
func TestHelpExamplesParse(t *testing.T) {
	var sink bytes.Buffer
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, l := range strings.Split(c.Example, "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "aiecon ") {
				if err := checkHelpCommand(l); err != nil {
					t.Errorf("%s --help gives %q: %v", c.CommandPath(), l, err)
				}
			}
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(newRootCmd(&env{stdout: &sink, stderr: &sink}))
}

func TestShellWords(t *testing.T) {
	for _, tt := range []struct {
		line string
		want []string
	}{
		{`aiecon sql "SELECT 'a' FROM x" > out.csv`, []string{"aiecon", "sql", "SELECT 'a' FROM x"}},
		{`aiecon run x --json | jq -r '.a'`, []string{"aiecon", "run", "x", "--json"}},
		{`aiecon tui --snapshot   # a comment`, []string{"aiecon", "tui", "--snapshot"}},
		{`aiecon run --set 'description="a\tb"' && aiecon show last`, []string{"aiecon", "run", "--set", `description="a\tb"`}},
		{`aiecon sql "say \"hi\""`, []string{"aiecon", "sql", `say "hi"`}},
	} {
		if got := shellWords(tt.line); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: %q, want %q", tt.line, got, tt.want)
		}
	}
}
