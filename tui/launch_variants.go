package tui

import (
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"aiecon/model"
	"aiecon/runner"
)

// The Launch screen's variant picker: a built-in scenario with variants
// (named what-ifs, docs/scenarios.md) is offered as itself and as each of
// its variants, "gpu-vs-trainium/gpu", in the scenario chooser (←/→). A
// variant is the scenario with the variant's overrides applied, loaded by
// runner.LoadVariants as `aiecon run SCENARIO --variant NAME` does; the
// knobs then show the variant's values.

// variantsMsg lists the built-ins with their variants, in chooser order.
type variantsMsg struct {
	addr
	entries []string
}

// listVariants reads the built-in scenarios for their variants (parsing a
// dozen embedded files: in a Cmd, off the update loop).
func listVariants(to int) tea.Cmd {
	return func() tea.Msg {
		var out []string
		for _, name := range model.BuiltinNames() {
			out = append(out, name)
			src, err := model.Builtin(name)
			if err != nil {
				continue
			}
			sc, _, err := model.Parse(name, src)
			if err != nil {
				continue // the chooser still offers it; loading it says what is wrong
			}
			for _, v := range sc.Variants {
				out = append(out, name+"/"+v.Name)
			}
		}
		return variantsMsg{addr: addr{to}, entries: out}
	}
}

// addVariants puts the variants in the chooser, keeping the choice on the
// entry it was on.
func (s *launchScreen) addVariants(entries []string) {
	cur := ""
	if s.choice < len(s.builtins) {
		cur = s.builtins[s.choice]
	}
	s.builtins = entries
	if i := slices.Index(entries, cur); i >= 0 {
		s.choice = i
	} else if cur == "" {
		s.choice = len(entries) // the file entry
	}
}

// entry names the chooser's choice: a built-in or variant, or the file
// typed.
func (s *launchScreen) entry() string {
	if s.choice < len(s.builtins) {
		return s.builtins[s.choice]
	}
	return "file " + s.fields[fFile].ed.Value()
}

// loadChoice loads a scenario with overrides: the scenario itself (a
// built-in, or a file, whose leading ~ is the home directory as in every
// path field of the dashboard), or one of its variants.
func loadChoice(arg, variant string, sets []string) (*runner.Loaded, error) {
	if variant != "" {
		ls, err := runner.LoadVariants(arg, sets, variant)
		if err != nil {
			return nil, err
		}
		return ls[0], nil
	}
	path, err := homePath(arg)
	if err != nil {
		return nil, err
	}
	l, err := runner.Load(path, sets)
	if err != nil && path != arg {
		// The runner names the file expanded, which is not what was typed.
		return nil, fmt.Errorf("%s is %s: %w", arg, path, err)
	}
	return l, err
}

// loadNotes are the notes `aiecon run` prints on stderr for a scenario it
// loaded, in its order: what loading changed on its own, then the file's
// bad values the overrides replace.
func loadNotes(l *runner.Loaded) []string {
	return append(slices.Clone(l.Notes), runner.MaskedByOverrides(l)...)
}
