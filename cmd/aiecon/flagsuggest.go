package main

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"aiecon/model"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// unknownFlag is pflag's error for a long flag the command lacks.
var unknownFlag = regexp.MustCompile(`^unknown flag: --([^=\s]+)$`)

// flagAliases are flags of one purpose under two names across commands:
// run and show print JSON with --json, the others with --format json.
// Neither is renamed (scripts use both), so a flag of one name given
// where the other is the command's is pointed to it, though the two
// names are far apart in spelling.
var flagAliases = map[string]string{"format": "json", "json": "format"}

// suggestFlag adds to an unknown-flag error the command's flags nearest
// the one given, and where its flags are listed: "unknown flag:
// --instance" named neither --instances nor --help, while --set names its
// nearest paths. Other errors, and aiecon's own (a command's flag given
// before the command, which misplacedFlagHint explains), are returned as
// they are.
func suggestFlag(cmd *cobra.Command, err error) error {
	m := unknownFlag.FindStringSubmatch(err.Error())
	if m == nil || cmd == nil || !cmd.HasParent() {
		return err
	}
	hint := cmd.CommandPath() + " --help lists its flags"
	if near := nearFlags(cmd, m[1]); len(near) > 0 {
		return fmt.Errorf("%w; did you mean --%s? (%s)", err, strings.Join(near, " or --"), hint)
	}
	return fmt.Errorf("%w (%s)", err, hint)
}

// nearFlags are up to three of cmd's visible flags closest to name: its
// alias (flagAliases), then those within a small edit distance (one edit
// in a name under six characters, two in a longer one) or that the name
// begins (--max for --max-count), closest first.
func nearFlags(cmd *cobra.Command, name string) []string {
	var names []string
	add := func(f *pflag.Flag) {
		if !f.Hidden && !slices.Contains(names, f.Name) {
			names = append(names, f.Name)
		}
	}
	cmd.Flags().VisitAll(add)
	cmd.InheritedFlags().VisitAll(add)
	type scored struct {
		name string
		d    int
	}
	limit := 1
	if len(name) >= 6 {
		limit = 2
	}
	var near []scored
	for _, n := range names {
		d := model.EditDistance(strings.ToLower(name), n)
		switch {
		case flagAliases[name] == n:
			d = -1
		case d <= limit:
		case len(name) >= 3 && strings.HasPrefix(n, strings.ToLower(name)):
			d = limit + 1
		default:
			continue
		}
		near = append(near, scored{n, d})
	}
	slices.SortStableFunc(near, func(a, b scored) int { return cmp.Compare(a.d, b.d) })
	out := make([]string, 0, 3)
	for i := 0; i < len(near) && i < 3; i++ {
		out = append(out, near[i].name)
	}
	return out
}
