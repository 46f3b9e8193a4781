package hw

import (
	"cmp"
	"fmt"
	"github.com/agnivade/levenshtein"
	"slices"
	"strings"
)

// Chips returns a copy of every catalogued chip, sorted by name.
func Chips() []*Chip {
	out := make([]*Chip, len(chipCatalog))
	for i, c := range chipCatalog {
		out[i] = c.clone()
	}
	slices.SortFunc(out, func(a, b *Chip) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// Instances returns a copy of every catalogued instance, sorted by name.
func Instances() []*Instance {
	out := make([]*Instance, len(instanceCatalog))
	for i, in := range instanceCatalog {
		out[i] = in.clone()
	}
	slices.SortFunc(out, func(a, b *Instance) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// ChipByName finds a chip by name, ignoring case. The error lists the known names.
func ChipByName(name string) (*Chip, error) {
	for _, c := range chipCatalog {
		if strings.EqualFold(c.Name, name) {
			return c.clone(), nil
		}
	}
	return nil, fmt.Errorf("unknown chip %q (known: %s)", name, strings.Join(ChipNames(), ", "))
}

// InstanceByName finds an instance by name, ignoring case. The error lists the known names.
func InstanceByName(name string) (*Instance, error) {
	for _, in := range instanceCatalog {
		if strings.EqualFold(in.Name, name) {
			return in.clone(), nil
		}
	}
	return nil, fmt.Errorf("unknown instance %q (known: %s)", name, strings.Join(InstanceNames(), ", "))
}

// ChipNames lists the chip names, sorted.
func ChipNames() []string {
	var ns []string
	for _, c := range chipCatalog {
		ns = append(ns, c.Name)
	}
	slices.Sort(ns)
	return ns
}

// InstanceNames lists the instance names, sorted.
func InstanceNames() []string {
	var ns []string
	for _, in := range instanceCatalog {
		ns = append(ns, in.Name)
	}
	slices.Sort(ns)
	return ns
}

// Nearest returns up to n of the candidates closest to name by edit distance
// (case-insensitive), closest first, ties in the candidates' order; for
// "did you mean" messages.
func Nearest(name string, candidates []string, n int) []string {
	type scored struct {
		s string
		d int
	}
	lname := strings.ToLower(name)
	sc := make([]scored, len(candidates))
	for i, c := range candidates {
		lc := strings.ToLower(c)
		d := levenshtein.ComputeDistance(lname, lc)
		// A prefix or substring match is as good as a near miss.
		if lname != "" && strings.Contains(lc, lname) {
			d = min(d, 1)
		}
		sc[i] = scored{c, d}
	}
	slices.SortStableFunc(sc, func(a, b scored) int { return cmp.Compare(a.d, b.d) })
	out := make([]string, 0, n)
	for i := 0; i < len(sc) && i < n; i++ {
		out = append(out, sc[i].s)
	}
	return out
}
