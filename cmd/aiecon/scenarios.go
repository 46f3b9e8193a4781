package main

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"aiecon/model"
	"aiecon/runner"
)

func init() { register(newScenariosCmd) }

func newScenariosCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scenarios",
		Short: "List the built-in scenarios",
		Long: `List the scenarios embedded in aiecon. Run one with 'aiecon run NAME'; print one
with 'aiecon scenarios show NAME' (--resolved adds every default), and copy it to a
file to make your own.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tVARIANTS\tDESCRIPTION")
			for _, name := range model.BuiltinNames() {
				src, _ := model.Builtin(name)
				sc, err := parseScenario(name, src)
				if err != nil {
					return err
				}
				var vs []string
				for _, v := range sc.Variants {
					vs = append(vs, v.Name)
				}
				variants := strings.Join(vs, ", ")
				if variants == "" {
					variants = "-"
				}
				def := ""
				if name == model.DefaultScenario {
					def = " (default)"
				}
				fmt.Fprintf(tw, "%s%s\t%s\t%s\n", name, def, variants, sc.Description)
			}
			return tw.Flush()
		},
	}
	var resolved bool
	show := &cobra.Command{
		Use:   "show NAME|FILE",
		Short: "Print a scenario's YAML (--resolved: with every default filled in)",
		Long: `Print a scenario's YAML as written, or with --resolved as a run stores it:
overrides applied and every default filled in. Where a run would store only a
sample of the request rows, to keep the store within its row budget
(AIECON_MAX_REQUEST_ROWS), the YAML keeps the scenario's
output.request_sample_rate and a note on stderr gives the rate a run would
store, and why. An optional block left out
(ads, training, fleet.autoscale, an agent's retrieval) stays out: it is off.
So do precision.expert_weights and an agent's tool_call_tokens, whose
defaults are precision.weights and the workload's output_tokens: left out,
they keep following those fields.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := fileArg(args, "scenarios show"); err != nil {
				return err
			}
			if !resolved {
				name, src, _, err := runner.ReadSource(args[0])
				if err != nil {
					return err
				}
				// Printed as given, but only a scenario: a binary file, one
				// that is not YAML or not a scenario's mapping (unknown keys,
				// wrong types) is refused at its line, not echoed to a
				// terminal (--resolved validates it whole, defaults and
				// catalog too).
				if _, err := parseScenario(name, src); err != nil {
					return model.AsInput(err)
				}
				_, err = e.stdout.Write(src)
				return err
			}
			l, err := runner.Load(args[0], nil)
			if err != nil {
				return err
			}
			return showResolved(e, l)
		},
	}
	show.Flags().BoolVar(&resolved, "resolved", false, "fill in every default (what a run stores)")
	cmd.AddCommand(show)
	return cmd
}

// parseScenario parses a scenario runner.ReadSource read as name, its
// errors placed as run places them (runner.SourceLabel: "built-in NAME:3:1"
// or the file's path), because show called a built-in by its bare name,
// as a file in the working directory would be, and the list
// "built-in NAME: NAME.yaml:3:1", a file that does not exist. The list's
// error is aiecon's (a built-in it cannot parse), show's the user's input.
func parseScenario(name string, src []byte) (*model.Scenario, error) {
	sc, _, err := model.Parse(runner.SourceLabel(name), src)
	return sc, err
}

// showResolved prints the resolved scenario with the request sample rate
// the scenario gives, and notes on stderr the rate a run would store where
// the row budget lowers it (runner.Load lowers it in the resolved YAML,
// which is what a run stores): the YAML showed the lowered rate as if the
// scenario said it, with nothing to say the budget had chosen it.
func showResolved(e *env, l *runner.Loaded) error {
	stored, notes := l.Scenario.Output.RequestSampleRate, slices.Clone(l.Notes)
	if err := l.Unsample(); err != nil {
		return err
	}
	if _, err := e.stdout.Write(l.Resolved); err != nil {
		return err
	}
	for _, n := range notes {
		if slices.Contains(l.Notes, n) {
			continue // not the sampling's note
		}
		fmt.Fprintf(e.stderr, "aiecon: note: output.request_sample_rate above is the scenario's, %g; a run would store %g of the request rows, and that rate in its resolved YAML: %s\n",
			l.Scenario.Output.RequestSampleRate, stored, n)
	}
	return nil
}
