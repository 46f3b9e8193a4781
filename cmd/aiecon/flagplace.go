package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"aiecon/model/format"
)

// misplacedFlagHint explains an unknown command that a command's flag put
// before the command's name caused: aiecon --no-store run baseline reads
// --no-store as a flag of aiecon itself, which has none of that name, so
// cobra takes run for its value and then reports baseline as an unknown
// command, a message that names neither the flag nor its place. (A flag
// written with its value, --horizon=1m run, consumes nothing and works.)
// Where nothing follows the command's name (aiecon --no-store run) or only
// flags do (aiecon --no-store run --horizon 5m), cobra has no command left
// to call unknown and reports the flag itself as unknown to aiecon: the
// same mistake, which gets the same hint.
func misplacedFlagHint(stderr io.Writer, root *cobra.Command, args []string, err error) {
	msg := err.Error()
	if !strings.HasPrefix(msg, "unknown command ") && !strings.HasPrefix(msg, "unknown flag: ") {
		return
	}
	for i, a := range args {
		if !strings.HasPrefix(a, "-") || a == "-" || a == "--" {
			if _, _, ferr := root.Find([]string{a}); ferr == nil && a != root.Name() {
				return // the command came first: its flags are where they belong
			}
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if root.PersistentFlags().Lookup(name) != nil || root.Flags().Lookup(name) != nil {
			continue
		}
		var owners []string
		for _, c := range root.Commands() {
			if c.Flags().Lookup(name) != nil {
				owners = append(owners, c.Name())
			}
		}
		if len(owners) == 0 {
			continue
		}
		example := owners[0] // the command it was meant for, where it follows
		if i+1 < len(args) && slices.Contains(owners, args[i+1]) {
			example = args[i+1]
		}
		fmt.Fprintf(stderr, "aiecon: --%s is a flag of %s, not of aiecon itself: give it after the command's name, as in aiecon %s --%s\n",
			format.Visible(name), format.ListAnd(owners), example, format.Visible(name))
		return
	}
}
